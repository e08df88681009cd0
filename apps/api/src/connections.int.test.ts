/**
 * Agentless scans through the API, on real PostgreSQL and Redis: every refusal of the egress
 * guard is a 4xx with its reason and writes nothing; a registered (allowlisted) API simulator is
 * scanned through the real job path (API -> Redis -> cluster.scan -> snapshot.analyze) into a
 * succeeded scan with a result; the token is never in a response, a log line or the table in
 * clear; schedules follow the connection; another organisation sees and triggers nothing.
 */
import type { INestApplication } from '@nestjs/common';
import { loadEnv, type ApiEnv } from '@plumbline/config';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import {
  agentlessSettings,
  BullMqJobQueue,
  BullMqWorkerHost,
  createJobHandlers,
  type AgentlessSettings,
  type JobLogger,
  type Resolver,
} from '@plumbline/jobs';
import { createCertificate, startKubeSim, type KubeSim } from '@plumbline/kube-sim';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { signup as signupAndSignIn } from '../test/helpers.js';
import { createApp } from './app.js';
import { ConnectionsService } from './connections/connections.service.js';

jest.setTimeout(60_000);

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const KEY = Buffer.alloc(32, 42).toString('base64'); // obviously fake
const SIM_TOKEN = `fake-sa-token-${randomUUID()}`;
const SIM_HOST = 'kube.plumbline.test';

