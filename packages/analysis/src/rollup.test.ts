import {
  ACCOUNTABILITY_PILLARS,
  clusterDigestSchema,
  type AccountabilityPillar,
  METHODOLOGY_VERSION,
  type ClusterSnapshot,
} from '@plumbline/contracts';
import { computeIntegrationTax } from '@plumbline/cost';
import { snapshotFromSpec } from '@plumbline/detection';
import { analyze } from './pipeline.js';
import {
  clusterDigest,
  overviewModel,
  priceCluster,
  priceOrganisation,
  rollupOrganisation,
  type RollupInput,
} from './rollup.js';

function cluster(name: string, images: [string, string][], agents = false): ClusterSnapshot {
  const s = snapshotFromSpec({
    workloads: [
      ...images.map(([ns, image], i) => ({
        kind: 'Deployment' as const,
        namespace: ns,
        name: `${ns}-${i}`,
        images: [image],
      })),
      ...(agents
        ? [
            {
              kind: 'Deployment' as const,
              namespace: 'bots',
              name: 'helper',
              images: ['ghcr.io/acme/langgraph-helper:1.0.0'],
            },
          ]
        : []),
      { kind: 'Deployment' as const, namespace: 'shop', name: 'web', images: ['nginx:1.27'] },
    ],
  });
  s.cluster.name = name;
  s.cluster.id = name;
  s.cluster.nodeCount = 3;
  return s;
}

const snapshots = [
  cluster('alpha', [['istio-system', 'docker.io/istio/pilot:1.28.0']], true),
  cluster('beta', [
    ['istio-system', 'docker.io/istio/pilot:1.28.0'],
    ['argocd', 'quay.io/argoproj/argocd:v3.1.0'],
  ]),
];
const inputs: RollupInput[] = snapshots.map((s, i) => ({
  clusterId: `c-${i}`,
  name: s.cluster.name,
  production: false,
  scanId: `s-${i}`,
  scannedAt: s.collectedAt,
  digest: clusterDigest(analyze({ snapshot: s }), s),
}));

describe('rollupOrganisation over digests (pure)', () => {
  it('a digest validates against its contract and survives a JSON round trip', () => {
    for (const i of inputs) {
      const back = clusterDigestSchema.parse(JSON.parse(JSON.stringify(i.digest)));
      expect(back).toEqual(i.digest);
      expect(back.methodologyVersion).toBe(METHODOLOGY_VERSION);
    }
  });

  it('prices the fleet exactly as the snapshot-based model does, from digests alone', () => {
    const fromSnapshots = computeIntegrationTax(
      snapshots.map((s) => ({
        snapshot: s,
        detection: analyze({ snapshot: s }).steps.detection,
        name: s.cluster.name,
      })),
      { loadedSalary: 250_000 },
    );
    const r = rollupOrganisation(inputs, { loadedSalary: 250_000 }, null);
    expect(r.integrationTax).toEqual(fromSnapshots);
    // Each cluster's own tax equals pricing that cluster alone.
    r.clusters.forEach((c, i) =>
      expect(c.clusterTaxCents).toBe(
        priceCluster(inputs[i]!.digest, { loadedSalary: 250_000 }).totalCents,
      ),
    );
  });

  it.each([
    {},
    { includeComputeFootprint: false },
    { seamCounting: 'pairwise' as const },
    { loadedSalary: 1, engineers: 1000 },
    { licenceByTool: { istio: 40_000 }, overlapShare: 1 },
  ])('each cluster priced alone equals its full tax, whatever the assumptions (%j)', (a) => {
    const priced = priceOrganisation(inputs, a);
    for (const i of inputs)
      expect(priced.clusterTaxCents[i.clusterId]).toBe(priceCluster(i.digest, a).totalCents);
    // The fleet minus each cluster (the marginal breakdown) is priced the same way.
    const tax = priced.integrationTax!;
    const without = (i: number) =>
      computeIntegrationTax(
        inputs
          .filter((_, j) => j !== i)
          .map((r) => ({
            snapshot: {
              cluster: { nodeCount: r.digest.cost.nodeCount },
              workloads: r.digest.cost.workloads,
            },
            detection: r.digest.detection,
            name: r.name,
          })),
        a,
      ).totalCents;
    for (const [i, r] of inputs.entries())
      expect(tax.perCluster.find((p) => p.cluster === r.name)!.marginalCents).toBe(
        tax.totalCents - without(i),
      );
  });

  it('an assumption change moves the money and nothing else', () => {
    const a = rollupOrganisation(inputs, {}, null);
    const b = rollupOrganisation(inputs, { loadedSalary: 380_000 }, null);
    expect(b.integrationTax!.totalCents).toBeGreaterThan(a.integrationTax!.totalCents);
    expect(b.maturity).toEqual(a.maturity);
    expect(b.agents).toEqual(a.agents);
  });

  it('the self-assessment sets the claimed side only, and the app answer wins over an upload', () => {
    const answers = Object.fromEntries(ACCOUNTABILITY_PILLARS.map((p) => [p, 4])) as Record<
      AccountabilityPillar,
      number
    >;
    const none = rollupOrganisation(inputs, {}, null);
    const claimed = rollupOrganisation(
      inputs,
      {},
      { id: 'sa', createdAt: '2026-01-01T00:00:00.000Z', answers },
      {
        evidence: {
          probes: [],
          vmRows: [],
          uploadedAnswers: { ...answers, traceability: 0 },
          uploads: 1,
          skipped: [],
        },
      },
    );
    expect(claimed.agents.claimedVsEvidenced.map((c) => c.claimed)).toEqual([4, 4, 4, 4, 4]);
    expect(claimed.agents.claimedVsEvidenced.map((c) => c.evidenced)).toEqual(
      none.agents.claimedVsEvidenced.map((c) => c.evidenced),
    );
    expect(claimed.selfAssessment).toEqual({ id: 'sa', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(claimed.evidenceUploads).toBe(1);
  });

  it('appends one trend point per newest collection time, and the overview view carries it', () => {
    const first = rollupOrganisation(inputs, {}, null);
    const again = rollupOrganisation(inputs, {}, null, { previousTrends: first.trends });
    expect(again.trends).toHaveLength(1);
    const view = overviewModel(again);
    expect(Object.keys(view.clusters)).toEqual(['c-0', 'c-1']);
    expect(view.integrationTax?.totalCents).toBe(again.integrationTax?.totalCents);
    expect(view.topActions).toEqual(again.actions.items.slice(0, 5));
  });

  it('no clusters: no tax, no maturity, no trend', () => {
    const r = rollupOrganisation([], {}, null);
    expect(r.integrationTax).toBeNull();
    expect(r.maturity).toBeNull();
    expect(r.trends).toEqual([]);
  });
});
