import { netpolResultSchema, type DetectionResult } from '@plumbline/contracts';
import { analyzeNetworkPolicies, engineOptionsFor } from '../src/index.js';
import { cluster, np, object } from './build.js';

const detection = (
  engines: DetectionResult['network']['networkPolicy']['engines'],
  version: string | null = null,
): DetectionResult => ({
  components: engines.map((id) => ({
    id,
    name: id,
    category: 'cni',
    status: 'installed',
    version,
    confidence: 'high',
    attributes: {},
    evidence: [{ ref: `DaemonSet kube-system/${id}`, signal: 'workload' }],
  })),
  network: {
    cni: engines[0] ?? null,
    dataplane: 'iptables',
    encapsulation: 'none',
    kubeProxyMode: 'iptables',
    networkPolicy: { engines, enforced: engines.length ? true : null, reason: 'test' },
    encryption: { methods: [], reason: 'none' },
    facts: [],
  },
  overlaps: [],
});

const snapshot = () =>
  cluster({
    namespaces: { shop: {}, ops: {} },
    nodeCount: 3,
    workloads: [
      { ns: 'shop', name: 'web', replicas: 3 },
      { ns: 'shop', name: 'db', replicas: 1 },
      { ns: 'ops', name: 'agent', kind: 'DaemonSet', replicas: null },
      { ns: 'ops', name: 'node-exporter', kind: 'DaemonSet', replicas: null, hostNetwork: true },
    ],
    objects: [
      np('shop', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
      np('shop', 'web', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 8080 }] }],
      }),
      object('policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy', 'legacy', {
        priority: 5,
        subject: { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } } },
        ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
      }),
      object('cilium.io/v2', 'CiliumNetworkPolicy', 'stray', { endpointSelector: {} }, 'shop'),
    ],
  });

