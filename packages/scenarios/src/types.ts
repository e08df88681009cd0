/** Raw Kubernetes objects as an API server would return them (plain JSON values). */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export type Provider = 'eks' | 'gke' | 'aks' | 'kind' | 'k3s';
export type Cni = 'calico' | 'cilium' | 'flannel' | 'aws-vpc-cni';
export type Mesh = 'istio' | 'linkerd' | 'none';
export type Observability = 'kube-prometheus' | 'opentelemetry' | 'none';
export type IngressStack = 'ingress-nginx' | 'gateway-api' | 'none';
export type PolicyEngine = 'kyverno' | 'gatekeeper' | 'none';
export type AgentPlatform = 'kagent' | 'none';

/** Which products the cluster runs (chosen from the seed unless given). */
export interface StackChoice {
  provider: Provider;
  cni: Cni;
  /** Cilium only: kube-proxy replaced by eBPF (no kube-proxy DaemonSet). */
  kubeProxyReplacement: boolean;
  mesh: Mesh;
  observability: Observability;
  ingress: IngressStack;
  policyEngine: PolicyEngine;
  agentPlatform: AgentPlatform;
}

export interface ScenarioOptions {
  /** Same seed, same cluster (numbers and strings both work). */
  seed: number | string;
  /** Pods in the cluster, stack included (default 200). Exact once it covers the stack's own pods. */
  pods?: number;
  /** Top-level workloads (Deployments, StatefulSets, DaemonSets, CronJobs); default 20% of pods. */
  workloads?: number;
  /** Kubernetes NetworkPolicies, default-deny ones included (default a quarter of the workloads). */
  policies?: number;
  /** KubeVirt VirtualMachines (default 0: KubeVirt is not installed). */
  vms?: number;
  /** AI agent Deployments (default 2 + 1 per 500 workloads, at most 25). */
  agents?: number;
  /** Fix some products instead of drawing them from the seed. */
  stack?: Partial<StackChoice>;
}

export interface GeneratedCluster {
  seed: string;
  stack: StackChoice;
  kubernetesVersion: string;
  /** Every object: namespaces, nodes, CRDs, workloads, their ReplicaSets and pods, and the rest. */
  objects: KubeObject[];
  counts: {
    pods: number;
    workloads: number;
    networkPolicies: number;
    namespaces: number;
    nodes: number;
    virtualMachines: number;
    agents: number;
    /** `<apiVersion>/<kind>` -> number of objects. */
    byKind: Record<string, number>;
  };
  /** Names of things tests look for: agents, the MCP server, namespaces with default-deny. */
  landmarks: {
    agents: { namespace: string; name: string; keySource: 'secretKeyRef' | 'literal' }[];
    mcpServer: { namespace: string; name: string };
    defaultDenyNamespaces: string[];
    /** Fake API keys planted as literal env values or Secret data (obviously fake). */
    fakeKeys: string[];
  };
}
