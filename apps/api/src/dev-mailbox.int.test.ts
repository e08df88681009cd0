/**
 * Without SMTP_URL (local demo, in-process jobs): a mail goes to the log, links included, is
 * marked sent and listed by the development mailbox. With NODE_ENV=production the mailbox route
 * does not exist and a mail fails with the reason, its body in no log line.
 */
import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { signup, waitFor } from '../test/helpers.js';
import { createApp } from './app.js';

const APP_URL = 'http://demo.plumbline.test:3000';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  return {
    lines,
    stream: new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    }),
  };
}

describe('mail without SMTP_URL', () => {
  let tdb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    tdb = await createTestDatabase('devmail');
    db = Database.connect(tdb.url, { poolSize: 2 });
  });
  afterAll(async () => {
    await db.close();
    await tdb.drop();
  });

  it('development: the mail is logged with its link, marked sent, and shown by the dev mailbox', async () => {
    const log = capture();
    const app: INestApplication = await createApp(
      loadEnv('api', { DATABASE_URL: tdb.url, APP_URL, LOG_LEVEL: 'info' }),
      pino({ level: 'info' }, log.stream),
    );
    await app.init();
    try {
      await signup(app, 'dana@demo.test', 'Demo');
      const res = await request(app.getHttpServer())
        .post('/v1/auth/password-reset')
        .send({ email: 'dana@demo.test' });
      expect(res.status).toBe(202);
      const items = await waitFor('both mails sent', async () => {
        const box = await request(app.getHttpServer()).get('/v1/dev/mailbox');
        const list = box.body.items as { kind: string; status: string; text: string; to: string }[];
        return list.length === 2 && list.every((m) => m.status === 'sent') ? list : null;
      });
      expect(items.map((m) => m.kind)).toEqual(['password_reset', 'verify_email']);
      const link = /http:\/\/demo\.plumbline\.test:3000\/reset-password#token=[\w-]+/.exec(
        items[0]!.text,
      )?.[0];
      expect(link).toBeDefined();
      expect(log.lines.join('\n')).toContain(link!);
      // The console mode keeps the body (the mailbox needs it); the link still works once.
      const token = link!.split('#token=')[1]!;
      const ok = await request(app.getHttpServer())
        .post('/v1/auth/password-reset/confirm')
        .send({ token, password: 'a new demo passphrase' });
      expect(ok.status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('production: no mailbox route; a mail fails with the reason and no log line holds it', async () => {
    const log = capture();
    const app: INestApplication = await createApp(
      loadEnv('api', {
        DATABASE_URL: tdb.url,
        APP_URL,
        NODE_ENV: 'production',
        METRICS_TOKEN: 'a-metrics-token-for-the-test',
        LOG_LEVEL: 'info',
      }),
      pino({ level: 'info' }, log.stream),
    );
    await app.init();
    try {
      expect((await request(app.getHttpServer()).get('/v1/dev/mailbox')).status).toBe(404);
      const res = await request(app.getHttpServer())
        .post('/v1/auth/password-reset')
        .send({ email: 'dana@demo.test' });
      expect(res.status).toBe(202);
      const row = await waitFor('mail failed', async () => {
        const rows = await db.outbox.newest(1);
        return rows[0]?.kind === 'password_reset' && rows[0].status === 'failed' ? rows[0] : null;
      });
      expect(row.lastError).toMatch(/SMTP_URL is not set/);
      expect(row.attempts).toBe(1);
      const token = /#token=([\w-]+)/.exec(row.text)![1]!;
      expect(log.lines.join('\n')).not.toContain(token);
    } finally {
      await app.close();
    }
  });
});
