import { z } from 'zod';

/**
 * ClusterSnapshot: everything the scanner takes out of a cluster, and nothing else.
 *
 * Versioned by `schemaVersion`. Secret values never appear: env vars keep names and the source of
 * their value; literal values are kept only for allowlisted, non-credential names. The collector
 * (packages/collector) builds it from a live cluster or from manifest files; the API validates
 * every upload against it; `plumbline-scanner scan --dry-run` prints its fields.
 */
export const SNAPSHOT_SCHEMA_VERSION = 1 as const;

const name = z.string().min(1).max(253);
const namespace = z.string().min(1).max(253);
const labels = z.record(z.string(), z.string());
const json = z.json();

export const PROVIDERS = [
  'eks',
  'gke',
  'aks',
  'openshift',
  'k3s',
  'rke',
  'kind',
  'unknown',
] as const;
export type Provider = (typeof PROVIDERS)[number];

export const clusterIdentitySchema = z
  .object({
    name,
    /** kube-system namespace UID (live), `--cluster-id` (declared), or a hash of the name (derived). */
    id: z.string().min(1).max(128),
    idSource: z.enum(['kube-system-uid', 'declared', 'derived']),
    kubernetesVersion: z.string().max(64).nullable(),
    provider: z.enum(PROVIDERS),
    /** Why the provider was guessed, e.g. `node label kubernetes.azure.com/cluster`. */
    providerEvidence: z.array(z.string()),
    nodeCount: z.number().int().nonnegative().nullable(),
    nodeCountSource: z.enum(['observed', 'declared', 'unknown']),
  })
  .strict();

export const nodeSchema = z
  .object({
    name,
    /** Only allowlisted label keys (topology, instance type, OS, provider markers). */
    labels,
    kubeletVersion: z.string().nullable(),
    kernelVersion: z.string().nullable(),
    osImage: z.string().nullable(),
    containerRuntimeVersion: z.string().nullable(),
    providerID: z.string().nullable(),
  })
  .strict();

export const namespaceSchema = z
  .object({ name, uid: z.string().nullable(), labels, annotations: labels })
  .strict();

const literalEnv = z
  .object({
    name: z.string(),
    source: z.literal('literal'),
    /** Present only when the name is allowlisted (toggles, endpoints, model names, networking
     *  settings), not sensitive, of the expected shape, and passed the credential check. */
    value: z.string().optional(),
    /** The value matched a credential pattern (sk-, AKIA, AIza, eyJ, ghp_, xox?-, high entropy). */
    looksLikeCredential: z.boolean(),
    /** HMAC-SHA256 of the value under the installation's fingerprint key (`--fingerprint-key-file`,
     *  a Secret in the cluster) or, without one, a key generated per scan and discarded: equal
     *  values have equal fingerprints across scans of one installation (or within one snapshot);
     *  nothing else can be learnt. Null for empty values. */
    fingerprint: z.string().nullable(),
  })
  .strict();
export const envVarSchema = z.discriminatedUnion('source', [
  literalEnv,
  z
    .object({
      name: z.string(),
      source: z.literal('secretKeyRef'),
      secretName: z.string(),
      key: z.string(),
    })
    .strict(),
  z
    .object({
      name: z.string(),
      source: z.literal('configMapKeyRef'),
      configMapName: z.string(),
      key: z.string(),
    })
    .strict(),
  z.object({ name: z.string(), source: z.literal('fieldRef'), fieldPath: z.string() }).strict(),
  z
    .object({ name: z.string(), source: z.literal('resourceFieldRef'), resource: z.string() })
    .strict(),
]);
export type EnvVar = z.infer<typeof envVarSchema>;

export const containerSchema = z
  .object({
    name: z.string(),
    init: z.boolean(),
    image: z.string(),
    /** Secrets in flags (`--token=...`), URLs (user:password@) and credential-looking words are
     *  replaced by `[REDACTED]`. */
    command: z.array(z.string()),
    args: z.array(z.string()),
    ports: z.array(
      z
        .object({
          name: z.string().nullable(),
          containerPort: z.number().int(),
          /** Port opened on the node (e.g. an ingress controller on bare nodes). */
          hostPort: z.number().int().nullable(),
          protocol: z.string(),
        })
        .strict(),
    ),
    resources: z
      .object({
        requests: z.record(z.string(), z.string()),
        limits: z.record(z.string(), z.string()),
      })
      .strict(),
    securityContext: z
      .object({
        privileged: z.boolean().nullable(),
        runAsNonRoot: z.boolean().nullable(),
        runAsUser: z.number().int().nullable(),
        readOnlyRootFilesystem: z.boolean().nullable(),
        allowPrivilegeEscalation: z.boolean().nullable(),
        capabilitiesAdd: z.array(z.string()),
        capabilitiesDrop: z.array(z.string()),
      })
      .strict(),
    env: z.array(envVarSchema),
    envFrom: z.array(
      z
        .object({
          kind: z.enum(['secret', 'configMap']),
          name: z.string(),
          prefix: z.string().nullable(),
        })
        .strict(),
    ),
  })
  .strict();
