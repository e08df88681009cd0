import { minimalSnapshot, minimalWorkload, planBodySchema } from '@plumbline/contracts';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { BullMqJobQueue, BullMqWorkerHost } from './bullmq.js';
import { createJobHandlers } from './handlers/index.js';
import { ingestSnapshot } from './ingest.js';
import { emailJobId } from './mail/outbox.js';
import type { JobLogger } from './port.js';
import { analyzeJobId, planJobId, reanalyzeJobId, reconcileJobs } from './reconcile.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const quiet: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const limits = { maxDecompressedBytes: 8 * 1024 * 1024 };

/**
 * Issue 17.9 without killing anything (the fault suite does that with a private Redis): a scan
 * PostgreSQL shows queued whose job the queue does not have is queued again, once; a job that
 * is still waiting is left alone; the scan ends with exactly one result.
 */
describe('reconcileJobs (real PostgreSQL + Redis, own key prefix)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let orgId: string;
  const prefix = `plumbline-reconcile-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL);
  let queue: BullMqJobQueue;

  beforeAll(async () => {
    tdb = await createTestDatabase('reconcile');
    db = Database.connect(tdb.url, { poolSize: 4 });
    orgId = (await db.organizations.create({ name: 'Acme', slug: prefix })).id;
    queue = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix });
  });
  afterAll(async () => {
    await queue.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.close();
    await tdb.drop();
  });

  it('re-queues a lost job once, leaves a live one, and the scan gets one result', async () => {
    const stored = await ingestSnapshot(
      db,
      orgId,
      Buffer.from(JSON.stringify(minimalSnapshot('lost', { namespaces: ['a'] }))),
      limits,
    );
    const scanId = stored.scan.id;
    const later = new Date(Date.now() + 60_000);
    // Stored, never queued (the API died, or Redis lost it): the reconciler queues it.
    expect(await reconcileJobs(db, queue, quiet, { now: later })).toEqual({
      scans: 1,
      reanalyses: 0,
      reports: 0,
      plans: 0,
      emails: 0,
      alertDeliveries: 0,
      requeued: 1,
    });
    // Still waiting: nothing added twice.
    expect(await reconcileJobs(db, queue, quiet, { now: later })).toMatchObject({ requeued: 0 });
    const bull = new Queue('snapshot-analyze', { connection: redis, prefix });
    expect(await bull.getJobCounts('waiting')).toEqual({ waiting: 1 });
    expect((await bull.getJob(analyzeJobId(scanId)))?.id).toBe(analyzeJobId(scanId));
    // A job that finished while the database still waits (lost update): replaced.
    await bull.remove(analyzeJobId(scanId));
    expect(await reconcileJobs(db, queue, quiet, { now: later })).toMatchObject({ requeued: 1 });
    // Young rows are left to the request that is queuing them.
    expect(await reconcileJobs(db, queue, quiet)).toMatchObject({ scans: 0 });

    const host = new BullMqWorkerHost(
      { redisUrl: REDIS_URL, prefix, concurrency: 1 },
      createJobHandlers(db),
      quiet,
    );
    host.start();
    try {
      const until = Date.now() + 30_000;
      while ((await db.scans.get(orgId, scanId))?.status !== 'succeeded') {
        if (Date.now() > until) throw new Error('scan not analysed');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await host.close();
      await bull.close();
    }
    expect(await db.scans.getResult(orgId, scanId)).not.toBeNull();
    expect((await db.scans.get(orgId, scanId))?.attempts).toBe(1);
    expect(await reconcileJobs(db, queue, quiet, { now: later })).toMatchObject({ scans: 0 });
    // The race two workers met: the reconciler read the scan as unfinished, then the job
    // completed. The finished job is not replaced once the row, read again, is done.
    const payload = { organizationId: orgId, scanId };
    const rereads: string[] = [];
    await expect(
      queue.ensureEnqueued(
        'snapshot.analyze',
        payload,
        { jobId: analyzeJobId(scanId) },
        async () => {
          const status = (await db.scans.get(orgId, scanId))?.status ?? '';
          rereads.push(status);
          return status === 'queued' || status === 'running';
        },
      ),
    ).resolves.toBe('done');
    expect(rereads).toEqual(['succeeded']);
    const check = new Queue('snapshot-analyze', { connection: redis, prefix });
    try {
      expect(await check.getJobCounts('waiting', 'active', 'delayed')).toEqual({
        waiting: 0,
        active: 0,
        delayed: 0,
      });
      expect(await check.getJob(analyzeJobId(scanId)).then((j) => j?.getState())).toBe('completed');
    } finally {
      await check.close();
    }
  });

  it('a plan the queue lost is queued again once and computed by a BullMQ worker', async () => {
    const snap = minimalSnapshot('planned', { namespaces: ['shop'] });
    snap.workloads.push(
      minimalWorkload({ kind: 'Deployment', namespace: 'shop', name: 'web', image: 'shop/web:1' }),
    );
    const stored = await ingestSnapshot(db, orgId, Buffer.from(JSON.stringify(snap)), limits);
    const scanId = stored.scan.id;
    const host = new BullMqWorkerHost(
      { redisUrl: REDIS_URL, prefix, concurrency: 1 },
      createJobHandlers(db),
      quiet,
    );
    const later = () => new Date(Date.now() + 60_000);
    const until = (what: string, ok: () => Promise<boolean>) =>
      (async () => {
        const end = Date.now() + 30_000;
        while (!(await ok())) {
          if (Date.now() > end) throw new Error(what);
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
    host.start();
    const bull = new Queue('cluster-plan', { connection: redis, prefix });
    try {
      await reconcileJobs(db, queue, quiet, { now: later() });
      await until(
        'scan not analysed',
        async () => (await db.scans.get(orgId, scanId))?.status === 'succeeded',
      );
      // Stored, never queued: the API died between the row and the queue.
      await host.close();
      const plan = await db.plans.create(orgId, {
        clusterId: stored.scan.clusterId!,
        scanId,
        targetLevel: 1,
        targetPillar: null,
        requestedById: null,
      });
      expect(await reconcileJobs(db, queue, quiet, { now: later() })).toMatchObject({
        plans: 1,
        requeued: 1,
      });
      expect(await reconcileJobs(db, queue, quiet, { now: later() })).toMatchObject({
        requeued: 0,
      });
      expect((await bull.getJob(planJobId(plan.id)))?.id).toBe(planJobId(plan.id));
      const worker = new BullMqWorkerHost(
        { redisUrl: REDIS_URL, prefix, concurrency: 1 },
        createJobHandlers(db),
        quiet,
      );
      worker.start();
      try {
        await until('plan not computed', async () => {
          const p = await db.plans.get(orgId, plan.id);
          return p?.status !== 'queued' && p?.status !== 'running';
        });
      } finally {
        await worker.close();
      }
      const done = await db.plans.get(orgId, plan.id);
      expect(done?.status).toBe('ready');
      expect(planBodySchema.parse(done?.plan)).toMatchObject({
        reachable: true,
        target: { level: 1 },
      });
      expect(await reconcileJobs(db, queue, quiet, { now: later() })).toMatchObject({ plans: 0 });
    } finally {
      await host.close();
      await bull.close();
    }
  });

  it('re-queues a queued mail whose job was lost, once; a sent one never', async () => {
    const lost = await db.outbox.create({
      organizationId: orgId,
      to: 'ops@acme.test',
      kind: 'alert',
      subject: 'Lost mail',
      text: 'queued, never on the queue',
    });
    const done = await db.outbox.create({
      organizationId: orgId,
      to: 'ops@acme.test',
      kind: 'alert',
      subject: 'Sent mail',
      text: 'sent already',
    });
    await db.outbox.claim(done.id, 1000);
    await db.outbox.markSent(done.id, '<x@test>', false);
    const later = new Date(Date.now() + 5 * 60_000);
    // Young mails are left to the request that is queuing them.
    expect(await reconcileJobs(db, queue, quiet)).toMatchObject({ emails: 0 });
    expect(await reconcileJobs(db, queue, quiet, { now: later })).toMatchObject({
      emails: 1,
      requeued: 1,
    });
    expect(await reconcileJobs(db, queue, quiet, { now: later })).toMatchObject({ requeued: 0 });
    const bull = new Queue('email-send', { connection: redis, prefix });
    try {
      expect((await bull.getJob(emailJobId(lost.id)))?.data).toMatchObject({
        name: 'email.send',
        payload: { emailId: lost.id },
      });
      expect(await bull.getJobCounts('waiting')).toEqual({ waiting: 1 });
    } finally {
      await bull.close();
    }
  });

  it('a re-analysis whose job the queue lost is queued again, once, until a run that started after it is done', async () => {
    const stored = await ingestSnapshot(
      db,
      orgId,
      Buffer.from(JSON.stringify(minimalSnapshot('evidence-changed', { namespaces: ['r'] }))),
      limits,
    );
    const scanId = stored.scan.id;
    const scan = async () => (await db.scans.get(orgId, scanId))!;
    // Analysed once (as the worker does), then an evidence change asks for it again; the
    // queue loses the job (nothing is queued here).
    const run = await db.scans.markRunning(orgId, scanId, new Date(Date.now() - 120_000));
    await db.scans.completeWithResult(
      orgId,
      scanId,
      { methodologyVersion: '1', resultVersion: 1, body: { first: true } },
      { run: run! },
    );
    await db.scans.requestReanalysis(orgId, [scanId, 'not-a-uuid']);
    expect((await scan()).reanalyzeRequestedAt).not.toBeNull();
    // Another organisation cannot ask for this scan's re-analysis.
    const other = (await db.organizations.create({ name: 'Other', slug: `${prefix}-o` })).id;
    const stranger = await ingestSnapshot(
      db,
      other,
      Buffer.from(JSON.stringify(minimalSnapshot('stranger', { namespaces: ['s'] }))),
      limits,
    );
    const strangerRun = await db.scans.markRunning(other, stranger.scan.id);
    await db.scans.completeWithResult(
      other,
      stranger.scan.id,
      { methodologyVersion: '1', resultVersion: 1, body: {} },
      { run: strangerRun! },
    );
    await db.scans.requestReanalysis(orgId, [stranger.scan.id]);
    expect((await db.scans.get(other, stranger.scan.id))?.reanalyzeRequestedAt).toBeNull();
    // Within its grace it is left to the jobs the API queued.
    expect(await reconcileJobs(db, queue, quiet)).toMatchObject({ reanalyses: 0 });
    const later = new Date(Date.now() + 10 * 60_000);
    expect(await reconcileJobs(db, queue, quiet, { now: later })).toMatchObject({
      reanalyses: 1,
      requeued: 1,
    });
    expect(await reconcileJobs(db, queue, quiet, { now: later })).toMatchObject({ requeued: 0 });
    const bull = new Queue('snapshot-reanalyze', { connection: redis, prefix });
    const host = new BullMqWorkerHost(
      { redisUrl: REDIS_URL, prefix, concurrency: 1 },
      createJobHandlers(db),
      quiet,
    );
    try {
      expect((await bull.getJob(reanalyzeJobId(scanId)))?.data.payload ?? null).toBeTruthy();
      host.start();
      const until = Date.now() + 30_000;
      while ((await scan()).reanalyzeRequestedAt !== null) {
        if (Date.now() > until) throw new Error('re-analysis not done');
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await host.close();
      await bull.close();
    }
    // Done by the real analysis (the stand-in result replaced), the scan still succeeded.
    expect((await scan()).status).toBe('succeeded');
    expect(await db.scans.getResult(orgId, scanId)).not.toMatchObject({ result: { first: true } });
    expect(await reconcileJobs(db, queue, quiet, { now: later })).toMatchObject({ reanalyses: 0 });

    // A request made while a run is under way is not done by that run.
    const t0 = Date.now();
    const second = await db.scans.markRunning(orgId, scanId, new Date(t0));
    await db.scans.requestReanalysis(orgId, [scanId], new Date(t0 + 5));
    await db.scans.completeWithResult(
      orgId,
      scanId,
      { methodologyVersion: '1', resultVersion: 1, body: { second: true } },
      { run: second!, now: new Date(t0 + 10) },
    );
    expect((await scan()).reanalyzeRequestedAt).not.toBeNull();
    // A run that failed for good ends the request it was started for (not asked again)...
    const third = await db.scans.markRunning(orgId, scanId, new Date(t0 + 20));
    expect(third).not.toBeNull();
    await db.scans.markFailed(orgId, scanId, 'snapshot unreadable', new Date(t0 + 30));
    expect((await scan()).reanalyzeRequestedAt).toBeNull();
    expect((await scan()).status).toBe('succeeded');
    // ...but not one asked for after it started.
    await db.scans.markRunning(orgId, scanId, new Date(t0 + 40));
    await db.scans.requestReanalysis(orgId, [scanId], new Date(t0 + 45));
    await db.scans.markFailed(orgId, scanId, 'snapshot unreadable', new Date(t0 + 50));
    expect((await scan()).reanalyzeRequestedAt).not.toBeNull();
  });
});
