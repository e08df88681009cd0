import { collectOffline } from '@plumbline/collector';
import type { ClusterSnapshot } from '@plumbline/contracts';
import { detect, snapshotFromSpec } from '@plumbline/detection';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { computeIntegrationTax, type ClusterInput } from '../src/model.js';

const FIXTURES = resolve(__dirname, '../../../../shared/fixtures');
const groups = new Map(
  (
    JSON.parse(
      readFileSync(resolve(__dirname, '../../collector/test/fixture-groups.json'), 'utf8'),
    ) as {
      groups: { id: string; paths: string[] }[];
    }
  ).groups.map((g) => [g.id, g.paths]),
);

function cluster(group: string, nodeCount?: number): ClusterInput {
  const { snapshot } = collectOffline({
    dir: FIXTURES,
    paths: groups.get(group)!,
    scanner: { name: 'plumbline-scanner', version: 'test' },
    collectedAt: '2026-11-26T00:00:00.000Z',
    clusterName: group.replace(/\W+/g, '-'),
    nodeCount,
    includeSecretMetadata: false,
    fingerprintKey: new Uint8Array(32),
  });
  return { snapshot, detection: detect(snapshot), name: snapshot.cluster.name };
}

describe('integration tax on real detected stacks', () => {
  it('one CNI alone: one tool, no seams, no glue', () => {
    const tax = computeIntegrationTax([cluster('calico/manifest', 3)]);
    expect(tax.tools.map((t) => t.id)).toEqual(['calico']);
    expect(tax.seamCount).toBe(0);
    expect(tax.lines.find((l) => l.id === 'glue')!.cents).toBe(0);
    expect(tax.lines.find((l) => l.id === 'upgrades')!.cents).toBeGreaterThan(0);
  });

  it('a fleet of CNI + mesh + observability clusters counts each product once and seams between layers', () => {
    const fleet = [
      cluster('calico/manifest', 3),
      cluster('istio/golden-pilot-default', 3),
      cluster('kube-prometheus/manifests', 3),
    ];
    const tax = computeIntegrationTax(fleet);
    expect(tax.clusters).toBe(3);
    expect(tax.tools.map((t) => t.id)).toEqual(['calico', 'grafana', 'istio', 'prometheus']);
    expect(tax.seams.map((s) => s.tools.join('+')).sort()).toEqual([
      'calico+grafana',
      'calico+istio',
      'calico+prometheus',
      'grafana+istio',
      'grafana+prometheus',
      'istio+prometheus',
    ]);
    // The fleet tax is not the sum of per-cluster taxes (engineers count once).
    const sum = fleet.map((c) => computeIntegrationTax([c]).totalCents).reduce((a, b) => a + b, 0);
    expect(tax.totalCents).not.toBe(sum);
  });

  it('pairwise seam counting gives T(T-1)/2', () => {
    const fleet = [
      cluster('calico/manifest'),
      cluster('istio/addons'),
      cluster('falco/rendered-helm'),
      cluster('kyverno/install'),
    ];
    const tax = computeIntegrationTax(fleet, { seamCounting: 'pairwise' });
    const T = tax.tools.length;
    expect(T).toBeGreaterThanOrEqual(5);
    expect(tax.seamCount).toBe((T * (T - 1)) / 2);
    expect(computeIntegrationTax(fleet).seamCount).toBeLessThan(tax.seamCount);
  });

  it("prices the tools' compute, and says so when node count is unknown", () => {
    const known = computeIntegrationTax([cluster('calico/manifest', 10)]);
    expect(known.footprint.cents).toBeGreaterThan(0);
    expect(known.footprint.vcpu).toBeGreaterThan(0);
    const unknown = computeIntegrationTax([cluster('flannel/manifest')]);
    expect(unknown.footprint.reason).toMatch(/node count unknown/);
    expect(unknown.footprint.cents).toBeNull();
  });
});

