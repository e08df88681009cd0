import { analyze, clusterDigest, summarize } from '@plumbline/analysis';
import { minimalSnapshot, minimalWorkload, type ClusterSnapshot } from '@plumbline/contracts';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { loadEvidence } from './evidence.js';
import { ReadModels } from './read-models.js';
import { OrgRollups } from './rollup.js';

function snapshot(name: string, tools: { ns: string; name: string; image: string }[]) {
  const s = minimalSnapshot(name, { namespaces: [...new Set(tools.map((t) => t.ns))] });
  s.cluster.nodeCount = 3;
  s.cluster.nodeCountSource = 'declared';
  for (const t of tools)
    s.workloads.push(
      minimalWorkload({
        kind: 'Deployment',
        namespace: t.ns,
        name: t.name,
        image: t.image,
        replicas: 2,
        requests: { cpu: '500m', memory: '512Mi' },
      }),
    );
  return s;
}

const ISTIO = { ns: 'istio-system', name: 'istiod', image: 'docker.io/istio/pilot:1.28.0' };
const ARGO = { ns: 'argocd', name: 'argocd-server', image: 'quay.io/argoproj/argocd:v3.1.0' };

describe('organisation roll-up over stored digests (real PostgreSQL)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let pg: Client;

  beforeAll(async () => {
    tdb = await createTestDatabase('read_models_rollup');
    db = Database.connect(tdb.url, { poolSize: 3 });
    pg = new Client({ connectionString: tdb.url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg.end();
    await db.close();
    await tdb.drop();
  });

  async function org(slug: string) {
    return (await db.organizations.create({ name: slug, slug })).id;
  }

  /** Store a snapshot as an upload does (a queued scan). */
  function uploaded(orgId: string, s: ClusterSnapshot) {
    const raw = Buffer.from(JSON.stringify(s));
    return db.scans.storeSnapshot(orgId, {
      clusterExternalId: s.cluster.id,
      clusterName: s.cluster.name,
      contentHash: createHash('sha256').update(raw).digest('hex'),
      schemaVersion: 1,
      gzip: new Uint8Array(gzipSync(raw)),
      rawBytes: raw.length,
    });
  }

  /** Store and analyse a snapshot as the worker does (result, summary and digest). */
  async function analysed(orgId: string, s: ClusterSnapshot) {
    const stored = await uploaded(orgId, s);
    const { uploads } = await loadEvidence(db, orgId);
    const result = analyze({ snapshot: s, evidence: uploads });
    await db.scans.markRunning(orgId, stored.scan.id);
    await db.scans.completeWithResult(orgId, stored.scan.id, {
      methodologyVersion: result.methodologyVersion,
      resultVersion: result.resultVersion,
      body: result,
      summary: summarize(result, s.collectedAt),
      digest: clusterDigest(result, s),
      collectedAt: new Date(s.collectedAt),
    });
    return stored;
  }

  it('an assumption edit reprices the fleet from digests alone: no snapshot is read', async () => {
    const orgId = await org('reprice');
    await analysed(orgId, snapshot('alpha', [ISTIO]));
    await analysed(orgId, snapshot('beta', [ISTIO, ARGO]));
    const store = new OrgRollups(db);
    const before = await store.refresh(orgId, 'test');
    expect(before.rollup.clusters.map((c) => c.name)).toEqual(['alpha', 'beta']);
    expect(before.rollup.integrationTax?.clusters).toBe(2);

    // Every stored snapshot becomes unreadable: a roll-up that read one would fail.
    await pg.query(
      `UPDATE "SnapshotBlob" SET "gzip" = '\\x00'::bytea WHERE "organizationId" = $1`,
      [orgId],
    );
    const fresh = new OrgRollups(db); // no cached digests either
    const doubled = await fresh.compute(orgId, 'test', { assumptions: { loadedSalary: 380_000 } });
    expect(doubled.integrationTax!.totalCents).toBeGreaterThan(
      before.rollup.integrationTax!.totalCents,
    );
    // Each cluster's own tax is repriced too, and the fleet is never their sum.
    const sum = doubled.clusters.reduce((n, c) => n + c.clusterTaxCents, 0);
    expect(doubled.integrationTax!.totalCents).not.toBe(sum);
    await db.rollups.saveAssumptions(orgId, { loadedSalary: 380_000 }, null);
    const stored = await fresh.refresh(orgId, 'assumptions');
    expect(stored.rollup.integrationTax!.totalCents).toBe(doubled.integrationTax!.totalCents);

    // The cluster page reprices its cost from the digest with the organisation's assumptions.
    const read = new ReadModels(db);
    const clusterId = stored.rollup.clusters[0]!.clusterId;
    const detail = await read.clusterDetail(orgId, clusterId);
    expect(detail.cost?.totalCents).toBe(stored.rollup.clusters[0]!.clusterTaxCents);
  });

  it('the agents view is stored once, in its own column; the stored roll-up reads back whole', async () => {
    const orgId = await org('agents-once');
    await analysed(orgId, snapshot('alpha', [ISTIO]));
    const { rollup } = await new OrgRollups(db).refresh(orgId, 'test');
    expect(Object.keys(rollup.agents)).toContain('pillars');
    const raw = await pg.query<{ inResult: boolean; agents: unknown }>(
      `SELECT "result" ? 'agents' AS "inResult", "agents" FROM "OrgRollup" WHERE "organizationId" = $1`,
      [orgId],
    );
    expect(raw.rows[0]!.inResult).toBe(false);
    const expected = JSON.parse(JSON.stringify(rollup)) as typeof rollup;
    expect(raw.rows[0]!.agents).toEqual(expected.agents);
    // Every reader of the whole roll-up gets it with the agents view, as computed.
    expect((await db.rollups.get(orgId))!.result).toEqual(expected);
    expect((await new ReadModels(db).rollup(orgId)).rollup).toEqual(expected);
    // A row stored before (the agents view inside the result as well) reads the same.
    await pg.query(
      `UPDATE "OrgRollup" SET "result" = "result" || jsonb_build_object('agents', "agents"),
                              "agents" = '{}'::jsonb WHERE "organizationId" = $1`,
      [orgId],
    );
    expect((await db.rollups.get(orgId))!.result).toEqual(expected);
  });

  it('a scan re-analysed after an evidence change stays the roll-up input while it runs', async () => {
    const orgId = await org('reanalysis');
    const first = snapshot('alpha', [ISTIO]);
    const second = snapshot('alpha', [ISTIO, ARGO]);
    second.collectedAt = '2026-10-01T00:00:00.000Z';
    await analysed(orgId, first);
    const newest = await analysed(orgId, second);
    const store = new OrgRollups(db);
    const settled = await store.compute(orgId, 'settled');
    expect(settled.clusters.map((c) => c.scanId)).toEqual([newest.scan.id]);

    // The re-analysis starts (what snapshot.reanalyze does first): the scan keeps its status
    // and its stored result, and every roll-up meanwhile reads the same newest scan.
    expect(await db.scans.markRunning(orgId, newest.scan.id)).not.toBeNull();
    expect((await db.scans.get(orgId, newest.scan.id))?.status).toBe('succeeded');
    const during = await new OrgRollups(db).compute(orgId, 'during');
    expect(during.clusters.map((c) => c.scanId)).toEqual([newest.scan.id]);
    expect(during.integrationTax!.totalCents).toBe(settled.integrationTax!.totalCents);
    // The re-analysis fails for good (its stored snapshot became unreadable, say): the scan
    // keeps its status and result, the error is recorded, and the roll-up still reads it.
    await db.scans.markFailed(orgId, newest.scan.id, 'stored snapshot is unreadable');
    expect(await db.scans.get(orgId, newest.scan.id)).toMatchObject({
      status: 'succeeded',
      error: 'stored snapshot is unreadable',
    });
    const afterFailure = await new OrgRollups(db).compute(orgId, 'failed re-analysis');
    expect(afterFailure.clusters.map((c) => c.scanId)).toEqual([newest.scan.id]);
    expect(afterFailure.integrationTax!.totalCents).toBe(settled.integrationTax!.totalCents);

    // A scan that was never analysed is running while it is analysed (and not a roll-up input).
    const third = snapshot('alpha', [ARGO]);
    third.collectedAt = '2026-11-01T00:00:00.000Z';
    const queued = await uploaded(orgId, third);
    expect(await db.scans.markRunning(orgId, queued.scan.id)).not.toBeNull();
    expect((await db.scans.get(orgId, queued.scan.id))?.status).toBe('running');
    const withQueued = await new OrgRollups(db).compute(orgId, 'queued');
    expect(withQueued.clusters.map((c) => c.scanId)).toEqual([newest.scan.id]);
    // A scan never analysed whose analysis fails for good turns failed, with its reason.
    await db.scans.markFailed(orgId, queued.scan.id, 'snapshot does not match the contract');
    expect(await db.scans.get(orgId, queued.scan.id)).toMatchObject({
      status: 'failed',
      error: 'snapshot does not match the contract',
    });
    // Unknown or malformed ids name no scan.
    expect(await db.scans.markRunning(orgId, '00000000-0000-0000-0000-000000000000')).toBeNull();
    expect(await db.scans.markRunning(orgId, 'not-a-uuid')).toBeNull();
  });

  it('two analyses of one scan that finish out of order keep the one that started last', async () => {
    const orgId = await org('out-of-order');
    const { scan } = await uploaded(orgId, snapshot('alpha', [ISTIO]));
    const body = (marker: string) => ({
      methodologyVersion: 'm',
      resultVersion: 1,
      body: { marker },
    });
    const stored = async () => (await db.scans.getResult(orgId, scan.id))?.result;
    // Two evidence changes: two re-analyses start, the second one (newer evidence) ends first.
    const older = await db.scans.markRunning(orgId, scan.id);
    const newer = await db.scans.markRunning(orgId, scan.id);
    expect(older).not.toBeNull();
    expect(newer).toBe(older! + 1);
    expect(await db.scans.completeWithResult(orgId, scan.id, body('newer'), { run: newer! })).toBe(
      true,
    );
    expect(await db.scans.completeWithResult(orgId, scan.id, body('older'), { run: older! })).toBe(
      false,
    );
    expect(await stored()).toEqual({ marker: 'newer' });
    expect((await db.scans.get(orgId, scan.id))?.status).toBe('succeeded');
    // In order, the later run's result replaces the earlier one's.
    const third = await db.scans.markRunning(orgId, scan.id);
    expect(await db.scans.completeWithResult(orgId, scan.id, body('third'), { run: third! })).toBe(
      true,
    );
    expect(await stored()).toEqual({ marker: 'third' });
    // A result written without a run (seeding, tools) is stored whatever ran before.
    expect(await db.scans.completeWithResult(orgId, scan.id, body('seeded'))).toBe(true);
    expect(await stored()).toEqual({ marker: 'seeded' });
  });

  it('a roll-up that read its inputs earlier never replaces one that read them later', async () => {
    const orgId = await org('ordering');
    await analysed(orgId, snapshot('alpha', [ISTIO]));
    const store = new OrgRollups(db);
    // Started first (one cluster), saved last: the API's synchronous roll-up and the worker's
    // debounced one ran side by side.
    const older = await store.compute(orgId, 'first');
    await analysed(orgId, snapshot('beta', [ISTIO, ARGO]));
    const newer = await store.compute(orgId, 'second');
    const newerAt = await store.save(orgId, newer);
    const olderAt = await store.save(orgId, older);
    expect(olderAt.getTime()).toBeLessThan(newerAt.getTime());
    const kept = await db.rollups.status(orgId);
    expect(kept?.computedAt.toISOString()).toBe(newerAt.toISOString());
    const read = await new ReadModels(db).overview(orgId);
    expect(read.clusters.map((c) => c.name).sort()).toEqual(['alpha', 'beta']);
    expect(read.clusters.every((c) => c.level !== null)).toBe(true);
  });

  it('the per-scan digest is small beside the snapshot: only the tools’ own workloads', async () => {
    const orgId = await org('digest-size');
    const s = snapshot('big', [ISTIO]);
    for (let i = 0; i < 300; i++)
      s.workloads.push({ ...s.workloads[0]!, namespace: 'apps', name: `app-${i}`, containers: [] });
    const stored = await analysed(orgId, s);
    const digest = (await db.rollups.digests(orgId, [stored.scan.id])).get(stored.scan.id) as {
      cost: { workloads: { name: string }[] };
    };
    expect(digest.cost.workloads.map((w) => w.name)).toEqual(['istiod']);
  });

  it('an evidence upload that cannot be read is left out and named; the roll-up goes on', async () => {
    const orgId = await org('bad-evidence');
    await analysed(orgId, snapshot('alpha', [ISTIO]));
    const text = (t: string) => new Uint8Array(gzipSync(Buffer.from(t, 'utf8')));
    const notGzip = await db.evidence.create(orgId, {
      kind: 'mcp-config',
      filename: 'corrupt.json',
      contentHash: 'a'.repeat(64),
      content: new Uint8Array(Buffer.from('not gzip at all')),
      summary: null,
      uploadedById: null,
    });
    const nul = await db.evidence.create(orgId, {
      kind: 'mcp-config',
      filename: 'nul.json',
      contentHash: 'b'.repeat(64),
      content: text('{"mcpServers": {"x\u0000": 5}}'),
      summary: null,
      uploadedById: null,
    });
    const csv = await db.evidence.create(orgId, {
      kind: 'vm-inventory',
      filename: 'vms.csv',
      contentHash: 'c'.repeat(64),
      content: text('not,a,vm,inventory\n'),
      summary: null,
      uploadedById: null,
    });
    const { rollup } = await new OrgRollups(db).refresh(orgId, 'test');
    expect(rollup.skippedEvidence.map((s) => [s.id, s.filename]).sort()).toEqual(
      [
        [notGzip.id, 'corrupt.json'],
        [nul.id, 'nul.json'],
        [csv.id, 'vms.csv'],
      ].sort(),
    );
    for (const s of rollup.skippedEvidence) expect(s.reason).toMatch(/\w/);
    const overview = await new ReadModels(db).overview(orgId);
    expect(overview.rollup?.status).toBe('ok');
    expect(overview.rollup?.skippedEvidence.map((s) => s.filename).sort()).toEqual([
      'corrupt.json',
      'nul.json',
      'vms.csv',
    ]);
    // Deleting the uploads clears the note at the next roll-up.
    for (const id of [notGzip.id, nul.id, csv.id]) await db.evidence.delete(orgId, id);
    expect((await new OrgRollups(db).refresh(orgId, 'test')).rollup.skippedEvidence).toEqual([]);
  });

  it('the overview is one stored view joined with live scan statuses; a failed roll-up says so', async () => {
    const orgId = await org('overview');
    await analysed(orgId, snapshot('alpha', [ISTIO]));
    const read = new ReadModels(db);
    await new OrgRollups(db).refresh(orgId, 'test');
    // A second cluster whose first scan is still queued: listed, never-analysed, status live.
    const raw = Buffer.from(JSON.stringify(snapshot('queued', [ARGO])));
    await db.scans.storeSnapshot(orgId, {
      clusterExternalId: 'queued-cluster',
      clusterName: 'queued',
      contentHash: createHash('sha256').update(raw).digest('hex'),
      schemaVersion: 1,
      gzip: new Uint8Array(gzipSync(raw)),
      rawBytes: raw.length,
    });
    const o = await read.overview(orgId);
    expect(o.clusters.map((c) => [c.name, c.status, c.level === null])).toEqual([
      ['alpha', 'succeeded', false],
      ['queued', 'queued', true],
    ]);
    expect(o.rollup).toMatchObject({ status: 'ok', error: null });

    await db.rollups.markFailed(orgId, 'database went away');
    const failed = await read.overview(orgId);
    expect(failed.rollup).toMatchObject({ status: 'failed', error: 'database went away' });
    // The last good figures stay on show.
    expect(failed.maturity).toEqual(o.maturity);
    expect(await db.rollups.failedCount()).toBeGreaterThanOrEqual(1);
    await new OrgRollups(db).refresh(orgId, 'recovered');
    expect((await read.overview(orgId)).rollup?.status).toBe('ok');
  });

  it('a new organisation gets an empty overview computed on first read, never another’s data', async () => {
    const orgId = await org('empty');
    const o = await new ReadModels(db).overview(orgId);
    expect(o.clusters).toEqual([]);
    expect(o.maturity).toBeNull();
    expect(o.integrationTax).toBeNull();
    expect(o.rollup?.status).toBe('ok');
  });
});
