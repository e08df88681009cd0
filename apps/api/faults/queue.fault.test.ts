import type { INestApplication } from '@nestjs/common';
import { uploadSnapshot } from '@plumbline/collector';
import { loadEnv } from '@plumbline/config';
import { minimalSnapshot } from '@plumbline/contracts';
import { createTestDatabase, Database, queryTestDatabase, type TestDatabase } from '@plumbline/db';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Redis } from 'ioredis';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { generatedSnapshot, waitFor } from '../test/helpers.js';

/**
 * Fault suite (issue 17 items 9 and 10): PostgreSQL is the source of truth for queued work.
 * A PRIVATE redis-server (free port, no persistence) is killed and restarted empty while scans
 * are queued; the built worker is killed mid-run. The shared Redis is never touched.
 */

const ROOT = join(__dirname, '..', '..', '..');
const WORKER = join(ROOT, 'apps/worker/dist/main.js');

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** redis-server on `port`, no RDB, no AOF: killing it loses every job. */
class PrivateRedis {
  private proc: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'plumbline-faults-'));
  constructor(readonly port: number) {}
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    this.proc = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { cwd: this.dir, stdio: 'ignore' },
    );
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    await waitFor('private redis-server', async () => {
      try {
        if (probe.status !== 'ready') await probe.connect();
        return (await probe.ping()) === 'PONG';
      } catch {
        return false;
      }
    });
    probe.disconnect();
  }
  /** SIGKILL: no shutdown save, nothing survives. */
  async kill(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((r) => {
      p.once('exit', () => r());
      p.kill('SIGKILL');
    });
  }
  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The built worker as a child process (killed with SIGKILL to simulate a crash). */
class WorkerProcess {
  readonly output: string[] = [];
  private readonly proc: ChildProcess;
  constructor(env: Record<string, string>) {
    this.proc = spawn(process.execPath, [WORKER], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const s of [this.proc.stdout, this.proc.stderr])
      s?.on('data', (c: Buffer) => this.output.push(c.toString('utf8')));
  }
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    await new Promise<void>((r) => {
      this.proc.once('exit', () => r());
      this.proc.kill(signal);
    });
  }
}

interface ScanRow extends Record<string, unknown> {
  id: string;
  status: string;
  attempts: number;
  results: number;
}

