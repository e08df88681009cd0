/**
 * The exact cheapest set of actions meeting every requirement of a target, by branch and bound:
 * each branch adds one of the actions that address the first requirement still open, a branch is
 * cut as soon as it costs more hours than the best set found (or as much, with no fewer actions),
 * and each set is looked at once. Used for maturity targets (the actions' modelled effects) and
 * for accountability targets (the real assessment of the patched snapshot).
 */

export interface Searchable {
  id: string;
  hours: number;
  /** Requirement ids this action meets. */
  addresses: readonly string[];
}

/** null: no set of `actions` leaves nothing open. */
export function cheapestCover<A extends Searchable>(
  actions: readonly A[],
  /** Requirement ids a set leaves open, the first one branched on. */
  open: (chosen: readonly A[]) => readonly string[],
): A[] | null {
  let best: A[] | null = null;
  let bestCost = Infinity;
  const seen = new Set<string>();
  const cost = (xs: readonly A[]) => xs.reduce((s, a) => s + a.hours, 0);
  const visit = (chosen: A[]) => {
    const c = cost(chosen);
    if (c > bestCost || (c === bestCost && best && chosen.length >= best.length)) return;
    const key = chosen
      .map((a) => a.id)
      .sort()
      .join('|');
    if (seen.has(key)) return;
    seen.add(key);
    const left = open(chosen);
    if (!left.length) {
      best = [...chosen];
      bestCost = c;
      return;
    }
    const first = left[0]!;
    for (const a of actions)
      if (a.addresses.includes(first) && !chosen.includes(a)) visit([...chosen, a]);
  };
  visit([]);
  return best;
}
