/**
 * Mail end to end on real PostgreSQL, Redis and SMTP: the API (BullMQ mode) writes the outbox
 * and queues `email.send`; a BullMQ worker delivers through nodemailer to a real SMTP server
 * (npm `smtp-server`) started here on a random port; the test reads what arrived (`mailparser`).
 * Password reset (single use, 30 minutes, hashed, every session ended), email verification,
 * invite mails, no account enumeration, one mail for a job run twice, bad input refused with
 * nothing written, and an SMTP server that is down: retried, then failed with the reason, and
 * the worker goes on.
 */
import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import { makeJobEnvelope } from '@plumbline/contracts';
import {
  createTestDatabase,
  Database,
  DELIVERED_BODY_REMOVED,
  hashScannerToken,
  queryTestDatabase,
  type TestDatabase,
} from '@plumbline/db';
import {
  BullMqJobQueue,
  BullMqWorkerHost,
  createJobHandlers,
  emailSendHandler,
  SmtpMailTransport,
  type JobLogger,
} from '@plumbline/jobs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { simpleParser } from 'mailparser';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { signup, TEST_PASSWORD, waitFor, type Session } from '../test/helpers.js';
import { createApp } from './app.js';

jest.setTimeout(90_000);

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const APP_URL = 'http://plumbline.test';
const FROM = 'Plumbline <no-reply@plumbline.test>';
const NEW_PASSWORD = 'a brand new passphrase 42';

interface Received {
  to: string[];
  from: string;
  subject: string;
  text: string;
  messageId: string;
}

