import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import {
  actionsResponseSchema,
  AGENTS_PAGE_MAX,
  AGENTS_PAGE_SIZE,
  agentsOverviewSchema,
  agentsPageSchema,
  agentsResponseSchema,
  analysisResultSchema,
  clusterDetailSchema,
  clusterSchema,
  costResponseSchema,
  historyPageSchema,
  overviewSchema,
  scanDiffSchema,
  selfAssessmentHistorySchema,
  selfAssessmentResponseSchema,
  METHODOLOGY_VERSION,
  type AgentsList,
  type AgentsListEntry,
  type AgentsOverview,
  type AgentsPageOf,
  type AnalysisResult,
  type ClusterRecord,
} from '@plumbline/contracts';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { findingsInPageOrder } from '@plumbline/read-models';
import pino from 'pino';
import request from 'supertest';
import { generatedSnapshot, signup, waitFor, type Session } from '../test/helpers.js';
import { createApp } from './app.js';

/**
 * The read API over real PostgreSQL, fed through the real upload path (scanner token ->
 * /v1/snapshots -> in-process jobs -> analysis -> roll-up): every response is checked against
 * its contract, and each number against the stored analysis it comes from.
 */
type Get = (path: string) => request.Test;

/** Every page of one list of the agents view, following nextCursor from the start. */
async function pagesOf<L extends AgentsList>(
  get: Get,
  list: L,
  query = '',
): Promise<AgentsPageOf<L>[]> {
  const pages: AgentsPageOf<L>[] = [];
  let cursor: string | null = null;
  do {
    const q = [query, cursor === null ? '' : `cursor=${cursor}`].filter(Boolean).join('&');
    const res = await get(`/agents/${list}${q ? `?${q}` : ''}`);
    expect(res.status).toBe(200);
    const page = agentsPageSchema.parse(res.body);
    expect(page.list).toBe(list);
    pages.push(page as AgentsPageOf<L>);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return pages;
}

/** All entries of one list of the agents view. */
async function walk<L extends AgentsList>(
  get: Get,
  list: L,
  query = '',
): Promise<AgentsListEntry[L][]> {
  const pages = await pagesOf(get, list, query);
  return pages.flatMap((p): AgentsListEntry[L][] => p.items as AgentsListEntry[L][]);
}

describe('read API: overview, cluster detail, history, agents, actions, cost, exports', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;
  let owner: Session;
  let clusterId: string;
  const scanIds: string[] = [];

  const get = (path: string, who: Session = owner) =>
    request(app.getHttpServer()).get(`/v1/orgs/${who.orgId}${path}`).set('Cookie', who.cookie);
  const put = (path: string, body: object, who: Session = owner) =>
    request(app.getHttpServer())
      .put(`/v1/orgs/${who.orgId}${path}`)
      .set('Cookie', who.cookie)
      .set('X-CSRF-Token', who.csrf)
      .send(body);

  beforeAll(async () => {
    tdb = await createTestDatabase('insights');
    db = Database.connect(tdb.url, { poolSize: 3 });
    app = await createApp(
      // Each scan gets its own roll-up (and so its own trend point): the debounce that folds
      // uploads arriving together is covered by packages/jobs/src/debounce.int.test.ts.
      loadEnv('api', { DATABASE_URL: tdb.url, LOG_LEVEL: 'silent', ROLLUP_DEBOUNCE_MS: '0' }),
      pino({ level: 'silent' }),
    );
    await app.init();
    owner = await signup(app, 'lead@fleet.test', 'Fleet Co');
    const token = await request(app.getHttpServer())
      .post(`/v1/orgs/${owner.orgId}/scanner-tokens`)
      .set('Cookie', owner.cookie)
      .set('X-CSRF-Token', owner.csrf)
      .send({ name: 'ci' });
    // Three scans of one cluster: policies come, then go again (coverage findings come back).
    const scans = [
      { at: '2026-09-01T00:00:00.000Z', policies: 0 },
      { at: '2026-10-01T00:00:00.000Z', policies: 30 },
      { at: '2026-11-01T00:00:00.000Z', policies: 0 },
    ];
    for (const [i, s] of scans.entries()) {
      const snap = generatedSnapshot('ai-prod', s.at, {
        seed: 'insights',
        pods: 150,
        policies: s.policies,
        agents: 3,
      });
      const res = await request(app.getHttpServer())
        .post('/v1/snapshots')
        .set('Authorization', `Bearer ${token.body.token}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(snap));
      expect(res.status).toBe(202);
      clusterId = res.body.clusterId;
      scanIds.push(res.body.scanId);
      await waitFor('scan analysed', async () => {
        const scan = await db.scans.get(owner.orgId, res.body.scanId);
        return scan?.status === 'succeeded';
      });
      await waitFor(`roll-up of scan ${i + 1}`, async () => {
        const r = await db.rollups.get(owner.orgId);
        const trends = (r?.result as { trends?: unknown[] } | undefined)?.trends;
        return Array.isArray(trends) && trends.length === i + 1;
      });
    }
  }, 120_000);

  afterAll(async () => {
    await app.close();
    await db.close();
    await tdb.drop();
  });

  const stored = async (scanId: string): Promise<AnalysisResult> =>
    analysisResultSchema.parse((await db.scans.getResult(owner.orgId, scanId))!.result);

  it('prepared pages: entity tag and 304, gzip only when accepted, a new tag once data changes', async () => {
    const raw = (path: string, headers: Record<string, string> = {}) => {
      const r = request(app.getHttpServer())
        .get(`/v1/orgs/${owner.orgId}${path}`)
        .set('Cookie', owner.cookie)
        .buffer(true)
        // The body as bytes, whatever its type.
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
      for (const [k, v] of Object.entries(headers)) r.set(k, v);
      return r;
    };
    for (const path of ['/overview', `/clusters/${clusterId}`, '/agents']) {
      const plain = await raw(path, { 'Accept-Encoding': 'identity' });
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers['cache-control']).toBe('private, no-cache');
      expect(plain.headers.vary).toMatch(/Accept-Encoding/);
      const etag = plain.headers.etag as string;
      expect(etag).toMatch(/^"[\w-]{32}"$/);
      const text = (plain.body as Buffer).toString();
      JSON.parse(text);
      const zipped = await raw(path, { 'Accept-Encoding': 'gzip, deflate, br' });
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers.etag).toBe(etag);
      // supertest decodes gzip itself: the decoded bytes are the text; the length sent is less.
      expect((zipped.body as Buffer).toString()).toBe(text);
      expect(Number(zipped.headers['content-length'])).toBeLessThan(Buffer.byteLength(text));
      // A client that says nothing about encodings gets the text.
      const none = await request(app.getHttpServer())
        .get(`/v1/orgs/${owner.orgId}${path}`)
        .set('Cookie', owner.cookie)
        .unset('Accept-Encoding');
      expect(none.headers['content-encoding']).toBeUndefined();
      const same = await raw(path, { 'If-None-Match': etag, 'Accept-Encoding': 'gzip' });
      expect(same.status).toBe(304);
      expect((same.body as Buffer).length).toBe(0);
      // Another organisation's member with the same tag learns nothing: 404, no body of ours.
      const other = await signup(app, `etag${path.length}@other.test`, 'Other Co');
      const foreign = await request(app.getHttpServer())
        .get(`/v1/orgs/${owner.orgId}${path}`)
        .set('Cookie', other.cookie)
        .set('If-None-Match', etag);
      expect(foreign.status).toBe(404);
    }
    // A changed environment changes the cluster page and the overview: the old tag gets 200.
    const before = await raw(`/clusters/${clusterId}`, { 'Accept-Encoding': 'identity' });
    const overviewBefore = await raw('/overview', { 'Accept-Encoding': 'identity' });
    const env = await request(app.getHttpServer())
      .put(`/v1/orgs/${owner.orgId}/clusters/${clusterId}/environment`)
      .set('Cookie', owner.cookie)
      .set('X-CSRF-Token', owner.csrf)
      .send({ environment: 'non-production' });
    expect(env.status).toBe(200);
    for (const [path, was] of [
      [`/clusters/${clusterId}`, before],
      ['/overview', overviewBefore],
    ] as const) {
      const after = await raw(path, { 'If-None-Match': was.headers.etag as string });
      expect(after.status).toBe(200);
      expect(after.headers.etag).not.toBe(was.headers.etag);
    }
    await request(app.getHttpServer())
      .put(`/v1/orgs/${owner.orgId}/clusters/${clusterId}/environment`)
      .set('Cookie', owner.cookie)
      .set('X-CSRF-Token', owner.csrf)
      .send({ environment: null });
  });

  it('overview: fleet, both roll-ups, the tax with components, trends and top actions', async () => {
    const res = await get('/overview');
    expect(res.status).toBe(200);
    const o = overviewSchema.parse(res.body);
    const latest = await stored(scanIds[2]!);
    expect(o.organization.name).toBe('Fleet Co');
    expect(o.clusters).toHaveLength(1);
    expect(o.clusters[0]).toMatchObject({
      id: clusterId,
      name: 'ai-prod',
      status: 'succeeded',
      scanId: scanIds[2],
      level: latest.steps.maturity.level,
    });
    expect(o.maturity!.pillars).toHaveLength(6);
    expect(o.maturity!.level).toBe(Math.min(...o.maturity!.pillars.map((p) => p.level)));
    expect(o.maturity!.lowest.every((p) => p.level === o.maturity!.level)).toBe(true);
    expect(o.accountability!.pillars).toHaveLength(5);
    expect(o.accountability!.agents).toBeGreaterThan(0);
    const tax = o.integrationTax!;
    expect(tax.totalCents).toBeGreaterThan(0);
    expect(tax.components.reduce((n, c) => n + c.cents, 0)).toBe(tax.totalCents);
    expect(tax.hides).toMatch(/^\d+% of it is /);
    // One trend point per roll-up, dated by the snapshot's collection time.
    expect(o.trends.map((t) => t.at)).toEqual([
      '2026-09-01T00:00:00.000Z',
      '2026-10-01T00:00:00.000Z',
      '2026-11-01T00:00:00.000Z',
    ]);
    expect(o.topActions.length).toBeGreaterThan(0);
    expect(o.topActions.map((a) => a.rank)).toEqual(o.topActions.map((_a, i) => i + 1));
  });

  it('cluster detail: stack by layer, policy coverage by namespace, criteria and findings from the newest scan', async () => {
    const res = await get(`/clusters/${clusterId}`);
    expect(res.status).toBe(200);
    const d = clusterDetailSchema.parse(res.body);
    const latest = await stored(scanIds[2]!);
    expect(d.scan!.id).toBe(scanIds[2]);
    expect(d.scan!.collectedAt).toBe('2026-11-01T00:00:00.000Z');
    const components = d.stack!.layers.flatMap((l) => l.components.map((c) => c.id)).sort();
    expect(components).toEqual(latest.steps.detection.components.map((c) => c.id).sort());
    expect(d.networkPolicy!.namespaces.map((n) => n.name)).toEqual(
      latest.steps.netpol.namespaces.map((n) => n.name),
    );
    expect(d.maturity!.pillars.flatMap((p) => p.criteria)).toHaveLength(
      latest.steps.maturity.pillars.flatMap((p) => p.criteria).length,
    );
    const maturityFindings = d.findings.filter((f) => f.domain === 'maturity');
    expect(maturityFindings).toHaveLength(latest.steps.maturity.findings.length);
    for (const f of d.findings) {
      expect(f.remediation.length).toBeGreaterThan(0);
      expect(f.whatIfLevel).toBeGreaterThanOrEqual(f.currentLevel);
    }
    expect(d.findings.some((f) => f.domain === 'accountability' && f.asi)).toBe(true);
  });

  it('history: scores and cost per scan, newest first, with cursor pagination', async () => {
    const first = historyPageSchema.parse(
      (await get(`/clusters/${clusterId}/history?limit=2`)).body,
    );
    expect(first.items.map((i) => i.scanId)).toEqual([scanIds[2], scanIds[1]]);
    expect(first.nextCursor).toBe(scanIds[1]);
    const second = historyPageSchema.parse(
      (await get(`/clusters/${clusterId}/history?limit=2&cursor=${first.nextCursor}`)).body,
    );
    expect(second.items.map((i) => i.scanId)).toEqual([scanIds[0]]);
    expect(second.nextCursor).toBeNull();
    for (const [i, id] of [scanIds[2], scanIds[1], scanIds[0]].entries()) {
      const item = [...first.items, ...second.items][i]!;
      const r = await stored(id!);
      expect(item.summary!.maturity.score).toBe(r.steps.maturity.score);
      expect(item.summary!.taxCents).toBe(r.steps.cost.totalCents);
      expect(Object.keys(item.summary!.findings).length).toBeGreaterThan(0);
    }
    const bad = await get(`/clusters/${clusterId}/history?limit=0&page=2`);
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.join(' ')).toMatch(/limit|page/);
  });

  it('diff: new, fixed and regressed findings between scans match the stored analyses', async () => {
    const ids = async (scanId: string) =>
      new Set((await stored(scanId)).steps.maturity.findings.map((f) => `maturity/${f.id}`));
    const [s0, s1, s2] = [await ids(scanIds[0]!), await ids(scanIds[1]!), await ids(scanIds[2]!)];
    // Default: the newest scan against the one before it.
    const d = scanDiffSchema.parse((await get(`/clusters/${clusterId}/diff`)).body);
    expect(d.from.scanId).toBe(scanIds[1]);
    expect(d.to.scanId).toBe(scanIds[2]);
    const kinds = (xs: { id: string; domain: string }[]) =>
      xs
        .filter((x) => x.domain === 'maturity')
        .map((x) => x.id)
        .sort();
    const appeared = [...s2].filter((id) => !s1.has(id));
    expect(kinds(d.fixed)).toEqual([...s1].filter((id) => !s2.has(id)).sort());
    // Came back after scan 2 fixed them: regressed; never seen before: new.
    expect(kinds(d.regressed)).toEqual(appeared.filter((id) => s0.has(id)).sort());
    expect(kinds(d.new)).toEqual(appeared.filter((id) => !s0.has(id)).sort());
    expect(kinds(d.regressed)).toContain('maturity/isolation.ingress-coverage-50:gap');
    const explicit = scanDiffSchema.parse(
      (await get(`/clusters/${clusterId}/diff?from=${scanIds[0]}&to=${scanIds[1]}`)).body,
    );
    expect(kinds(explicit.fixed)).toEqual([...s0].filter((id) => !s1.has(id)).sort());
    const backwards = await get(`/clusters/${clusterId}/diff?from=${scanIds[2]}&to=${scanIds[0]}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toMatch(/earlier/);
  });

  it('agents and the self-assessment: claimed vs evidenced, history kept, audited; bad answers change nothing', async () => {
    const agents = agentsResponseSchema.parse((await get('/agents')).body);
    expect(agents.status).toBe('assessed');
    const items = await walk(get, 'items');
    expect(items.filter((i) => i.kind === 'agent').length).toBe(agents.summary.agents);
    expect(agents.pillars).toHaveLength(5);
    expect(agents.claimedVsEvidenced.every((r) => r.claimed === null)).toBe(true);

    const answers = {
      traceability: 4,
      'authorization-provenance': 3,
      'identity-ownership': 2,
      'policy-at-scale': 1,
      'human-oversight': 0,
    };
    const bad = await put('/self-assessment', { answers: { ...answers, traceability: 7 } });
    expect(bad.status).toBe(422);
    const saved = await put('/self-assessment', { answers });
    expect(saved.status).toBe(200);
    const sa = selfAssessmentResponseSchema.parse(saved.body);
    expect(sa.current!.answers).toEqual(answers);
    for (const row of sa.claimedVsEvidenced) {
      expect(row.claimed).toBe(answers[row.pillar]);
      const evidenced = agents.pillars.find((p) => p.pillar === row.pillar)!.level;
      expect(row.evidenced).toBe(evidenced);
      expect(row.gap).toBe(row.claimed! - evidenced!);
    }
    await put('/self-assessment', { answers: { ...answers, traceability: 3 } });
    const history = selfAssessmentHistorySchema.parse((await get('/self-assessment/history')).body);
    expect(history.items.map((i) => i.answers.traceability)).toEqual([3, 4]);
    const audit = await db.audit.list(owner.orgId, 50);
    expect(audit.filter((e) => e.action === 'self_assessment.submit')).toHaveLength(2);
  });

  it('agents in pages: GET agents holds the first page of each list and the totals; the pages of a list are the stored view, each entry once', async () => {
    // The self-assessment above queued a roll-up: read until one roll-up served every page
    // (what a client does when a page's computedAt differs from the first answer's).
    const read = await waitFor('every page of one roll-up', async () => {
      const res = await get('/agents');
      expect(res.status).toBe(200);
      const first = agentsResponseSchema.parse(res.body);
      const findings = await pagesOf(get, 'findings', 'limit=4');
      const principles = await pagesOf(get, 'principles', 'limit=3');
      const row = (await db.rollups.view(owner.orgId, 'agents'))!;
      const same = [...findings, ...principles].every((p) => p.computedAt === first.computedAt);
      return (
        same &&
        row.computedAt.toISOString() === first.computedAt && { first, findings, principles, row }
      );
    });
    const { first, row } = read;
    const stored = agentsOverviewSchema.omit({ computedAt: true }).parse(row.body);
    const ordered = findingsInPageOrder(stored.findings);
    expect(first.pages).toEqual({
      items: {
        total: stored.items.length,
        nextCursor: stored.items.length > AGENTS_PAGE_SIZE ? String(AGENTS_PAGE_SIZE) : null,
      },
      findings: {
        total: stored.findings.length,
        nextCursor: stored.findings.length > AGENTS_PAGE_SIZE ? String(AGENTS_PAGE_SIZE) : null,
      },
      principles: {
        total: stored.principles.length,
        nextCursor: stored.principles.length > AGENTS_PAGE_SIZE ? String(AGENTS_PAGE_SIZE) : null,
      },
    });
    expect(first.findings).toEqual(ordered.slice(0, AGENTS_PAGE_SIZE));
    expect(first.items).toEqual(stored.items.slice(0, AGENTS_PAGE_SIZE));
    expect(first.summary).toEqual(stored.summary);
    expect(first.pillars).toEqual(stored.pillars);
    expect(stored.findings.length).toBeGreaterThan(5);
    // Small pages: every finding once, worst first, the stored order kept among equals.
    expect(read.findings.every((p) => p.items.length <= 4)).toBe(true);
    const walked = read.findings.flatMap((p) => p.items);
    expect(walked).toEqual(ordered);
    const key = (f: object) => JSON.stringify(f);
    expect(walked.map(key).sort()).toEqual(stored.findings.map(key).sort());
    expect(read.principles.flatMap((p) => p.items)).toEqual(stored.principles);
    // A pillar's findings and principles.
    const traceability = await walk(get, 'findings', 'pillar=traceability');
    expect(traceability).toEqual(ordered.filter((f) => f.pillar === 'traceability'));
  });

  it('agents in pages: an unknown list is a 404, a bad limit, cursor or filter a 422 with the reason; another organisation gets nothing', async () => {
    const unknown = await get('/agents/widgets');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/items, findings and principles/);
    const refused = async (query: string, reason: RegExp) => {
      const r = await get(`/agents/findings?${query}`);
      expect({ query, status: r.status }).toEqual({ query, status: 422 });
      expect(JSON.stringify(r.body.error)).toMatch(reason);
    };
    await refused('limit=0', /limit/);
    await refused(`limit=${AGENTS_PAGE_MAX + 1}`, /limit/);
    await refused('limit=ten', /limit/);
    await refused('limit=2.5', /limit/);
    await refused('cursor=abc', /cursor: not a cursor of this list/);
    await refused('cursor=-5', /cursor/);
    await refused('cursor=999999', /cursor: beyond the end of the list/);
    await refused('kind=agent', /kind: filters the items only/);
    await refused('pillar=nonsense', /pillar/);
    await refused('order=desc', /order/);
    expect((await get('/agents/items?pillar=traceability')).status).toBe(422);
    // Tenancy: a member of another organisation, and nobody at all.
    const other = await signup(app, 'snoop@elsewhere.test', 'Elsewhere Ltd');
    for (const path of ['/agents', '/agents/findings', '/agents/items?limit=1']) {
      const foreign = await request(app.getHttpServer())
        .get(`/v1/orgs/${owner.orgId}${path}`)
        .set('Cookie', other.cookie);
      expect({ path, status: foreign.status }).toEqual({ path, status: 404 });
      expect(JSON.stringify(foreign.body)).not.toMatch(/ai-prod|accountability\//);
      const anonymous = await request(app.getHttpServer()).get(`/v1/orgs/${owner.orgId}${path}`);
      expect({ path, status: anonymous.status }).toEqual({ path, status: 401 });
    }
    // Its own organisation has no agents: empty lists, never the owner's.
    const own = agentsPageSchema.parse(
      (
        await request(app.getHttpServer())
          .get(`/v1/orgs/${other.orgId}/agents/findings`)
          .set('Cookie', other.cookie)
      ).body,
    );
    expect(own).toMatchObject({ items: [], total: 0, nextCursor: null });
  });

  it('agents in pages, a fleet of 200 clusters: a small first answer, every finding once in order, the roll-up time on each page', async () => {
    const big = await signup(app, 'cto@bigfleet.test', 'Big Fleet');
    const getBig = (path: string) => get(path, big);
    const real = (await db.rollups.get(owner.orgId))!;
    const one = agentsOverviewSchema.omit({ computedAt: true }).parse(real.agents);
    /** The real cluster's view, as if 200 clusters (named cluster-000...) each had it. */
    const fleet = (clusters: number): Omit<AgentsOverview, 'computedAt'> => {
      const names = Array.from(
        { length: clusters },
        (_, i) => `cluster-${String(i).padStart(3, '0')}`,
      );
      const copies = <T extends { cluster: string }>(list: T[]) =>
        names.flatMap((cluster) => list.map((x) => ({ ...x, cluster })));
      return {
        ...one,
        items: copies(one.items),
        findings: copies(one.findings),
        principles: copies(one.principles),
      };
    };
    const store = (view: Omit<AgentsOverview, 'computedAt'>, at: Date) =>
      db.rollups.saveWithViews(
        big.orgId,
        METHODOLOGY_VERSION,
        { ...(real.result as object), agents: view },
        { overview: real.overview, agents: view, actions: real.actions },
        at,
      );
    const view = fleet(200);
    await store(view, new Date('2026-12-01T00:00:00.000Z'));

    const res = await getBig('/agents');
    expect(res.status).toBe(200);
    const first = agentsResponseSchema.parse(res.body);
    const whole = Buffer.byteLength(JSON.stringify({ computedAt: first.computedAt, ...view }));
    const sent = Buffer.byteLength(res.text);
    // Before: the whole view on every read (megabytes); now a first page of each list.
    expect(whole).toBeGreaterThan(2_000_000);
    expect(sent).toBeLessThan(whole / 20);
    expect(first.pages.findings.total).toBe(200 * one.findings.length);
    expect(first.pages.items.total).toBe(200 * one.items.length);
    expect(first.pages.principles.total).toBe(200 * one.principles.length);
    for (const list of ['items', 'findings', 'principles'] as const)
      expect(first[list]).toHaveLength(AGENTS_PAGE_SIZE);
    expect(first.findings[0]!.severity).toBe(findingsInPageOrder(view.findings)[0]!.severity);
    // The same string again (serialised once per roll-up).
    expect((await getBig('/agents')).text).toBe(res.text);

    const pages = await pagesOf(getBig, 'findings', `limit=${AGENTS_PAGE_MAX}`);
    expect(pages).toHaveLength(Math.ceil(view.findings.length / AGENTS_PAGE_MAX));
    expect(pages.every((p) => p.computedAt === first.computedAt)).toBe(true);
    const walked = pages.flatMap((p) => p.items);
    expect(walked).toEqual(findingsInPageOrder(view.findings));
    const seen = new Set(walked.map((f) => `${f.cluster}/${f.id}`));
    expect(seen.size).toBe(view.findings.length);
    // The second page continues the first answer's list.
    const second = agentsPageSchema.parse(
      (await getBig(`/agents/findings?cursor=${first.pages.findings.nextCursor}`)).body,
    );
    expect(second.items[0]).toEqual(walked[AGENTS_PAGE_SIZE]);
    const shadow = await walk(getBig, 'items', `kind=agent&shadow=true&limit=${AGENTS_PAGE_MAX}`);
    expect(shadow).toEqual(view.items.filter((i) => i.kind === 'agent' && !i.registered));

    // A new roll-up: the next page says so (its time), and GET agents follows at once.
    const before = agentsPageSchema.parse((await getBig('/agents/findings?limit=1')).body);
    await store(fleet(100), new Date('2026-12-02T00:00:00.000Z'));
    const after = agentsPageSchema.parse(
      (await getBig(`/agents/findings?cursor=${before.nextCursor}`)).body,
    );
    expect(after.computedAt).toBe('2026-12-02T00:00:00.000Z');
    expect(after.computedAt).not.toBe(before.computedAt);
    expect(after.total).toBe(100 * one.findings.length);
    const again = agentsResponseSchema.parse((await getBig('/agents')).body);
    expect(again.computedAt).toBe(after.computedAt);
    expect(again.pages.findings.total).toBe(after.total);
  });

  it('actions: ranked by computed organisation level gain, then pillar gain, then saving', async () => {
    const a = actionsResponseSchema.parse((await get('/actions')).body);
    expect(a.items.length).toBeGreaterThan(3);
    const gain = (x: (typeof a.items)[number]) =>
      x.effect.level ? x.effect.level.to - x.effect.level.from : 0;
    for (let i = 1; i < a.items.length; i++)
      expect(gain(a.items[i - 1]!)).toBeGreaterThanOrEqual(gain(a.items[i]!));
    // Every cost what-if of the fleet tax is an action with the same yearly saving.
    const cost = costResponseSchema.parse((await get('/cost')).body);
    expect(
      a.items
        .filter((x) => x.domain === 'cost')
        .map((x) => [x.id, x.effect.savesCentsPerYear])
        .sort(),
    ).toEqual(
      cost.integrationTax!.whatIfs.map((w) => [`cost/${w.removesTool}`, w.savesCents]).sort(),
    );
    expect(a.items.filter((x) => x.domain === 'maturity').length).toBeGreaterThan(0);
    expect(a.items.every((x) => x.why.length > 10)).toBe(true);
  });

  it('cost: assumptions with defaults and sources; PUT recomputes the total and is audited; bad input and viewers change nothing', async () => {
    const before = costResponseSchema.parse((await get('/cost')).body);
    expect(before.assumptions.version).toBe(0);
    expect(before.assumptions.defaults.find((d) => d.key === 'engineers')!.source).toMatch(/\w/);
    const total = before.integrationTax!.totalCents;

    const bad = await put('/cost/assumptions', { overrides: { engineers: -1 } });
    expect(bad.status).toBe(422);
    const unknown = await put('/cost/assumptions', { overrides: { engineerz: 3 } });
    expect(unknown.status).toBe(422);
    // Outside the documented plausible range (issue 17.7): refused, naming the field.
    for (const overrides of [
      { engineers: 1e300 },
      { loadedSalary: 5e6 },
      { extraMttrHours: 1000 },
      { licenceByTool: { calico: 1e12 } },
    ]) {
      const absurd = await put('/cost/assumptions', { overrides });
      expect({ overrides, status: absurd.status }).toEqual({ overrides, status: 422 });
      expect(JSON.stringify(absurd.body)).toContain(Object.keys(overrides)[0]!);
    }
    expect((await db.rollups.currentAssumptions(owner.orgId)).version).toBe(0);

    const res = await put('/cost/assumptions', { overrides: { engineers: 40 } });
    expect(res.status).toBe(200);
    const after = costResponseSchema.parse(res.body);
    expect(after.assumptions.version).toBe(1);
    expect(after.assumptions.effective.engineers).toBe(40);
    expect(after.integrationTax!.totalCents).toBeGreaterThan(total);
    const overview = overviewSchema.parse((await get('/overview')).body);
    expect(overview.integrationTax!.totalCents).toBe(after.integrationTax!.totalCents);
    const audit = await db.audit.list(owner.orgId, 50);
    expect(audit.find((e) => e.action === 'cost.assumptions_update')?.metadata).toMatchObject({
      version: 1,
      changed: ['engineers'],
    });
    // The next edit names only what differs from the version it replaces.
    const second = await put('/cost/assumptions', {
      overrides: { engineers: 40, loadedSalary: 250_000 },
    });
    expect(second.status).toBe(200);
    expect(costResponseSchema.parse(second.body).assumptions.version).toBe(2);
    const entries = await db.audit.list(owner.orgId, 50);
    expect(
      entries.find(
        (e) =>
          e.action === 'cost.assumptions_update' &&
          (e.metadata as { version?: number }).version === 2,
      )?.metadata,
    ).toMatchObject({ changed: ['loadedSalary'] });

    const viewer = await signup(app, 'viewer@fleet.test', 'Viewer Own Org');
    await db.memberships.add(owner.orgId, viewer.userId, 'viewer');
    const denied = await put(
      '/cost/assumptions',
      { overrides: {} },
      { ...viewer, orgId: owner.orgId },
    );
    expect(denied.status).toBe(403);
    expect((await db.rollups.currentAssumptions(owner.orgId)).version).toBe(2);
  });

  it('exports: JSON, CSV, SARIF and PolicyReport of one scan, audited', async () => {
    const scanId = scanIds[2]!;
    const result = await stored(scanId);
    const json = await get(`/scans/${scanId}/export?format=json`);
    expect(json.headers['content-disposition']).toMatch(/attachment; filename=".+\.json"/);
    expect(JSON.parse(json.text)).toEqual(result);

    const csv = await get(`/scans/${scanId}/export?format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'id,domain,pillar,severity,kind,title,current_level,what_if_level,asi,remediation,evidence',
    );
    const detail = clusterDetailSchema.parse((await get(`/clusters/${clusterId}`)).body);
    expect(lines).toHaveLength(detail.findings.length + 1);

    const sarif = JSON.parse((await get(`/scans/${scanId}/export?format=sarif`)).text);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.name).toBe('Plumbline');
    expect(sarif.runs[0].results).toHaveLength(detail.findings.length);
    const ruleIds = new Set(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id));
    for (const r of sarif.runs[0].results) expect(ruleIds.has(r.ruleId)).toBe(true);

    const report = JSON.parse((await get(`/scans/${scanId}/export?format=policyreport`)).text);
    expect(report).toMatchObject({
      apiVersion: 'wgpolicyk8s.io/v1alpha2',
      kind: 'ClusterPolicyReport',
    });
    const counted = (r: string) =>
      report.results.filter((x: { result: string }) => x.result === r).length;
    expect(report.summary).toEqual({
      pass: counted('pass'),
      fail: counted('fail'),
      warn: 0,
      error: 0,
      skip: counted('skip'),
    });
    const criteria = result.steps.maturity.pillars.flatMap((p) => p.criteria);
    expect(counted('pass')).toBeGreaterThanOrEqual(
      criteria.filter((c) => c.status === 'met').length,
    );

    const badFormat = await get(`/scans/${scanId}/export?format=xlsx`);
    expect(badFormat.status).toBe(422);
    const audit = await db.audit.list(owner.orgId, 100);
    expect(audit.filter((e) => e.action === 'scan.export').map((e) => e.metadata)).toEqual(
      expect.arrayContaining([{ format: 'csv' }, { format: 'sarif' }, { format: 'policyreport' }]),
    );
  });

  it('a new organisation gets empty answers, never another organisation’s data', async () => {
    const other = await signup(app, 'new@else.test', 'Else Ltd');
    const o = overviewSchema.parse(
      (
        await request(app.getHttpServer())
          .get(`/v1/orgs/${other.orgId}/overview`)
          .set('Cookie', other.cookie)
      ).body,
    );
    expect(o.clusters).toEqual([]);
    expect(o.maturity).toBeNull();
    expect(o.integrationTax).toBeNull();
    expect(o.trends).toEqual([]);
    const foreign = await request(app.getHttpServer())
      .get(`/v1/orgs/${other.orgId}/clusters/${clusterId}`)
      .set('Cookie', other.cookie);
    expect(foreign.status).toBe(404);
  });

  it('clusters list: first seen from the oldest scan, environment inferred; an admin sets it (audited) and the roll-up follows (18.10)', async () => {
    const list = (await get('/clusters')).body as { items: ClusterRecord[] };
    const c = clusterSchema.parse(list.items[0]);
    // Uploaded today, collected from 2026-09-01: first seen is the oldest collection.
    expect(c).toMatchObject({
      name: 'ai-prod',
      production: true,
      environment: null,
      firstSeenAt: '2026-09-01T00:00:00.000Z',
    });
    expect(c.environmentReason).toBe('the cluster name "ai-prod" marks production');

    const set = await put(`/clusters/${clusterId}/environment`, { environment: 'non-production' });
    expect(set.status).toBe(200);
    expect(clusterSchema.parse(set.body)).toMatchObject({
      production: false,
      environment: 'non-production',
    });
    const fleet = overviewSchema.parse((await get('/overview')).body).clusters[0]!;
    expect(fleet.production).toBe(false);
    expect((await put(`/clusters/${clusterId}/environment`, { environment: 'prod' })).status).toBe(
      422,
    );
    expect(
      (
        await put('/clusters/00000000-0000-4000-8000-000000000000/environment', {
          environment: null,
        })
      ).status,
    ).toBe(404);
    const audit = await db.audit.list(owner.orgId, 50);
    expect(audit.find((e) => e.action === 'cluster.environment_update')?.metadata).toEqual({
      from: null,
      to: 'non-production',
      production: false,
    });
    // Back to the inference.
    const back = await put(`/clusters/${clusterId}/environment`, { environment: null });
    expect(clusterSchema.parse(back.body)).toMatchObject({ production: true, environment: null });
  });
});
