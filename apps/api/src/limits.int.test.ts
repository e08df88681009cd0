import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import request from 'supertest';
import { createApp } from './app.js';

/** Hostile uploads: each gets a 4xx with a reason, nothing is written, the API stays up. */
describe('snapshot upload limits (real PostgreSQL)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;
  let token: string;
  let orgId: string;

  beforeAll(async () => {
    tdb = await createTestDatabase('limits');
    db = Database.connect(tdb.url, { poolSize: 2 });
    orgId = (await db.organizations.create({ name: 'Limits', slug: 'limits' })).id;
    token = (await db.scannerTokens.create(orgId, { name: 't' })).token;
    const env = loadEnv('api', {
      DATABASE_URL: tdb.url,
      LOG_LEVEL: 'silent',
      SNAPSHOT_MAX_COMPRESSED_MB: '1',
      SNAPSHOT_MAX_DECOMPRESSED_MB: '2',
    });
    app = await createApp(env, pino({ level: 'silent' }));
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await tdb.drop();
  });

  const post = (body: Buffer | string, gzip = false) => {
    let r = request(app.getHttpServer())
      .post('/v1/snapshots')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json');
    if (gzip) r = r.set('Content-Encoding', 'gzip');
    return r.serialize((b: unknown) => b as string).send(body);
  };

  it('a gzip bomb is refused while decompressing', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const res = await post(bomb, true);
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/decompressed snapshot exceeds/);
  });

  it('an oversized body is refused before it is read whole', async () => {
    const res = await post(randomBytes(3 * 1024 * 1024), true);
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({
      code: 'payload_too_large',
      message: 'request body too large',
    });
  });

  it('deeply nested JSON is refused without parsing it', async () => {
    const res = await post('['.repeat(100_000) + ']'.repeat(100_000));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/nested deeper than 64 levels/);
  });

  it('nothing was written and the API is healthy', async () => {
    expect(await db.clusters.list(orgId)).toEqual([]);
    expect((await request(app.getHttpServer()).get('/healthz')).status).toBe(200);
  });
});
