import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import { MFA_REQUIRED_MESSAGE } from '@plumbline/contracts';
import { createTestDatabase, Database, queryTestDatabase, type TestDatabase } from '@plumbline/db';
import { randomUUID } from 'node:crypto';
import { Secret, TOTP, URI } from 'otpauth';
import pino from 'pino';
import request from 'supertest';
import { signup, TEST_PASSWORD, type Session } from '../test/helpers.js';
import { createApp } from './app.js';
import { ENROL_NEEDS_SECOND_FACTOR } from './auth/mfa.service.js';

/**
 * Two-factor authentication (TOTP) on the real stack (PostgreSQL + Redis): enrolment with a
 * sealed secret, sign-in in two steps, replay and recovery codes, the sign-in limits, and the
 * organisation switch. Codes are computed with the same TOTP library from the enrolment's URI.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const STEP_MS = 30_000;

/** Wait out the last seconds of a time step, so a code computed now is checked in the same step. */
async function stepSafe(): Promise<void> {
  const left = STEP_MS - (Date.now() % STEP_MS);
  if (left < 4000) await new Promise((r) => setTimeout(r, left + 200));
}

/** The base32 secret of the enrolment's otpauth:// URI, read back as an authenticator app does. */
function secretOf(uri: unknown): string {
  return URI.parse(String(uri)).secret.base32;
}

/** The code of `secret` for the current time step plus `offset` steps. */
function code(secret: string, offset = 0): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    timestamp: Date.now() + offset * STEP_MS,
  });
}