describe('scenarios and what-ifs', () => {
  const overlapping: ClusterSnapshot = snapshotFromSpec({
    workloads: [
      {
        kind: 'DaemonSet',
        namespace: 'kube-system',
        name: 'calico-node',
        images: ['quay.io/calico/node:v3.31.0'],
      },
      {
        kind: 'Deployment',
        namespace: 'tracing',
        name: 'jaeger',
        images: ['jaegertracing/all-in-one:1.67.0'],
      },
      {
        kind: 'Deployment',
        namespace: 'tracing',
        name: 'zipkin',
        images: ['openzipkin/zipkin:3.4.3'],
      },
      {
        kind: 'Deployment',
        namespace: 'istio-system',
        name: 'istiod',
        images: ['docker.io/istio/pilot:1.28.0'],
      },
    ],
  });
  const input = [{ snapshot: overlapping, detection: detect(overlapping) }];

  it('removing an overlapping tool saves its seams', () => {
    const tax = computeIntegrationTax(input, { licencePerTool: 50_000 });
    expect(tax.whatIfs).toEqual([
      expect.objectContaining({
        removesTool: 'zipkin',
        action: 'consolidate tracing: keep jaeger, remove zipkin',
      }),
    ]);
    expect(tax.whatIfs[0]!.savesCents).toBeGreaterThan(0);
  });

  it('consolidation reports savings, 3-year ROI and payback', () => {
    const tax = computeIntegrationTax(input, { licencePerTool: 50_000, migrationCost: 100_000 });
    const c = tax.consolidation;
    expect(c.annualSavingsCents).toBeGreaterThan(0);
    expect(c.threeYearRoi).toBeCloseTo(
      (3 * c.annualSavingsCents - c.migrationCostCents) / c.migrationCostCents,
      2,
    );
    expect(c.paybackMonths).toBeCloseTo(c.migrationCostCents / (c.annualSavingsCents / 12), 1);
  });

  it('sensitivity ranks every input by the swing of the total', () => {
    const tax = computeIntegrationTax(input);
    const swings = tax.sensitivity.map((s) => Math.abs(s.swingCents));
    expect(swings).toEqual([...swings].sort((a, b) => b - a));
    expect(tax.sensitivity[0]!.input).toBe('loadedSalary');
    for (const s of tax.sensitivity) expect(s.highCents).toBeGreaterThanOrEqual(s.lowCents);
  });
});

describe('consolidation: a sourced platform licence, with its range (issue 18.9)', () => {
  const fleet = () => [cluster('calico/manifest', 6), cluster('istio/golden-pilot-default')];

  it('is never $0 by default: list price x nodes, unknown node counts assumed and said', () => {
    const c = computeIntegrationTax(fleet()).consolidation;
    // 6 nodes + 3 assumed, at $0.025 x 4 vCPU x 8760 h = $876 per node a year.
    expect(c.platformLicenceCents).toBe(9 * 87_600);
    expect(c.platformLicenceBasis).toMatch(/Calico Cloud Pro/);
    expect(c.platformLicenceBasis).toMatch(/3 assumed for each of 1 cluster/);
    const r = c.platformLicenceRange!;
    expect([r.lowCents, r.highCents]).toEqual([9 * 43_800, 9 * 262_800]);
    // The return falls as the licence rises; the default sits inside the range.
    expect(r.threeYearRoi[0]!).toBeLessThanOrEqual(c.threeYearRoi!);
    expect(r.threeYearRoi[1]!).toBeGreaterThanOrEqual(c.threeYearRoi!);
    expect(r.paybackMonths[0]!).toBeLessThanOrEqual(c.paybackMonths!);
    expect(r.paybackMonths[1]!).toBeGreaterThanOrEqual(c.paybackMonths!);
  });

  it('a quote entered replaces the estimate, and there is no range to show', () => {
    const c = computeIntegrationTax(fleet(), {
      consolidatedPlatformLicence: 120_000,
    }).consolidation;
    expect(c.platformLicenceCents).toBe(12_000_000);
    expect(c.platformLicenceBasis).toBe('the licence entered by the organisation');
    expect(c.platformLicenceRange).toBeNull();
  });
});

