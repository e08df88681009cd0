import {
  maturityResultSchema,
  type ClusterSnapshot,
  type MaturityPillarId,
  type SpecObject,
} from '@plumbline/contracts';
import { detect, snapshotFromSpec, type FixtureSpec } from '@plumbline/detection';
import { analyzeNetworkPolicies } from '@plumbline/netpol';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assessMaturity, evaluatePillar, pillarLevel } from './assess.js';
import { CAPS, CRITERIA } from './criteria.js';
import { computeFacts } from './facts.js';

/**
 * One table per pillar: inputs that reach each level 0-4 and trigger each cap, built from
 * detection fixture specs (snapshotFromSpec) plus the objects that spec form has no field for.
 */

type WorkloadSpec = NonNullable<FixtureSpec['workloads']>[number];
type Extra = (s: ClusterSnapshot) => void;

const APP_NS = { name: 'shop', labels: {} };
const apps =
  (replicas = 1): Extra =>
  (s) => {
    for (const w of s.workloads) if (w.namespace === 'shop') w.replicas = replicas;
  };
const appWorkloads: WorkloadSpec[] = [
  { kind: 'Deployment', namespace: 'shop', name: 'web', podLabels: { app: 'web' } },
  { kind: 'Deployment', namespace: 'shop', name: 'api', podLabels: { app: 'api' } },
];
const coredns = (): WorkloadSpec => ({
  kind: 'Deployment',
  namespace: 'kube-system',
  name: 'coredns',
  images: ['registry.k8s.io/coredns/coredns:v1.11.1'],
});
const calicoNode = (version = 'v3.31.0', env: Record<string, string> = {}): WorkloadSpec => ({
  kind: 'DaemonSet',
  namespace: 'kube-system',
  name: 'calico-node',
  images: [`quay.io/calico/node:${version}`],
  env,
});
const dep = (ns: string, name: string, image: string): WorkloadSpec => ({
  kind: 'Deployment',
  namespace: ns,
  name,
  images: [image],
});
const ds = (ns: string, name: string, image: string): WorkloadSpec => ({
  kind: 'DaemonSet',
  namespace: ns,
  name,
  images: [image],
});

function build(spec: FixtureSpec, ...extras: Extra[]): ClusterSnapshot {
  const s = snapshotFromSpec(
    {
      ...spec,
      workloads: [...appWorkloads, ...(spec.workloads ?? [])],
      namespaces: spec.namespaces ?? [APP_NS],
    },
    'maturity',
  );
  for (const w of s.workloads) if (w.name === 'coredns') w.replicas = 1;
  for (const e of extras) e(s);
  return s;
}

const np =
  (name: string, spec: unknown, ns = 'shop'): Extra =>
  (s) => {
    s.networkPolicies.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      namespace: ns,
      name,
      labels: {},
      spec: spec as SpecObject['spec'],
    });
  };
const policyObject =
  (apiVersion: string, kind: string, name: string, spec: unknown): Extra =>
  (s) => {
    s.policyObjects.push({
      apiVersion,
      kind,
      namespace: null,
      name,
      labels: {},
      spec: spec as SpecObject['spec'],
    });
  };

