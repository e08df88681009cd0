/**
 * Alerts through the API on real PostgreSQL and Redis, with a real HTTP receiver: a webhook
 * channel answers its Standard Webhooks secret once (sealed at rest, never listed or logged);
 * "send test" goes API -> Redis -> alert.deliver -> the receiver, which verifies the signature;
 * the delivery log pages with a cursor; bad input and private/metadata URLs are 4xx with reasons
 * and write nothing; rules list every kind with defaults; report schedules; another
 * organisation sees nothing.
 */
import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import { createTestDatabase, Database, queryTestDatabase, type TestDatabase } from '@plumbline/db';
import {
  agentlessSettings,
  BullMqJobQueue,
  BullMqWorkerHost,
  createJobHandlers,
  verifyWebhook,
  type JobLogger,
} from '@plumbline/jobs';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { signup, waitFor, type Session } from '../test/helpers.js';
import { createApp } from './app.js';

jest.setTimeout(60_000);

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEY = Buffer.alloc(32, 9).toString('base64'); // obviously fake

const seen: string[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _enc, done) {
    seen.push(chunk.toString('utf8'));
    done();
  },
});
const jobLog: JobLogger = {
  info: (o, m) => seen.push(JSON.stringify({ ...o, m })),
  warn: (o, m) => seen.push(JSON.stringify({ ...o, m })),
  error: (o, m) => seen.push(JSON.stringify({ ...o, m })),
};

