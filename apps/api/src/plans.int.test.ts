import { createHash } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import {
  clusterDetailSchema,
  minimalSnapshot,
  planEffortResponseSchema,
  planListSchema,
  planRecordSchema,
  riskAcceptanceListSchema,
  riskAcceptanceSchema,
  type PlanRecord,
} from '@plumbline/contracts';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { unzipSync } from 'fflate';
import pino from 'pino';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { generatedSnapshot, signup, waitFor, type Session } from '../test/helpers.js';
import { createApp } from './app.js';

/**
 * Plans through the API on real PostgreSQL, fed by the real upload path: a request is checked
 * against the cluster's newest scan (bad targets and scans without workloads: 422 with the
 * reason, nothing stored), computed by the in-process `cluster.plan` job, read with its
 * verification, and its bundle downloaded as a zip whose files are the plan; the effort table is
 * versioned and audited; another organisation sees none of it.
 */
describe('plans: request, compute, read, download the bundle, effort table, tenancy', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;
  let owner: Session;
  let other: Session;
  let clusterId: string;
  let emptyClusterId: string;

  const post = (path: string, body: unknown, who: Session = owner) =>
    request(app.getHttpServer())
      .post(`/v1/orgs/${who.orgId}${path}`)
      .set('Cookie', who.cookie)
      .set('X-CSRF-Token', who.csrf)
      .send(body as object);
  const put = (path: string, body: unknown, who: Session = owner) =>
    request(app.getHttpServer())
      .put(`/v1/orgs/${who.orgId}${path}`)
      .set('Cookie', who.cookie)
      .set('X-CSRF-Token', who.csrf)
      .send(body as object);
  const get = (path: string, who: Session = owner) =>
    request(app.getHttpServer()).get(`/v1/orgs/${who.orgId}${path}`).set('Cookie', who.cookie);
  const binary = (path: string, who: Session = owner) =>
    get(path, who)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
  const finished = (id: string) =>
    waitFor(`plan ${id} computed`, async () => {
      const p = planRecordSchema.parse((await get(`/plans/${id}`)).body);
      return p.status === 'queued' || p.status === 'running' ? null : p;
    });

  const upload = async (token: string, body: object) => {
    const res = await request(app.getHttpServer())
      .post('/v1/snapshots')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));
    expect(res.status).toBe(202);
    await waitFor('scan analysed', async () => {
      const scan = await db.scans.get(owner.orgId, res.body.scanId);
      return scan?.status === 'succeeded';
    });
    return res.body.clusterId as string;
  };

  beforeAll(async () => {
    tdb = await createTestDatabase('plans');
    db = Database.connect(tdb.url, { poolSize: 3 });
    app = await createApp(
      loadEnv('api', { DATABASE_URL: tdb.url, LOG_LEVEL: 'silent', ROLLUP_DEBOUNCE_MS: '0' }),
      pino({ level: 'silent' }),
    );
    await app.init();
    owner = await signup(app, 'sre@plans.test', 'Plans Co');
    other = await signup(app, 'cto@elsewhere.test', 'Elsewhere Co');
    const token = (await post('/scanner-tokens', { name: 'ci' })).body.token as string;
    clusterId = await upload(
      token,
      generatedSnapshot('shop-prod', '2026-11-01T00:00:00.000Z', {
        seed: 'plans',
        pods: 60,
        policies: 0,
      }),
    );
    emptyClusterId = await upload(
      token,
      minimalSnapshot('empty-lab', { namespaces: ['a'], collectedAt: '2026-11-01T00:00:00.000Z' }),
    );
  }, 120_000);

  afterAll(async () => {
    await app.close();
    await db.close();
    await tdb.drop();
  });

  it('bad targets, unknown clusters and scans without workloads are refused with reasons; nothing is stored', async () => {
    const bad = [
      { level: 5 },
      { level: 0 },
      { level: 2.5 },
      { level: '2' },
      { pillar: 'isolation' },
      { level: 2, extra: true },
    ];
    for (const body of bad) {
      const res = await post(`/clusters/${clusterId}/plans`, body);
      expect(res.status).toBe(422);
      expect(res.body.error.details.length).toBeGreaterThan(0);
    }
    expect((await post(`/clusters/00000000-0000-4000-8000-000000000000/plans`, {})).status).toBe(
      404,
    );
    expect((await post(`/clusters/not-a-uuid/plans`, {})).status).toBe(404);
    const empty = await post(`/clusters/${emptyClusterId}/plans`, {});
    expect(empty.status).toBe(422);
    expect(empty.body.error.message).toMatch(/no workloads/);
    // The generated cluster is at level 0 with multi-cluster at 2: a target at or below today's
    // level is refused, with today's level in the reason.
    const met = await post(`/clusters/${clusterId}/plans`, { pillar: 'multi-cluster', level: 2 });
    expect(met.status).toBe(422);
    expect(met.body.error.message).toMatch(/already at level 2/);
    expect(planListSchema.parse((await get(`/clusters/${clusterId}/plans`)).body).items).toEqual(
      [],
    );
    expect(await db.plans.unfinished(new Date(Date.now() + 60_000))).toEqual([]);
  });

  let plan2: PlanRecord;
  it('level 2: a plan with generated steps, a verified bundle, and a zip that is the plan', async () => {
    const res = await post(`/clusters/${clusterId}/plans`, { level: 2 });
    expect(res.status).toBe(202);
    const queued = planRecordSchema.parse(res.body);
    expect(queued).toMatchObject({
      status: 'queued',
      clusterName: 'shop-prod',
      target: { level: 2, pillar: null },
      plan: null,
      bundle: null,
    });
    plan2 = await finished(queued.id);
    expect(plan2.status).toBe('ready');
    const body = plan2.plan!;
    if (!body.reachable) throw new Error(`unexpected: ${body.reason}`);
    expect(body.from.level).toBe(0);
    expect(body.to.level).toBeGreaterThanOrEqual(2);
    expect(body.steps.length).toBeGreaterThan(0);
    expect(body.hours).toBe(body.steps.reduce((n, s) => n + s.hours, 0));
    expect(body.steps.at(-1)!.after.level).toBe(body.to.level);
    expect(body.roadmap.reduce((n, p) => n + p.steps.length, 0)).toBe(body.steps.length);
    // One figure per thing: the plan starts from the level and tax the cluster screen shows.
    const detail = clusterDetailSchema.parse((await get(`/clusters/${clusterId}`)).body);
    expect(body.from.level).toBe(detail.maturity!.level);
    expect(body.from.taxCents).toBe(detail.cost!.totalCents);
    const generated = body.steps.filter((s) => s.kind === 'generated');
    expect(generated.length).toBeGreaterThan(0);
    // Verified by re-analysis: the levels promised are the levels reached, nothing exposed is cut.
    const v = plan2.verification!;
    expect(v.ok).toBe(true);
    expect(v.reached).toEqual(v.promised);
    expect(v.connectivity.cut).toEqual([]);
    expect(v.connectivity.checked).toBeGreaterThan(0);
    expect(plan2.bundle!.objects).toBeGreaterThan(0);

    const zip = await binary(`/plans/${plan2.id}/bundle`);
    expect(zip.status).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
    expect(zip.headers['content-disposition']).toMatch(
      /^attachment; filename="plumbline-plan-shop-prod-level-2-[0-9a-f]{8}\.zip"$/,
    );
    const bytes = zip.body as Buffer;
    expect(bytes.byteLength).toBe(plan2.bundle!.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(plan2.bundle!.sha256);
    const files = unzipSync(new Uint8Array(bytes));
    const names = Object.keys(files);
    expect(names).toHaveLength(plan2.bundle!.files);
    const folder = names[0]!.split('/')[0]!;
    expect(folder).toBe('plumbline-plan-shop-prod-level-2');
    const text = (n: string) => new TextDecoder().decode(files[`${folder}/${n}`]);
    const kustomization = parseYaml(text('kustomization.yaml')) as { resources: string[] };
    expect(kustomization.resources).toHaveLength(plan2.bundle!.objects);
    for (const r of kustomization.resources) {
      const m = parseYaml(text(r)) as { apiVersion: string; kind: string; metadata: object };
      expect(m.apiVersion).toBeTruthy();
      expect(m.kind).toBeTruthy();
    }
    expect(JSON.parse(text('plan.json')).plan).toEqual(body);
    expect(text('README.md')).toMatch(/^# Plumbline plan: operational maturity level 2/);
    expect(text('README.md')).toContain(`${body.steps.length} steps, ${body.hours} hours`);

    const audit = await db.audit.list(owner.orgId, 50);
    expect(audit.find((e) => e.action === 'plan.request')?.targetId).toBe(plan2.id);
    expect(audit.find((e) => e.action === 'plan.download')?.targetId).toBe(plan2.id);
  }, 60_000);

  it('no level asked: the next level; manual-only plans still download their README', async () => {
    const res = await post(`/clusters/${clusterId}/plans`, {});
    expect(res.status).toBe(202);
    const p = await finished(res.body.id);
    expect(p.target).toEqual({ level: 1, pillar: null });
    expect(p.status).toBe('ready');
    if (!p.plan?.reachable) throw new Error('unreachable');
    expect(p.plan.to.level).toBeGreaterThanOrEqual(1);
    if (p.plan.steps.every((s) => s.kind === 'manual')) {
      expect(p.verification).toBeNull();
      expect(p.bundle!.objects).toBe(0);
    }
    const files = unzipSync(new Uint8Array((await binary(`/plans/${p.id}/bundle`)).body as Buffer));
    expect(Object.keys(files).some((n) => n.endsWith('/README.md'))).toBe(true);
    const list = planListSchema.parse((await get(`/clusters/${clusterId}/plans`)).body);
    expect(list.items.map((x) => x.id)).toEqual([p.id, plan2.id]);
    const page = planListSchema.parse((await get(`/clusters/${clusterId}/plans?limit=1`)).body);
    expect(page.items.map((x) => x.id)).toEqual([p.id]);
    expect(page.nextCursor).toBe(p.id);
  }, 60_000);

  it('a plan that is unreachable, refused, failed or still running answers its bundle with the reason', async () => {
    const scanId = plan2.scanId;
    const make = async () =>
      (
        await db.plans.create(owner.orgId, {
          clusterId,
          scanId,
          targetLevel: 4,
          targetPillar: null,
          requestedById: null,
        })
      ).id;
    const running = await make();
    const r1 = await get(`/plans/${running}/bundle`);
    expect(r1.status).toBe(409);
    expect(r1.body.error.message).toMatch(/the plan is queued/);
    const unreachable = await make();
    await db.plans.complete(owner.orgId, unreachable, {
      status: 'unreachable',
      reason: 'level 4 is out of reach from this scan’s evidence',
      plan: null,
      verification: null,
    });
    const r2 = await get(`/plans/${unreachable}/bundle`);
    expect(r2.status).toBe(422);
    expect(r2.body.error.message).toBe('level 4 is out of reach from this scan’s evidence');
    const failed = await make();
    await db.plans.fail(owner.orgId, failed, 'the snapshot is gone');
    const r3 = await get(`/plans/${failed}/bundle`);
    expect(r3.status).toBe(409);
    expect(r3.body.error.message).toMatch(/the plan failed: the snapshot is gone/);
    expect(planRecordSchema.parse((await get(`/plans/${unreachable}`)).body)).toMatchObject({
      status: 'unreachable',
      reason: 'level 4 is out of reach from this scan’s evidence',
      bundle: null,
    });
  });

  it('the effort table: defaults with sources, versioned overrides (admins, audited) used by later plans', async () => {
    const before = planEffortResponseSchema.parse((await get('/plan-effort')).body);
    expect(before.version).toBe(0);
    expect(before.hoursPerPhase).toEqual({ value: 60, default: 60 });
    const ingress = before.actions.find((a) => a.id === 'netpol-ingress')!;
    expect(ingress.overridden).toBe(false);
    expect(ingress.effective).toEqual(ingress.default);
    expect(before.source).toMatch(/remediation-plan\.md/);

    for (const body of [
      { overrides: { hoursPerPhase: 0 } },
      { overrides: { actions: { 'Bad Id': { baseHours: 1 } } } },
      { overrides: { actions: { pdb: { baseHours: -1 } } } },
      { hoursPerPhase: 10 },
    ])
      expect((await put('/plan-effort', body)).status).toBe(422);
    expect(planEffortResponseSchema.parse((await get('/plan-effort')).body).version).toBe(0);

    const saved = await put('/plan-effort', {
      overrides: { hoursPerPhase: 10, actions: { 'netpol-ingress': { baseHours: 40 } } },
    });
    expect(saved.status).toBe(200);
    const after = planEffortResponseSchema.parse(saved.body);
    expect(after.version).toBe(1);
    expect(after.hoursPerPhase.value).toBe(10);
    const ing = after.actions.find((a) => a.id === 'netpol-ingress')!;
    expect(ing).toMatchObject({ overridden: true, effective: { baseHours: 40 } });
    const audit = await db.audit.list(owner.orgId, 50);
    expect(audit.find((e) => e.action === 'plan.effort_update')?.metadata).toMatchObject({
      version: 1,
      changed: ['actions.netpol-ingress', 'hoursPerPhase'],
    });

    const res = await post(`/clusters/${clusterId}/plans`, { level: 2 });
    const p = await finished(res.body.id);
    expect(p.effortVersion).toBe(1);
    if (!p.plan?.reachable || !plan2.plan?.reachable) throw new Error('unreachable');
    expect(p.plan.hoursPerPhase).toBe(10);
    const step = (x: PlanRecord) =>
      x.plan?.reachable ? x.plan.steps.find((s) => s.id === 'netpol-ingress') : undefined;
    if (step(plan2)) expect(step(p)!.hours).toBe(step(plan2)!.hours + 36);
    expect(p.plan.roadmap.length).toBeGreaterThanOrEqual(plan2.plan.roadmap.length);
  }, 60_000);

  it('risk acceptance: admins accept a criterion or a finding with owner, reason and expiry; plans leave it out of scope', async () => {
    const del = (path: string, who: Session = owner) =>
      request(app.getHttpServer())
        .delete(`/v1/orgs/${who.orgId}${path}`)
        .set('Cookie', who.cookie)
        .set('X-CSRF-Token', who.csrf);
    const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();
    expect(riskAcceptanceListSchema.parse((await get('/risk-acceptances')).body)).toEqual({
      items: [],
      counts: { active: 0, expired: 0, revoked: 0 },
    });
    if (!plan2.plan?.reachable) throw new Error('unreachable');
    const manual = plan2.plan.steps.find((s) => s.kind === 'manual' && s.addresses.length === 1)!;
    const criterion = manual.addresses[0]!;
    // Another requirement of the plan, for an acceptance that has expired.
    const stale = plan2.plan.steps.flatMap((s) => s.addresses).find((id) => id !== criterion)!;
    const ok = {
      clusterId,
      kind: 'criterion',
      targetId: criterion,
      owner: 'Platform team (Dana)',
      reason: 'TLS terminates at the external load balancer; reviewed with security.',
      expiresAt: inDays(90),
    };
    const bad: [object, number, RegExp][] = [
      [{ ...ok, expiresAt: inDays(-1) }, 422, /in the future/],
      [{ ...ok, expiresAt: inDays(400) }, 422, /within 366 days/],
      [{ ...ok, targetId: 'resilience.pdbx' }, 422, /unknown criterion/],
      [{ ...ok, targetId: 'Resilience.PDB' }, 422, /does not match the contract/],
      [{ ...ok, kind: 'finding', targetId: 'maturity/not-a-finding' }, 422, /no finding/],
      [{ ...ok, reason: 'because' }, 422, /does not match the contract/],
      [{ ...ok, owner: 'Dana\u0000' }, 422, /does not match the contract/],
      [{ ...ok, owner: '\ud800' }, 422, /does not match the contract/],
      [{ ...ok, clusterId: '00000000-0000-4000-8000-000000000000' }, 404, /cluster not found/],
    ];
    for (const [body, status, message] of bad) {
      const res = await post('/risk-acceptances', body);
      expect([res.status, res.body.error.message]).toEqual([
        status,
        expect.stringMatching(message),
      ]);
    }
    expect(riskAcceptanceListSchema.parse((await get('/risk-acceptances')).body).items).toEqual([]);

    const created = await post('/risk-acceptances', ok);
    expect(created.status).toBe(201);
    const accepted = riskAcceptanceSchema.parse(created.body);
    expect(accepted).toMatchObject({
      clusterName: 'shop-prod',
      kind: 'criterion',
      targetId: criterion,
      owner: 'Platform team (Dana)',
      state: 'active',
    });
    expect(accepted.title).not.toBe(criterion);
    // A finding of the newest scan, organisation-wide.
    const detail = clusterDetailSchema.parse((await get(`/clusters/${clusterId}`)).body);
    const finding = detail.findings.find(
      (f) => f.domain === 'maturity' && !f.id.includes(stale) && !f.id.includes(criterion),
    )!;
    const byFinding = await post('/risk-acceptances', {
      kind: 'finding',
      targetId: finding.id,
      owner: 'SRE',
      reason: 'Accepted until the Q1 migration replaces this cluster.',
      expiresAt: inDays(30),
    });
    expect(byFinding.status).toBe(201);
    expect(byFinding.body).toMatchObject({ clusterId: null, clusterName: null, kind: 'finding' });
    // An expired one (written as if accepted long ago): listed as expired, ignored by plans.
    await db.riskAcceptances.create(owner.orgId, {
      clusterId,
      kind: 'criterion',
      targetId: stale,
      title: stale,
      owner: 'Old owner',
      reason: 'An acceptance that has run out.',
      expiresAt: new Date(Date.now() - 86_400_000),
      createdById: null,
    });
    const list = riskAcceptanceListSchema.parse((await get('/risk-acceptances')).body);
    expect(list.counts).toEqual({ active: 2, expired: 1, revoked: 0 });
    expect(list.items.find((r) => r.targetId === stale)?.state).toBe('expired');

    const res = await post(`/clusters/${clusterId}/plans`, { level: 2 });
    const p = await finished(res.body.id);
    if (!p.plan?.reachable) throw new Error('unreachable');
    expect(p.plan.accepted).toContain(criterion);
    expect(p.plan.accepted).not.toContain(stale);
    expect(p.plan.steps.map((s) => s.id)).not.toContain(manual.id);
    expect(p.plan.to.level).toBeGreaterThanOrEqual(2);
    expect(p.verification?.reached ?? null).toEqual(p.verification?.promised ?? null);

    const audit = await db.audit.list(owner.orgId, 100);
    expect(audit.filter((e) => e.action === 'risk.accept')).toHaveLength(2);
    // Revoked: applies again at once; a second revoke is a conflict; other organisations see nothing.
    expect((await del(`/risk-acceptances/${accepted.id}`, other)).status).toBe(404);
    const revoked = await del(`/risk-acceptances/${accepted.id}`);
    expect(revoked.status).toBe(200);
    expect(riskAcceptanceSchema.parse(revoked.body).state).toBe('revoked');
    expect((await del(`/risk-acceptances/${accepted.id}`)).status).toBe(409);
    expect((await db.audit.list(owner.orgId, 100)).some((e) => e.action === 'risk.revoke')).toBe(
      true,
    );
    const again = await finished(
      (await post(`/clusters/${clusterId}/plans`, { level: 2 })).body.id,
    );
    if (!again.plan?.reachable) throw new Error('unreachable');
    expect(again.plan.accepted).not.toContain(criterion);
    expect(again.plan.steps.map((s) => s.id)).toContain(manual.id);
    expect(
      riskAcceptanceListSchema.parse((await get('/risk-acceptances', other)).body).items,
    ).toEqual([]);
  }, 60_000);

  it('AI-agent accountability pillars are plan targets: the next level resolved from the scan, agent steps verified', async () => {
    const res = await post(`/clusters/${clusterId}/plans`, { pillar: 'identity-ownership' });
    expect(res.status).toBe(202);
    const p = await finished(res.body.id);
    expect([p.status, p.target]).toEqual(['ready', { level: 1, pillar: 'identity-ownership' }]);
    if (!p.plan?.reachable) throw new Error('unreachable');
    // The agent without registration gets its annotation generated; its owner is the team's to
    // name (a manual step: Plumbline never writes a placeholder owner).
    expect(p.plan.steps.map((x) => x.id)).toEqual(['agent-registration', 'manual:identity.owner']);
    expect(p.plan.to.agents?.['identity-ownership']).toBeGreaterThanOrEqual(1);
    expect(p.verification!.ok).toBe(true);
    expect(p.verification!.agents!.reached).toEqual(p.verification!.agents!.promised);
    const files = unzipSync(new Uint8Array((await binary(`/plans/${p.id}/bundle`)).body as Buffer));
    const yaml = Object.entries(files)
      .filter(([n]) => n.endsWith('.yaml'))
      .map(([, b]) => new TextDecoder().decode(b))
      .join('\n---\n');
    expect(yaml).toMatch(/plumbline\.io\/agent:/);
    expect(
      new TextDecoder().decode(files[Object.keys(files).find((n) => n.endsWith('/README.md'))!]),
    ).toMatch(/owner/i);
  }, 60_000);

  it('network policies in the dialect of the enforcing CNI: Cilium where Cilium enforces, refused elsewhere', async () => {
    const token = (await post('/scanner-tokens', { name: 'cilium' })).body.token as string;
    const ciliumCluster = await upload(
      token,
      generatedSnapshot('mesh-prod', '2026-11-02T00:00:00.000Z', {
        seed: 'plans-cilium',
        pods: 60,
        policies: 0,
        stack: { cni: 'cilium' },
      }),
    );
    expect((await post(`/clusters/${ciliumCluster}/plans`, { dialect: 'weave' })).status).toBe(422);
    const target = { pillar: 'workload-isolation', level: 4 };
    const res = await post(`/clusters/${ciliumCluster}/plans`, { ...target, dialect: 'cilium' });
    expect(res.status).toBe(202);
    expect(planRecordSchema.parse(res.body).dialect).toBe('cilium');
    const p = await finished(res.body.id);
    expect([p.status, p.reason]).toEqual(['ready', null]);
    if (!p.plan?.reachable) throw new Error('unreachable');
    expect(p.plan.steps.map((s) => s.id)).toContain('netpol-ingress');
    expect(p.verification!.ok).toBe(true);
    expect(p.verification!.reached).toEqual(p.verification!.promised);
    expect(p.verification!.connectivity.cut).toEqual([]);
    expect(p.verification!.connectivity.checked).toBeGreaterThan(0);
    // The bundle holds CiliumNetworkPolicies only, never a Kubernetes NetworkPolicy.
    const files = unzipSync(new Uint8Array((await binary(`/plans/${p.id}/bundle`)).body as Buffer));
    const kinds = Object.entries(files)
      .filter(([n]) => n.endsWith('.yaml') && !n.endsWith('/kustomization.yaml'))
      .map(
        ([, b]) => parseYaml(new TextDecoder().decode(b)) as { apiVersion: string; kind: string },
      )
      .map((m) => `${m.apiVersion} ${m.kind}`);
    expect(kinds).toContain('cilium.io/v2 CiliumNetworkPolicy');
    expect(kinds.filter((k) => k === 'networking.k8s.io/v1 NetworkPolicy')).toEqual([]);
    // Calico policies on a Cilium cluster would not be enforced: refused with the reason.
    const calico = await post(`/clusters/${ciliumCluster}/plans`, { ...target, dialect: 'calico' });
    const refused = await finished(calico.body.id);
    expect(refused.status).toBe('unreachable');
    expect(refused.reason).toMatch(/only where Calico enforces network policy.*only cilium/);
    expect((await binary(`/plans/${refused.id}/bundle`)).status).toBe(422);
  }, 90_000);

  it("another organisation sees none of it and cannot plan this organisation's clusters", async () => {
    expect((await get(`/plans/${plan2.id}`, other)).status).toBe(404);
    expect((await get(`/plans/${plan2.id}/bundle`, other)).status).toBe(404);
    expect((await get(`/clusters/${clusterId}/plans`, other)).status).toBe(404);
    expect((await post(`/clusters/${clusterId}/plans`, {}, other)).status).toBe(404);
    // The organisation's list holds every cluster's plans; another organisation's holds none of
    // them, and a cursor from this organisation is unknown there.
    const mine = planListSchema.parse((await get('/plans?limit=200')).body).items;
    expect(new Set(mine.map((p) => p.clusterId)).size).toBeGreaterThanOrEqual(2);
    expect(mine.map((p) => p.id)).toContain(plan2.id);
    const page = planListSchema.parse((await get('/plans?limit=1')).body);
    expect(page.items.map((p) => p.id)).toEqual([mine[0]!.id]);
    expect(planListSchema.parse((await get('/plans', other)).body).items).toEqual([]);
    expect((await get(`/plans?cursor=${plan2.id}`, other)).status).toBe(404);
    // This organisation's routes: the org guard answers as if nothing were there.
    expect(
      (
        await request(app.getHttpServer())
          .get(`/v1/orgs/${owner.orgId}/plans/${plan2.id}`)
          .set('Cookie', other.cookie)
      ).status,
    ).toBe(404);
    expect(planEffortResponseSchema.parse((await get('/plan-effort', other)).body).version).toBe(0);
  });
});
