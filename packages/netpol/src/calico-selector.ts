import type { Labels } from './selector.js';

/**
 * Calico selector expressions: `==`, `!=`, `has()`, `!has()`, `in {}`, `not in {}`, `contains`,
 * `starts with`, `ends with`, `!`, `&&`, `||`, `all()`, `global()` and parentheses.
 * https://docs.tigera.io/calico/latest/reference/resources/networkpolicy#selectors
 */

export type CalicoExpr =
  | { t: 'all' }
  | { t: 'global' }
  | { t: 'has'; key: string }
  | { t: 'eq'; key: string; value: string }
  | { t: 'ne'; key: string; value: string }
  | { t: 'in'; key: string; values: readonly string[] }
  | { t: 'notin'; key: string; values: readonly string[] }
  | { t: 'contains' | 'starts' | 'ends'; key: string; value: string }
  | { t: 'not'; e: CalicoExpr }
  | { t: 'and'; l: CalicoExpr; r: CalicoExpr }
  | { t: 'or'; l: CalicoExpr; r: CalicoExpr };

export class CalicoSelectorError extends Error {}

type Tok = { k: 'id'; v: string } | { k: 'str'; v: string } | { k: 'op'; v: string } | { k: 'end' };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '&&', '||'].includes(two)) {
      out.push({ k: 'op', v: two });
      i += 2;
      continue;
    }
    if ('!(){},'.includes(c)) {
      out.push({ k: 'op', v: c });
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new CalicoSelectorError(`unterminated string at ${i}`);
      out.push({ k: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const m = /^[A-Za-z0-9_./-]+/.exec(src.slice(i));
    if (!m) throw new CalicoSelectorError(`unexpected character '${c}' at ${i}`);
    out.push({ k: 'id', v: m[0] });
    i += m[0].length;
  }
  out.push({ k: 'end' });
  return out;
}

export function parseCalicoSelector(src: string): CalicoExpr {
  if (!src.trim()) return { t: 'all' };
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p]!;
  const next = () => toks[p++]!;
  const isOp = (v: string) => {
    const t = peek();
    return t.k === 'op' && t.v === v;
  };
  const expectOp = (v: string) => {
    const t = next();
    if (t.k !== 'op' || t.v !== v) throw new CalicoSelectorError(`expected '${v}' in "${src}"`);
  };
  const str = (): string => {
    const t = next();
    if (t.k !== 'str') throw new CalicoSelectorError(`expected a quoted value in "${src}"`);
    return t.v;
  };
  const set = (): string[] => {
    expectOp('{');
    const values: string[] = [];
    if (!isOp('}')) {
      values.push(str());
      while (isOp(',')) {
        next();
        values.push(str());
      }
    }
    expectOp('}');
    return values;
  };

  const primary = (): CalicoExpr => {
    if (isOp('!')) {
      next();
      return { t: 'not', e: primary() };
    }
    if (isOp('(')) {
      next();
      const e = or();
      expectOp(')');
      return e;
    }
    const t = next();
    if (t.k !== 'id') throw new CalicoSelectorError(`expected a label or function in "${src}"`);
    if ((t.v === 'all' || t.v === 'global' || t.v === 'has') && isOp('(')) {
      next();
      if (t.v === 'has') {
        const k = next();
        if (k.k !== 'id') throw new CalicoSelectorError(`has() needs a label key in "${src}"`);
        expectOp(')');
        return { t: 'has', key: k.v };
      }
      expectOp(')');
      return { t: t.v };
    }
    const key = t.v;
    if (isOp('==')) {
      next();
      return { t: 'eq', key, value: str() };
    }
    if (isOp('!=')) {
      next();
      return { t: 'ne', key, value: str() };
    }
    const w = peek();
    if (w.k === 'id') {
      if (w.v === 'in') {
        next();
        return { t: 'in', key, values: set() };
      }
      if (w.v === 'not') {
        next();
        const n = next();
        if (n.k !== 'id' || n.v !== 'in')
          throw new CalicoSelectorError(`expected 'not in' in "${src}"`);
        return { t: 'notin', key, values: set() };
      }
      if (w.v === 'contains') {
        next();
        return { t: 'contains', key, value: str() };
      }
      if (w.v === 'starts' || w.v === 'ends') {
        next();
        const n = next();
        if (n.k !== 'id' || n.v !== 'with')
          throw new CalicoSelectorError(`expected 'with' in "${src}"`);
        return { t: w.v, key, value: str() };
      }
    }
    throw new CalicoSelectorError(`expected an operator after "${key}" in "${src}"`);
  };
  const and = (): CalicoExpr => {
    let l = primary();
    while (isOp('&&')) {
      next();
      l = { t: 'and', l, r: primary() };
    }
    return l;
  };
  const or = (): CalicoExpr => {
    let l = and();
    while (isOp('||')) {
      next();
      l = { t: 'or', l, r: and() };
    }
    return l;
  };
  const e = or();
  if (peek().k !== 'end') throw new CalicoSelectorError(`unexpected text at the end of "${src}"`);
  return e;
}

