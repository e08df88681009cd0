import { analyze } from '@plumbline/analysis';
import type { ClusterSnapshot } from '@plumbline/contracts';
import { readFileSync } from 'node:fs';
import { atLeast, planAndVerify, renderPlanMarkdown } from '../src/index.js';
import { FIXTURE_GROUPS_FILE, scanGroup, scenarioSnapshot, type FixtureGroup } from './helpers.js';

// Admission policies in the dialect the cluster runs, verified like every bundle.

const groups = (JSON.parse(readFileSync(FIXTURE_GROUPS_FILE, 'utf8')) as { groups: FixtureGroup[] })
  .groups;
const target = { level: 1, pillar: 'compliance' as const };
// Namespace labels made expensive, so the planner picks admission policies where they exist.
const effort = { actions: { 'pod-security-labels': { baseHours: 100, perUnitHours: 0 } } };

function plan(snapshot: ClusterSnapshot) {
  return planAndVerify({ snapshot, analysis: analyze({ snapshot }), target, effort });
}

test('an admission engine already runs (Kyverno): no admission policies generated', () => {
  const o = plan(scanGroup(groups.find((g) => g.id === 'kyverno/install')!));
  if (o.status === 'unreachable') return expect(o.plan.reason).toMatch(/out of reach/);
  expect(o.plan.steps.map((s) => s.id)).not.toContain('admission-policies');
});

test.each([
  ['v1.31.2', true],
  ['v1.30.0-eks-1234', true],
  ['v1.29.9', false],
  ['v2.0.0', true],
  [null, false],
])('no Kyverno, Kubernetes %s: ValidatingAdmissionPolicies offered = %s', (version, offered) => {
  const base = scenarioSnapshot('vap', 60, 0);
  const snapshot: ClusterSnapshot = {
    ...base,
    cluster: { ...base.cluster, kubernetesVersion: version },
    workloads: base.workloads.filter((w) => !/kyverno|gatekeeper/.test(w.namespace)),
  };
  expect(atLeast(version, 1, 30)).toBe(offered);
  const o = plan(snapshot);
  if (o.status !== 'ok') throw new Error(o.status);
  const ids = o.plan.steps.map((s) => s.id);
  const analysis = analyze({ snapshot });
  const engines: string[] = analysis.steps.detection.components.map((c) => c.id);
  if (
    !offered ||
    ['kyverno', 'gatekeeper', 'validating-admission-policy', 'pod-security-admission'].some((e) =>
      engines.includes(e),
    )
  ) {
    expect(ids).not.toContain('admission-policies');
    return;
  }
  if (o.plan.alreadyMet) return;
  expect(ids).toContain('admission-policies');
  const kinds = new Set(o.bundle!.objects.map((x) => x.manifest.kind));
  expect(kinds).toEqual(new Set(['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding']));
  expect(o.verification!.ok).toBe(true);
  expect(o.verification!.reached.compliance).toBeGreaterThanOrEqual(1);
});

test('the bundle README: steps, roadmap, verification with what is newly denied, how to apply', () => {
  const snapshot = scenarioSnapshot('readme', 80, 0);
  const analysis = analyze({ snapshot });
  const o = planAndVerify({
    snapshot,
    analysis,
    target: { level: 3, pillar: 'workload-isolation' },
  });
  if (o.status !== 'ok' || !o.bundle) throw new Error(o.status);
  const md = renderPlanMarkdown(o);
  for (const h of [
    '# Plumbline plan: Workload isolation level 3',
    '## Steps',
    '## Roadmap',
    '## Verification',
    '## Applying',
  ])
    expect(md).toContain(h);
  expect(md).toMatch(/after it: Workload isolation level \d, cluster level \d/);
  expect(md).toMatch(/Service-exposed connections checked: \d+; cut: 0/);
  expect(md).toMatch(/ingress: (only .* stays open|nothing stays open) \(was everything\)/);
  expect(md).toContain('kubectl apply -k .');
});
