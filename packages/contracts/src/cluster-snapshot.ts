import { z } from 'zod';
import { storableJson, text } from './text.js';

/**
 * ClusterSnapshot: everything the scanner takes out of a cluster, and nothing else.
 *
 * Versioned by `schemaVersion`. Secret values never appear: env vars keep names and the source of
 * their value; literal values are kept only for allowlisted, non-credential names. The collector
 * (packages/collector) builds it from a live cluster or from manifest files; the API validates
 * every upload against it; `plumbline-scanner scan --dry-run` prints its fields.
 */
export const SNAPSHOT_SCHEMA_VERSION = 1 as const;

const name = text().min(1).max(253);
const namespace = text().min(1).max(253);
const labels = z.record(text(), text());
const json = storableJson();

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
    id: text().min(1).max(128),
    idSource: z.enum(['kube-system-uid', 'declared', 'derived']),
    kubernetesVersion: text().max(64).nullable(),
    provider: z.enum(PROVIDERS),
    /** Why the provider was guessed, e.g. `node label kubernetes.azure.com/cluster`. */
    providerEvidence: z.array(text()),
    nodeCount: z.number().int().nonnegative().nullable(),
    nodeCountSource: z.enum(['observed', 'declared', 'unknown']),
  })
  .strict();

export const nodeSchema = z
  .object({
    name,
    /** Only allowlisted label keys (topology, instance type, OS, provider markers). */
    labels,
    kubeletVersion: text().nullable(),
    kernelVersion: text().nullable(),
    osImage: text().nullable(),
    containerRuntimeVersion: text().nullable(),
    providerID: text().nullable(),
  })
  .strict();

export const namespaceSchema = z
  .object({ name, uid: text().nullable(), labels, annotations: labels })
  .strict();

const literalEnv = z
  .object({
    name: text(),
    source: z.literal('literal'),
    /** Present only when the name is allowlisted (toggles, endpoints, model names, networking
     *  settings), not sensitive, of the expected shape, and passed the credential check. */
    value: text().optional(),
    /** The value matched a credential pattern (sk-, AKIA, AIza, eyJ, ghp_, xox?-, high entropy). */
    looksLikeCredential: z.boolean(),
    /** HMAC-SHA256 of the value under the installation's fingerprint key (`--fingerprint-key-file`,
     *  a Secret in the cluster) or, without one, a key generated per scan and discarded: equal
     *  values have equal fingerprints across scans of one installation (or within one snapshot);
     *  nothing else can be learnt. Null for empty values. */
    fingerprint: text().nullable(),
  })
  .strict();
export const envVarSchema = z.discriminatedUnion('source', [
  literalEnv,
  z
    .object({
      name: text(),
      source: z.literal('secretKeyRef'),
      secretName: text(),
      key: text(),
    })
    .strict(),
  z
    .object({
      name: text(),
      source: z.literal('configMapKeyRef'),
      configMapName: text(),
      key: text(),
    })
    .strict(),
  z.object({ name: text(), source: z.literal('fieldRef'), fieldPath: text() }).strict(),
  z.object({ name: text(), source: z.literal('resourceFieldRef'), resource: text() }).strict(),
]);
export type EnvVar = z.infer<typeof envVarSchema>;

