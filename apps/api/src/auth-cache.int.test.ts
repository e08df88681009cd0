import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import pino from 'pino';
import request from 'supertest';
import { signup } from '../test/helpers.js';
import { createApp } from './app.js';

/**
 * The brief session and membership cache of the guards: a change made through the API takes
 * effect on the very next request (sign-out, role change, organisation deletion).
 */
describe('session and membership cache: invalidated on change (real PostgreSQL)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;

  beforeAll(async () => {
    tdb = await createTestDatabase('auth_cache');
    db = Database.connect(tdb.url, { poolSize: 3 });
    app = await createApp(
      loadEnv('api', { DATABASE_URL: tdb.url, LOG_LEVEL: 'silent' }),
      pino({ level: 'silent' }),
    );
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await tdb.drop();
  });

  const http = () => request(app.getHttpServer());

  it('a signed-out session is refused at once, although it was just used', async () => {
    const s = await signup(app, 'out@cache.test', 'Cache Out');
    expect((await http().get('/v1/me').set('Cookie', s.cookie)).status).toBe(200);
    expect((await http().get(`/v1/orgs/${s.orgId}`).set('Cookie', s.cookie)).status).toBe(200);
    const out = await http()
      .post('/v1/auth/logout')
      .set('Cookie', s.cookie)
      .set('X-CSRF-Token', s.csrf);
    expect(out.status).toBe(204);
    expect((await http().get('/v1/me').set('Cookie', s.cookie)).status).toBe(401);
    expect((await http().get(`/v1/orgs/${s.orgId}`).set('Cookie', s.cookie)).status).toBe(401);
  });

  it('a role change applies to the member’s next request', async () => {
    const owner = await signup(app, 'owner@cache.test', 'Cache Roles');
    const member = await signup(app, 'member@cache.test', 'Member Own Org');
    await db.memberships.add(owner.orgId, member.userId, 'admin');
    const token = () =>
      http()
        .post(`/v1/orgs/${owner.orgId}/scanner-tokens`)
        .set('Cookie', member.cookie)
        .set('X-CSRF-Token', member.csrf)
        .send({ name: `t-${Math.random()}` });
    expect((await token()).status).toBe(201); // admin: allowed, and cached
    const demote = await http()
      .patch(`/v1/orgs/${owner.orgId}/members/${member.userId}`)
      .set('Cookie', owner.cookie)
      .set('X-CSRF-Token', owner.csrf)
      .send({ role: 'viewer' });
    expect(demote.status).toBe(200);
    expect((await token()).status).toBe(403);
  });

  it('a deleted organisation is gone for its members at once, and an account deleted with it is signed out', async () => {
    const s = await signup(app, 'gone@cache.test', 'Cache Gone');
    // A member who keeps an account (another organisation of their own).
    const m = await signup(app, 'stays@cache.test', 'Cache Stays');
    await db.memberships.add(s.orgId, m.userId, 'viewer');
    expect((await http().get(`/v1/orgs/${s.orgId}`).set('Cookie', s.cookie)).status).toBe(200);
    expect((await http().get(`/v1/orgs/${s.orgId}`).set('Cookie', m.cookie)).status).toBe(200);
    const slug = (await db.organizations.get(s.orgId))!.slug;
    const del = await http()
      .delete(`/v1/orgs/${s.orgId}`)
      .set('Cookie', s.cookie)
      .set('X-CSRF-Token', s.csrf)
      .send({ confirmSlug: slug });
    expect(del.status).toBeLessThan(300);
    expect(del.body).toMatchObject({ accountDeleted: true });
    // Its only member's account went with it: the cached session must not outlive the account.
    expect((await http().get(`/v1/orgs/${s.orgId}`).set('Cookie', s.cookie)).status).toBe(401);
    expect((await http().get('/v1/me').set('Cookie', s.cookie)).status).toBe(401);
    // The member keeps their account and own organisation; the deleted one is not found.
    expect((await http().get(`/v1/orgs/${s.orgId}`).set('Cookie', m.cookie)).status).toBe(404);
    expect((await http().get(`/v1/orgs/${m.orgId}`).set('Cookie', m.cookie)).status).toBe(200);
  });
});
