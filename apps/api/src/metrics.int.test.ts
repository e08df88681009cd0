import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import { minimalSnapshot } from '@plumbline/contracts';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { BullMqWorkerHost, createJobHandlers, BullMqJobQueue } from '@plumbline/jobs';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { createApp } from './app.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const silent = pino({ level: 'silent' });
const METRICS_TOKEN = 'test-metrics-token-0123456789';

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

/** Value of one sample line of the Prometheus text format, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics with in-process jobs', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;

  beforeAll(async () => {
    tdb = await createTestDatabase('metrics_inproc');
    db = Database.connect(tdb.url, { poolSize: 2 });
    app = await createApp(loadEnv('api', { DATABASE_URL: tdb.url, LOG_LEVEL: 'silent' }), silent);
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await tdb.drop();
  });

  it('labels HTTP durations by route template, never by raw path, and counts in-process jobs', async () => {
    const orgId = randomUUID();
    const server = app.getHttpServer();
    expect((await request(server).get(`/v1/orgs/${orgId}/clusters`)).status).toBe(401);
    expect((await request(server).get(`/v1/nothing/${orgId}`)).status).toBe(404);
    const org = await db.organizations.create({ name: 'M', slug: 'm' });
    const { token } = await db.scannerTokens.create(org.id, { name: 'ci' });
    const up = await request(server)
      .post('/v1/snapshots')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(minimalSnapshot('m1', { namespaces: ['a'] })));
    expect(up.status).toBe(202);
    await waitFor(async () => (await db.scans.get(org.id, up.body.scanId))?.status === 'succeeded');

    const res = await request(server).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const text = res.text;
    expect(
      sample(
        text,
        'plumbline_http_request_duration_seconds_count{method="GET",route="/v1/orgs/:orgId/clusters",status="401"}',
      ),
    ).toBe(1);
    expect(
      sample(
        text,
        'plumbline_http_request_duration_seconds_count{method="POST",route="/v1/snapshots",status="202"}',
      ),
    ).toBe(1);
    expect(
      sample(
        text,
        'plumbline_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}',
      ),
    ).toBe(1);
    expect(text).not.toContain(orgId);
    expect(text).not.toContain(org.id);
    // Jobs ran in this process: counted; queue depth read from the in-process queue.
    await waitFor(async () => {
      const t = (await request(server).get('/metrics')).text;
      return sample(t, 'plumbline_job_runs_total{job="org.rollup",outcome="completed"}') === 1;
    });
    const after = (await request(server).get('/metrics')).text;
    expect(
      sample(after, 'plumbline_job_runs_total{job="snapshot.analyze",outcome="completed"}'),
    ).toBe(1);
    expect(
      sample(
        after,
        'plumbline_job_duration_seconds_count{job="snapshot.analyze",outcome="completed"}',
      ),
    ).toBe(1);
    expect(sample(after, 'plumbline_queue_jobs{queue="snapshot-analyze",state="waiting"}')).toBe(0);
    expect(sample(after, 'plumbline_queue_up')).toBe(1);
    expect(after).toMatch(/^process_cpu_user_seconds_total /m);
  });
});

describe('/metrics with Redis, a metrics token, and request ids into job logs', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;
  const prefix = `plumbline-metrics-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL);

  beforeAll(async () => {
    tdb = await createTestDatabase('metrics_redis');
    db = Database.connect(tdb.url, { poolSize: 2 });
    const env = loadEnv('api', {
      DATABASE_URL: tdb.url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      METRICS_TOKEN,
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

  it('needs the bearer token when METRICS_TOKEN is set', async () => {
    const server = app.getHttpServer();
    const none = await request(server).get('/metrics');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthenticated');
    expect(none.text).not.toContain('plumbline_');
    const wrong = await request(server)
      .get('/metrics')
      .set('Authorization', 'Bearer not-the-token-at-all-xx');
    expect(wrong.status).toBe(401);
    const ok = await request(server)
      .get('/metrics')
      .set('Authorization', `Bearer ${METRICS_TOKEN}`);
    expect(ok.status).toBe(200);
    // The API does not run jobs here: no job metrics, but the queue depth is read from Redis.
    expect(ok.text).not.toContain('plumbline_job_runs_total');
    expect(sample(ok.text, 'plumbline_queue_up')).toBe(1);
  });

  it('reads queue depth from Redis at scrape time', async () => {
    const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix });
    try {
      await queue.enqueue('report.render', { organizationId: 'o', reportId: 'r' });
      const text = (
        await request(app.getHttpServer())
          .get('/metrics')
          .set('Authorization', `Bearer ${METRICS_TOKEN}`)
      ).text;
      expect(sample(text, 'plumbline_queue_jobs{queue="report-render",state="waiting"}')).toBe(1);
      expect(sample(text, 'plumbline_queue_jobs{queue="report-render",state="failed"}')).toBe(0);
    } finally {
      await queue.close();
    }
  });

  it('a request id sent with an upload is on the worker log lines of the jobs it caused', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString('utf8').split('\n'))
          if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    const workerLog = pino({ level: 'info' }, sink);
    // The worker app's wiring: follow-up jobs go back through Redis with the same request id.
    const producer = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix });
    const host = new BullMqWorkerHost(
      { redisUrl: REDIS_URL, prefix, concurrency: 1 },
      createJobHandlers(db, async (name, payload, requestId) => {
        await producer.enqueue(name, payload, { requestId });
      }),
      workerLog.child({ component: 'jobs' }),
    );
    host.start();
    try {
      const org = await db.organizations.create({ name: 'R', slug: 'r' });
      const { token } = await db.scannerTokens.create(org.id, { name: 'ci' });
      const res = await request(app.getHttpServer())
        .post('/v1/snapshots')
        .set('Authorization', `Bearer ${token}`)
        .set('X-Request-Id', 'trace-upload-7f3a')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(minimalSnapshot('traced', { namespaces: ['a'] })));
      expect(res.status).toBe(202);
      expect(res.headers['x-request-id']).toBe('trace-upload-7f3a');
      await waitFor(async () =>
        lines.some((l) => l.msg === 'job completed' && l.job === 'org.rollup'),
      );
      const mine = (msg: string, job: string) => lines.find((l) => l.msg === msg && l.job === job);
      expect(mine('scan analysed', 'snapshot.analyze')).toMatchObject({
        requestId: 'trace-upload-7f3a',
        scanId: res.body.scanId,
      });
      expect(mine('job completed', 'snapshot.analyze')).toMatchObject({
        requestId: 'trace-upload-7f3a',
      });
      expect(mine('job completed', 'org.rollup')).toMatchObject({
        requestId: 'trace-upload-7f3a',
      });
    } finally {
      await host.close();
      await producer.close();
    }
  });
});
