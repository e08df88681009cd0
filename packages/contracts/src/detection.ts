import { z } from 'zod';

/**
 * What detection reports about a cluster's networking, security and observability stack.
 * Produced by packages/detection from a ClusterSnapshot; part of the AnalysisResult.
 */

export const COMPONENT_CATEGORIES = [
  'cni',
  'service-mesh',
  'observability',
  'threat-detection',
  'policy-compliance',
  'ingress-gateway',
  'load-balancer',
  'egress',
  'multi-cluster',
  'gitops',
  'identity',
  'virtualization',
  'ai-serving',
  'ai-agents',
] as const;
export type ComponentCategory = (typeof COMPONENT_CATEGORIES)[number];

/** Every component detection knows, by stable id. */
export const COMPONENT_IDS = [
  // CNI (pod network); the policy engine is reported separately in `networkPolicy`
  'calico',
  'canal',
  'cilium',
  'flannel',
  'weave-net',
  'antrea',
  'kube-router',
  'aws-vpc-cni',
  'azure-cni',
  'kindnet',
  // service mesh
  'istio',
  'linkerd',
  'cilium-service-mesh',
  'consul',
  // observability
  'prometheus-operator',
  'prometheus',
  'grafana',
  'loki',
  'jaeger',
  'tempo',
  'zipkin',
  'opentelemetry-collector',
  'hubble',
  'calico-goldmane',
  'calico-whisker',
  'antrea-flow-aggregator',
  'kiali',
  'kube-state-metrics',
  'node-exporter',
  'datadog-agent',
  'newrelic-agent',
  'dynatrace-agent',
  // threat detection
  'falco',
  'tetragon',
  'neuvector',
  'sysdig',
  // policy and compliance
  'kyverno',
  'gatekeeper',
  'validating-admission-policy',
  'pod-security-admission',
  'kube-bench',
  'trivy-operator',
  'kubescape',
  'polaris',
  // ingress, gateways, load balancers
  'ingress-nginx',
  'traefik',
  'istio-ingress-gateway',
  'gateway-api',
  'metallb',
  'cloud-load-balancer',
  // egress
  'istio-egress-gateway',
  'egress-gateway',
  // multi-cluster
  'submariner',
  'cilium-clustermesh',
  'calico-federation',
  'linkerd-multicluster',
  'istio-multicluster',
  // gitops and identity
  'argo-cd',
  'flux',
  'cert-manager',
  'spire',
  // virtualization
  'kubevirt',
  // AI serving and agent platforms
  'vllm',
  'ollama',
  'sglang',
  'llama-cpp',
  'leaderworkerset',
  'kagent',
  'k8sgpt-operator',
  'agent-sandbox',
] as const;
export type ComponentId = (typeof COMPONENT_IDS)[number];

export const evidenceSchema = z
  .object({
    /** e.g. `DaemonSet kube-system/calico-node`, `CRD felixconfigurations.crd.projectcalico.org`,
     *  `env FELIX_BPFENABLED=true on DaemonSet kube-system/calico-node`. */
    ref: z.string(),
    /** What the signal is: workload, image, crd, api-service, webhook, namespace, label, config, object. */
    signal: z.string(),
  })
  .strict();
export type Evidence = z.infer<typeof evidenceSchema>;

export const detectedComponentSchema = z
  .object({
    id: z.enum(COMPONENT_IDS),
    name: z.string(),
    category: z.enum(COMPONENT_CATEGORIES),
    /** installed: a running workload; partial: some expected parts missing; remnant: only API
     *  objects (CRDs, webhooks...) without any workload. */
    status: z.enum(['installed', 'partial', 'remnant']),
    version: z.string().nullable(),
    confidence: z.enum(['high', 'medium', 'low']),
    /** Variant details, e.g. { install: 'operator' }, { mode: 'ambient' }. */
    attributes: z.record(z.string(), z.union([z.string(), z.boolean(), z.number()])),
    evidence: z.array(evidenceSchema),
  })
  .strict();
export type DetectedComponent = z.infer<typeof detectedComponentSchema>;

export const DATAPLANES = [
  'iptables',
  'ebpf',
  'nftables',
  'ipvs',
  'ovs',
  'vpc-native',
  'unknown',
] as const;
export const ENCAPSULATIONS = ['ipip', 'vxlan', 'geneve', 'none', 'unknown'] as const;

export const networkFactsSchema = z
  .object({
    cni: z.enum(COMPONENT_IDS).nullable(),
    dataplane: z.enum(DATAPLANES),
    encapsulation: z.enum(ENCAPSULATIONS),
    kubeProxyMode: z.enum(['iptables', 'ipvs', 'nftables', 'replaced', 'unknown']),
    networkPolicy: z
      .object({
        /** Components that enforce Kubernetes NetworkPolicy (L3/L4). */
        engines: z.array(z.enum(COMPONENT_IDS)),
        /** true: some engine enforces; false: none does (policies are decoration); null: unknown. */
        enforced: z.boolean().nullable(),
        reason: z.string(),
      })
      .strict(),
    encryption: z
      .object({
        methods: z.array(z.enum(['wireguard', 'ipsec', 'mesh-mtls'])),
        reason: z.string(),
      })
      .strict(),
    facts: z.array(evidenceSchema),
  })
  .strict();
export type NetworkFacts = z.infer<typeof networkFactsSchema>;

export const overlapSchema = z
  .object({
    /** e.g. `l3l4-policy`, `l7-policy`, `metrics`, `tracing`, `ingress`, `admission-policy`. */
    capability: z.string(),
    components: z.array(z.enum(COMPONENT_IDS)).min(2),
    detail: z.string(),
  })
  .strict();
export type Overlap = z.infer<typeof overlapSchema>;

export const detectionResultSchema = z
  .object({
    components: z.array(detectedComponentSchema),
    network: networkFactsSchema,
    overlaps: z.array(overlapSchema),
  })
  .strict();
export type DetectionResult = z.infer<typeof detectionResultSchema>;
