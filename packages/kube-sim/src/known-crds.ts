/**
 * Scopes of well-known custom resources, taken from their upstream CRDs, for `inferCrds` when
 * the input holds custom resources without their CRD. Kinds not listed here are namespaced
 * unless an object of the kind names no namespace and the kind says it is cluster-wide.
 */
const CLUSTER_SCOPED: Record<string, readonly string[]> = {
  'operator.tigera.io': [
    'Installation',
    'APIServer',
    'Goldmane',
    'Whisker',
    'TigeraStatus',
    'ImageSet',
    'ManagementClusterConnection',
  ],
  'projectcalico.org': [
    'GlobalNetworkPolicy',
    'GlobalNetworkSet',
    'StagedGlobalNetworkPolicy',
    'HostEndpoint',
    'Tier',
    'FelixConfiguration',
    'BGPConfiguration',
    'BGPPeer',
    'BGPFilter',
    'IPPool',
    'IPReservation',
    'ClusterInformation',
    'KubeControllersConfiguration',
    'Profile',
  ],
  'crd.projectcalico.org': [
    'GlobalNetworkPolicy',
    'GlobalNetworkSet',
    'StagedGlobalNetworkPolicy',
    'HostEndpoint',
    'Tier',
    'FelixConfiguration',
    'BGPConfiguration',
    'BGPPeer',
    'BGPFilter',
    'IPPool',
    'IPReservation',
    'ClusterInformation',
    'KubeControllersConfiguration',
    'BlockAffinity',
    'IPAMBlock',
    'IPAMConfig',
    'IPAMHandle',
  ],
  'cilium.io': [
    'CiliumClusterwideNetworkPolicy',
    'CiliumClusterwideEnvoyConfig',
    'CiliumCIDRGroup',
    'CiliumIdentity',
    'CiliumNode',
    'CiliumExternalWorkload',
    'CiliumLoadBalancerIPPool',
    'CiliumBGPClusterConfig',
    'CiliumBGPPeerConfig',
    'CiliumBGPAdvertisement',
    'CiliumL2AnnouncementPolicy',
    'CiliumPodIPPool',
  ],
  'policy.networking.k8s.io': [
    'AdminNetworkPolicy',
    'BaselineAdminNetworkPolicy',
    'ClusterNetworkPolicy',
  ],
  'gateway.networking.k8s.io': ['GatewayClass'],
  'kyverno.io': [
    'ClusterPolicy',
    'ClusterCleanupPolicy',
    'ClusterPolicyReport',
    'ClusterBackgroundScanReport',
  ],
  'policies.kyverno.io': [
    'ValidatingPolicy',
    'ImageValidatingPolicy',
    'GeneratingPolicy',
    'MutatingPolicy',
    'DeletingPolicy',
  ],
  'templates.gatekeeper.sh': ['ConstraintTemplate'],
  'instancetype.kubevirt.io': [
    'VirtualMachineClusterInstancetype',
    'VirtualMachineClusterPreference',
  ],
  'migrations.kubevirt.io': ['MigrationPolicy'],
  'cert-manager.io': ['ClusterIssuer'],
  'aquasecurity.github.io': [
    'ClusterComplianceReport',
    'ClusterConfigAuditReport',
    'ClusterRbacAssessmentReport',
    'ClusterVulnerabilityReport',
    'ClusterInfraAssessmentReport',
    'ClusterSbomReport',
  ],
  'networking.istio.io': [],
  'security.istio.io': [],
  'metallb.io': [],
};

/** Every kind of these groups is cluster-scoped (Gatekeeper constraints). */
const CLUSTER_SCOPED_GROUPS = new Set(['constraints.gatekeeper.sh']);

export function knownScope(group: string, kind: string): 'Cluster' | 'Namespaced' | null {
  if (CLUSTER_SCOPED_GROUPS.has(group)) return 'Cluster';
  const kinds = CLUSTER_SCOPED[group];
  if (!kinds) return null;
  return kinds.includes(kind) ? 'Cluster' : 'Namespaced';
}
