import type { ComponentId, DetectionResult, Seam, Tool } from '@plumbline/contracts';

/**
 * Which detected components are tools of the DIY networking/security stack, grouped into
 * products (a product from one vendor counts once), each in a layer. Seams are the integration
 * points between products: between layers that must work together, and between two products
 * doing the same job. Plumbline's model, documented in docs/methodology/integration-tax.md.
 */

export type Layer =
  | 'network'
  | 'network-policy'
  | 'service-mesh'
  | 'observability'
  | 'threat-detection'
  | 'compliance'
  | 'ingress'
  | 'multi-cluster'
  | 'identity';

interface Product {
  id: string;
  name: string;
  layer: Layer;
  components: readonly ComponentId[];
}

export const PRODUCTS: readonly Product[] = [
  {
    id: 'calico',
    name: 'Calico',
    layer: 'network',
    components: ['calico', 'canal', 'calico-goldmane', 'calico-whisker', 'calico-federation'],
  },
  {
    id: 'cilium',
    name: 'Cilium',
    layer: 'network',
    components: ['cilium', 'hubble', 'cilium-service-mesh', 'cilium-clustermesh'],
  },
  { id: 'flannel', name: 'Flannel', layer: 'network', components: ['flannel'] },
  { id: 'weave-net', name: 'Weave Net', layer: 'network', components: ['weave-net'] },
  {
    id: 'antrea',
    name: 'Antrea',
    layer: 'network',
    components: ['antrea', 'antrea-flow-aggregator'],
  },
  { id: 'kube-router', name: 'kube-router', layer: 'network', components: ['kube-router'] },
  { id: 'aws-vpc-cni', name: 'Amazon VPC CNI', layer: 'network', components: ['aws-vpc-cni'] },
  { id: 'azure-cni', name: 'Azure CNI', layer: 'network', components: ['azure-cni'] },
  { id: 'kindnet', name: 'kindnet', layer: 'network', components: ['kindnet'] },
  {
    id: 'istio',
    name: 'Istio',
    layer: 'service-mesh',
    components: [
      'istio',
      'istio-ingress-gateway',
      'istio-egress-gateway',
      'istio-multicluster',
      'kiali',
    ],
  },
  {
    id: 'linkerd',
    name: 'Linkerd',
    layer: 'service-mesh',
    components: ['linkerd', 'linkerd-multicluster'],
  },
  { id: 'consul', name: 'Consul', layer: 'service-mesh', components: ['consul'] },
  {
    id: 'prometheus',
    name: 'Prometheus stack',
    layer: 'observability',
    components: ['prometheus-operator', 'prometheus', 'kube-state-metrics', 'node-exporter'],
  },
  {
    id: 'grafana',
    name: 'Grafana stack',
    layer: 'observability',
    components: ['grafana', 'loki', 'tempo'],
  },
  { id: 'jaeger', name: 'Jaeger', layer: 'observability', components: ['jaeger'] },
  { id: 'zipkin', name: 'Zipkin', layer: 'observability', components: ['zipkin'] },
  {
    id: 'opentelemetry',
    name: 'OpenTelemetry Collector',
    layer: 'observability',
    components: ['opentelemetry-collector'],
  },
  { id: 'datadog', name: 'Datadog', layer: 'observability', components: ['datadog-agent'] },
  { id: 'newrelic', name: 'New Relic', layer: 'observability', components: ['newrelic-agent'] },
  { id: 'dynatrace', name: 'Dynatrace', layer: 'observability', components: ['dynatrace-agent'] },
  { id: 'falco', name: 'Falco', layer: 'threat-detection', components: ['falco'] },
  { id: 'tetragon', name: 'Tetragon', layer: 'threat-detection', components: ['tetragon'] },
  { id: 'neuvector', name: 'NeuVector', layer: 'threat-detection', components: ['neuvector'] },
  { id: 'sysdig', name: 'Sysdig', layer: 'threat-detection', components: ['sysdig'] },
  { id: 'kyverno', name: 'Kyverno', layer: 'compliance', components: ['kyverno'] },
  { id: 'gatekeeper', name: 'OPA Gatekeeper', layer: 'compliance', components: ['gatekeeper'] },
  { id: 'kube-bench', name: 'kube-bench', layer: 'compliance', components: ['kube-bench'] },
  {
    id: 'trivy-operator',
    name: 'Trivy Operator',
    layer: 'compliance',
    components: ['trivy-operator'],
  },
  { id: 'kubescape', name: 'Kubescape', layer: 'compliance', components: ['kubescape'] },
  { id: 'polaris', name: 'Polaris', layer: 'compliance', components: ['polaris'] },
  { id: 'ingress-nginx', name: 'ingress-nginx', layer: 'ingress', components: ['ingress-nginx'] },
  { id: 'traefik', name: 'Traefik', layer: 'ingress', components: ['traefik'] },
  { id: 'metallb', name: 'MetalLB', layer: 'ingress', components: ['metallb'] },
  { id: 'submariner', name: 'Submariner', layer: 'multi-cluster', components: ['submariner'] },
  { id: 'cert-manager', name: 'cert-manager', layer: 'identity', components: ['cert-manager'] },
  { id: 'spire', name: 'SPIRE', layer: 'identity', components: ['spire'] },
];

