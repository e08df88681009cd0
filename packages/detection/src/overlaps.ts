import type {
  ClusterSnapshot,
  ComponentId,
  DetectedComponent,
  NetworkFacts,
  Overlap,
} from '@plumbline/contracts';

/**
 * Overlaps: more than one component doing the same job. Each is a seam in the stack (the cost
 * model prices them) and often a source of conflicting behaviour.
 */

const GROUPS: readonly { capability: string; ids: readonly ComponentId[]; detail: string }[] = [
  {
    capability: 'service-mesh',
    ids: ['istio', 'linkerd', 'cilium-service-mesh', 'consul'],
    detail: 'more than one service mesh',
  },
  {
    capability: 'metrics',
    ids: ['prometheus', 'datadog-agent', 'newrelic-agent', 'dynatrace-agent'],
    detail: 'more than one metrics platform',
  },
  {
    capability: 'tracing',
    ids: ['jaeger', 'zipkin', 'tempo'],
    detail: 'more than one tracing backend',
  },
  {
    capability: 'flow-visibility',
    ids: ['hubble', 'calico-goldmane', 'antrea-flow-aggregator'],
    detail: 'more than one network flow pipeline',
  },
  {
    capability: 'admission-policy',
    ids: ['kyverno', 'gatekeeper', 'validating-admission-policy', 'polaris'],
    detail: 'more than one admission policy engine',
  },
  {
    capability: 'threat-detection',
    ids: ['falco', 'tetragon', 'neuvector', 'sysdig'],
    detail: 'more than one runtime threat detector',
  },
  {
    capability: 'ingress',
    ids: ['ingress-nginx', 'traefik', 'istio-ingress-gateway'],
    detail: 'more than one ingress controller',
  },
  { capability: 'gitops', ids: ['argo-cd', 'flux'], detail: 'more than one GitOps controller' },
];

const L7_KEYS = /"(http|kafka|dns|l7|l7Rules|l7Proto)"\s*:/;

function l7Namespaces(
  snapshot: ClusterSnapshot,
  pick: (apiVersion: string, kind: string) => boolean,
): Set<string> {
  const out = new Set<string>();
  for (const o of [...snapshot.policyObjects, ...snapshot.config.customResources]) {
    if (!pick(o.apiVersion, o.kind)) continue;
    if (o.kind === 'AuthorizationPolicy' || L7_KEYS.test(JSON.stringify(o.spec)))
      out.add(o.namespace ?? '*');
  }
  return out;
}

type Sel = { matchLabels?: Record<string, unknown>; matchExpressions?: unknown[] };

/** Cilium selectors may prefix keys with their source (`k8s:app`, `any:app`). */
const ciliumKey = (k: string) => k.replace(/^(k8s|any):/, '');

function selects(
  sel: Sel | null | undefined,
  labels: Record<string, string>,
  cilium: boolean,
): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    const key = cilium ? ciliumKey(k) : k;
    if (key === 'io.kubernetes.pod.namespace') continue;
    if (labels[key] !== String(v)) return false;
  }
  for (const e of (sel.matchExpressions ?? []) as {
    key?: string;
    operator?: string;
    values?: string[];
  }[]) {
    const key = cilium ? ciliumKey(e.key ?? '') : (e.key ?? '');
    const v = labels[key];
    const vals = e.values ?? [];
    if (e.operator === 'In' && (v === undefined || !vals.includes(v))) return false;
    if (e.operator === 'NotIn' && v !== undefined && vals.includes(v)) return false;
    if (e.operator === 'Exists' && v === undefined) return false;
    if (e.operator === 'DoesNotExist' && v !== undefined) return false;
  }
  return true;
}

/**
 * Workloads that a Cilium policy (L3/L4 or L7; CiliumNetworkPolicy in their namespace or a
 * CiliumClusterwideNetworkPolicy) and an Istio AuthorizationPolicy (in their namespace, or in the
 * root namespace istio-system, which applies mesh-wide) both select.
 */
