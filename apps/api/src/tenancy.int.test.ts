import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import { minimalSnapshot, minimalWorkload } from '@plumbline/contracts';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import request from 'supertest';
import { signup as signupAndSignIn, waitFor } from '../test/helpers.js';
import { createApp } from './app.js';
import {
  OPERATOR_ROUTES,
  PUBLIC_ROUTES,
  SCANNER_TOKEN_ROUTES,
  SESSION_ROUTES,
} from './route-policy.js';

interface Route {
  method: string;
  path: string;
}

/** Every route registered in the Express router that Nest built. */
function registeredRoutes(app: INestApplication): Route[] {
  const instance = app.getHttpAdapter().getInstance() as {
    router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
  };
  const out: Route[] = [];
  for (const layer of instance.router.stack) {
    if (!layer.route) continue;
    for (const [m, on] of Object.entries(layer.route.methods))
      if (on && m !== '_all') out.push({ method: m.toUpperCase(), path: layer.route.path });
  }
  return out;
}

interface Actor {
  cookie: string;
  csrf: string;
  userId: string;
  orgId: string;
}

const signup = (app: INestApplication, email: string, org: string): Promise<Actor> =>
  signupAndSignIn(app, email, org);

describe('tenancy: every organisation-scoped route, swept', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;
  let a: Actor;
  let b: Actor;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    tdb = await createTestDatabase('tenancy');
    db = Database.connect(tdb.url, { poolSize: 4 });
    app = await createApp(
      loadEnv('api', {
        DATABASE_URL: tdb.url,
        LOG_LEVEL: 'silent',
        // An obviously fake key; the allowlist lets the sweep register a local endpoint.
        PLUMBLINE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
        AGENTLESS_ALLOWED_CIDRS: '127.0.0.1/32',
      }),
      pino({ level: 'silent' }),
      // Single sign-on domain checks: no TXT record anywhere (the sweep checks who may ask).
      { resolveTxt: () => Promise.resolve([]) },
    );
    await app.init();
    a = await signup(app, 'alice@acme.test', 'Acme Corp');
    ids.domain = 'acme.test';
    // GET agents/:list pages one of the agents view's lists.
    ids.list = 'findings';
    b = await signup(app, 'bob@globex.test', 'Globex Inc');
    // Org A's data: a second member, a cluster with a scan, a scanner token.
    const member = await db.users.create({
      email: 'carol@acme.test',
      name: 'Carol',
      passwordHash: 'x',
    });
    await db.memberships.add(a.orgId, member.id, 'member');
    ids.userId = member.id;
    const { token, record } = await db.scannerTokens.create(a.orgId, { name: 'acme-prod' });
    ids.tokenId = record.id;
    // One workload, so the cluster can be planned for.
    const snapshot = minimalSnapshot('acme-prod-cluster', { namespaces: ['payments'] });
    snapshot.workloads.push(
      minimalWorkload({
        kind: 'Deployment',
        namespace: 'payments',
        name: 'api',
        image: 'acme/api:1',
      }),
    );
    const upload = await request(app.getHttpServer())
      .post('/v1/snapshots')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(snapshot));
    expect(upload.status).toBe(202);
    ids.scanId = upload.body.scanId;
    ids.clusterId = upload.body.clusterId;
    // A rendered report (the renderer itself is tested with the worker).
    const report = await db.reports.create(a.orgId, {
      clusterId: null,
      paperSize: 'A4',
      requestedById: a.userId,
    });
    await db.reports.complete(a.orgId, report.id, {
      pdf: new Uint8Array(Buffer.from('%PDF-1.7 Acme Corp report')),
      pageCount: 1,
      data: {},
    });
    ids.reportId = report.id;
    // An evidence upload (the sweep deletes it as the owner).
    ids.evidenceId = (
      await db.evidence.create(a.orgId, {
        kind: 'attestation',
        filename: 'acme-attestations.json',
        contentHash: 'e'.repeat(64),
        content: new Uint8Array(gzipSync(Buffer.from('{}'))),
        summary: null,
        uploadedById: a.userId,
      })
    ).id;
    // Analysed before the sweep, so read routes (detail, diff, export) have data to withhold.
    await waitFor('scan analysed', async () => {
      const scan = await db.scans.get(a.orgId, ids.scanId!);
      return scan?.status === 'succeeded';
    });
    // A computed plan with a bundle (the plan job itself is tested in plans.int.test.ts).
    const plan = await db.plans.create(a.orgId, {
      clusterId: ids.clusterId!,
      scanId: ids.scanId!,
      targetLevel: 1,
      targetPillar: null,
      requestedById: a.userId,
    });
    await db.plans.complete(a.orgId, plan.id, {
      status: 'ready',
      plan: null,
      verification: null,
      bundle: {
        zip: new Uint8Array(Buffer.from('PK acme-prod plan')),
        sha256: 'a'.repeat(64),
        files: 1,
        objects: 0,
      },
    });
    ids.planId = plan.id;
    ids.riskId = (
      await db.riskAcceptances.create(a.orgId, {
        clusterId: ids.clusterId!,
        kind: 'criterion',
        targetId: 'edge.tls',
        title: 'Every Ingress host and Gateway terminates TLS',
        owner: 'Acme platform',
        reason: 'TLS ends at the load balancer.',
        expiresAt: new Date(Date.now() + 86_400_000),
        createdById: a.userId,
      })
    ).id;
    // A cluster connection whose credentials cannot be decrypted: its on-demand scan fails at
    // once (the sweep checks who may reach it, not scanning; connections.int.test.ts scans).
    ids.connectionId = (
      await db.clusterConnections.create(a.orgId, {
        id: '0c0c0c0c-0c0c-4c0c-8c0c-0c0c0c0c0c0c',
        name: 'acme-agentless',
        server: 'https://127.0.0.1:6443',
        tokenCiphertext: new Uint8Array(40),
        caDataCiphertext: null,
        tokenFingerprint: 'sha256:000000000000',
        scheduleMinutes: null,
        enabled: true,
        createdById: a.userId,
      })
    ).id;
    // An alert channel and a report schedule (alerts.int.test.ts delivers through them).
    ids.channelId = (
      await db.alerts.createChannel({
        id: '0d0d0d0d-0d0d-4d0d-8d0d-0d0d0d0d0d0d',
        organizationId: a.orgId,
        kind: 'email',
        name: 'acme-alerts',
        emails: ['oncall@acme.test'],
        url: null,
        secretCiphertext: null,
        createdById: a.userId,
      })
    ).id;
    ids.scheduleId = (
      await db.alerts.createSchedule({
        organizationId: a.orgId,
        cadence: 'weekly',
        recipients: ['cto@acme.test'],
        paperSize: 'A4',
        enabled: true,
        nextRunAt: new Date(Date.now() + 86_400_000),
        createdById: a.userId,
      })
    ).id;
  });

  afterAll(async () => {
    await app.close();
    await db.close();
    await tdb.drop();
  });

  const bodies: Record<string, unknown> = {
    'PUT /v1/orgs/:orgId/retention': { snapshotRetentionDays: 400 },
    // Saved turned off: the issuer's addresses are checked, its discovery document is not read.
    'PUT /v1/orgs/:orgId/sso': {
      enabled: false,
      issuer: 'https://127.0.0.1:8443/idp',
      clientId: 'acme-plumbline',
      clientSecret: 'acme-sso-client-secret',
      domains: ['acme.test'],
      defaultRole: 'member',
      ssoRequired: false,
      breakGlassUserId: null,
    },
    // The owner has no two-factor authentication: turning the requirement off is what succeeds.
    'PUT /v1/orgs/:orgId/security': { requireMfa: false },
    // The slug the sign-up derives from 'Acme Corp'.
    'DELETE /v1/orgs/:orgId': { confirmSlug: 'acme-corp' },
    'PATCH /v1/orgs/:orgId/members/:userId': { role: 'viewer' },
    'POST /v1/orgs/:orgId/invites': { email: 'dave@acme.test', role: 'member' },
    'POST /v1/orgs/:orgId/scanner-tokens': { name: 'ci' },
    'PUT /v1/orgs/:orgId/self-assessment': {
      answers: {
        traceability: 1,
        'authorization-provenance': 1,
        'identity-ownership': 1,
        'policy-at-scale': 1,
        'human-oversight': 1,
      },
    },
    'PUT /v1/orgs/:orgId/cost/assumptions': { overrides: { engineers: 12 } },
    'PUT /v1/orgs/:orgId/plan-effort': { overrides: { hoursPerPhase: 40 } },
    'POST /v1/orgs/:orgId/risk-acceptances': {
      kind: 'criterion',
      targetId: 'resilience.pdb',
      owner: 'Acme platform',
      reason: 'Accepted for the sweep of every route.',
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    },
    'POST /v1/orgs/:orgId/clusters/:clusterId/plans': { level: 1 },
    'PUT /v1/orgs/:orgId/clusters/:clusterId/environment': { environment: 'production' },
    'POST /v1/orgs/:orgId/reports': { paperSize: 'Letter' },
    'POST /v1/orgs/:orgId/cluster-connections': {
      name: 'sweep',
      server: 'https://127.0.0.1:6443',
      token: 'sweep-token-not-a-real-one',
    },
    'PATCH /v1/orgs/:orgId/cluster-connections/:connectionId': {
      name: 'acme-agentless-renamed',
      scheduleMinutes: 60,
    },
    'PUT /v1/orgs/:orgId/alert-rules': {
      rules: [{ kind: 'tax_rise', enabled: true, threshold: 15 }],
    },
    'POST /v1/orgs/:orgId/alert-channels': {
      kind: 'email',
      name: 'sweep',
      emails: ['ops@acme.test'],
    },
    'PATCH /v1/orgs/:orgId/alert-channels/:channelId': { name: 'acme-alerts-renamed' },
    'POST /v1/orgs/:orgId/report-schedules': { cadence: 'monthly', recipients: ['cfo@acme.test'] },
    'PATCH /v1/orgs/:orgId/report-schedules/:scheduleId': { enabled: false },
    'POST /v1/orgs/:orgId/evidence': {
      filename: 'attestations.json',
      content: readFileSync(
        join(__dirname, '../../../packages/agents/test/evidence/attestations.json'),
        'utf8',
      ),
    },
  };
  const secrets = () => [
    a.orgId,
    ids.clusterId!,
    ids.scanId!,
    ids.tokenId!,
    'Acme Corp',
    'acme-prod',
    'carol@acme.test',
    ids.connectionId!,
    'acme-agentless',
    '127.0.0.1:6443',
    ids.channelId!,
    'acme-alerts',
    'oncall@acme.test',
    'acme-plumbline',
    'acme-sso-client-secret',
  ];

  it('every registered route is swept or listed with a reason', () => {
    const routes = registeredRoutes(app).map((r) => `${r.method} ${r.path}`);
    const listed = [
      ...Object.keys(PUBLIC_ROUTES),
      ...Object.keys(SCANNER_TOKEN_ROUTES),
      ...Object.keys(SESSION_ROUTES),
      ...Object.keys(OPERATOR_ROUTES),
    ];
    const swept = routes.filter((r) => r.split(' ')[1]!.startsWith('/v1/orgs/:orgId'));
    expect([...swept, ...listed].sort()).toEqual([...routes].sort());
    expect(swept.length).toBeGreaterThanOrEqual(10);
  });

  /** Routes that destroy the organisation: their owner call runs last, after every other test. */
  const destructive = new Set(['DELETE /v1/orgs/:orgId']);

  it('each organisation route: owner 2xx with data, foreign member 404/403 without data, anonymous 401', async () => {
    const routes = registeredRoutes(app).filter((r) => r.path.startsWith('/v1/orgs/:orgId'));
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const path = route.path.replace(/:(\w+)/g, (_m, p: string) =>
        p === 'orgId' ? a.orgId : ids[p]!,
      );
      const call = (actor?: Actor) => {
        let r = request(app.getHttpServer())[route.method.toLowerCase() as 'get'](path);
        if (actor) r = r.set('Cookie', actor.cookie).set('X-CSRF-Token', actor.csrf);
        return bodies[key] ? r.send(bodies[key] as object) : r;
      };
      const anon = await call();
      expect([key, anon.status]).toEqual([key, 401]);
      const foreign = await call(b);
      expect([key, [403, 404].includes(foreign.status)]).toEqual([key, true]);
      for (const s of secrets())
        expect([key, JSON.stringify(foreign.body).includes(s)]).toEqual([key, false]);
      if (destructive.has(key)) continue;
      const own = await call(a);
      expect([key, own.status >= 200 && own.status < 300]).toEqual([key, true]);
      // Binary downloads (zip) are not parsed into a body: their length says they carry data.
      if (route.method === 'GET' && own.headers['content-type'] === 'application/zip')
        expect([key, Number(own.headers['content-length'])]).toEqual([key, 17]);
      else if (route.method === 'GET')
        expect([key, JSON.stringify(own.body).length > 2]).toEqual([key, true]);
    }
  });

  it('a member without the role gets 403; a missing CSRF header is refused', async () => {
    const erin = await signup(app, 'erin@acme.test', 'Erin Solo');
    await db.memberships.add(a.orgId, erin.userId, 'viewer');
    const denied = await request(app.getHttpServer())
      .get(`/v1/orgs/${a.orgId}/audit`)
      .set('Cookie', erin.cookie);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toMatch(/needs the admin role/);
    const visible = await request(app.getHttpServer())
      .get(`/v1/orgs/${a.orgId}/clusters`)
      .set('Cookie', erin.cookie);
    expect(visible.status).toBe(200);
    const noCsrf = await request(app.getHttpServer())
      .post(`/v1/orgs/${a.orgId}/scanner-tokens`)
      .set('Cookie', `${a.cookie}`)
      .send({ name: 'x' });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error.message).toMatch(/CSRF/);
  });

  describe('listed routes leak no organisation data', () => {
    it('GET /healthz and /readyz', async () => {
      for (const p of ['/healthz', '/readyz']) {
        const res = await request(app.getHttpServer()).get(p);
        for (const s of secrets()) expect(JSON.stringify(res.body)).not.toContain(s);
      }
    });

    it('GET /metrics: route templates and counts, never ids or names', async () => {
      const res = await request(app.getHttpServer()).get('/metrics');
      expect(res.status).toBe(200);
      // The sweep above called these routes with org A's real ids.
      expect(res.text).toContain('route="/v1/orgs/:orgId/scans/:scanId"');
      for (const s of secrets()) expect(res.text).not.toContain(s);
    });

    it('POST /v1/auth/signup creates only the new organisation', async () => {
      const res = await request(app.getHttpServer()).post('/v1/auth/signup').send({
        email: 'frank@initech.test',
        password: 'correct horse battery',
        name: 'Frank',
        organizationName: 'Acme Corp',
      });
      expect(res.status).toBe(202);
      const frank = await request(app.getHttpServer())
        .post('/v1/auth/login')
        .send({ email: 'frank@initech.test', password: 'correct horse battery' });
      expect(frank.body.organizationId).not.toBe(a.orgId);
      const dup = await request(app.getHttpServer()).post('/v1/auth/signup').send({
        email: 'alice@acme.test',
        password: 'another password',
        name: 'x',
        organizationName: 'Yoyodyne',
      });
      // The same answer as for a new email: sign-up does not tell who has an account.
      expect([dup.status, dup.body]).toEqual([res.status, res.body]);
      for (const s of secrets()) expect(JSON.stringify(dup.body)).not.toContain(s);
    });

    it('POST /v1/auth/login returns only the caller; wrong passwords are rate limited and audited', async () => {
      const ok = await request(app.getHttpServer())
        .post('/v1/auth/login')
        .send({ email: 'bob@globex.test', password: 'correct horse battery' });
      expect(ok.status).toBe(200);
      expect(ok.body.organizationId).toBe(b.orgId);
      for (const s of secrets()) expect(JSON.stringify(ok.body)).not.toContain(s);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const bad = await request(app.getHttpServer())
          .post('/v1/auth/login')
          .send({ email: 'alice@acme.test', password: 'wrong password!' });
        statuses.push(bad.status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      const audit = await db.audit.list(a.orgId);
      expect(audit.filter((e) => e.action === 'auth.login_failed')).toHaveLength(5);
    });

    it('POST /v1/auth/password-reset, /confirm, /v1/auth/verify-email (and resend): nothing of any organisation', async () => {
      const http = () => request(app.getHttpServer());
      const known = await http().post('/v1/auth/password-reset').send({ email: 'alice@acme.test' });
      const unknown = await http()
        .post('/v1/auth/password-reset')
        .send({ email: 'nobody@acme.test' });
      expect([known.status, known.body]).toEqual([202, unknown.body]);
      const token = 'x'.repeat(43);
      const confirm = await http()
        .post('/v1/auth/password-reset/confirm')
        .send({ token, password: 'correct horse battery' });
      const verify = await http().post('/v1/auth/verify-email').send({ token });
      expect([confirm.status, verify.status]).toEqual([404, 404]);
      const resend = await http()
        .post('/v1/auth/verify-email/resend')
        .set('Cookie', b.cookie)
        .set('X-CSRF-Token', b.csrf);
      expect(resend.status).toBe(202);
      for (const res of [known, unknown, confirm, verify, resend])
        for (const s of secrets()) expect(JSON.stringify(res.body)).not.toContain(s);
      // The development mailbox (registered here: no SMTP_URL, not production) shows every mail;
      // it does not exist in production (dev-mailbox.int.test.ts).
      expect((await http().get('/v1/dev/mailbox')).status).toBe(200);
    });

    it('POST /v1/invites/accept: an invite joins exactly its organisation, once', async () => {
      const inv = await request(app.getHttpServer())
        .post(`/v1/orgs/${a.orgId}/invites`)
        .set('Cookie', a.cookie)
        .set('X-CSRF-Token', a.csrf)
        .send({ email: 'gina@acme.test', role: 'viewer' });
      expect(inv.status).toBe(201);
      const bad = await request(app.getHttpServer())
        .post('/v1/invites/accept')
        .send({ token: 'not-a-real-token-123' });
      expect(bad.status).toBe(404);
      for (const s of secrets()) expect(JSON.stringify(bad.body)).not.toContain(s);
      const ok = await request(app.getHttpServer())
        .post('/v1/invites/accept')
        .send({ token: inv.body.token, name: 'Gina', password: 'correct horse battery' });
      expect(ok.status).toBe(200);
      expect(ok.body.organizationId).toBe(a.orgId);
      expect(await db.memberships.roleOf(a.orgId, ok.body.user.id)).toBe('viewer');
      const again = await request(app.getHttpServer())
        .post('/v1/invites/accept')
        .send({ token: inv.body.token, name: 'Gina', password: 'correct horse battery' });
      expect(again.status).toBe(404);
    });

    it('POST /v1/snapshots: a token uploads into its own organisation only', async () => {
      const { token } = await db.scannerTokens.create(b.orgId, { name: 'globex' });
      const snap = minimalSnapshot('acme-prod-cluster', { namespaces: ['other'] });
      snap.cluster.id = 'declared-acme-prod-cluster';
      const res = await request(app.getHttpServer())
        .post('/v1/snapshots')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(snap));
      expect(res.status).toBe(202);
      expect(res.body.clusterId).not.toBe(ids.clusterId);
      expect((await db.clusters.list(a.orgId)).map((c) => c.id)).toEqual([ids.clusterId]);
    });

    it('/v1/me/mfa and POST /v1/auth/login/mfa concern only the caller', async () => {
      const status = await request(app.getHttpServer()).get('/v1/me/mfa').set('Cookie', b.cookie);
      expect(status.status).toBe(200);
      expect(status.body.requiredBy).toEqual([]);
      const enrol = await request(app.getHttpServer())
        .post('/v1/me/mfa/enrol')
        .set('Cookie', b.cookie)
        .set('X-CSRF-Token', b.csrf);
      expect(enrol.status).toBe(200);
      expect(enrol.body.otpauthUri).toContain('bob%40globex.test');
      for (const path of ['confirm', 'recovery-codes']) {
        const r = await request(app.getHttpServer())
          .post(`/v1/me/mfa/${path}`)
          .set('Cookie', b.cookie)
          .set('X-CSRF-Token', b.csrf)
          .send({ code: '000000' });
        expect([path, [409, 422].includes(r.status)]).toEqual([path, true]);
      }
      const disable = await request(app.getHttpServer())
        .post('/v1/me/mfa/disable')
        .set('Cookie', b.cookie)
        .set('X-CSRF-Token', b.csrf)
        .send({ password: 'correct horse battery', code: '000000' });
      expect(disable.status).toBe(409);
      const challenge = await request(app.getHttpServer())
        .post('/v1/auth/login/mfa')
        .send({ challenge: 'x'.repeat(43), code: '123456' });
      expect(challenge.status).toBe(401);
      for (const res of [status, enrol, disable, challenge])
        for (const s of secrets()) expect(JSON.stringify(res.body)).not.toContain(s);
    });

    it('GET /v1/me and POST /v1/auth/logout concern only the caller', async () => {
      const me = await request(app.getHttpServer()).get('/v1/me').set('Cookie', b.cookie);
      expect(me.status).toBe(200);
      expect(me.body.organizations.map((o: { id: string }) => o.id)).toEqual([b.orgId]);
      for (const s of secrets()) expect(JSON.stringify(me.body)).not.toContain(s);
      const out = await request(app.getHttpServer())
        .post('/v1/auth/logout')
        .set('Cookie', b.cookie)
        .set('X-CSRF-Token', b.csrf);
      expect(out.status).toBe(204);
      expect(
        (await request(app.getHttpServer()).get('/v1/me').set('Cookie', b.cookie)).status,
      ).toBe(401);
    });
  });

  it('destructive routes (run last): the owner succeeds', async () => {
    const routes = registeredRoutes(app).filter((r) => destructive.has(`${r.method} ${r.path}`));
    expect(routes).toHaveLength(destructive.size);
    expect(routes.every((r) => r.method === 'DELETE')).toBe(true);
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      const path = route.path.replace(':orgId', a.orgId);
      const res = await request(app.getHttpServer())
        .delete(path)
        .set('Cookie', a.cookie)
        .set('X-CSRF-Token', a.csrf)
        .send(bodies[key] as object);
      expect([key, res.status]).toEqual([key, 200]);
    }
  });
});