describe('alerts API (real PostgreSQL + Redis + HTTP receiver)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;
  let producer: BullMqJobQueue;
  let worker: BullMqWorkerHost;
  let admin: Session;
  let other: Session;
  let server: Server;
  let hookUrl: string;
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const prefix = `plumbline-alerts-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL);
  const secrets: string[] = [];

  const http = () => request(app.getHttpServer());
  const as = (s: Session) => ({
    get: (path: string) => http().get(path).set('Cookie', s.cookie),
    post: (path: string, body?: object | string) =>
      http()
        .post(path)
        .set('Cookie', s.cookie)
        .set('X-CSRF-Token', s.csrf)
        .set('Content-Type', 'application/json')
        .send(body ?? {}),
    patch: (path: string, body: object) =>
      http().patch(path).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send(body),
    put: (path: string, body: object) =>
      http().put(path).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send(body),
    delete: (path: string) =>
      http().delete(path).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf),
  });
  const org = (s: Session = admin) => `/v1/orgs/${s.orgId}`;

  beforeAll(async () => {
    tdb = await createTestDatabase('alerts_api');
    db = Database.connect(tdb.url, { poolSize: 4 });
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/plumbline`;
    const env = loadEnv('api', {
      DATABASE_URL: tdb.url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'info',
      PLUMBLINE_ENCRYPTION_KEY: KEY,
      // The test-only allowance for the loopback receiver (empty by default).
      AGENTLESS_ALLOWED_CIDRS: '127.0.0.1/32',
    });
    const settings = agentlessSettings(env, 'test');
    app = await createApp(env, pino({ level: 'info' }, logStream), { agentless: settings });
    await app.init();
    producer = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix });
    worker = new BullMqWorkerHost(
      { redisUrl: REDIS_URL, prefix, concurrency: 2 },
      createJobHandlers(
        db,
        async (name, payload, requestId, options) => {
          await producer.enqueue(name, payload, { requestId, jobId: options?.jobId });
        },
        settings,
      ),
      jobLog,
    );
    worker.start();
    admin = await signup(app, 'admin@acme.test', 'Acme');
    other = await signup(app, 'eve@globex.test', 'Globex');
  });

  afterAll(async () => {
    await worker.close();
    await producer.close();
    await app.close();
    server.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.close();
    await tdb.drop();
    // No webhook secret reached a log line.
    const all = seen.join('\n');
    for (const s of secrets) expect(all).not.toContain(s.slice(6));
  });

  let channelId: string;

  it('creates a webhook channel: the secret is shown once, sealed at rest, never listed', async () => {
    const res = await as(admin).post(`${org()}/alert-channels`, {
      kind: 'webhook',
      name: 'ops',
      url: hookUrl,
    });
    expect(res.status).toBe(201);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    secrets.push(res.body.secret);
    channelId = res.body.id;
    const list = await as(admin).get(`${org()}/alert-channels`);
    expect(list.body).toHaveLength(1);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    const rows = await queryTestDatabase<{ secretCiphertext: Buffer }>(
      tdb.url,
      `SELECT "secretCiphertext" FROM "AlertChannel" WHERE id = $1::uuid`,
      [channelId],
    );
    const stored = rows[0]!.secretCiphertext;
    expect(stored.toString('latin1')).not.toContain(res.body.secret.slice(6));
    expect(stored.toString('base64')).not.toContain(res.body.secret.slice(6));
  });

  it('send test: API -> Redis -> alert.deliver -> receiver; the signature verifies with the secret', async () => {
    received.length = 0;
    const res = await as(admin).post(`${org()}/alert-channels/${channelId}/test`);
    expect(res.status).toBe(202);
    const delivery = await waitFor('delivered', async () => {
      const log = await as(admin).get(`${org()}/alert-deliveries`);
      const d = (log.body.items as { id: string; status: string }[]).find(
        (x) => x.id === res.body.deliveryId,
      );
      return d?.status === 'delivered' ? d : null;
    });
    expect(delivery).toMatchObject({
      channelName: 'ops',
      channelKind: 'webhook',
      test: true,
      attempts: 1,
      responseStatus: 200,
      ruleKind: null,
    });
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(
      verifyWebhook(
        secrets[0]!,
        {
          id: String(r.headers['webhook-id']),
          timestamp: String(r.headers['webhook-timestamp']),
          signature: String(r.headers['webhook-signature']),
        },
        r.body,
      ),
    ).toBe(true);
  });

  it('bad input and refused URLs: 4xx with reasons, nothing written', async () => {
    const before = await db.alerts.listChannels(admin.orgId);
    const bad: [object | string, number, RegExp][] = [
      [{ kind: 'webhook', name: 'a\u0000b', url: hookUrl }, 422, /NUL/],
      [{ kind: 'webhook', name: 'x\ud800', url: hookUrl }, 422, /surrogate/],
      [{ kind: 'webhook', name: 'x', url: 'not a url' }, 422, /not a URL/],
      [{ kind: 'webhook', name: 'x', url: 'ftp://hooks.example.com/' }, 422, /only http/],
      [{ kind: 'webhook', name: 'x', url: 'http://169.254.169.254/latest' }, 422, /metadata/],
      [{ kind: 'slack', name: 'x', url: 'http://[fd00:ec2::254]/' }, 422, /metadata/],
      [{ kind: 'webhook', name: 'x', url: 'http://10.0.0.7/hook' }, 422, /private range/],
      [{ kind: 'webhook', name: 'x', url: 'http://user:pw@example.com/' }, 422, /user name/],
      [{ kind: 'email', name: 'x', emails: ['not-an-email'] }, 422, /emails/],
      [{ kind: 'pager', name: 'x' }, 422, /kind/],
      [{ kind: 'email', name: 'x', emails: ['a@b.test'], extra: 1 }, 422, /extra|Unrecognized/],
      [{ kind: 'email', name: 'x'.repeat(101), emails: ['a@b.test'] }, 422, /name/],
      ['{"kind":"email","name":"' + 'x'.repeat(3_000_000) + '"}', 413, /./],
      ['{not json', 400, /./],
    ];
    for (const [body, status, reason] of bad) {
      const res = await as(admin).post(`${org()}/alert-channels`, body);
      expect([JSON.stringify(body).slice(0, 60), res.status]).toEqual([
        JSON.stringify(body).slice(0, 60),
        status,
      ]);
      expect(JSON.stringify(res.body.error)).toMatch(reason);
    }
    const patched = await as(admin).patch(`${org()}/alert-channels/${channelId}`, {
      url: 'http://192.168.1.1/',
    });
    expect(patched.status).toBe(422);
    expect(patched.body.error.message).toMatch(/private range/);
    expect(await db.alerts.listChannels(admin.orgId)).toEqual(before);
  });

  it('email and Slack channels; a duplicate name is a 409; enable/disable; delete', async () => {
    const email = await as(admin).post(`${org()}/alert-channels`, {
      kind: 'email',
      name: 'on-call',
      emails: ['On-Call@Acme.test'],
    });
    expect(email.status).toBe(201);
    expect(email.body).toMatchObject({ secret: null, emails: ['on-call@acme.test'], url: null });
    const slack = await as(admin).post(`${org()}/alert-channels`, {
      kind: 'slack',
      name: 'slack',
      url: hookUrl,
    });
    expect(slack.body.secret).toBeNull();
    const dup = await as(admin).post(`${org()}/alert-channels`, {
      kind: 'slack',
      name: 'slack',
      url: hookUrl,
    });
    expect(dup.status).toBe(409);
    const off = await as(admin).patch(`${org()}/alert-channels/${slack.body.id}`, {
      enabled: false,
    });
    expect(off.body.enabled).toBe(false);
    expect((await as(admin).delete(`${org()}/alert-channels/${slack.body.id}`)).status).toBe(200);
    expect((await as(admin).delete(`${org()}/alert-channels/${slack.body.id}`)).status).toBe(404);
  });

  it('the delivery log pages with a cursor', async () => {
    for (let i = 0; i < 3; i++)
      expect((await as(admin).post(`${org()}/alert-channels/${channelId}/test`)).status).toBe(202);
    const first = await as(admin).get(`${org()}/alert-deliveries?limit=2`);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toBe(first.body.items[1].id);
    const second = await as(admin).get(
      `${org()}/alert-deliveries?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items).toHaveLength(2);
    const ids = [...first.body.items, ...second.body.items].map((d: { id: string }) => d.id);
    expect(new Set(ids).size).toBe(4);
    expect(second.body.nextCursor).toBeNull();
    expect((await as(admin).get(`${org()}/alert-deliveries?limit=0`)).status).toBe(422);
    expect((await as(admin).get(`${org()}/alert-deliveries?cursor=${randomUUID()}`)).status).toBe(
      422,
    );
  });

  it('rules: every kind listed with defaults; admins set them; bad thresholds are 422', async () => {
    const list = await as(admin).get(`${org()}/alert-rules`);
    expect(list.body).toHaveLength(8);
    expect(list.body.find((r: { kind: string }) => r.kind === 'tax_rise')).toMatchObject({
      enabled: false,
      threshold: 10,
      cooldownMinutes: 1440,
    });
    const put = await as(admin).put(`${org()}/alert-rules`, {
      rules: [
        { kind: 'tax_rise', enabled: true, threshold: 25 },
        { kind: 'new_shadow_agent', enabled: true },
      ],
    });
    expect(put.status).toBe(200);
    expect(put.body.find((r: { kind: string }) => r.kind === 'tax_rise')).toMatchObject({
      enabled: true,
      threshold: 25,
    });
    for (const rules of [
      [{ kind: 'tax_rise', enabled: true, threshold: -1 }],
      [{ kind: 'new_shadow_agent', enabled: true, threshold: 3 }],
      [{ kind: 'nope', enabled: true }],
      [
        { kind: 'tax_rise', enabled: true },
        { kind: 'tax_rise', enabled: false },
      ],
    ])
      expect((await as(admin).put(`${org()}/alert-rules`, { rules })).status).toBe(422);
  });

  it('report schedules: create with the next run, change, delete', async () => {
    const res = await as(admin).post(`${org()}/report-schedules`, {
      cadence: 'weekly',
      recipients: ['cto@acme.test'],
    });
    expect(res.status).toBe(201);
    expect(new Date(res.body.nextRunAt).getUTCDay()).toBe(1);
    const monthly = await as(admin).patch(`${org()}/report-schedules/${res.body.id}`, {
      cadence: 'monthly',
    });
    expect(new Date(monthly.body.nextRunAt).getUTCDate()).toBe(1);
    expect(
      (await as(admin).post(`${org()}/report-schedules`, { cadence: 'daily', recipients: [] }))
        .status,
    ).toBe(422);
    expect((await as(admin).delete(`${org()}/report-schedules/${res.body.id}`)).status).toBe(200);
  });

  it('every change is audited; another organisation sees and triggers nothing', async () => {
    const audit = await db.audit.list(admin.orgId, 200);
    const actions = new Set(audit.map((a) => a.action));
    for (const a of [
      'alert_channel.create',
      'alert_channel.test',
      'alert_channel.update',
      'alert_channel.delete',
      'alert_rules.update',
      'report_schedule.create',
    ])
      expect(actions).toContain(a);
    expect((await as(other).post(`${org(other)}/alert-channels/${channelId}/test`)).status).toBe(
      404,
    );
    expect((await as(other).get(`${org(other)}/alert-channels`)).body).toEqual([]);
    expect((await as(other).get(`${org(other)}/alert-deliveries`)).body.items).toEqual([]);
    expect((await as(other).get(`${org()}/alert-channels`)).status).toBe(404);
  });
});
