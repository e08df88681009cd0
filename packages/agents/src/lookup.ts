import type { ClusterSnapshot } from '@plumbline/contracts';

type Service = ClusterSnapshot['services'][number];
type ServiceAccount = ClusterSnapshot['serviceAccounts'][number];
type Namespace = ClusterSnapshot['namespaces'][number];
type Ingress = ClusterSnapshot['ingresses'][number];

/**
 * Lookups by namespace and name into one snapshot's lists. They answer as `list.find` does (the
 * first object in list order) and `list.filter` by namespace does (list order), without a scan of
 * the whole list per agent: discovery asks once or more per agent item, which made it
 * O(agents x services) on large clusters. Each index is built on first use. One per discovery
 * run, passed down, never cached beyond it: a module-level WeakMap keyed by the snapshot kept every
 * analysed snapshot alive through V8's young-generation collections (the cached value refers back
 * to its key, and the scavenger holds such values strongly), so a worker copied and promoted about
 * 4 MB of dead snapshot per collection at 1k pods until the next full collection.
 */
export interface SnapshotLookup {
  /** The first Service named `name` in `namespace` (null: none, or no namespace). */
  service(namespace: string | null, name: string): Service | null;
  /** The Services of a namespace, in snapshot order. */
  servicesIn(namespace: string): readonly Service[];
  /** The first ServiceAccount `namespace/name`. */
  serviceAccount(namespace: string, name: string): ServiceAccount | null;
  /** The first Namespace object of that name. */
  namespace(name: string): Namespace | null;
  /** The Ingresses of a namespace, in snapshot order. */
  ingressesIn(namespace: string): readonly Ingress[];
}

/** Objects of a list by namespace, then by name (first occurrence wins), list order kept. */
function byNamespace<T extends { namespace: string; name: string }>(list: readonly T[]) {
  const lists = new Map<string, T[]>();
  const named = new Map<string, Map<string, T>>();
  for (const o of list) {
    let l = lists.get(o.namespace);
    if (!l) {
      lists.set(o.namespace, (l = []));
      named.set(o.namespace, new Map());
    }
    l.push(o);
    const names = named.get(o.namespace)!;
    if (!names.has(o.name)) names.set(o.name, o);
  }
  return { lists, named };
}

export function snapshotLookup(snapshot: ClusterSnapshot): SnapshotLookup {
  let services: ReturnType<typeof byNamespace<Service>> | null = null;
  let accounts: ReturnType<typeof byNamespace<ServiceAccount>> | null = null;
  let namespaces: Map<string, Namespace> | null = null;
  let ingresses: ReturnType<typeof byNamespace<Ingress>> | null = null;
  const svc = () => (services ??= byNamespace(snapshot.services));
  return {
    service: (namespace, name) =>
      namespace === null ? null : (svc().named.get(namespace)?.get(name) ?? null),
    servicesIn: (namespace) => svc().lists.get(namespace) ?? [],
    serviceAccount: (namespace, name) =>
      (accounts ??= byNamespace(snapshot.serviceAccounts)).named.get(namespace)?.get(name) ?? null,
    namespace: (name) => {
      if (!namespaces) {
        namespaces = new Map();
        for (const n of snapshot.namespaces) if (!namespaces.has(n.name)) namespaces.set(n.name, n);
      }
      return namespaces.get(name) ?? null;
    },
    ingressesIn: (namespace) =>
      (ingresses ??= byNamespace(snapshot.ingresses)).lists.get(namespace) ?? [],
  };
}
