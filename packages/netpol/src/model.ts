import type { ClusterSnapshot, SpecObject, Workload } from '@plumbline/contracts';
import type { Labels } from './selector.js';

/**
 * The cluster as NetworkPolicy sees it: endpoints (groups of pods that share labels, namespace
 * and container ports, so every policy treats them alike) and namespaces with their labels.
 */

export interface ContainerPort {
  name: string | null;
  port: number;
  protocol: string;
}

export interface Endpoint {
  idx: number;
  namespace: string;
  /** Workload name; for pods without a known workload, the owner (ReplicaSet...) or pod name. */
  name: string;
  kind: string;
  labels: Labels;
  /** Weight for coverage: desired replicas (DaemonSets: node count when known, else 1). */
  replicas: number;
  hostNetwork: boolean;
  ports: readonly ContainerPort[];
  serviceAccount: string | null;
  /** Names of individual pods, when known (pod lists); empty for workload templates. */
  pods: readonly string[];
}

export interface NamespaceInfo {
  name: string;
  /** Declared labels plus `kubernetes.io/metadata.name`, which the API server always sets. */
  labels: Labels;
  /** False when the namespace is only referenced (its labels beyond the name are unknown). */
  declared: boolean;
}

export interface ClusterModel {
  endpoints: Endpoint[];
  namespaces: Map<string, NamespaceInfo>;
  /** NetworkPolicies and the policy objects of Calico, Cilium, Antrea and network-policy-api. */
  objects: SpecObject[];
  /**
   * Owners whose pods do not all carry the same labels. Each label set is its own endpoint (so
   * every policy selects exactly the pods it would), all named after the owner; connectivity
   * prints the union over them (docs/connectivity.md).
   */
  nonUniform?: NonUniformOwner[];
}

export interface NonUniformOwner {
  namespace: string;
  name: string;
  kind: string;
  pods: number;
  /** Distinct label sets among the owner's pods. */
  variants: number;
  /** Label keys whose values differ (or are missing) between the pods, sorted. */
  keys: string[];
}

export const NS_NAME_LABEL = 'kubernetes.io/metadata.name';

export const endpointRef = (e: Pick<Endpoint, 'namespace' | 'name' | 'kind'>) =>
  `${e.namespace}/${e.name}[${e.kind}]`;

export function namespaceInfo(name: string, labels: Labels = {}, declared = true): NamespaceInfo {
  return { name, labels: { ...labels, [NS_NAME_LABEL]: name }, declared };
}

const NO_PORTS: readonly ContainerPort[] = Object.freeze([]);

/**
 * The main containers' ports, in an array of their count (an array grown by push from empty
 * reserves 17 slots, and endpoints live as long as the analysis); one shared empty list for a
 * workload without ports.
 */
function ports(w: Workload): readonly ContainerPort[] {
  let n = 0;
  for (const c of w.containers) if (!c.init) n += c.ports.length;
  if (n === 0) return NO_PORTS;
  const out = new Array<ContainerPort>(n);
  let i = 0;
  for (const c of w.containers) {
    if (c.init) continue;
    for (const p of c.ports)
      out[i++] = {
        name: p.name,
        port: p.containerPort,
        protocol: (p.protocol || 'TCP').toUpperCase(),
      };
  }
  return out;
}

/** A key for a label set, whatever the key order (cached: pods share label objects). */
const labelKeys = new WeakMap<Labels, string>();
function labelsKey(l: Labels): string {
  let k = labelKeys.get(l);
  if (k === undefined) {
    k = JSON.stringify(
      Object.keys(l)
        .sort()
        .map((x) => [x, l[x]]),
    );
    labelKeys.set(l, k);
  }
  return k;
}

/**
 * A set of (namespace, kind, name) keys that answers as a set of the parts joined with U+0000
 * would, without joining them for every lookup: keys without U+0000 are nested maps (joined,
 * such keys are equal only when their parts are); a key holding U+0000 goes by its joined string
 * (only keys holding U+0000 can join to the string of another key).
 */