describe('two-factor authentication (real PostgreSQL + Redis)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    tdb = await createTestDatabase('mfa');
    db = Database.connect(tdb.url, { poolSize: 3 });
    app = await createApp(
      loadEnv('api', {
        DATABASE_URL: tdb.url,
        LOG_LEVEL: 'silent',
        REDIS_URL,
        QUEUE_PREFIX: `plumbline-mfa-${randomUUID().slice(0, 8)}`,
        PLUMBLINE_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
      }),
      pino({ level: 'silent' }),
    );
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await db.close();
    await tdb.drop();
  });

  const post = (path: string, s: Session, body: object = {}) =>
    http().post(path).set('Cookie', s.cookie).set('X-CSRF-Token', s.csrf).send(body);

  /** Enrol and confirm with the code of the previous step (the next two steps stay usable). */
  async function enrolled(email: string, org = email) {
    const s = await signup(app, email, org);
    const enrol = await post('/v1/me/mfa/enrol', s);
    expect(enrol.status).toBe(200);
    const secret = secretOf(enrol.body.otpauthUri as string);
    await stepSafe();
    const confirm = await post('/v1/me/mfa/confirm', s, { code: code(secret, -1) });
    expect(confirm.status).toBe(200);
    return { s, secret, recoveryCodes: confirm.body.recoveryCodes as string[] };
  }

  const login = (email: string, password = TEST_PASSWORD) =>
    http().post('/v1/auth/login').send({ email, password });

  it('enrols: a sealed pending secret, a QR code, then 10 recovery codes stored hashed', async () => {
    const s = await signup(app, 'ann@mfa.test', 'Ann Co');
    const enrol = await post('/v1/me/mfa/enrol', s);
    expect(enrol.status).toBe(200);
    expect(enrol.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Plumbline:ann%40mfa\.test\?/);
    expect(enrol.body.qrSvgDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    const svg = Buffer.from(enrol.body.qrSvgDataUrl.split(',')[1], 'base64').toString('utf8');
    expect(svg).toContain('<svg');
    const secret = secretOf(enrol.body.otpauthUri);
    expect(enrol.body.secret).toBe(secret);
    const [row] = await queryTestDatabase<{ pending: Buffer; active: Buffer | null }>(
      tdb.url,
      'SELECT "totpPendingCiphertext" AS pending, "totpSecretCiphertext" AS active FROM "User" WHERE id = $1',
      [s.userId],
    );
    expect(row!.active).toBeNull();
    expect(row!.pending.toString('latin1')).not.toContain(secret);
    // Not on before the confirmation: sign-in is one step still.
    expect((await http().get('/v1/me').set('Cookie', s.cookie)).body.user.mfaEnabled).toBe(false);

    const wrong = await post('/v1/me/mfa/confirm', s, {
      code: '000000' === code(secret) ? '111111' : '000000',
    });
    expect(wrong.status).toBe(422);
    await stepSafe();
    const ok = await post('/v1/me/mfa/confirm', s, { code: code(secret) });
    expect(ok.status).toBe(200);
    const codes = ok.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
    const stored = await queryTestDatabase<{ codeHash: string }>(
      tdb.url,
      'SELECT "codeHash" FROM "RecoveryCode" WHERE "userId" = $1',
      [s.userId],
    );
    expect(stored).toHaveLength(10);
    for (const r of stored) {
      expect(r.codeHash).toMatch(/^[0-9a-f]{64}$/);
      expect(codes.some((c) => r.codeHash.includes(c.replace(/-/g, '')))).toBe(false);
    }
    const me = await http().get('/v1/me').set('Cookie', s.cookie);
    expect(me.body.user.mfaEnabled).toBe(true);
    const status = await http().get('/v1/me/mfa').set('Cookie', s.cookie);
    expect(status.body).toMatchObject({ mfaEnabled: true, recoveryCodesLeft: 10, requiredBy: [] });
    const audit = await db.audit.list(s.orgId);
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['auth.mfa_enrolment_started', 'auth.mfa_enabled']),
    );
  });

  it('sign-in needs the code; a code is not accepted twice; a challenge is used once', async () => {
    const { secret } = await enrolled('ben@mfa.test');
    const first = await login('ben@mfa.test');
    expect(first.status).toBe(200);
    expect(first.headers['set-cookie']).toBeUndefined();
    expect(first.body).toMatchObject({ status: 'mfa_required', expiresInSeconds: 300 });
    expect(first.body.csrfToken).toBeUndefined();
    await stepSafe();
    const now = code(secret);
    const done = await http()
      .post('/v1/auth/login/mfa')
      .send({ challenge: first.body.challenge, code: now });
    expect(done.status).toBe(200);
    const cookie = String(done.headers['set-cookie']![0]).split(';')[0]!;
    expect(cookie).toMatch(/^plumbline_session=/);
    expect(done.body.user.mfaEnabled).toBe(true);
    expect((await http().get('/v1/me').set('Cookie', cookie)).status).toBe(200);
    // The same challenge again: used.
    const reused = await http()
      .post('/v1/auth/login/mfa')
      .send({ challenge: first.body.challenge, code: code(secret, 1) });
    expect(reused.status).toBe(401);
    expect(reused.body.error.message).toMatch(/completed already/);
    // The same code with a new challenge: replay refused.
    const second = await login('ben@mfa.test');
    const replay = await http()
      .post('/v1/auth/login/mfa')
      .send({ challenge: second.body.challenge, code: now });
    expect(replay.status).toBe(401);
    expect(replay.body.error.message).toMatch(/used already/);
    // The next step's code still works.
    const next = await http()
      .post('/v1/auth/login/mfa')
      .send({ challenge: second.body.challenge, code: code(secret, 1) });
    expect(next.status).toBe(200);
    const user = await db.users.findByEmail('ben@mfa.test');
    const orgs = await db.memberships.forUser(user!.id);
    const audit = await db.audit.list(orgs[0]!.organizationId);
    expect(audit.filter((e) => e.action === 'auth.mfa_failed')).toHaveLength(1);
    expect(
      audit.filter(
        (e) =>
          e.action === 'auth.login' &&
          (e.metadata as { secondFactor?: string } | null)?.secondFactor === 'totp',
      ),
    ).toHaveLength(2);
  });

  it('wrong codes count with the password against the sign-in limits (429 with Retry-After)', async () => {
    const { secret } = await enrolled('cid@mfa.test');
    const first = await login('cid@mfa.test');
    const bad = String((Number(code(secret)) + 500_000) % 1_000_000).padStart(6, '0');
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let i = 0; i < 5; i++) {
      last = await http()
        .post('/v1/auth/login/mfa')
        .send({ challenge: first.body.challenge, code: bad });
      statuses.push(last.status);
    }
    // The password counted once: 4 wrong codes, then the (account, client) limit of 5.
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    // The right code is not checked while the limit holds.
    const blocked = await http()
      .post('/v1/auth/login/mfa')
      .send({ challenge: first.body.challenge, code: code(secret) });
    expect(blocked.status).toBe(429);
  });

  it('a recovery code signs in once; an expired challenge is refused', async () => {
    const { recoveryCodes } = await enrolled('dee@mfa.test');
    const c = recoveryCodes[3]!;
    const first = await login('dee@mfa.test');
    // Case and dashes do not matter.
    const ok = await http()
      .post('/v1/auth/login/mfa')
      .send({ challenge: first.body.challenge, recoveryCode: c.toLowerCase().replace(/-/g, '') });
    expect(ok.status).toBe(200);
    const second = await login('dee@mfa.test');
    const again = await http()
      .post('/v1/auth/login/mfa')
      .send({ challenge: second.body.challenge, recoveryCode: c });
    expect(again.status).toBe(401);
    expect(again.body.error.message).toMatch(/recovery code/);
    const user = await db.users.findByEmail('dee@mfa.test');
    expect(await db.mfa.remainingRecoveryCodes(user!.id)).toBe(9);
    // Expired: the challenge's 5 minutes are over.
    const third = await login('dee@mfa.test');
    await queryTestDatabase(
      tdb.url,
      `UPDATE "MfaChallenge" SET "expiresAt" = now() - interval '1 second' WHERE "userId" = $1 AND "usedAt" IS NULL`,
      [user!.id],
    );
    const expired = await http()
      .post('/v1/auth/login/mfa')
      .send({ challenge: third.body.challenge, recoveryCode: recoveryCodes[4] });
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/expired/);
    expect(await db.mfa.remainingRecoveryCodes(user!.id)).toBe(9);
    const orgs = await db.memberships.forUser(user!.id);
    const audit = await db.audit.list(orgs[0]!.organizationId);
    expect(audit.some((e) => e.action === 'auth.mfa_recovery_code_used')).toBe(true);
  });

  it('new recovery codes need a code; disabling needs the password and a code', async () => {
    const { s, secret, recoveryCodes } = await enrolled('eve@mfa.test');
    await stepSafe();
    const regen = await post('/v1/me/mfa/recovery-codes', s, { code: code(secret) });
    expect(regen.status).toBe(200);
    expect(regen.body.recoveryCodes).toHaveLength(10);
    expect(regen.body.recoveryCodes).not.toEqual(recoveryCodes);
    const wrongPassword = await post('/v1/me/mfa/disable', s, {
      password: 'not the password',
      code: code(secret, 1),
    });
    expect(wrongPassword.status).toBe(422);
    const off = await post('/v1/me/mfa/disable', s, {
      password: TEST_PASSWORD,
      code: code(secret, 1),
    });
    expect(off.status).toBe(200);
    expect(await db.mfa.remainingRecoveryCodes(s.userId)).toBe(0);
    const direct = await login('eve@mfa.test');
    expect(direct.status).toBe(200);
    expect(direct.body.csrfToken).toBeDefined();
    const audit = await db.audit.list(s.orgId);
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining(['auth.mfa_recovery_codes_replaced', 'auth.mfa_disabled']),
    );
  });

  /** The other code of the same step: wrong, whatever the current code is. */
  const wrongCode = (secret: string) =>
    String((Number(code(secret)) + 500_000) % 1_000_000).padStart(6, '0');

  const pendingOf = async (userId: string) =>
    (await db.mfa.state(userId))?.totpPendingCiphertext ?? null;

  it('enrolling again needs the current second factor; the old secret works until the new one is confirmed', async () => {
    const { s, secret } = await enrolled('ida@mfa.test');
    await stepSafe();
    // A session alone is not enough: no factor (empty body or none at all) is refused with the reason.
    const empty = await post('/v1/me/mfa/enrol', s);
    expect([empty.status, empty.body.error.message]).toEqual([422, ENROL_NEEDS_SECOND_FACTOR]);
    expect(empty.body.error.details.length).toBeGreaterThan(0);
    const noBody = await http()
      .post('/v1/me/mfa/enrol')
      .set('Cookie', s.cookie)
      .set('X-CSRF-Token', s.csrf);
    expect([noBody.status, noBody.body.error.message]).toEqual([422, ENROL_NEEDS_SECOND_FACTOR]);
    const wrong = await post('/v1/me/mfa/enrol', s, { code: wrongCode(secret) });
    expect([wrong.status, wrong.body.error.message]).toEqual([422, 'wrong code']);
    const both = await post('/v1/me/mfa/enrol', s, {
      code: code(secret),
      recoveryCode: 'AAAA-BBBB-CCCC-DDDD',
    });
    expect(both.status).toBe(422);
    // Nothing pending was stored.
    expect(await pendingOf(s.userId)).toBeNull();

    const again = await post('/v1/me/mfa/enrol', s, { code: code(secret) });
    expect(again.status).toBe(200);
    const next = secretOf(again.body.otpauthUri);
    expect(next).not.toBe(secret);
    expect(await pendingOf(s.userId)).not.toBeNull();
    // The old secret still signs in while the new one is not confirmed.
    const first = await login('ida@mfa.test');
    const signedIn = await http()
      .post('/v1/auth/login/mfa')
      .send({ challenge: first.body.challenge, code: code(secret, 1) });
    expect(signedIn.status).toBe(200);
    const confirm = await post('/v1/me/mfa/confirm', s, { code: code(next) });
    expect(confirm.status).toBe(200);
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    // Confirmed: the old secret no longer counts, the new one does.
    const old = await post('/v1/me/mfa/recovery-codes', s, { code: code(secret, 1) });
    expect([old.status, old.body.error?.message]).toEqual([422, 'wrong code']);
    expect((await post('/v1/me/mfa/recovery-codes', s, { code: code(next, 1) })).status).toBe(200);
    const audit = await db.audit.list(s.orgId);
    expect(
      audit.filter((e) => e.action === 'auth.mfa_enrolment_started').map((e) => e.metadata ?? null),
    ).toEqual(expect.arrayContaining([null, { secondFactor: 'totp' }]));
    expect(audit.map((e) => e.action)).toContain('auth.mfa_replaced');
  });

  it('a user who lost the device re-enrols, replaces the codes and turns it off with recovery codes (each once)', async () => {
    const { recoveryCodes: rc } = await enrolled('jay@mfa.test');
    // Signed in with a recovery code (no device).
    const first = await login('jay@mfa.test');
    const signedIn = await http()
      .post('/v1/auth/login/mfa')
      .send({ challenge: first.body.challenge, recoveryCode: rc[0] });
    expect(signedIn.status).toBe(200);
    const s: Session = {
      cookie: String(signedIn.headers['set-cookie']![0]).split(';')[0]!,
      csrf: signedIn.body.csrfToken,
      userId: signedIn.body.user.id,
      orgId: signedIn.body.organizationId,
    };
    const enrol = await post('/v1/me/mfa/enrol', s, { recoveryCode: rc[1]!.toLowerCase() });
    expect(enrol.status).toBe(200);
    expect(await db.mfa.remainingRecoveryCodes(s.userId)).toBe(8);
    // Spent: the same recovery code is refused the second time, and stores nothing new.
    const pending = await pendingOf(s.userId);
    const spent = await post('/v1/me/mfa/enrol', s, { recoveryCode: rc[1] });
    expect(spent.status).toBe(422);
    expect(spent.body.error.message).toMatch(/recovery code/);
    expect(Buffer.from((await pendingOf(s.userId))!).equals(Buffer.from(pending!))).toBe(true);
    await stepSafe();
    const confirm = await post('/v1/me/mfa/confirm', s, {
      code: code(secretOf(enrol.body.otpauthUri)),
    });
    expect(confirm.status).toBe(200);
    const codes = confirm.body.recoveryCodes as string[];
    // The codes of the old enrolment are gone.
    expect((await post('/v1/me/mfa/recovery-codes', s, { recoveryCode: rc[2] })).status).toBe(422);

    const regen = await post('/v1/me/mfa/recovery-codes', s, { recoveryCode: codes[0] });
    expect(regen.status).toBe(200);
    const fresh = regen.body.recoveryCodes as string[];
    expect(fresh).toHaveLength(10);
    expect(await db.mfa.remainingRecoveryCodes(s.userId)).toBe(10);
    // A wrong password does not spend the recovery code.
    const wrongPassword = await post('/v1/me/mfa/disable', s, {
      password: 'not the password',
      recoveryCode: fresh[0],
    });
    expect(wrongPassword.status).toBe(422);
    expect(await db.mfa.remainingRecoveryCodes(s.userId)).toBe(10);
    const off = await post('/v1/me/mfa/disable', s, {
      password: TEST_PASSWORD,
      recoveryCode: fresh[0],
    });
    expect([off.status, off.body]).toEqual([200, { mfaEnabled: false }]);
    expect(await db.mfa.state(s.userId)).toMatchObject({
      mfaEnabledAt: null,
      totpSecretCiphertext: null,
    });
    expect((await login('jay@mfa.test')).body.csrfToken).toBeDefined();
    const audit = await db.audit.list(s.orgId);
    const used = audit
      .filter((e) => e.action === 'auth.mfa_recovery_code_used')
      .map((e) => (e.metadata as { purpose?: string } | null)?.purpose ?? 'sign-in');
    expect(used.sort()).toEqual(['disable', 'enrol', 'recovery_codes', 'sign-in']);
  });

  it('a code used once is refused by every route; either factor, never both', async () => {
    const { s, secret } = await enrolled('kim@mfa.test');
    await stepSafe();
    const now = code(secret);
    expect((await post('/v1/me/mfa/recovery-codes', s, { code: now })).status).toBe(200);
    const enrol = await post('/v1/me/mfa/enrol', s, { code: now });
    expect([enrol.status, enrol.body.error.message]).toEqual([422, 'this code was used already']);
    expect(await pendingOf(s.userId)).toBeNull();
    const off = await post('/v1/me/mfa/disable', s, { password: TEST_PASSWORD, code: now });
    expect([off.status, off.body.error.message]).toEqual([422, 'this code was used already']);
    for (const [path, body] of [
      ['recovery-codes', {}],
      ['recovery-codes', { code: code(secret, 1), recoveryCode: 'AAAA-BBBB-CCCC-DDDD' }],
      ['disable', { password: TEST_PASSWORD }],
      ['disable', { password: TEST_PASSWORD, code: code(secret, 1), recoveryCode: 'AAAA' }],
      ['enrol', { code: code(secret, 1), extra: true }],
    ] as const) {
      const r = await post(`/v1/me/mfa/${path}`, s, body);
      expect([path, body, r.status]).toEqual([path, body, 422]);
    }
    expect(await db.mfa.state(s.userId)).toMatchObject({ totpPendingCiphertext: null });
    expect((await db.mfa.state(s.userId))?.mfaEnabledAt).not.toBeNull();
    // The next code works.
    expect((await post('/v1/me/mfa/enrol', s, { code: code(secret, 1) })).status).toBe(200);
  });

  it('enrolling again counts against the same limits as the other two-factor routes (429)', async () => {
    // A new address each run: the lock outlives the test database (it is in Redis).
    const email = `lee-${randomUUID().slice(0, 8)}@mfa.test`;
    const { s, secret, recoveryCodes } = await enrolled(email);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await post('/v1/me/mfa/enrol', s, { code: wrongCode(secret) })).status);
    statuses.push(
      (await post('/v1/me/mfa/recovery-codes', s, { recoveryCode: 'AAAA-BBBB-CCCC-DDDD' })).status,
    );
    expect(statuses).toEqual([422, 422, 422, 422, 422]);
    // The (account, client) limit of 5 is reached: the right factor is not checked any more.
    const locked = await post('/v1/me/mfa/enrol', s, { code: code(secret) });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    const viaRecovery = await post('/v1/me/mfa/enrol', s, { recoveryCode: recoveryCodes[0] });
    expect(viaRecovery.status).toBe(429);
    expect(await db.mfa.remainingRecoveryCodes(s.userId)).toBe(10);
    expect(await pendingOf(s.userId)).toBeNull();
  });

  it('an organisation requiring it: members without it get 403 with the reason, and can enrol', async () => {
    const owner = await enrolled('fay@mfa.test', 'Fay Org');
    const member = await signup(app, 'gus@mfa.test', 'Gus Solo');
    await db.memberships.add(owner.s.orgId, member.userId, 'admin');
    // An admin without two-factor authentication cannot turn the requirement on.
    const refused = await http()
      .put(`/v1/orgs/${owner.s.orgId}/security`)
      .set('Cookie', member.cookie)
      .set('X-CSRF-Token', member.csrf)
      .send({ requireMfa: true });
    expect(refused.status).toBe(409);
    const on = await http()
      .put(`/v1/orgs/${owner.s.orgId}/security`)
      .set('Cookie', owner.s.cookie)
      .set('X-CSRF-Token', owner.s.csrf)
      .send({ requireMfa: true });
    expect([on.status, on.body]).toEqual([200, { requireMfa: true }]);
    const blocked = await http()
      .get(`/v1/orgs/${owner.s.orgId}/clusters`)
      .set('Cookie', member.cookie);
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.message).toBe(MFA_REQUIRED_MESSAGE);
    expect(blocked.body.error.details).toEqual(['mfa_required']);
    // Their own organisation (no requirement) stays open; the owner gets through.
    expect(
      (await http().get(`/v1/orgs/${member.orgId}/clusters`).set('Cookie', member.cookie)).status,
    ).toBe(200);
    expect(
      (await http().get(`/v1/orgs/${owner.s.orgId}/clusters`).set('Cookie', owner.s.cookie)).status,
    ).toBe(200);
    const me = await http().get('/v1/me').set('Cookie', member.cookie);
    expect(me.body.user.mfaEnabled).toBe(false);
    expect(
      me.body.organizations.map((o: { id: string; mfaRequired: boolean }) => [o.id, o.mfaRequired]),
    ).toEqual(
      expect.arrayContaining([
        [owner.s.orgId, true],
        [member.orgId, false],
      ]),
    );
    // Enrolment stays open; once on, the organisation opens.
    const enrol = await post('/v1/me/mfa/enrol', member);
    expect(enrol.status).toBe(200);
    await stepSafe();
    const secret = secretOf(enrol.body.otpauthUri as string);
    expect((await post('/v1/me/mfa/confirm', member, { code: code(secret) })).status).toBe(200);
    expect(
      (await http().get(`/v1/orgs/${owner.s.orgId}/clusters`).set('Cookie', member.cookie)).status,
    ).toBe(200);
    // While the organisation requires it, it cannot be turned off.
    const off = await post('/v1/me/mfa/disable', owner.s, {
      password: TEST_PASSWORD,
      code: code(owner.secret, 1),
    });
    expect(off.status).toBe(409);
    const audit = await db.audit.list(owner.s.orgId);
    const change = audit.find((e) => e.action === 'org.security_change');
    expect(change?.metadata).toEqual({ requireMfa: { from: false, to: true } });
  });

  it('bad input is refused with reasons and writes nothing', async () => {
    const s = await signup(app, 'hal@mfa.test', 'Hal Co');
    const cases: object[] = [
      { code: '12\u000034' },
      { code: '\ud800abcde' },
      { code: 123456 },
      { code: '1234567' },
      { code: '123456', extra: true },
      {},
    ];
    for (const body of cases) {
      const r = await post('/v1/me/mfa/confirm', s, body);
      expect([JSON.stringify(body), r.status]).toEqual([JSON.stringify(body), 422]);
      expect(r.body.error.details.length).toBeGreaterThan(0);
    }
    const huge = await post('/v1/me/mfa/confirm', s, { code: 'x'.repeat(3_000_000) });
    expect(huge.status).toBe(413);
    for (const body of [
      { challenge: 'c'.repeat(40) },
      { challenge: 'c'.repeat(40), code: '123456', recoveryCode: 'AAAA-BBBB-CCCC-DDDD' },
      { challenge: '\u0000'.repeat(40), code: '123456' },
      { challenge: ['x'], code: '123456' },
    ]) {
      const r = await http().post('/v1/auth/login/mfa').send(body);
      expect(r.status).toBe(422);
    }
    const unknown = await http()
      .post('/v1/auth/login/mfa')
      .send({ challenge: 'c'.repeat(43), code: '123456' });
    expect(unknown.status).toBe(401);
    for (const body of [{ requireMfa: 'yes' }, { requireMfa: true, x: 1 }, {}]) {
      const r = await http()
        .put(`/v1/orgs/${s.orgId}/security`)
        .set('Cookie', s.cookie)
        .set('X-CSRF-Token', s.csrf)
        .send(body);
      expect(r.status).toBe(422);
    }
    for (const body of [
      { extra: true },
      { code: '12' },
      { code: '123456', recoveryCode: 'AAAA-BBBB-CCCC-DDDD' },
      { recoveryCode: '<script>' },
    ]) {
      const r = await post('/v1/me/mfa/enrol', s, body);
      expect([JSON.stringify(body), r.status]).toEqual([JSON.stringify(body), 422]);
    }
    const state = await db.mfa.state(s.userId);
    expect(state).toMatchObject({ mfaEnabledAt: null, totpPendingCiphertext: null });
    expect(await db.mfa.requiredBy(s.orgId)).toBe(false);
    // No CSRF header: refused.
    const noCsrf = await http().post('/v1/me/mfa/enrol').set('Cookie', s.cookie);
    expect(noCsrf.status).toBe(403);
  });
});
