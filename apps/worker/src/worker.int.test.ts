import { ConfigError } from '@plumbline/config';
import { minimalSnapshot } from '@plumbline/contracts';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { BullMqJobQueue, readHeartbeats } from '@plumbline/jobs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import net from 'node:net';
import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { healthcheck, loadWorkerEnv, startWorker } from './boot.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => res(port));
    });
  });
}

async function waitFor<T>(
  fn: () => Promise<T | null | undefined | false>,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('worker application (real Redis + PostgreSQL)', () => {
  let tdb: TestDatabase;
  let db: Database;
  const prefix = `plumbline-worker-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL);

  beforeAll(async () => {
    tdb = await createTestDatabase('worker');
    db = Database.connect(tdb.url, { poolSize: 2 });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.close();
    await tdb.drop();
  });

  it('refuses to start without Redis, saying why', () => {
    expect(() => loadWorkerEnv({ DATABASE_URL: tdb.url })).toThrow(ConfigError);
    expect(() => loadWorkerEnv({ DATABASE_URL: tdb.url })).toThrow(
      /REDIS_URL is required by the worker/,
    );
  });

  it('processes jobs, heartbeats while alive, and the exec health check follows it', async () => {
    const env = loadWorkerEnv({
      DATABASE_URL: tdb.url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      WORKER_HEARTBEAT_INTERVAL_MS: '500',
      LOG_LEVEL: 'silent',
    });
    const lines: string[] = [];
    expect(await healthcheck(env, (l) => lines.push(l))).toBe(1);

    const ctx = await startWorker(env, pino({ level: 'silent' }));
    const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix });
    try {
      const beats = await readHeartbeats(redis, prefix);
      expect(beats).toHaveLength(1);
      expect(beats[0]!.queues).toContain('snapshot-analyze');
      expect(await healthcheck(env, (l) => lines.push(l))).toBe(0);
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({ healthy: true });

      const org = await db.organizations.create({ name: 'W', slug: `w-${prefix}` });
      const raw = Buffer.from(JSON.stringify(minimalSnapshot('edge', { namespaces: ['default'] })));
      const stored = await db.scans.storeSnapshot(org.id, {
        clusterExternalId: 'edge',
        clusterName: 'edge',
        contentHash: createHash('sha256').update(raw).digest('hex'),
        schemaVersion: 1,
        gzip: new Uint8Array(gzipSync(raw)),
        rawBytes: raw.length,
      });
      await queue.enqueue('snapshot.analyze', { organizationId: org.id, scanId: stored.scan.id });
      await waitFor(
        async () => (await db.scans.get(org.id, stored.scan.id))?.status === 'succeeded',
      );
    } finally {
      await queue.close();
      await ctx.close();
    }
    // Graceful shutdown removes the heartbeat at once.
    expect(await readHeartbeats(redis, prefix)).toEqual([]);
    expect(await healthcheck(env, (l) => lines.push(l))).toBe(1);
  });

  it('serves its metrics on WORKER_METRICS_PORT: GET /metrics only, behind METRICS_TOKEN', async () => {
    const port = await freePort();
    const token = 'worker-metrics-token-123456';
    const p = `${prefix}-m`;
    const env = loadWorkerEnv({
      DATABASE_URL: tdb.url,
      REDIS_URL,
      QUEUE_PREFIX: p,
      WORKER_METRICS_PORT: String(port),
      METRICS_TOKEN: token,
      LOG_LEVEL: 'silent',
    });
    const ctx = await startWorker(env, pino({ level: 'silent' }));
    const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix: p });
    const url = `http://127.0.0.1:${port}`;
    try {
      const org = await db.organizations.create({ name: 'M', slug: `m-${p}` });
      await queue.enqueue('org.rollup', { organizationId: org.id, reason: 'test' });
      const auth = { Authorization: `Bearer ${token}` };
      const metric = 'plumbline_job_runs_total{job="org.rollup",outcome="completed"} 1';
      const text = await waitFor(async () => {
        const t = await (await fetch(`${url}/metrics`, { headers: auth })).text();
        return t.includes(metric) ? t : null;
      });
      expect(text).toContain(
        'plumbline_job_duration_seconds_count{job="org.rollup",outcome="completed"} 1',
      );
      expect(text).toContain('plumbline_jobs_active{job="org.rollup"} 0');
      expect(text).toMatch(/^process_resident_memory_bytes /m);
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      expect(
        (await fetch(`${url}/metrics`, { headers: { Authorization: 'Bearer nope' } })).status,
      ).toBe(401);
      expect((await fetch(`${url}/healthz`, { headers: auth })).status).toBe(404);
      expect((await fetch(`${url}/metrics`, { method: 'POST', headers: auth })).status).toBe(405);
      // The daily retention sweep is scheduled by the worker (one scheduler however many start).
      const bull = new Queue('retention-sweep', { connection: redis, prefix: p });
      expect((await bull.getJobSchedulers()).map((j) => j.key)).toEqual(['retention-daily']);
      await bull.close();
    } finally {
      await queue.close();
      await ctx.close();
    }
    // Closed with the worker.
    await expect(fetch(`${url}/metrics`)).rejects.toThrow();
  });
});