/** Layers whose products must integrate with each other (each pair is a seam). */
export const INTEGRATIONS: readonly (readonly [Layer, Layer, string])[] = [
  ['network', 'network-policy', 'policy engine programs the CNI dataplane'],
  ['network', 'service-mesh', 'mesh traffic redirection on top of the CNI'],
  ['network', 'observability', 'network flows and dataplane metrics'],
  ['network', 'ingress', 'load balancer and ingress traffic into the pod network'],
  ['network', 'multi-cluster', 'cross-cluster routing over the CNI'],
  ['network', 'threat-detection', 'runtime events correlated with network identity'],
  ['service-mesh', 'observability', 'mesh telemetry and traces'],
  ['service-mesh', 'ingress', 'edge traffic handed to the mesh'],
  ['service-mesh', 'identity', 'workload certificates for mTLS'],
  ['service-mesh', 'multi-cluster', 'cross-cluster service discovery'],
  ['threat-detection', 'observability', 'alerts into the monitoring pipeline'],
  ['compliance', 'observability', 'policy reports and audit evidence'],
  ['compliance', 'network-policy', 'admission policy and network policy kept consistent'],
  ['ingress', 'identity', 'certificates for ingress TLS'],
];

export interface ToolSet {
  tools: Tool[];
  seams: Seam[];
}

/** One detection's products with the components that matched, and whether Calico is policy-only. */
interface DetectionHits {
  products: { product: Product; hits: readonly string[] }[];
  policyOnly: boolean;
}

/**
 * Each detection's hits, computed once per detection object: a fleet's tax prices the fleet
 * minus each cluster in turn, which reads every other cluster's detection again.
 */
const hitsCache = new WeakMap<DetectionResult, DetectionHits>();

function hitsOf(d: DetectionResult): DetectionHits {
  const cached = hitsCache.get(d);
  if (cached) return cached;
  const present = new Set(d.components.filter((c) => c.status !== 'remnant').map((c) => c.id));
  const products: DetectionHits['products'] = [];
  for (const product of PRODUCTS) {
    const hits = product.components.filter((c) => present.has(c));
    if (hits.length) products.push({ product, hits });
  }
  const out = {
    products,
    policyOnly: d.components.some(
      (c) => c.id === 'calico' && c.attributes.install === 'policy-only',
    ),
  };
  hitsCache.set(d, out);
  return out;
}

/** The products one detection contributes (ids, catalogue order) and whether Calico is policy-only. */
export function productsOf(d: DetectionResult): { ids: readonly string[]; policyOnly: boolean } {
  const found = hitsOf(d);
  return { ids: found.products.map((p) => p.product.id), policyOnly: found.policyOnly };
}

/** Products of one or more clusters' detections (a fleet counts each product once). */
export function toolsOf(detections: readonly DetectionResult[]): ToolSet {
  const byProduct = new Map<
    string,
    { product: Product; clusters: number; components: Set<string> }
  >();
  let policyOnly = false;
  for (const d of detections) {
    const found = hitsOf(d);
    policyOnly ||= found.policyOnly;
    for (const { product, hits } of found.products) {
      const entry = byProduct.get(product.id) ?? {
        product,
        clusters: 0,
        components: new Set<string>(),
      };
      entry.clusters++;
      for (const h of hits) entry.components.add(h);
      byProduct.set(product.id, entry);
    }
  }
  const tools: Tool[] = [...byProduct.values()]
    .map(({ product, clusters, components }) => ({
      id: product.id,
      name: product.name,
      layer:
        product.id === 'calico' && policyOnly && byProduct.size > 1
          ? 'network-policy'
          : product.layer,
      components: [...components].sort(),
      clusters,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));

  const seams: Seam[] = [];
  for (let i = 0; i < tools.length; i++) {
    for (let j = i + 1; j < tools.length; j++) {
      const a = tools[i]!;
      const b = tools[j]!;
      if (a.layer === b.layer) {
        seams.push({
          tools: [a.id, b.id],
          reason: `two ${a.layer} products to keep working together`,
        });
        continue;
      }
      const link = INTEGRATIONS.find(
        ([x, y]) => (x === a.layer && y === b.layer) || (x === b.layer && y === a.layer),
      );
      if (link) seams.push({ tools: [a.id, b.id], reason: link[2] });
    }
  }
  return { tools, seams };
}
