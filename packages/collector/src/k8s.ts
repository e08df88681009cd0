/** Small, defensive readers over untyped Kubernetes objects (input is never trusted). */

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
}
export function bool(v: unknown): boolean | null {
  return typeof v === 'boolean' ? v : null;
}
export function int(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) ? v : null;
}
export function intOrString(v: unknown): number | string | null {
  return typeof v === 'number' && Number.isInteger(v) ? v : typeof v === 'string' ? v : null;
}
export function strings(v: unknown): string[] {
  return arr(v)
    .map(str)
    .filter((s): s is string => s !== null);
}
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) {
    const s = str(val);
    if (s !== null) out[k] = s;
  }
  return out;
}

/** `apps/v1` -> `apps`, `v1` -> `core`. */
export function apiGroup(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? 'core' : apiVersion.slice(0, i);
}

/** Codepoint comparison: the same order in every locale. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortRecord<T>(r: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(r).sort(cmp)) out[k] = r[k]!;
  return out;
}

/** Kinds that live outside namespaces (for defaulting a missing metadata.namespace). */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'APIService',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'IngressClass',
  'GatewayClass',
  'PriorityClass',
  'StorageClass',
  'RuntimeClass',
  'CSIDriver',
  'Tier',
  'HostEndpoint',
  'FelixConfiguration',
  'BGPConfiguration',
  'BGPPeer',
  'IPPool',
  'KubeControllersConfiguration',
  'Installation',
  'APIServer',
  'Goldmane',
  'Whisker',
  'ClusterIssuer',
  'ConstraintTemplate',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
  'ClusterGroup',
  'ClusterComplianceReport',
  'ClusterPolicy',
  'CiliumCIDRGroup',
]);

export function isClusterScoped(group: string, kind: string): boolean {
  return (
    CLUSTER_SCOPED.has(kind) ||
    /^(Cluster|Global)|Clusterwide/.test(kind) ||
    group === 'constraints.gatekeeper.sh'
  );
}
