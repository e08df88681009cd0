/**
 * What the collector may take out of a cluster, as data. Everything not listed here is either
 * reduced to names and references or dropped. Every value kept because of these lists still
 * passes the credential check (credentials.ts) and is withheld when it fails (fail closed).
 */

/**
 * Env var values are dropped by default. A literal value is kept only when its name is on one of
 * these allowlists, its name is not sensitive (SENSITIVE_WORDS), its value has the shape the list
 * expects, and it passes the credential check. Each list names a kind of non-secret setting.
 */
/** Booleans (feature toggles, tracing flags): kept only when the value is a boolean word. */
export const ENV_BOOLEAN_NAMES: readonly RegExp[] = [
  /_ENABLED$/,
  /_DISABLED$/,
  /^ENABLE_/,
  /^DISABLE_/,
  /_TRACING(_V2|_ENABLED)?$/,
  /^OTEL_SDK_DISABLED$/,
  /^FELIX_[A-Z0-9]*ENABLED$/,
];
export const BOOLEAN_VALUE = /^(true|false|yes|no|on|off|1|0|enabled|disabled|none)$/i;
/** Endpoints: kept as URLs with any user:password and secret query parameters removed. */
export const ENV_URL_VALUES: readonly RegExp[] = [
  /_BASE_URL$/,
  /_ENDPOINT$/,
  /_API_BASE$/,
  /_PROXY_URL$/,
  /^LANGFUSE_HOST$/,
  /^OLLAMA_HOST$/,
];
/** Model names, modes and the networking settings detection reads: kept when short and plain. */
export const ENV_SETTING_NAMES: readonly RegExp[] = [
  /^FELIX_/,
  /^CALICO_/,
  /^CLUSTER_TYPE$/,
  /^OTEL_(SERVICE_NAME|TRACES_EXPORTER|METRICS_EXPORTER|LOGS_EXPORTER|TRACES_SAMPLER|TRACES_SAMPLER_ARG|EXPORTER_OTLP(_TRACES)?_PROTOCOL|PROPAGATORS|RESOURCE_ATTRIBUTES)$/,
  /_MODE$/,
  /(^|_)MODEL(_NAME|_ID)?$/,
  /^IP_AUTODETECTION_METHOD$/,
  /^DATASTORE_TYPE$/,
  /^AWS_VPC_/,
  /^WARM_/,
  /^NETWORK_POLICY_ENFORCING_MODE$/,
  /^PILOT_ENABLE_/,
  /^ISTIO_META_/,
  /^GATEWAY_/,
  /^KUBE_PROXY_/,
];
/** A plain setting value: one short token without quotes, spaces or control characters. */
export const SETTING_VALUE = /^[A-Za-z0-9._:/,=+*|@^$()[\]\\-]{0,256}$/;
/** Names that are never allowlisted, whatever else matches (headers, keys, tokens...). */
export const ENV_VALUE_DENY: readonly RegExp[] = [
  /HEADER/i,
  /KEY/i,
  /TOKEN/i,
  /SECRET/i,
  /PASS/i,
  /PWD/i,
  /CREDENTIAL/i,
  /AUTH/i,
  /COOKIE/i,
  /CERT/i,
  /PRIVATE/i,
];

/**
 * Words that make a key name sensitive wherever it appears (env var, ConfigMap key, annotation,
 * field of a custom resource): its value is dropped, whatever it looks like. A name is split into
 * words at `_ - . /` and camelCase (`dbPassword` -> db, password; `kvstore-password`).
 */
export const SENSITIVE_WORDS =
  /^(password|passwords|passwd|pwd|pass|passphrase|secret|secrets|token|tokens|credential|credentials|creds|key|keys|apikey|privatekey|accesskey|secretkey|authtoken|bearer|cookie|cookies)$/;
/** ...and words that contain such a word written together (`dbpassword`, `clientsecret`). */
export const SENSITIVE_FRAGMENT = /password|passwd|secret|credential|apikey|accesskey|privatekey/;
/**
 * A name that is only the word `key` (a selector's key, `secretKeyRef.key`) names a key, not a
 * key; in configuration and custom resources (not env), a sensitive name whose last word says it
 * is a reference or a setting (`secretName`, `tokenFile`, `keyRef`) keeps its value.
 */
export const NOT_SENSITIVE_ALONE = /^(key|keys)$/;
export const REFERENCE_LAST_WORD =
  /^(name|names|ref|refs|reference|file|path|dir|namespace|mount|type|kind)$/;

