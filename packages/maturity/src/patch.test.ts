import type { ClusterSnapshot, SpecObject } from '@plumbline/contracts';
import { detect, snapshotFromSpec, type FixtureSpec } from '@plumbline/detection';
import { analyzeNetworkPolicies } from '@plumbline/netpol';
import { CAPS, CRITERIA, patch } from './criteria.js';
import { computeFacts, type MaturityFacts } from './facts.js';

/**
 * `patch` shares everything below depth 2 with the facts it copies. These tests hold every fix to
 * that contract: run on deep-frozen facts it must not throw nor change them, and it must give the
 * facts the former patch gave (a full deep copy, then the change).
 */

/** The former patch's copy: plain objects, arrays, Sets and Maps copied all the way down. */
function deepCopy<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map((x: unknown) => deepCopy(x)) as T;
  if (v instanceof Set) return new Set([...v].map((x: unknown) => deepCopy(x))) as T;
  if (v instanceof Map)
    return new Map([...v].map(([k, x]: [unknown, unknown]) => [deepCopy(k), deepCopy(x)])) as T;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = deepCopy(x);
  return out as T;
}

/** A Set that refuses changes once built (Object.freeze does not stop Set.prototype.add). */
class FrozenSet<T> extends Set<T> {
  private sealed = false;
  constructor(items: Iterable<T>) {
    super(items);
    this.sealed = true;
  }
  override add(x: T): this {
    if (this.sealed) throw new TypeError('add on a frozen Set');
    return super.add(x);
  }
  override delete(): boolean {
    throw new TypeError('delete on a frozen Set');
  }
  override clear(): void {
    throw new TypeError('clear on a frozen Set');
  }
}

/** Frozen all the way down: objects and arrays by Object.freeze, Sets as FrozenSet. */
function deepFreeze<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (v instanceof Set) return new FrozenSet([...v].map((x: unknown) => deepFreeze(x))) as T;
  if (Array.isArray(v)) return Object.freeze(v.map((x: unknown) => deepFreeze(x))) as T;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = deepFreeze(x);
  return Object.freeze(out) as T;
}

/** Sets as sorted arrays, so a FrozenSet and a Set with the same members compare equal. */
function plain(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (v instanceof Set) return { set: [...v].map(plain).sort() };
  if (Array.isArray(v)) return v.map(plain);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
}

type WorkloadSpec = NonNullable<FixtureSpec['workloads']>[number];
const workload = (
  kind: WorkloadSpec['kind'],
  namespace: string,
  name: string,
  image: string,
  podLabels: Record<string, string> = {},
): WorkloadSpec => ({ kind, namespace, name, images: [image], podLabels });

/** Applications in two namespaces, Calico, DNS, Prometheus, an open allow, an ANP, a LB. */
function snapshot(): ClusterSnapshot {
  const s = snapshotFromSpec(
    {
      workloads: [
        workload('Deployment', 'shop', 'web', 'ghcr.io/acme/web:1', { app: 'web' }),
        workload('Deployment', 'shop', 'api', 'ghcr.io/acme/api:1', { app: 'api' }),
        workload('Deployment', 'blog', 'cms', 'ghcr.io/acme/cms:1', { app: 'cms' }),
        workload('DaemonSet', 'kube-system', 'calico-node', 'quay.io/calico/node:v3.31.0'),
        workload('Deployment', 'kube-system', 'coredns', 'registry.k8s.io/coredns:v1.11.1'),
        workload('Deployment', 'monitoring', 'prometheus', 'quay.io/prometheus/prometheus:v3'),
      ],
      namespaces: [
        { name: 'shop', labels: {} },
        { name: 'blog', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } },
      ],
      services: [{ namespace: 'shop', name: 'public', type: 'LoadBalancer' }],
    },
    'patch',
  );
  for (const w of s.workloads) if (w.namespace === 'shop') w.replicas = 2;
  s.networkPolicies.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    namespace: 'shop',
    name: 'open',
    labels: {},
    spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}] } as SpecObject['spec'],
  });
  s.policyObjects.push({
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'AdminNetworkPolicy',
    namespace: null,
    name: 'legacy',
    labels: {},
    spec: {
      priority: 10,
      subject: { namespaces: {} },
      ingress: [{ action: 'Allow', from: [{ namespaces: {} }] }],
    } as SpecObject['spec'],
  });
  return s;
}

function computed(): MaturityFacts {
  const s = snapshot();
  const detection = detect(s);
  return computeFacts(s, detection, analyzeNetworkPolicies(s, detection).result);
}

