import { createHash } from 'node:crypto';
import { builtinGroup, isBuiltinGroup } from './builtins.js';
import { knownScope } from './known-crds.js';

/**
 * The simulated cluster's state: which resources are served (built-in, from CRDs, or inferred
 * from custom resources on request), and the stored objects of each, as an API server would
 * hold them after `kubectl create`: namespace defaulted or dropped by scope, a uid and a
 * resourceVersion assigned, Secret stringData folded into data, the first of two same-named
 * objects kept.
 */

export type Raw = Record<string, unknown>;

export interface ServedResource {
  /** '' for the core group. */
  group: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  /** Versions serving this resource, preferred first. */
  versions: string[];
  origin: 'builtin' | 'crd' | 'inferred';
}

export interface StoredObject {
  namespace: string | null;
  name: string;
  object: Raw;
}

export interface StateInput {
  object: Raw;
  source: string;
}

export interface StateOptions {
  /** Serve custom resources whose CRD is missing, as if a CRD (or aggregated API) served them. */
  inferCrds?: boolean;
  /** Add default, kube-system, kube-public and kube-node-lease when the input lacks them. */
  systemNamespaces?: boolean;
}

export interface Refusal {
  source: string;
  reason: string;
}

export interface Duplicate {
  resource: string;
  namespace: string | null;
  name: string;
  kept: string;
  dropped: string;
}

function isRecord(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function byCodepoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Kubernetes version priority: GA before beta before alpha, higher numbers first. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return null;
    return {
      major: Number(m[1]),
      level: m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2,
      minor: Number(m[3] ?? 0),
    };
  };
  const x = parse(a);
  const y = parse(b);
  if (x && y) return y.level - x.level || y.major - x.major || y.minor - x.minor;
  if (x) return -1;
  if (y) return 1;
  return byCodepoint(a, b);
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function pluralize(kind: string): string {
  const k = kind.toLowerCase();
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  return `${k}s`;
}

/** A stable uid for objects that do not carry one (same input, same uids). */
function uidFor(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];
const CREATED = '2026-01-01T00:00:00Z';

export class ClusterState {
  readonly resources = new Map<string, ServedResource>();
  readonly objects = new Map<string, StoredObject[]>();
  readonly refused: Refusal[] = [];
  readonly duplicates: Duplicate[] = [];
  resourceVersion = 0;

  static key(group: string, plural: string): string {
    return `${group}/${plural}`;
  }