describe('per-cluster contribution to the organisation tax (issue 18.9)', () => {
  it('each cluster: the fleet tax minus the tax without it, with the tools and seams only it brings', () => {
    const fleet = [
      cluster('calico/manifest', 3),
      cluster('istio/golden-pilot-default', 3),
      cluster('kube-prometheus/manifests', 3),
    ];
    const tax = computeIntegrationTax(fleet);
    expect(tax.perCluster).toHaveLength(3);
    for (const c of tax.perCluster) {
      const i = fleet.findIndex((f) => f.name === c.cluster);
      const without = computeIntegrationTax(fleet.filter((_, j) => j !== i));
      expect(c.marginalCents).toBe(tax.totalCents - without.totalCents);
      expect(c.addsSeams).toBe(tax.seamCount - without.seamCount);
      expect(c.why).toMatch(/a year: /);
    }
    const istio = tax.perCluster.find((c) => c.cluster.includes('istio'))!;
    expect(istio.addsTools).toEqual(['istio']);
    expect(istio.why).toContain('brings 1 tool(s) no other cluster runs (istio)');
    // Sorted: the biggest contribution first.
    const m = tax.perCluster.map((c) => c.marginalCents);
    expect(m).toEqual([...m].sort((a, b) => b - a));
  });

  it('generated fleets: each marginal is exact against the fleet without it, and order does not matter', () => {
    // Fractional requests (0.1 vCPU, 333m, 129M) whose floating-point sums depend on their order:
    // the footprint adds whole units, so the fleet minus one cluster agrees to the cent with the
    // fleet priced without it, and a shuffled fleet costs the same.
    const base = cluster('calico/manifest', 3);
    const cpus = ['0.1', '333m', '1.5', '250m', '0.7', '15m', undefined];
    const mems = ['100Mi', '129M', '1Gi', '0.3Gi', '64Mi', undefined];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 6; round++) {
      const size = 2 + rand(24);
      const fleet: ClusterInput[] = Array.from({ length: size }, (_, i) => ({
        name: `c${round}-${i}`,
        detection: base.detection,
        snapshot: {
          ...base.snapshot,
          cluster: { ...base.snapshot.cluster, nodeCount: rand(5) === 0 ? null : 1 + rand(40) },
          workloads: base.snapshot.workloads.map((w) => ({
            ...w,
            replicas: w.replicas === null ? null : 1 + rand(5),
            containers: w.containers.map((c) => ({
              ...c,
              resources: {
                ...c.resources,
                requests: { cpu: cpus[rand(cpus.length)], memory: mems[rand(mems.length)] },
              },
            })),
          })),
        } as ClusterInput['snapshot'],
      }));
      const tax = computeIntegrationTax(fleet);
      for (const c of tax.perCluster) {
        const i = fleet.findIndex((f) => f.name === c.cluster);
        const without = computeIntegrationTax(fleet.filter((_, j) => j !== i));
        expect(c.marginalCents).toBe(tax.totalCents - without.totalCents);
      }
      const shuffled = [...fleet].reverse();
      expect(computeIntegrationTax(shuffled).totalCents).toBe(tax.totalCents);
      expect(computeIntegrationTax(shuffled).footprint).toEqual(tax.footprint);
    }
  });

  it('a cluster running only tools others run adds only its upgrade hours and footprint', () => {
    const a = cluster('calico/manifest', 3);
    const b = { ...cluster('calico/manifest', 3) };
    b.name = 'twin';
    const tax = computeIntegrationTax([a, b]);
    const twin = tax.perCluster.find((c) => c.cluster === 'twin')!;
    expect(twin.addsTools).toEqual([]);
    expect(twin.addsSeams).toBe(0);
    expect(twin.why).toContain('runs only tools other clusters already run');
  });
});