// ---- isolation building blocks (apps: web x1, api x3 replicas)
const replicasWebApi: Extra = (s) => {
  for (const w of s.workloads) if (w.name === 'web') w.replicas = 1;
  for (const w of s.workloads) if (w.name === 'api') w.replicas = 3;
};
const isolateWebIngress = np('web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [] });
const isolateApiIngress = np('api', {
  podSelector: { matchLabels: { app: 'api' } },
  ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
});
const denyIngress = np('default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] });
const apiEgress = np('api-egress', {
  podSelector: { matchLabels: { app: 'api' } },
  policyTypes: ['Egress'],
  egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }],
});
const denyEgress = np('default-deny-egress', { podSelector: {}, policyTypes: ['Egress'] });
const adminCnp = policyObject(
  'policy.networking.k8s.io/v1alpha2',
  'ClusterNetworkPolicy',
  'platform',
  {
    tier: 'Admin',
    priority: 10,
    subject: { namespaces: {} },
    egress: [
      {
        action: 'Accept',
        to: [
          {
            pods: {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: {},
            },
          },
        ],
      },
    ],
  },
);
const anp = policyObject('policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy', 'legacy', {
  priority: 10,
  subject: { namespaces: {} },
  ingress: [{ action: 'Allow', from: [{ namespaces: {} }] }],
});
const gnp = policyObject('projectcalico.org/v3', 'GlobalNetworkPolicy', 'deny-metadata', {
  selector: 'all()',
  types: ['Egress'],
  egress: [{ action: 'Deny', destination: { nets: ['169.254.169.254/32'] } }, { action: 'Pass' }],
});
const isolationFull = [replicasWebApi, denyIngress, isolateApiIngress, apiEgress, denyEgress];

interface Row {
  name: string;
  spec: FixtureSpec;
  extras?: Extra[];
  level: number;
  cappedBy?: string;
}

const ISOLATION: Row[] = [
  {
    name: 'flannel: policies are decoration',
    spec: {
      workloads: [ds('kube-flannel', 'kube-flannel-ds', 'docker.io/flannel/flannel:v0.25.1')],
    },
    extras: isolationFull,
    level: 0,
  },
  {
    name: 'calico, one small workload isolated (25%)',
    spec: { workloads: [calicoNode()] },
    extras: [replicasWebApi, isolateWebIngress],
    level: 1,
  },
  {
    name: 'ingress 75%',
    spec: { workloads: [calicoNode()] },
    extras: [replicasWebApi, isolateApiIngress],
    level: 2,
  },
  {
    name: 'default-deny ingress, egress 75%',
    spec: { workloads: [calicoNode()] },
    extras: [replicasWebApi, denyIngress, isolateApiIngress, apiEgress],
    level: 3,
  },
  {
    name: 'default-deny both ways + admin ClusterNetworkPolicy',
    spec: { workloads: [calicoNode('v3.32.0')] },
    extras: [...isolationFull, adminCnp],
    level: 4,
  },
  {
    name: 'cap: ANP on Calico 3.32 (not enforced)',
    spec: { workloads: [calicoNode('v3.32.0')] },
    extras: [...isolationFull, gnp, anp],
    level: 3,
    cappedBy: 'cap.anp-not-enforced-calico-3-32',
  },
  {
    name: 'cap: allow-all ingress next to default deny',
    spec: { workloads: [calicoNode('v3.32.0')] },
    extras: [...isolationFull, adminCnp, np('allow-all', { podSelector: {}, ingress: [{}] })],
    level: 2,
    cappedBy: 'cap.allow-any-ingress',
  },
];

const prom = dep('monitoring', 'prometheus', 'quay.io/prometheus/prometheus:v3.5.0');
const ksm = dep(
  'monitoring',
  'kube-state-metrics',
  'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.13.0',
);
const grafana = dep('monitoring', 'grafana', 'docker.io/grafana/grafana:11.2.0');
const goldmane = dep('calico-system', 'goldmane', 'quay.io/calico/goldmane:v3.31.0');
const jaeger = dep('tracing', 'jaeger', 'jaegertracing/all-in-one:1.60');
const OBSERVABILITY: Row[] = [
  { name: 'nothing', spec: { workloads: [calicoNode()] }, level: 0 },
  { name: 'prometheus', spec: { workloads: [calicoNode(), prom] }, level: 1 },
  {
    name: '+ kube-state-metrics + grafana',
    spec: { workloads: [calicoNode(), prom, ksm, grafana] },
    level: 2,
  },
  {
    name: '+ goldmane flow logs',
    spec: { workloads: [calicoNode(), prom, ksm, grafana, goldmane] },
    level: 3,
  },
  {
    name: 'tracing without CNI metrics',
    spec: { workloads: [calicoNode(), prom, ksm, grafana, goldmane, jaeger] },
    level: 3,
  },
  {
    name: '+ tracing + Felix metrics',
    spec: {
      workloads: [
        calicoNode('v3.31.0', { FELIX_PROMETHEUSMETRICSENABLED: 'true' }),
        prom,
        ksm,
        grafana,
        goldmane,
        jaeger,
      ],
    },
    level: 4,
  },
];

