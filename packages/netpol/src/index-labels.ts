import type { Endpoint, NamespaceInfo } from './model.js';
import {
  indexableRequirement,
  selectorKey,
  selectorMatches,
  type LabelSelector,
} from './selector.js';

/**
 * Label indexes, so selectors resolve through `key=value` posting lists instead of scanning
 * every pod against every policy: per namespace (namespaced policies), cluster-wide (cluster
 * policies), and over namespaces (namespace selectors). Resolved selectors are cached.
 */

/**
 * Postings of a set of endpoints: label key -> value -> endpoint idx (ascending). Built per key
 * on its first lookup: selectors name few of the keys endpoints carry, so indexing every key of
 * every endpoint up front mostly built lists nobody read.
 */
class Postings {
  private readonly byKey = new Map<string, Map<string, number[]> | null>();

  constructor(
    private readonly endpoints: readonly Endpoint[],
    private readonly members: readonly number[],
  ) {}

  /** value -> endpoints carrying the key with that value; null when none carries the key. */
  get(key: string): Map<string, number[]> | null {
    let byValue = this.byKey.get(key);
    if (byValue === undefined) {
      byValue = null;
      for (const idx of this.members) {
        const labels = this.endpoints[idx]!.labels;
        if (!Object.prototype.hasOwnProperty.call(labels, key)) continue;
        const v = labels[key]!;
        byValue ??= new Map();
        const list = byValue.get(v);
        if (list) list.push(idx);
        else byValue.set(v, [idx]);
      }
      this.byKey.set(key, byValue);
    }
    return byValue;
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
  private readonly byNs = new Map<string, { all: number[]; postings: Postings | null }>();
  private readonly global: { all: number[]; postings: Postings | null } = {
    all: [],
    postings: null,
  };
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
      if (!ns) this.byNs.set(e.namespace, (ns = { all: [], postings: null }));
      ns.all.push(e.idx);
      this.global.all.push(e.idx);
    }
  }

  /** Cluster-wide postings, built on the first cluster-wide selector (most clusters have none). */
  private globalPostings(): Postings {
    return (this.global.postings ??= new Postings(this.endpoints, this.global.all));
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
        ? candidates((idx.postings ??= new Postings(this.endpoints, idx.all)), idx.all, sel).filter(
            (i) => selectorMatches(sel, this.endpoints[i]!.labels),
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
