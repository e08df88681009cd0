import type { ClusterSnapshot, Provider } from '@plumbline/contracts';

interface ProviderInput {
  nodes: ClusterSnapshot['nodes'];
  namespaces: ClusterSnapshot['namespaces'];
  workloads: ClusterSnapshot['workloads'];
  kubernetesVersion: string | null;
}

/** Signals in order of strength; the first provider with evidence wins. */
export function guessProvider(input: ProviderInput): { provider: Provider; evidence: string[] } {
  const found = new Map<Provider, string[]>();
  const add = (p: Provider, why: string) => found.set(p, [...(found.get(p) ?? []), why]);
  const v = input.kubernetesVersion ?? '';
  if (/-eks-/.test(v)) add('eks', `Kubernetes version ${v}`);
  if (/-gke\./.test(v)) add('gke', `Kubernetes version ${v}`);
  if (/\+k3s/.test(v)) add('k3s', `Kubernetes version ${v}`);
  if (/\+rke2/.test(v)) add('rke', `Kubernetes version ${v}`);
  for (const n of input.nodes) {
    const pid = n.providerID ?? '';
    if (n.labels['kubernetes.azure.com/cluster'] || pid.startsWith('azure://'))
      add('aks', `node ${n.name}: Azure provider`);
    if (n.labels['eks.amazonaws.com/nodegroup'])
      add('eks', `node ${n.name}: label eks.amazonaws.com/nodegroup`);
    if (n.labels['cloud.google.com/gke-nodepool'] || pid.startsWith('gce://'))
      add('gke', `node ${n.name}: GKE node pool`);
    if (pid.startsWith('k3s://') || Object.keys(n.labels).some((k) => k.startsWith('k3s.io/')))
      add('k3s', `node ${n.name}: k3s`);
    if (pid.startsWith('kind://')) add('kind', `node ${n.name}: providerID kind://`);
    if (Object.keys(n.labels).some((k) => k.startsWith('node.openshift.io/')))
      add('openshift', `node ${n.name}: OpenShift label`);
  }
  const openshiftNs = input.namespaces.filter((n) => n.name.startsWith('openshift-')).length;
  if (openshiftNs >= 2) add('openshift', `${openshiftNs} openshift-* namespaces`);
  for (const w of input.workloads) {
    if (w.namespace !== 'kube-system' || w.kind !== 'DaemonSet') continue;
    if (w.name === 'aws-node') add('eks', 'DaemonSet kube-system/aws-node (Amazon VPC CNI)');
    if (w.name === 'anetd') add('gke', 'DaemonSet kube-system/anetd (GKE Dataplane V2)');
    if (w.name === 'kindnet') add('kind', 'DaemonSet kube-system/kindnet');
  }
  const order: Provider[] = ['openshift', 'aks', 'gke', 'eks', 'k3s', 'rke', 'kind'];
  for (const p of order) {
    const evidence = found.get(p);
    if (evidence) return { provider: p, evidence };
  }
  return { provider: 'unknown', evidence: [] };
}