const declaredId: Extra = (s) => void (s.cluster.idSource = 'declared');
const derivedId: Extra = (s) => void (s.cluster.idSource = 'derived');
const nginx = dep(
  'ingress-nginx',
  'ingress-nginx-controller',
  'registry.k8s.io/ingress-nginx/controller:v1.11.2',
);
const submariner = [
  dep(
    'submariner-operator',
    'submariner-operator',
    'quay.io/submariner/submariner-operator:0.18.0',
  ),
  ds('submariner-operator', 'submariner-gateway', 'quay.io/submariner/submariner-gateway:0.18.0'),
  ds(
    'submariner-operator',
    'submariner-routeagent',
    'quay.io/submariner/submariner-route-agent:0.18.0',
  ),
];
const ciliumWg: FixtureSpec = {
  workloads: [
    ds('kube-system', 'cilium', 'quay.io/cilium/cilium:v1.16.0'),
    dep('kube-system', 'clustermesh-apiserver', 'quay.io/cilium/clustermesh-apiserver:v1.16.0'),
    nginx,
  ],
  configMaps: [
    { namespace: 'kube-system', name: 'cilium-config', data: { 'enable-wireguard': 'true' } },
  ],
};
const lbs =
  (n: number): Extra =>
  (s) => {
    for (let i = 0; i < n; i++)
      s.services.push({
        namespace: 'shop',
        name: `svc${i}`,
        type: 'LoadBalancer',
        selector: null,
        ports: [],
        externalName: null,
        loadBalancerClass: null,
        annotations: {},
      });
  };
const MULTI: Row[] = [
  { name: 'derived identity', spec: { workloads: [nginx] }, extras: [derivedId], level: 0 },
  { name: 'declared identity, no managed entry', spec: {}, extras: [declaredId], level: 1 },
  {
    name: 'LoadBalancer sprawl',
    spec: { workloads: [nginx] },
    extras: [declaredId, lbs(6)],
    level: 1,
  },
  {
    name: 'ingress controller, 5 LoadBalancers',
    spec: { workloads: [nginx] },
    extras: [declaredId, lbs(5)],
    level: 2,
  },
  {
    name: 'submariner',
    spec: { workloads: [nginx, ...submariner] },
    extras: [declaredId],
    level: 3,
  },
  { name: 'cilium clustermesh + wireguard', spec: ciliumWg, extras: [declaredId], level: 4 },
  {
    name: 'cap: partial submariner next to clustermesh',
    spec: { ...ciliumWg, workloads: [...ciliumWg.workloads!, submariner[0]!] },
    extras: [declaredId],
    level: 2,
    cappedBy: 'cap.partial-federation',
  },
];

const ingress =
  (tls: boolean): Extra =>
  (s) => {
    s.ingresses.push({
      namespace: 'shop',
      name: 'web',
      ingressClassName: 'nginx',
      annotations: {},
      rules: [{ host: 'shop.example.com', paths: [{ path: '/', service: 'web', port: 80 }] }],
      tls: tls ? [{ hosts: ['shop.example.com'], secretName: 'web-tls' }] : [],
    });
  };