/**
 * Evaluate against labels. `global` says whether the subject is a non-namespaced resource
 * (GlobalNetworkSet, HostEndpoint): `global()` matches only those.
 */
/**
 * How calicoMatches reads the labels of a subject `T`: a plain label map, or (calico.ts) an
 * endpoint whose Calico labels are its pod labels plus a few `projectcalico.org/` ones, read in
 * place rather than copied into a merged object for every endpoint.
 */
export interface LabelLookup<T> {
  has(subject: T, key: string): boolean;
  get(subject: T, key: string): string | undefined;
}

const PLAIN_LABELS: LabelLookup<Labels> = {
  has: (labels, key) => Object.prototype.hasOwnProperty.call(labels, key),
  get: (labels, key) => labels[key],
};

export function calicoMatches(e: CalicoExpr, labels: Labels, global = false): boolean {
  return calicoMatchesIn(e, labels, PLAIN_LABELS, global);
}

/** calicoMatches over the labels of any subject, through its lookup. */
export function calicoMatchesIn<T>(
  e: CalicoExpr,
  subject: T,
  l: LabelLookup<T>,
  global = false,
): boolean {
  switch (e.t) {
    case 'all':
      return true;
    case 'global':
      return global;
    case 'has':
      return l.has(subject, e.key);
    case 'eq':
      return l.has(subject, e.key) && l.get(subject, e.key) === e.value;
    case 'ne':
      return !l.has(subject, e.key) || l.get(subject, e.key) !== e.value;
    case 'in':
      return l.has(subject, e.key) && e.values.includes(l.get(subject, e.key)!);
    case 'notin':
      return !l.has(subject, e.key) || !e.values.includes(l.get(subject, e.key)!);
    case 'contains':
      return l.has(subject, e.key) && l.get(subject, e.key)!.includes(e.value);
    case 'starts':
      return l.has(subject, e.key) && l.get(subject, e.key)!.startsWith(e.value);
    case 'ends':
      return l.has(subject, e.key) && l.get(subject, e.key)!.endsWith(e.value);
    case 'not':
      return !calicoMatchesIn(e.e, subject, l, global);
    case 'and':
      return calicoMatchesIn(e.l, subject, l, global) && calicoMatchesIn(e.r, subject, l, global);
    case 'or':
      return calicoMatchesIn(e.l, subject, l, global) || calicoMatchesIn(e.r, subject, l, global);
  }
}

/** Top-level `key == 'value'` conjuncts, usable to narrow candidates through a label index. */
export function calicoEqualities(e: CalicoExpr): [string, string][] {
  if (e.t === 'eq') return [[e.key, e.value]];
  if (e.t === 'and') return [...calicoEqualities(e.l), ...calicoEqualities(e.r)];
  return [];
}
