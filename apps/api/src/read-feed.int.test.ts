import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import { createTestDatabase, type Database, type TestDatabase } from '@plumbline/db';
import pino from 'pino';
import request from 'supertest';
import { signup } from '../test/helpers.js';
import { createApp } from './app.js';
import { DATABASE } from './common/tokens.js';

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The API's read change feed (READ_CHANGE_FEED, on by default): it listens from boot; a write it
 * serves forgets what the feed vouched for, before and after, whatever the write touched (even
 * a refused one), so a client never reads from before its own write; reads leave it alone. Off,
 * nothing listens. The feed's own behaviour is tested in packages/read-models (pages).
 */
describe('read change feed in the API (real PostgreSQL)', () => {
  let tdb: TestDatabase;
  let app: INestApplication;
  let db: Database;

  beforeAll(async () => {
    tdb = await createTestDatabase('api_read_feed');
    app = await createApp(
      loadEnv('api', { DATABASE_URL: tdb.url, LOG_LEVEL: 'silent' }),
      pino({ level: 'silent' }),
    );
    await app.init();
    db = app.get<symbol, Database>(DATABASE);
    await until(() => db.changes.live, 'the feed to listen');
  });
  afterAll(async () => {
    await app.close();
    await tdb.drop();
  });

  const http = () => request(app.getHttpServer());

  it('a write, even a refused one, moves every version; a read moves none', async () => {
    const s = await signup(app, 'feed@read.test', 'Feed Org');
    const overview = async () =>
      http().get(`/v1/orgs/${s.orgId}/overview`).set('Cookie', s.cookie).expect(200);
    await overview();
    const v = db.changes.version(s.orgId);
    expect(v).not.toBeNull();
    await overview();
    await http().get('/v1/me').set('Cookie', s.cookie).expect(200);
    expect(db.changes.version(s.orgId)).toBe(v);
    // Refused before it wrote anything: the version moves all the same.
    const refused = await http()
      .put(`/v1/orgs/${s.orgId}/cost/assumptions`)
      .set('Cookie', s.cookie)
      .set('X-CSRF-Token', s.csrf)
      .send({ overrides: { loadedSalary: 'lots' } });
    expect(refused.status).toBe(422);
    const afterRefused = db.changes.version(s.orgId);
    expect(afterRefused).not.toBe(v);
    // A write that succeeds moves it again, before its answer is read.
    const saved = await http()
      .put(`/v1/orgs/${s.orgId}/cost/assumptions`)
      .set('Cookie', s.cookie)
      .set('X-CSRF-Token', s.csrf)
      .send({ overrides: { loadedSalary: 210_000 } });
    expect(saved.status).toBe(200);
    expect(db.changes.version(s.orgId)).not.toBe(afterRefused);
  });

  it('off (READ_CHANGE_FEED=false): nothing listens and every version is null', async () => {
    const off = await createApp(
      loadEnv('api', { DATABASE_URL: tdb.url, LOG_LEVEL: 'silent', READ_CHANGE_FEED: 'false' }),
      pino({ level: 'silent' }),
    );
    await off.init();
    try {
      const offDb = off.get<symbol, Database>(DATABASE);
      await new Promise((r) => setTimeout(r, 300));
      expect(offDb.changes.live).toBe(false);
      expect(offDb.changes.version('00000000-0000-4000-8000-000000000000')).toBeNull();
    } finally {
      await off.close();
    }
  });
});