const gateway: FixtureSpec['objects'] = [
  {
    list: 'gatewayApi',
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    name: 'eg',
    spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' },
  },
  {
    list: 'gatewayApi',
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    name: 'edge',
    namespace: 'shop',
    spec: {
      gatewayClassName: 'eg',
      listeners: [{ name: 'https', protocol: 'HTTPS', port: 443 }],
    },
  },
  {
    list: 'gatewayApi',
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    name: 'web',
    namespace: 'shop',
    spec: {},
  },
];
const egressGw = dep('egress', 'egress-gateway', 'quay.io/calico/egress-gateway:v3.31.0');
/** The controller that serves the `eg` GatewayClass (Envoy Gateway). */
const envoyGw = dep('envoy-gateway-system', 'envoy-gateway', 'docker.io/envoyproxy/gateway:v1.4.0');
const EDGE: Row[] = [
  { name: 'no managed entry', spec: { workloads: [calicoNode()] }, level: 0 },
  {
    name: 'ingress-nginx without TLS',
    spec: { workloads: [calicoNode(), nginx] },
    extras: [ingress(false)],
    level: 1,
  },
  {
    name: 'ingress with TLS',
    spec: { workloads: [calicoNode(), nginx] },
    extras: [ingress(true)],
    level: 2,
  },
  {
    name: 'Gateway API + egress gateway',
    spec: { workloads: [calicoNode(), nginx, egressGw, envoyGw], objects: gateway },
    extras: [ingress(true)],
    level: 3,
  },
  {
    name: 'Gateway API objects no controller serves are a left-over, not in use',
    spec: { workloads: [calicoNode(), nginx, egressGw], objects: gateway },
    extras: [ingress(true)],
    level: 2,
  },
  {
    name: '+ WireGuard',
    spec: {
      workloads: [
        calicoNode('v3.31.0', { FELIX_WIREGUARDENABLED: 'true' }),
        nginx,
        egressGw,
        envoyGw,
      ],
      objects: gateway,
    },
    extras: [ingress(true)],
    level: 4,
  },
];

const corednsReplicas =
  (n: number): Extra =>
  (s) => {
    for (const w of s.workloads) if (w.name === 'coredns') w.replicas = n;
  };
const pdbs: Extra = (s) => {
  for (const app of ['web', 'api'])
    s.podDisruptionBudgets.push({
      namespace: 'shop',
      name: app,
      minAvailable: 1,
      maxUnavailable: null,
      selector: { matchLabels: { app }, matchExpressions: [] },
    });
};
const ciliumMaglev = (kubeProxy?: string): FixtureSpec => ({
  workloads: [coredns(), ds('kube-system', 'cilium', 'quay.io/cilium/cilium:v1.16.0')],
  configMaps: [
    { namespace: 'kube-system', name: 'cilium-config', data: { 'bpf-lb-algorithm': 'maglev' } },
    ...(kubeProxy
      ? [
          {
            namespace: 'kube-system',
            name: 'kube-proxy',
            data: { 'config.conf': `mode: ${kubeProxy}\n` },
          },
        ]
      : []),
  ],
});
const RESILIENCE: Row[] = [
  { name: 'single CoreDNS', spec: { workloads: [coredns(), calicoNode()] }, level: 0 },
  {
    name: 'CoreDNS x2, single-replica apps',
    spec: { workloads: [coredns(), calicoNode()] },
    extras: [corednsReplicas(2)],
    level: 1,
  },
  {
    name: 'replicated apps with PDBs',
    spec: { workloads: [coredns(), calicoNode()] },
    extras: [corednsReplicas(2), apps(2), pdbs],
    level: 2,
  },
  {
    name: '+ Calico eBPF',
    spec: { workloads: [coredns(), calicoNode('v3.31.0', { FELIX_BPFENABLED: 'true' })] },
    extras: [corednsReplicas(2), apps(2), pdbs],
    level: 3,
  },
  {
    name: 'Cilium Maglev',
    spec: ciliumMaglev(),
    extras: [corednsReplicas(2), apps(2), pdbs],
    level: 4,
  },
  {
    name: 'cap: kube-proxy IPVS',
    spec: ciliumMaglev('ipvs'),
    extras: [corednsReplicas(2), apps(2), pdbs],
    level: 2,
    cappedBy: 'cap.ipvs-deprecated',
  },
];