/** Pod-template, workload and namespace annotation keys that are kept. */
export const ANNOTATION_ALLOW: readonly RegExp[] = [
  /^sidecar\.istio\.io\//,
  /^proxy\.istio\.io\//,
  /^ambient\.istio\.io\//,
  /^istio\.io\//,
  /^linkerd\.io\//,
  /^config\.linkerd\.io\//,
  /^prometheus\.io\//,
  /^kubectl\.kubernetes\.io\/default-container$/,
  /^container\.apparmor\.security\.beta\.kubernetes\.io\//,
  /^seccomp\.security\.alpha\.kubernetes\.io\//,
  /^cluster-autoscaler\.kubernetes\.io\//,
  /^polaris\.fairwinds\.com\//,
  /^(.*\/)?(owner|team|contact|oncall|app\.kubernetes\.io\/owner)$/,
  /^plumbline\.io\//,
  /^spiffe\.io\//,
  /^agents?\..*\//,
  /^kagent\.dev\//,
  /^openshift\.io\/(display-name|requester)$/,
  /^argocd\.argoproj\.io\//,
  /^meta\.helm\.sh\/release-(name|namespace)$/,
  /^eks\.amazonaws\.com\/(role-arn|sts-regional-endpoints)$/,
  /^iam\.gke\.io\/gcp-service-account$/,
  /^azure\.workload\.identity\//,
  /^service\.beta\.kubernetes\.io\//,
  /^service\.kubernetes\.io\//,
  /^io\.cilium\//,
  /^service\.cilium\.io\//,
  /^federation\.tigera\.io\//,
  /^nginx\.ingress\.kubernetes\.io\/(ssl-redirect|force-ssl-redirect|backend-protocol|rewrite-target|whitelist-source-range|auth-type)$/,
];
/** Annotations that are always dropped (they can embed whole objects, including secrets). */
export const ANNOTATION_DENY: readonly RegExp[] = [
  /^kubectl\.kubernetes\.io\/last-applied-configuration$/,
  /^deployment\.kubernetes\.io\/revision$/,
];

/** Node label keys that are kept. */
export const NODE_LABEL_ALLOW: readonly RegExp[] = [
  /^kubernetes\.io\/(os|arch|hostname)$/,
  /^node\.kubernetes\.io\/instance-type$/,
  /^topology\.kubernetes\.io\/(region|zone)$/,
  /^node-role\.kubernetes\.io\//,
  /^kubernetes\.azure\.com\/cluster$/,
  /^eks\.amazonaws\.com\/nodegroup$/,
  /^cloud\.google\.com\/gke-nodepool$/,
  /^node\.openshift\.io\//,
  /^k3s\.io\//,
  /^node\.kubernetes\.io\/exclude-from-external-load-balancers$/,
];

/** ConfigMaps whose values detection needs: namespace (or * for any), name, keys (or * for all). */
export const CONFIGMAP_ALLOW: readonly { namespace: string; name: RegExp; keys: RegExp }[] = [
  { namespace: 'kube-system', name: /^kube-proxy$/, keys: /^config\.conf$/ },
  { namespace: '*', name: /^cilium-config$/, keys: /.*/ },
  { namespace: '*', name: /^kube-flannel-cfg$/, keys: /^(net-conf\.json|cni-conf\.json)$/ },
  {
    namespace: '*',
    name: /^calico-config$/,
    keys: /^(calico_backend|veth_mtu|typha_service_name|cni_network_config)$/,
  },
  {
    namespace: '*',
    name: /^canal-config$/,
    keys: /^(calico_backend|veth_mtu|masquerade|canal_iface|net-conf\.json)$/,
  },
  { namespace: 'kube-system', name: /^amazon-vpc-cni$/, keys: /.*/ },
  { namespace: '*', name: /^istio(-[a-z0-9-]+)?$/, keys: /^(mesh|meshNetworks)$/ },
  { namespace: '*', name: /^linkerd-config$/, keys: /^values$/ },
  { namespace: '*', name: /^antrea-config(-[a-z0-9]+)?$/, keys: /.*/ },
  { namespace: '*', name: /^kube-router-cfg$/, keys: /.*/ },
  { namespace: '*', name: /^kubeadm-config$/, keys: /^ClusterConfiguration$/ },
  { namespace: '*', name: /^weave-net$/, keys: /.*/ },
];