describe('analyzeNetworkPolicies', () => {
  it('reports replica-weighted coverage, default deny per namespace and allowed peers', () => {
    const { result } = analyzeNetworkPolicies(snapshot(), detection(['calico'], 'v3.31.2'));
    expect(netpolResultSchema.parse(result)).toEqual(result);
    // web 3 + db 1 + agent DaemonSet on 3 nodes = 7 replicas; node-exporter is host network
    expect(result.coverage).toMatchObject({
      totalReplicas: 7,
      hostNetworkReplicas: 3,
      ingress: { isolatedReplicas: 7, percent: 100 },
      egress: { isolatedReplicas: 4, percent: 57.1 },
    });
    const shop = result.namespaces.find((n) => n.name === 'shop')!;
    expect(shop.defaultDeny).toEqual({ ingress: true, egress: true });
    expect(shop.defaultDenyBy.ingress).toEqual(['NetworkPolicy shop/default-deny']);
    const ops = result.namespaces.find((n) => n.name === 'ops')!;
    expect(ops.defaultDeny).toEqual({ ingress: true, egress: false });
    expect(ops.defaultDenyBy.ingress).toEqual(['AdminNetworkPolicy legacy']);
    const web = result.workloads.find((w) => w.ref === 'shop/web[Deployment]')!;
    expect(web.ingress.allowed).toEqual([
      {
        rule: 'NetworkPolicy shop/web ingress[0]',
        peer: 'pods all in namespaces all',
        ports: 'TCP 8080',
        workloads: 3,
      },
    ]);
    // Cilium objects on a Calico cluster are counted, not evaluated
    const stray = result.objects.byKind.find((k) => k.kind === 'CiliumNetworkPolicy')!;
    expect(stray).toMatchObject({ count: 1, evaluated: 0 });
    expect(stray.reason).toMatch(/not enforced by the cluster's policy engine \(calico\)/);
  });

  it('stops evaluating AdminNetworkPolicy from Calico 3.32 and says why', () => {
    const opts = engineOptionsFor(detection(['calico'], 'v3.32.0'));
    expect(opts.families?.has('adminnetworkpolicy')).toBe(false);
    expect(opts.families?.has('clusternetworkpolicy')).toBe(true);
    const { result } = analyzeNetworkPolicies(snapshot(), detection(['calico'], 'v3.32.0'));
    const anp = result.objects.byKind.find((k) => k.kind === 'AdminNetworkPolicy')!;
    expect(anp.evaluated).toBe(0);
    expect(anp.reason).toMatch(/migrate to ClusterNetworkPolicy/);
    expect(result.namespaces.find((n) => n.name === 'ops')!.defaultDeny.ingress).toBe(false);
  });

  it('evaluates every family present when no engine is known', () => {
    const { result } = analyzeNetworkPolicies(snapshot(), null);
    expect(result.objects.evaluated).toBe(result.objects.total);
    expect(result.enforcement.enforced).toBeNull();
  });

  it('is deterministic for any order of the snapshot lists', () => {
    const a = snapshot();
    const b = snapshot();
    b.workloads.reverse();
    b.networkPolicies.reverse();
    const ra = analyzeNetworkPolicies(a, null).result;
    const rb = analyzeNetworkPolicies(b, null).result;
    expect(JSON.stringify(rb.workloads)).toBe(JSON.stringify(ra.workloads));
    expect(JSON.stringify(rb.namespaces)).toBe(JSON.stringify(ra.namespaces));
  });

  it('reports, per workload, exactly the rules the engine applies (work arrays reused, entries shared)', () => {
    const { result, engine } = analyzeNetworkPolicies(snapshot(), null);
    // A work array longer than needed, holding stale policies: only the first n count.
    const buf = [...engine.policies, ...engine.policies];
    for (const e of engine.endpoints)
      for (const d of ['ingress', 'egress'] as const) {
        const fresh = engine.applying(e, d);
        const n = engine.applyingInto(e, d, buf);
        expect(n).toBe(fresh.length);
        expect(buf.slice(0, n)).toEqual(fresh);
        // The workload's allowed entries: one per allow rule of those policies that applies.
        const w = result.workloads.find((x) => x.namespace === e.namespace && x.name === e.name)!;
        const want = e.hostNetwork
          ? []
          : fresh.flatMap((p) =>
              (p[d] ?? [])
                .filter((r) => r.action === 'allow' && (!r.appliesTo || r.appliesTo(e)))
                .map((r) => r.ref),
            );
        expect(w[d].allowed.map((a) => a.rule)).toEqual(want);
        expect(w[d].allowed.length + w[d].allowedTruncated).toBe(want.length);
        const iso = engine.isolation(e, d);
        expect(w[d].isolatedBy).toEqual(iso.by);
        expect([...iso.by].sort()).toEqual([...new Set(iso.by)].sort());
      }
    // Shared entries never leak between rules: equal refs carry equal texts.
    const byRule = new Map<string, string>();
    for (const w of result.workloads)
      for (const d of ['ingress', 'egress'] as const)
        for (const a of w[d].allowed) {
          const text = JSON.stringify(a);
          expect(byRule.get(a.rule) ?? text).toBe(text);
          byRule.set(a.rule, text);
        }
    expect(byRule.size).toBeGreaterThan(0);
  });

  it("counts Cilium's deny-everything idiom (a rule that allows nothing) as default deny, and only it", () => {
    const withCilium = (ingress: unknown[]) =>
      cluster({
        namespaces: { shop: {} },
        workloads: [{ ns: 'shop', name: 'web', replicas: 2 }],
        objects: [
          object(
            'cilium.io/v2',
            'CiliumNetworkPolicy',
            'deny',
            { endpointSelector: {}, ingress },
            'shop',
          ),
        ],
      });
    const denyOf = (ingress: unknown[]) =>
      analyzeNetworkPolicies(withCilium(ingress), detection(['cilium'])).result.namespaces.find(
        (n) => n.name === 'shop',
      )!.defaultDeny.ingress;
    expect(denyOf([{}])).toBe(true);
    expect(denyOf([{}, {}])).toBe(true);
    // Look-alikes that allow something: not a default deny.
    expect(denyOf([{ fromEndpoints: [{}] }])).toBe(false);
    expect(denyOf([{ fromEntities: ['world'] }])).toBe(false);
    expect(denyOf([{}, { toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }])).toBe(false);
  });
});
