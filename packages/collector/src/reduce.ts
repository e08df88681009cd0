import {
  emptySnapshot,
  SNAPSHOT_OBJECT_LISTS,
  type ClusterSnapshot,
  type CollectionEntry,
  type Container,
  type EnvVar,
  type SnapshotObjectList,
  type SpecObject,
  type Workload,
} from '@plumbline/contracts';
import { createHash } from 'node:crypto';
import {
  containsCredential,
  fingerprint,
  isSensitiveName,
  looksLikeCredential,
  REDACTED,
  scrubArgs,
  scrubJson,
  stripUrlCredentials,
} from './credentials.js';
import {
  apiGroup,
  arr,
  bool,
  cmp,
  int,
  intOrString,
  isClusterScoped,
  isObj,
  obj,
  sortRecord,
  str,
  stringMap,
  strings,
  type Obj,
} from './k8s.js';
import { guessProvider } from './provider.js';
import {
  ANNOTATION_ALLOW,
  ANNOTATION_DENY,
  BOOLEAN_VALUE,
  CONFIGMAP_ALLOW,
  CUSTOM_RESOURCE_ALLOW,
  ENV_BOOLEAN_NAMES,
  ENV_SETTING_NAMES,
  ENV_URL_VALUES,
  ENV_VALUE_DENY,
  GATEWAY_API_EXPERIMENTAL_GROUP,
  GATEWAY_API_GROUP,
  NODE_LABEL_ALLOW,
  POLICY_GROUPS,
  POLICY_KINDS,
  SETTING_VALUE,
} from './rules.js';

/**
 * Reduces raw Kubernetes objects, one at a time, to the ClusterSnapshot contract. Used by the
 * offline reader and by live collection, so both produce the same snapshot from the same objects.
 * Nothing is kept from an object beyond what the contract names; secrets are reduced to names.
 */

export interface ReducerOptions {
  /** HMAC key for literal env fingerprints: the installation's key (`--fingerprint-key-file`),
   *  or a random one generated per scan and discarded. */
  fingerprintKey: Uint8Array;
  includeSecretMetadata: boolean;
}

export interface SnapshotMeta {
  scanner: { name: string; version: string };
  collectedAt: string;
  mode: 'live' | 'offline';
  clusterName: string;
  /** Live: the kube-system namespace UID. */
  clusterUid?: string;
  /** Offline: `--cluster-id`. */
  declaredClusterId?: string;
  declaredNodeCount?: number;
  kubernetesVersion?: string;
}

type ListName = SnapshotObjectList | 'configMaps' | 'customResources';
const LIST_NAMES: readonly ListName[] = [...SNAPSHOT_OBJECT_LISTS, 'configMaps', 'customResources'];

interface Kept {
  item: unknown;
  source: string;
}

interface Seen {
  count: number;
  taken: number;
  skippedReason: string | null;
}

const WORKLOAD_KINDS = new Set([
  'Deployment',
  'DaemonSet',
  'StatefulSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
]);
const WORKLOAD_GROUPS = new Set(['apps', 'batch', 'core', 'extensions']);

export const SECRET_SKIPPED =
  'Secret metadata is collected only with --include-secret-metadata; values never are';

/** `<group>/<Kind>` handled by name in `reduce()` (keep in step with its switch; a test checks). */
const HANDLED_TYPES = new Set([
  'core/Namespace',
  'core/Node',
  'core/Service',
  'core/ServiceAccount',
  'core/Secret',
  'core/ConfigMap',
  'networking.k8s.io/Ingress',
  'extensions/Ingress',
  'networking.k8s.io/IngressClass',
  'networking.k8s.io/NetworkPolicy',
  'extensions/NetworkPolicy',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/RoleBinding',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'policy/PodDisruptionBudget',
  'kubevirt.io/VirtualMachine',
  'kubevirt.io/VirtualMachineInstance',
]);

/**
 * Does the reducer use objects of this type (`group` as in `collection`: `core` for the core
 * group)? Live collection lists exactly these types; everything else is "not needed".
 */
export function isCollected(group: string, kind: string): boolean {
  if (WORKLOAD_GROUPS.has(group) && WORKLOAD_KINDS.has(kind)) return true;
  if (HANDLED_TYPES.has(`${group}/${kind}`)) return true;
  if (group === GATEWAY_API_GROUP || group === GATEWAY_API_EXPERIMENTAL_GROUP) return true;
  if (POLICY_GROUPS.includes(group) && matches(POLICY_KINDS, kind)) return true;
  return CUSTOM_RESOURCE_ALLOW.some((r) => r.group.test(group) && r.kind.test(kind));
}

