/**
 * The built worker as a real process, stopped with SIGTERM while a job runs: with a long grace
 * period the job finishes before the process exits (code 0); with a short one the job goes back
 * to the queue at once and a second worker completes it. Either way nothing is lost.
 *
 * The job is a `snapshot.reanalyze` over many small scans: it awaits the database between
 * scans, so it is in flight for a while without blocking the event loop (a single huge analysis
 * would hold the loop, and with it the signal handler, until it ends).
 */
import { minimalSnapshot } from '@plumbline/contracts';
import { createTestDatabase, Database, queryTestDatabase, type TestDatabase } from '@plumbline/db';
import { BullMqJobQueue } from '@plumbline/jobs';
import { Redis } from 'ioredis';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = resolve(__dirname, '../../..');
const WORKER = join(root, 'apps/worker/dist/main.js');
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SCANS = 400;

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 120_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

type LogLine = Record<string, unknown>;

describe('worker process: SIGTERM (graceful shutdown)', () => {
  let tdb: TestDatabase;
  let db: Database;
  const prefix = `plumbline-stop-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL);
  const children: ChildProcess[] = [];

  /** The built worker; its JSON log lines are collected in `logs`. */
  function startWorker(queuePrefix: string, graceMs: number, logs: LogLine[]): ChildProcess {
    const child = spawn(process.execPath, [WORKER], {
      env: {
        ...process.env,
        DATABASE_URL: tdb.url,
        REDIS_URL,
        QUEUE_PREFIX: queuePrefix,
        WORKER_CONCURRENCY: '1',
        SHUTDOWN_GRACE_MS: String(graceMs),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim()) logs.push(JSON.parse(line) as LogLine);
      }
    });
    children.push(child);
    return child;
  }

  const exited = (child: ChildProcess) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => {
      if (child.exitCode !== null || child.signalCode !== null)
        r({ code: child.exitCode, signal: child.signalCode });
      else child.once('exit', (code, signal) => r({ code, signal }));
    });

  /** An organisation with SCANS small stored scans (not analysed yet). */
  async function organisationWithScans(slug: string): Promise<[string, string[]]> {
    const orgId = (await db.organizations.create({ name: slug, slug })).id;
    const ids: string[] = [];
    for (let i = 0; i < SCANS; i++) {
      const raw = Buffer.from(
        JSON.stringify(minimalSnapshot(`c-${i % 4}`, { namespaces: [`ns-${i}`] })),
      );
      const { scan } = await db.scans.storeSnapshot(orgId, {
        clusterExternalId: `c-${i % 4}`,
        clusterName: `c-${i % 4}`,
        contentHash: createHash('sha256').update(raw).digest('hex'),
        schemaVersion: 1,
        gzip: new Uint8Array(gzipSync(raw)),
        rawBytes: raw.length,
      });
      ids.push(scan.id);
    }
    return [orgId, ids];
  }

  const succeeded = async (orgId: string) =>
    Number(
      (
        await queryTestDatabase<{ n: string }>(
          tdb.url,
          `SELECT count(*)::text AS n FROM "Scan" WHERE "organizationId" = $1::uuid
             AND status = 'succeeded'`,
          [orgId],
        )
      )[0]!.n,
    );
  const results = async (orgId: string) =>
    Number(
      (
        await queryTestDatabase<{ n: string }>(
          tdb.url,
          `SELECT count(*)::text AS n FROM "AnalysisResult" WHERE "organizationId" = $1::uuid`,
          [orgId],
        )
      )[0]!.n,
    );

  beforeAll(async () => {
    if (!existsSync(WORKER))
      throw new Error(`${WORKER} is missing: build first (turbo runs the builds before test:e2e)`);
    tdb = await createTestDatabase('worker_stop');
    db = Database.connect(tdb.url, { poolSize: 2 });
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.close();
    await tdb.drop();
  });

  it('a job in flight finishes before the worker exits with code 0', async () => {
    const [orgId, scanIds] = await organisationWithScans('graceful');
    const own = `${prefix}-graceful`;
    const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix: own });
    const logs: LogLine[] = [];
    try {
      const worker = startWorker(own, 120_000, logs);
      await waitFor('the worker to start', async () =>
        logs.some((l) => l.msg === 'worker started'),
      );
      await queue.enqueue('snapshot.reanalyze', { organizationId: orgId, scanIds });
      await waitFor('the job to be under way', async () => (await succeeded(orgId)) > 0);
      worker.kill('SIGTERM');
      expect(await exited(worker)).toEqual({ code: 0, signal: null });
      const stopping = logs.find((l) => l.msg === 'worker stopping');
      expect(stopping).toMatchObject({ signal: 'SIGTERM', inFlight: 1 });
      expect(logs.find((l) => l.msg === 'queue workers closed')).toMatchObject({
        finished: 1,
        returned: 0,
      });
      // The job completed after the signal: every scan analysed once.
      const completed = logs.findIndex(
        (l) => l.msg === 'job completed' && l.job === 'snapshot.reanalyze',
      );
      expect(completed).toBeGreaterThan(logs.indexOf(stopping!));
      expect(await succeeded(orgId)).toBe(SCANS);
      expect(await results(orgId)).toBe(SCANS);
      expect((await queue.depth())['snapshot.reanalyze']).toEqual({
        waiting: 0,
        active: 0,
        delayed: 0,
        failed: 0,
      });
      // Its heartbeat left with it.
      expect(await redis.keys(`${own}:*heartbeat*`)).toEqual([]);
    } finally {
      await queue.close();
    }
  });

  it('a job still running after the grace period returns to the queue; a second worker completes it, nothing lost', async () => {
    const [orgId, scanIds] = await organisationWithScans('handed-back');
    const own = `${prefix}-handed`;
    const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix: own });
    const logs: LogLine[] = [];
    try {
      const first = startWorker(own, 1000, logs);
      await waitFor('the worker to start', async () =>
        logs.some((l) => l.msg === 'worker started'),
      );
      await queue.enqueue('snapshot.reanalyze', { organizationId: orgId, scanIds });
      await waitFor('the job to be under way', async () => (await succeeded(orgId)) > 0);
      first.kill('SIGTERM');
      expect(await exited(first)).toEqual({ code: 0, signal: null });
      expect(logs.find((l) => l.msg === 'queue workers closed')).toMatchObject({
        finished: 0,
        returned: 1,
      });
      // Back in the queue at once (not after its lock expires), unfinished.
      expect((await queue.depth())['snapshot.reanalyze']).toMatchObject({
        waiting: 1,
        active: 0,
      });
      expect(await succeeded(orgId)).toBeLessThan(SCANS);

      const second: LogLine[] = [];
      startWorker(own, 120_000, second);
      await waitFor('the second worker to complete the job', async () =>
        second.some((l) => l.msg === 'job completed' && l.job === 'snapshot.reanalyze'),
      );
      expect(await succeeded(orgId)).toBe(SCANS);
      expect(await results(orgId)).toBe(SCANS);
      await waitFor('the queue to empty', async () => {
        const d = (await queue.depth())['snapshot.reanalyze'];
        return d.waiting + d.active + d.delayed + d.failed === 0;
      });
    } finally {
      await queue.close();
    }
  });
});
