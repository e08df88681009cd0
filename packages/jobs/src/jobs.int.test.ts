import { minimalSnapshot } from '@plumbline/contracts';
import { Database, createTestDatabase, type TestDatabase } from '@plumbline/db';
import { randomUUID, createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import { BullMqJobQueue, BullMqWorkerHost } from './bullmq.js';
import { createJobHandlers } from './handlers/index.js';
import { readHeartbeats, writeHeartbeat } from './heartbeat.js';
import { InProcessJobQueue } from './in-process.js';
import { snapshotAnalyzeHandler } from './handlers/snapshot-analyze.js';
import type { JobHandler, JobLogger } from './port.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const quiet: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function snapshotBytes(body: Record<string, unknown>) {
  const raw = Buffer.from(JSON.stringify(body));
  return {
    contentHash: createHash('sha256').update(raw).digest('hex'),
    gzip: new Uint8Array(gzipSync(raw)),
    rawBytes: raw.length,
  };
}

const goodSnapshot = (name: string): Record<string, unknown> =>
  minimalSnapshot(name, { namespaces: ['a', 'b', 'c'] });

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

describe('jobs on real Redis and PostgreSQL', () => {
  let tdb: TestDatabase;
  let db: Database;
  let orgId: string;
  const prefix = `plumbline-test-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL);

  beforeAll(async () => {
    tdb = await createTestDatabase('jobs');
    db = Database.connect(tdb.url, { poolSize: 4 });
    orgId = (await db.organizations.create({ name: 'Acme', slug: `acme-${prefix}` })).id;
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.close();
    await tdb.drop();
  });

  async function store(body: Record<string, unknown>, externalId: string) {
    const s = snapshotBytes(body);
    return db.scans.storeSnapshot(orgId, {
      clusterExternalId: externalId,
      clusterName: externalId,
      schemaVersion: 1,
      ...s,
    });
  }

  it('a snapshot.analyze job flows producer -> Redis -> worker -> PostgreSQL', async () => {
    const stored = await store(goodSnapshot('prod'), 'prod');
    const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix });
    const host = new BullMqWorkerHost(
      { redisUrl: REDIS_URL, prefix, concurrency: 1 },
      createJobHandlers(db),
      quiet,
    );
    host.start();
    try {
      await queue.enqueue('snapshot.analyze', { organizationId: orgId, scanId: stored.scan.id });
      const scan = await waitFor(async () => {
        const s = await db.scans.get(orgId, stored.scan.id);
        return s?.status === 'succeeded' ? s : null;
      });
      expect(scan.attempts).toBe(1);
      expect(scan.methodologyVersion).toMatch(/^\d{4}\./);
      const result = await db.scans.getResult(orgId, stored.scan.id);
      expect(result?.result).toMatchObject({
        cluster: { name: 'prod', id: 'declared-prod' },
        steps: { inventory: { totalObjects: 3, resourceCounts: { namespaces: 3, workloads: 0 } } },
      });
      expect(await queue.depth()).toMatchObject({ 'snapshot.analyze': 0 });
    } finally {
      await host.close();
      await queue.close();
    }
  });

  it('a snapshot that breaks the contract fails at once with a reason, no retries', async () => {
    const stored = await store({ ...goodSnapshot('bad'), schemaVersion: 7 }, 'bad');
    const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix });
    const host = new BullMqWorkerHost(
      { redisUrl: REDIS_URL, prefix, concurrency: 1 },
      createJobHandlers(db),
      quiet,
    );
    host.start();
    try {
      await queue.enqueue('snapshot.analyze', { organizationId: orgId, scanId: stored.scan.id });
      const scan = await waitFor(async () => {
        const s = await db.scans.get(orgId, stored.scan.id);
        return s?.status === 'failed' ? s : null;
      });
      expect(scan.error).toMatch(/schemaVersion/);
      expect(scan.attempts).toBe(1);
      expect(await db.scans.getResult(orgId, stored.scan.id)).toBeNull();
    } finally {
      await host.close();
      await queue.close();
    }
  });

  it('a transient failure is retried with backoff and then succeeds', async () => {
    const stored = await store(goodSnapshot('flaky'), 'flaky');
    const real = snapshotAnalyzeHandler(db);
    let calls = 0;
    const flaky: JobHandler<'snapshot.analyze'> = {
      name: 'snapshot.analyze',
      run: async (env, ctx) => {
        calls++;
        if (calls === 1) throw new Error('database blip');
        await real.run(env, ctx);
      },
    };
    const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix });
    const host = new BullMqWorkerHost(
      { redisUrl: REDIS_URL, prefix, concurrency: 1 },
      [flaky],
      quiet,
    );
    host.start();
    try {
      await queue.enqueue('snapshot.analyze', { organizationId: orgId, scanId: stored.scan.id });
      await waitFor(
        async () => (await db.scans.get(orgId, stored.scan.id))?.status === 'succeeded',
      );
      expect(calls).toBe(2);
    } finally {
      await host.close();
      await queue.close();
    }
  });

  it('another organisation cannot have its id used to analyse this scan', async () => {
    const other = await db.organizations.create({ name: 'Other', slug: `other-${prefix}` });
    const stored = await store(goodSnapshot('tenant'), 'tenant');
    const queue = new InProcessJobQueue(createJobHandlers(db), quiet, {
      concurrency: 1,
      backoffMs: 1,
    });
    await queue.enqueue('snapshot.analyze', { organizationId: other.id, scanId: stored.scan.id });
    await queue.drain();
    expect((await db.scans.get(orgId, stored.scan.id))?.status).toBe('queued');
    expect(await db.scans.getResult(orgId, stored.scan.id)).toBeNull();
    await queue.close();
  });

  it('the in-process queue runs the same handlers when there is no Redis', async () => {
    const stored = await store(goodSnapshot('local'), 'local');
    const warnings: string[] = [];
    const log: JobLogger = { ...quiet, warn: (_o, m) => warnings.push(m) };
    const queue = new InProcessJobQueue(createJobHandlers(db), log, {
      concurrency: 1,
      backoffMs: 1,
    });
    expect(queue.mode).toBe('in-process');
    expect(warnings[0]).toMatch(/NO REDIS/);
    await queue.enqueue('snapshot.analyze', { organizationId: orgId, scanId: stored.scan.id });
    await queue.drain();
    expect((await db.scans.get(orgId, stored.scan.id))?.status).toBe('succeeded');
    await expect(
      queue.enqueue('snapshot.analyze', { organizationId: orgId } as never),
    ).rejects.toThrow(/invalid payload/);
    await queue.close();
  });

  it('heartbeats are visible until they expire', async () => {
    const now = Date.now();
    await writeHeartbeat(redis, prefix, {
      workerId: 'w1',
      hostname: 'h',
      pid: 1,
      startedAt: new Date(now).toISOString(),
      at: new Date(now).toISOString(),
      queues: ['snapshot-analyze'],
      version: '0.1.0',
    });
    expect((await readHeartbeats(redis, prefix, now)).map((b) => b.workerId)).toEqual(['w1']);
    expect(await readHeartbeats(redis, prefix, now + 60_000)).toEqual([]);
  });
});
