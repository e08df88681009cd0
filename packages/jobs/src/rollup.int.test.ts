import { METHODOLOGY_VERSION, minimalSnapshot, minimalWorkload } from '@plumbline/contracts';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { createJobHandlers } from './handlers/index.js';
import { computeOrgRollup } from './handlers/org-rollup.js';
import { InProcessJobQueue } from './in-process.js';
import type { FollowUp, JobLogger } from './port.js';

const quiet: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function cluster(
  name: string,
  workloads: { ns: string; name: string; kind: 'Deployment' | 'DaemonSet'; image: string }[],
) {
  const s = minimalSnapshot(name, { namespaces: [...new Set(workloads.map((w) => w.ns))] });
  s.cluster.nodeCount = 3;
  s.cluster.nodeCountSource = 'declared';
  for (const w of workloads)
    s.workloads.push(
      minimalWorkload({
        kind: w.kind,
        namespace: w.ns,
        name: w.name,
        image: w.image,
        replicas: w.kind === 'DaemonSet' ? null : 1,
        requests: { cpu: '250m', memory: '256Mi' },
      }),
    );
  return s;
}

describe('org roll-up and reanalysis (real PostgreSQL)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let orgId: string;
  let queue: InProcessJobQueue;

  beforeAll(async () => {
    tdb = await createTestDatabase('rollup');
    db = Database.connect(tdb.url, { poolSize: 3 });
    orgId = (await db.organizations.create({ name: 'Fleet', slug: 'fleet' })).id;
    const followUp: FollowUp = async (name, payload) => {
      await queue.enqueue(name, payload);
    };
    queue = new InProcessJobQueue(createJobHandlers(db, followUp), quiet, {
      concurrency: 1,
      backoffMs: 1,
    });
  });
  afterAll(async () => {
    await queue.close();
    await db.close();
    await tdb.drop();
  });

  async function upload(s: ReturnType<typeof cluster>) {
    const raw = Buffer.from(JSON.stringify(s));
    const stored = await db.scans.storeSnapshot(orgId, {
      clusterExternalId: s.cluster.id,
      clusterName: s.cluster.name,
      contentHash: createHash('sha256').update(raw).digest('hex'),
      schemaVersion: 1,
      gzip: new Uint8Array(gzipSync(raw)),
      rawBytes: raw.length,
    });
    await queue.enqueue('snapshot.analyze', { organizationId: orgId, scanId: stored.scan.id });
    await queue.drain();
    return stored.scan.id;
  }

  it('each analysed scan refreshes the fleet roll-up: tools and seams across clusters, engineers once', async () => {
    await upload(
      cluster('prod-a', [
        {
          ns: 'kube-system',
          name: 'calico-node',
          kind: 'DaemonSet',
          image: 'quay.io/calico/node:v3.31.0',
        },
      ]),
    );
    const afterOne = await db.rollups.get(orgId);
    expect(afterOne?.methodologyVersion).toBe(METHODOLOGY_VERSION);
    await upload(
      cluster('prod-b', [
        {
          ns: 'kube-system',
          name: 'calico-node',
          kind: 'DaemonSet',
          image: 'quay.io/calico/node:v3.31.0',
        },
        {
          ns: 'istio-system',
          name: 'istiod',
          kind: 'Deployment',
          image: 'docker.io/istio/pilot:1.28.0',
        },
      ]),
    );
    const rollup = (await db.rollups.get(orgId))!.result as {
      clusters: { name: string; clusterTaxCents: number }[];
      integrationTax: {
        clusters: number;
        tools: { id: string; clusters: number }[];
        seamCount: number;
        totalCents: number;
      };
    };
    expect(rollup.clusters.map((c) => c.name)).toEqual(['prod-a', 'prod-b']);
    expect(rollup.integrationTax.clusters).toBe(2);
    expect(rollup.integrationTax.tools).toEqual([
      expect.objectContaining({ id: 'calico', clusters: 2 }),
      expect.objectContaining({ id: 'istio', clusters: 1 }),
    ]);
    expect(rollup.integrationTax.seamCount).toBe(1);
    const maturity = (
      (await db.rollups.get(orgId))!.result as {
        maturity: {
          basis: string;
          level: number;
          score: number;
          pillars: { id: string; level: number }[];
        };
      }
    ).maturity;
    expect(maturity.basis).toBe('all clusters (none marked production)');
    expect(maturity.pillars).toHaveLength(6);
    expect(maturity.level).toBe(Math.min(...maturity.pillars.map((p) => p.level)));
    const sum = rollup.clusters.reduce((s, c) => s + c.clusterTaxCents, 0);
    expect(rollup.integrationTax.totalCents).not.toBe(sum);
  });

  it('an assumption edit is annotated on the trend point it changes, never an unexplained step (18.10)', async () => {
    const before = (await db.rollups.get(orgId))!.result as {
      trends: { at: string; taxCents: number; changes: string[] }[];
    };
    await db.rollups.saveAssumptions(orgId, { engineers: 16 }, null);
    await computeOrgRollup(db, orgId, 'cost assumptions changed');
    const after = (await db.rollups.get(orgId))!.result as typeof before;
    const last = after.trends.at(-1)!;
    expect(last.at).toBe(before.trends.at(-1)!.at);
    expect(last.taxCents).toBeGreaterThan(before.trends.at(-1)!.taxCents);
    expect(last.changes).toEqual(['cost assumptions edited: engineers 10 -> 16']);
    // Recomputed again with nothing changed: the explanation stays on the point.
    await computeOrgRollup(db, orgId, 'read');
    const again = (await db.rollups.get(orgId))!.result as typeof before;
    expect(again.trends.at(-1)!.changes).toEqual(['cost assumptions edited: engineers 10 -> 16']);
    await db.rollups.saveAssumptions(orgId, {}, null);
    await computeOrgRollup(db, orgId, 'cost assumptions changed');
  });

  it('scans analysed under an older methodology are found and re-analysed', async () => {
    const scanId = await upload(
      cluster('old', [{ ns: 'x', name: 'web', kind: 'Deployment', image: 'nginx:1.27' }]),
    );
    await db.scans.completeWithResult(orgId, scanId, {
      methodologyVersion: '2020.1.0',
      resultVersion: 1,
      body: { stale: true },
    });
    const stale = await db.rollups.staleScans(METHODOLOGY_VERSION);
    expect(stale.get(orgId)).toEqual([scanId]);
    await queue.enqueue('snapshot.reanalyze', {
      organizationId: orgId,
      scanIds: stale.get(orgId)!,
    });
    await queue.drain();
    expect((await db.scans.get(orgId, scanId))?.methodologyVersion).toBe(METHODOLOGY_VERSION);
    expect((await db.scans.getResult(orgId, scanId))?.result).toMatchObject({
      steps: { inventory: { resourceCounts: { workloads: 1 } } },
    });
    expect((await db.rollups.staleScans(METHODOLOGY_VERSION)).size).toBe(0);
  });
});
