import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import { SSO_REQUIRED_MESSAGE } from '@plumbline/contracts';
import { createTestDatabase, Database, queryTestDatabase, type TestDatabase } from '@plumbline/db';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pino from 'pino';
import request from 'supertest';
import { signup, TEST_PASSWORD, type Session } from '../test/helpers.js';
import { createApp } from './app.js';

const APP_URL = 'http://app.test';
const REDIRECT_URI = `${APP_URL}/v1/auth/sso/callback`;
const CLIENT_ID = 'plumbline-test';
const CLIENT_SECRET = 'idp-client-secret-value-9f3a7c';

const ACCOUNTS: Record<string, { email: string; email_verified: boolean; name: string }> = {
  'sub-dave': { email: 'dave@acme.test', email_verified: true, name: 'Dave Acme' },
  'sub-eve': { email: 'eve@acme.test', email_verified: false, name: 'Eve' },
  'sub-mallory': { email: 'mallory@evil.test', email_verified: true, name: 'Mallory' },
  'sub-frank': { email: 'frank@acme.test', email_verified: true, name: 'Frank' },
  'sub-gina': { email: 'gina@acme.test', email_verified: true, name: 'Gina' },
  'sub-hank': { email: 'hank@acme.test', email_verified: true, name: 'Hank' },
  'sub-ivy': { email: 'ivy@acme.test', email_verified: true, name: 'Ivy' },
};

/** The real OpenID Provider in a worker thread (see test/oidc-provider.worker.mjs). */
class Op {
  private constructor(
    private readonly worker: Worker,
    readonly issuer: string,
  ) {}

  static async start(): Promise<Op> {
    const worker = new Worker(join(__dirname, '../test/oidc-provider.worker.mjs'), {
      workerData: {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUri: REDIRECT_URI,
        accounts: ACCOUNTS,
      },
    });
    const issuer = await new Promise<string>((resolve, reject) => {
      worker.once('message', (m: { issuer: string }) => resolve(m.issuer));
      worker.once('error', reject);
    });
    return new Op(worker, issuer);
  }

