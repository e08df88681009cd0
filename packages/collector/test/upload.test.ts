import { ingestRequestHeadersSchema } from '@plumbline/contracts';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { idempotencyKey, UploadError, uploadSnapshot, type UploadOptions } from '../src/upload.js';
import { startIngestServer } from './ingest-server.js';

const TOKEN = 'plb_scanner_FAKEtoken0000000000000001';
const BODY = Buffer.from(JSON.stringify({ schemaVersion: 1, cluster: { name: 'upload-test' } }));

function options(url: string, logs: string[], extra: Partial<UploadOptions> = {}): UploadOptions {
  return {
    url,
    token: TOKEN,
    baseDelayMs: 1,
    maxDelayMs: 5,
    log: (level, message, fields) => logs.push(JSON.stringify({ level, message, ...fields })),
    ...extra,
  };
}

describe('upload client', () => {
  it('posts gzip with the token, the content type and the idempotency key', async () => {
    const server = await startIngestServer([202]);
    const logs: string[] = [];
    try {
      const r = await uploadSnapshot(BODY, options(server.url, logs));
      expect(r).toMatchObject({
        scanId: 'scan-1',
        clusterId: 'cluster-1',
        status: 'queued',
        duplicate: false,
        attempts: 1,
      });
      const [req] = server.received;
      expect(req!.method).toBe('POST');
      expect(req!.path).toBe('/v1/snapshots');
      expect(gunzipSync(req!.body).equals(BODY)).toBe(true);
      const key = createHash('sha256').update(BODY).digest('hex');
      expect(r.idempotencyKey).toBe(key);
      expect(idempotencyKey(BODY)).toBe(key);
      const headers = ingestRequestHeadersSchema.parse(req!.headers);
      expect(headers).toEqual({
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
        'idempotency-key': key,
      });
      expect(logs.join('\n')).not.toContain(TOKEN);
    } finally {
      await server.close();
    }
  });

  it('reports a duplicate (200) as such', async () => {
    const server = await startIngestServer([200]);
    try {
      const r = await uploadSnapshot(BODY, options(server.url, []));
      expect(r.duplicate).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('retries 503 with backoff and the same idempotency key, then succeeds', async () => {
    const server = await startIngestServer([503, 503, 202]);
    const logs: string[] = [];
    const waits: number[] = [];
    try {
      const r = await uploadSnapshot(
        BODY,
        options(server.url, logs, {
          sleep: async (ms) => void waits.push(ms),
          baseDelayMs: 100,
          maxDelayMs: 10_000,
        }),
      );
      expect(r.attempts).toBe(3);
      expect(server.received).toHaveLength(3);
      expect(new Set(server.received.map((x) => x.headers['idempotency-key'])).size).toBe(1);
      expect(waits).toHaveLength(2);
      expect(waits[0]).toBeGreaterThanOrEqual(50);
      expect(waits[0]).toBeLessThanOrEqual(100);
      expect(waits[1]).toBeGreaterThanOrEqual(100);
      expect(waits[1]).toBeLessThanOrEqual(200);
      expect(logs.filter((l) => l.includes('retrying'))).toHaveLength(2);
      expect(logs.join('\n')).not.toContain(TOKEN);
    } finally {
      await server.close();
    }
  });

  it('gives up after N attempts without ever logging the token', async () => {
    const server = await startIngestServer([503]);
    const logs: string[] = [];
    try {
      const err = await uploadSnapshot(BODY, options(server.url, logs, { maxAttempts: 4 })).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(UploadError);
      expect((err as UploadError).attempts).toBe(4);
      expect((err as UploadError).status).toBe(503);
      expect((err as Error).message).toMatch(/failed after 4 attempts: 503 unavailable/);
      expect(server.received).toHaveLength(4);
      expect(
        `${(err as Error).message}\n${(err as Error).stack}\n${logs.join('\n')}`,
      ).not.toContain(TOKEN);
    } finally {
      await server.close();
    }
  });

  it('does not retry what retrying cannot fix (401), and says why', async () => {
    const server = await startIngestServer([401]);
    try {
      const err = (await uploadSnapshot(BODY, options(server.url, [])).catch(
        (e: unknown) => e,
      )) as UploadError;
      expect(err).toBeInstanceOf(UploadError);
      expect(err.message).toMatch(/refused: 401 unauthenticated: scanner token is invalid/);
      expect(err.message).not.toContain(TOKEN);
      expect(server.received).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('retries network errors and refuses bad URLs and tokens up front', async () => {
    const server = await startIngestServer([202]);
    const url = server.url;
    await server.close();
    const logs: string[] = [];
    await expect(uploadSnapshot(BODY, options(url, logs, { maxAttempts: 2 }))).rejects.toThrow(
      /failed after 2 attempts: .*ECONNREFUSED/,
    );
    expect(logs.join('\n')).not.toContain(TOKEN);
    await expect(uploadSnapshot(BODY, options('ftp://x/v1/snapshots', []))).rejects.toThrow(/http/);
    await expect(
      uploadSnapshot(BODY, options(`http://user:${TOKEN}@127.0.0.1/v1/snapshots`, [])),
    ).rejects.toThrow(/must not carry credentials/);
    await expect(uploadSnapshot(BODY, options(url, [], { token: '' }))).rejects.toThrow(/token/);
  });
});
