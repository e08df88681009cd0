import { analyze } from '@plumbline/analysis';
import {
  MATURITY_PILLARS,
  clusterSnapshotSchema,
  type MaturityPillarId,
} from '@plumbline/contracts';
import { analyzeNetworkPolicies } from '@plumbline/netpol';
import fc from 'fast-check';
import {
  applyToSnapshot,
  buildBundle,
  planAndVerify,
  planFor,
  verifyBundle,
} from '../src/index.js';
import { bruteForceCuts, scenarioSnapshot } from './helpers.js';

// Generated clusters (packages/scenarios, every stack the generator draws): whatever the target,
// a plan is either unreachable with a reason, or its bundle verifies (levels as promised, no
// Service connection cut, confirmed by brute force), and its roadmap only goes up.

test('generated clusters: bundles always verify and cut no Service connection', () => {
  let bundles = 0;
  let policyBundles = 0;
  fc.assert(
    fc.property(
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.integer({ min: 40, max: 160 }),
      fc.integer({ min: 0, max: 12 }),
      fc.option(fc.constantFrom(...MATURITY_PILLARS), { nil: null }),
      fc.integer({ min: 1, max: 4 }),
      (seed, pods, policies, pillar: MaturityPillarId | null, level) => {
        const snapshot = scenarioSnapshot(seed, pods, policies);
        const analysis = analyze({ snapshot });
        const o = planAndVerify({ snapshot, analysis, target: { level, pillar } });
        if (o.status === 'unreachable') {
          expect(o.plan.reason).toMatch(/out of reach/);
          expect(o.plan.blockers.length).toBeGreaterThan(0);
          return;
        }
        expect(o.status).toBe('ok');
        if (o.status !== 'ok') return;
        // Roadmap: cumulative levels never go down, and every step is in exactly one phase.
        const phaseSteps = o.plan.roadmap.flatMap((p) => p.steps);
        expect([...phaseSteps].sort()).toEqual(o.plan.steps.map((s) => s.id).sort());
        let last = o.plan.from.level;
        for (const p of o.plan.roadmap) {
          expect(p.after.level).toBeGreaterThanOrEqual(last);
          last = p.after.level;
        }
        for (const p of pillar ? [pillar] : MATURITY_PILLARS)
          expect(o.plan.to.pillars[p]).toBeGreaterThanOrEqual(level);
        if (!o.bundle || !o.verification) return;
        bundles++;
        expect(o.verification.reached).toEqual(o.plan.bundlePromise);
        expect(o.verification.connectivity.cut).toEqual([]);
        if (o.bundle.objects.some((x) => x.manifest.kind === 'NetworkPolicy')) {
          policyBundles++;
          const before = analyzeNetworkPolicies(snapshot, analysis.steps.detection).engine;
          const after = analyzeNetworkPolicies(
            o.bundle.patched,
            o.verification.analysis.steps.detection,
          ).engine;
          expect(bruteForceCuts(snapshot, before, after)).toEqual([]);
        }
      },
    ),
    { numRuns: 40, seed: 4242 },
  );
  expect(bundles).toBeGreaterThan(10);
  expect(policyBundles).toBeGreaterThan(3);
});

test('the target already met: no step, no bundle', () => {
  const snapshot = scenarioSnapshot('met', 60, 4);
  const analysis = analyze({ snapshot });
  const pillar = analysis.steps.maturity.pillars.find((p) => p.level >= 1);
  if (!pillar) return expect(pillar).toBeUndefined();
  const o = planAndVerify({
    snapshot,
    analysis,
    target: { level: pillar.level, pillar: pillar.id },
  });
  expect(o.status).toBe('ok');
  if (o.status !== 'ok') return;
  expect(o.plan.alreadyMet).toBe(true);
  expect(o.plan.steps).toEqual([]);
  expect(o.bundle).toBeNull();
});

test('effort overrides change the hours and the 30/60/90 phases', () => {
  const snapshot = scenarioSnapshot('effort', 80, 0);
  const analysis = analyze({ snapshot });
  const target = { level: 2, pillar: null };
  const base = planFor({ snapshot, analysis, target });
  expect(base.reachable).toBe(true);
  if (!base.reachable) return;
  const first = base.steps[0]!;
  const dear = planFor({
    snapshot,
    analysis,
    target,
    effort: { actions: { [first.id]: { baseHours: 500, perUnitHours: 0 } }, hoursPerPhase: 10 },
  });
  expect(dear.reachable).toBe(true);
  if (!dear.reachable) return;
  const step = dear.steps.find((s) => s.id === first.id);
  // Either the step now costs 500 hours, or a cheaper way replaced it.
  if (step) expect(step.hours).toBe(500);
  expect(dear.hours).toBeGreaterThanOrEqual(base.hours);
  expect(dear.hoursPerPhase).toBe(10);
  // 10 hours a phase: work beyond 90 days lands in the "after 90 days" phase.
  if (dear.hours > 30) expect(dear.roadmap.some((p) => p.byDay === null)).toBe(true);
});

