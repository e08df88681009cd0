import { ConfigError } from '@plumbline/config';
import { minimalSnapshot } from '@plumbline/contracts';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { BullMqJobQueue, readHeartbeats } from '@plumbline/jobs';
import { Redis } from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { healthcheck, loadWorkerEnv, startWorker } from './boot.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

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
    const keys = await redis.keys(`${prefix}:*`);
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
});
