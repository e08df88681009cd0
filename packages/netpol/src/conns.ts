/**
 * Connection sets: which protocols and destination ports a connection may use.
 *
 * TCP, UDP and SCTP carry destination-port ranges (1-65535); every other IP protocol (ICMP,
 * ICMPv6, ...) is tracked as one `other` bucket, because Kubernetes NetworkPolicy can only name
 * TCP, UDP and SCTP (a rule without ports allows every protocol, ICMP included).
 */

export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** Sorted, disjoint, non-adjacent inclusive ranges, flattened: [lo0, hi0, lo1, hi1, ...]. */
export type Ranges = readonly number[];

const FULL: Ranges = [MIN_PORT, MAX_PORT];
const NONE: Ranges = [];

function normalize(pairs: [number, number][]): Ranges {
  const valid = pairs
    .map(([a, b]): [number, number] => [Math.max(MIN_PORT, a), Math.min(MAX_PORT, b)])
    .filter(([a, b]) => a <= b)
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: number[] = [];
  for (const [a, b] of valid) {
    const n = out.length;
    if (n && a <= out[n - 1]! + 1) out[n - 1] = Math.max(out[n - 1]!, b);
    else out.push(a, b);
  }
  return out;
}

function pairsOf(r: Ranges): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < r.length; i += 2) out.push([r[i]!, r[i + 1]!]);
  return out;
}

export function rangesUnion(a: Ranges, b: Ranges): Ranges {
  if (!a.length) return b;
  if (!b.length) return a;
  return normalize([...pairsOf(a), ...pairsOf(b)]);
}

export function rangesIntersect(a: Ranges, b: Ranges): Ranges {
  if (!a.length || !b.length) return NONE;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]!, b[j]!);
    const hi = Math.min(a[i + 1]!, b[j + 1]!);
    if (lo <= hi) out.push(lo, hi);
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return out;
}

export function rangesSubtract(a: Ranges, b: Ranges): Ranges {
  if (!a.length || !b.length) return a;
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let lo = a[i]!;
    const hi = a[i + 1]!;
    while (j < b.length && b[j + 1]! < lo) j += 2;
    let k = j;
    while (k < b.length && b[k]! <= hi) {
      if (b[k]! > lo) out.push(lo, b[k]! - 1);
      lo = Math.max(lo, b[k + 1]! + 1);
      k += 2;
    }
    if (lo <= hi) out.push(lo, hi);
  }
  return out;
}

function rangesEqual(a: Ranges, b: Ranges): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const isFull = (r: Ranges) => r.length === 2 && r[0] === MIN_PORT && r[1] === MAX_PORT;

/** An immutable set of (protocol, destination port) pairs plus the "other protocols" bucket. */
export class ConnSet {
  private constructor(
    readonly tcp: Ranges,
    readonly udp: Ranges,
    readonly sctp: Ranges,
    readonly other: boolean,
  ) {}

  static readonly ALL = new ConnSet(FULL, FULL, FULL, true);
  static readonly NONE = new ConnSet(NONE, NONE, NONE, false);

  static of(parts: { tcp?: Ranges; udp?: Ranges; sctp?: Ranges; other?: boolean }): ConnSet {
    return new ConnSet(parts.tcp ?? NONE, parts.udp ?? NONE, parts.sctp ?? NONE, !!parts.other);
  }

  /** One protocol, ports lo..hi (inclusive; defaults: every port). */
  static ports(protocol: Protocol, lo = MIN_PORT, hi = MAX_PORT): ConnSet {
    // One range: what normalize([[lo, hi]]) gives, clamped (empty when inverted), built directly.
    const a = Math.max(MIN_PORT, lo);
    const b = Math.min(MAX_PORT, hi);
    const r: Ranges = a <= b ? [a, b] : [];
    if (protocol === 'TCP') return new ConnSet(r, NONE, NONE, false);
    if (protocol === 'UDP') return new ConnSet(NONE, r, NONE, false);
    if (protocol === 'SCTP') return new ConnSet(NONE, NONE, r, false);
    return ConnSet.of({ [(protocol as string).toLowerCase()]: r });
  }