class KeySet {
  private readonly nested = new Map<string, Map<string, Set<string>>>();
  private readonly joined = new Set<string>();

  private static plain(a: string, b: string, c: string): boolean {
    return !a.includes('\u0000') && !b.includes('\u0000') && !c.includes('\u0000');
  }

  add(a: string, b: string, c: string): void {
    if (!KeySet.plain(a, b, c)) {
      this.joined.add(`${a}\u0000${b}\u0000${c}`);
      return;
    }
    let byB = this.nested.get(a);
    if (!byB) this.nested.set(a, (byB = new Map()));
    let cs = byB.get(b);
    if (!cs) byB.set(b, (cs = new Set()));
    cs.add(c);
  }

  has(a: string, b: string, c: string): boolean {
    if (!KeySet.plain(a, b, c)) return this.joined.has(`${a}\u0000${b}\u0000${c}`);
    return this.nested.get(a)?.get(b)?.has(c) ?? false;
  }
}

/** A workload's selector (matchLabels, else its pod labels) as parallel key and value lists. */
interface Wanted {
  keys: string[];
  values: string[];
}
function wantedOf(w: Workload): Wanted {
  const want = w.selector?.matchLabels ?? w.podLabels;
  const keys = Object.keys(want);
  return { keys, values: keys.map((k) => want[k]!) };
}

/**
 * Does one of the selectors cover the labels? The selectors are flattened once per owner (not a
 * for-in over the selector object for every pod).
 */
function coveredByOne(wanted: readonly Wanted[], labels: Labels): boolean {
  outer: for (const { keys, values } of wanted) {
    for (let i = 0; i < keys.length; i++) if (labels[keys[i]!] !== values[i]) continue outer;
    return true;
  }
  return false;
}

/** Is `s` from `from` on a ReplicaSet's pod-template hash (/^[a-z0-9]+$/)? Runs for every pod. */
function rsSuffix(s: string, from: number): boolean {
  if (from >= s.length) return false;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return false;
  }
  return true;
}
const JOB_SUFFIX = /^\d+$/;