  constructor(input: readonly StateInput[], options: StateOptions = {}) {
    const seenVersions = new Map<string, Set<string>>(); // builtin group/kind -> versions used
    const crdKinds = new Map<string, ServedResource>(); // group/kind -> resource
    // 1. CRDs define resources before any custom resource is placed.
    for (const { object, source } of input) {
      if (object.kind !== 'CustomResourceDefinition') continue;
      if (!String(object.apiVersion).startsWith('apiextensions.k8s.io/')) continue;
      const spec = isRecord(object.spec) ? object.spec : {};
      const names = isRecord(spec.names) ? spec.names : {};
      const group = typeof spec.group === 'string' ? spec.group : '';
      const kind = typeof names.kind === 'string' ? names.kind : '';
      const plural = typeof names.plural === 'string' ? names.plural : '';
      if (!group || !kind || !plural) continue;
      if (isBuiltinGroup(group)) {
        this.refused.push({ source, reason: `CRD for built-in group ${group} ignored` });
        continue;
      }
      if (this.resources.has(ClusterState.key(group, plural))) continue;
      let versions = (Array.isArray(spec.versions) ? spec.versions : [])
        .filter(isRecord)
        .filter((v) => v.served !== false && typeof v.name === 'string')
        .map((v) => v.name as string);
      if (!versions.length && typeof spec.version === 'string') versions = [spec.version];
      if (!versions.length) continue;
      const r: ServedResource = {
        group,
        kind,
        plural,
        singular: typeof names.singular === 'string' ? names.singular : kind.toLowerCase(),
        namespaced: spec.scope !== 'Cluster',
        shortNames: Array.isArray(names.shortNames)
          ? names.shortNames.filter((s): s is string => typeof s === 'string')
          : [],
        versions: [...new Set(versions)].sort(compareVersions),
        origin: 'crd',
      };
      this.resources.set(ClusterState.key(group, plural), r);
      crdKinds.set(`${group}/${kind}`, r);
    }

    // 2. Which resource serves each object.
    const placed: { input: StateInput; resource: ServedResource }[] = [];
    const inferred = new Map<
      string,
      {
        group: string;
        kind: string;
        versions: Set<string>;
        withNamespace: boolean;
        inputs: StateInput[];
      }
    >();
    for (const item of input) {
      const { group, version } = splitApiVersion(String(item.object.apiVersion));
      const kind = String(item.object.kind);
      const builtin = builtinGroup(group);
      if (builtin) {
        const k = builtin.kinds.find((x) => x.kind === kind);
        if (!k) {
          this.refused.push({
            source: item.source,
            reason: `the API has no kind ${kind} in ${group || 'core'}/${version}`,
          });
          continue;
        }
        const key = ClusterState.key(group, k.plural);
        let r = this.resources.get(key);
        if (!r) {
          r = {
            group,
            kind: k.kind,
            plural: k.plural,
            singular: k.kind.toLowerCase(),
            namespaced: k.namespaced,
            shortNames: k.shortNames ?? [],
            versions: [...builtin.versions],
            origin: 'builtin',
          };
          this.resources.set(key, r);
        }
        const seen = seenVersions.get(key) ?? new Set<string>();
        seen.add(version);
        seenVersions.set(key, seen);
        placed.push({ input: item, resource: r });
        continue;
      }
      const crd = crdKinds.get(`${group}/${kind}`);
      if (crd) {
        placed.push({ input: item, resource: crd });
        continue;
      }
      if (isBuiltinGroup(group) || !options.inferCrds) {
        this.refused.push({
          source: item.source,
          reason: `no CustomResourceDefinition serves ${group}/${kind}`,
        });
        continue;
      }
      const key = `${group}/${kind}`;
      const inf = inferred.get(key) ?? {
        group,
        kind,
        versions: new Set<string>(),
        withNamespace: false,
        inputs: [],
      };
      inf.versions.add(version);
      const meta = isRecord(item.object.metadata) ? item.object.metadata : {};
      if (typeof meta.namespace === 'string' && meta.namespace) inf.withNamespace = true;
      inf.inputs.push(item);
      inferred.set(key, inf);
    }
    // Built-in kinds used at versions not served by default (extensions/v1beta1...).
    for (const [key, versions] of seenVersions) {
      const r = this.resources.get(key)!;
      r.versions = [...new Set([...r.versions, ...versions])].sort((a, b) =>
        a === builtinGroup(r.group)!.versions[0]
          ? -1
          : b === builtinGroup(r.group)!.versions[0]
            ? 1
            : compareVersions(a, b),
      );
    }
    // Always serve every built-in kind of the default groups (an empty list is still a list).
    for (const g of [
      '',
      'apps',
      'batch',
      'networking.k8s.io',
      'policy',
      'rbac.authorization.k8s.io',
      'apiextensions.k8s.io',
      'apiregistration.k8s.io',
      'admissionregistration.k8s.io',
      'storage.k8s.io',
      'scheduling.k8s.io',
      'node.k8s.io',
      'coordination.k8s.io',
      'discovery.k8s.io',
      'certificates.k8s.io',
      'events.k8s.io',
      'flowcontrol.apiserver.k8s.io',
      'autoscaling',
    ]) {
      const builtin = builtinGroup(g)!;
      for (const k of builtin.kinds) {
        const key = ClusterState.key(g, k.plural);
        if (k.kind === 'PodSecurityPolicy') continue; // removed in 1.25
        if (!this.resources.has(key))
          this.resources.set(key, {
            group: g,
            kind: k.kind,
            plural: k.plural,
            singular: k.kind.toLowerCase(),
            namespaced: k.namespaced,
            shortNames: k.shortNames ?? [],
            versions: [...builtin.versions],
            origin: 'builtin',
          });
      }
    }
    // Inferred resources: the upstream CRD's scope for well-known kinds; otherwise namespaced
    // when any object names a namespace or the kind does not say it is cluster-wide.
    for (const inf of inferred.values()) {
      const known = knownScope(inf.group, inf.kind);
      const namespaced = known
        ? known === 'Namespaced'
        : inf.withNamespace || !/^(Cluster|Global)|Clusterwide/.test(inf.kind);
      const r: ServedResource = {
        group: inf.group,
        kind: inf.kind,
        plural: pluralize(inf.kind),
        singular: inf.kind.toLowerCase(),
        namespaced,
        shortNames: [],
        versions: [...inf.versions].sort(compareVersions),
        origin: 'inferred',
      };
      const key = ClusterState.key(r.group, r.plural);
      const existing = this.resources.get(key);
      for (const i of inf.inputs) placed.push({ input: i, resource: existing ?? r });
      if (!existing) this.resources.set(key, r);
    }

    // 3. Store, in input order; the first object of a name wins (the second would be refused).
    const index = new Map<string, string>();
    for (const { input: item, resource } of placed) this.store(item, resource, index);
    if (options.systemNamespaces !== false) {
      for (const name of SYSTEM_NAMESPACES) {
        if (!index.has(`/namespaces\u0000\u0000${name}`))
          this.store(
            {
              object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
              source: 'system',
            },
            this.resources.get('/namespaces')!,
            index,
          );
      }
    }
    for (const list of this.objects.values())
      list.sort(
        (a, b) => byCodepoint(a.namespace ?? '', b.namespace ?? '') || byCodepoint(a.name, b.name),
      );
  }

