import { analyze } from '@plumbline/analysis';
import type {
  ClusterSnapshot,
  PlanTarget,
  PolicyDialect,
  SpecObject,
  Workload,
} from '@plumbline/contracts';
import {
  analyzeNetworkPolicies,
  endpointRef,
  formatRange,
  type NetpolEngine,
} from '@plumbline/netpol';
import { readFileSync } from 'node:fs';
import { checkServiceConnections, planAndVerify, type Json } from '../src/index.js';
import { calicoSelector, inDialect } from '../src/dialect.js';
import {
  FIXTURE_GROUPS_FILE,
  bruteForceCuts,
  scanGroup,
  scenarioSnapshot,
  type FixtureGroup,
} from './helpers.js';

// Network policies in the dialect of the enforcing CNI: the same plan written as Calico or Cilium
// policies must mean exactly what the Kubernetes NetworkPolicies mean (every connection between
// every pair of endpoints and external ranges, as each engine's own semantics evaluates it), reach
// the same levels, cut no Service connection, and be refused where that CNI does not enforce.

const groups = (JSON.parse(readFileSync(FIXTURE_GROUPS_FILE, 'utf8')) as { groups: FixtureGroup[] })
  .groups;

/** The snapshot with a CNI agent DaemonSet added, so detection finds that engine enforcing. */
function withCni(s: ClusterSnapshot, cni: 'calico' | 'cilium'): ClusterSnapshot {
  const base = s.workloads[0]!;
  const agent: Workload = {
    ...base,
    kind: 'DaemonSet',
    namespace: 'kube-system',
    name: cni === 'calico' ? 'calico-node' : 'cilium',
    uid: null,
    owner: null,
    replicas: null,
    hostNetwork: true,
    podLabels: { 'k8s-app': cni === 'calico' ? 'calico-node' : 'cilium' },
    selector: {
      matchLabels: { 'k8s-app': cni === 'calico' ? 'calico-node' : 'cilium' },
      matchExpressions: [],
    },
    containers: base.containers.slice(0, 1).map((c) => ({
      ...c,
      name: cni,
      image: cni === 'calico' ? 'docker.io/calico/node:v3.29.1' : 'quay.io/cilium/cilium:v1.16.4',
    })),
  };
  return {
    ...s,
    namespaces: s.namespaces.some((n) => n.name === 'kube-system')
      ? s.namespaces
      : [...s.namespaces, { name: 'kube-system', uid: null, labels: {}, annotations: {} }],
    workloads: [...s.workloads, agent],
  };
}

/**
 * Every allowed connection, as text: between every pair of endpoints, and between every endpoint
 * and one address of every external range either engine distinguishes (plus two of our own).
 */
function allowedText(e: NetpolEngine, other: NetpolEngine): string[] {
  const first = (r: Parameters<typeof formatRange>[0]) =>
    formatRange(r).split('-')[0]!.split('/')[0]!;
  const addresses = [
    ...new Set([
      ...e.atoms().map((a) => first(a.range)),
      ...other.atoms().map((a) => first(a.range)),
      '203.0.113.7',
      '2001:db8::7',
    ]),
  ].sort();
  const out: string[] = [];
  const pods = e.endpoints.filter((x) => !x.hostNetwork);
  for (const s of pods)
    for (const d of pods)
      if (s !== d)
        out.push(
          `${endpointRef(s)} -> ${endpointRef(d)}: ${e.connections({ kind: 'endpoint', e: s }, { kind: 'endpoint', e: d }).toString()}`,
        );
  for (const ip of addresses) {
    const atom = e.atomFor(ip)!;
    for (const x of pods) {
      out.push(
        `${ip} -> ${endpointRef(x)}: ${e.connections({ kind: 'external', atom }, { kind: 'endpoint', e: x }).toString()}`,
      );
      out.push(
        `${endpointRef(x)} -> ${ip}: ${e.connections({ kind: 'endpoint', e: x }, { kind: 'external', atom }).toString()}`,
      );
    }
  }
  return out;
}

const ISOLATION: PlanTarget = { level: 4, pillar: 'workload-isolation' };

function plans(snapshot: ClusterSnapshot, dialect: PolicyDialect) {
  const analysis = analyze({ snapshot });
  return { analysis, outcome: planAndVerify({ snapshot, analysis, target: ISOLATION, dialect }) };
}

