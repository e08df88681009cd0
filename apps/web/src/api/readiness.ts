import type { CheckStatus, QueueMode, Readiness, ReadinessCheck } from '@plumbline/contracts';

/** The readiness checks the API reports, in display order (`reports` only from newer APIs). */
export const CHECK_NAMES = ['database', 'redis', 'worker', 'reports'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

const CHECK_STATUSES: readonly CheckStatus[] = ['ok', 'degraded', 'down'];
const QUEUE_MODES: readonly QueueMode[] = ['redis', 'in-process'];

/** The API answered, but not with a readiness report we understand. */
export class ReadinessParseError extends Error {
  override name = 'ReadinessParseError';
}

/** The readiness report could not be fetched at all (network, unexpected HTTP status, non-JSON). */
export class ReadinessFetchError extends Error {
  override name = 'ReadinessFetchError';
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function objectAt(value: unknown, path: string): JsonObject {
  if (!isObject(value)) {
    throw new ReadinessParseError(`${path} must be an object (got ${show(value)})`);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) {
    throw new ReadinessParseError(
      `${path} must be one of ${allowed.join(', ')} (got ${show(value)})`,
    );
  }
  return found;
}

function parseCheck(value: unknown, path: string): ReadinessCheck {
  const obj = objectAt(value, path);
  const status = oneOf(obj.status, CHECK_STATUSES, `${path}.status`);
  if (typeof obj.detail !== 'string') {
    throw new ReadinessParseError(`${path}.detail must be a string (got ${show(obj.detail)})`);
  }
  const check: ReadinessCheck = { status, detail: obj.detail };
  if (obj.latencyMs !== undefined) {
    if (typeof obj.latencyMs !== 'number' || !Number.isFinite(obj.latencyMs)) {
      throw new ReadinessParseError(
        `${path}.latencyMs must be a number when present (got ${show(obj.latencyMs)})`,
      );
    }
    check.latencyMs = obj.latencyMs;
  }
  return check;
}

/**
 * Validate a `/readyz` body. Throws a {@link ReadinessParseError} naming the first field that is
 * wrong, so a broken or mismatched API shows up as a readable message instead of a blank panel.
 */
export function parseReadiness(body: unknown): Readiness {
  const obj = objectAt(body, 'readiness');
  const status = oneOf(obj.status, CHECK_STATUSES, 'readiness.status');
  const queueMode = oneOf(obj.queueMode, QUEUE_MODES, 'readiness.queueMode');
  const checks = objectAt(obj.checks, 'readiness.checks');
  return {
    status,
    queueMode,
    checks: {
      database: parseCheck(checks.database, 'readiness.checks.database'),
      redis: parseCheck(checks.redis, 'readiness.checks.redis'),
      worker: parseCheck(checks.worker, 'readiness.checks.worker'),
      ...(checks.reports === undefined
        ? {}
        : { reports: parseCheck(checks.reports, 'readiness.checks.reports') }),
    },
  };
}

/**
 * Turn an HTTP answer from `/readyz` into a readiness report. 200 and 503 both carry the report
 * (503 means something required is down); any other status is an error.
 */
export function readinessFromResponse(httpStatus: number, bodyText: string): Readiness {
  if (httpStatus !== 200 && httpStatus !== 503) {
    throw new ReadinessFetchError(`the API answered HTTP ${httpStatus} instead of a status report`);
  }
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    throw new ReadinessFetchError(
      `the API answered HTTP ${httpStatus} with a body that is not JSON`,
    );
  }
  return parseReadiness(body);
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Fetch and validate `GET /readyz` (same origin: the API serves the web app, or Vite proxies). */
export async function fetchReadiness(
  options: { signal?: AbortSignal; fetchImpl?: FetchLike } = {},
): Promise<Readiness> {
  const fetchImpl: FetchLike = options.fetchImpl ?? ((input, init) => fetch(input, init));
  let response: Response;
  try {
    response = await fetchImpl('/readyz', {
      headers: { accept: 'application/json' },
      cache: 'no-store',
      signal: options.signal ?? null,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new ReadinessFetchError(`the API could not be reached (${reason})`);
  }
  return readinessFromResponse(response.status, await response.text());
}