const kyverno = dep('kyverno', 'kyverno-admission-controller', 'ghcr.io/kyverno/kyverno:v1.12.0');
const psa = { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } };
const argo = dep('argocd', 'argocd-server', 'quay.io/argoproj/argocd:v2.12.0');
const trivy = dep('trivy-system', 'trivy-operator', 'ghcr.io/aquasecurity/trivy-operator:0.22.0');
const falco = ds('falco', 'falco', 'docker.io/falcosecurity/falco:0.38.0');
const clusterAdmin: Extra = (s) => {
  s.roleBindings.push({
    kind: 'ClusterRoleBinding',
    namespace: null,
    name: 'ci-admin',
    roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'shop' }],
  });
};
const privileged = {
  name: 'shop',
  labels: { 'pod-security.kubernetes.io/enforce': 'privileged' },
};
const kyvernoPolicy = (
  name: string,
  rule: Record<string, unknown>,
  action: 'Enforce' | 'Audit',
  namespace?: string,
): NonNullable<FixtureSpec['objects']>[number] => ({
  list: 'customResources',
  apiVersion: 'kyverno.io/v1',
  kind: namespace ? 'Policy' : 'ClusterPolicy',
  name,
  ...(namespace ? { namespace } : {}),
  spec: { validationFailureAction: action, rules: [{ name, validate: rule }] },
});
const ownerLabelRule = { pattern: { metadata: { labels: { owner: '?*' } } } };
const podSecurityRule = { podSecurity: { level: 'restricted', version: 'latest' } };
const COMPLIANCE: Row[] = [
  { name: 'nothing', spec: {}, level: 0 },
  // Look-alikes that must fail (issue 18 item 3).
  {
    name: 'fails: PSA enforce=privileged only (no control)',
    spec: { namespaces: [privileged] },
    level: 0,
  },
  {
    name: 'fails: kyverno + PSA enforce=privileged on the app namespace',
    spec: { workloads: [kyverno], namespaces: [privileged] },
    level: 1,
  },
  {
    name: 'fails: one Kyverno owner-label policy in Enforce is not pod security',
    spec: {
      workloads: [kyverno],
      namespaces: [APP_NS],
      objects: [kyvernoPolicy('require-owner', ownerLabelRule, 'Enforce')],
    },
    level: 1,
  },
  {
    name: 'fails: a Kyverno podSecurity policy in Audit',
    spec: {
      workloads: [kyverno],
      namespaces: [APP_NS],
      objects: [kyvernoPolicy('psa-restricted', podSecurityRule, 'Audit')],
    },
    level: 1,
  },
  {
    name: 'fails: a namespaced Kyverno podSecurity Policy for another namespace',
    spec: {
      workloads: [kyverno],
      namespaces: [APP_NS, { name: 'blog', labels: {} }],
      objects: [kyvernoPolicy('psa-restricted', podSecurityRule, 'Enforce', 'blog')],
    },
    level: 1,
  },
  {
    name: 'passes: a cluster-wide Kyverno podSecurity policy in Enforce',
    spec: {
      workloads: [kyverno],
      namespaces: [APP_NS],
      objects: [kyvernoPolicy('psa-restricted', podSecurityRule, 'Enforce')],
    },
    level: 2,
  },
  { name: 'kyverno without policies, no PSA labels', spec: { workloads: [kyverno] }, level: 1 },
  {
    name: 'PSA restricted on the app namespace',
    spec: { workloads: [kyverno], namespaces: [psa] },
    level: 2,
  },
  { name: '+ Argo CD', spec: { workloads: [kyverno, argo], namespaces: [psa] }, level: 3 },
  {
    name: '+ trivy-operator + falco',
    spec: { workloads: [kyverno, argo, trivy, falco], namespaces: [psa] },
    level: 4,
  },
  {
    name: 'cap: cluster-admin for a CI service account',
    spec: { workloads: [kyverno, argo, trivy, falco], namespaces: [psa] },
    extras: [clusterAdmin],
    level: 1,
    cappedBy: 'cap.cluster-admin-sprawl',
  },
];