function l4AndMeshPolicy(snapshot: ClusterSnapshot): string[] {
  const all = [...snapshot.policyObjects, ...snapshot.config.customResources];
  const cnps = all.filter(
    (o) => /^cilium\.io\//.test(o.apiVersion) && /^Cilium(Clusterwide)?NetworkPolicy$/.test(o.kind),
  );
  const authz = all.filter(
    (o) => /^security\.istio\.io\//.test(o.apiVersion) && o.kind === 'AuthorizationPolicy',
  );
  if (!cnps.length || !authz.length) return [];
  const spec = (o: { spec: unknown }) => (o.spec ?? {}) as Record<string, unknown>;
  const cnpSelectors = cnps.flatMap((o) => {
    const sp = spec(o);
    const parts = [sp, ...(Array.isArray(sp.specs) ? (sp.specs as Record<string, unknown>[]) : [])];
    return parts
      .filter((p) => p.endpointSelector !== undefined)
      .map((p) => ({
        ns: o.kind === 'CiliumNetworkPolicy' ? o.namespace : null,
        sel: p.endpointSelector as Sel,
      }));
  });
  const out: string[] = [];
  for (const w of snapshot.workloads) {
    const l = w.podLabels;
    const byCilium = cnpSelectors.some(
      (c) => (c.ns === null || c.ns === w.namespace) && selects(c.sel, l, true),
    );
    if (!byCilium) continue;
    const byIstio = authz.some(
      (a) =>
        (a.namespace === w.namespace || a.namespace === 'istio-system') &&
        selects(spec(a).selector as Sel | undefined, l, false),
    );
    if (byIstio) out.push(`${w.namespace}/${w.name}`);
  }
  return out.sort();
}

export function findOverlaps(
  snapshot: ClusterSnapshot,
  components: DetectedComponent[],
  network: NetworkFacts,
): Overlap[] {
  const live = new Set(components.filter((c) => c.status !== 'remnant').map((c) => c.id));
  const out: Overlap[] = [];

  const routing = components.filter(
    (c) =>
      c.category === 'cni' &&
      c.status !== 'remnant' &&
      !(c.id === 'calico' && c.attributes.install === 'policy-only'),
  );
  if (routing.length >= 2) {
    out.push({
      capability: 'pod-network',
      components: routing.map((c) => c.id),
      detail: 'more than one CNI routes pod traffic',
    });
  }
  if (network.networkPolicy.engines.length >= 2) {
    out.push({
      capability: 'l3l4-policy',
      components: [...network.networkPolicy.engines],
      detail: `${network.networkPolicy.engines.join(' and ')} both enforce L3/L4 policy`,
    });
  }
  // L7: a mesh and the CNI both enforcing HTTP-level rules on the same namespaces.
  const meshL7 = l7Namespaces(
    snapshot,
    (v, k) =>
      /security\.istio\.io|policy\.linkerd\.io/.test(v) && /AuthorizationPolicy|HTTPRoute/.test(k),
  );
  const cniL7 = l7Namespaces(snapshot, (v) =>
    /cilium\.io|projectcalico\.org|crd\.antrea\.io/.test(v),
  );
  const both = [...meshL7].filter((ns) => cniL7.has(ns) || cniL7.has('*') || ns === '*');
  if (meshL7.size && cniL7.size && both.length) {
    const mesh = (['istio', 'linkerd'] as const).filter((id) => live.has(id));
    const cni = (['cilium', 'calico', 'antrea'] as const).filter((id) => live.has(id));
    if (mesh.length && cni.length) {
      out.push({
        capability: 'l7-policy',
        components: [...mesh, ...cni],
        detail: `mesh and CNI both enforce L7 rules in namespaces ${both.sort().join(', ')}`,
      });
    }
  }
  const both4 = l4AndMeshPolicy(snapshot);
  if (both4.length && live.has('istio') && live.has('cilium')) {
    out.push({
      capability: 'workload-policy',
      components: ['cilium', 'istio'],
      detail: `CiliumNetworkPolicy and Istio AuthorizationPolicy both select ${both4.length} workload${both4.length === 1 ? '' : 's'} (${both4.slice(0, 5).join(', ')}${both4.length > 5 ? ', ...' : ''}): two policy layers decide their traffic`,
    });
  }
  if (network.encryption.methods.length >= 2) {
    const ids = components
      .filter(
        (c) =>
          c.status !== 'remnant' &&
          ['istio', 'linkerd', 'calico', 'cilium', 'weave-net', 'flannel'].includes(c.id),
      )
      .map((c) => c.id);
    if (ids.length >= 2) {
      out.push({
        capability: 'encryption',
        components: ids,
        detail: `traffic encrypted twice: ${network.encryption.methods.join(' and ')}`,
      });
    }
  }
  for (const g of GROUPS) {
    const ids = g.ids.filter((id) => live.has(id));
    if (ids.length >= 2) out.push({ capability: g.capability, components: ids, detail: g.detail });
  }
  return out;
}
