import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import { minimalSnapshot } from '@plumbline/contracts';
import {
  countOrganizationRows,
  createTestDatabase,
  Database,
  hashScannerToken,
  queryTestDatabase,
  type TestDatabase,
} from '@plumbline/db';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import request from 'supertest';
import { signup as signupAndSignIn } from '../test/helpers.js';
import type { JobQueue } from '@plumbline/jobs';
import { createApp } from './app.js';
import { JOB_QUEUE } from './common/tokens.js';

interface Actor {
  cookie: string;
  csrf: string;
  userId: string;
  orgId: string;
}

const PASSWORD = 'correct horse battery';

async function waitFor<T>(
  fn: () => Promise<T | null | undefined | false>,
  ms = 20_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('organisation data lifecycle over HTTP (real PostgreSQL)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;
  let owner: Actor;
  let admin: Actor;
  let viewer: Actor;
  let other: Actor;
  let scannerToken: string;
  let scanId: string;
  const connectionId = randomUUID();
  const CIPHERTEXT = 'not-really-sealed-token-bytes';
  const attestations = readFileSync(
    join(__dirname, '../../../packages/agents/test/evidence/attestations.json'),
    'utf8',
  );

  const server = () => app.getHttpServer();
  const as = (actor: Actor, r: request.Test) =>
    r.set('Cookie', actor.cookie).set('X-CSRF-Token', actor.csrf);

  const signup = (email: string, org: string): Promise<Actor> =>
    signupAndSignIn(app, email, org, PASSWORD);

  /** A user of the owner's organisation with `role`, signed in. */
  async function member(email: string, role: 'admin' | 'viewer'): Promise<Actor> {
    const inv = await as(owner, request(server()).post(`/v1/orgs/${owner.orgId}/invites`)).send({
      email,
      role,
    });
    expect(inv.status).toBe(201);
    const res = await request(server())
      .post('/v1/invites/accept')
      .send({ token: inv.body.token, name: email, password: PASSWORD });
    expect(res.status).toBe(200);
    const login = await request(server())
      .post('/v1/auth/login')
      .send({ email, password: PASSWORD });
    return {
      cookie: String(login.headers['set-cookie']![0]).split(';')[0]!,
      csrf: login.body.csrfToken,
      userId: res.body.user.id,
      orgId: owner.orgId,
    };
  }

  beforeAll(async () => {
    tdb = await createTestDatabase('lifecycle_api');
    db = Database.connect(tdb.url, { poolSize: 2 });
    app = await createApp(
      loadEnv('api', { DATABASE_URL: tdb.url, LOG_LEVEL: 'silent' }),
      pino({ level: 'silent' }),
    );
    await app.init();
    owner = await signup('olivia@umbrella.test', 'Umbrella Corp');
    admin = await member('adam@umbrella.test', 'admin');
    viewer = await member('vera@umbrella.test', 'viewer');
    other = await signup('oscar@initech.test', 'Initech');
    const created = await as(
      owner,
      request(server()).post(`/v1/orgs/${owner.orgId}/scanner-tokens`),
    ).send({ name: 'prod' });
    scannerToken = created.body.token;
    const up = await request(server())
      .post('/v1/snapshots')
      .set('Authorization', `Bearer ${scannerToken}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(minimalSnapshot('umbrella-prod', { namespaces: ['labs'] })));
    expect(up.status).toBe(202);
    scanId = up.body.scanId;
    await waitFor(async () => (await db.scans.get(owner.orgId, scanId))?.status === 'succeeded');
    const ev = await as(owner, request(server()).post(`/v1/orgs/${owner.orgId}/evidence`)).send({
      filename: 'attestations.json',
      content: attestations,
    });
    expect(ev.status).toBe(201);
    // An agentless connection (fake ciphertexts: they must never leave) with a schedule.
    await db.clusterConnections.create(owner.orgId, {
      id: connectionId,
      name: 'umbrella-agentless',
      server: 'https://k8s.umbrella.test:6443',
      tokenCiphertext: new Uint8Array(Buffer.from(CIPHERTEXT)),
      caDataCiphertext: new Uint8Array(Buffer.from(CIPHERTEXT)),
      tokenFingerprint: 'abcd1234',
      scheduleMinutes: 60,
      enabled: true,
      createdById: owner.userId,
    });
    await app
      .get<symbol, JobQueue>(JOB_QUEUE)
      .schedule(
        `connection-${connectionId}`,
        'cluster.scan',
        { organizationId: owner.orgId, connectionId },
        3_600_000,
      );
    // The other organisation has data of its own.
    const { token } = await db.scannerTokens.create(other.orgId, { name: 'x' });
    const up2 = await request(server())
      .post('/v1/snapshots')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(minimalSnapshot('initech-prod', { namespaces: ['tps'] })));
    expect(up2.status).toBe(202);
  });

  afterAll(async () => {
    await app.close();
    await db.close();
    await tdb.drop();
  });

  describe('retention setting', () => {
    it('admins read and change it (audited); viewers cannot; bad values are refused', async () => {
      const path = `/v1/orgs/${owner.orgId}/retention`;
      const read = await as(admin, request(server()).get(path));
      expect(read.status).toBe(200);
      expect(read.body).toEqual({ snapshotRetentionDays: 365 });
      const put = await as(admin, request(server()).put(path)).send({ snapshotRetentionDays: 90 });
      expect(put.status).toBe(200);
      expect(put.body).toEqual({ snapshotRetentionDays: 90 });
      expect(await db.lifecycle.retentionDays(owner.orgId)).toBe(90);
      const audit = await db.audit.list(owner.orgId);
      expect(audit.find((e) => e.action === 'org.retention_change')).toMatchObject({
        actorId: admin.userId,
        metadata: { from: 365, to: 90 },
      });
      expect((await as(viewer, request(server()).get(path))).status).toBe(403);
      expect(
        (await as(viewer, request(server()).put(path)).send({ snapshotRetentionDays: 1 })).status,
      ).toBe(403);
      for (const bad of [0, 3651, 1.5, '30']) {
        const res = await as(admin, request(server()).put(path)).send({
          snapshotRetentionDays: bad,
        });
        expect([bad, res.status]).toEqual([bad, 422]);
      }
      expect(await db.lifecycle.retentionDays(owner.orgId)).toBe(90);
    });
  });

  describe('export', () => {
    it('returns all the organisation data as JSON, secrets excluded, and is audited', async () => {
      const res = await as(admin, request(server()).get(`/v1/orgs/${owner.orgId}/export`));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="plumbline-umbrella-corp-\d{4}-\d{2}-\d{2}\.json"$/,
      );
      const text = res.text;
      const doc = JSON.parse(text);
      expect(doc).toMatchObject({
        format: 'plumbline-organization-export',
        version: 1,
        organization: {
          id: owner.orgId,
          slug: 'umbrella-corp',
          snapshotRetentionDays: 90,
          requireMfa: false,
        },
      });
      expect(
        doc.members.map((m: { email: string; role: string }) => [m.email, m.role]).sort(),
      ).toEqual([
        ['adam@umbrella.test', 'admin'],
        ['olivia@umbrella.test', 'owner'],
        ['vera@umbrella.test', 'viewer'],
      ]);
      // Whether each member uses two-factor authentication; never the sealed secret.
      for (const m of doc.members) expect(m).toHaveProperty('mfaEnabledAt', null);
      expect(doc.clusters.map((c: { name: string }) => c.name)).toEqual(['umbrella-prod']);
      expect(doc.scans).toHaveLength(1);
      expect(doc.scans[0]).toMatchObject({
        id: scanId,
        status: 'succeeded',
        snapshot: { cluster: { name: 'umbrella-prod' }, namespaces: [{ name: 'labs' }] },
        analysisResult: { result: { steps: { inventory: { resourceCounts: { namespaces: 1 } } } } },
      });
      expect(doc.evidence).toHaveLength(1);
      expect(doc.evidence[0]).toMatchObject({ kind: 'attestation', content: attestations });
      expect(doc.scannerTokens).toEqual([expect.objectContaining({ name: 'prod' })]);
      expect(doc.invites).toHaveLength(2);
      expect(doc.clusterConnections).toEqual([
        expect.objectContaining({ id: connectionId, name: 'umbrella-agentless' }),
      ]);
      expect(text).not.toMatch(/Ciphertext/);
      expect(text).not.toContain(Buffer.from(CIPHERTEXT).toString('base64'));
      expect(text).not.toContain(CIPHERTEXT);
      const actions = doc.auditEvents.map((e: { action: string }) => e.action);
      expect(actions).toEqual(
        expect.arrayContaining(['snapshot.upload', 'org.retention_change', 'org.export']),
      );
      // No secrets: neither the fields nor their values.
      expect(text).not.toMatch(/passwordHash|tokenHash|csrfToken/);
      const users = await queryTestDatabase<{ passwordHash: string }>(
        tdb.url,
        `SELECT "passwordHash" FROM "User"`,
      );
      const sessions = await queryTestDatabase<{ tokenHash: string }>(
        tdb.url,
        `SELECT "tokenHash" FROM "Session"`,
      );
      for (const secret of [
        hashScannerToken(scannerToken),
        scannerToken,
        ...users.map((u) => u.passwordHash),
        ...sessions.map((s) => s.tokenHash),
      ])
        expect(text).not.toContain(secret);
      // Nothing of the other organisation.
      expect(text).not.toContain(other.orgId);
      expect(text).not.toContain('initech');
    });

    it('pages through large organisations: every scan exactly once', async () => {
      for (let i = 0; i < 120; i++) {
        const raw = Buffer.from(
          JSON.stringify(minimalSnapshot(`c${i % 3}`, { namespaces: [`n${i}`] })),
        );
        await db.scans.storeSnapshot(other.orgId, {
          clusterExternalId: `c${i % 3}`,
          clusterName: `c${i % 3}`,
          contentHash: createHash('sha256').update(raw).digest('hex'),
          schemaVersion: 1,
          gzip: new Uint8Array(gzipSync(raw)),
          rawBytes: raw.length,
        });
      }
      const res = await as(other, request(server()).get(`/v1/orgs/${other.orgId}/export`));
      expect(res.status).toBe(200);
      const doc = JSON.parse(res.text);
      expect(doc.scans).toHaveLength(121);
      expect(new Set(doc.scans.map((s: { id: string }) => s.id)).size).toBe(121);
      const names = doc.scans
        .slice(1)
        .map(
          (s: { snapshot: { namespaces: { name: string }[] } }) => s.snapshot.namespaces[0]!.name,
        );
      expect([...names].sort()).toEqual(Array.from({ length: 120 }, (_, i) => `n${i}`).sort());
    });

    it('needs the admin role', async () => {
      const res = await as(viewer, request(server()).get(`/v1/orgs/${owner.orgId}/export`));
      expect(res.status).toBe(403);
    });
  });

  describe('deletion', () => {
    const del = (actor: Actor, body: object) =>
      as(actor, request(server()).delete(`/v1/orgs/${owner.orgId}`)).send(body);

    it('only the owner may delete; a wrong or missing confirmation deletes nothing', async () => {
      const before = await countOrganizationRows(tdb.url, owner.orgId);
      expect(before.Scan).toBe(1);
      expect((await del(admin, { confirmSlug: 'umbrella-corp' })).status).toBe(403);
      expect((await del(viewer, { confirmSlug: 'umbrella-corp' })).status).toBe(403);
      expect((await del(other, { confirmSlug: 'umbrella-corp' })).status).toBe(404);
      const wrong = await del(owner, { confirmSlug: 'initech' });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.message).toMatch(/nothing was deleted/);
      expect((await del(owner, {})).status).toBe(422);
      expect(await countOrganizationRows(tdb.url, owner.orgId)).toEqual(before);
    });

    it('the owner deletes everything of the organisation, nothing of another, and it stays audited', async () => {
      const others = await countOrganizationRows(tdb.url, other.orgId);
      const queue = app.get<symbol, JobQueue>(JOB_QUEUE);
      expect((await queue.schedules('cluster.scan')).map((x) => x.key)).toEqual([
        `connection-${connectionId}`,
      ]);
      const res = await del(owner, { confirmSlug: 'umbrella-corp' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        deleted: true,
        organizationId: owner.orgId,
        counts: {
          members: 3,
          clusters: 1,
          scans: 1,
          snapshots: 1,
          evidence: 1,
          scannerTokens: 1,
          clusterConnections: 1,
        },
        usersDeleted: 3,
        accountDeleted: true,
      });
      const rows = await countOrganizationRows(tdb.url, owner.orgId);
      expect(Object.entries(rows).filter(([, n]) => n > 0)).toEqual([]);
      expect(await countOrganizationRows(tdb.url, other.orgId)).toEqual(others);
      for (const u of [owner, admin, viewer]) expect(await db.users.get(u.userId)).toBeNull();
      expect(await db.users.get(other.userId)).not.toBeNull();
      // Signed out with the account; the organisation is gone for everyone.
      expect((await request(server()).get('/v1/me').set('Cookie', owner.cookie)).status).toBe(401);
      expect(
        (await request(server()).get(`/v1/orgs/${other.orgId}`).set('Cookie', other.cookie)).status,
      ).toBe(200);
      const [event] = await queryTestDatabase<{
        organizationId: string | null;
        actorId: string;
        metadata: Record<string, unknown>;
      }>(
        tdb.url,
        `SELECT "organizationId", "actorId", metadata FROM "AuditEvent"
          WHERE action = 'org.delete' AND "targetId" = $1`,
        [owner.orgId],
      );
      expect(event).toMatchObject({
        organizationId: null,
        actorId: owner.userId,
        metadata: { name: 'Umbrella Corp', slug: 'umbrella-corp', counts: { scans: 1 } },
      });
      // Its scheduled agentless scans are gone from the queue.
      expect(await queue.schedules('cluster.scan')).toEqual([]);
      // The scanner token went with it.
      const up = await request(server())
        .post('/v1/snapshots')
        .set('Authorization', `Bearer ${scannerToken}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(minimalSnapshot('late', { namespaces: ['x'] })));
      expect(up.status).toBe(401);
    });
  });
});
