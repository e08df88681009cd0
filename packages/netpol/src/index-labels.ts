import type { Endpoint, NamespaceInfo } from './model.js';
import {
  indexableRequirement,
  selectorKey,
  selectorMatches,
  type LabelSelector,
  type Labels,
} from './selector.js';

/**
 * Label indexes, so selectors resolve through `key=value` posting lists instead of scanning
 * every pod against every policy: per namespace (namespaced policies), cluster-wide (cluster
 * policies), and over namespaces (namespace selectors). Resolved selectors are cached.
 */

type Postings = Map<string, Map<string, number[]>>; // key -> value -> endpoint idx

function post(p: Postings, labels: Labels, idx: number): void {
  for (const k of Object.keys(labels)) {
    const v = labels[k]!;
    let byValue = p.get(k);
    if (!byValue) p.set(k, (byValue = new Map()));
    let list = byValue.get(v);
    if (!list) byValue.set(v, (list = []));
    list.push(idx);
  }
}

function candidates(p: Postings, all: readonly number[], sel: LabelSelector): readonly number[] {
  const r = indexableRequirement(sel);
  if (!r) return all;
  const byValue = p.get(r.key);
  if (!byValue) return [];
  if (r.operator === 'Exists') {
    const out: number[] = [];
    for (const list of byValue.values()) out.push(...list);
    return out.sort((a, b) => a - b);
  }
  if (r.values.length === 1) return byValue.get(r.values[0]!) ?? [];
  const out: number[] = [];
  for (const v of r.values) out.push(...(byValue.get(v) ?? []));
  return out.sort((a, b) => a - b);
}

export class LabelIndex {
  private readonly byNs = new Map<string, { all: number[]; postings: Postings }>();
  private readonly global: { all: number[]; postings: Postings | null } = {
    all: [],
    postings: null,
  };
  /** The policy-selectable endpoints, in order (what the cluster-wide postings are built from). */
  private readonly selectable: Endpoint[] = [];
  private readonly nsList: NamespaceInfo[];
  private readonly nsCache = new Map<string, string[]>();
  private readonly podCache = new Map<string, readonly number[]>();

  constructor(
    readonly endpoints: readonly Endpoint[],
    readonly namespaces: ReadonlyMap<string, NamespaceInfo>,
  ) {
    this.nsList = [...namespaces.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of endpoints) {
      if (e.hostNetwork) continue; // NetworkPolicy never selects host-network pods
      let ns = this.byNs.get(e.namespace);
      if (!ns) this.byNs.set(e.namespace, (ns = { all: [], postings: new Map() }));
      ns.all.push(e.idx);
      post(ns.postings, e.labels, e.idx);
      this.global.all.push(e.idx);
      this.selectable.push(e);
    }
  }

  /** Cluster-wide postings, built on the first cluster-wide selector (most clusters have none). */
  private globalPostings(): Postings {
    let p = this.global.postings;
    if (!p) {
      p = new Map();
      for (const e of this.selectable) post(p, e.labels, e.idx);
      this.global.postings = p;
    }
    return p;
  }

  /** Endpoint indexes in the namespace (policy-selectable ones). */
  inNamespace(ns: string): readonly number[] {
    return this.byNs.get(ns)?.all ?? [];
  }

  /** Namespaces whose labels match (sorted names). */
  namespacesMatching(sel: LabelSelector): string[] {
    const key = selectorKey(sel);
    let out = this.nsCache.get(key);
    if (!out) {
      out = this.nsList.filter((n) => selectorMatches(sel, n.labels)).map((n) => n.name);
      this.nsCache.set(key, out);
    }
    return out;
  }

  /** Endpoints of one namespace matching a pod selector. */
  podsInNamespace(ns: string, sel: LabelSelector): readonly number[] {
    const key = `${ns}\u0004${selectorKey(sel)}`;
    let out = this.podCache.get(key);
    if (!out) {
      const idx = this.byNs.get(ns);
      out = idx
        ? candidates(idx.postings, idx.all, sel).filter((i) =>
            selectorMatches(sel, this.endpoints[i]!.labels),
          )
        : [];
      this.podCache.set(key, out);
    }
    return out;
  }

  /** Endpoints matching a pod selector in every namespace matching a namespace selector. */
  pods(nsSel: LabelSelector | null, podSel: LabelSelector): readonly number[] {
    const key = `${nsSel ? selectorKey(nsSel) : '*'}\u0005${selectorKey(podSel)}`;
    let out = this.podCache.get(key);
    if (out) return out;
    if (!nsSel) {
      out = candidates(this.globalPostings(), this.global.all, podSel).filter((i) =>
        selectorMatches(podSel, this.endpoints[i]!.labels),
      );
    } else {
      const list: number[] = [];
      for (const ns of this.namespacesMatching(nsSel))
        list.push(...this.podsInNamespace(ns, podSel));
      out = list.sort((a, b) => a - b);
    }
    this.podCache.set(key, out);
    return out;
  }

  /** Every policy-selectable endpoint. */
  all(): readonly number[] {
    return this.global.all;
  }
}