const cases: [string, ClusterSnapshot][] = [
  ...groups
    .map((g) => [g.id, scanGroup(g)] as [string, ClusterSnapshot])
    .filter(([, s]) => s.workloads.length > 0 && s.services.length > 0),
  ...['d1', 'd2', 'd3'].map(
    (seed) => [`scenario ${seed}`, scenarioSnapshot(seed, 60)] as [string, ClusterSnapshot],
  ),
];

const totals = { compared: 0, policies: 0, ownFamily: 0 };

describe.each(['calico', 'cilium'] as const)('%s dialect', (dialect) => {
  it.each(cases)(
    '%s: same meaning as the Kubernetes policies, verified, nothing cut',
    (_id, raw) => {
      const snapshot = withCni(raw, dialect);
      const k8s = plans(snapshot, 'kubernetes');
      const cni = plans(snapshot, dialect);
      expect(cni.analysis.steps.detection.network.networkPolicy.engines).toContain(dialect);
      expect(cni.outcome.status).toBe(k8s.outcome.status);
      if (cni.outcome.status !== 'ok' || k8s.outcome.status !== 'ok') return;
      const objects = cni.outcome.bundle?.objects ?? [];
      const netpols = objects.filter((o) => /NetworkPolicy$/.test(o.manifest.kind));
      if (!netpols.length) {
        expect(
          k8s.outcome.bundle?.objects.some((o) => o.manifest.kind === 'NetworkPolicy'),
        ).not.toBe(true);
        return;
      }
      // Only the dialect's own objects, never a Kubernetes NetworkPolicy.
      for (const o of netpols)
        expect(o.manifest.apiVersion).toBe(
          dialect === 'calico' ? 'projectcalico.org/v3' : 'cilium.io/v2',
        );
      expect(cni.outcome.verification!.ok).toBe(true);
      expect(cni.outcome.verification!.connectivity.cut).toEqual([]);
      // Where the team already writes policies in this dialect, they are the same language as
      // the plan's: the plan may generate there, where for Kubernetes policies it stays manual.
      const ownFamily = raw.policyObjects.some((o) =>
        dialect === 'calico'
          ? /projectcalico\.org/.test(o.apiVersion)
          : o.apiVersion.startsWith('cilium.io'),
      );
      if (ownFamily) {
        totals.ownFamily++;
        return;
      }
      expect(cni.outcome.plan.steps.map((s) => s.id)).toEqual(
        k8s.outcome.plan.steps.map((s) => s.id),
      );
      expect(cni.outcome.verification!.ok).toBe(true);
      expect(cni.outcome.verification!.reached).toEqual(cni.outcome.plan.bundlePromise);
      expect(cni.outcome.verification!.reached).toEqual(k8s.outcome.verification!.reached);
      expect(cni.outcome.verification!.connectivity.cut).toEqual([]);
      expect(cni.outcome.verification!.connectivity.newlyIsolated).toEqual(
        k8s.outcome.verification!.connectivity.newlyIsolated,
      );
      // Exactly the same connections allowed after either bundle.
      const after = (o: typeof cni.outcome) =>
        o.status === 'ok' && o.bundle
          ? analyzeNetworkPolicies(o.bundle.patched, o.verification!.analysis.steps.detection)
              .engine
          : null;
      const a = after(cni.outcome)!;
      const b = after(k8s.outcome)!;
      if (a.endpoints.length <= 80) {
        expect(allowedText(a, b)).toEqual(allowedText(b, a));
        const before = analyzeNetworkPolicies(snapshot, cni.analysis.steps.detection).engine;
        expect(bruteForceCuts(snapshot, before, a)).toEqual([]);
        totals.compared++;
      }
      totals.policies += netpols.length;
    },
  );

  it('is refused with a reason where that CNI does not enforce network policy', () => {
    const [, raw] = cases[0]!;
    const other = withCni(raw, dialect === 'calico' ? 'cilium' : 'calico');
    const { outcome } = plans(other, dialect);
    expect(outcome.status).toBe('unreachable');
    if (outcome.status !== 'unreachable') return;
    expect(outcome.plan.reachable).toBe(false);
    if (outcome.plan.reachable) return;
    expect(outcome.plan.reason).toMatch(
      new RegExp(`only ${dialect === 'calico' ? 'cilium' : 'calico'} enforcing it`),
    );
    expect('bundle' in outcome).toBe(false);
  });
});

