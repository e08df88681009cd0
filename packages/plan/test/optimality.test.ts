import { analyze } from '@plumbline/analysis';
import type { ClusterSnapshot, MaturityPillarId, PlanTarget } from '@plumbline/contracts';
import { MATURITY_PILLARS } from '@plumbline/contracts';
import { computeFacts } from '@plumbline/maturity';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { applyActions, catalogue, planFor, unmet, type Action } from '../src/index.js';
import { FIXTURE_GROUPS_FILE, scanGroup, scenarioSnapshot, type FixtureGroup } from './helpers.js';

// The planner's plan is the cheapest: compared with brute force over every subset of the actions
// that touch the target's pillars (up to 12 actions: 4096 subsets), under random effort tables.

const groups = (JSON.parse(readFileSync(FIXTURE_GROUPS_FILE, 'utf8')) as { groups: FixtureGroup[] })
  .groups;
const pick = (id: string) => scanGroup(groups.find((g) => g.id === id)!);

const snapshots: [string, ClusterSnapshot][] = [
  ['microservices-demo/release', pick('microservices-demo/release')],
  ['istio/bookinfo', pick('istio/bookinfo')],
  ['kube-prometheus/manifests', pick('kube-prometheus/manifests')],
  ['argo-cd/install', pick('argo-cd/install')],
  ['scenario a', scenarioSnapshot('plan-a', 150, 10)],
  ['scenario b', scenarioSnapshot('plan-b', 250, 0)],
];
const prepared = snapshots.map(([name, snapshot]) => {
  const analysis = analyze({ snapshot });
  return { name, snapshot, analysis };
});

function bruteForce(
  facts: ReturnType<typeof computeFacts>,
  actions: readonly Action[],
  target: PlanTarget,
): number | null {
  let best: number | null = null;
  for (let mask = 0; mask < 1 << actions.length; mask++) {
    const set = actions.filter((_, i) => mask & (1 << i));
    const cost = set.reduce((s, a) => s + a.hours, 0);
    if (best !== null && cost >= best) continue;
    if (!unmet(applyActions(facts, set), target).length) best = cost;
  }
  return best;
}

const actionIds = (p: (typeof prepared)[number]) =>
  catalogue({
    snapshot: p.snapshot,
    detection: p.analysis.steps.detection,
    netpol: p.analysis.steps.netpol,
    facts: computeFacts(p.snapshot, p.analysis.steps.detection, p.analysis.steps.netpol),
  }).map((a) => a.id);

test('plans are as cheap as brute force over every subset (random effort tables)', () => {
  let compared = 0;
  let reachable = 0;
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: prepared.length - 1 }),
      fc.constantFrom(...MATURITY_PILLARS),
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 60, maxLength: 60 }),
      (i, pillar: MaturityPillarId, level, hours) => {
        const p = prepared[i]!;
        const ids = actionIds(p);
        const effort = {
          actions: Object.fromEntries(
            ids.map((id, k) => [
              id,
              { baseHours: hours[k % hours.length]! / 2, perUnitHours: 0.5 },
            ]),
          ),
        };
        const target = { level, pillar };
        const facts = computeFacts(p.snapshot, p.analysis.steps.detection, p.analysis.steps.netpol);
        const open = unmet(facts, target).length;
        const full = catalogue({
          snapshot: p.snapshot,
          detection: p.analysis.steps.detection,
          netpol: p.analysis.steps.netpol,
          facts,
          effort,
        });
        // Every action of the pillar, and any other whose effect alone changes what is unmet
        // (a component that meets criteria of two pillars).
        const all = full.filter(
          (a) => a.pillars.includes(pillar) || unmet(a.effect(facts), target).length !== open,
        );
        if (all.length > 12) return;
        const plan = planFor({ snapshot: p.snapshot, analysis: p.analysis, target, effort });
        const best = bruteForce(facts, all, target);
        compared++;
        if (best === null) {
          expect(plan.reachable).toBe(false);
          return;
        }
        reachable++;
        expect(plan.reachable).toBe(true);
        if (!plan.reachable) return;
        expect(plan.hours).toBeCloseTo(best, 6);
        // The plan's own steps reach the target, and no step is superfluous.
        const chosen = full.filter((a) => plan.steps.some((s) => s.id === a.id));
        expect(chosen).toHaveLength(plan.steps.length);
        expect(unmet(applyActions(facts, chosen), target)).toEqual([]);
      },
    ),
    { numRuns: 120, seed: 2112 },
  );
  expect(compared).toBeGreaterThan(60);
  expect(reachable).toBeGreaterThan(20);
});

test('an organisation target uses one action where it meets two pillars (managed entry)', () => {
  // edge.managed-entry (level 1) and multicluster.managed-entry (level 2) are met by the same
  // Gateway API install: the plan to organisation level 2 must not pay for both.
  const p = prepared[0]!;
  const plan = planFor({
    snapshot: p.snapshot,
    analysis: p.analysis,
    target: { level: 2, pillar: null },
  });
  expect(plan.reachable).toBe(true);
  if (!plan.reachable) return;
  const ids = plan.steps.map((s) => s.id);
  expect(ids).toContain('manual:edge.managed-entry');
  expect(ids).not.toContain('manual:multicluster.managed-entry');
});
