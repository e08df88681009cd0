import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import { minimalSnapshot } from '@plumbline/contracts';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import {
  ALERTS_TICK,
  BullMqWorkerHost,
  createJobHandlers,
  writeHeartbeat,
  type JobLogger,
  type JobQueue,
} from '@plumbline/jobs';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import { gzipSync } from 'node:zlib';
import { createApp } from './app.js';
import { JOB_QUEUE } from './common/tokens.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const silent = pino({ level: 'silent' });
const quiet: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

const snapshot = (name: string, extra: Record<string, unknown> = {}) => ({
  ...minimalSnapshot(name, { namespaces: ['shop', 'payments', 'monitoring'] }),
  ...extra,
});

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

describe('API with Redis queue (real PostgreSQL + Redis)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;
  let token: string;
  let orgId: string;
  const prefix = `plumbline-api-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL);

  beforeAll(async () => {
    tdb = await createTestDatabase('api');
    db = Database.connect(tdb.url, { poolSize: 4 });
    orgId = (await db.organizations.create({ name: 'Acme', slug: `acme-${prefix}` })).id;
    token = (await db.scannerTokens.create(orgId, { name: 'ci' })).token;
    const env = loadEnv('api', {
      DATABASE_URL: tdb.url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'silent',
    });
    app = await createApp(env, silent);
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.close();
    await tdb.drop();
  });

  it('GET /healthz answers with the version and a request id', async () => {
    const res = await request(app.getHttpServer()).get('/healthz').set('X-Request-Id', 'abc-123');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(res.headers['x-request-id']).toBe('abc-123');
  });

  it('GET /readyz is 503 while no worker heartbeat exists, 200 once one does', async () => {
    const before = await request(app.getHttpServer()).get('/readyz');
    expect(before.status).toBe(503);
    expect(before.body).toMatchObject({
      status: 'down',
      queueMode: 'redis',
      checks: {
        database: { status: 'ok' },
        redis: { status: 'ok' },
        worker: { status: 'down', detail: expect.stringMatching(/no worker heartbeat/) },
      },
    });
    await writeHeartbeat(redis, prefix, {
      workerId: 'test-worker',
      hostname: 'test',
      pid: process.pid,
      startedAt: new Date().toISOString(),
      at: new Date().toISOString(),
      queues: ['snapshot-analyze'],
      version: '0.1.0',
    });
    const after = await request(app.getHttpServer()).get('/readyz');
    expect(after.status).toBe(200);
    expect(after.body.checks.worker.detail).toMatch(/1 worker\(s\) alive/);
    expect(after.body.checks.rollups).toMatchObject({ status: 'ok' });
  });

  it('GET /readyz says how many organisations’ roll-up is failing, naming none; still 200', async () => {
    const org = await db.organizations.create({ name: 'Frozen Org', slug: 'frozen-org' });
    await db.rollups.markFailed(org.id, 'a stored input could not be read');
    const res = await request(app.getHttpServer()).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks.rollups).toMatchObject({
      status: 'degraded',
      detail: expect.stringMatching(/^1 organisation\(s\) whose last roll-up failed/),
    });
    expect(JSON.stringify(res.body)).not.toContain(org.id);
    expect(JSON.stringify(res.body)).not.toContain('Frozen');
    // A roll-up that succeeds clears it.
    await db.rollups.saveWithViews(
      org.id,
      'x',
      {},
      { overview: null, agents: null, actions: null },
    );
    expect((await request(app.getHttpServer()).get('/readyz')).body.checks.rollups.status).toBe(
      'ok',
    );
  });

  it('one job flows API -> Redis -> worker -> PostgreSQL', async () => {
    const host = new BullMqWorkerHost(
      { redisUrl: REDIS_URL, prefix, concurrency: 1 },
      createJobHandlers(db),
      quiet,
    );
    host.start();
    try {
      const body = gzipSync(Buffer.from(JSON.stringify(snapshot('prod-eu'))));
      const res = await request(app.getHttpServer())
        .post('/v1/snapshots')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .serialize((b: unknown) => b as string) // send the gzip bytes as they are
        .send(body);
      expect(res.body).toMatchObject({ status: 'queued', duplicate: false });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ status: 'queued', duplicate: false });
      const scanId = res.body.scanId as string;
      const scan = await waitFor(async () => {
        const s = await db.scans.get(orgId, scanId);
        return s?.status === 'succeeded' ? s : null;
      });
      expect(scan.finishedAt).not.toBeNull();
      const result = await db.scans.getResult(orgId, scanId);
      expect(result?.result).toMatchObject({
        steps: { inventory: { totalObjects: 3, resourceCounts: { namespaces: 3, workloads: 0 } } },
      });

      // Same bytes again: idempotent, the original scan is returned, nothing new is queued.
      const again = await request(app.getHttpServer())
        .post('/v1/snapshots')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .serialize((b: unknown) => b as string) // send the gzip bytes as they are
        .send(body);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ scanId, duplicate: true, status: 'succeeded' });
    } finally {
      await host.close();
    }
  });

  describe('bad input gets a 4xx with a reason and writes nothing', () => {
    const cases: Array<[string, (r: request.Test) => request.Test, number, RegExp]> = [
      [
        'no token',
        (r) => r.set('Content-Type', 'application/json').send('{}'),
        401,
        /missing scanner token/,
      ],
      [
        'unknown token',
        (r) =>
          r
            .set('Authorization', 'Bearer plb_nope')
            .set('Content-Type', 'application/json')
            .send('{}'),
        401,
        /invalid, revoked or expired/,
      ],
      [
        'not gzip',
        (r) =>
          r
            .set('Content-Type', 'application/json')
            .set('Content-Encoding', 'gzip')
            .serialize((b: unknown) => b as string)
            .send(Buffer.from('plain text')),
        400,
        /not valid gzip/,
      ],
      [
        'invalid JSON',
        (r) => r.set('Content-Type', 'application/json').send('{"schemaVersion": 1,'),
        400,
        /not valid JSON/,
      ],
      [
        'wrong media type',
        (r) => r.set('Content-Type', 'text/plain').send('hello'),
        415,
        /application\/json/,
      ],
      [
        'wrong schema version',
        (r) =>
          r
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(snapshot('x', { schemaVersion: 9 }))),
        422,
        /contract/,
      ],
    ];
    it.each(cases)('%s', async (_name, build, status, message) => {
      const before = await db.scans.get(orgId, randomUUID());
      expect(before).toBeNull();
      let r = request(app.getHttpServer()).post('/v1/snapshots');
      if (_name !== 'no token' && _name !== 'unknown token')
        r = r.set('Authorization', `Bearer ${token}`);
      const res = await build(r);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toMatch(message);
      expect(res.body.error.requestId).toEqual(expect.any(String));
      const clusters = await db.clusters.list(orgId);
      expect(clusters.map((c) => c.name)).toEqual(['prod-eu']);
    });

    it('lists the contract problems', async () => {
      const res = await request(app.getHttpServer())
        .post('/v1/snapshots')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ schemaVersion: 1 }));
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^cluster:/),
          expect.stringMatching(/^scanner:/),
        ]),
      );
    });

    it('an expired token is refused', async () => {
      const t = await db.scannerTokens.create(orgId, {
        name: 'old',
        expiresAt: new Date(Date.now() - 1000),
      });
      const res = await request(app.getHttpServer())
        .post('/v1/snapshots')
        .set('Authorization', `Bearer ${t.token}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(snapshot('expired')));
      expect(res.status).toBe(401);
      expect(res.body.error.message).toMatch(/invalid, revoked or expired/);
    });

    it('a revoked token is refused', async () => {
      const t = await db.scannerTokens.create(orgId, { name: 'old' });
      await db.scannerTokens.revoke(orgId, t.record.id);
      const res = await request(app.getHttpServer())
        .post('/v1/snapshots')
        .set('Authorization', `Bearer ${t.token}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(snapshot('revoked')));
      expect(res.status).toBe(401);
    });

    it('unknown routes get the same error shape', async () => {
      const res = await request(app.getHttpServer()).get('/v1/nope');
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({
        code: 'not_found',
        message: 'no route for GET /v1/nope',
      });
    });

    it('the API stays healthy afterwards', async () => {
      expect((await request(app.getHttpServer()).get('/healthz')).status).toBe(200);
    });
  });
});

describe('API without Redis (in-process jobs)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;

  beforeAll(async () => {
    tdb = await createTestDatabase('api_inproc');
    db = Database.connect(tdb.url, { poolSize: 2 });
    app = await createApp(loadEnv('api', { DATABASE_URL: tdb.url, LOG_LEVEL: 'silent' }), silent);
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await tdb.drop();
  });

  it('readiness says the jobs run in-process, and a job still completes', async () => {
    const ready = await request(app.getHttpServer()).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'degraded',
      queueMode: 'in-process',
      checks: {
        redis: { status: 'degraded' },
        worker: { status: 'ok', detail: expect.stringMatching(/in-process/) },
      },
    });
    const org = await db.organizations.create({ name: 'Solo', slug: 'solo' });
    const { token } = await db.scannerTokens.create(org.id, { name: 'local' });
    const res = await request(app.getHttpServer())
      .post('/v1/snapshots')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(snapshot('laptop')));
    expect(res.status).toBe(202);
    await waitFor(
      async () => (await db.scans.get(org.id, res.body.scanId))?.status === 'succeeded',
    );
  });

  it('keeps the alerts tick (scheduled reports, silent scanners) on its own timer', async () => {
    const queue = app.get<JobQueue>(JOB_QUEUE);
    await expect(queue.schedules('alerts.tick')).resolves.toEqual([
      { key: ALERTS_TICK.key, everyMs: ALERTS_TICK.everyMs },
    ]);
  });
});
