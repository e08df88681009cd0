import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import { minimalSnapshot, type ClusterSnapshot } from '@plumbline/contracts';
import {
  countOrganizationRows,
  createTestDatabase,
  Database,
  queryTestDatabase,
  type TestDatabase,
} from '@plumbline/db';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import request from 'supertest';
import { generatedSnapshot, signup, type Session } from '../test/helpers.js';
import { createApp } from './app.js';

/**
 * Issue 17 (items 4, 6, 8, 10, 11, 12) on the real stack: hostile text gets a 422 naming the
 * field and writes nothing; other encodings get 415; identical uploads racing all get 200/202;
 * a token bound to a cluster uploads that cluster only; an unreachable Redis or database gives
 * a fast 503 with Retry-After, and the public /readyz names no address or driver message.
 */

const silent = pino({ level: 'silent' });
const PASSWORD = 'Plumb-line-Test-9f3k2!x';

/** The kinds of unstorable text: NUL, a lone high surrogate, a lone low surrogate, reversed. */
const HOSTILE: [string, string][] = [
  ['NUL', 'alpha\u0000prod'],
  ['lone high surrogate', 'alpha\ud800prod'],
  ['lone low surrogate', 'alpha\udc00prod'],
  ['reversed pair', 'alpha\udc00\ud800prod'],
  ['trailing high surrogate', 'alpha\ud83d'],
];