async function waitFor<T>(
  fn: () => Promise<T | null | undefined | false>,
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every log line and response body of the suite, to prove the token is in none of them. */
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

interface Actor {
  cookie: string;
  csrf: string;
  orgId: string;
}

describe('agentless scans (real PostgreSQL + Redis + API simulator)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;
  let sim: KubeSim;
  let env: ApiEnv;
  let settings: AgentlessSettings;
  let producer: BullMqJobQueue;
  let worker: BullMqWorkerHost;
  let admin: Actor;
  let other: Actor;
  const prefix = `plumbline-agentless-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL);
  /** DNS as the tests want it (the names are not real); changed to simulate rebinding. */
  const dns: Record<string, string[]> = {
    [SIM_HOST]: ['127.0.0.1'],
    localhost: ['127.0.0.1', '::1'],
    'internal.plumbline.test': ['10.1.2.3'],
    'mixed.plumbline.test': ['8.8.8.8', '192.168.7.7'],
  };
  const resolve: Resolver = (host) => {
    const answers = dns[host];
    if (!answers)
      return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    return Promise.resolve(
      answers.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };

  const http = () => request(app.getHttpServer());
  const track = <T extends { body: unknown }>(res: T): T => {
    seen.push(JSON.stringify(res.body));
    return res;
  };
  const as = (actor: Actor) => ({
    get: async (path: string) => track(await http().get(path).set('Cookie', actor.cookie)),
    post: async (path: string, body?: object) =>
      track(
        await http()
          .post(path)
          .set('Cookie', actor.cookie)
          .set('X-CSRF-Token', actor.csrf)
          .send(body ?? {}),
      ),
    patch: async (path: string, body: object) =>
      track(
        await http()
          .patch(path)
          .set('Cookie', actor.cookie)
          .set('X-CSRF-Token', actor.csrf)
          .send(body),
      ),
    delete: async (path: string) =>
      track(await http().delete(path).set('Cookie', actor.cookie).set('X-CSRF-Token', actor.csrf)),
  });
  const base = (actor: Actor = admin) => `/v1/orgs/${actor.orgId}/cluster-connections`;

  const signup = (email: string, org: string): Promise<Actor> => signupAndSignIn(app, email, org);

  beforeAll(async () => {
    tdb = await createTestDatabase('agentless');
    db = Database.connect(tdb.url, { poolSize: 4 });
    const tls = await createCertificate([SIM_HOST]);
    sim = await startKubeSim({ tls, token: SIM_TOKEN, scenario: { seed: 'agentless', pods: 30 } });
    env = loadEnv('api', {
      DATABASE_URL: tdb.url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'info',
      PLUMBLINE_ENCRYPTION_KEY: KEY,
      AGENTLESS_ALLOWED_CIDRS: '127.0.0.1/32',
      AGENTLESS_SCAN_TIMEOUT_MS: '30000',
    });
    settings = { ...agentlessSettings(env, 'test'), resolve };
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
    admin = await signup('admin@acme.test', 'Acme');
    other = await signup('eve@globex.test', 'Globex');
  });

  afterAll(async () => {
    await worker.close();
    await producer.close();
    await app.close();
    await sim.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.close();
    await tdb.drop();
    // Whatever happened above, the token reached no response body and no log line.
    const all = seen.join('\n');
    expect(all.length).toBeGreaterThan(1000);
    expect(all).not.toContain(SIM_TOKEN);
    expect(all).not.toContain(Buffer.from(SIM_TOKEN).toString('base64'));
  });

  describe('refusals: 4xx with the reason, nothing written', () => {
    const port = () => new URL(sim.url).port;
    const cases: [string, () => string, RegExp][] = [
      ['plain http', () => `http://127.0.0.1:${port()}`, /only https/],
      [
        'credentials in the URL',
        () => `https://user:pw@127.0.0.1:${port()}`,
        /user name or password/,
      ],
      ['loopback outside the allowlist', () => `https://127.0.0.2:${port()}`, /loopback/],
      ['IPv6 loopback', () => `https://[::1]:${port()}`, /loopback/],
      [
        'a name resolving to loopback (one address not allowlisted)',
        () => `https://localhost:${port()}`,
        /localhost resolves to ::1 is in a loopback range/,
      ],
      ['unspecified', () => 'https://0.0.0.0:6443', /unspecified/],
      ['link-local', () => 'https://169.254.10.10', /link-local/],
      ['IPv6 link-local', () => 'https://[fe80::1]', /link-local/],
      ['cloud metadata', () => 'https://169.254.169.254', /cloud metadata/],
      ['IPv6 cloud metadata', () => 'https://[fd00:ec2::254]', /cloud metadata/],
      ['Alibaba metadata', () => 'https://100.100.100.200', /cloud metadata/],
      ['metadata host name', () => 'https://metadata.google.internal', /metadata/],
      ['private 10/8', () => 'https://10.0.0.1:6443', /private range \(10.0.0.0\/8\)/],
      ['private 172.16/12', () => 'https://172.16.5.4', /private/],
      ['private 192.168/16', () => 'https://192.168.1.10', /private/],
      ['unique local IPv6', () => 'https://[fc00::1]', /private/],
      ['carrier-grade NAT', () => 'https://100.64.0.1', /carrier-grade NAT/],
      ['multicast', () => 'https://224.0.0.1', /multicast/],
      ['broadcast', () => 'https://255.255.255.255', /broadcast/],
      [
        'IPv4-mapped IPv6 of a private address',
        () => 'https://[::ffff:10.0.0.1]',
        /private .*carried in IPv6/,
      ],
      [
        'a name resolving to a private address',
        () => 'https://internal.plumbline.test',
        /internal.plumbline.test resolves to 10.1.2.3/,
      ],
      [
        'a name with one private address among public ones',
        () => 'https://mixed.plumbline.test',
        /resolves to 192.168.7.7/,
      ],
      [
        'a name that does not resolve',
        () => 'https://nowhere.plumbline.test',
        /cannot be resolved/,
      ],
    ];
    it.each(cases)('%s', async (_what, server, reason) => {
      const res = await as(admin).post(base(), { name: 'x', server: server(), token: SIM_TOKEN });
      expect(res.status).toBe(422);
      expect(res.body.error.message).toMatch(/the API server is refused/);
      expect(res.body.error.message).toMatch(reason);
    });

    it('bad bodies are refused by the contract', async () => {
      for (const body of [
        { name: 'x', server: sim.url, token: 'has spaces in it' },
        { name: 'x', server: sim.url, token: SIM_TOKEN, caData: 'not a certificate' },
        { name: 'x', server: sim.url, token: SIM_TOKEN, scheduleMinutes: 1 },
        { name: 'x', server: sim.url, token: SIM_TOKEN, insecureSkipTlsVerify: true },
      ]) {
        const res = await as(admin).post(base(), body);
        expect([body, res.status]).toEqual([body, 422]);
      }
    });

    it('nothing was written: no connection, no audit event, no schedule', async () => {
      expect(await db.clusterConnections.list(admin.orgId)).toEqual([]);
      const audit = await db.audit.list(admin.orgId);
      expect(audit.filter((e) => e.action.startsWith('cluster_connection'))).toEqual([]);
      expect(await producer.schedules('cluster.scan')).toEqual([]);
    });

    it('without an encryption key, registration is refused with 503 and a reason', async () => {
      const noKey = await createApp(
        loadEnv('api', { DATABASE_URL: tdb.url, LOG_LEVEL: 'silent' }),
        pino({ level: 'silent' }),
      );
      await noKey.init();
      try {
        const res = await request(noKey.getHttpServer())
          .post(base())
          .set('Cookie', admin.cookie)
          .set('X-CSRF-Token', admin.csrf)
          .send({ name: 'x', server: sim.url, token: SIM_TOKEN });
        seen.push(JSON.stringify(res.body));
        expect(res.status).toBe(503);
        expect(res.body.error.message).toMatch(/PLUMBLINE_ENCRYPTION_KEY is not set/);
      } finally {
        await noKey.close();
      }
      expect(await db.clusterConnections.list(admin.orgId)).toEqual([]);
    });
  });

  describe('a registered, allowlisted API simulator', () => {
    let id: string;

    it('registers without ever returning or storing the token in clear', async () => {
      const res = await as(admin).post(base(), {
        name: 'sim',
        server: `https://${SIM_HOST}:${new URL(sim.url).port}/`,
        token: SIM_TOKEN,
        // As in a kubeconfig: base64 of the PEM.
        caData: Buffer.from(sim.caCert).toString('base64'),
      });
      expect(res.status).toBe(201);
      id = res.body.id;
      expect(res.body).toMatchObject({
        name: 'sim',
        server: `https://${SIM_HOST}:${new URL(sim.url).port}`,
        hasCaData: true,
        tokenFingerprint: expect.stringMatching(/^sha256:[0-9a-f]{12}$/),
        scheduleMinutes: null,
        enabled: true,
        lastStatus: null,
      });
      expect(Object.keys(res.body)).not.toEqual(
        expect.arrayContaining(['token', 'caData', 'tokenCiphertext', 'caDataCiphertext']),
      );
      const stored = (await db.clusterConnections.getSecrets(admin.orgId, id))!;
      for (const bytes of [stored.tokenCiphertext, stored.caDataCiphertext!]) {
        const b = Buffer.from(bytes);
        expect(b.includes(Buffer.from(SIM_TOKEN))).toBe(false);
        expect(b.includes(Buffer.from(Buffer.from(SIM_TOKEN).toString('base64')))).toBe(false);
        expect(b.includes(Buffer.from('BEGIN CERTIFICATE'))).toBe(false);
      }
      expect(JSON.stringify(stored.connection)).not.toContain(SIM_TOKEN);
      const list = await as(admin).get(base());
      expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
      const audit = await as(admin).get(`/v1/orgs/${admin.orgId}/audit`);
      expect(audit.body.items.map((e: { action: string }) => e.action)).toContain(
        'cluster_connection.create',
      );
    });

    it('scans on demand through the real job path into a succeeded, analysed scan', async () => {
      const before = sim.requests.length;
      const res = await as(admin).post(`${base()}/${id}/scan`);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ connectionId: id, jobId: expect.any(String), status: 'queued' });
      const done = await waitFor(async () => {
        const c = (await as(admin).get(`${base()}/${id}`)).body;
        if (c.lastStatus === 'failed') throw new Error(`scan failed: ${c.lastError}`);
        return c.lastStatus === 'succeeded' ? c : null;
      });
      expect(done).toMatchObject({ lastError: null, clusterId: expect.any(String) });
      const scan = await waitFor(async () => {
        const r = await as(admin).get(`/v1/orgs/${admin.orgId}/scans/${done.lastScanId}`);
        return r.body.scan?.status === 'succeeded' ? r.body : null;
      });
      expect(scan.scan.clusterId).toBe(done.clusterId);
      expect(scan.result.steps.inventory.totalObjects).toBeGreaterThan(30);
      const clusters = await as(admin).get(`/v1/orgs/${admin.orgId}/clusters`);
      expect(clusters.body.items).toEqual([
        expect.objectContaining({ id: done.clusterId, name: 'sim' }),
      ]);
      // Read-only, authenticated, and through the pinned address (the name resolves nowhere).
      const made = sim.requests.slice(before);
      expect(made.length).toBeGreaterThan(10);
      expect(new Set(made.map((r) => r.method))).toEqual(new Set(['GET']));
      expect(made.every((r) => r.status !== 401)).toBe(true);
      const audit = await db.audit.list(admin.orgId);
      expect(audit.map((e) => e.action)).toEqual(
        expect.arrayContaining(['cluster_connection.scan_request', 'cluster_connection.scan']),
      );
    });

    it('checks the endpoint again at scan time: a name that now resolves privately is refused', async () => {
      dns[SIM_HOST] = ['10.9.9.9'];
      try {
        // As a scheduled run would: straight onto the queue, no API check before it.
        await producer.enqueue('cluster.scan', { organizationId: admin.orgId, connectionId: id });
        const failed = await waitFor(async () => {
          const c = await db.clusterConnections.get(admin.orgId, id);
          return c?.lastStatus === 'failed' ? c : null;
        });
        expect(failed.lastError).toMatch(
          /refused: kube.plumbline.test resolves to 10.9.9.9 .*private/,
        );
        // ...and an on-demand request is refused before queueing.
        const res = await as(admin).post(`${base()}/${id}/scan`);
        expect(res.status).toBe(422);
        expect(res.body.error.message).toMatch(/10.9.9.9/);
      } finally {
        dns[SIM_HOST] = ['127.0.0.1'];
      }
    });

    it('a rotated wrong token fails the scan with a reason that does not contain it', async () => {
      const wrong = `fake-wrong-token-${randomUUID()}`;
      const patched = await as(admin).patch(`${base()}/${id}`, { token: wrong });
      expect(patched.status).toBe(200);
      expect(JSON.stringify(patched.body)).not.toContain(wrong);
      const res = await as(admin).post(`${base()}/${id}/scan`);
      expect(res.status).toBe(202);
      const failed = await waitFor(async () => {
        const c = await db.clusterConnections.get(admin.orgId, id);
        return c?.lastStatus === 'failed' ? c : null;
      });
      expect(failed.lastError).toBe(
        'cannot scan the cluster: cannot discover the core API (/api/v1): Unauthorized',
      );
      expect(failed.lastError).not.toContain(wrong);
      expect(seen.join('\n')).not.toContain(wrong);
      const back = await as(admin).patch(`${base()}/${id}`, { token: SIM_TOKEN });
      expect(back.status).toBe(200);
    });

    it('a new server needs the token again; a disabled connection is not scanned', async () => {
      const res = await as(admin).patch(`${base()}/${id}`, { server: 'https://127.0.0.1:1' });
      expect(res.status).toBe(422);
      expect(res.body.error.details.join()).toMatch(/needs the token again/);
      expect((await as(admin).patch(`${base()}/${id}`, { enabled: false })).status).toBe(200);
      const scan = await as(admin).post(`${base()}/${id}/scan`);
      expect(scan.status).toBe(409);
      expect(scan.body.error.message).toMatch(/disabled/);
      expect((await as(admin).patch(`${base()}/${id}`, { enabled: true })).status).toBe(200);
    });

    it('another organisation can neither see nor trigger nor change it', async () => {
      const foreign = `/v1/orgs/${admin.orgId}/cluster-connections`;
      const calls = [
        await as(other).get(foreign),
        await as(other).get(`${foreign}/${id}`),
        await as(other).post(`${foreign}/${id}/scan`),
        await as(other).patch(`${foreign}/${id}`, { enabled: false }),
        await as(other).delete(`${foreign}/${id}`),
        // Its own organisation's route with this id: not found either.
        await as(other).get(`${base(other)}/${id}`),
        await as(other).post(`${base(other)}/${id}/scan`),
      ];
      expect(calls.map((c) => c.status)).toEqual([404, 404, 404, 404, 404, 404, 404]);
      for (const c of calls) expect(JSON.stringify(c.body)).not.toContain('sim');
      expect((await db.clusterConnections.get(admin.orgId, id))?.enabled).toBe(true);
    });

    it('schedules follow the connection (create, change, disable, delete) and are reconciled at start', async () => {
      const key = (cid: string) => `connection-${cid}`;
      const res = await as(admin).post(base(), {
        name: 'nightly',
        server: sim.url,
        token: SIM_TOKEN,
        caData: sim.caCert,
        scheduleMinutes: 60,
      });
      expect(res.status).toBe(201);
      const nightly = res.body.id as string;
      expect(await producer.schedules('cluster.scan')).toEqual([
        { key: key(nightly), everyMs: 3_600_000 },
      ]);
      await as(admin).patch(`${base()}/${nightly}`, { scheduleMinutes: 1440 });
      expect(await producer.schedules('cluster.scan')).toEqual([
        { key: key(nightly), everyMs: 86_400_000 },
      ]);
      await as(admin).patch(`${base()}/${nightly}`, { enabled: false });
      expect(await producer.schedules('cluster.scan')).toEqual([]);
      await as(admin).patch(`${base()}/${nightly}`, { enabled: true });
      expect(await producer.schedules('cluster.scan')).toHaveLength(1);

      // Drift (a schedule lost, a stale one left) is repaired when the API starts.
      await producer.unschedule('cluster.scan', key(nightly));
      await producer.schedule(
        'connection-stale',
        'cluster.scan',
        { organizationId: admin.orgId, connectionId: randomUUID() },
        60_000,
      );
      await app.get(ConnectionsService).onApplicationBootstrap();
      expect(await producer.schedules('cluster.scan')).toEqual([
        { key: key(nightly), everyMs: 86_400_000 },
      ]);

      expect((await as(admin).delete(`${base()}/${nightly}`)).status).toBe(204);
      expect(await producer.schedules('cluster.scan')).toEqual([]);
      expect((await as(admin).get(`${base()}/${nightly}`)).status).toBe(404);
    });
  });
});