/** Computed facts plus variants that take the other branch of the fixes that branch. */
function factSets(): [string, MaturityFacts][] {
  const f = computed();
  return [
    ['computed', f],
    [
      'every list filled, ipvs',
      {
        ...f,
        partial: new Set(['istio', 'linkerd', 'prometheus']),
        componentRefs: { ...f.componentRefs, prometheus: 'Deployment monitoring/prometheus' },
        calicoVersion: [3, 32],
        network: { ...f.network, kubeProxyMode: 'ipvs', encryption: ['ipsec'] },
        policy: {
          ...f.policy,
          ingressPct: 12.5,
          egressPct: null,
          noDefaultDenyIngress: ['shop'],
          noDefaultDenyEgress: ['shop', 'blog'],
          clusterScoped: ['projectcalico.org/GlobalNetworkPolicy x1'],
          anpBanp: ['AdminNetworkPolicy x1', 'BaselineAdminNetworkPolicy x1'],
          openAllowWorkloads: ['shop/web[Deployment]'],
        },
        multiCluster: { loadBalancers: ['Service shop/public'] },
        edge: {
          ...f.edge,
          ingresses: 2,
          ingressHostsWithoutTls: ['Ingress shop/web host *'],
          gatewaysWithoutTls: ['Gateway shop/gw'],
        },
        resilience: {
          ...f.resilience,
          dns: { ref: 'Deployment kube-system/coredns', replicas: 1 },
          multiReplicaApps: ['Deployment shop/web'],
          multiReplicaWithPdb: [],
          replicatedShare: 40,
          virtualMachines: 3,
        },
        compliance: {
          ...f.compliance,
          appNamespacesWithoutPodSecurity: ['blog', 'shop'],
          clusterAdminSubjects: ['User alice (ClusterRoleBinding admins)'],
        },
      },
    ],
    [
      'every list empty',
      {
        ...f,
        running: new Set(),
        partial: new Set(),
        componentRefs: {},
        calicoVersion: null,
        network: { ...f.network, encryption: [] },
        policy: { ...f.policy, appNamespaces: [], anpBanp: [], clusterScoped: [] },
        edge: { ...f.edge, ingresses: 0, gateways: 0, routes: 0 },
        resilience: { ...f.resilience, dns: null, multiReplicaApps: [], replicatedShare: null },
      },
    ],
  ];
}

const FIXES = [
  ...CRITERIA.map((c) => [`criterion ${c.id}`, c.fix] as const),
  ...CAPS.map((c) => [`cap ${c.id}`, c.fix] as const),
];

describe('patch shares the facts a fix leaves alone', () => {
  it('covers every criterion and cap', () => {
    expect(FIXES.length).toBe(CRITERIA.length + CAPS.length);
    expect(FIXES.length).toBeGreaterThanOrEqual(40);
    const f = computed();
    expect(f.policy.appNamespaces).toEqual(['blog', 'shop']);
    expect(f.policy.anpBanp.length).toBeGreaterThan(0);
    expect(f.running.size).toBeGreaterThan(0);
  });

  it('notices a change made in place (the harness itself)', () => {
    const frozen = deepFreeze(computed());
    expect(() => patch(frozen, (d) => void d.policy.appNamespaces.push('x'))).toThrow(TypeError);
    expect(() => patch(frozen, (d) => void (d.running as Set<string>).add('x'))).toThrow(TypeError);
    const dns = deepFreeze({ ...computed(), resilience: { ...computed().resilience, dns: null } });
    const withDns = patch(dns, (d) => void (d.resilience.dns = { ref: 'r', replicas: 1 }));
    expect(() => patch(withDns, (d) => void (d.resilience.dns!.replicas = 2))).not.toThrow();
    expect(() => patch(deepFreeze(withDns), (d) => void (d.resilience.dns!.replicas = 2))).toThrow(
      TypeError,
    );
  });

  for (const [name, facts] of factSets())
    it.each(FIXES)(`%s on ${name} facts`, (_id, fix) => {
      const before = plain(deepCopy(facts));
      const frozen = deepFreeze(facts);
      const after = fix(frozen);
      // The input is untouched (frozen: a change in place throws; the Sets are checked too).
      expect(plain(frozen)).toEqual(before);
      // Running the fix on a private deep copy gives what the former patch gave: any change in
      // place lands in that copy, as it landed in the former patch's own copy.
      expect(plain(after)).toEqual(plain(fix(deepCopy(facts))));
      // The top level and the pillar objects are new; a changed fact is never the input's.
      expect(after).not.toBe(frozen);
      expect(after.policy).not.toBe(frozen.policy);
    });
});
