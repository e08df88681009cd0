import { makeJobEnvelope, minimalSnapshot } from '@plumbline/contracts';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { Redis } from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { BullMqJobQueue, BullMqWorkerHost } from './bullmq.js';
import { createJobHandlers } from './handlers/index.js';
import { orgRollupHandler } from './handlers/org-rollup.js';
import { snapshotAnalyzeHandler } from './handlers/snapshot-analyze.js';
import { InProcessJobQueue } from './in-process.js';
import { RollupPace } from './rollup-pace.js';
import {
  rollupJobOptions,
  type AnyJobHandler,
  type FollowUp,
  type JobHandler,
  type JobLogger,
} from './port.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const quiet: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, ms = 30_000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await sleep(50);
  }
}

describe('debounced organisation roll-up (real PostgreSQL and Redis)', () => {
  let tdb: TestDatabase;
  let db: Database;
  const prefix = `plumbline-test-debounce-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL);

  beforeAll(async () => {
    tdb = await createTestDatabase('jobs_debounce');
    db = Database.connect(tdb.url, { poolSize: 4 });
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.close();
    await tdb.drop();
  });

  async function store(orgId: string, name: string) {
    const s = minimalSnapshot(name, { namespaces: ['a'] });
    const raw = Buffer.from(JSON.stringify(s));
    const stored = await db.scans.storeSnapshot(orgId, {
      clusterExternalId: s.cluster.id,
      clusterName: name,
      contentHash: createHash('sha256').update(raw).digest('hex'),
      schemaVersion: 1,
      gzip: new Uint8Array(gzipSync(raw)),
      rawBytes: raw.length,
    });
    return stored.scan.id;
  }

  /** Analyse `n` new clusters through the real handlers; count the roll-ups that ran. */
  async function ingest(debounceMs: number, n: number) {
    const orgId = (await db.organizations.create({ name: 'D', slug: `d-${randomUUID()}` })).id;
    let rollups = 0;
    const followUp: FollowUp = async (name, payload, requestId, options) => {
      await queue.enqueue(name, payload, { requestId, ...options });
    };
    const handlers = createJobHandlers(db, followUp, undefined, { rollupDebounceMs: debounceMs });
    const counted = handlers.map((h): AnyJobHandler => {
      if (h.name !== 'org.rollup') return h;
      const rollup: JobHandler<'org.rollup'> = {
        name: 'org.rollup',
        run: async (e, c) => {
          rollups++;
          await h.run(e, c);
        },
      };
      return rollup;
    });
    const queue = new InProcessJobQueue(counted, quiet, { concurrency: 2, backoffMs: 1 });
    try {
      for (let i = 0; i < n; i++)
        await queue.enqueue('snapshot.analyze', {
          organizationId: orgId,
          scanId: await store(orgId, `c-${String(i).padStart(2, '0')}`),
        });
      // Every analysis stored, then let the debounce window end on its own (no drain).
      await waitFor(async () => {
        const overview = await db.rollups.overviewRead(orgId);
        return overview?.clusters?.every((c) => c.status === 'succeeded') ?? false;
      });
      await sleep(debounceMs + 300);
      await queue.drain();
      const row = await db.rollups.get(orgId);
      return { rollups, clusters: (row?.result as { clusters: unknown[] }).clusters.length };
    } finally {
      await queue.close();
    }
  }

  it('many analyses in one window share one roll-up that sees every cluster', async () => {
    const debounced = await ingest(3000, 12);
    expect(debounced.clusters).toBe(12);
    // One window, or two when the analyses straddle a window's end: far fewer than 12.
    expect(debounced.rollups).toBeGreaterThanOrEqual(1);
    expect(debounced.rollups).toBeLessThanOrEqual(2);
    // Without debouncing each analysis rolls up on its own.
    const each = await ingest(0, 12);
    expect(each.clusters).toBe(12);
    expect(each.rollups).toBe(12);
  });

  it('an analysis asks for its roll-up in a window as wide as the last roll-up was slow', async () => {
    const orgId = (await db.organizations.create({ name: 'P', slug: `p-${randomUUID()}` })).id;
    const asked: { jobId?: string; delayMs?: number }[] = [];
    const followUp: FollowUp = async (name, _payload, _requestId, options) => {
      if (name === 'org.rollup') asked.push(options ?? {});
    };
    const pace = new RollupPace();
    const analyse = snapshotAnalyzeHandler(db, followUp, 1000, undefined, pace);
    const rollup = orgRollupHandler(db, followUp, pace);
    const ctx = { jobId: 'j', attempt: 1, log: quiet };
    const run = async (scanId: string) =>
      analyse.run(makeJobEnvelope('snapshot.analyze', { organizationId: orgId, scanId }), ctx);

    await run(await store(orgId, 'first'));
    // Nothing measured yet: the base window.
    expect(asked[0]!.jobId).toMatch(new RegExp(`^rollup\\.${orgId}\\.1000\\.\\d+$`));
    expect(asked[0]!.delayMs).toBeLessThanOrEqual(1025);
    // The organisation's last roll-up took 3 s: the next request waits for a 16 s window.
    pace.record(orgId, 3000);
    await run(await store(orgId, 'second'));
    expect(asked[1]!.jobId).toMatch(new RegExp(`^rollup\\.${orgId}\\.16000\\.\\d+$`));
    expect(asked[1]!.delayMs).toBeGreaterThan(0);
    expect(asked[1]!.delayMs).toBeLessThanOrEqual(16_025);
    // A real roll-up of this small organisation is quick: it brings the base window back.
    await rollup.run(makeJobEnvelope('org.rollup', { organizationId: orgId, reason: 't' }), ctx);
    await run(await store(orgId, 'third'));
    expect(asked[2]!.jobId).toMatch(new RegExp(`^rollup\\.${orgId}\\.1000\\.\\d+$`));
  });

  it('on Redis, requests of one window are one job; the next window is another', async () => {
    const orgId = randomUUID();
    const runs: string[] = [];
    const handler: JobHandler<'org.rollup'> = {
      name: 'org.rollup',
      async run(e) {
        runs.push(e.payload.reason);
      },
    };
    const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix });
    const hosts = [0, 1].map(
      () => new BullMqWorkerHost({ redisUrl: REDIS_URL, prefix, concurrency: 2 }, [handler], quiet),
    );
    for (const h of hosts) h.start();
    try {
      const now = Date.now();
      const window = 500;
      // Twenty requests at the same instant from "many uploads", on two workers.
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          queue.enqueue(
            'org.rollup',
            { organizationId: orgId, reason: `r${i}` },
            rollupJobOptions(orgId, window, now),
          ),
        ),
      );
      await waitFor(async () => runs.length >= 1);
      await sleep(window + 200);
      expect(runs).toHaveLength(1);
      // A request after that run started falls in a later window: a new job.
      await queue.enqueue(
        'org.rollup',
        { organizationId: orgId, reason: 'later' },
        rollupJobOptions(orgId, window, Date.now()),
      );
      await waitFor(async () => runs.length >= 2);
      expect(runs.at(-1)).toBe('later');
    } finally {
      for (const h of hosts) await h.close(5000);
      await queue.close();
    }
  });

  it('a roll-up that fails for good is recorded on the organisation; the next good one clears it', async () => {
    const orgId = (await db.organizations.create({ name: 'F', slug: `f-${randomUUID()}` })).id;
    const handler = orgRollupHandler(db);
    const envelope = makeJobEnvelope('org.rollup', { organizationId: orgId, reason: 'test' });
    await handler.onFinalFailure!(envelope, new Error('roll-up broke'), {
      jobId: 'j',
      attempt: 3,
      log: quiet,
    });
    expect(await db.rollups.status(orgId)).toMatchObject({
      status: 'failed',
      error: 'roll-up broke',
    });
    await handler.run(envelope, { jobId: 'j2', attempt: 1, log: quiet });
    expect(await db.rollups.status(orgId)).toMatchObject({ status: 'ok', error: null });
  });
});
