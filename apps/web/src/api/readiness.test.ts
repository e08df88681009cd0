import { describe, expect, it } from '@jest/globals';
import {
  fetchReadiness,
  parseReadiness,
  ReadinessFetchError,
  ReadinessParseError,
  readinessFromResponse,
  type FetchLike,
} from './readiness';

const degraded = {
  status: 'degraded',
  queueMode: 'in-process',
  checks: {
    database: { status: 'ok', detail: 'PostgreSQL answered', latencyMs: 3 },
    redis: { status: 'degraded', detail: 'not configured: jobs run in-process (local/demo only)' },
    worker: { status: 'ok', detail: 'in-process: the API runs the job processors itself' },
  },
};

const down = {
  status: 'down',
  queueMode: 'redis',
  checks: {
    database: { status: 'down', detail: 'no answer within 2000 ms', latencyMs: 2001 },
    redis: { status: 'ok', detail: 'PING -> PONG', latencyMs: 1 },
    worker: { status: 'down', detail: 'no worker heartbeat in the last 30 s', latencyMs: 2 },
  },
};

function responding(status: number, body: string): FetchLike {
  return async () => new Response(body, { status });
}

describe('parseReadiness', () => {
  it('accepts a well-formed report and keeps optional latency', () => {
    const r = parseReadiness(degraded);
    expect(r.status).toBe('degraded');
    expect(r.queueMode).toBe('in-process');
    expect(r.checks.database).toEqual({
      status: 'ok',
      detail: 'PostgreSQL answered',
      latencyMs: 3,
    });
    expect(r.checks.redis).not.toHaveProperty('latencyMs');
  });

  it('keeps the PDF report check when the API sends one, and does without it otherwise', () => {
    const reports = { status: 'degraded', detail: 'Chromium not found at /usr/bin/chromium' };
    const r = parseReadiness({ ...degraded, checks: { ...degraded.checks, reports } });
    expect(r.checks.reports).toEqual(reports);
    expect(parseReadiness(degraded).checks).not.toHaveProperty('reports');
    expect(() =>
      parseReadiness({ ...degraded, checks: { ...degraded.checks, reports: { status: 'x' } } }),
    ).toThrow('readiness.checks.reports.status must be one of ok, degraded, down (got "x")');
  });

  it('drops unknown extra fields', () => {
    const r = parseReadiness({ ...degraded, extra: true });
    expect(r).not.toHaveProperty('extra');
  });

  it.each([
    [null, 'readiness must be an object (got null)'],
    ['ok', 'readiness must be an object (got "ok")'],
    [[], 'readiness must be an object (got an array)'],
    [
      { ...degraded, status: 'fine' },
      'readiness.status must be one of ok, degraded, down (got "fine")',
    ],
    [{ ...degraded, queueMode: 'kafka' }, 'readiness.queueMode must be one of redis, in-process'],
    [{ ...degraded, checks: undefined }, 'readiness.checks must be an object (got nothing)'],
    [
      { ...degraded, checks: { ...degraded.checks, worker: undefined } },
      'readiness.checks.worker must be an object (got nothing)',
    ],
    [
      { ...degraded, checks: { ...degraded.checks, redis: { status: 'ok' } } },
      'readiness.checks.redis.detail must be a string (got nothing)',
    ],
    [
      {
        ...degraded,
        checks: { ...degraded.checks, database: { status: 'ok', detail: 'x', latencyMs: '3' } },
      },
      'readiness.checks.database.latencyMs must be a number when present (got "3")',
    ],
  ])('rejects a malformed body with a clear error (%#)', (body, message) => {
    expect(() => parseReadiness(body)).toThrow(ReadinessParseError);
    expect(() => parseReadiness(body)).toThrow(message);
  });
});

describe('readinessFromResponse', () => {
  it('accepts a 200 body', () => {
    expect(readinessFromResponse(200, JSON.stringify(degraded)).status).toBe('degraded');
  });

  it('accepts a 503 body: the report says what is down', () => {
    const r = readinessFromResponse(503, JSON.stringify(down));
    expect(r.status).toBe('down');
    expect(r.checks.database.status).toBe('down');
    expect(r.checks.worker.detail).toBe('no worker heartbeat in the last 30 s');
  });

  it('rejects other HTTP statuses', () => {
    expect(() => readinessFromResponse(404, 'Not Found')).toThrow(
      new ReadinessFetchError('the API answered HTTP 404 instead of a status report'),
    );
  });

  it('rejects a body that is not JSON, even on 503', () => {
    expect(() => readinessFromResponse(503, '<html>Service Unavailable</html>')).toThrow(
      'the API answered HTTP 503 with a body that is not JSON',
    );
  });

  it('rejects JSON that is not a readiness report', () => {
    expect(() => readinessFromResponse(200, '{"status":"ok"}')).toThrow(ReadinessParseError);
  });
});

describe('fetchReadiness', () => {
  it('asks GET /readyz for JSON and parses the answer', async () => {
    const calls: { input: string; init: RequestInit | undefined }[] = [];
    const fetchImpl: FetchLike = async (input, init) => {
      calls.push({ input, init });
      return new Response(JSON.stringify(down), { status: 503 });
    };
    const r = await fetchReadiness({ fetchImpl });
    expect(r.status).toBe('down');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.input).toBe('/readyz');
    expect(calls[0]?.init?.headers).toEqual({ accept: 'application/json' });
  });

  it('reports a network failure in words', async () => {
    const fetchImpl: FetchLike = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(fetchReadiness({ fetchImpl })).rejects.toThrow(
      new ReadinessFetchError('the API could not be reached (fetch failed)'),
    );
  });

  it('reports a gateway error in words', async () => {
    await expect(fetchReadiness({ fetchImpl: responding(502, 'Bad Gateway') })).rejects.toThrow(
      'the API answered HTTP 502 instead of a status report',
    );
  });
});