/** API groups whose objects are network policies (kept with full spec in policyObjects). */
export const POLICY_GROUPS: readonly string[] = [
  'crd.projectcalico.org',
  'projectcalico.org',
  'cilium.io',
  'crd.antrea.io',
  'policy.networking.k8s.io',
];
/** Kinds in those groups that are policies (other kinds there are configuration or state). */
export const POLICY_KINDS: readonly RegExp[] = [
  /NetworkPolicy$/,
  /^Tier$/,
  /^(Global)?NetworkSet$/,
  /^HostEndpoint$/,
  /^StagedNetworkPolicy$/,
  /^StagedGlobalNetworkPolicy$/,
  /^StagedKubernetesNetworkPolicy$/,
  /^CiliumCIDRGroup$/,
  /^ClusterGroup$/,
  /^Group$/,
  /^(Baseline)?AdminNetworkPolicy$/,
  /^ClusterNetworkPolicy$/,
  /EgressGatewayPolicy$/,
  /^EgressGateway$/,
];

/** Custom resources whose spec is kept as configuration (after the credential check). */
export const CUSTOM_RESOURCE_ALLOW: readonly { group: RegExp; kind: RegExp }[] = [
  { group: /^operator\.tigera\.io$/, kind: /.*/ },
  {
    group: /^(crd\.)?projectcalico\.org$/,
    kind: /^(FelixConfiguration|BGPConfiguration|IPPool|KubeControllersConfiguration|BGPPeer)$/,
  },
  {
    group: /^security\.istio\.io$/,
    kind: /^(PeerAuthentication|AuthorizationPolicy|RequestAuthentication)$/,
  },
  {
    group: /^networking\.istio\.io$/,
    kind: /^(Gateway|VirtualService|DestinationRule|Sidecar|ServiceEntry)$/,
  },
  { group: /^telemetry\.istio\.io$/, kind: /^Telemetry$/ },
  { group: /^install\.istio\.io$/, kind: /^IstioOperator$/ },
  { group: /^policy\.linkerd\.io$/, kind: /.*/ },
  { group: /^multicluster\.linkerd\.io$/, kind: /^Link$/ },
  { group: /^projectcalico\.org$/, kind: /^RemoteClusterConfiguration$/ },
  {
    group: /^cilium\.io$/,
    kind: /^(CiliumEnvoyConfig|CiliumClusterwideEnvoyConfig|TracingPolicy|TracingPolicyNamespaced)$/,
  },
  { group: /^(operator\.)?kubevirt\.io$/, kind: /^KubeVirt$/ },
  { group: /^linkerd\.io$/, kind: /^ServiceProfile$/ },
  { group: /^kagent\.dev$/, kind: /.*/ },
  { group: /^plumbline\.io$/, kind: /^AgentRegistration$/ },
  { group: /^spire\.spiffe\.io$/, kind: /^ClusterSPIFFEID$/ },
  { group: /^(extensions\.)?agents\.x-k8s\.io$/, kind: /.*/ },
  { group: /^core\.k8sgpt\.ai$/, kind: /^K8sGPT$/ },
  { group: /^(kyverno\.io|policies\.kyverno\.io)$/, kind: /Policy$/ },
  { group: /^templates\.gatekeeper\.sh$/, kind: /^ConstraintTemplate$/ },
  { group: /^constraints\.gatekeeper\.sh$/, kind: /.*/ },
  { group: /^config\.gatekeeper\.sh$/, kind: /^Config$/ },
  {
    group: /^monitoring\.coreos\.com$/,
    kind: /^(Prometheus|Alertmanager|ServiceMonitor|PodMonitor)$/,
  },
  { group: /^opentelemetry\.io$/, kind: /^(OpenTelemetryCollector|Instrumentation)$/ },
  { group: /^argoproj\.io$/, kind: /^(Application|AppProject|ApplicationSet)$/ },
  { group: /\.toolkit\.fluxcd\.io$/, kind: /^(Kustomization|HelmRelease|GitRepository)$/ },
  { group: /^cert-manager\.io$/, kind: /^(ClusterIssuer|Issuer)$/ },
  { group: /^metallb\.io$/, kind: /^(IPAddressPool|L2Advertisement|BGPAdvertisement|BGPPeer)$/ },
  { group: /^submariner\.io$/, kind: /^(Submariner|Broker|ServiceDiscovery)$/ },
  { group: /^leaderworkerset\.x-k8s\.io$/, kind: /^LeaderWorkerSet$/ },
  { group: /^aquasecurity\.github\.io$/, kind: /^(ClusterComplianceReport)$/ },
  { group: /^admissionregistration\.k8s\.io$/, kind: /^ValidatingAdmissionPolicy(Binding)?$/ },
];

/** Gateway API: every kind in this group is kept with its spec. */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
export const GATEWAY_API_EXPERIMENTAL_GROUP = 'gateway.networking.x-k8s.io';