  send(m: { account?: string; mode?: string }): Promise<void> {
    return new Promise((resolve) => {
      this.worker.once('message', () => resolve());
      this.worker.postMessage(m);
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

/** Cookies of the browser at the identity provider (name -> value; paths ignored). */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

describe('OIDC single sign-on against a real OpenID Provider (oidc-provider)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;
  let op: Op;
  let alice: Session;
  let bob: Session;
  const txt = new Map<string, string[][]>();

  const http = () => request(app.getHttpServer());
  const as = (s: Session, r: request.Test) => r.set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf);

  const config = (over: Record<string, unknown> = {}) => ({
    enabled: true,
    issuer: op.issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    domains: ['acme.test'],
    defaultRole: 'member',
    ssoRequired: false,
    breakGlassUserId: null,
    ...over,
  });

  /** Start at the API, log in at the provider as `account`, stop before the API's callback. */
  async function toCallback(email: string, account: string) {
    const start = await http().post('/v1/auth/sso/start').send({ email });
    expect(start.status).toBe(200);
    const attemptCookie = String(start.headers['set-cookie']![0]).split(';')[0]!;
    await op.send({ account });
    const jar = new Jar();
    let url: string = start.body.redirectUrl;
    for (let hop = 0; hop < 12 && !url.startsWith(APP_URL); hop++) {
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
      jar.take(res);
      const location = res.headers.get('location');
      if (!location) throw new Error(`the provider stopped at ${res.status}: ${await res.text()}`);
      url = new URL(location, url).href;
    }
    expect(url.startsWith(REDIRECT_URI)).toBe(true);
    return { path: url.slice(APP_URL.length), attemptCookie };
  }

  async function signIn(email: string, account: string) {
    const { path, attemptCookie } = await toCallback(email, account);
    const res = await http().get(path).set('Cookie', attemptCookie);
    return { res, path, attemptCookie };
  }

  const sessionOf = (res: request.Response) =>
    (res.headers['set-cookie'] as unknown as string[] | undefined)
      ?.find((c) => c.startsWith('plumbline_session=') && !c.startsWith('plumbline_session=;'))
      ?.split(';')[0];

  const failures = async () =>
    (await db.audit.list(alice.orgId)).filter((e) => e.action === 'auth.sso_login_failed');

  beforeAll(async () => {
    op = await Op.start();
    tdb = await createTestDatabase('sso');
    db = Database.connect(tdb.url, { poolSize: 4 });
    app = await createApp(
      loadEnv('api', {
        DATABASE_URL: tdb.url,
        LOG_LEVEL: 'silent',
        APP_URL,
        PLUMBLINE_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
        AGENTLESS_ALLOWED_CIDRS: '127.0.0.1/32',
      }),
      pino({ level: 'silent' }),
      { resolveTxt: (name) => Promise.resolve(txt.get(name) ?? []) },
    );
    await app.init();
    alice = await signup(app, 'alice@acme.test', 'Acme Corp');
    await db.users.markEmailVerified(alice.userId);
    bob = await signup(app, 'bob@globex.test', 'Globex Inc');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await db?.close();
    await tdb?.drop();
    await op?.stop();
  });

  it('an owner saves the settings: the secret is sealed and never returned; the owner’s domain is verified at once', async () => {
    const put = await as(alice, http().put(`/v1/orgs/${alice.orgId}/sso`)).send(config());
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      configured: true,
      enabled: true,
      hasClientSecret: true,
      redirectUri: REDIRECT_URI,
      domains: [{ domain: 'acme.test', verified: true }],
    });
    const get = await as(alice, http().get(`/v1/orgs/${alice.orgId}/sso`));
    expect(JSON.stringify(get.body)).not.toContain(CLIENT_SECRET);
    const rows = await queryTestDatabase<{ c: Buffer }>(
      tdb.url,
      `SELECT "clientSecretCiphertext" AS c FROM "SsoConfig"`,
    );
    expect(rows[0]!.c.length).toBeGreaterThan(16);
    expect(rows[0]!.c.includes(Buffer.from(CLIENT_SECRET))).toBe(false);
    const audit = await db.audit.list(alice.orgId);
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['sso.configured', 'sso.domain_verified']),
    );
    expect(JSON.stringify(audit)).not.toContain(CLIENT_SECRET);
  });

  it('sign-in: JIT membership at the default role, a working session; the second sign-in matches by sub', async () => {
    const { res } = await signIn('dave@acme.test', 'sub-dave');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`${APP_URL}/o/${alice.orgId}`);
    const cookie = sessionOf(res)!;
    const me = await http().get('/v1/me').set('Cookie', cookie);
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: 'dave@acme.test', emailVerified: true });
    expect(me.body.organizations).toEqual([
      expect.objectContaining({ id: alice.orgId, role: 'member' }),
    ]);
    const audit = await db.audit.list(alice.orgId);
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['membership.jit_created', 'auth.sso_login']),
    );
    // No password: password sign-in is refused like a wrong password.
    const pw = await http()
      .post('/v1/auth/login')
      .send({ email: 'dave@acme.test', password: TEST_PASSWORD });
    expect(pw.status).toBe(401);
    // The IdP changes the address; the link (issuer + sub) still finds Dave.
    await queryTestDatabase(
      tdb.url,
      `UPDATE "User" SET email = 'dave.a@acme.test' WHERE email = 'dave@acme.test'`,
    );
    const again = await signIn('dave@acme.test', 'sub-dave');
    expect(again.res.status).toBe(302);
    const me2 = await http().get('/v1/me').set('Cookie', sessionOf(again.res)!);
    expect(me2.body.user.email).toBe('dave.a@acme.test');
    const users = await queryTestDatabase<{ n: string }>(
      tdb.url,
      `SELECT count(*)::text n FROM "User"`,
    );
    expect(users[0]!.n).toBe('3');
  });

  it('a replayed state (same code and state again) is refused', async () => {
    const { res, path, attemptCookie } = await signIn('frank@acme.test', 'sub-frank');
    expect(res.status).toBe(302);
    const replay = await http().get(path).set('Cookie', attemptCookie);
    expect(replay.headers.location).toBe(`${APP_URL}/signin?sso_error=state_invalid`);
    expect(sessionOf(replay)).toBeUndefined();
  });

  it('a callback without the attempt cookie, or with another browser’s, is refused', async () => {
    const before = (await failures()).length;
    const { path } = await toCallback('gina@acme.test', 'sub-gina');
    const none = await http().get(path);
    expect(none.headers.location).toBe(`${APP_URL}/signin?sso_error=state_invalid`);
    const other = await http().get(path).set('Cookie', 'plumbline_sso=someone-elses');
    expect(other.headers.location).toBe(`${APP_URL}/signin?sso_error=state_invalid`);
    expect(sessionOf(none) ?? sessionOf(other)).toBeUndefined();
    expect((await failures()).length).toBe(before + 2);
    expect(await db.users.findByEmail('gina@acme.test')).toBeNull();
  });

  it.each([
    ['wrong_aud', 'wrong audience', /claim aud/],
    ['bad_sig', 'bad signature', /signature/i],
    ['expired', 'expired token', /claim exp/],
  ])('%s (%s): token_invalid, no session, audited', async (mode, _what, why) => {
    await op.send({ mode });
    try {
      const before = (await failures()).length;
      const { res } = await signIn('hank@acme.test', 'sub-hank');
      expect(res.headers.location).toBe(`${APP_URL}/signin?sso_error=token_invalid`);
      expect(sessionOf(res)).toBeUndefined();
      const after = await failures();
      expect(after.length).toBe(before + 1);
      expect(after[0]!.metadata).toMatchObject({ code: 'token_invalid' });
      expect(String((after[0]!.metadata as { kind?: unknown }).kind)).toMatch(why);
      expect(await db.users.findByEmail('hank@acme.test')).toBeNull();
    } finally {
      await op.send({ mode: 'pass' });
    }
  });

  it('an unverified email and a domain not allowed are refused', async () => {
    const unverified = await signIn('eve@acme.test', 'sub-eve');
    expect(unverified.res.headers.location).toBe(`${APP_URL}/signin?sso_error=email_unverified`);
    // Mallory starts as an acme address, then logs in at the provider as mallory@evil.test.
    const foreign = await signIn('someone@acme.test', 'sub-mallory');
    expect(foreign.res.headers.location).toBe(`${APP_URL}/signin?sso_error=domain_not_allowed`);
    for (const r of [unverified.res, foreign.res]) expect(sessionOf(r)).toBeUndefined();
    expect(await db.users.findByEmail('eve@acme.test')).toBeNull();
    expect(await db.users.findByEmail('mallory@evil.test')).toBeNull();
  });

  it('an unknown domain gets 404 with a clear message', async () => {
    const res = await http().post('/v1/auth/sso/start').send({ email: 'x@unknown.test' });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('no single sign-on is set up for this email domain');
  });

  it('a domain is verified by its DNS TXT record; a verified domain cannot be claimed by another org', async () => {
    const put = await as(alice, http().put(`/v1/orgs/${alice.orgId}/sso`)).send(
      config({ clientSecret: undefined, domains: ['acme.test', 'acme-labs.test'] }),
    );
    expect(put.status).toBe(200);
    const labs = put.body.domains.find((d: { domain: string }) => d.domain === 'acme-labs.test');
    expect(labs.verified).toBe(false);
    const no = await as(
      alice,
      http().post(`/v1/orgs/${alice.orgId}/sso/domains/acme-labs.test/verify`),
    );
    expect([no.status, no.body.verified]).toEqual([200, false]);
    txt.set(labs.txtRecordName, [[labs.txtRecordValue]]);
    const yes = await as(
      alice,
      http().post(`/v1/orgs/${alice.orgId}/sso/domains/acme-labs.test/verify`),
    );
    expect([yes.status, yes.body.verified]).toEqual([200, true]);
    const taken = await as(bob, http().put(`/v1/orgs/${bob.orgId}/sso`)).send(
      config({ domains: ['acme.test'] }),
    );
    expect(taken.status).toBe(409);
  });

  it('the issuer is fetched through the egress guard: metadata and private addresses are refused', async () => {
    for (const issuer of [
      'http://169.254.169.254',
      'https://10.1.2.3',
      'http://metadata.google.internal',
    ]) {
      const res = await as(bob, http().put(`/v1/orgs/${bob.orgId}/sso`)).send(
        config({ issuer, domains: ['globex.test'] }),
      );
      expect([issuer, res.status]).toEqual([issuer, 422]);
      expect(res.body.error.message).toMatch(/the issuer is refused/);
    }
  });

  it('tenancy: another organisation’s member gets 404 on GET/PUT/DELETE; members below the role 403', async () => {
    for (const [method, body] of [
      ['get', undefined],
      ['put', config()],
      ['delete', undefined],
    ] as const) {
      const r = as(bob, http()[method](`/v1/orgs/${alice.orgId}/sso`));
      const res = body ? await r.send(body) : await r;
      expect([method, res.status]).toEqual([method, 404]);
      expect(JSON.stringify(res.body)).not.toContain('acme');
    }
    const dave = await signIn('dave@acme.test', 'sub-dave');
    const memberGet = await http()
      .get(`/v1/orgs/${alice.orgId}/sso`)
      .set('Cookie', sessionOf(dave.res)!);
    expect(memberGet.status).toBe(403);
    // No password, so no TOTP of ours: the identity provider holds the second factor.
    const cookie = sessionOf(dave.res)!;
    const me = await http().get('/v1/me').set('Cookie', cookie);
    const enrol = await http()
      .post('/v1/me/mfa/enrol')
      .set('Cookie', cookie)
      .set('X-CSRF-Token', me.body.csrfToken ?? '')
      .send({});
    expect(enrol.status).toBe(409);
    expect(enrol.body.error.message).toMatch(/you sign in with single sign-on/);
  });

  it('SSO required: password sign-in and reset refused for members, the break-glass owner still signs in', async () => {
    const noGlass = await as(alice, http().put(`/v1/orgs/${alice.orgId}/sso`)).send(
      config({ clientSecret: undefined, domains: ['acme.test'], ssoRequired: true }),
    );
    expect(noGlass.status).toBe(422);
    const put = await as(alice, http().put(`/v1/orgs/${alice.orgId}/sso`)).send(
      config({
        clientSecret: undefined,
        domains: ['acme.test'],
        ssoRequired: true,
        breakGlassUserId: alice.userId,
      }),
    );
    expect(put.status).toBe(200);
    // A member with a password (joined before SSO was required) is refused.
    const carol = await signup(app, 'carol@elsewhere.test', 'Carol Co');
    await db.memberships.add(alice.orgId, carol.userId, 'member');
    const refused = await http()
      .post('/v1/auth/login')
      .send({ email: 'carol@elsewhere.test', password: TEST_PASSWORD });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(SSO_REQUIRED_MESSAGE);
    const glass = await http()
      .post('/v1/auth/login')
      .send({ email: 'alice@acme.test', password: TEST_PASSWORD });
    expect(glass.status).toBe(200);
    // Sign-up at the SSO-required domain makes no password account.
    const signupRes = await http().post('/v1/auth/signup').send({
      email: 'newbie@acme.test',
      password: TEST_PASSWORD,
      name: 'Newbie',
      organizationName: 'Newbie Org',
    });
    expect(signupRes.status).toBe(403);
    expect(await db.users.findByEmail('newbie@acme.test')).toBeNull();
    // An invite cannot make a password account either; single sign-on honours its role.
    const inv = await as(alice, http().post(`/v1/orgs/${alice.orgId}/invites`)).send({
      email: 'ivy@acme.test',
      role: 'admin',
    });
    expect(inv.status).toBe(201);
    const byPassword = await http()
      .post('/v1/invites/accept')
      .send({ token: inv.body.token, name: 'Ivy', password: TEST_PASSWORD });
    expect(byPassword.status).toBe(403);
    expect(byPassword.body.error.message).toBe(SSO_REQUIRED_MESSAGE);
    expect(await db.users.findByEmail('ivy@acme.test')).toBeNull();
    const ivy = await signIn('ivy@acme.test', 'sub-ivy');
    expect(ivy.res.status).toBe(302);
    const ivyUser = (await db.users.findByEmail('ivy@acme.test'))!;
    expect(ivyUser.passwordHash).toBeNull();
    await expect(db.memberships.roleOf(alice.orgId, ivyUser.id)).resolves.toBe('admin');
    const reuse = await http()
      .post('/v1/invites/accept')
      .send({ token: inv.body.token, name: 'Ivy', password: TEST_PASSWORD });
    expect(reuse.status).toBe(404);
  });

  it('the organisation export holds the single sign-on settings, domains and identities, never the secret', async () => {
    const res = await as(alice, http().get(`/v1/orgs/${alice.orgId}/export`));
    expect(res.status).toBe(200);
    const doc = JSON.parse(res.text);
    expect(doc.singleSignOn).toMatchObject({
      enabled: true,
      issuer: op.issuer,
      clientId: CLIENT_ID,
      domains: expect.arrayContaining([expect.objectContaining({ domain: 'acme.test' })]),
      identities: expect.arrayContaining([expect.objectContaining({ subject: 'sub-dave' })]),
    });
    expect(res.text).not.toContain(CLIENT_SECRET);
    expect(res.text).not.toMatch(/Ciphertext/);
  });
});
