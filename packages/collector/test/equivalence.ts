/**
 * The exact normalisation under which a live snapshot (from the API simulator serving a fixture
 * group) must equal the offline snapshot of the same files. Everything not listed here must be
 * byte-for-byte equal (after JSON serialisation). Documented in packages/kube-sim/README.md.
 *
 * 1. Identity and mode: `mode`, `cluster.id`/`idSource` (kube-system uid vs derived),
 *    `cluster.kubernetesVersion` (/version), `cluster.nodeCount`/`nodeCountSource` (observed vs
 *    unknown) are removed from both.
 * 2. Object uids (`namespaces[].uid`, `workloads[].uid`): the API server gives every object one;
 *    where the file had a uid, live must carry the same one; where it had none, live must carry
 *    a UUID, and both compare as null.
 * 3. Namespaces every API server has (default, kube-node-lease, kube-public, kube-system) are
 *    removed from live when the files do not define them, and the `core/Namespace` count with
 *    them.
 * 4. `apiVersion` of spec objects: the API server returns objects at the version listed (the
 *    type's preferred version), so offline values are rewritten to that version of the same
 *    group.
 * 5. `collection`: (a) offline entries for types live collection does not list must be
 *    `skipped` as "not needed by the analysis", and are removed; (b) `core/Secret` is `skipped`
 *    on both sides, but live does not count Secrets it does not list: its count is not compared;
 *    (c) live entries with no objects for types the files do not have (listed empty, or
 *    `not-served`) are removed; (d) offline counts every document, so documents the reducer
 *    reported as duplicates of an earlier object, or skipped for a name longer than 253
 *    characters, are subtracted (the API holds one object, and refuses over-long names).
 * 6. `warnings`: offline warnings are about files (unparseable documents, templates, non-objects,
 *    duplicates) and are removed; live warnings must be empty.
 */
import type { ClusterSnapshot, CollectionEntry } from '@plumbline/contracts';
import { isCollected } from '../src/reduce.js';

const SYSTEM_NAMESPACES = new Set(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOT_NEEDED = 'not needed by the analysis';

type Json = Record<string, unknown>;

function splitResource(resource: string): [string, string] {
  const i = resource.lastIndexOf('/');
  return [resource.slice(0, i), resource.slice(i + 1)];
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export interface ServedVersion {
  /** `core` for the core group. */
  group: string;
  kind: string;
  /** The version live collection lists this type at. */
  version: string;
}

export function normalisePair(
  offlineIn: ClusterSnapshot,
  liveIn: ClusterSnapshot,
  served: readonly ServedVersion[],
): { offline: Json; live: Json; problems: string[] } {
  const offline = clone(offlineIn);
  const live = clone(liveIn);
  const problems: string[] = [];

  // 1. identity and mode
  for (const s of [offline, live] as Json[]) {
    delete s.mode;
    const c = s.cluster as Json;
    for (const k of ['id', 'idSource', 'kubernetesVersion', 'nodeCount', 'nodeCountSource'])
      delete c[k];
  }

  // 3. system namespaces
  const offlineNs = new Set(offline.namespaces.map((n) => n.name));
  const dropped = live.namespaces.filter(
    (n) => SYSTEM_NAMESPACES.has(n.name) && !offlineNs.has(n.name),
  );
  live.namespaces = live.namespaces.filter((n) => !dropped.includes(n));
  const nsEntry = live.collection.find((c) => c.resource === 'core/Namespace');
  if (nsEntry) nsEntry.count -= dropped.length;

  // 2. uids
  const uids = (
    off: { uid: string | null; name: string }[],
    liv: { uid: string | null; name: string }[],
    list: string,
  ) => {
    liv.forEach((item, i) => {
      const o = off[i];
      if (!o || o.name !== item.name) return; // the lists differ: the final comparison reports it
      if (o.uid === null) {
        if (item.uid === null || !UUID.test(item.uid))
          problems.push(`${list} ${item.name}: live uid ${item.uid} is not a UUID`);
        item.uid = null;
      }
    });
  };
  uids(offline.namespaces, live.namespaces, 'namespaces');
  uids(offline.workloads, live.workloads, 'workloads');

  // 4. apiVersion of spec objects
  const version = new Map(served.map((s) => [`${s.group}/${s.kind}`, s.version]));
  const rewrite = (o: { apiVersion: string; kind: string }) => {
    const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : 'core';
    const v = version.get(`${group}/${o.kind}`);
    if (v) o.apiVersion = group === 'core' ? v : `${group}/${v}`;
  };
  for (const list of [
    offline.networkPolicies,
    offline.policyObjects,
    offline.gatewayApi,
    offline.config.customResources,
  ])
    list.forEach(rewrite);

  // 5. collection (d first: duplicates of every type, then a-c)
  const specObjects = [
    ...offline.networkPolicies,
    ...offline.policyObjects,
    ...offline.gatewayApi,
    ...offline.config.customResources,
  ];
  for (const w of offline.warnings) {
    const long = /^(\S+) name longer than 253 characters/.exec(w.message);
    if (long) {
      // Counted, then skipped by the reducer; an API server refuses the object outright.
      let entries = offline.collection.filter((c) => c.resource.endsWith(`/${long[1]}`));
      if (entries.length > 1)
        entries = entries.filter((c) => isCollected(...splitResource(c.resource)));
      if (entries.length === 1) entries[0]!.count--;
      else problems.push(`long name of ${long[1]}: cannot tell its type`);
      continue;
    }
    const m = /^duplicate (\S+) (?:(\S+)\/)?(\S+); kept/.exec(w.message);
    if (!m) continue;
    let entries = offline.collection.filter((c) => c.resource.endsWith(`/${m[1]}`));
    if (entries.length > 1) {
      // The same kind in two groups (NetworkPolicy): the kept object tells which one.
      const groups = specObjects
        .filter((o) => o.kind === m[1] && o.name === m[3] && (o.namespace ?? undefined) === m[2])
        .map((o) => (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : 'core'));
      entries = entries.filter((c) =>
        groups.includes(c.resource.slice(0, c.resource.lastIndexOf('/'))),
      );
    }
    if (entries.length !== 1) {
      problems.push(`duplicate ${m[1]}: cannot tell its type (${entries.length} candidates)`);
      continue;
    }
    entries[0]!.count--;
  }
  const liveTypes = new Set(live.collection.map((c) => c.resource));
  offline.collection = offline.collection.filter((c) => {
    if (liveTypes.has(c.resource)) return true;
    if (
      c.status !== 'skipped' ||
      c.message !== NOT_NEEDED ||
      isCollected(...splitResource(c.resource))
    )
      problems.push(`offline has ${c.resource} (${c.status}, ${c.count}) but live did not list it`);
    return false;
  });
  const offlineTypes = new Set(offline.collection.map((c) => c.resource));
  live.collection = live.collection.filter(
    (c) =>
      offlineTypes.has(c.resource) ||
      !(c.count === 0 && ['ok', 'not-served', 'skipped'].includes(c.status)),
  );
  for (const list of [offline.collection, live.collection] as CollectionEntry[][]) {
    const secret = list.find((c) => c.resource === 'core/Secret');
    if (secret) secret.count = -1;
  }

  // 6. warnings
  if (live.warnings.length)
    problems.push(`live warnings: ${JSON.stringify(live.warnings.slice(0, 3))}`);
  offline.warnings = [];
  live.warnings = [];

  return { offline: offline as unknown as Json, live: live as unknown as Json, problems };
}
