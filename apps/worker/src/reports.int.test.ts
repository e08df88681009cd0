import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { BullMqJobQueue, readHeartbeats, REPORTS_NOT_CONFIGURED } from '@plumbline/jobs';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { healthcheck, loadWorkerEnv, startWorker } from './boot.js';

/**
 * A worker that cannot print PDFs says so at start (heartbeat, exec health check) and fails
 * report.render jobs at once with the reason, in words, on the report: never a hang, never
 * retries. (Printing itself is tested through the real job path in apps/api/e2e.)
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, ms = 30_000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('worker without a usable browser (real Redis + PostgreSQL)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let orgId: string;
  let reportDir: string;
  const redis = new Redis(REDIS_URL);
  const prefixes: string[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase('worker_reports');
    db = Database.connect(tdb.url, { poolSize: 2 });
    orgId = (await db.organizations.create({ name: 'Print Co', slug: 'print-co' })).id;
    reportDir = mkdtempSync(join(tmpdir(), 'plumbline-report-dist-'));
    writeFileSync(join(reportDir, 'report.html'), '<!doctype html><p>report</p>');
  });
  afterAll(async () => {
    for (const p of prefixes) {
      const keys = await redis.keys(`${p}:*`);
      if (keys.length) await redis.del(...keys);
    }
    redis.disconnect();
    await db.close();
    await tdb.drop();
    rmSync(reportDir, { recursive: true, force: true });
  });

  async function run(extra: Record<string, string>, expected: string) {
    const prefix = `plumbline-wr-${randomUUID().slice(0, 8)}`;
    prefixes.push(prefix);
    const env = loadWorkerEnv({
      DATABASE_URL: tdb.url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      WORKER_HEARTBEAT_INTERVAL_MS: '500',
      LOG_LEVEL: 'silent',
      ...extra,
    });
    const ctx = await startWorker(env, pino({ level: 'silent' }));
    const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix });
    try {
      // Known from the start: in the heartbeat and in the exec health check's output.
      const [beat] = await readHeartbeats(redis, prefix);
      expect(beat?.reports).toEqual({ ready: false, detail: expected });
      const lines: string[] = [];
      // Degraded, not unhealthy: every other job still runs, and a restart installs no browser.
      expect(await healthcheck(env, (l) => lines.push(l))).toBe(0);
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({
        healthy: true,
        reports: { status: 'degraded', detail: expected },
      });

      const row = await db.reports.create(orgId, {
        clusterId: null,
        paperSize: 'A4',
        requestedById: null,
      });
      const { id } = await queue.enqueue('report.render', {
        organizationId: orgId,
        reportId: row.id,
      });
      const failed = await waitFor(async () => {
        const r = await db.reports.get(orgId, row.id);
        return r?.status === 'failed' ? r : null;
      });
      expect(failed.error).toBe(
        expected === REPORTS_NOT_CONFIGURED ? expected : `cannot render PDFs: ${expected}`,
      );
      expect(failed.pageCount).toBeNull();
      expect(await db.reports.pdf(orgId, row.id)).toBeNull();
      // Failed fast: one attempt, no retries (BullMQ keeps attemptsMade in the job's hash).
      expect(await redis.hget(`${prefix}:report-render:${id}`, 'atm')).toBe('1');
    } finally {
      await queue.close();
      await ctx.close();
    }
  }

  it('Chromium missing: named at start, and the job fails at once with how to fix it', async () => {
    await run(
      { REPORT_DIST_DIR: reportDir, CHROMIUM_PATH: '/nonexistent/chromium' },
      'Chromium not found at /nonexistent/chromium: install it (apt-get install chromium fonts-dejavu-core) or set CHROMIUM_PATH to its executable',
    );
  });

  it('report page not configured: the job fails at once saying which setting is missing', async () => {
    await run({}, REPORTS_NOT_CONFIGURED);
  });
});