  private store(item: StateInput, r: ServedResource, index: Map<string, string>): void {
    const src = item.object;
    const meta: Raw = isRecord(src.metadata) ? { ...src.metadata } : {};
    const name = String(meta.name);
    if (name.length > 253 || /[/%]/.test(name) || name === '.' || name === '..') {
      this.refused.push({
        source: item.source,
        reason: `invalid name ${JSON.stringify(name.slice(0, 60))}`,
      });
      return;
    }
    let namespace: string | null = null;
    if (r.namespaced) {
      namespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : 'default';
      meta.namespace = namespace;
    } else delete meta.namespace;
    const key = ClusterState.key(r.group, r.plural);
    const id = `${key}\u0000${namespace ?? ''}\u0000${name}`;
    const first = index.get(id);
    if (first !== undefined) {
      this.duplicates.push({ resource: key, namespace, name, kept: first, dropped: item.source });
      return;
    }
    index.set(id, item.source);
    if (typeof meta.uid !== 'string' || !meta.uid) meta.uid = uidFor(id);
    meta.resourceVersion = String(++this.resourceVersion);
    if (typeof meta.creationTimestamp !== 'string') meta.creationTimestamp = CREATED;
    const object: Raw = { ...src, metadata: meta };
    if (r.group === '' && r.kind === 'Secret' && typeof src.type !== 'string')
      object.type = 'Opaque';
    if (r.group === '' && r.kind === 'Secret' && isRecord(src.stringData)) {
      // The API server folds stringData into data on write.
      const data: Raw = isRecord(src.data) ? { ...src.data } : {};
      for (const [k, v] of Object.entries(src.stringData))
        data[k] = Buffer.from(String(v), 'utf8').toString('base64');
      object.data = data;
      delete object.stringData;
    }
    const list = this.objects.get(key) ?? [];
    list.push({ namespace, name, object });
    this.objects.set(key, list);
  }

  /** API groups with their versions, preferred first (core excluded). */
  groups(): { name: string; versions: string[] }[] {
    const byGroup = new Map<string, Set<string>>();
    for (const r of this.resources.values()) {
      if (r.group === '') continue;
      const s = byGroup.get(r.group) ?? new Set<string>();
      for (const v of r.versions) s.add(v);
      byGroup.set(r.group, s);
    }
    return [...byGroup.entries()]
      .sort(([a], [b]) => byCodepoint(a, b))
      .map(([name, versions]) => {
        const preferred = builtinGroup(name)?.versions[0];
        return {
          name,
          versions: [...versions].sort((a, b) =>
            a === preferred ? -1 : b === preferred ? 1 : compareVersions(a, b),
          ),
        };
      });
  }

  resourcesAt(group: string, version: string): ServedResource[] {
    return [...this.resources.values()]
      .filter((r) => r.group === group && r.versions.includes(version))
      .sort((a, b) => byCodepoint(a.plural, b.plural));
  }

  resolve(group: string, version: string, plural: string): ServedResource | undefined {
    const r = this.resources.get(ClusterState.key(group, plural));
    return r && r.versions.includes(version) ? r : undefined;
  }

  list(r: ServedResource): StoredObject[] {
    return this.objects.get(ClusterState.key(r.group, r.plural)) ?? [];
  }

  count(): number {
    let n = 0;
    for (const l of this.objects.values()) n += l.length;
    return n;
  }
}