/** A real SMTP server (no TLS, no auth) keeping every mail it accepts. */
async function startSmtp(
  inbox: Received[],
  port = 0,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        simpleParser(Buffer.concat(chunks))
          .then((parsed) => {
            inbox.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              from:
                typeof session.envelope.mailFrom === 'object'
                  ? session.envelope.mailFrom.address
                  : '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              messageId: parsed.messageId ?? '',
            });
            callback();
          })
          .catch((e: Error) => callback(e));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const address = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return {
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const log: string[] = [];
const logStream = new Writable({
  write(chunk: Buffer, _enc, cb) {
    log.push(chunk.toString());
    cb();
  },
});
const jobLog: JobLogger = {
  info: (o, m) => log.push(JSON.stringify({ ...o, m })),
  warn: (o, m) => log.push(JSON.stringify({ ...o, m })),
  error: (o, m) => log.push(JSON.stringify({ ...o, m })),
};

describe('mail: outbox -> email.send -> real SMTP', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;
  let smtp: { port: number; close(): Promise<void> };
  let worker: BullMqWorkerHost;
  let producer: BullMqJobQueue;
  let transport: SmtpMailTransport;
  const inbox: Received[] = [];
  const prefix = `plumbline-mail-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL);
  const http = () => request(app.getHttpServer());

  const mailTo = (address: string, subject: RegExp) =>
    waitFor(`mail to ${address} (${subject})`, () =>
      Promise.resolve(
        [...inbox].reverse().find((m) => m.to.includes(address) && subject.test(m.subject)),
      ),
    );
  /** The first mail to `address` that arrived after the inbox had `after` mails. */
  const nextMailTo = (address: string, subject: RegExp, after: number) =>
    waitFor(`a new mail to ${address} (${subject})`, () =>
      Promise.resolve(
        inbox.slice(after).find((m) => m.to.includes(address) && subject.test(m.subject)),
      ),
    );
  const tokenIn = (mail: Received, path: string): string => {
    const m = new RegExp(`${APP_URL}${path}#(?:token=)?([A-Za-z0-9_-]{20,})`).exec(mail.text);
    if (!m) throw new Error(`no ${path} link in: ${mail.text}`);
    return m[1]!;
  };
  const me = (s: { cookie: string }) => http().get('/v1/me').set('Cookie', s.cookie);
  const login = (email: string, password: string) =>
    http().post('/v1/auth/login').send({ email, password });
  const count = async (table: string) =>
    Number(
      (
        await queryTestDatabase<{ n: string }>(
          tdb.url,
          `SELECT count(*)::text AS n FROM "${table}"`,
        )
      )[0]!.n,
    );

  beforeAll(async () => {
    tdb = await createTestDatabase('mail');
    db = Database.connect(tdb.url, { poolSize: 4 });
    smtp = await startSmtp(inbox);
    const smtpUrl = `smtp://127.0.0.1:${smtp.port}`;
    const env = loadEnv('api', {
      DATABASE_URL: tdb.url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      SMTP_URL: smtpUrl,
      MAIL_FROM: FROM,
      APP_URL,
      LOG_LEVEL: 'info',
    });
    app = await createApp(env, pino({ level: 'info' }, logStream));
    await app.init();
    producer = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix });
    transport = new SmtpMailTransport(smtpUrl, { timeoutMs: 3000 });
    worker = new BullMqWorkerHost(
      { redisUrl: REDIS_URL, prefix, concurrency: 2 },
      createJobHandlers(
        db,
        async (name, payload, requestId, options) => {
          await producer.enqueue(name, payload, { requestId, ...options });
        },
        undefined,
        { mail: { transport, from: FROM } },
      ),
      jobLog,
    );
    worker.start();
  });

  afterAll(async () => {
    await worker.close();
    await producer.close();
    await app.close();
    await smtp.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.close();
    await tdb.drop();
  });

  describe('password reset', () => {
    let user: Session;
    const email = 'rita@acme.test';

    beforeAll(async () => {
      user = await signup(app, email, 'Acme');
    });

    it('mails a single-use link; the new password works, the old one and every session do not', async () => {
      const second = await login(email, TEST_PASSWORD);
      const secondCookie = String(second.headers['set-cookie']![0]).split(';')[0]!;
      expect((await me(user)).status).toBe(200);

      const asked = await http().post('/v1/auth/password-reset').send({ email });
      expect([asked.status, asked.body]).toEqual([
        202,
        { status: 'accepted', expiresInMinutes: 30 },
      ]);
      const mail = await mailTo(email, /Reset your Plumbline password/);
      expect(mail.from).toBe('no-reply@plumbline.test');
      expect(mail.text).toMatch(/works once, for 30 minutes/);
      const token = tokenIn(mail, '/reset-password');

      // Only the SHA-256 is stored; the delivered mail's body is gone from the outbox.
      const tokens = await queryTestDatabase<{ tokenHash: string; expiresAt: Date }>(
        tdb.url,
        `SELECT "tokenHash", "expiresAt" FROM "UserToken" WHERE purpose = 'password_reset'`,
      );
      expect(tokens.map((t) => t.tokenHash)).toEqual([hashScannerToken(token)]);
      const minutes = (tokens[0]!.expiresAt.getTime() - Date.now()) / 60_000;
      expect(minutes).toBeGreaterThan(28);
      expect(minutes).toBeLessThanOrEqual(30);
      await waitFor('outbox row sent', async () => {
        const rows = await queryTestDatabase<{ status: string; text: string; messageId: string }>(
          tdb.url,
          `SELECT status, text, "messageId" FROM "OutboxEmail" WHERE kind = 'password-reset'`,
        );
        return rows[0]?.status === 'sent' ? rows : null;
      }).then((rows) => {
        expect(rows[0]!.text).toBe(DELIVERED_BODY_REMOVED);
        expect(rows[0]!.messageId).toBe(mail.messageId);
      });
      const dump = JSON.stringify(await queryTestDatabase(tdb.url, `SELECT * FROM "OutboxEmail"`));
      expect(dump).not.toContain(token);

      // A password the policy refuses: 422, and the link still works afterwards.
      const weak = await http()
        .post('/v1/auth/password-reset/confirm')
        .send({ token, password: 'password1234' });
      expect(weak.status).toBe(422);

      const done = await http()
        .post('/v1/auth/password-reset/confirm')
        .send({ token, password: NEW_PASSWORD });
      expect([done.status, done.body]).toEqual([200, { status: 'reset', next: 'sign_in' }]);
      const again = await http()
        .post('/v1/auth/password-reset/confirm')
        .send({ token, password: NEW_PASSWORD });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/used already/);

      // Every session of the account ended (the auth cache too); only the new password signs in.
      expect((await me(user)).status).toBe(401);
      expect((await me({ cookie: secondCookie })).status).toBe(401);
      expect((await login(email, TEST_PASSWORD)).status).toBe(401);
      const fresh = await login(email, NEW_PASSWORD);
      expect(fresh.status).toBe(200);
      // The reset link reached the mailbox: the address counts as confirmed.
      expect(fresh.body.user.emailVerified).toBe(true);
      const audit = await db.audit.list(user.orgId);
      expect(audit.map((e) => e.action)).toEqual(
        expect.arrayContaining(['auth.password_reset_requested', 'auth.password_reset']),
      );
      // No log line carries the token (SMTP mode never logs a body).
      expect(log.join('\n')).not.toContain(token);
    });

    it('refuses an expired link, an unknown one and one replaced by a newer request', async () => {
      let seen = inbox.length;
      await http().post('/v1/auth/password-reset').send({ email });
      const first = tokenIn(await nextMailTo(email, /Reset/, seen), '/reset-password');
      seen = inbox.length;
      await http().post('/v1/auth/password-reset').send({ email });
      const second = tokenIn(await nextMailTo(email, /Reset/, seen), '/reset-password');
      expect(second).not.toBe(first);
      const replaced = await http()
        .post('/v1/auth/password-reset/confirm')
        .send({ token: first, password: NEW_PASSWORD });
      expect(replaced.status).toBe(404);
      await queryTestDatabase(
        tdb.url,
        `UPDATE "UserToken" SET "expiresAt" = now() - interval '1 minute' WHERE "tokenHash" = $1`,
        [hashScannerToken(second)],
      );
      const expired = await http()
        .post('/v1/auth/password-reset/confirm')
        .send({ token: second, password: 'yet another passphrase 7' });
      expect(expired.status).toBe(400);
      expect(expired.body.error.message).toMatch(/expired/);
      const unknown = await http()
        .post('/v1/auth/password-reset/confirm')
        .send({ token: 'x'.repeat(43), password: 'yet another passphrase 7' });
      expect(unknown.status).toBe(404);
      // Still the password of the first test.
      expect((await login(email, NEW_PASSWORD)).status).toBe(200);
    });

    it('answers an unknown email exactly like a known one, and mails nobody', async () => {
      const ghost = 'nobody@nowhere.test';
      const unknown = await http().post('/v1/auth/password-reset').send({ email: ghost });
      const known = await http().post('/v1/auth/password-reset').send({ email: 'rita@acme.test' });
      expect([unknown.status, unknown.body]).toEqual([known.status, known.body]);
      const before = inbox.length;
      // Wait for the known one's mail: the unknown request was made earlier.
      await waitFor('the known account mailed', () =>
        Promise.resolve(inbox.length > before ? true : null),
      );
      expect(inbox.some((m) => m.to.includes(ghost))).toBe(false);
      expect(
        await queryTestDatabase(tdb.url, `SELECT id FROM "OutboxEmail" WHERE "to" = $1`, [ghost]),
      ).toEqual([]);
    });

    it('is rate limited like sign-in, known account or not', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++)
        statuses.push(
          (await http().post('/v1/auth/password-reset').send({ email: 'flood@nowhere.test' }))
            .status,
        );
      expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    });
  });

  describe('email verification', () => {
    it('sign-up mails a link; it verifies once; a resent link replaces it', async () => {
      const email = 'vic@initech.test';
      const user = await signup(app, email, 'Initech');
      const mail = await mailTo(email, /Confirm your email address/);
      const token = tokenIn(mail, '/verify-email');
      expect((await me(user)).body.user).toMatchObject({ email, emailVerified: false });
      // Sign-in is not blocked for an unverified address (signup() above signed in).

      const resent = await http()
        .post('/v1/auth/verify-email/resend')
        .set('Cookie', user.cookie)
        .set('X-CSRF-Token', user.csrf);
      expect([resent.status, resent.body]).toEqual([202, { status: 'sent' }]);
      const newer = await waitFor('a second verification mail', () =>
        Promise.resolve(
          inbox
            .filter((m) => m.to.includes(email) && /Confirm/.test(m.subject))
            .map((m) => tokenIn(m, '/verify-email'))
            .find((t) => t !== token),
        ),
      );
      expect((await http().post('/v1/auth/verify-email').send({ token })).status).toBe(404);
      const ok = await http().post('/v1/auth/verify-email').send({ token: newer });
      expect([ok.status, ok.body]).toEqual([200, { status: 'verified' }]);
      const again = await http().post('/v1/auth/verify-email').send({ token: newer });
      expect(again.status).toBe(409);
      expect((await me(user)).body.user.emailVerified).toBe(true);
      const done = await http()
        .post('/v1/auth/verify-email/resend')
        .set('Cookie', user.cookie)
        .set('X-CSRF-Token', user.csrf);
      expect(done.body).toEqual({ status: 'already_verified' });
      expect((await http().post('/v1/auth/verify-email/resend')).status).toBe(401);
    });

    it('an existing email signing up again gets no mail and the same answer', async () => {
      const before = inbox.filter((m) => m.to.includes('vic@initech.test')).length;
      const res = await http().post('/v1/auth/signup').send({
        email: 'vic@initech.test',
        password: 'some other passphrase',
        name: 'Not Vic',
        organizationName: 'Yoyodyne',
      });
      expect(res.status).toBe(202);
      // The next mail to someone else arrives; none more to vic.
      const other = await signup(app, 'wes@globex.test', 'Globex');
      await mailTo('wes@globex.test', /Confirm/);
      expect(other.userId).toEqual(expect.any(String));
      expect(inbox.filter((m) => m.to.includes('vic@initech.test')).length).toBe(before);
    });
  });

  it('an invite mails its link, and the link joins the organisation', async () => {
    const owner = await signup(app, 'olga@umbrella.test', 'Umbrella');
    const res = await http()
      .post(`/v1/orgs/${owner.orgId}/invites`)
      .set('Cookie', owner.cookie)
      .set('X-CSRF-Token', owner.csrf)
      .send({ email: 'ivan@umbrella.test', role: 'member' });
    expect(res.status).toBe(201);
    const mail = await mailTo('ivan@umbrella.test', /invited to Umbrella/);
    expect(mail.text).toMatch(/olga invited you to join Umbrella on Plumbline as member/);
    const token = tokenIn(mail, '/invite');
    expect(token).toBe(res.body.token);
    const accepted = await http()
      .post('/v1/invites/accept')
      .send({ token, name: 'Ivan', password: 'correct horse battery' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.organizationId).toBe(owner.orgId);
    // The organisation's mail is its data: exported without bodies, deleted with it.
    const exported = await http().get(`/v1/orgs/${owner.orgId}/export`).set('Cookie', owner.cookie);
    const doc = JSON.parse(exported.text);
    expect(doc.outboxEmails.map((m: { kind: string; to: string }) => [m.kind, m.to])).toEqual(
      expect.arrayContaining([['invite', 'ivan@umbrella.test']]),
    );
    expect(exported.text).not.toContain(token);
    const deleted = await http()
      .delete(`/v1/orgs/${owner.orgId}`)
      .set('Cookie', owner.cookie)
      .set('X-CSRF-Token', owner.csrf)
      .send({ confirmSlug: 'umbrella' });
    expect(deleted.status).toBe(200);
    expect(deleted.body.counts.outboxEmails).toBeGreaterThanOrEqual(2);
    expect(
      await queryTestDatabase(tdb.url, `SELECT id FROM "OutboxEmail" WHERE "organizationId" = $1`, [
        owner.orgId,
      ]),
    ).toEqual([]);
  });

  it('a job run twice (and once more by hand) sends one mail', async () => {
    const row = await db.outbox.create({
      organizationId: null,
      to: 'twice@acme.test',
      kind: 'test',
      subject: 'Exactly once',
      text: 'one copy only',
    });
    await producer.enqueue('email.send', { emailId: row.id }, { jobId: `first-${row.id}` });
    await producer.enqueue('email.send', { emailId: row.id }, { jobId: `second-${row.id}` });
    const bull = new Queue('email-send', { connection: redis, prefix });
    try {
      await waitFor('both jobs completed', async () => {
        const states = await Promise.all(
          [`first-${row.id}`, `second-${row.id}`].map(async (id) =>
            (await bull.getJob(id))?.getState(),
          ),
        );
        return states.every((s) => s === 'completed');
      });
    } finally {
      await bull.close();
    }
    await emailSendHandler(db, transport, FROM).run(
      makeJobEnvelope('email.send', { emailId: row.id }),
      { jobId: 'by-hand', attempt: 1, log: jobLog },
    );
    expect(inbox.filter((m) => m.subject === 'Exactly once')).toHaveLength(1);
    expect(await db.outbox.get(row.id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  describe('bad input: 4xx with the reason, nothing written', () => {
    const cases: [string, string, object, number, RegExp][] = [
      ['NUL in the email', '/v1/auth/password-reset', { email: 'a\u0000@acme.test' }, 422, /email/],
      [
        'an unknown field',
        '/v1/auth/password-reset',
        { email: 'rita@acme.test', admin: true },
        422,
        /admin|unrecognized/i,
      ],
      [
        'a lone surrogate in the token',
        '/v1/auth/password-reset/confirm',
        { token: `${'a'.repeat(20)}\ud800`, password: NEW_PASSWORD },
        422,
        /token/,
      ],
      [
        'NUL in the new password',
        '/v1/auth/password-reset/confirm',
        { token: 'a'.repeat(43), password: `${NEW_PASSWORD}\u0000` },
        422,
        /password/,
      ],
      [
        'a token that is too long',
        '/v1/auth/verify-email',
        { token: 'a'.repeat(500) },
        422,
        /token/,
      ],
      ['no token', '/v1/auth/verify-email', {}, 422, /token/],
    ];
    it.each(cases)('%s', async (_what, path, body, status, reason) => {
      const before = [
        await count('UserToken'),
        await count('OutboxEmail'),
        await count('AuditEvent'),
      ];
      const res = await http().post(path).send(body);
      expect(res.status).toBe(status);
      expect(JSON.stringify(res.body.error)).toMatch(reason);
      expect([
        await count('UserToken'),
        await count('OutboxEmail'),
        await count('AuditEvent'),
      ]).toEqual(before);
    });

    it('a huge body: 413', async () => {
      const before = await count('OutboxEmail');
      const res = await http()
        .post('/v1/auth/password-reset')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ email: `${'a'.repeat(2 * 1024 * 1024)}@acme.test` }));
      expect(res.status).toBe(413);
      expect(await count('OutboxEmail')).toBe(before);
    });
  });

  it('SMTP down: retried with back-off, then failed with the reason; the worker goes on', async () => {
    await smtp.close();
    const row = await db.outbox.create({
      organizationId: null,
      to: 'down@acme.test',
      kind: 'alert',
      subject: 'Nobody listens',
      text: 'the server is down',
    });
    await producer.enqueue('email.send', { emailId: row.id }, { jobId: `email-${row.id}` });
    const failed = await waitFor(
      'mail failed',
      async () => {
        const r = await db.outbox.get(row.id);
        return r?.status === 'failed' ? r : null;
      },
      60_000,
    );
    expect(failed.attempts).toBe(3);
    expect(failed.lastError).toMatch(/ECONNECTION|ECONNREFUSED/);
    expect(failed.sentAt).toBeNull();
    // The server comes back on its port: the same worker delivers the next mail.
    smtp = await startSmtp(inbox, smtp.port);
    const seen = inbox.length;
    await http().post('/v1/auth/password-reset').send({ email: 'wes@globex.test' });
    await nextMailTo('wes@globex.test', /Reset/, seen);
  });
});