describe('fault suite: Redis and the worker die mid-run (private redis-server, built worker)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let redis: PrivateRedis;
  let app: INestApplication;
  let token: string;
  let orgId: string;
  const prefix = `faults-${randomUUID().slice(0, 8)}`;
  const workers: WorkerProcess[] = [];

  const workerEnv = (): Record<string, string> => ({
    DATABASE_URL: tdb.url,
    DATABASE_POOL_SIZE: '4',
    REDIS_URL: redis.url,
    QUEUE_PREFIX: prefix,
    WORKER_CONCURRENCY: '1',
    WORKER_JOB_LOCK_MS: '3000',
    WORKER_RECONCILE_INTERVAL_MS: '3000',
    WORKER_HEARTBEAT_INTERVAL_MS: '2000',
    SHUTDOWN_GRACE_MS: '1000',
  });
  const scans = () =>
    queryTestDatabase<ScanRow>(
      tdb.url,
      `SELECT s.id, s.status::text AS status, s.attempts,
              (SELECT count(*)::int FROM "AnalysisResult" r WHERE r."scanId" = s.id) AS results
         FROM "Scan" s WHERE s."organizationId" = $1::uuid ORDER BY s."createdAt"`,
      [orgId],
    );
  const upload = (body: Buffer) =>
    request(app.getHttpServer())
      .post('/v1/snapshots')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize((b: unknown) => b as string)
      .send(body);

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort());
    await redis.start();
    tdb = await createTestDatabase('faults');
    db = Database.connect(tdb.url, { poolSize: 2 });
    orgId = (await db.organizations.create({ name: 'Faults', slug: prefix })).id;
    token = (await db.scannerTokens.create(orgId, { name: 'ci' })).token;
    app = await createApp(
      loadEnv('api', {
        DATABASE_URL: tdb.url,
        REDIS_URL: redis.url,
        QUEUE_PREFIX: prefix,
        LOG_LEVEL: 'silent',
      }),
      pino({ level: 'silent' }),
    );
    await app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    for (const w of workers) await w.kill();
    await app?.close();
    await db?.close();
    await tdb?.drop();
    await redis?.stop();
  });

  it('Redis killed without persistence with 10 scans queued: all 10 finish exactly once within 2 minutes of its return', async () => {
    const worker = new WorkerProcess(workerEnv());
    workers.push(worker);
    const bodies = Array.from({ length: 10 }, (_, i) =>
      gzipSync(
        JSON.stringify(
          generatedSnapshot(`redis-fault-${i}`, '2026-06-01T00:00:00Z', { pods: 250 }),
        ),
      ),
    );
    // A queue of 10 while the worker runs (one at a time).
    const answers = await Promise.all(bodies.map((b) => upload(b)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(202));
    await redis.kill();
    const pendingAtKill = (await scans()).filter((s) => s.status !== 'succeeded').length;
    expect(pendingAtKill).toBeGreaterThan(0);

    // During the outage: an upload answers 503 + Retry-After at once (the scan is stored).
    const started = Date.now();
    const during = await upload(
      gzipSync(JSON.stringify(minimalSnapshot('during-outage', { namespaces: ['a'] }))),
    );
    expect(Date.now() - started).toBeLessThanOrEqual(2000);
    expect(during.status).toBe(503);
    expect(during.headers['retry-after']).toMatch(/^\d+$/);

    // The scanner's upload client retries with back-off through the outage.
    const client = uploadSnapshot(
      Buffer.from(JSON.stringify(minimalSnapshot('client-retry', { namespaces: ['b'] }))),
      {
        url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/v1/snapshots`,
        token,
        maxAttempts: 8,
        baseDelayMs: 500,
        maxDelayMs: 2000,
      },
    );
    await new Promise((r) => setTimeout(r, 1500));
    await redis.start(); // empty: every job is gone
    const back = Date.now();
    const uploaded = await client;
    expect(uploaded.attempts).toBeGreaterThan(1);

    const done = await waitFor(
      'every scan analysed after Redis returned',
      async () => {
        const rows = await scans();
        return rows.length === 12 && rows.every((s) => s.status === 'succeeded') ? rows : null;
      },
      120_000,
    );
    expect(Date.now() - back).toBeLessThan(120_000);
    // Exactly one result per scan.
    expect(done.map((s) => s.results)).toEqual(Array(12).fill(1));
  });

  it('a duplicate upload of a scan whose job was lost queues it again', async () => {
    for (const w of workers.splice(0)) await w.kill();
    const body = gzipSync(JSON.stringify(minimalSnapshot('lost-job', { namespaces: ['c'] })));
    const first = await upload(body);
    expect(first.status).toBe(202);
    await redis.kill();
    await redis.start(); // the job is gone; no worker runs, so no reconciler either
    const again = await waitFor('the duplicate answered', async () => {
      const r = await upload(body);
      return r.status === 200 ? r : null;
    });
    expect(again.body).toMatchObject({ scanId: first.body.scanId, duplicate: true });
    const probe = new Redis(redis.url);
    try {
      const keys = await probe.keys(`${prefix}:snapshot-analyze:analyze-${first.body.scanId}`);
      expect(keys).toHaveLength(1);
    } finally {
      probe.disconnect();
    }
  });

  it('the worker killed mid-run: another worker finishes the work, one result per scan', async () => {
    const first = new WorkerProcess(workerEnv());
    workers.push(first);
    const bodies = Array.from({ length: 3 }, (_, i) =>
      gzipSync(
        JSON.stringify(
          generatedSnapshot(`worker-fault-${i}`, '2026-07-01T00:00:00Z', { pods: 800 }),
        ),
      ),
    );
    const answers = await Promise.all(bodies.map((b) => upload(b)));
    expect(answers.map((a) => a.status)).toEqual(Array(3).fill(202));
    const ids = new Set(answers.map((a) => a.body.scanId as string));
    await waitFor('a scan running', async () =>
      (await scans()).some((s) => ids.has(s.id) && s.status === 'running'),
    );
    await first.kill('SIGKILL');
    const second = new WorkerProcess(workerEnv());
    workers.push(second);
    const rows = await waitFor(
      'the killed worker’s work finished',
      async () => {
        const all = await scans();
        return all.every((s) => s.status === 'succeeded') ? all : null;
      },
      120_000,
    );
    expect(rows.map((s) => s.results)).toEqual(Array(rows.length).fill(1));
  });
});
