import { analyze, clusterDigest, summarize } from '@plumbline/analysis';
import { minimalSnapshot, minimalWorkload, type ClusterSnapshot } from '@plumbline/contracts';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { ReadModels } from './read-models.js';

/**
 * The overview and cluster pages are served as JSON text reused while one small query says
 * nothing they are built from changed (read stamps kept by database triggers). These tests make
 * every kind of change, through the repositories and behind their back in plain SQL, and check
 * the served text follows each one at once.
 */
function snapshot(name: string, image: string, collectedAt: string): ClusterSnapshot {
  const s = minimalSnapshot(name, { namespaces: ['istio-system'] });
  s.collectedAt = collectedAt;
  s.cluster.nodeCount = 3;
  s.cluster.nodeCountSource = 'declared';
  s.workloads.push(
    minimalWorkload({
      kind: 'Deployment',
      namespace: 'istio-system',
      name: 'istiod',
      image,
      replicas: 2,
      requests: { cpu: '500m', memory: '512Mi' },
    }),
  );
  return s;
}

interface FleetRow {
  name: string;
  production: boolean;
  status: string;
}

describe('cached overview and cluster pages follow every change (real PostgreSQL)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let pg: Client;
  let read: ReadModels;

  beforeAll(async () => {
    tdb = await createTestDatabase('read_models_pages');
    db = Database.connect(tdb.url, { poolSize: 3 });
    pg = new Client({ connectionString: tdb.url });
    await pg.connect();
    read = new ReadModels(db);
  });
  afterAll(async () => {
    await pg.end();
    await db.close();
    await tdb.drop();
  });

  async function store(orgId: string, s: ClusterSnapshot) {
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

  async function complete(orgId: string, scanId: string, s: ClusterSnapshot) {
    const result = analyze({ snapshot: s });
    await db.scans.markRunning(orgId, scanId);
    await db.scans.completeWithResult(orgId, scanId, {
      methodologyVersion: result.methodologyVersion,
      resultVersion: result.resultVersion,
      body: result,
      summary: summarize(result, s.collectedAt),
      digest: clusterDigest(result, s),
      collectedAt: new Date(s.collectedAt),
    });
  }

  const ov = async (orgId: string) => (await read.overviewPage(orgId)).json;
  const cd = async (orgId: string, clusterId: string) =>
    (await read.clusterDetailPage(orgId, clusterId)).json;
  const fleet = async (orgId: string) =>
    (JSON.parse(await ov(orgId)) as { clusters: FleetRow[] }).clusters;
  const page = async (orgId: string, clusterId: string) =>
    JSON.parse(await cd(orgId, clusterId)) as {
      cluster: { production: boolean };
      latestScan: { id: string; status: string } | null;
      scan: { id: string } | null;
      cost: { totalCents: number } | null;
    };

  it('reuses the text while nothing changed, and follows each write at once', async () => {
    const orgId = (await db.organizations.create({ name: 'Pages', slug: 'pages' })).id;
    const first = snapshot('alpha', 'docker.io/istio/pilot:1.28.0', '2026-11-01T00:00:00.000Z');
    const stored = await store(orgId, first);
    const clusterId = stored.cluster.id;
    await complete(orgId, stored.scan.id, first);
    await read.recompute(orgId, 'test');

    // Unchanged: the same text, and the database says so without sending the clusters again.
    const a = await read.overviewPage(orgId);
    expect(await read.overviewPage(orgId)).toBe(a);
    const p = await read.clusterDetailPage(orgId, clusterId);
    expect(await read.clusterDetailPage(orgId, clusterId)).toBe(p);
    // Its entity tag names the text, and its gzip form is that text.
    expect(a.etag).toMatch(/^"[\w-]{32}"$/);
    expect(gunzipSync(a.gzip()).toString()).toBe(a.json);
    expect(a.gzip()).toBe(a.gzip());
    const raw = await db.rollups.overviewRead(orgId);
    const again = await db.rollups.overviewRead(orgId, { clustersStamp: raw!.clustersStamp });
    expect(again!.clusters).toBeNull();
    expect(raw!.clusters).toHaveLength(1);
    const stamp0 = await db.clusters.pageStamp(orgId, clusterId);
    expect(await db.clusters.pageStamp(orgId, clusterId)).toBe(stamp0);
    expect(await fleet(orgId)).toEqual([
      expect.objectContaining({ name: 'alpha', status: 'succeeded' }),
    ]);

    // A new upload (queued), then running, then failed: both pages show each status.
    const second = snapshot('alpha', 'docker.io/istio/pilot:1.28.1', '2026-11-08T00:00:00.000Z');
    const next = await store(orgId, second);
    expect((await fleet(orgId))[0]!.status).toBe('queued');
    expect((await page(orgId, clusterId)).latestScan).toMatchObject({
      id: next.scan.id,
      status: 'queued',
    });
    await db.scans.markRunning(orgId, next.scan.id);
    expect((await fleet(orgId))[0]!.status).toBe('running');
    expect((await page(orgId, clusterId)).latestScan!.status).toBe('running');
    await db.scans.markFailed(orgId, next.scan.id, 'boom');
    expect((await fleet(orgId))[0]!.status).toBe('failed');
    expect((await page(orgId, clusterId)).latestScan!.status).toBe('failed');
    // The shown analysis is still the first scan's.
    expect((await page(orgId, clusterId)).scan!.id).toBe(stored.scan.id);

    // Written behind the repositories' back (plain SQL): the triggers still move the stamps.
    await pg.query(`UPDATE "Scan" SET "status" = 'queued', "error" = NULL WHERE "id" = $1`, [
      next.scan.id,
    ]);
    expect((await fleet(orgId))[0]!.status).toBe('queued');
    expect((await page(orgId, clusterId)).latestScan!.status).toBe('queued');
    await complete(orgId, next.scan.id, second);
    expect((await fleet(orgId))[0]!.status).toBe('succeeded');
    expect((await page(orgId, clusterId)).scan!.id).toBe(next.scan.id);

    // The stored result rewritten in place (as a re-analysis does): the page is rebuilt from it.
    const version = (j: string) => /"id":"istio"[^}]*"version":"([^"]+)"/.exec(j)?.[1];
    expect(version(await cd(orgId, clusterId))).toBe('1.28.1');
    const stamp1 = await db.clusters.pageStamp(orgId, clusterId);
    await pg.query(
      `UPDATE "AnalysisResult" SET "result" = (SELECT "result" FROM "AnalysisResult" WHERE "scanId" = $2)
       WHERE "scanId" = $1`,
      [next.scan.id, stored.scan.id],
    );
    expect(await db.clusters.pageStamp(orgId, clusterId)).not.toBe(stamp1);
    expect(version(await cd(orgId, clusterId))).toBe('1.28.0');

    // The environment set by an admin: the fleet table and the page say production.
    await db.clusters.setEnvironment(orgId, clusterId, 'production');
    expect((await fleet(orgId))[0]!.production).toBe(true);
    expect((await page(orgId, clusterId)).cluster.production).toBe(true);

    // New cost assumptions: the page is repriced (the salary sets the hourly rate R).
    const cents = (await page(orgId, clusterId)).cost!.totalCents;
    await db.rollups.saveAssumptions(orgId, { loadedSalary: 400_000 }, null);
    expect((await page(orgId, clusterId)).cost!.totalCents).not.toBe(cents);

    // The organisation renamed: the overview names it.
    await pg.query(`UPDATE "Organization" SET "name" = 'Pages Renamed' WHERE "id" = $1`, [orgId]);
    expect(JSON.parse(await ov(orgId)).organization.name).toBe('Pages Renamed');

    // A scan deleted (as retention does): the newest remaining one is shown.
    await pg.query(`DELETE FROM "Scan" WHERE "id" = $1`, [next.scan.id]);
    expect((await page(orgId, clusterId)).latestScan!.id).toBe(stored.scan.id);
    expect((await fleet(orgId))[0]!.status).toBe('succeeded');

    // A second cluster registered: the fleet table lists it.
    const beta = snapshot('beta', 'docker.io/istio/pilot:1.28.0', '2026-11-02T00:00:00.000Z');
    await store(orgId, beta);
    expect((await fleet(orgId)).map((c) => `${c.name}:${c.status}`)).toEqual([
      'alpha:succeeded',
      'beta:queued',
    ]);
  });

  it('a stored result that is not a current analysis is none: the page shows the scan without figures', async () => {
    const orgId = (await db.organizations.create({ name: 'Shapes', slug: 'pages-shapes' })).id;
    const s = snapshot('gamma', 'docker.io/istio/pilot:1.22.0', '2026-03-01T00:00:00Z');
    const { scan, cluster } = await store(orgId, s);
    await complete(orgId, scan.id, s);
    const good = await read.result(orgId, scan.id);
    expect(good?.steps.maturity.level).toEqual(expect.any(Number));
    expect((await page(orgId, cluster.id)).cost?.totalCents).toEqual(expect.any(Number));
    const stored = (
      await pg.query(`SELECT "result" FROM "AnalysisResult" WHERE "scanId" = $1`, [scan.id])
    ).rows[0].result as Record<string, unknown>;
    const { maturity: _dropped, ...steps } = stored.steps as Record<string, unknown>;
    // Of an older methodology (until the worker analyses it again): parsed, shown when valid.
    await pg.query(`UPDATE "AnalysisResult" SET "result" = $1::jsonb WHERE "scanId" = $2`, [
      JSON.stringify({ ...stored, methodologyVersion: '2000.1.1' }),
      scan.id,
    ]);
    expect((await read.result(orgId, scan.id))?.methodologyVersion).toBe('2000.1.1');
    expect((await page(orgId, cluster.id)).cost?.totalCents).toEqual(expect.any(Number));
    for (const bad of [
      { history: true },
      { ...stored, resultVersion: 0 },
      { ...stored, steps },
      { ...stored, steps: { ...(stored.steps as object), netpol: null } },
      { ...stored, methodologyVersion: '2000.1.1', steps },
      { ...stored, methodologyVersion: '2000.1.1', cluster: { name: 7 } },
      [],
      'text',
    ]) {
      await pg.query(`UPDATE "AnalysisResult" SET "result" = $1::jsonb WHERE "scanId" = $2`, [
        JSON.stringify(bad),
        scan.id,
      ]);
      expect(await read.result(orgId, scan.id)).toBeNull();
      const shown = await page(orgId, cluster.id);
      expect(shown.cost).toBeNull();
      expect(shown.scan?.id).toBe(scan.id);
    }
  });

  it('never serves one organisation the page cached for another', async () => {
    const one = (await db.organizations.create({ name: 'One', slug: 'pages-one' })).id;
    const two = (await db.organizations.create({ name: 'Two', slug: 'pages-two' })).id;
    const s = snapshot('same', 'docker.io/istio/pilot:1.28.0', '2026-11-01T00:00:00.000Z');
    const a = await store(one, s);
    await complete(one, a.scan.id, s);
    const b = await store(two, s);
    expect(JSON.parse(await ov(one)).organization.name).toBe('One');
    expect(JSON.parse(await ov(two)).organization.name).toBe('Two');
    expect((await fleet(two))[0]!.status).toBe('queued');
    expect((await fleet(one))[0]!.status).toBe('succeeded');
    // Another organisation's cluster id is not found, cached or not.
    await cd(one, a.cluster.id);
    await expect(cd(two, a.cluster.id)).rejects.toThrow(/cluster not found/);
    await expect(cd(one, b.cluster.id)).rejects.toThrow(/cluster not found/);
  });

  it('an assumption edit is priced on read until the roll-up stores it: every figure agrees', async () => {
    const orgId = (await db.organizations.create({ name: 'Priced', slug: 'pages-priced' })).id;
    for (const [name, image] of [
      ['east', 'docker.io/istio/pilot:1.28.0'],
      ['west', 'quay.io/argoproj/argocd:v3.1.0'],
    ] as const) {
      const s = snapshot(name, image, '2026-11-01T00:00:00.000Z');
      const stored = await store(orgId, s);
      await complete(orgId, stored.scan.id, s);
    }
    await read.recompute(orgId, 'test');
    // Stored figures priced with the current assumptions are served as stored.
    const pricing = jest.spyOn(read.store, 'pricing');
    await ov(orgId);
    await read.cost(orgId);
    expect(pricing).not.toHaveBeenCalled();
    const storedBefore = await db.rollups.get(orgId);
    const before = await read.cost(orgId);
    const overviewBefore = JSON.parse(await ov(orgId));
    expect(overviewBefore.integrationTax.totalCents).toBe(before.integrationTax!.totalCents);

    // Saved only (as the API does before queueing the roll-up): nothing stored is recomputed.
    await db.rollups.saveAssumptions(orgId, { loadedSalary: 400_000 }, null);
    const after = await read.cost(orgId);
    expect(after.assumptions.effective.loadedSalary).toBe(400_000);
    expect(after.integrationTax!.totalCents).toBeGreaterThan(before.integrationTax!.totalCents);
    expect((await db.rollups.get(orgId))!.computedAt).toEqual(storedBefore!.computedAt);
    const overview = JSON.parse(await ov(orgId));
    expect(overview.integrationTax.totalCents).toBe(after.integrationTax!.totalCents);
    // Each cluster's own tax is repriced too, and matches its page.
    for (const c of overview.clusters as { id: string; taxCents: number }[]) {
      const page = JSON.parse(await cd(orgId, c.id));
      expect(c.taxCents).toBe(page.cost.totalCents);
      const was = (overviewBefore.clusters as { id: string; taxCents: number }[]).find(
        (x) => x.id === c.id,
      )!.taxCents;
      expect(c.taxCents).toBeGreaterThan(was);
    }

    expect(pricing).toHaveBeenCalled();

    // The queued roll-up stores the same figures; reads then come from it unchanged.
    await read.recompute(orgId, 'cost assumptions changed');
    pricing.mockClear();
    expect((await read.cost(orgId)).integrationTax!.totalCents).toBe(
      after.integrationTax!.totalCents,
    );
    const stored = JSON.parse(await ov(orgId));
    expect(stored.integrationTax).toEqual(overview.integrationTax);
    expect(stored.clusters.map((c: { taxCents: number }) => c.taxCents)).toEqual(
      overview.clusters.map((c: { taxCents: number }) => c.taxCents),
    );
    expect(pricing).not.toHaveBeenCalled();
    pricing.mockRestore();
  });

  it('pricing reads the fleet and evidence stamps in one statement, each moving with its writes', async () => {
    const orgId = (await db.organizations.create({ name: 'Stamps', slug: 'pages-stamps' })).id;
    const other = (await db.organizations.create({ name: 'Other', slug: 'pages-stamps-2' })).id;
    const both = async () => {
      const s = await db.clusters.pricingStamps(orgId);
      expect(s).toEqual({
        fleet: await db.clusters.fleetStamp(orgId),
        evidence: await db.evidence.stamp(orgId),
      });
      return s;
    };
    const empty = await both();
    expect(empty).toEqual({ fleet: '0/0', evidence: '0/-' });
    await store(orgId, snapshot('alpha', 'docker.io/istio/pilot:1.22.0', '2026-03-01T00:00:00Z'));
    const afterScan = await both();
    expect(afterScan.fleet).not.toBe(empty.fleet);
    expect(afterScan.evidence).toBe(empty.evidence);
    const upload = await db.evidence.create(orgId, {
      kind: 'mcp-config',
      filename: 'mcp.json',
      contentHash: 'd'.repeat(64),
      content: new Uint8Array(gzipSync(Buffer.from('{"mcpServers": {}}'))),
      summary: null,
      uploadedById: null,
    });
    const afterUpload = await both();
    expect(afterUpload.fleet).toBe(afterScan.fleet);
    expect(afterUpload.evidence).toBe(`1/${upload.createdAt.toISOString()}`);
    // Another organisation's writes move neither.
    await store(other, snapshot('beta', 'docker.io/istio/pilot:1.22.0', '2026-03-01T00:00:00Z'));
    expect(await both()).toEqual(afterUpload);
    await db.evidence.delete(orgId, upload.id);
    expect((await both()).evidence).toBe('0/-');
  });

  it('assumption saves at once each get their own next version, none lost', async () => {
    const orgId = (await db.organizations.create({ name: 'Saves', slug: 'pages-saves' })).id;
    const saves = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        db.rollups.saveAssumptions(orgId, { engineers: 10 + i }, null),
      ),
    );
    const versions = saves.map((s) => s.version);
    // Each save names the version it replaced: the one just below its own (none for the first).
    const valuesOf = new Map(saves.map((s, i) => [s.version, { engineers: 10 + i }]));
    for (const s of saves) expect(s.previous).toEqual(valuesOf.get(s.version - 1) ?? {});
    expect([...versions].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    const current = await db.rollups.currentAssumptions(orgId);
    expect(current.version).toBe(12);
    // The newest version holds the values saved with it.
    const engineers = (current.values as { engineers: number }).engineers;
    expect(versions[engineers - 10]).toBe(12);
  });
});