/** Could any type the reducer uses live in this API group (to skip discovering the others)? */
export function mayCollectGroup(group: string): boolean {
  if (WORKLOAD_GROUPS.has(group)) return true;
  if ([...HANDLED_TYPES].some((t) => t.startsWith(`${group}/`))) return true;
  if (group === GATEWAY_API_GROUP || group === GATEWAY_API_EXPERIMENTAL_GROUP) return true;
  if (POLICY_GROUPS.includes(group)) return true;
  return CUSTOM_RESOURCE_ALLOW.some((r) => r.group.test(group));
}

function matches(patterns: readonly RegExp[], value: string): boolean {
  return patterns.some((p) => p.test(value));
}

/** Label values are kept, but one that looks like a credential is withheld. */
function cleanLabels(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(stringMap(v)))
    out[k] = looksLikeCredential(val) ? REDACTED : val;
  return sortRecord(out);
}

/**
 * Annotations: only allowlisted keys, never one whose name is sensitive (`agents.x.io/api-key`),
 * and their values only when they pass the credential check (cut at 1024 characters).
 */
function cleanAnnotations(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(stringMap(v))) {
    if (matches(ANNOTATION_DENY, k) || !matches(ANNOTATION_ALLOW, k)) continue;
    const leaf = k.slice(k.lastIndexOf('/') + 1);
    out[k] = isSensitiveName(leaf, true) || containsCredential(val) ? REDACTED : val.slice(0, 1024);
  }
  return sortRecord(out);
}

function labelSelector(v: unknown): Workload['selector'] {
  if (!isObj(v)) return null;
  return {
    matchLabels: sortRecord(stringMap(v.matchLabels)),
    matchExpressions: arr(v.matchExpressions).map((e) => {
      const x = obj(e);
      return { key: str(x.key) ?? '', operator: str(x.operator) ?? '', values: strings(x.values) };
    }),
  };
}

function ownerOf(meta: Obj): { kind: string; name: string } | null {
  const refs = arr(meta.ownerReferences).map(obj);
  const ref = refs.find((r) => r.controller === true) ?? refs[0];
  if (!ref) return null;
  return { kind: str(ref.kind) ?? '', name: str(ref.name) ?? '' };
}

/**
 * The value of a literal env var that may leave, or null. Dropped by default: kept only for an
 * allowlisted, non-sensitive name and a value of the expected shape (a boolean for a toggle, a URL
 * without credentials for an endpoint, one short plain token for a setting or model name).
 */