/** A free TCP port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('ingest hardening (real PostgreSQL)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;
  let token: string;
  let orgId: string;
  let owner: Session;

  beforeAll(async () => {
    tdb = await createTestDatabase('ingest_hardening');
    db = Database.connect(tdb.url, { poolSize: 4 });
    app = await createApp(
      loadEnv('api', {
        DATABASE_URL: tdb.url,
        LOG_LEVEL: 'silent',
        SNAPSHOT_MAX_DECOMPRESSED_MB: '4',
      }),
      silent,
    );
    await app.init();
    owner = await signup(app, `owner-${randomUUID().slice(0, 6)}@example.com`, 'Hardening');
    orgId = owner.orgId;
    token = (await db.scannerTokens.create(orgId, { name: 'ci' })).token;
  });
  afterAll(async () => {
    await app.close();
    await db.close();
    await tdb.drop();
  });

  const upload = (body: string | Buffer, headers: Record<string, string> = {}, t = token) => {
    let r = request(app.getHttpServer())
      .post('/v1/snapshots')
      .set('Authorization', `Bearer ${t}`)
      .set('Content-Type', 'application/json');
    for (const [k, v] of Object.entries(headers)) r = r.set(k, v);
    return r.serialize((b: unknown) => b as string).send(body);
  };
  const counts = async () => {
    const rows = await countOrganizationRows(tdb.url, orgId);
    return { clusters: rows.Cluster, scans: rows.Scan, blobs: rows.SnapshotBlob };
  };

  describe('17.4 unstorable text in a snapshot: 422 naming the field, nothing written', () => {
    const base = () => generatedSnapshot('hostile', '2026-03-01T00:00:00Z', { pods: 20 });
    const places: [string, RegExp, (s: ClusterSnapshot, v: string) => void][] = [
      ['cluster.name', /^cluster\.name:/, (s, v) => (s.cluster.name = v)],
      ['cluster.id', /^cluster\.id:/, (s, v) => (s.cluster.id = v)],
      ['a workload name', /^workloads\.0\.name:/, (s, v) => (s.workloads[0]!.name = v)],
      [
        'a namespace label value',
        /^namespaces\.0\.labels\./,
        (s, v) => (s.namespaces[0]!.labels = { team: v }),
      ],
      [
        'a namespace label key',
        /^namespaces\.0\.labels/,
        (s, v) => (s.namespaces[0]!.labels = { [v]: 'x' }),
      ],
      [
        'a custom resource spec (free-form JSON)',
        /^config\.customResources\.\d+\.spec: deep\.0\.value/,
        (s, v) =>
          s.config.customResources.push({
            apiVersion: 'example.com/v1',
            kind: 'Thing',
            namespace: null,
            name: 'thing',
            labels: {},
            spec: { deep: [{ value: v }] },
          }),
      ],
    ];
    const cases = places.flatMap(([where, path, set]) =>
      HOSTILE.map(([kind, value]) => [where, kind, path, set, value] as const),
    );
    it.each(cases)('%s with a %s', async (_where, _kind, path, set, value) => {
      const s = base();
      expect(s.workloads.length).toBeGreaterThan(0);
      set(s, value);
      for (const gz of [false, true]) {
        const text = JSON.stringify(s);
        const res = gz
          ? await upload(gzipSync(text), { 'Content-Encoding': 'gzip' })
          : await upload(text);
        expect(res.status).toBe(422);
        expect(res.body.error.details).toEqual(
          expect.arrayContaining([
            expect.stringMatching(new RegExp(`${path.source}.*NUL characters or unpaired`)),
          ]),
        );
      }
      expect(await counts()).toEqual({ clusters: 0, scans: 0, blobs: 0 });
    });

    it('the same snapshot without the hostile text is accepted', async () => {
      const res = await upload(JSON.stringify(base()));
      expect(res.status).toBe(202);
    });
  });

  describe('17.4 unstorable text in the other contracts: 422 naming the field', () => {
    const authed = (_method: 'post', path: string) =>
      request(app.getHttpServer())
        .post(path)
        .set('Cookie', owner.cookie)
        .set('X-CSRF-Token', owner.csrf);

    it.each(HOSTILE)('sign-up name and organisation name (%s)', async (_k, value) => {
      for (const field of ['name', 'organizationName'] as const) {
        const body = {
          email: `x-${randomUUID().slice(0, 6)}@example.com`,
          password: PASSWORD,
          name: 'Ann',
          organizationName: 'Org name',
          [field]: value,
        };
        const res = await request(app.getHttpServer()).post('/v1/auth/signup').send(body);
        expect(res.status).toBe(422);
        expect(res.body.error.details.join('\n')).toMatch(
          new RegExp(`^${field}: .*NUL characters or unpaired`, 'm'),
        );
      }
    });

    it.each(HOSTILE)('evidence filename and content (%s)', async (_k, value) => {
      const card = { name: 'agent', url: 'https://agent.example.com', version: '1' };
      const bodies: [RegExp, Record<string, unknown>][] = [
        [/^filename: /, { filename: `card-${value}.json`, content: JSON.stringify(card) }],
        [/^content: /, { filename: 'card.json', content: `{"name":"${value}"}` }],
        [
          /NUL characters or unpaired/,
          { filename: 'card.json', content: JSON.stringify({ ...card, description: value }) },
        ],
      ];
      for (const [detail, body] of bodies) {
        const res = await authed('post', `/v1/orgs/${orgId}/evidence`).send(body);
        expect(res.status).toBe(422);
        expect(res.body.error.details.join('\n')).toMatch(detail);
      }
      expect((await countOrganizationRows(tdb.url, orgId)).EvidenceUpload).toBe(0);
    });

    it.each(HOSTILE)('scanner token and cluster connection names (%s)', async (_k, value) => {
      const t = await authed('post', `/v1/orgs/${orgId}/scanner-tokens`).send({ name: value });
      expect(t.status).toBe(422);
      expect(t.body.error.details.join('\n')).toMatch(/^name: .*NUL characters or unpaired/m);
      const c = await authed('post', `/v1/orgs/${orgId}/cluster-connections`).send({
        name: value,
        server: 'https://kube.example.com:6443',
        token: 'abcdefghijklmnop',
      });
      expect(c.status).toBe(422);
      expect(c.body.error.details.join('\n')).toMatch(/^name: .*NUL characters or unpaired/m);
    });
  });

  describe('17.6 encodings and the decompressed limit', () => {
    it.each(['br', 'deflate', 'compress', 'gzip, br', 'x-gzip'])(
      'Content-Encoding %s is a 415',
      async (encoding) => {
        const res = await upload(JSON.stringify(minimalSnapshot('enc')), {
          'Content-Encoding': encoding,
        });
        expect(res.status).toBe(415);
        expect(res.body.error.message).toMatch(/gzip or identity/);
      },
    );

    it('Content-Encoding identity is accepted', async () => {
      const res = await upload(JSON.stringify(minimalSnapshot('identity')), {
        'Content-Encoding': 'identity',
      });
      expect(res.status).toBe(202);
    });

    it('whitespace just over the configured limit is a 413 (refused while inflating)', async () => {
      const over = gzipSync(
        Buffer.concat([Buffer.alloc(4 * 1024 * 1024, 0x20), Buffer.from('{}')]),
      );
      const res = await upload(over, { 'Content-Encoding': 'gzip' });
      expect(res.status).toBe(413);
      const under = gzipSync(
        Buffer.concat([Buffer.alloc(3 * 1024 * 1024, 0x20), Buffer.from('{}')]),
      );
      const res2 = await upload(under, { 'Content-Encoding': 'gzip' });
      expect(res2.status).toBe(422);
    });
  });

  describe('17.8 identical uploads in parallel', () => {
    it('ten identical new uploads all get 200/202, one scan is stored', async () => {
      const body = gzipSync(JSON.stringify(minimalSnapshot(`race-${randomUUID().slice(0, 6)}`)));
      const res = await Promise.all(
        Array.from({ length: 10 }, () => upload(body, { 'Content-Encoding': 'gzip' })),
      );
      expect(res.map((r) => r.status).sort()).toEqual([
        200, 200, 200, 200, 200, 200, 200, 200, 200, 202,
      ]);
      expect(new Set(res.map((r) => r.body.scanId)).size).toBe(1);
    });

    it('ten different snapshots of one new cluster in parallel all get 202', async () => {
      const name = `fresh-${randomUUID().slice(0, 6)}`;
      const res = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          upload(
            JSON.stringify(
              minimalSnapshot(name, { collectedAt: `2026-02-0${(i % 9) + 1}T00:00:0${i}Z` }),
            ),
          ),
        ),
      );
      expect(res.map((r) => r.status)).toEqual(Array(10).fill(202));
      expect(new Set(res.map((r) => r.body.clusterId)).size).toBe(1);
    });
  });

  describe('17.12 a scanner token bound to a cluster', () => {
    it('uploads that cluster only; another cluster is a 403 naming the bound one', async () => {
      const first = await upload(JSON.stringify(minimalSnapshot('bound-home')));
      expect(first.status).toBe(202);
      const bound = (
        await db.scannerTokens.create(orgId, { name: 'bound', clusterId: first.body.clusterId })
      ).token;
      const other = await upload(JSON.stringify(minimalSnapshot('elsewhere')), {}, bound);
      expect(other.status).toBe(403);
      expect(other.body.error.message).toMatch(/bound to cluster "bound-home"/);
      expect(other.body.error.message).toMatch(/"elsewhere"/);
      expect(await db.clusters.list(orgId)).not.toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'elsewhere' })]),
      );
      const home = await upload(
        JSON.stringify(minimalSnapshot('bound-home', { collectedAt: '2026-05-05T00:00:00Z' })),
        {},
        bound,
      );
      expect(home.status).toBe(202);
      expect(home.body.clusterId).toBe(first.body.clusterId);
    });
  });
});

describe('ingest hardening: dependencies down', () => {
  it('17.10 Redis unreachable: uploads and report requests get 503 + Retry-After within 2 s', async () => {
    const tdb = await createTestDatabase('ingest_redis_down');
    // Sign-in refuses to check passwords without Redis (its limits live there), so the session
    // is made by an API on the shared Redis first; sessions live in PostgreSQL.
    const up = await createApp(
      loadEnv('api', { DATABASE_URL: tdb.url, LOG_LEVEL: 'silent' }),
      silent,
    );
    await up.init();
    const session = await signup(up, 'redis-down@example.com', 'Redis down');
    await up.close();
    const app = await createApp(
      loadEnv('api', {
        DATABASE_URL: tdb.url,
        REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
        QUEUE_PREFIX: `down-${randomUUID().slice(0, 6)}`,
        LOG_LEVEL: 'silent',
      }),
      silent,
    );
    await app.init();
    try {
      const db = Database.connect(tdb.url, { poolSize: 2 });
      const { token } = await db.scannerTokens.create(session.orgId, { name: 'ci' });
      await new Promise((r) => setTimeout(r, 300)); // the producer has tried (and failed) to connect
      for (let i = 0; i < 2; i++) {
        const started = Date.now();
        const res = await request(app.getHttpServer())
          .post('/v1/snapshots')
          .set('Authorization', `Bearer ${token}`)
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(minimalSnapshot('offline-queue')));
        expect(Date.now() - started).toBeLessThanOrEqual(2000);
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
        expect(res.body.error.code).toBe('unavailable');
      }
      // The scan is stored once (the source of truth): the reconciler queues it later.
      const scans = await queryTestDatabase<{ status: string }>(
        tdb.url,
        `SELECT status::text FROM "Scan" WHERE "organizationId" = $1::uuid`,
        [session.orgId],
      );
      expect(scans.map((s) => s.status)).toEqual(['queued']);
      const started = Date.now();
      const report = await request(app.getHttpServer())
        .post(`/v1/orgs/${session.orgId}/reports`)
        .set('Cookie', session.cookie)
        .set('X-CSRF-Token', session.csrf)
        .send({});
      expect(Date.now() - started).toBeLessThanOrEqual(2000);
      expect(report.status).toBe(503);
      expect(report.headers['retry-after']).toMatch(/^\d+$/);
      await db.close();
    } finally {
      await app.close();
      await tdb.drop();
    }
  });

  it('17.11 database unreachable: 503 (not 500), and /readyz shows no address or driver message', async () => {
    const port = await closedPort();
    const app = await createApp(
      loadEnv('api', {
        DATABASE_URL: `postgresql://plumbline:s3cret@127.0.0.1:${port}/plumbline`,
        LOG_LEVEL: 'silent',
      }),
      silent,
    );
    await app.init();
    try {
      const ready = await request(app.getHttpServer()).get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.database.status).toBe('down');
      const text = JSON.stringify(ready.body);
      for (const leak of [
        '127.0.0.1',
        String(port),
        'ECONNREFUSED',
        'plumbline:',
        's3cret',
        'connect',
      ])
        expect(text).not.toContain(leak);
      const calls = [
        request(app.getHttpServer())
          .post('/v1/snapshots')
          .set('Authorization', 'Bearer plb_0123456789abcdef0123456789abcdef')
          .set('Content-Type', 'application/json')
          .send(JSON.stringify(minimalSnapshot('x'))),
        request(app.getHttpServer())
          .post('/v1/auth/login')
          .send({ email: 'a@example.com', password: PASSWORD }),
        request(app.getHttpServer())
          .post('/v1/auth/signup')
          .send({ email: 'b@example.com', password: PASSWORD, name: 'B', organizationName: 'Bee' }),
        request(app.getHttpServer())
          .get(`/v1/orgs/${randomUUID()}/overview`)
          .set('Cookie', 'plumbline_session=abc'),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toMatch(/^\d+$/);
        expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|s3cret/);
      }
    } finally {
      await app.close();
    }
  });
});
