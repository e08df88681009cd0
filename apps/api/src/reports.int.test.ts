import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import { reportListSchema, reportRecordSchema } from '@plumbline/contracts';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import pino from 'pino';
import request from 'supertest';
import { signup, waitFor, type Session } from '../test/helpers.js';
import { createApp } from './app.js';

/**
 * Report requests through the API on real PostgreSQL. This API runs the jobs in-process with no
 * PDF renderer configured: the job must fail fast, with the reason stored and shown, never hang.
 * Rendering itself is tested through the worker's real Chromium path.
 */
describe('reports: request, status, failure reason, download refusal, audit', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;
  let owner: Session;

  beforeAll(async () => {
    tdb = await createTestDatabase('reports');
    db = Database.connect(tdb.url, { poolSize: 3 });
    app = await createApp(
      loadEnv('api', { DATABASE_URL: tdb.url, LOG_LEVEL: 'silent' }),
      pino({ level: 'silent' }),
    );
    await app.init();
    owner = await signup(app, 'cto@reports.test', 'Reports Co');
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await tdb.drop();
  });

  const post = (body: object) =>
    request(app.getHttpServer())
      .post(`/v1/orgs/${owner.orgId}/reports`)
      .set('Cookie', owner.cookie)
      .set('X-CSRF-Token', owner.csrf)
      .send(body);
  const get = (path: string) =>
    request(app.getHttpServer())
      .get(`/v1/orgs/${owner.orgId}/reports${path}`)
      .set('Cookie', owner.cookie);

  it('bad requests are refused with reasons and store nothing', async () => {
    expect((await post({ paperSize: 'A3' })).status).toBe(422);
    expect((await post({ clusterId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    expect(reportListSchema.parse((await get('')).body).items).toEqual([]);
  });

  it('a request is queued, audited, and fails fast with its reason when no renderer exists', async () => {
    const res = await post({ paperSize: 'Letter' });
    expect(res.status).toBe(202);
    const queued = reportRecordSchema.parse(res.body);
    expect(queued).toMatchObject({ status: 'queued', paperSize: 'Letter', scope: 'organisation' });
    const failed = await waitFor('report failed', async () => {
      const r = reportRecordSchema.parse((await get(`/${queued.id}`)).body);
      return r.status === 'failed' ? r : null;
    });
    expect(failed.error).toMatch(/no report renderer is configured/);
    const pdf = await get(`/${queued.id}/pdf`);
    expect(pdf.status).toBe(409);
    expect(pdf.body.error.message).toMatch(/the report failed: .*no report renderer/);
    const list = reportListSchema.parse((await get('')).body);
    expect(list.items.map((r) => r.id)).toEqual([queued.id]);
    const audit = await db.audit.list(owner.orgId, 20);
    expect(audit.find((e) => e.action === 'report.request')?.targetId).toBe(queued.id);
    expect(audit.some((e) => e.action === 'report.download')).toBe(false);
  });
});