export function keptEnvValue(name: string, value: string, credential: boolean): string | null {
  if (matches(ENV_VALUE_DENY, name) || isSensitiveName(name)) return null;
  if (matches(ENV_URL_VALUES, name)) {
    const url = stripUrlCredentials(value);
    return containsCredential(url) || /[\s"'`]/.test(url) || url.length > 2048 ? null : url;
  }
  if (credential || containsCredential(value)) return null;
  if (matches(ENV_BOOLEAN_NAMES, name)) return BOOLEAN_VALUE.test(value) ? value : null;
  if (matches(ENV_SETTING_NAMES, name)) return SETTING_VALUE.test(value) ? value : null;
  return null;
}

export class SnapshotReducer {
  private readonly seen = new Map<string, Seen>();
  /** Kept objects by `list, resource, namespace`, then by name (no key string per object). */
  private readonly kept = new Map<string, { list: ListName; byName: Map<string, Kept> }>();
  private readonly warnings: { source: string; message: string }[] = [];
  private readonly statuses = new Map<
    string,
    { status: CollectionEntry['status']; message: string | null }
  >();

  /** One frozen instance per distinct value (labels, owners, names repeated across pods). */
  private readonly shared = new Map<string, unknown>();

  constructor(private readonly options: ReducerOptions) {}

  /**
   * Replace short strings inside a reduced item by one shared instance each (label values, env
   * names, quantities, images repeat across thousands of workloads). Only strings: the item's
   * structure is its own, so callers may still change it.
   */
  private compact(value: unknown): unknown {
    if (typeof value === 'string') return value.length <= 64 ? this.share(value) : value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = this.compact(value[i]);
    } else if (isObj(value)) {
      for (const k of Object.keys(value)) value[k] = this.compact(value[k]);
    }
    return value;
  }

  private share<T extends string | object>(value: T): T {
    const key = typeof value === 'string' ? `s${value}` : `o${JSON.stringify(value)}`;
    const found = this.shared.get(key) as T | undefined;
    if (found !== undefined) return found;
    this.shared.set(key, typeof value === 'object' ? Object.freeze(value) : value);
    return value;
  }

  warn(source: string, message: string): void {
    this.warnings.push({ source, message });
  }

  /**
   * Record a resource type that was listed (live) even when it held no objects, and optionally
   * why it was not (fully) collected: forbidden, not served, an error, or skipped on purpose.
   */
  noteResource(resource: string, status?: CollectionEntry['status'], message?: string): void {
    if (!this.seen.has(resource))
      this.seen.set(resource, { count: 0, taken: 0, skippedReason: null });
    if (status && status !== 'ok')
      this.statuses.set(resource, { status, message: message ?? null });
  }

  /**
   * Take one raw object. `source` names where it came from (file#doc, or the API path).
   * `namespaced` is the type's scope when known (live: from discovery); otherwise a namespace
   * missing from a manifest is defaulted by kind, as kubectl would.
   */
  add(raw: Obj, source: string, namespaced?: boolean): void {
    const apiVersion = str(raw.apiVersion) ?? '';
    const kind = str(raw.kind) ?? '';
    const group = apiGroup(apiVersion);
    const resource = `${group}/${kind}`;
    const seen = this.seen.get(resource) ?? { count: 0, taken: 0, skippedReason: null };
    seen.count++;
    this.seen.set(resource, seen);

    const meta = obj(raw.metadata);
    const name = str(meta.name) ?? '';
    const scoped = namespaced ?? !isClusterScoped(group, kind);
    const namespace =
      namespaced === false ? null : (str(meta.namespace) ?? (scoped ? 'default' : null));
    if (name.length > 253 || (namespace?.length ?? 0) > 253) {
      this.warn(
        source,
        `${kind} name longer than 253 characters: Kubernetes would refuse it; skipped`,
      );
      return;
    }
    const out = this.reduce(raw, group, kind, name, namespace, meta);
    if (typeof out === 'string') {
      seen.skippedReason = out;
      return;
    }
    if (out === null) return; // handled type, object not needed (e.g. a non-allowlisted ConfigMap)
    seen.taken++;
    if (out.list !== 'pods') this.compact(out.item);
    const bucketKey = `${out.list}\u0000${resource}\u0000${namespace ?? ''}`;
    let bucket = this.kept.get(bucketKey);
    if (!bucket) {
      bucket = { list: out.list, byName: new Map() };
      this.kept.set(bucketKey, bucket);
    }
    const prev = bucket.byName.get(name);
    if (prev) {
      // The same object twice: keep one, chosen by source name so input order never matters.
      const winner = cmp(source, prev.source) < 0 ? source : prev.source;
      this.warn(
        winner === source ? prev.source : source,
        `duplicate ${kind} ${namespace ? `${namespace}/` : ''}${name}; kept the one from ${winner}`,
      );
      if (winner === prev.source) return;
    }
    bucket.byName.set(name, { item: out.item, source });
  }

  /** Returns what to keep, null when the object is deliberately not kept, or a skip reason. */
  private reduce(
    raw: Obj,
    group: string,
    kind: string,
    name: string,
    namespace: string | null,
    meta: Obj,
  ): { list: ListName; item: unknown } | null | string {
    const ns = namespace ?? 'default';
    if (WORKLOAD_GROUPS.has(group) && WORKLOAD_KINDS.has(kind)) {
      const owner = ownerOf(meta);
      if (kind === 'Pod' && owner) {
        // Pods are most of a large cluster: their repeated values are stored once (see share()).
        const nodeName = str(obj(raw.spec).nodeName);
        const phase = str(obj(raw.status).phase);
        return {
          list: 'pods',
          item: {
            namespace: this.share(ns),
            name,
            labels: this.share(cleanLabels(meta.labels)),
            owner: this.share(owner),
            nodeName: nodeName === null ? null : this.share(nodeName),
            phase: phase === null ? null : this.share(phase),
          },
        };
      }
      // ReplicaSets and Jobs owned by a controller are represented by their owner.
      if ((kind === 'ReplicaSet' || kind === 'Job') && owner) return null;
      return {
        list: 'workloads',
        item: this.workload(raw, kind as Workload['kind'], ns, name, meta),
      };
    }
    switch (`${group}/${kind}`) {
      case 'core/Namespace':
        return {
          list: 'namespaces',
          item: {
            name,
            uid: str(meta.uid),
            labels: cleanLabels(meta.labels),
            annotations: cleanAnnotations(meta.annotations),
          },
        };
      case 'core/Node': {
        const info = obj(obj(raw.status).nodeInfo);
        const labels: Record<string, string> = {};
        for (const [k, v] of Object.entries(stringMap(meta.labels)))
          if (matches(NODE_LABEL_ALLOW, k)) labels[k] = v;
        return {
          list: 'nodes',
          item: {
            name,
            labels: sortRecord(labels),
            kubeletVersion: str(info.kubeletVersion),
            kernelVersion: str(info.kernelVersion),
            osImage: str(info.osImage),
            containerRuntimeVersion: str(info.containerRuntimeVersion),
            providerID: str(obj(raw.spec).providerID),
          },
        };
      }
      case 'core/Service':
        return { list: 'services', item: this.service(raw, ns, name, meta) };
      case 'core/ServiceAccount':
        return {
          list: 'serviceAccounts',
          item: {
            namespace: ns,
            name,
            automountServiceAccountToken: bool(raw.automountServiceAccountToken),
            annotations: cleanAnnotations(meta.annotations),
            imagePullSecrets: arr(raw.imagePullSecrets)
              .map((r) => str(obj(r).name) ?? '')
              .filter(Boolean)
              .sort(cmp),
          },
        };
      case 'core/Secret':
        if (!this.options.includeSecretMetadata) return SECRET_SKIPPED;
        return {
          list: 'secrets',
          item: {
            namespace: ns,
            name,
            type: str(raw.type) ?? 'Opaque',
            keyNames: [
              ...new Set([...Object.keys(obj(raw.data)), ...Object.keys(obj(raw.stringData))]),
            ].sort(cmp),
          },
        };
      case 'core/ConfigMap':
        return this.configMap(raw, ns, name);
      case 'networking.k8s.io/Ingress':
      case 'extensions/Ingress':
        return { list: 'ingresses', item: this.ingress(raw, ns, name, meta) };
      case 'networking.k8s.io/IngressClass':
        return {
          list: 'ingressClasses',
          item: {
            name,
            controller: str(obj(raw.spec).controller),
            isDefault:
              stringMap(meta.annotations)['ingressclass.kubernetes.io/is-default-class'] === 'true',
          },
        };
      case 'networking.k8s.io/NetworkPolicy':
      case 'extensions/NetworkPolicy':
        return { list: 'networkPolicies', item: this.specObject(raw, kind, ns, name, meta) };
      case 'apiextensions.k8s.io/CustomResourceDefinition': {
        const spec = obj(raw.spec);
        const names = obj(spec.names);
        const versions = arr(spec.versions)
          .map((v) => str(obj(v).name))
          .filter((v): v is string => !!v);
        const legacy = str(spec.version);
        return {
          list: 'crds',
          item: {
            name,
            group: str(spec.group) ?? '',
            kind: str(names.kind) ?? '',
            plural: str(names.plural) ?? '',
            scope: str(spec.scope) ?? 'Namespaced',
            versions: versions.length ? versions : legacy ? [legacy] : [],
          },
        };
      }
      case 'apiregistration.k8s.io/APIService': {
        const spec = obj(raw.spec);
        const svc = obj(spec.service);
        return {
          list: 'apiServices',
          item: {
            name,
            group: str(spec.group) ?? '',
            version: str(spec.version) ?? '',
            service: isObj(spec.service)
              ? { namespace: str(svc.namespace) ?? '', name: str(svc.name) ?? '' }
              : null,
          },
        };
      }
      case 'admissionregistration.k8s.io/ValidatingWebhookConfiguration':
      case 'admissionregistration.k8s.io/MutatingWebhookConfiguration':
        return {
          list: 'webhookConfigurations',
          item: {
            kind,
            name,
            webhooks: arr(raw.webhooks).map((w) => {
              const cc = obj(obj(w).clientConfig);
              const svc = obj(cc.service);
              let urlHost: string | null = null;
              const url = str(cc.url);
              if (url) {
                try {
                  urlHost = new URL(url).host;
                } catch {
                  urlHost = null;
                }
              }
              return {
                name: str(obj(w).name) ?? '',
                service: isObj(cc.service)
                  ? { namespace: str(svc.namespace) ?? '', name: str(svc.name) ?? '' }
                  : null,
                urlHost,
              };
            }),
          },
        };
      case 'rbac.authorization.k8s.io/Role':
      case 'rbac.authorization.k8s.io/ClusterRole':
        return {
          list: 'roles',
          item: {
            kind,
            namespace: kind === 'Role' ? ns : null,
            name,
            rules: arr(raw.rules).map((r) => {
              const x = obj(r);
              return {
                apiGroups: strings(x.apiGroups),
                resources: strings(x.resources),
                verbs: strings(x.verbs),
                resourceNames: strings(x.resourceNames),
                nonResourceURLs: strings(x.nonResourceURLs),
              };
            }),
            aggregated: isObj(raw.aggregationRule),
          },
        };
      case 'rbac.authorization.k8s.io/RoleBinding':
      case 'rbac.authorization.k8s.io/ClusterRoleBinding': {
        const ref = obj(raw.roleRef);
        return {
          list: 'roleBindings',
          item: {
            kind,
            namespace: kind === 'RoleBinding' ? ns : null,
            name,
            roleRef: { kind: str(ref.kind) ?? '', name: str(ref.name) ?? '' },
            subjects: arr(raw.subjects).map((s) => {
              const x = obj(s);
              return {
                kind: str(x.kind) ?? '',
                name: str(x.name) ?? '',
                namespace: str(x.namespace),
              };
            }),
          },
        };
      }
      case 'policy/PodDisruptionBudget': {
        const spec = obj(raw.spec);
        return {
          list: 'podDisruptionBudgets',
          item: {
            namespace: ns,
            name,
            minAvailable: intOrString(spec.minAvailable),
            maxUnavailable: intOrString(spec.maxUnavailable),
            selector: labelSelector(spec.selector),
          },
        };
      }
      case 'kubevirt.io/VirtualMachine':
      case 'kubevirt.io/VirtualMachineInstance':
        return { list: 'virtualMachines', item: this.virtualMachine(raw, kind, ns, name) };
    }
    if (group === GATEWAY_API_GROUP || group === GATEWAY_API_EXPERIMENTAL_GROUP) {
      return { list: 'gatewayApi', item: this.specObject(raw, kind, namespace, name, meta) };
    }
    if (POLICY_GROUPS.includes(group) && matches(POLICY_KINDS, kind)) {
      return { list: 'policyObjects', item: this.specObject(raw, kind, namespace, name, meta) };
    }
    if (CUSTOM_RESOURCE_ALLOW.some((r) => r.group.test(group) && r.kind.test(kind))) {
      return { list: 'customResources', item: this.specObject(raw, kind, namespace, name, meta) };
    }
    return 'not needed by the analysis';
  }

  private specObject(
    raw: Obj,
    kind: string,
    namespace: string | null,
    name: string,
    meta: Obj,
  ): SpecObject {
    // Objects without a `spec` (e.g. Calico v1 objects, some CRs) keep their other top-level
    // fields, apart from metadata and status.
    let spec: unknown = raw.spec;
    if (spec === undefined) {
      const rest: Obj = {};
      for (const [k, v] of Object.entries(raw)) {
        if (!['apiVersion', 'kind', 'metadata', 'status'].includes(k)) rest[k] = v;
      }
      spec = rest;
    }
    return {
      apiVersion: str(raw.apiVersion) ?? '',
      kind,
      namespace,
      name,
      labels: cleanLabels(meta.labels),
      spec: scrubJson(spec),
    };
  }

  private configMap(raw: Obj, ns: string, name: string): { list: ListName; item: unknown } | null {
    const rules = CONFIGMAP_ALLOW.filter(
      (r) => (r.namespace === '*' || r.namespace === ns) && r.name.test(name),
    );
    if (!rules.length) return null;
    const data: Record<string, string> = {};
    const withheldKeys: string[] = [];
    for (const [k, v] of Object.entries(stringMap(raw.data))) {
      if (!rules.some((r) => r.keys.test(k))) continue;
      // A sensitive key name (`kvstore-password`) is withheld whatever its value looks like.
      if (isSensitiveName(k, true) || containsCredential(v)) withheldKeys.push(k);
      else data[k] = v;
    }
    return {
      list: 'configMaps',
      item: { namespace: ns, name, data: sortRecord(data), withheldKeys: withheldKeys.sort(cmp) },
    };
  }

  private service(raw: Obj, ns: string, name: string, meta: Obj) {
    const spec = obj(raw.spec);
    return {
      namespace: ns,
      name,
      type: str(spec.type) ?? 'ClusterIP',
      selector: isObj(spec.selector) ? sortRecord(stringMap(spec.selector)) : null,
      ports: arr(spec.ports).map((p) => {
        const x = obj(p);
        return {
          name: str(x.name),
          port: int(x.port) ?? 0,
          targetPort: intOrString(x.targetPort),
          protocol: str(x.protocol) ?? 'TCP',
          nodePort: int(x.nodePort),
        };
      }),
      externalName: str(spec.externalName),
      loadBalancerClass: str(spec.loadBalancerClass),
      annotations: cleanAnnotations(meta.annotations),
    };
  }

  private ingress(raw: Obj, ns: string, name: string, meta: Obj) {
    const spec = obj(raw.spec);
    return {
      namespace: ns,
      name,
      ingressClassName:
        str(spec.ingressClassName) ??
        stringMap(meta.annotations)['kubernetes.io/ingress.class'] ??
        null,
      annotations: cleanAnnotations(meta.annotations),
      rules: arr(spec.rules).map((r) => {
        const rule = obj(r);
        return {
          host: str(rule.host),
          paths: arr(obj(rule.http).paths).map((p) => {
            const path = obj(p);
            const backend = obj(path.backend);
            const svc = obj(backend.service);
            const port = obj(svc.port);
            return {
              path: str(path.path),
              service: str(svc.name) ?? str(backend.serviceName),
              port: int(port.number) ?? str(port.name) ?? intOrString(backend.servicePort),
            };
          }),
        };
      }),
      tls: arr(spec.tls).map((t) => ({
        hosts: strings(obj(t).hosts),
        secretName: str(obj(t).secretName),
      })),
    };
  }

  private virtualMachine(raw: Obj, kind: string, ns: string, name: string) {
    const spec = obj(raw.spec);
    const vmiSpec = kind === 'VirtualMachine' ? obj(obj(spec.template).spec) : spec;
    const running = bool(spec.running);
    return {
      kind,
      namespace: ns,
      name,
      runStrategy:
        str(spec.runStrategy) ?? (running === null ? null : running ? 'Always' : 'Halted'),
      interfaces: arr(obj(obj(vmiSpec.domain).devices).interfaces).map((i) => {
        const x = obj(i);
        const binding =
          ['bridge', 'masquerade', 'sriov', 'slirp', 'macvtap', 'passt'].find((b) => b in x) ??
          str(obj(x.binding).name) ??
          'unknown';
        return { name: str(x.name) ?? '', binding, macAddress: str(x.macAddress) };
      }),
      networks: arr(vmiSpec.networks).map((n) => {
        const x = obj(n);
        const type: 'pod' | 'multus' | 'other' =
          'pod' in x ? 'pod' : 'multus' in x ? 'multus' : 'other';
        return { name: str(x.name) ?? '', type, networkName: str(obj(x.multus).networkName) };
      }),
    };
  }

  private workload(
    raw: Obj,
    kind: Workload['kind'],
    ns: string,
    name: string,
    meta: Obj,
  ): Workload {
    const spec = obj(raw.spec);
    let template: Obj;
    if (kind === 'Pod') template = { metadata: meta, spec };
    else if (kind === 'CronJob') template = obj(obj(obj(spec.jobTemplate).spec).template);
    else template = obj(spec.template);
    const podMeta = obj(template.metadata);
    const podSpec = obj(template.spec);
    const podSec = obj(podSpec.securityContext);
    const containers = [
      ...arr(podSpec.initContainers).map((c) => this.container(obj(c), true, podSec)),
      ...arr(podSpec.containers).map((c) => this.container(obj(c), false, podSec)),
    ];
    const volumes = arr(podSpec.volumes).map(obj);
    const secretVolumes = new Set<string>();
    const configMapVolumes = new Set<string>();
    for (const v of volumes) {
      const s = str(obj(v.secret).secretName);
      if (s) secretVolumes.add(s);
      const c = str(obj(v.configMap).name);
      if (c) configMapVolumes.add(c);
      for (const src of arr(obj(v.projected).sources).map(obj)) {
        const ps = str(obj(src.secret).name);
        if (ps) secretVolumes.add(ps);
        const pc = str(obj(src.configMap).name);
        if (pc) configMapVolumes.add(pc);
      }
    }
    let replicas: number | null = null;
    if (kind === 'Deployment' || kind === 'StatefulSet' || kind === 'ReplicaSet')
      replicas = int(spec.replicas) ?? 1;
    else if (kind === 'Pod') replicas = 1;
    else if (kind === 'Job') replicas = int(spec.parallelism) ?? 1;
    return {
      kind,
      namespace: ns,
      name,
      uid: str(meta.uid),
      labels: cleanLabels(meta.labels),
      annotations: kind === 'Pod' ? {} : cleanAnnotations(meta.annotations),
      replicas,
      selector: kind === 'Pod' ? null : labelSelector(spec.selector),
      podLabels: cleanLabels(podMeta.labels),
      podAnnotations: cleanAnnotations(podMeta.annotations),
      serviceAccountName:
        str(podSpec.serviceAccountName) ?? str(podSpec.serviceAccount) ?? 'default',
      automountServiceAccountToken: bool(podSpec.automountServiceAccountToken),
      hostNetwork: podSpec.hostNetwork === true,
      hostPID: podSpec.hostPID === true,
      runtimeClassName: str(podSpec.runtimeClassName),
      schedule: kind === 'CronJob' ? str(spec.schedule) : null,
      owner: ownerOf(meta),
      containers,
      secretVolumes: [...secretVolumes].sort(cmp),
      configMapVolumes: [...configMapVolumes].sort(cmp),
    };
  }

  private container(c: Obj, init: boolean, podSec: Obj): Container {
    const sec = obj(c.securityContext);
    const caps = obj(sec.capabilities);
    const res = obj(c.resources);
    const quantities = (v: unknown) => {
      const out: Record<string, string> = {};
      for (const [k, q] of Object.entries(obj(v))) {
        const s = str(q);
        if (s !== null) out[k] = s;
      }
      return sortRecord(out);
    };
    return {
      name: str(c.name) ?? '',
      init,
      image: stripUrlCredentials(str(c.image) ?? ''),
      command: scrubArgs(strings(c.command)),
      args: scrubArgs(strings(c.args)),
      ports: arr(c.ports).map((p) => {
        const x = obj(p);
        return {
          name: str(x.name),
          containerPort: int(x.containerPort) ?? 0,
          hostPort: int(x.hostPort),
          protocol: str(x.protocol) ?? 'TCP',
        };
      }),
      resources: { requests: quantities(res.requests), limits: quantities(res.limits) },
      securityContext: {
        privileged: bool(sec.privileged),
        runAsNonRoot: bool(sec.runAsNonRoot) ?? bool(podSec.runAsNonRoot),
        runAsUser: int(sec.runAsUser) ?? int(podSec.runAsUser),
        readOnlyRootFilesystem: bool(sec.readOnlyRootFilesystem),
        allowPrivilegeEscalation: bool(sec.allowPrivilegeEscalation),
        capabilitiesAdd: strings(caps.add),
        capabilitiesDrop: strings(caps.drop),
      },
      env: arr(c.env).map((e) => this.envVar(obj(e))),
      envFrom: arr(c.envFrom).map((e) => {
        const x = obj(e);
        const secret = isObj(x.secretRef);
        return {
          kind: secret ? ('secret' as const) : ('configMap' as const),
          name: str(obj(secret ? x.secretRef : x.configMapRef).name) ?? '',
          prefix: str(x.prefix),
        };
      }),
    };
  }

  private envVar(e: Obj): EnvVar {
    const name = str(e.name) ?? '';
    const from = obj(e.valueFrom);
    if (isObj(from.secretKeyRef)) {
      return {
        name,
        source: 'secretKeyRef',
        secretName: str(from.secretKeyRef.name) ?? '',
        key: str(from.secretKeyRef.key) ?? '',
      };
    }
    if (isObj(from.configMapKeyRef)) {
      return {
        name,
        source: 'configMapKeyRef',
        configMapName: str(from.configMapKeyRef.name) ?? '',
        key: str(from.configMapKeyRef.key) ?? '',
      };
    }
    if (isObj(from.fieldRef))
      return { name, source: 'fieldRef', fieldPath: str(from.fieldRef.fieldPath) ?? '' };
    if (isObj(from.resourceFieldRef)) {
      return {
        name,
        source: 'resourceFieldRef',
        resource: str(from.resourceFieldRef.resource) ?? '',
      };
    }
    const value = str(e.value) ?? '';
    const credential = looksLikeCredential(value);
    const out: EnvVar = {
      name,
      source: 'literal',
      looksLikeCredential: credential,
      fingerprint: value === '' ? null : fingerprint(this.options.fingerprintKey, value),
    };
    const kept = keptEnvValue(name, value, credential);
    if (kept !== null) out.value = kept;
    return out;
  }

  /** Assemble the snapshot: every list sorted, so input order never changes the output. */
  finish(meta: SnapshotMeta): ClusterSnapshot {
    const lists = Object.fromEntries(LIST_NAMES.map((l) => [l, [] as unknown[]])) as Record<
      ListName,
      unknown[]
    >;
    for (const bucket of this.kept.values())
      for (const k of bucket.byName.values()) lists[bucket.list].push(k.item);
    const sorted = (list: ListName) =>
      (
        lists[list] as {
          namespace?: string | null;
          name: string;
          kind?: string;
          apiVersion?: string;
        }[]
      ).sort(
        (a, b) =>
          cmp(a.kind ?? '', b.kind ?? '') ||
          cmp(a.namespace ?? '', b.namespace ?? '') ||
          cmp(a.name, b.name) ||
          cmp(a.apiVersion ?? '', b.apiVersion ?? ''),
      );

    for (const list of LIST_NAMES) sorted(list);
    const nodes = lists.nodes as ClusterSnapshot['nodes'];
    const namespaces = lists.namespaces as ClusterSnapshot['namespaces'];
    const workloads = lists.workloads as ClusterSnapshot['workloads'];
    const provider = guessProvider({
      nodes,
      namespaces,
      workloads,
      kubernetesVersion: meta.kubernetesVersion ?? null,
    });
    let id: string;
    let idSource: ClusterSnapshot['cluster']['idSource'];
    if (meta.clusterUid) [id, idSource] = [meta.clusterUid, 'kube-system-uid'];
    else if (meta.declaredClusterId) [id, idSource] = [meta.declaredClusterId, 'declared'];
    else
      [id, idSource] = [
        `derived-${createHash('sha256').update(meta.clusterName).digest('hex').slice(0, 16)}`,
        'derived',
      ];
    let nodeCount: number | null = null;
    let nodeCountSource: ClusterSnapshot['cluster']['nodeCountSource'] = 'unknown';
    // Live: the nodes listed, unless listing them failed (then the count is unknown).
    if (meta.mode === 'live') {
      if (!this.statuses.has('core/Node'))
        [nodeCount, nodeCountSource] = [nodes.length, 'observed'];
    } else if (meta.declaredNodeCount !== undefined)
      [nodeCount, nodeCountSource] = [meta.declaredNodeCount, 'declared'];
    else if (nodes.length) [nodeCount, nodeCountSource] = [nodes.length, 'observed'];

    const snapshot = emptySnapshot({
      scanner: meta.scanner,
      collectedAt: meta.collectedAt,
      mode: meta.mode,
      cluster: {
        name: meta.clusterName,
        id,
        idSource,
        kubernetesVersion: meta.kubernetesVersion ?? null,
        provider: provider.provider,
        providerEvidence: provider.evidence,
        nodeCount,
        nodeCountSource,
      },
    });
    for (const list of SNAPSHOT_OBJECT_LISTS)
      (snapshot as Record<string, unknown>)[list] = lists[list];
    snapshot.config = {
      configMaps: lists.configMaps as ClusterSnapshot['config']['configMaps'],
      customResources: lists.customResources as ClusterSnapshot['config']['customResources'],
    };
    snapshot.collection = [...this.seen.entries()]
      .sort(([a], [b]) => cmp(a, b))
      .map(([resource, s]): CollectionEntry => {
        const forced = this.statuses.get(resource);
        if (forced)
          return { resource, status: forced.status, count: s.count, message: forced.message };
        return {
          resource,
          status: s.taken > 0 || s.skippedReason === null ? 'ok' : 'skipped',
          count: s.count,
          message: s.taken === 0 && s.skippedReason ? s.skippedReason : null,
        };
      });
    snapshot.warnings = [...this.warnings].sort(
      (a, b) => cmp(a.source, b.source) || cmp(a.message, b.message),
    );
    return snapshot;
  }
}
