import { analyze } from '@plumbline/analysis';
import { isMaturityPillar, type MaturityPillarId, type PlanTarget } from '@plumbline/contracts';
import { analyzeNetworkPolicies } from '@plumbline/netpol';
import { readFileSync } from 'node:fs';
import { planAndVerify } from '../src/index.js';
import { FIXTURE_GROUPS_FILE, bruteForceCuts, scanGroup, type FixtureGroup } from './helpers.js';

// Every fixture set with workloads: each plan's bundle reaches exactly the levels it promises when
// re-analysed, and cuts no connection a Service exposes (checked twice: by the verification's own
// class-based check and here by brute force over every source endpoint and external range).

const groups = (JSON.parse(readFileSync(FIXTURE_GROUPS_FILE, 'utf8')) as { groups: FixtureGroup[] })
  .groups;

const TARGETS: PlanTarget[] = [
  { level: 4, pillar: 'workload-isolation' },
  { level: 2, pillar: 'resilience' },
  { level: 2, pillar: 'compliance' },
  { level: 2, pillar: null },
];

const totals = { groups: 0, bundles: 0, objects: 0, refused: [] as string[], checkedPairs: 0 };

// Sets without any workload (CRD bundles, policy-only suites) have nothing to plan for.
const withWorkloads = groups
  .map((g) => [g.id, g, scanGroup(g)] as const)
  .filter(([, , s]) => s.workloads.length > 0);

describe.each(withWorkloads)('fixture %s', (_id, group, snapshot) => {
  it('every bundle verifies: levels as promised, no Service connection cut', () => {
    totals.groups++;
    const analysis = analyze({ snapshot });
    const before = analyzeNetworkPolicies(snapshot, analysis.steps.detection).engine;
    for (const target of TARGETS) {
      const o = planAndVerify({ snapshot, analysis, target });
      if (o.status === 'refused')
        totals.refused.push(
          `${group.id} ${JSON.stringify(target)}: ${o.verification.problems.join('; ')}`,
        );
      expect(o.status).not.toBe('refused');
      if (o.status !== 'ok' || !o.bundle || !o.verification) continue;
      totals.bundles++;
      totals.objects += o.bundle.objects.length;
      expect(o.bundle.objects.length).toBeGreaterThan(0);
      expect(o.verification.reached).toEqual(o.plan.bundlePromise);
      expect(o.verification.connectivity.cut).toEqual([]);
      // The plan's promise for the target (manual steps included) reaches the target.
      const pillars: MaturityPillarId[] =
        target.pillar && isMaturityPillar(target.pillar)
          ? [target.pillar]
          : (Object.keys(o.plan.to.pillars) as MaturityPillarId[]);
      for (const p of pillars) expect(o.plan.to.pillars[p]).toBeGreaterThanOrEqual(target.level);
      if (
        before.endpoints.length <= 80 &&
        o.bundle.objects.some((x) => x.manifest.kind === 'NetworkPolicy')
      ) {
        const after = analyzeNetworkPolicies(
          o.bundle.patched,
          o.verification.analysis.steps.detection,
        ).engine;
        totals.checkedPairs++;
        expect(bruteForceCuts(snapshot, before, after)).toEqual([]);
      }
    }
  });
});

afterAll(() => {
  // Not vacuous: many fixture sets produce bundles, and NetworkPolicy bundles were brute-forced.
  expect(totals.refused).toEqual([]);
  expect(totals.groups).toBe(withWorkloads.length);
  expect(totals.groups).toBeGreaterThan(50);
  expect(totals.bundles).toBeGreaterThan(80);
  expect(totals.checkedPairs).toBeGreaterThan(30);
});
