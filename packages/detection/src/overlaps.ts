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
