import { ConnSet, type Protocol } from './conns.js';
import type { IpRange, IpSet } from './ip.js';
import type { Endpoint } from './model.js';
import type { Labels } from './selector.js';

/**
 * The common form every policy kind compiles to. Evaluation (engine.ts) walks tiers in order;
 * within a tier, the applicable policies' rules in order, first match wins per connection:
 *
 * - allow / deny decide; pass skips the rest of the tier (or to `passTo`); log continues;
 * - at the end of a tier, connections nothing matched are denied (`defaultAction: deny`, as
 *   NetworkPolicy and Calico tiers do once a policy selects the pod) or go on (`pass`, as the
 *   admin and baseline tiers of network-policy-api and Antrea's tiers do);
 * - after the last tier, whatever is left is allowed (Kubernetes' default, Calico profiles).
 */

export type Direction = 'ingress' | 'egress';
export type Action = 'allow' | 'deny' | 'pass' | 'log';

/** A disjoint IP range outside the cluster, with the labels of network sets containing it. */
export interface ExternalAtom {
  range: IpRange;
  /** Labels of Calico (Global)NetworkSets containing the range (namespace null for global). */
  netSets: readonly { namespace: string | null; labels: Labels }[];
}

export type Peer = { kind: 'endpoint'; e: Endpoint } | { kind: 'external'; atom: ExternalAtom };

export interface PeerMatcher {
  describe: string;
  matchesEndpoint(other: Endpoint, subject: Endpoint): boolean;
  matchesExternal(atom: ExternalAtom, subject: Endpoint): boolean;
  /** IP sets the peer names (they cut the address space into atoms). */
  ipSets: readonly IpSet[];
  /** Matches every pod of the cluster, whoever the subject is. */
  allPods: boolean;
  /** Matches every external address. */
  allExternal: boolean;
  /** Number of endpoints matched, when it does not depend on the subject. */
  count?: () => number;
}

export interface PortMatcher {
  describe: string;
  /** Connections the rule covers towards a destination (null: an external address). */
  resolve(dst: Endpoint | null): ConnSet;
  all: boolean;
}

export interface RuleIR {
  action: Action;
  peer: PeerMatcher;
  ports: PortMatcher;
  /** e.g. `NetworkPolicy shop/allow-web ingress[0]` */
  ref: string;
  /** Rule-level subject restriction (Antrea rule appliedTo, Calico destination selector). */
  appliesTo?: (subject: Endpoint) => boolean;
}

export interface TierIR {
  name: string;
  order: number;
  defaultAction: 'deny' | 'pass';
  /** Where `pass` resumes: the first tier with an order at or above this (default: the next tier). */
  passTo?: number;
}

export interface PolicyIR {
  ref: string;
  /** Which layer of the cluster this belongs to, for reporting. */
  family: PolicyFamily;
  tier: TierIR;
  order: number;
  name: string;
  /** Endpoint indexes the policy applies to. */
  subjects: () => readonly number[];
  /** null: the policy does not apply in that direction. */
  ingress: readonly RuleIR[] | null;
  egress: readonly RuleIR[] | null;
}

export const POLICY_FAMILIES = [
  'networkpolicy',
  'adminnetworkpolicy',
  'baselineadminnetworkpolicy',
  'clusternetworkpolicy',
  'calico',
  'cilium',
  'antrea',
] as const;
export type PolicyFamily = (typeof POLICY_FAMILIES)[number];

/** Fixed tier orders (Calico's numbering: admin 1000, default 1,000,000, baseline 10,000,000). */
export const TIER_ORDER = {
  ciliumDeny: 100,
  admin: 1000,
  antreaBase: 100_000,
  default: 1_000_000,
  antreaBaseline: 5_000_000,
  baseline: 10_000_000,
} as const;

export const ADMIN_TIER: TierIR = { name: 'admin', order: TIER_ORDER.admin, defaultAction: 'pass' };
export const DEFAULT_TIER: TierIR = {
  name: 'default',
  order: TIER_ORDER.default,
  defaultAction: 'deny',
};
export const BASELINE_TIER: TierIR = {
  name: 'baseline',
  order: TIER_ORDER.baseline,
  defaultAction: 'pass',
};

// ---- peers

export const ANY_PEER: PeerMatcher = {
  describe: 'any peer',
  matchesEndpoint: () => true,
  matchesExternal: () => true,
  ipSets: [],
  allPods: true,
  allExternal: true,
};

export const NO_PEER: PeerMatcher = {
  describe: 'no peer',
  matchesEndpoint: () => false,
  matchesExternal: () => false,
  ipSets: [],
  allPods: false,
  allExternal: false,
  count: () => 0,
};

/**
 * One set per resolved list: the label index caches its answers per selector, so every peer with
 * the same selectors (e.g. `namespaceSelector: {}` in hundreds of namespaces' policies) shares one
 * set instead of building its own copy of the endpoint list.
 */
const SETS = new WeakMap<readonly number[], Set<number>>();
function setOf(list: readonly number[]): Set<number> {
  let s = SETS.get(list);
  if (!s) SETS.set(list, (s = new Set(list)));
  return s;
}

/**
 * How many distinct endpoints a list holds (the size of its set): counted in one pass when the
 * list is ascending, as the label index returns them, without building the set.
 */