/** Build the model from a snapshot. Pods already represented by a workload are not repeated. */
export function modelFromSnapshot(snapshot: ClusterSnapshot): ClusterModel {
  const namespaces = new Map<string, NamespaceInfo>();
  for (const n of snapshot.namespaces) namespaces.set(n.name, namespaceInfo(n.name, n.labels));
  const nodes = snapshot.cluster.nodeCount ?? (snapshot.nodes.length || null);

  const endpoints: Endpoint[] = [];
  const byKey = new KeySet();
  // Deployments and CronJobs by namespace, then by name (in snapshot order).
  const deployments = new Map<string, Map<string, Workload[]>>();
  const cronJobs = new Map<string, Map<string, Workload[]>>();
  for (const w of snapshot.workloads) {
    const replicas = w.replicas ?? (w.kind === 'DaemonSet' ? (nodes ?? 1) : 1);
    const e: Endpoint = {
      idx: endpoints.length,
      namespace: w.namespace,
      name: w.name,
      kind: w.kind,
      labels: w.podLabels,
      replicas,
      hostNetwork: w.hostNetwork,
      ports: ports(w),
      serviceAccount: w.serviceAccountName || null,
      pods: [],
    };
    endpoints.push(e);
    byKey.add(w.namespace, w.kind, w.name);
    const index = w.kind === 'Deployment' ? deployments : w.kind === 'CronJob' ? cronJobs : null;
    if (index) {
      let byName = index.get(w.namespace);
      if (!byName) index.set(w.namespace, (byName = new Map()));
      const list = byName.get(w.name);
      if (list) list.push(w);
      else byName.set(w.name, [w]);
    }
  }

  // Pods owned by something not in the snapshot become endpoints named after that owner, as
  // np-guard's netpol-analyzer does (`ns/frontend-99684f7f8[ReplicaSet]`): the pods of one owner
  // are one workload whatever its kind (a Node owner, as for static pods, does not count). Pods
  // of one owner with different labels keep one endpoint per label set, all with the owner's name.
  const groups = new Map<string, Endpoint>();
  const owners = new Map<string, { ep: Endpoint; variants: Labels[] }>();
  // What the owner alone decides, remembered for the last owner seen: the pods of one owner are
  // adjacent in a snapshot (sorted by namespace and name), so most pods skip the lookups below.
  let lastNs = '';
  let lastKind = '';
  let lastName = '';
  let lastSkip = false;
  let lastNamed: readonly Wanted[] | undefined;
  for (const p of snapshot.pods) {
    const o = p.owner && p.owner.kind !== 'Node' && p.owner.name ? p.owner : null;
    if (o) {
      if (o.name !== lastName || o.kind !== lastKind || p.namespace !== lastNs) {
        lastNs = p.namespace;
        lastKind = o.kind;
        lastName = o.name;
        lastNamed = undefined;
        lastSkip = byKey.has(p.namespace, o.kind, o.name);
        if (!lastSkip) {
          // The owner is `<workload name>-<suffix>` with a suffix without '-': the workload's
          // name is the owner's up to its last '-'.
          const dash = o.name.lastIndexOf('-');
          if (o.kind === 'ReplicaSet' && dash >= 0 && rsSuffix(o.name, dash + 1))
            lastNamed = deployments.get(p.namespace)?.get(o.name.slice(0, dash))?.map(wantedOf);
          if (o.kind === 'Job' && dash >= 0 && JOB_SUFFIX.test(o.name.slice(dash + 1)))
            lastSkip = cronJobs.get(p.namespace)?.has(o.name.slice(0, dash)) ?? false;
        }
      }
      if (lastSkip) continue;
      if (lastNamed && coveredByOne(lastNamed, p.labels)) continue;
    }
    const ownerKind = o ? o.kind : 'Pod';
    const name = o ? o.name : p.name;
    const ownerKey = `${p.namespace}\u0000${ownerKind}\u0000${name}`;
    const key = `${ownerKey}\u0000${labelsKey(p.labels)}`;
    const g = groups.get(key);
    if (g) {
      (g.pods as string[]).push(p.name);
      g.replicas++;
      continue;
    }
    const e: Endpoint = {
      idx: endpoints.length,
      namespace: p.namespace,
      name,
      kind: ownerKind,
      labels: p.labels,
      replicas: 1,
      hostNetwork: false,
      ports: [],
      serviceAccount: null,
      pods: [p.name],
    };
    endpoints.push(e);
    groups.set(key, e);
    const ow = owners.get(ownerKey);
    if (ow) ow.variants.push(p.labels);
    else owners.set(ownerKey, { ep: e, variants: [p.labels] });
  }
  const nonUniform: NonUniformOwner[] = [];
  for (const { ep, variants } of owners.values()) {
    if (variants.length < 2) continue;
    const keys = new Set<string>();
    for (const v of variants)
      for (const w of variants) for (const k of Object.keys(v)) if (v[k] !== w[k]) keys.add(k);
    const pods = endpoints
      .filter((e) => e.namespace === ep.namespace && e.kind === ep.kind && e.name === ep.name)
      .reduce((n, e) => n + e.pods.length, 0);
    nonUniform.push({
      namespace: ep.namespace,
      name: ep.name,
      kind: ep.kind,
      pods,
      variants: variants.length,
      keys: [...keys].sort(),
    });
  }

  const objects = [...snapshot.networkPolicies, ...snapshot.policyObjects];
  for (const e of endpoints)
    if (!namespaces.has(e.namespace))
      namespaces.set(e.namespace, namespaceInfo(e.namespace, {}, false));
  for (const o of objects)
    if (o.namespace && !namespaces.has(o.namespace))
      namespaces.set(o.namespace, namespaceInfo(o.namespace, {}, false));
  return { endpoints, namespaces, objects, nonUniform };
}