describe('verification of Cilium policies', () => {
  it('checks source by source an endpoint that a non-isolating Cilium policy selected before (its cut is found)', () => {
    const group = groups.find((g) => g.id === 'istio/bookinfo')!;
    const base = withCni(scanGroup(group), 'cilium');
    const cnp = (name: string, spec: Json): SpecObject => ({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      namespace: 'default',
      name,
      labels: {},
      spec,
    });
    // Before: reviews is selected by an allow that does not isolate (enableDefaultDeny off).
    const before = {
      ...base,
      policyObjects: [
        ...base.policyObjects,
        cnp('open-reviews', {
          endpointSelector: { matchLabels: { app: 'reviews' } },
          enableDefaultDeny: { ingress: false },
          ingress: [{ fromEndpoints: [{ matchLabels: { app: 'nobody' } }] }],
        }),
      ],
    };
    // After: a deny-everything policy and no allow: every Service connection is cut.
    const after = {
      ...before,
      policyObjects: [
        ...before.policyObjects,
        cnp('deny', { endpointSelector: {}, ingress: [{}] }),
      ],
    };
    const detection = analyze({ snapshot: before }).steps.detection;
    const b = analyzeNetworkPolicies(before, detection).engine;
    const a = analyzeNetworkPolicies(after, detection).engine;
    const diff = checkServiceConnections(before, b, a);
    const cutTo = new Set(diff.cut.map((c) => c.dst));
    expect([...cutTo].filter((d) => d.includes('reviews')).sort()).toEqual([
      'default/reviews-v1[Deployment]',
      'default/reviews-v2[Deployment]',
      'default/reviews-v3[Deployment]',
    ]);
    expect(cutTo.has('default/ratings-v1[Deployment]')).toBe(true);
  });
});

describe('verification of Calico policies', () => {
  it('checks source by source an endpoint that only another tier selected before (the default tier narrows it)', () => {
    const group = groups.find((g) => g.id === 'istio/bookinfo')!;
    const base = withCni(scanGroup(group), 'calico');
    const obj = (kind: string, name: string, spec: Json, namespace: string | null): SpecObject => ({
      apiVersion: 'projectcalico.org/v3',
      kind,
      namespace,
      name,
      labels: {},
      spec,
    });
    // Before: reviews is selected by a policy of another tier that passes everything on.
    const before = {
      ...base,
      policyObjects: [
        ...base.policyObjects,
        obj('Tier', 'security', { order: 100 }, null),
        obj(
          'NetworkPolicy',
          'security.pass-reviews',
          {
            tier: 'security',
            order: 10,
            selector: "app == 'reviews'",
            types: ['Ingress'],
            ingress: [{ action: 'Pass' }],
          },
          'default',
        ),
      ],
    };
    // After: a default-tier policy that selects every pod and allows nothing.
    const after = {
      ...before,
      policyObjects: [
        ...before.policyObjects,
        obj('NetworkPolicy', 'deny', { selector: 'all()', types: ['Ingress'] }, 'default'),
      ],
    };
    const detection = analyze({ snapshot: before }).steps.detection;
    const b = analyzeNetworkPolicies(before, detection).engine;
    const a = analyzeNetworkPolicies(after, detection).engine;
    const cutTo = new Set(checkServiceConnections(before, b, a).cut.map((c) => c.dst));
    expect([...cutTo].filter((d) => d.includes('reviews')).sort()).toEqual([
      'default/reviews-v1[Deployment]',
      'default/reviews-v2[Deployment]',
      'default/reviews-v3[Deployment]',
    ]);
  });
});

describe('translation', () => {
  it('writes Calico selectors for exact labels, sorted; all() for every pod', () => {
    expect(calicoSelector({})).toBe('all()');
    expect(calicoSelector({ tier: 'web', app: 'shop' })).toBe("app == 'shop' && tier == 'web'");
  });

  it('leaves other objects alone and refuses shapes the plan never writes', () => {
    const pdb = {
      file: 'pdb/x.yaml',
      action: 'pdb',
      partial: false,
      manifest: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'x' } },
    };
    expect(inDialect([pdb], 'cilium')).toEqual([pdb]);
    const odd = {
      file: 'netpol-ingress/networkpolicy-a-x.yaml',
      action: 'netpol-ingress',
      partial: false,
      manifest: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'x', namespace: 'a' },
        spec: {
          podSelector: {},
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }],
        },
      },
    };
    expect(() => inDialect([odd], 'calico')).toThrow(/ipBlock except/);
  });
});

afterAll(() => {
  // Not vacuous: many plans were translated and compared connection by connection.
  expect(totals.compared).toBeGreaterThan(20);
  expect(totals.policies).toBeGreaterThan(50);
});