export const containerSchema = z
  .object({
    name: text(),
    init: z.boolean(),
    image: text(),
    /** Secrets in flags (`--token=...`), URLs (user:password@) and credential-looking words are
     *  replaced by `[REDACTED]`. */
    command: z.array(text()),
    args: z.array(text()),
    ports: z.array(
      z
        .object({
          name: text().nullable(),
          containerPort: z.number().int(),
          /** Port opened on the node (e.g. an ingress controller on bare nodes). */
          hostPort: z.number().int().nullable(),
          protocol: text(),
        })
        .strict(),
    ),
    resources: z
      .object({
        requests: z.record(text(), text()),
        limits: z.record(text(), text()),
      })
      .strict(),
    securityContext: z
      .object({
        privileged: z.boolean().nullable(),
        runAsNonRoot: z.boolean().nullable(),
        runAsUser: z.number().int().nullable(),
        readOnlyRootFilesystem: z.boolean().nullable(),
        allowPrivilegeEscalation: z.boolean().nullable(),
        capabilitiesAdd: z.array(text()),
        capabilitiesDrop: z.array(text()),
      })
      .strict(),
    env: z.array(envVarSchema),
    envFrom: z.array(
      z
        .object({
          kind: z.enum(['secret', 'configMap']),
          name: text(),
          prefix: text().nullable(),
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
      z.object({ key: text(), operator: text(), values: z.array(text()) }).strict(),
    ),
  })
  .strict();

export const workloadSchema = z
  .object({
    kind: z.enum(WORKLOAD_KINDS),
    namespace,
    name,
    uid: text().nullable(),
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
    serviceAccountName: text(),
    automountServiceAccountToken: z.boolean().nullable(),
    hostNetwork: z.boolean(),
    hostPID: z.boolean(),
    runtimeClassName: text().nullable(),
    /** CronJob schedule. */
    schedule: text().nullable(),
    owner: z.object({ kind: text(), name: text() }).strict().nullable(),
    containers: z.array(containerSchema),
    /** Names of Secrets and ConfigMaps mounted as volumes (never their contents). */
    secretVolumes: z.array(text()),
    configMapVolumes: z.array(text()),
  })
  .strict();
export type Workload = z.infer<typeof workloadSchema>;

export const podSchema = z
  .object({
    namespace,
    name,
    labels,
    owner: z.object({ kind: text(), name: text() }).strict().nullable(),
    nodeName: text().nullable(),
    phase: text().nullable(),
  })
  .strict();

export const serviceSchema = z
  .object({
    namespace,
    name,
    type: text(),
    selector: labels.nullable(),
    ports: z.array(
      z
        .object({
          name: text().nullable(),
          port: z.number().int(),
          targetPort: z.union([z.number().int(), text()]).nullable(),
          protocol: text(),
          nodePort: z.number().int().nullable(),
        })
        .strict(),
    ),
    externalName: text().nullable(),
    loadBalancerClass: text().nullable(),
    annotations: labels,
  })
  .strict();

export const ingressSchema = z
  .object({
    namespace,
    name,
    ingressClassName: text().nullable(),
    annotations: labels,
    rules: z.array(
      z
        .object({
          host: text().nullable(),
          paths: z.array(
            z
              .object({
                path: text().nullable(),
                service: text().nullable(),
                port: z.union([z.number().int(), text()]).nullable(),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
    tls: z.array(z.object({ hosts: z.array(text()), secretName: text().nullable() }).strict()),
  })
  .strict();

export const ingressClassSchema = z
  .object({ name, controller: text().nullable(), isDefault: z.boolean() })
  .strict();

/** An object kept with its full spec (policies, Gateway API objects, allowlisted config CRs). */
export const specObjectSchema = z
  .object({
    apiVersion: text(),
    kind: text(),
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
    group: text(),
    kind: text(),
    plural: text(),
    scope: text(),
    versions: z.array(text()),
  })
  .strict();

const serviceRef = z.object({ namespace: text(), name: text() }).strict();

export const apiServiceSchema = z
  .object({ name, group: text(), version: text(), service: serviceRef.nullable() })
  .strict();

export const webhookConfigurationSchema = z
  .object({
    kind: z.enum(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration']),
    name,
    webhooks: z.array(
      z
        .object({
          name: text(),
          service: serviceRef.nullable(),
          /** Host of a URL-based webhook (the URL itself may carry credentials). */
          urlHost: text().nullable(),
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
    imagePullSecrets: z.array(text()),
  })
  .strict();

const policyRule = z
  .object({
    apiGroups: z.array(text()),
    resources: z.array(text()),
    verbs: z.array(text()),
    resourceNames: z.array(text()),
    nonResourceURLs: z.array(text()),
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
    roleRef: z.object({ kind: text(), name: text() }).strict(),
    subjects: z.array(
      z.object({ kind: text(), name: text(), namespace: text().nullable() }).strict(),
    ),
  })
  .strict();

export const pdbSchema = z
  .object({
    namespace,
    name,
    minAvailable: z.union([z.number().int(), text()]).nullable(),
    maxUnavailable: z.union([z.number().int(), text()]).nullable(),
    selector: labelSelector.nullable(),
  })
  .strict();

export const virtualMachineSchema = z
  .object({
    kind: z.enum(['VirtualMachine', 'VirtualMachineInstance']),
    namespace,
    name,
    runStrategy: text().nullable(),
    interfaces: z.array(
      z.object({ name: text(), binding: text(), macAddress: text().nullable() }).strict(),
    ),
    networks: z.array(
      z
        .object({
          name: text(),
          type: z.enum(['pod', 'multus', 'other']),
          networkName: text().nullable(),
        })
        .strict(),
    ),
  })
  .strict();

/** Secret metadata, only with --include-secret-metadata: never data or stringData. */
export const secretMetadataSchema = z
  .object({ namespace, name, type: text(), keyNames: z.array(text()) })
  .strict();

export const configMapConfigSchema = z
  .object({
    namespace,
    name,
    /** Allowlisted keys whose values passed the credential check. */
    data: z.record(text(), text()),
    /** Allowlisted keys whose value looked like a credential and was withheld (fail closed). */
    withheldKeys: z.array(text()),
  })
  .strict();

export const COLLECTION_STATUSES = ['ok', 'forbidden', 'not-served', 'error', 'skipped'] as const;

export const collectionEntrySchema = z
  .object({
    /** `<api group or core>/<Kind>`, e.g. `apps/Deployment`, `core/Secret`. */
    resource: text(),
    status: z.enum(COLLECTION_STATUSES),
    /** Objects seen (for skipped types: seen but not taken). */
    count: z.number().int().nonnegative(),
    message: text().nullable(),
  })
  .strict();
export type CollectionEntry = z.infer<typeof collectionEntrySchema>;

export const clusterSnapshotSchema = z
  .object({
    schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION, {
      error: `schemaVersion must be ${SNAPSHOT_SCHEMA_VERSION}`,
    }),
    scanner: z.object({ name: text().min(1).max(100), version: text().min(1).max(50) }).strict(),
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
    warnings: z.array(z.object({ source: text(), message: text() }).strict()),
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
    // A refused record key: say why (the key's own problem), not just "Invalid key in record".
    message: i.code === 'invalid_key' && i.issues[0] ? `key: ${i.issues[0].message}` : i.message,
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

/**
 * A minimal valid workload with one container (`c`) of the given image, no labels, the default
 * ServiceAccount and the given resource requests: for generated clusters and tests.
 */
export function minimalWorkload(w: {
  kind: Workload['kind'];
  namespace: string;
  name: string;
  image: string;
  replicas?: number | null;
  requests?: Record<string, string>;
}): Workload {
  return {
    kind: w.kind,
    namespace: w.namespace,
    name: w.name,
    uid: null,
    labels: {},
    replicas: w.replicas === undefined ? 1 : w.replicas,
    selector: null,
    podLabels: {},
    podAnnotations: {},
    serviceAccountName: 'default',
    automountServiceAccountToken: null,
    hostNetwork: false,
    hostPID: false,
    runtimeClassName: null,
    schedule: null,
    owner: null,
    containers: [
      {
        name: 'c',
        init: false,
        image: w.image,
        command: [],
        args: [],
        ports: [],
        resources: { requests: w.requests ?? {}, limits: {} },
        securityContext: {
          privileged: null,
          runAsNonRoot: null,
          runAsUser: null,
          readOnlyRootFilesystem: null,
          allowPrivilegeEscalation: null,
          capabilitiesAdd: [],
          capabilitiesDrop: [],
        },
        env: [],
        envFrom: [],
      },
    ],
    secretVolumes: [],
    configMapVolumes: [],
  };
}
