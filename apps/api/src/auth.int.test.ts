import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { Redis } from 'ioredis';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { TEST_PASSWORD } from '../test/helpers.js';
import { createApp } from './app.js';
import { RedisAttemptStore, SIGN_IN_LIMITS, signInKeys } from './auth/rate-limit.js';

/**
 * Sign-in limits and sign-up on the real stack (PostgreSQL + Redis): the attempt counters are
 * taken in one atomic step before any password check, keyed on (account, client), (account) and
 * (client); X-Forwarded-For counts only from TRUST_PROXY; sign-up does not reveal accounts and
 * refuses short or common passwords. A password check is counted by its answer: a checked wrong
 * password is a 401 (and an `auth.login_failed` audit event), an unchecked attempt a 429.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const silent = pino({ level: 'silent' });
const PER_ACCOUNT_CLIENT = SIGN_IN_LIMITS.accountClient.limit;

interface Running {
  app: INestApplication;
  url: string;
  prefix: string;
}

describe('sign-in and sign-up (real PostgreSQL + Redis)', () => {
  let tdb: TestDatabase;
  let db: Database;
  const redis = new Redis(REDIS_URL);
  const started: Running[] = [];

  async function start(
    extra: Record<string, string> = {},
    prefix = `plumbline-auth-${randomUUID().slice(0, 8)}`,
  ): Promise<Running> {
    const env = loadEnv('api', {
      DATABASE_URL: tdb.url,
      LOG_LEVEL: 'silent',
      QUEUE_PREFIX: prefix,
      ...extra,
    });
    const app = await createApp(env, silent);
    await app.listen(0, '127.0.0.1');
    const r = { app, url: await app.getUrl(), prefix };
    started.push(r);
    return r;
  }

  async function account(email: string, org = email): Promise<void> {
    const r = await request(started[0]!.url)
      .post('/v1/auth/signup')
      .send({ email, password: TEST_PASSWORD, name: 'N', organizationName: org });
    expect(r.status).toBe(202);
  }

  const login = (url: string, email: string, password: string, forwardedFor?: string) => {
    const r = request(url).post('/v1/auth/login').send({ email, password });
    return forwardedFor ? r.set('X-Forwarded-For', forwardedFor) : r;
  };

  const failedChecks = async (email: string) => {
    const user = await db.users.findByEmail(email);
    const orgs = await db.memberships.forUser(user!.id);
    const events = await db.audit.list(orgs[0]!.organizationId, 1000);
    return events.filter((e) => e.action === 'auth.login_failed').length;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase('auth');
    db = Database.connect(tdb.url, { poolSize: 3 });
    await start({ REDIS_URL });
  });

  afterAll(async () => {
    for (const r of started) {
      // Bounded: an app whose private Redis is gone (a failed outage test) must not hang here.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        r.app.close(),
        new Promise((done) => {
          timer = setTimeout(done, 20_000);
        }),
      ]);
      clearTimeout(timer);
      const keys = await redis.keys(`${r.prefix}:*`);
      if (keys.length) await redis.del(...keys);
    }
    redis.disconnect();
    await db.close();
    await tdb.drop();
  });

  describe('17.1: the counters are atomic and taken before the password check', () => {
    it('100 parallel guesses get at most the documented number of password checks; then the right password among 40 parallel attempts gets no 200', async () => {
      const { url } = started[0]!;
      await account('target@acme.test');
      const guesses = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          login(url, 'target@acme.test', `wrong guess number ${i}`),
        ),
      );
      const statuses = guesses.map((g) => g.status);
      const checked = statuses.filter((s) => s === 401).length;
      expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
      expect(checked).toBeGreaterThanOrEqual(1);
      expect(checked).toBeLessThanOrEqual(PER_ACCOUNT_CLIENT);
      expect(await failedChecks('target@acme.test')).toBe(checked);
      const refused = guesses.find((g) => g.status === 429)!;
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body.error.code).toBe('rate_limited');

      const burst = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          login(url, 'target@acme.test', i === 17 ? TEST_PASSWORD : `another wrong ${i}`),
        ),
      );
      expect(burst.map((b) => b.status).filter((s) => s !== 429)).toEqual([]);
      expect(await failedChecks('target@acme.test')).toBe(checked);
    });

    it('two API replicas share the counters: 2 x 50 parallel guesses, still at most the limit', async () => {
      const first = started[0]!;
      const second = await start({ REDIS_URL }, first.prefix);
      await account('shared@acme.test');
      const guesses = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          login(i % 2 ? first.url : second.url, 'shared@acme.test', `guess ${i} of many`),
        ),
      );
      const checked = guesses.filter((g) => g.status === 401).length;
      expect(checked).toBeLessThanOrEqual(PER_ACCOUNT_CLIENT);
      expect(guesses.filter((g) => g.status === 429)).toHaveLength(100 - checked);
    });

    it('without Redis (in-process mode) the same bound holds', async () => {
      const { url } = await start();
      await account('inproc@acme.test');
      const guesses = await Promise.all(
        Array.from({ length: 100 }, (_, i) => login(url, 'inproc@acme.test', `wrong ${i} pw`)),
      );
      expect(guesses.filter((g) => g.status === 401).length).toBeLessThanOrEqual(
        PER_ACCOUNT_CLIENT,
      );
      const right = await login(url, 'inproc@acme.test', TEST_PASSWORD);
      expect(right.status).toBe(429);
    });

    it('a successful sign-in gives back its slot: mistakes then success then mistakes do not lock', async () => {
      const { url } = started[0]!;
      await account('typo@acme.test');
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < PER_ACCOUNT_CLIENT - 1; i++)
          expect((await login(url, 'typo@acme.test', `typo ${round}-${i} xx`)).status).toBe(401);
        expect((await login(url, 'typo@acme.test', TEST_PASSWORD)).status).toBe(200);
      }
    });

    it('locks back off exponentially, and the counters hold no email or address in clear', async () => {
      const store = new RedisAttemptStore(redis, started[0]!.prefix);
      const keys = signInKeys('backoff@acme.test', '192.0.2.1');
      const rule = SIGN_IN_LIMITS.accountClient;
      let now = 1_000_000;
      const locks: number[] = [];
      for (let lock = 0; lock < 4; lock++) {
        for (let i = 0; i < rule.limit; i++)
          expect(await store.admit(keys, now)).toEqual({ allowed: true });
        const refused = await store.admit(keys, now);
        expect(refused.allowed).toBe(false);
        const wait = refused.allowed ? 0 : refused.retryAfterMs;
        locks.push(wait);
        // Still locked just before the end, admitted again after it.
        expect((await store.admit(keys, now + wait - 1)).allowed).toBe(false);
        now += wait;
      }
      store.close();
      expect(locks).toEqual([1, 2, 4, 8].map((m) => m * rule.baseLockMs));
      const stored = await redis.keys(`${started[0]!.prefix}:ratelimit:*`);
      expect(stored.length).toBeGreaterThan(0);
      expect(stored.join(' ')).not.toMatch(/backoff|acme|192\.0\.2/);
    });
  });

  describe('Redis outage: the limits fail closed and fast', () => {
    let redisProcess: ChildProcess | null = null;
    let port = 0;
    const startRedis = async () => {
      redisProcess = spawn(
        'redis-server',
        ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'],
        { stdio: 'ignore' },
      );
      // A fresh client per try, never reconnecting by itself, always closed.
      for (let i = 0; ; i++) {
        const probe = new Redis({
          port,
          host: '127.0.0.1',
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          enableOfflineQueue: false,
          retryStrategy: () => null,
        });
        probe.on('error', () => undefined);
        try {
          await probe.connect();
          await probe.ping();
          return;
        } catch {
          if (i > 200) throw new Error('private redis-server did not start');
          await new Promise((r) => setTimeout(r, 100));
        } finally {
          probe.disconnect();
        }
      }
    };
    const stopRedis = async () => {
      const p = redisProcess;
      redisProcess = null;
      if (!p || p.exitCode !== null) return;
      await new Promise((r) => {
        p.once('exit', r);
        p.kill('SIGKILL');
      });
    };
    afterAll(stopRedis);

    it('with Redis gone sign-in answers 503 with Retry-After within seconds and checks no password; it works again once Redis is back', async () => {
      port = await new Promise<number>((done) => {
        const srv = createServer().listen(0, '127.0.0.1', () => {
          const p = (srv.address() as { port: number }).port;
          srv.close(() => done(p));
        });
      });
      await startRedis();
      const running = await start({ REDIS_URL: `redis://127.0.0.1:${port}` });
      const { url } = running;
      await account('outage@acme.test');
      expect((await login(url, 'outage@acme.test', TEST_PASSWORD)).status).toBe(200);
      await stopRedis();
      const t0 = Date.now();
      const during = await Promise.all(
        Array.from({ length: 10 }, (_, i) => login(url, 'outage@acme.test', `wrong ${i} during`)),
      );
      expect(during.map((r) => r.status)).toEqual(Array(10).fill(503));
      expect(Number(during[0]!.headers['retry-after'])).toBeGreaterThan(0);
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(await failedChecks('outage@acme.test')).toBe(0);
      await startRedis();
      const after = await (async () => {
        for (let i = 0; i < 100; i++) {
          const r = await login(url, 'outage@acme.test', TEST_PASSWORD);
          if (r.status !== 503) return r;
          await new Promise((res) => setTimeout(res, 100));
        }
        return null;
      })();
      expect(after?.status).toBe(200);
      // Closed while its Redis is up (a queue closing against a dead Redis waits for it).
      started.splice(started.indexOf(running), 1);
      await running.app.close();
    }, 60_000);
  });

  describe('17.2: one guesser does not lock out the people sharing its address', () => {
    it("after 30 failures from one address another user's right password still works", async () => {
      const { url } = started[0]!;
      await account('victim@acme.test');
      await account('bystander@acme.test');
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++)
        statuses.push((await login(url, 'victim@acme.test', `bad guess ${i} here`)).status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(PER_ACCOUNT_CLIENT);
      // Spraying one wrong password over 30 more accounts from the same address.
      for (let i = 0; i < 30; i++)
        expect((await login(url, `nobody${i}@acme.test`, 'spray password 1')).status).toBe(401);
      const ok = await login(url, 'bystander@acme.test', TEST_PASSWORD);
      expect(ok.status).toBe(200);
    });

    it('X-Forwarded-For counts only from a TRUST_PROXY address', async () => {
      await account('proxied@acme.test');
      // No proxy trusted: a guesser cannot pick a fresh address per attempt.
      const direct = await start({ REDIS_URL });
      const spoofed: number[] = [];
      for (let i = 0; i < PER_ACCOUNT_CLIENT + 3; i++)
        spoofed.push(
          (await login(direct.url, 'proxied@acme.test', `wrong pw ${i} abc`, `203.0.113.${i + 1}`))
            .status,
        );
      expect(spoofed.slice(PER_ACCOUNT_CLIENT)).toEqual([429, 429, 429]);
      expect(
        (await login(direct.url, 'proxied@acme.test', TEST_PASSWORD, '198.51.100.77')).status,
      ).toBe(429);

      // Behind a trusted proxy, each client has its own (account, client) counter.
      const behind = await start({ REDIS_URL, TRUST_PROXY: '127.0.0.1/32, ::1' });
      for (let i = 0; i < PER_ACCOUNT_CLIENT; i++)
        expect(
          (await login(behind.url, 'proxied@acme.test', `wrong ${i} xyz`, '203.0.113.9')).status,
        ).toBe(401);
      expect(
        (await login(behind.url, 'proxied@acme.test', 'wrong again xyz', '203.0.113.9')).status,
      ).toBe(429);
      expect(
        (await login(behind.url, 'proxied@acme.test', TEST_PASSWORD, '10.1.2.3, 198.51.100.8'))
          .status,
      ).toBe(200);
    });
  });

  describe('17.3: sign-up reveals no account and refuses weak passwords', () => {
    it('an existing email gets exactly the answer a new one gets, and the account is unchanged', async () => {
      const { url } = started[0]!;
      const fresh = await request(url).post('/v1/auth/signup').send({
        email: 'first.of.all@initech.test',
        password: TEST_PASSWORD,
        name: 'First',
        organizationName: 'Initech',
      });
      const again = await request(url).post('/v1/auth/signup').send({
        email: 'FIRST.of.all@initech.test',
        password: 'a different passphrase',
        name: 'Intruder',
        organizationName: 'Evil Corp',
      });
      for (const r of [fresh, again]) {
        expect(r.status).toBe(202);
        expect(r.headers['set-cookie']).toBeUndefined();
      }
      expect(again.body).toEqual(fresh.body);
      expect(Object.keys(again.headers).sort()).toEqual(Object.keys(fresh.headers).sort());
      expect((await login(url, 'first.of.all@initech.test', TEST_PASSWORD)).status).toBe(200);
      expect((await login(url, 'first.of.all@initech.test', 'a different passphrase')).status).toBe(
        401,
      );
      const user = await db.users.findByEmail('first.of.all@initech.test');
      expect(user?.name).toBe('First');
      expect((await db.memberships.forUser(user!.id)).map((m) => m.organization.name)).toEqual([
        'Initech',
      ]);
    });

    it('parallel sign-ups for one new email: one account, the same answer to all', async () => {
      const { url } = started[0]!;
      const all = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          request(url)
            .post('/v1/auth/signup')
            .send({
              email: 'race@initech.test',
              password: TEST_PASSWORD,
              name: `R${i}`,
              organizationName: `Race ${i}`,
            }),
        ),
      );
      expect(new Set(all.map((r) => `${r.status} ${JSON.stringify(r.body)}`)).size).toBe(1);
      expect(all[0]!.status).toBe(202);
      const user = await db.users.findByEmail('race@initech.test');
      expect(await db.memberships.forUser(user!.id)).toHaveLength(1);
    });

    it.each([
      ['too short', 'Tr0ub4dor&3', /at least 12 characters/],
      ['a common password', 'qwertyuiop123', /too common/],
      ['a common password in capitals', 'PASSWORD1234', /too common/],
      ['a common word with digits and symbols around it', '2024!!Password2024!', /too common/],
      ['a common word with separators', 'iloveyou-iloveyou', /too common/],
      ['one short piece repeated', 'abcabcabcabcabc', /too common/],
      ['one character', 'zzzzzzzzzzzzzzzz', /too common/],
      ['the email address', (email: string) => email, /email/],
      ['the name of the email', (email: string) => `${email.split('@')[0]}!`, /email/],
    ])(
      'refuses %s (422 naming the password), for new and existing emails alike',
      async (_, pw, why) => {
        const { url } = started[0]!;
        for (const email of ['weak.person.x@initech.test', 'first.of.all@initech.test']) {
          const r = await request(url)
            .post('/v1/auth/signup')
            .send({
              email,
              password: typeof pw === 'string' ? pw : pw(email),
              name: 'W',
              organizationName: 'Weak Co',
            });
          expect(r.status).toBe(422);
          expect(r.body.error.details.join(' ')).toMatch(/^password: /);
          expect(r.body.error.details.join(' ')).toMatch(why);
        }
        expect(await db.users.findByEmail('weak.person.x@initech.test')).toBeNull();
      },
    );

    it('accepts long unusual passwords and passphrases', async () => {
      const { url } = started[0]!;
      for (const [i, pw] of [
        'correct horse battery',
        'plumbline-demo',
        'n7#Vq!2xLp@9',
        'Zebra piano 1987 lantern',
      ].entries()) {
        const r = await request(url)
          .post('/v1/auth/signup')
          .send({
            email: `ok${i}@initech.test`,
            password: pw,
            name: 'O',
            organizationName: 'Ok Co',
          });
        expect([pw, r.status]).toEqual([pw, 202]);
      }
    });

    it('an invited new user must choose a policy-compliant password too', async () => {
      const { url } = started[0]!;
      const owner = await login(url, 'first.of.all@initech.test', TEST_PASSWORD);
      const cookie = String(owner.headers['set-cookie']![0]).split(';')[0]!;
      const inv = await request(url)
        .post(`/v1/orgs/${owner.body.organizationId}/invites`)
        .set('Cookie', cookie)
        .set('X-CSRF-Token', owner.body.csrfToken)
        .send({ email: 'invited@initech.test', role: 'viewer' });
      expect(inv.status).toBe(201);
      const weak = await request(url)
        .post('/v1/invites/accept')
        .send({ token: inv.body.token, name: 'Inv', password: 'password12345' });
      expect(weak.status).toBe(422);
      const ok = await request(url)
        .post('/v1/invites/accept')
        .send({ token: inv.body.token, name: 'Inv', password: TEST_PASSWORD });
      expect(ok.status).toBe(200);
    });
  });
});