function distinctCount(list: readonly number[]): number {
  for (let i = 1; i < list.length; i++) if (list[i]! < list[i - 1]!) return setOf(list).size;
  let n = list.length ? 1 : 0;
  for (let i = 1; i < list.length; i++) if (list[i] !== list[i - 1]) n++;
  return n;
}

/**
 * Endpoints resolved once (lazily) to a set (counted without one when only the count is read).
 * A class, not an object of closures: one object per peer, and policies have many peers.
 */
class EndpointPeer implements PeerMatcher {
  private list: readonly number[] | null = null;
  private set: Set<number> | null = null;
  private n: number | null = null;
  readonly ipSets: readonly IpSet[] = NO_IP_SETS;
  readonly allExternal = false;

  constructor(
    readonly describe: string,
    private readonly resolve: () => readonly number[],
    readonly allPods: boolean,
  ) {}

  private items(): readonly number[] {
    return (this.list ??= this.resolve());
  }

  matchesEndpoint(o: Endpoint): boolean {
    return (this.set ??= setOf(this.items())).has(o.idx);
  }

  matchesExternal(): boolean {
    return false;
  }

  count(): number {
    return this.set ? this.set.size : (this.n ??= distinctCount(this.items()));
  }
}

/** Shared by peers that name no IP set (never changed). */
const NO_IP_SETS: readonly IpSet[] = Object.freeze([]);

export function endpointPeer(
  describe: string,
  resolve: () => readonly number[],
  allPods = false,
): PeerMatcher {
  return new EndpointPeer(describe, resolve, allPods);
}

/** External addresses in a set (pod IPs are not known from a snapshot, so pods never match). */
export function ipPeer(describe: string, ips: IpSet): PeerMatcher {
  const all = ips.coversFamily(4) && ips.coversFamily(6);
  return {
    describe,
    matchesEndpoint: () => false,
    matchesExternal: (a) => ips.containsRange(a.range),
    ipSets: [ips],
    allPods: false,
    allExternal: all,
    count: () => 0,
  };
}

export function unionPeers(peers: readonly PeerMatcher[]): PeerMatcher {
  if (peers.length === 1) return peers[0]!;
  if (!peers.length) return NO_PEER;
  const countable = peers.every((p) => p.count);
  return {
    describe: peers.map((p) => p.describe).join(' or '),
    matchesEndpoint: (o, s) => peers.some((p) => p.matchesEndpoint(o, s)),
    matchesExternal: (a, s) => peers.some((p) => p.matchesExternal(a, s)),
    ipSets: peers.flatMap((p) => p.ipSets),
    allPods: peers.some((p) => p.allPods),
    allExternal: peers.some((p) => p.allExternal),
    ...(countable ? { count: () => peers.reduce((n, p) => n + p.count!(), 0) } : {}),
  };
}

// ---- ports

export const ALL_PORTS: PortMatcher = {
  describe: 'all ports',
  resolve: () => ConnSet.ALL,
  all: true,
};

export type PortSpec =
  | { protocol: Protocol | 'OTHER'; from: number; to: number }
  | { protocol: Protocol; named: string };

/** A named container port of the destination, with the given protocol. */
export function namedPortConns(dst: Endpoint | null, name: string, protocol: Protocol): ConnSet {
  if (!dst) return ConnSet.NONE;
  let out = ConnSet.NONE;
  for (const p of dst.ports)
    if (p.name === name && p.protocol === protocol)
      out = out.union(ConnSet.ports(protocol, p.port, p.port));
  return out;
}

export function portsMatcher(
  specs: readonly PortSpec[],
  exclude: readonly PortSpec[] = [],
): PortMatcher {
  let hasNamed = false;
  for (const s of specs) if ('named' in s) hasNamed = true;
  for (const s of exclude) if ('named' in s) hasNamed = true;
  const build = (dst: Endpoint | null, list: readonly PortSpec[]) => {
    let c = ConnSet.NONE;
    for (const s of list) {
      if ('named' in s) c = c.union(namedPortConns(dst, s.named, s.protocol));
      else if (s.protocol === 'OTHER') c = c.union(ConnSet.of({ other: true }));
      else c = c.union(ConnSet.ports(s.protocol, s.from, s.to));
    }
    return c;
  };
  const compute = (dst: Endpoint | null) => {
    const inc = build(dst, specs);
    return exclude.length ? inc.subtract(build(dst, exclude)) : inc;
  };
  const fixed = hasNamed ? null : compute(null);
  const describe =
    describePorts(specs) + (exclude.length ? ` except ${describePorts(exclude)}` : '');
  return {
    describe,
    resolve: fixed ? () => fixed : compute,
    all: fixed?.isAll() ?? false,
  };
}

function describePort(s: PortSpec): string {
  if ('named' in s) return `${s.protocol} ${s.named}`;
  if (s.protocol === 'OTHER') return 'other protocols';
  if (s.from === 1 && s.to === 65535) return `${s.protocol} all ports`;
  return s.from === s.to ? `${s.protocol} ${s.from}` : `${s.protocol} ${s.from}-${s.to}`;
}

export function describePorts(specs: readonly PortSpec[]): string {
  // One port (most rules): its text, without the array map and join build.
  return specs.length === 1 ? describePort(specs[0]!) : specs.map(describePort).join(',');
}

export function tierKey(t: TierIR): string {
  return `${t.order}\u0000${t.name}`;
}