export type Container = z.infer<typeof containerSchema>;

export const WORKLOAD_KINDS = [
  'Deployment',
  'DaemonSet',
  'StatefulSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

const labelSelector = z
  .object({
    matchLabels: labels,
    matchExpressions: z.array(
      z.object({ key: z.string(), operator: z.string(), values: z.array(z.string()) }).strict(),
    ),
  })
  .strict();

export const workloadSchema = z
  .object({
    kind: z.enum(WORKLOAD_KINDS),
    namespace,
    name,
    uid: z.string().nullable(),
    labels,
    /** The workload object's own annotations (Deployment, StatefulSet, DaemonSet, Job, CronJob
     *  `metadata.annotations`), allowlisted keys only, like podAnnotations. Absent in snapshots
     *  from scanners before it was collected. */
    annotations: labels.optional(),
    /** Desired replicas; null for DaemonSets (one per node) and where not applicable. */
    replicas: z.number().int().nonnegative().nullable(),
    selector: labelSelector.nullable(),
    podLabels: labels,
    /** Only allowlisted annotation keys (mesh injection, Prometheus scraping, ownership...). */
    podAnnotations: labels,
    serviceAccountName: z.string(),
    automountServiceAccountToken: z.boolean().nullable(),
    hostNetwork: z.boolean(),
    hostPID: z.boolean(),
    runtimeClassName: z.string().nullable(),
    /** CronJob schedule. */
    schedule: z.string().nullable(),
    owner: z.object({ kind: z.string(), name: z.string() }).strict().nullable(),
    containers: z.array(containerSchema),
    /** Names of Secrets and ConfigMaps mounted as volumes (never their contents). */
    secretVolumes: z.array(z.string()),
    configMapVolumes: z.array(z.string()),
  })
  .strict();
export type Workload = z.infer<typeof workloadSchema>;

export const podSchema = z
  .object({
    namespace,
    name,
    labels,
    owner: z.object({ kind: z.string(), name: z.string() }).strict().nullable(),
    nodeName: z.string().nullable(),
    phase: z.string().nullable(),
  })
  .strict();

export const serviceSchema = z
  .object({
    namespace,
    name,
    type: z.string(),
    selector: labels.nullable(),
    ports: z.array(
      z
        .object({
          name: z.string().nullable(),
          port: z.number().int(),
          targetPort: z.union([z.number().int(), z.string()]).nullable(),
          protocol: z.string(),
          nodePort: z.number().int().nullable(),
        })
        .strict(),
    ),
    externalName: z.string().nullable(),
    loadBalancerClass: z.string().nullable(),
    annotations: labels,
  })
  .strict();

export const ingressSchema = z
  .object({
    namespace,
    name,
    ingressClassName: z.string().nullable(),
    annotations: labels,
    rules: z.array(
      z
        .object({
          host: z.string().nullable(),
          paths: z.array(
            z
              .object({
                path: z.string().nullable(),
                service: z.string().nullable(),
                port: z.union([z.number().int(), z.string()]).nullable(),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
    tls: z.array(
      z.object({ hosts: z.array(z.string()), secretName: z.string().nullable() }).strict(),
    ),
  })
  .strict();

export const ingressClassSchema = z
  .object({ name, controller: z.string().nullable(), isDefault: z.boolean() })
  .strict();

/** An object kept with its full spec (policies, Gateway API objects, allowlisted config CRs). */
export const specObjectSchema = z
  .object({
    apiVersion: z.string(),
    kind: z.string(),
    namespace: namespace.nullable(),
    name,
    labels,
    spec: json,
  })
  .strict();
export type SpecObject = z.infer<typeof specObjectSchema>;

export const crdSchema = z
  .object({
    name,
    group: z.string(),
    kind: z.string(),
    plural: z.string(),
    scope: z.string(),
    versions: z.array(z.string()),
  })
  .strict();

const serviceRef = z.object({ namespace: z.string(), name: z.string() }).strict();

export const apiServiceSchema = z
  .object({ name, group: z.string(), version: z.string(), service: serviceRef.nullable() })
  .strict();

export const webhookConfigurationSchema = z
  .object({
    kind: z.enum(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']),
    name,
    webhooks: z.array(
      z
        .object({
          name: z.string(),
          service: serviceRef.nullable(),
          /** Host of a URL-based webhook (the URL itself may carry credentials). */
          urlHost: z.string().nullable(),
        })
        .strict(),
    ),
  })
  .strict();

export const serviceAccountSchema = z
  .object({
    namespace,
    name,
    automountServiceAccountToken: z.boolean().nullable(),
    /** Allowlisted annotations only (workload identity such as eks.amazonaws.com/role-arn). */
    annotations: labels,
    imagePullSecrets: z.array(z.string()),
  })
  .strict();

const policyRule = z
  .object({
    apiGroups: z.array(z.string()),
    resources: z.array(z.string()),
    verbs: z.array(z.string()),
    resourceNames: z.array(z.string()),
    nonResourceURLs: z.array(z.string()),
  })
  .strict();

export const roleSchema = z
  .object({
    kind: z.enum(['Role', 'ClusterRole']),
    namespace: namespace.nullable(),
    name,
    rules: z.array(policyRule),
    aggregated: z.boolean(),
  })
  .strict();

export const roleBindingSchema = z
  .object({
    kind: z.enum(['RoleBinding', 'ClusterRoleBinding']),
    namespace: namespace.nullable(),
    name,
    roleRef: z.object({ kind: z.string(), name: z.string() }).strict(),
    subjects: z.array(
      z.object({ kind: z.string(), name: z.string(), namespace: z.string().nullable() }).strict(),
    ),
  })
  .strict();

export const pdbSchema = z
  .object({
    namespace,
    name,
    minAvailable: z.union([z.number().int(), z.string()]).nullable(),
    maxUnavailable: z.union([z.number().int(), z.string()]).nullable(),
    selector: labelSelector.nullable(),
  })
  .strict();

export const virtualMachineSchema = z
  .object({
    kind: z.enum(['VirtualMachine', 'VirtualMachineInstance']),
    namespace,
    name,
    runStrategy: z.string().nullable(),
    interfaces: z.array(
      z
        .object({ name: z.string(), binding: z.string(), macAddress: z.string().nullable() })
        .strict(),
    ),
    networks: z.array(
      z
        .object({
          name: z.string(),
          type: z.enum(['pod', 'multus', 'other']),
          networkName: z.string().nullable(),
        })
        .strict(),
    ),
  })
  .strict();

/** Secret metadata, only with --include-secret-metadata: never data or stringData. */
export const secretMetadataSchema = z
  .object({ namespace, name, type: z.string(), keyNames: z.array(z.string()) })
  .strict();

export const configMapConfigSchema = z
  .object({
    namespace,
    name,
    /** Allowlisted keys whose values passed the credential check. */
    data: z.record(z.string(), z.string()),
    /** Allowlisted keys whose value looked like a credential and was withheld (fail closed). */
    withheldKeys: z.array(z.string()),
  })
  .strict();

export const COLLECTION_STATUSES = ['ok', 'forbidden', 'not-served', 'error', 'skipped'] as const;

export const collectionEntrySchema = z
  .object({
    /** `<api group or core>/<Kind>`, e.g. `apps/Deployment`, `core/Secret`. */
    resource: z.string(),
    status: z.enum(COLLECTION_STATUSES),
    /** Objects seen (for skipped types: seen but not taken). */
    count: z.number().int().nonnegative(),
    message: z.string().nullable(),
  })
  .strict();
export type CollectionEntry = z.infer<typeof collectionEntrySchema>;

export const clusterSnapshotSchema = z
  .object({
    schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION, {
      error: `schemaVersion must be ${SNAPSHOT_SCHEMA_VERSION}`,
    }),
    scanner: z
      .object({ name: z.string().min(1).max(100), version: z.string().min(1).max(50) })
      .strict(),
    collectedAt: z.iso.datetime({ offset: true }),
    mode: z.enum(['live', 'offline']),
    cluster: clusterIdentitySchema,
    nodes: z.array(nodeSchema),
    namespaces: z.array(namespaceSchema),
    workloads: z.array(workloadSchema),
    pods: z.array(podSchema),
    services: z.array(serviceSchema),
    ingresses: z.array(ingressSchema),
    ingressClasses: z.array(ingressClassSchema),
    gatewayApi: z.array(specObjectSchema),
    networkPolicies: z.array(specObjectSchema),
    /** Calico, Cilium, Antrea and network-policy-api policy objects, full spec. */
    policyObjects: z.array(specObjectSchema),
    crds: z.array(crdSchema),
    apiServices: z.array(apiServiceSchema),
    webhookConfigurations: z.array(webhookConfigurationSchema),
    serviceAccounts: z.array(serviceAccountSchema),
    roles: z.array(roleSchema),
    roleBindings: z.array(roleBindingSchema),
    podDisruptionBudgets: z.array(pdbSchema),
    virtualMachines: z.array(virtualMachineSchema),
    secrets: z.array(secretMetadataSchema),
    config: z
      .object({
        configMaps: z.array(configMapConfigSchema),
        /** Allowlisted custom resources (Calico Installation, Istio PeerAuthentication, kagent
         *  Agent, Kyverno policies...) with their spec after the credential check. */
        customResources: z.array(specObjectSchema),
      })
      .strict(),
    collection: z.array(collectionEntrySchema),
    warnings: z.array(z.object({ source: z.string(), message: z.string() }).strict()),
  })
  .strict();
export type ClusterSnapshot = z.infer<typeof clusterSnapshotSchema>;

/** The arrays of a snapshot that hold cluster objects (used for counts and dry-run listings). */
export const SNAPSHOT_OBJECT_LISTS = [
  'nodes',
  'namespaces',
  'workloads',
  'pods',
  'services',
  'ingresses',
  'ingressClasses',
  'gatewayApi',
  'networkPolicies',
  'policyObjects',
  'crds',
  'apiServices',
  'webhookConfigurations',
  'serviceAccounts',
  'roles',
  'roleBindings',
  'podDisruptionBudgets',
  'virtualMachines',
  'secrets',
] as const satisfies readonly (keyof ClusterSnapshot)[];
export type SnapshotObjectList = (typeof SNAPSHOT_OBJECT_LISTS)[number];

export interface ContractIssue {
  path: string;
  message: string;
}

/** Readable list of the first problems found by a zod schema. */
export function describeIssues(error: z.ZodError, max = 20): ContractIssue[] {
  return error.issues.slice(0, max).map((i) => ({
    path: i.path.length ? i.path.map(String).join('.') : '(root)',
    message: i.message,
  }));
}

/** Validate a snapshot; on failure, a readable list of the first problems. */
export function parseClusterSnapshot(
  input: unknown,
): { ok: true; snapshot: ClusterSnapshot } | { ok: false; issues: ContractIssue[] } {
  const r = clusterSnapshotSchema.safeParse(input);
  return r.success
    ? { ok: true, snapshot: r.data }
    : { ok: false, issues: describeIssues(r.error) };
}

/** A valid snapshot with no objects: the starting point of the collector and of tests. */
export function emptySnapshot(init: {
  scanner: { name: string; version: string };
  collectedAt: string;
  mode: 'live' | 'offline';
  cluster: z.infer<typeof clusterIdentitySchema>;
}): ClusterSnapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    scanner: init.scanner,
    collectedAt: init.collectedAt,
    mode: init.mode,
    cluster: init.cluster,
    nodes: [],
    namespaces: [],
    workloads: [],
    pods: [],
    services: [],
    ingresses: [],
    ingressClasses: [],
    gatewayApi: [],
    networkPolicies: [],
    policyObjects: [],
    crds: [],
    apiServices: [],
    webhookConfigurations: [],
    serviceAccounts: [],
    roles: [],
    roleBindings: [],
    podDisruptionBudgets: [],
    virtualMachines: [],
    secrets: [],
    config: { configMaps: [], customResources: [] },
    collection: [],
    warnings: [],
  };
}

/**
 * A minimal valid offline snapshot of a named cluster with the given namespaces: for examples,
 * generated clusters and tests. The id is declared as `declared-<name>`.
 */
export function minimalSnapshot(
  clusterName: string,
  opts: { namespaces?: string[]; collectedAt?: string } = {},
): ClusterSnapshot {
  const s = emptySnapshot({
    scanner: { name: 'plumbline-scanner', version: '0.1.0' },
    collectedAt: opts.collectedAt ?? '2026-01-01T00:00:00Z',
    mode: 'offline',
    cluster: {
      name: clusterName,
      id: `declared-${clusterName}`,
      idSource: 'declared',
      kubernetesVersion: null,
      provider: 'unknown',
      providerEvidence: [],
      nodeCount: null,
      nodeCountSource: 'unknown',
    },
  });
  s.namespaces = (opts.namespaces ?? []).map((n) => ({
    name: n,
    uid: null,
    labels: {},
    annotations: {},
  }));
  return s;
}