const TABLES: [MaturityPillarId, Row[]][] = [
  ['workload-isolation', ISOLATION],
  ['observability', OBSERVABILITY],
  ['multi-cluster', MULTI],
  ['edge-traffic', EDGE],
  ['resilience', RESILIENCE],
  ['compliance', COMPLIANCE],
];

describe.each(TABLES)('pillar %s', (pillar, rows) => {
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const r = assessMaturity({ snapshot: build(row.spec, ...(row.extras ?? [])) });
    const p = r.pillars.find((x) => x.id === pillar)!;
    const unmet = p.criteria
      .filter((c) => c.status !== 'met')
      .map((c) => `${c.id}: ${c.status} (${c.reason})`);
    // `unmet` is shown on failure, to say why a level was not reached.
    expect({ level: p.level, cappedBy: p.cappedBy, unmet }).toEqual({
      level: row.level,
      cappedBy: row.cappedBy ?? null,
      unmet: expect.any(Array),
    });
  });

  it('reaches every level 0-4 and triggers every cap of the pillar', () => {
    expect([...new Set(rows.filter((r) => !r.cappedBy).map((r) => r.level))].sort()).toEqual([
      0, 1, 2, 3, 4,
    ]);
    const caps = CAPS.filter((c) => c.pillar === pillar)
      .map((c) => c.id)
      .sort();
    expect([...new Set(rows.map((r) => r.cappedBy).filter(Boolean))].sort()).toEqual(caps);
  });
});

