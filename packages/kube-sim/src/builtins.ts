/**
 * The built-in API of a recent Kubernetes release, as discovery shows it: group, versions served
 * by default, and per kind its plural name and scope. Older versions of these groups
 * (extensions/v1beta1, policy/v1beta1, ...) are served only when the input uses them.
 */

export interface BuiltinKind {
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
}

export interface BuiltinGroup {
  /** '' for the core group (served under /api). */
  group: string;
  /** Versions served by default, preferred first. */
  versions: string[];
  kinds: BuiltinKind[];
}

const ns = (kind: string, plural: string, shortNames?: string[]): BuiltinKind => ({
  kind,
  plural,
  namespaced: true,
  ...(shortNames ? { shortNames } : {}),
});
const cluster = (kind: string, plural: string, shortNames?: string[]): BuiltinKind => ({
  kind,
  plural,
  namespaced: false,
  ...(shortNames ? { shortNames } : {}),
});

export const BUILTIN_GROUPS: readonly BuiltinGroup[] = [
  {
    group: '',
    versions: ['v1'],
    kinds: [
      ns('Pod', 'pods', ['po']),
      ns('Service', 'services', ['svc']),
      cluster('Namespace', 'namespaces', ['ns']),
      cluster('Node', 'nodes', ['no']),
      ns('ConfigMap', 'configmaps', ['cm']),
      ns('Secret', 'secrets'),
      ns('ServiceAccount', 'serviceaccounts', ['sa']),
      ns('Endpoints', 'endpoints', ['ep']),
      ns('Event', 'events', ['ev']),
      ns('PersistentVolumeClaim', 'persistentvolumeclaims', ['pvc']),
      cluster('PersistentVolume', 'persistentvolumes', ['pv']),
      ns('ReplicationController', 'replicationcontrollers', ['rc']),
      ns('LimitRange', 'limitranges', ['limits']),
      ns('ResourceQuota', 'resourcequotas', ['quota']),
      ns('PodTemplate', 'podtemplates'),
    ],
  },
  {
    group: 'apps',
    versions: ['v1'],
    kinds: [
      ns('Deployment', 'deployments', ['deploy']),
      ns('DaemonSet', 'daemonsets', ['ds']),
      ns('StatefulSet', 'statefulsets', ['sts']),
      ns('ReplicaSet', 'replicasets', ['rs']),
      ns('ControllerRevision', 'controllerrevisions'),
    ],
  },
  {
    group: 'batch',
    versions: ['v1'],
    kinds: [ns('Job', 'jobs'), ns('CronJob', 'cronjobs', ['cj'])],
  },
  {
    group: 'autoscaling',
    versions: ['v2', 'v1'],
    kinds: [ns('HorizontalPodAutoscaler', 'horizontalpodautoscalers', ['hpa'])],
  },
  {
    group: 'networking.k8s.io',
    versions: ['v1'],
    kinds: [
      ns('NetworkPolicy', 'networkpolicies', ['netpol']),
      ns('Ingress', 'ingresses', ['ing']),
      cluster('IngressClass', 'ingressclasses'),
    ],
  },
  {
    group: 'policy',
    versions: ['v1'],
    kinds: [
      ns('PodDisruptionBudget', 'poddisruptionbudgets', ['pdb']),
      cluster('PodSecurityPolicy', 'podsecuritypolicies', ['psp']),
    ],
  },
  {
    group: 'rbac.authorization.k8s.io',
    versions: ['v1'],
    kinds: [
      ns('Role', 'roles'),
      ns('RoleBinding', 'rolebindings'),
      cluster('ClusterRole', 'clusterroles'),
      cluster('ClusterRoleBinding', 'clusterrolebindings'),
    ],
  },
  {
    group: 'apiextensions.k8s.io',
    versions: ['v1'],
    kinds: [cluster('CustomResourceDefinition', 'customresourcedefinitions', ['crd', 'crds'])],
  },
  {
    group: 'apiregistration.k8s.io',
    versions: ['v1'],
    kinds: [cluster('APIService', 'apiservices')],
  },
  {
    group: 'admissionregistration.k8s.io',
    versions: ['v1'],
    kinds: [
      cluster('ValidatingWebhookConfiguration', 'validatingwebhookconfigurations'),
      cluster('MutatingWebhookConfiguration', 'mutatingwebhookconfigurations'),
      cluster('ValidatingAdmissionPolicy', 'validatingadmissionpolicies'),
      cluster('ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings'),
      cluster('MutatingAdmissionPolicy', 'mutatingadmissionpolicies'),
      cluster('MutatingAdmissionPolicyBinding', 'mutatingadmissionpolicybindings'),
    ],
  },
  {
    group: 'storage.k8s.io',
    versions: ['v1'],
    kinds: [
      cluster('StorageClass', 'storageclasses', ['sc']),
      cluster('CSIDriver', 'csidrivers'),
      cluster('CSINode', 'csinodes'),
      cluster('VolumeAttachment', 'volumeattachments'),
      ns('CSIStorageCapacity', 'csistoragecapacities'),
    ],
  },
  {
    group: 'scheduling.k8s.io',
    versions: ['v1'],
    kinds: [cluster('PriorityClass', 'priorityclasses', ['pc'])],
  },
  { group: 'node.k8s.io', versions: ['v1'], kinds: [cluster('RuntimeClass', 'runtimeclasses')] },
  { group: 'coordination.k8s.io', versions: ['v1'], kinds: [ns('Lease', 'leases')] },
  { group: 'discovery.k8s.io', versions: ['v1'], kinds: [ns('EndpointSlice', 'endpointslices')] },
  {
    group: 'certificates.k8s.io',
    versions: ['v1'],
    kinds: [cluster('CertificateSigningRequest', 'certificatesigningrequests', ['csr'])],
  },
  { group: 'events.k8s.io', versions: ['v1'], kinds: [ns('Event', 'events', ['ev'])] },
  {
    group: 'flowcontrol.apiserver.k8s.io',
    versions: ['v1'],
    kinds: [
      cluster('FlowSchema', 'flowschemas'),
      cluster('PriorityLevelConfiguration', 'prioritylevelconfigurations'),
    ],
  },
  // Groups and kinds that are served only when the input uses them (old or beta APIs).
  {
    group: 'extensions',
    versions: [],
    kinds: [
      ns('Deployment', 'deployments'),
      ns('DaemonSet', 'daemonsets'),
      ns('ReplicaSet', 'replicasets'),
      ns('Ingress', 'ingresses'),
      ns('NetworkPolicy', 'networkpolicies'),
      cluster('PodSecurityPolicy', 'podsecuritypolicies'),
    ],
  },
  {
    group: 'resource.k8s.io',
    versions: [],
    kinds: [
      ns('ResourceClaim', 'resourceclaims'),
      ns('ResourceClaimTemplate', 'resourceclaimtemplates'),
      cluster('DeviceClass', 'deviceclasses'),
      cluster('ResourceSlice', 'resourceslices'),
    ],
  },
];

const BY_GROUP = new Map(BUILTIN_GROUPS.map((g) => [g.group, g]));

export function builtinGroup(group: string): BuiltinGroup | undefined {
  return BY_GROUP.get(group);
}

/** Groups no CustomResourceDefinition may claim (the built-in API and its reserved names). */
export function isBuiltinGroup(group: string): boolean {
  return (
    BY_GROUP.has(group) ||
    ['authentication.k8s.io', 'authorization.k8s.io', 'internal.apiserver.k8s.io'].includes(group)
  );
}
