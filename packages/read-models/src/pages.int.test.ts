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

/** Wait for a condition (the change feed's connection, a notification's arrival). */
async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

// Every test runs twice: each read asking the database, and with the change feed listening
// (unchanged pages then served from memory, PostgreSQL notifying each change).
describe.each([
  ['each read asking the database', false],
  ['the change feed listening', true],
])('cached overview and cluster pages follow every change, %s (real PostgreSQL)', (_mode, feed) => {
  let tdb: TestDatabase;
  let db: Database;
  let pg: Client;
  let read: ReadModels;

  beforeAll(async () => {
    tdb = await createTestDatabase(feed ? 'read_models_pages_feed' : 'read_models_pages');
    db = Database.connect(tdb.url, { poolSize: 3 });
    pg = new Client({ connectionString: tdb.url });
    await pg.connect();
    read = new ReadModels(db);
    if (feed) {
      await db.changes.start();
      await until(() => db.changes.live, 'the change feed to listen');
    }
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

  // With the feed, a read follows a write once the write's notification has arrived (in real use,
  // a moment after its commit). PostgreSQL delivers notifications in commit order: one sent
  // after the test's writes, once it is seen, says every earlier one was.
  let barriers = 0;
  async function settle(): Promise<void> {
    if (!feed) return;
    const tag = `barrier-${++barriers}`;
    await pg.query(`SELECT pg_notify('plumbline_org_changed', $1)`, [tag]);
    await until(() => db.changes.version(tag)?.endsWith('.1') === true, 'the barrier');
  }
  const ov = async (orgId: string) => {
    await settle();
    return (await read.overviewPage(orgId)).json;
  };
  const cd = async (orgId: string, clusterId: string) => {
    await settle();
    return (await read.clusterDetailPage(orgId, clusterId)).json;
  };
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

  it('with the feed, an unchanged page asks nothing; each change, another organisation’s aside, is followed; a lost feed asks every time', async () => {
    const orgId = (await db.organizations.create({ name: 'Quiet', slug: 'pages-quiet' })).id;
    const other = (await db.organizations.create({ name: 'Busy', slug: 'pages-busy' })).id;
    const s = snapshot('quiet', 'docker.io/istio/pilot:1.28.0', '2026-11-01T00:00:00.000Z');
    const stored = await store(orgId, s);
    await complete(orgId, stored.scan.id, s);
    await read.recompute(orgId, 'test');
    const agents = async () => {
      await settle();
      return JSON.parse((await read.agentsFirst(orgId)).json) as { computedAt: string };
    };
    await ov(orgId);
    await cd(orgId, stored.cluster.id);
    await agents();
    const asked = {
      overview: jest.spyOn(db.rollups, 'overviewRead'),
      cluster: jest.spyOn(db.clusters, 'pageStamp'),
      view: jest.spyOn(db.rollups, 'view'),
    };
    const counts = () =>
      [asked.overview, asked.cluster, asked.view].map((x) => x.mock.calls.length);
    try {
      for (let i = 0; i < 5; i++) {
        await ov(orgId);
        await cd(orgId, stored.cluster.id);
        await agents();
      }
      expect(counts()).toEqual(feed ? [0, 0, 0] : [5, 5, 5]);
      // Another organisation's writes (its row, its assumptions) leave this one's pages alone.
      await pg.query(`UPDATE "Organization" SET "name" = 'Busier' WHERE "id" = $1`, [other]);
      await db.rollups.saveAssumptions(other, { loadedSalary: 150_000 }, null);
      await ov(orgId);
      await cd(orgId, stored.cluster.id);
      expect(counts()).toEqual(feed ? [0, 0, 0] : [6, 6, 5]);
      // This organisation renamed behind the application's back: followed, with one query.
      await pg.query(`UPDATE "Organization" SET "name" = 'Quiet Renamed' WHERE "id" = $1`, [orgId]);
      expect(JSON.parse(await ov(orgId)).organization.name).toBe('Quiet Renamed');
      expect(asked.overview).toHaveBeenCalledTimes(feed ? 1 : 7);
      // The stored roll-up rewritten in plain SQL: the agents view follows.
      await pg.query(
        `UPDATE "OrgRollup" SET "computedAt" = "computedAt" + interval '1 second' WHERE "organizationId" = $1`,
        [orgId],
      );
      const moved = (
        await pg.query<{ at: Date }>(
          `SELECT "computedAt" AS "at" FROM "OrgRollup" WHERE "organizationId" = $1`,
          [orgId],
        )
      ).rows[0]!.at.toISOString();
      expect((await agents()).computedAt).toBe(moved);
      // A scan of the cluster written in plain SQL: the cluster page asks again.
      await pg.query(`UPDATE "Scan" SET "error" = 'x' WHERE "id" = $1`, [stored.scan.id]);
      const before = asked.cluster.mock.calls.length;
      await cd(orgId, stored.cluster.id);
      expect(asked.cluster.mock.calls.length).toBe(before + 1);
      if (!feed) return;
      // The listening connection killed: every read asks until it is back, then one asks again
      // (a change made while nobody listened was never notified) and the next asks nothing.
      const killed = await pg.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND query = 'LISTEN plumbline_org_changed'`,
      );
      expect(killed.rowCount).toBe(1);
      await until(() => !db.changes.live, 'the feed to notice');
      await pg.query(`UPDATE "Organization" SET "name" = 'Quiet Again' WHERE "id" = $1`, [orgId]);
      const o1 = asked.overview.mock.calls.length;
      expect(JSON.parse((await read.overviewPage(orgId)).json).organization.name).toBe(
        'Quiet Again',
      );
      await read.overviewPage(orgId);
      expect(asked.overview.mock.calls.length).toBe(o1 + 2);
      await until(() => db.changes.live, 'the feed to reconnect');
      await ov(orgId);
      await ov(orgId);
      expect(asked.overview.mock.calls.length).toBe(o1 + 3);
    } finally {
      for (const spy of Object.values(asked)) spy.mockRestore();
    }
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
