/**
 * Kubernetes label selectors (matchLabels AND matchExpressions), parsed from untyped spec JSON.
 */

export type Labels = Readonly<Record<string, string>>;

export interface Requirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: readonly string[];
}

export interface LabelSelector {
  /** matchLabels folded in as `In` requirements with one value. */
  requirements: readonly Requirement[];
  /** A requirement with an unknown operator: the selector matches nothing (fail closed). */
  invalid: boolean;
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export const isObject = (v: unknown): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const asObject = (v: unknown): JsonObject => (isObject(v) ? v : {});
export const asArray = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);
export const asString = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export const EMPTY_SELECTOR: LabelSelector = { requirements: [], invalid: false };

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** Parse a LabelSelector; `null`/absent gives null (the caller decides what absent means). */
export function parseSelector(v: unknown): LabelSelector | null {
  if (v === undefined || v === null) return null;
  const o = asObject(v);
  let invalid = !isObject(v);
  // Object.keys, not Object.entries: no pair array per label (same keys, same order). A map,
  // not pushes onto []: an array grown by push from empty reserves 17 slots, and selectors are
  // kept for the whole analysis (most have only matchLabels).
  const matchLabels = asObject(o.matchLabels);
  const requirements: Requirement[] = Object.keys(matchLabels).map((key) => ({
    key,
    operator: 'In',
    values: [String(matchLabels[key])],
  }));
  for (const e of asArray(o.matchExpressions)) {
    const x = asObject(e);
    const key = asString(x.key);
    const op = asString(x.operator);
    if (!key || !op || !OPERATORS.has(op)) {
      invalid = true;
      continue;
    }
    requirements.push({
      key,
      operator: op as Requirement['operator'],
      values: asArray(x.values).map(String),
    });
  }
  return { requirements, invalid };
}

export function selectorMatches(sel: LabelSelector, labels: Labels): boolean {
  if (sel.invalid) return false;
  for (const r of sel.requirements) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.operator) {
      case 'In':
        if (!has || !r.values.includes(labels[r.key]!)) return false;
        break;
      case 'NotIn':
        if (has && r.values.includes(labels[r.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

export const isEmptySelector = (sel: LabelSelector) =>
  !sel.invalid && sel.requirements.length === 0;

/** Readable form, e.g. `app=web,tier in (a,b),!legacy`; `all` for the empty selector. */
export function describeSelector(sel: LabelSelector): string {
  if (sel.invalid) return '(invalid selector: matches nothing)';
  if (!sel.requirements.length) return 'all';
  return sel.requirements
    .map((r) => {
      if (r.operator === 'In')
        return r.values.length === 1
          ? `${r.key}=${r.values[0]}`
          : `${r.key} in (${r.values.join(',')})`;
      if (r.operator === 'NotIn') return `${r.key} notin (${r.values.join(',')})`;
      if (r.operator === 'Exists') return r.key;
      return `!${r.key}`;
    })
    .join(',');
}

/**
 * A canonical key: equal selectors give equal keys. Built on each call, not cached: a
 * module-level WeakMap keyed by selector cost more to fill than the keys cost to build (every
 * analysis parses new selectors, and each entry goes into a table in the old generation), and a
 * per-index Map measured no better.
 */
export function selectorKey(sel: LabelSelector): string {
  const reqs = sel.requirements;
  if (sel.invalid) return '!invalid';
  if (reqs.length === 0) return '';
  if (reqs.length === 1 && reqs[0]!.values.length <= 1) {
    // The common `app: web` selector: what the general form gives for one requirement with at
    // most one value, without the arrays and sorts.
    const r = reqs[0]!;
    return `${r.key}\u0001${r.operator}\u0001${r.values.length ? r.values[0]! : ''}`;
  }
  return reqs
    .map((r) => `${r.key}\u0001${r.operator}\u0001${[...r.values].sort().join('\u0002')}`)
    .sort()
    .join('\u0003');
}

/** Requirements usable to narrow candidates through a label index (`key=value` lookups). */
export function indexableRequirement(sel: LabelSelector): Requirement | null {
  let best: Requirement | null = null;
  for (const r of sel.requirements) {
    if (r.operator === 'In' && (!best || r.values.length < best.values.length)) best = r;
  }
  if (best) return best;
  return sel.requirements.find((r) => r.operator === 'Exists') ?? null;
}