  /** Every port of one protocol, or the other-protocols bucket for anything else. */
  static protocol(name: string): ConnSet {
    const p = name.toUpperCase();
    if (p === 'TCP' || p === 'UDP' || p === 'SCTP') return ConnSet.ports(p);
    return ConnSet.of({ other: true });
  }

  get(protocol: Protocol): Ranges {
    return protocol === 'TCP' ? this.tcp : protocol === 'UDP' ? this.udp : this.sctp;
  }

  isEmpty(): boolean {
    return !this.other && !this.tcp.length && !this.udp.length && !this.sctp.length;
  }

  isAll(): boolean {
    return this.other && isFull(this.tcp) && isFull(this.udp) && isFull(this.sctp);
  }

  union(o: ConnSet): ConnSet {
    if (this.isEmpty() || o.isAll()) return o;
    if (o.isEmpty() || this.isAll()) return this;
    return new ConnSet(
      rangesUnion(this.tcp, o.tcp),
      rangesUnion(this.udp, o.udp),
      rangesUnion(this.sctp, o.sctp),
      this.other || o.other,
    );
  }

  intersect(o: ConnSet): ConnSet {
    if (this.isAll()) return o;
    if (o.isAll()) return this;
    if (this.isEmpty() || o.isEmpty()) return ConnSet.NONE;
    return new ConnSet(
      rangesIntersect(this.tcp, o.tcp),
      rangesIntersect(this.udp, o.udp),
      rangesIntersect(this.sctp, o.sctp),
      this.other && o.other,
    );
  }

  subtract(o: ConnSet): ConnSet {
    if (o.isEmpty() || this.isEmpty()) return this;
    if (o.isAll()) return ConnSet.NONE;
    return new ConnSet(
      rangesSubtract(this.tcp, o.tcp),
      rangesSubtract(this.udp, o.udp),
      rangesSubtract(this.sctp, o.sctp),
      this.other && !o.other,
    );
  }

  contains(o: ConnSet): boolean {
    return o.subtract(this).isEmpty();
  }

  equals(o: ConnSet): boolean {
    return (
      this.other === o.other &&
      rangesEqual(this.tcp, o.tcp) &&
      rangesEqual(this.udp, o.udp) &&
      rangesEqual(this.sctp, o.sctp)
    );
  }

  has(protocol: string, port: number): boolean {
    const p = protocol.toUpperCase();
    if (p !== 'TCP' && p !== 'UDP' && p !== 'SCTP') return this.other;
    const r = this.get(p);
    for (let i = 0; i < r.length; i += 2) if (port >= r[i]! && port <= r[i + 1]!) return true;
    return false;
  }

  /** TCP, UDP and SCTP are all fully allowed (np-guard's `All Connections`; ICMP aside). */
  isAllTransport(): boolean {
    return isFull(this.tcp) && isFull(this.udp) && isFull(this.sctp);
  }

  /** No TCP, UDP or SCTP port is allowed (whatever the other-protocols bucket holds). */
  isEmptyTransport(): boolean {
    return !this.tcp.length && !this.udp.length && !this.sctp.length;
  }

  /**
   * The connlist rendering of np-guard's netpol-analyzer, whose universe is TCP, UDP and SCTP:
   * `All Connections` when the three are fully allowed, `No Connections` when none is, else one
   * entry per protocol (its name, a space, its ranges joined by commas), the entries sorted as
   * strings and joined by commas: `SCTP 9000,TCP 1-79,81-65535,UDP 53`. The other-protocols
   * bucket (ICMP from a Calico rule) has no token in this format.
   */
  toString(): string {
    if (this.isAllTransport()) return 'All Connections';
    if (this.isEmptyTransport()) return 'No Connections';
    const parts: string[] = [];
    for (const p of PROTOCOLS) {
      const items = pairsOf(this.get(p)).map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`));
      if (items.length) parts.push(`${p} ${items.join(',')}`);
    }
    return parts.sort().join(',');
  }

  /** A stable key (for grouping equal sets). */
  key(): string {
    return `${this.tcp.join('.')}|${this.udp.join('.')}|${this.sctp.join('.')}|${this.other ? 1 : 0}`;
  }
}
