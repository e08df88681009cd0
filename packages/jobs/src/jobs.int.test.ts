import { minimalSnapshot } from '@plumbline/contracts';
import { Database, createTestDatabase, queryTestDatabase, type TestDatabase } from '@plumbline/db';
import { randomUUID, createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Queue } from 'bullmq';
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
    const keys = await redis.keys(`${prefix}*`);
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

  /**
   * Analyse a stored scan with a real queue and worker host and wait until it reaches `status`;
   * `more` runs before the host and queue close (checks that need the queue).
   */
  async function analyseUntil(
    scanId: string,
    status: 'succeeded' | 'failed',
    more?: (queue: BullMqJobQueue) => Promise<void>,
  ) {
    const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix });
    const host = new BullMqWorkerHost(
      { redisUrl: REDIS_URL, prefix, concurrency: 1 },
      createJobHandlers(db),
      quiet,
    );
    host.start();
    try {
      await queue.enqueue('snapshot.analyze', { organizationId: orgId, scanId });
      const scan = await waitFor(async () => {
        const s = await db.scans.get(orgId, scanId);
        return s?.status === status ? s : null;
      });
      await more?.(queue);
      return scan;
    } finally {
      await host.close();
      await queue.close();
    }
  }

  it('a snapshot.analyze job flows producer -> Redis -> worker -> PostgreSQL', async () => {
    const stored = await store(goodSnapshot('prod'), 'prod');
    const scan = await analyseUntil(stored.scan.id, 'succeeded', async (queue) => {
      expect((await queue.depth())['snapshot.analyze']).toEqual({
        waiting: 0,
        active: 0,
        delayed: 0,
        failed: 0,
      });
    });
    expect(scan.attempts).toBe(1);
    expect(scan.methodologyVersion).toMatch(/^\d{4}\./);
    const result = await db.scans.getResult(orgId, stored.scan.id);
    expect(result?.result).toMatchObject({
      cluster: { name: 'prod', id: 'declared-prod' },
      steps: { inventory: { totalObjects: 3, resourceCounts: { namespaces: 3, workloads: 0 } } },
    });
  });

  it('a snapshot that breaks the contract fails at once with a reason, no retries', async () => {
    const stored = await store({ ...goodSnapshot('bad'), schemaVersion: 7 }, 'bad');
    const scan = await analyseUntil(stored.scan.id, 'failed');
    expect(scan.error).toMatch(/schemaVersion/);
    expect(scan.attempts).toBe(1);
    expect(await db.scans.getResult(orgId, stored.scan.id)).toBeNull();
  });

  it('stored bytes are trusted only while they hash to the hash recorded with them', async () => {
    const stored = await store(goodSnapshot('swapped'), 'swapped');
    const blob = await db.scans.getSnapshotBlob(orgId, stored.scan.id);
    expect(blob?.gzipSha256).toBe(createHash('sha256').update(blob!.gzip).digest('hex'));
    // The blob is replaced behind the API's back by JSON that breaks the contract (a cluster
    // without its id): neither the recorded hash nor the content hash vouches for it, so the
    // worker validates it and refuses it.
    const { cluster, ...rest } = goodSnapshot('swapped') as { cluster: Record<string, unknown> };
    const swapped = gzipSync(
      Buffer.from(JSON.stringify({ ...rest, cluster: { ...cluster, id: 7 } })),
    );
    await queryTestDatabase(
      tdb.url,
      `UPDATE "SnapshotBlob" SET "gzip" = $1 WHERE "scanId" = $2::uuid`,
      [swapped, stored.scan.id],
    );
    const scan = await analyseUntil(stored.scan.id, 'failed');
    expect(scan.error).toMatch(/does not match the contract: cluster\.id/);
    expect(await db.scans.getResult(orgId, stored.scan.id)).toBeNull();
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

  describe('graceful worker shutdown', () => {
    /** A handler that runs until the test lets it finish. */
    function gated() {
      const runs: number[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let entered!: () => void;
      const started = new Promise<void>((r) => (entered = r));
      const handler: JobHandler<'org.rollup'> = {
        name: 'org.rollup',
        async run(_env, ctx) {
          runs.push(ctx.attempt);
          entered();
          await gate;
        },
      };
      return { handler, runs, release, started };
    }

    it('a job in flight when the worker stops finishes before close() resolves', async () => {
      const g = gated();
      const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix: `${prefix}-g1` });
      const host = new BullMqWorkerHost(
        { redisUrl: REDIS_URL, prefix: `${prefix}-g1`, concurrency: 1 },
        [g.handler],
        quiet,
      );
      host.start();
      try {
        await queue.enqueue('org.rollup', { organizationId: orgId, reason: 'test' });
        await g.started;
        const closing = host.close(60_000);
        await new Promise((r) => setTimeout(r, 50));
        expect(host.activeCount).toBe(1); // still running: close() waits for it
        g.release();
        expect(await closing).toEqual({ finished: 1, returned: 0 });
        const depth = (await queue.depth())['org.rollup'];
        expect(depth).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0 });
      } finally {
        await queue.close();
      }
    });

    it('a job still running after the grace period goes back to the queue; another worker completes it', async () => {
      const g = gated();
      const p = `${prefix}-g2`;
      const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix: p });
      const first = new BullMqWorkerHost(
        { redisUrl: REDIS_URL, prefix: p, concurrency: 1 },
        [g.handler],
        quiet,
      );
      first.start();
      try {
        await queue.enqueue('org.rollup', { organizationId: orgId, reason: 'test' });
        await g.started;
        expect(await first.close(100)).toEqual({ finished: 0, returned: 1 });
        // Back in the queue at once, not after its lock expires.
        expect((await queue.depth())['org.rollup']).toMatchObject({ waiting: 1, active: 0 });
        const done: number[] = [];
        const second = new BullMqWorkerHost(
          { redisUrl: REDIS_URL, prefix: p, concurrency: 1 },
          [{ name: 'org.rollup', run: async (_e, ctx) => void done.push(ctx.attempt) }],
          quiet,
        );
        second.start();
        await waitFor(async () => done.length > 0);
        await second.close();
        expect(done).toEqual([1]); // a hand-back is not a failed attempt
        g.release(); // the first run ending late changes nothing
        await new Promise((r) => setTimeout(r, 50));
        expect((await queue.depth())['org.rollup']).toEqual({
          waiting: 0,
          active: 0,
          delayed: 0,
          failed: 0,
        });
      } finally {
        g.release();
        await queue.close();
      }
    });
  });

  it('scheduleDaily upserts one BullMQ job scheduler per id', async () => {
    const p = `${prefix}-sched`;
    const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix: p });
    const bull = new Queue('retention-sweep', { connection: redis, prefix: p });
    try {
      await queue.scheduleDaily('retention-daily', 'retention.sweep', {}, 3);
      await queue.scheduleDaily('retention-daily', 'retention.sweep', {}, 3);
      const schedulers = await bull.getJobSchedulers();
      expect(schedulers).toHaveLength(1);
      expect(schedulers[0]).toMatchObject({ key: 'retention-daily', pattern: '0 3 * * *' });
      // The next run waits for 03:00 UTC: nothing runs at start.
      expect((await queue.depth())['retention.sweep']).toMatchObject({ waiting: 0, active: 0 });
    } finally {
      await bull.close();
      await queue.close();
    }
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