test('a namespace with many Services gets one allow of their ports, and nothing is cut', () => {
  const base = scenarioSnapshot('many-services', 60, 0);
  const template = base.workloads.find((w) => w.kind === 'Deployment' && !w.hostNetwork)!;
  const ns = 'many';
  const workloads = Array.from({ length: 30 }, (_, i) => ({
    ...template,
    namespace: ns,
    name: `svc-${i}`,
    uid: null,
    owner: null,
    selector: { matchLabels: { app: `svc-${i}` }, matchExpressions: [] },
    podLabels: { app: `svc-${i}` },
    containers: template.containers.map((c) => ({
      ...c,
      ports: [{ name: 'http', containerPort: 8000 + i, hostPort: null, protocol: 'TCP' }],
    })),
  }));
  const services = workloads.map((w, i) => ({
    namespace: ns,
    name: w.name,
    type: 'ClusterIP',
    selector: { app: w.name },
    ports: [
      {
        name: 'http',
        port: 80,
        targetPort: i % 2 ? 8000 + i : 'http',
        protocol: 'TCP',
        nodePort: null,
      },
    ],
    externalName: null,
    loadBalancerClass: null,
    annotations: {},
  }));
  const snapshot = clusterSnapshotSchema.parse({
    ...base,
    namespaces: [...base.namespaces, { name: ns, uid: null, labels: {}, annotations: {} }],
    workloads: [...base.workloads, ...workloads],
    services: [...base.services, ...services],
  });
  const analysis = analyze({ snapshot });
  const o = planAndVerify({
    snapshot,
    analysis,
    target: { level: 4, pillar: 'workload-isolation' },
  });
  expect(o.status === 'ok' || o.status === 'unreachable').toBe(true);
  if (o.status !== 'ok' || !o.bundle || !o.verification) return expect(o.status).toBe('ok');
  const mine = o.bundle.objects.filter(
    (x) => x.action === 'netpol-ingress' && x.manifest.metadata.namespace === ns,
  );
  // The default-deny and one allow of the 30 Services' target ports (numbers and names).
  expect(mine.map((x) => x.manifest.metadata.name).sort()).toEqual([
    'plumbline-allow-svc-service-ports',
    'plumbline-default-deny-ingress',
  ]);
  expect(o.verification.connectivity.cut).toEqual([]);
  const before = analyzeNetworkPolicies(snapshot, analysis.steps.detection).engine;
  const after = analyzeNetworkPolicies(
    o.bundle.patched,
    o.verification.analysis.steps.detection,
  ).engine;
  expect(bruteForceCuts(snapshot, before, after)).toEqual([]);
});

test('verification refuses a bundle that cuts a Service connection or misses its promise', () => {
  const snapshot = scenarioSnapshot('refuse', 80, 0);
  const analysis = analyze({ snapshot });
  const input = { snapshot, analysis, target: { level: 3, pillar: 'workload-isolation' as const } };
  const plan = planFor(input);
  expect(plan.reachable).toBe(true);
  if (!plan.reachable) return;
  const bundle = buildBundle(input, plan);
  const ok = verifyBundle({
    ...input,
    patched: bundle.patched,
    objects: bundle.objects,
    promised: plan.bundlePromise,
  });
  expect(ok.ok).toBe(true);
  // Without the Service allows, the default-deny cuts what the Services expose.
  const denyOnly = bundle.objects.filter(
    (o) => !/plumbline-allow-svc/.test(o.manifest.metadata.name),
  );
  expect(denyOnly.length).toBeLessThan(bundle.objects.length);
  const cut = verifyBundle({
    ...input,
    patched: applyToSnapshot(snapshot, denyOnly),
    objects: denyOnly,
    promised: plan.bundlePromise,
  });
  expect(cut.ok).toBe(false);
  expect(cut.connectivity.cut.length).toBeGreaterThan(0);
  expect(cut.problems.join(' ')).toMatch(/would be cut/);
  // A promise the objects do not keep.
  const wrong = verifyBundle({
    ...input,
    patched: bundle.patched,
    objects: bundle.objects,
    promised: { ...plan.bundlePromise, 'workload-isolation': 4 },
  });
  expect(wrong.ok).toBe(false);
  expect(wrong.problems.join(' ')).toMatch(/promised level 4/);
});
