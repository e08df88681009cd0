/**
 * IP address sets (IPv4 and IPv6) as sorted inclusive ranges, for ipBlock / CIDR peers.
 */

export type Family = 4 | 6;

export interface IpRange {
  family: Family;
  lo: bigint;
  hi: bigint;
}

const V4_MAX = (1n << 32n) - 1n;
const V6_MAX = (1n << 128n) - 1n;
export const familyMax = (f: Family) => (f === 4 ? V4_MAX : V6_MAX);

function parseV4(s: string): bigint | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(s: string): bigint | null {
  let text = s;
  let tail: bigint | null = null;
  // IPv4-mapped suffix (::ffff:1.2.3.4)
  const m = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (m) {
    tail = parseV4(m[2]!);
    if (tail === null) return null;
    text = `${m[1]!}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  if (tail !== null) v = (v & ~0xffffffffn) | tail;
  return v;
}

/** Parse `a.b.c.d/n`, `x::y/n`, or a bare address (a /32 or /128). Null when malformed. */
export function parseCidr(text: string): IpRange | null {
  const [addr, bits] = text.trim().split('/');
  if (!addr) return null;
  const family: Family = addr.includes(':') ? 6 : 4;
  const value = family === 4 ? parseV4(addr) : parseV6(addr);
  if (value === null) return null;
  const width = family === 4 ? 32 : 128;
  const prefix = bits === undefined ? width : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > width) return null;
  const hostBits = BigInt(width - prefix);
  const mask = ((1n << hostBits) - 1n) as bigint;
  const lo = value & ~mask & familyMax(family);
  return { family, lo, hi: lo | mask };
}

export function formatAddress(family: Family, v: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => ((v >> s) & 255n).toString()).join('.');
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((v >> BigInt(i * 16)) & 0xffffn).toString(16));
  // compress the longest run of zero groups
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  const left = groups.slice(0, best).join(':');
  const right = groups.slice(best + bestLen).join(':');
  return `${left}::${right}`;
}

export function formatRange(r: IpRange): string {
  return `${formatAddress(r.family, r.lo)}-${formatAddress(r.family, r.hi)}`;
}

/** A set of IP ranges (both families), kept sorted and merged. */
export class IpSet {
  private constructor(readonly ranges: readonly IpRange[]) {}

  static readonly EMPTY = new IpSet([]);
  static readonly ALL = new IpSet([
    { family: 4, lo: 0n, hi: V4_MAX },
    { family: 6, lo: 0n, hi: V6_MAX },
  ]);

  static of(ranges: readonly IpRange[]): IpSet {
    const sorted = [...ranges].sort((a, b) =>
      a.family !== b.family ? a.family - b.family : a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0,
    );
    const out: IpRange[] = [];
    for (const r of sorted) {
      const last = out[out.length - 1];
      if (last && last.family === r.family && r.lo <= last.hi + 1n) {
        if (r.hi > last.hi) out[out.length - 1] = { ...last, hi: r.hi };
      } else out.push({ ...r });
    }
    return new IpSet(out);
  }

  /** `cidr` minus every `except` (an ipBlock). Null when a CIDR is malformed. */
  static block(cidr: string, except: readonly string[] = []): IpSet | null {
    const base = parseCidr(cidr);
    if (!base) return null;
    let set = IpSet.of([base]);
    for (const e of except) {
      const x = parseCidr(e);
      if (!x) return null;
      set = set.subtract(IpSet.of([x]));
    }
    return set;
  }

  isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  union(o: IpSet): IpSet {
    return IpSet.of([...this.ranges, ...o.ranges]);
  }

  subtract(o: IpSet): IpSet {
    let out: IpRange[] = [...this.ranges];
    for (const x of o.ranges) {
      const next: IpRange[] = [];
      for (const r of out) {
        if (r.family !== x.family || x.hi < r.lo || x.lo > r.hi) {
          next.push(r);
          continue;
        }
        if (x.lo > r.lo) next.push({ family: r.family, lo: r.lo, hi: x.lo - 1n });
        if (x.hi < r.hi) next.push({ family: r.family, lo: x.hi + 1n, hi: r.hi });
      }
      out = next;
    }
    return new IpSet(out);
  }

  intersect(o: IpSet): IpSet {
    const out: IpRange[] = [];
    for (const a of this.ranges)
      for (const b of o.ranges) {
        if (a.family !== b.family) continue;
        const lo = a.lo > b.lo ? a.lo : b.lo;
        const hi = a.hi < b.hi ? a.hi : b.hi;
        if (lo <= hi) out.push({ family: a.family, lo, hi });
      }
    return IpSet.of(out);
  }

  /** Does this set contain the whole range? */
  containsRange(r: IpRange): boolean {
    return this.ranges.some((x) => x.family === r.family && x.lo <= r.lo && x.hi >= r.hi);
  }

  /** Does this set cover a whole address family? */
  coversFamily(f: Family): boolean {
    return this.containsRange({ family: f, lo: 0n, hi: familyMax(f) });
  }

  hasFamily(f: Family): boolean {
    return this.ranges.some((r) => r.family === f);
  }

  toString(): string {
    return this.ranges.map(formatRange).join(',');
  }
}

/**
 * Split the address space of the given families into disjoint contiguous ranges, cut at every
 * boundary of the given sets, so each range is either wholly inside or wholly outside each set.
 */
export function atomize(sets: readonly IpSet[], families: readonly Family[]): IpRange[] {
  const out: IpRange[] = [];
  for (const family of families) {
    const max = familyMax(family);
    const cuts = new Set<bigint>([0n]);
    for (const s of sets)
      for (const r of s.ranges) {
        if (r.family !== family) continue;
        cuts.add(r.lo);
        if (r.hi < max) cuts.add(r.hi + 1n);
      }
    const sorted = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    sorted.forEach((lo, i) => {
      const next = sorted[i + 1];
      out.push({ family, lo, hi: next === undefined ? max : next - 1n });
    });
  }
  return out;
}