describe('the rubric', () => {
  it('has at least one criterion per level per pillar', () => {
    for (const [pillar] of TABLES)
      for (const level of [1, 2, 3, 4])
        expect(CRITERIA.some((c) => c.pillar === pillar && c.level === level)).toBe(true);
  });

  it('reports cluster level, score and coverage; unknown never counts as met', () => {
    const s = build({ workloads: [calicoNode()] }, replicasWebApi, isolateApiIngress);
    s.mode = 'live';
    s.collection = [
      {
        resource: 'networking.k8s.io/NetworkPolicy',
        status: 'forbidden',
        count: 0,
        message: '403',
      },
    ];
    const r = assessMaturity({ snapshot: s });
    expect(maturityResultSchema.parse(r)).toEqual(r);
    const iso = r.pillars.find((p) => p.id === 'workload-isolation')!;
    expect(iso.criteria.find((c) => c.id === 'isolation.policies-in-use')!.status).toBe('unknown');
    expect(iso.level).toBe(0);
    expect(iso.coverage).toBeLessThan(100);
    expect(r.coverage).toBeLessThan(100);
    expect(r.level).toBe(Math.min(...r.pillars.map((p) => p.level)));
    expect(r.score).toBe(Math.round((25 * r.pillars.reduce((n, p) => n + p.level, 0)) / 6));
    const unknown = r.findings.find((f) => f.source === 'isolation.policies-in-use')!;
    expect(unknown).toMatchObject({ kind: 'unknown', severity: 'info' });
  });

  it('computes what-ifs by re-running the criteria on fixed facts', () => {
    const r = assessMaturity({
      snapshot: build({ workloads: [calicoNode(), prom, ksm, grafana] }),
    });
    const obs = r.pillars.find((p) => p.id === 'observability')!;
    expect(obs.level).toBe(2);
    const flow = r.findings.find((f) => f.source === 'observability.flow-logs')!;
    expect(flow).toMatchObject({ currentLevel: 2, whatIfLevel: 3, severity: 'low', kind: 'gap' });
    const tracing = r.findings.find((f) => f.source === 'observability.tracing')!;
    expect(tracing.whatIfLevel).toBe(2); // level 3 still missing: fixing a level-4 gap alone does not help
    const comp = r.findings.find((f) => f.source === 'compliance.admission')!;
    expect(comp).toMatchObject({ currentLevel: 0, whatIfLevel: 1, severity: 'high' });
  });

  it("the level-only evaluation of a what-if gives the full evaluation's level, for every table row and every fix", () => {
    let compared = 0;
    const changed = new Set<string>();
    for (const [, rows] of TABLES)
      for (const row of rows) {
        const snapshot = build(row.spec, ...(row.extras ?? []));
        const detection = detect(snapshot);
        const facts = computeFacts(
          snapshot,
          detection,
          analyzeNetworkPolicies(snapshot, detection).result,
        );
        for (const [pillar] of TABLES) {
          const base = evaluatePillar(pillar, facts).level;
          expect(pillarLevel(pillar, facts)).toBe(base);
          for (const source of [...CRITERIA, ...CAPS]) {
            const fixed = source.fix(facts);
            const level = evaluatePillar(pillar, fixed).level;
            expect([row.name, pillar, source.id, pillarLevel(pillar, fixed)]).toEqual([
              row.name,
              pillar,
              source.id,
              level,
            ]);
            if (level !== base) changed.add(source.id);
            compared++;
          }
        }
      }
    // The comparison covers fixes that move levels, not only ones that change nothing.
    expect(changed.size).toBeGreaterThan(20);
    expect(compared).toBeGreaterThan(1000);
  });

  it('reports upgrade risks with what-ifs', () => {
    const iso = assessMaturity({
      snapshot: build({ workloads: [calicoNode('v3.32.0')] }, ...isolationFull, gnp, anp),
    });
    const anpRisk = iso.findings.find((f) => f.source === 'cap.anp-not-enforced-calico-3-32')!;
    expect(anpRisk).toMatchObject({
      kind: 'upgrade-risk',
      currentLevel: 3,
      whatIfLevel: 4,
      severity: 'high',
    });
    expect(anpRisk.remediation).toMatch(/ClusterNetworkPolicy/);
    const ipvs = assessMaturity({
      snapshot: build(ciliumMaglev('ipvs'), corednsReplicas(2), apps(2), pdbs),
    });
    expect(ipvs.findings.find((f) => f.source === 'cap.ipvs-deprecated')).toMatchObject({
      kind: 'upgrade-risk',
      currentLevel: 2,
      whatIfLevel: 4,
    });
  });

  it('is deterministic', () => {
    const s = build({ workloads: [calicoNode(), prom] }, replicasWebApi, isolateApiIngress);
    expect(JSON.stringify(assessMaturity({ snapshot: s }))).toBe(
      JSON.stringify(assessMaturity({ snapshot: structuredClone(s) })),
    );
  });
});

describe('the methodology page', () => {
  it('names every criterion and cap', () => {
    const doc = readFileSync(
      join(__dirname, '../../../docs/methodology/operational-maturity.md'),
      'utf8',
    );
    for (const c of [...CRITERIA, ...CAPS]) expect(doc).toContain(`\`${c.id}\``);
  });
});

describe('what counts and what does not', () => {
  const doc = readFileSync(
    join(__dirname, '../../../docs/methodology/operational-maturity.md'),
    'utf8',
  );
  it.each(CRITERIA.filter((c) => c.doesNotCount).map((c) => [c.id, c] as const))(
    '%s states its look-alikes in the data and in its methodology row',
    (id) => {
      const line = doc.split('\n').find((l) => l.startsWith('|') && l.includes(`\`${id}\``));
      expect(line).toMatch(/\*\*Does not count\*\*/);
    },
  );
  it('the pod-security criteria state their look-alikes', () => {
    for (const id of ['compliance.admission', 'compliance.pod-security-everywhere'])
      expect(CRITERIA.find((c) => c.id === id)!.doesNotCount).toMatch(/privileged/);
  });
});
