import type { ClusterSnapshot, SpecObject } from '@plumbline/contracts';
import { antreaGroups, antreaTiers, compileAntreaPolicy } from './antrea.js';
import { calicoNetSets, calicoTiers, compileCalicoPolicy } from './calico.js';
import { compileCiliumPolicy } from './cilium.js';
import { ConnSet } from './conns.js';
import { LabelIndex } from './index-labels.js';
import { atomize, formatRange, parseCidr, type Family, type IpSet } from './ip.js';
import {
  DEFAULT_TIER,
  type Direction,
  type ExternalAtom,
  type Peer,
  type PolicyFamily,
  type PolicyIR,
  type RuleIR,
} from './ir.js';
import { compileNetworkPolicy, type CompileContext } from './k8s.js';
import { endpointRef, modelFromSnapshot, type ClusterModel, type Endpoint } from './model.js';
import { compileClusterPolicy } from './npapi.js';

/**
 * The evaluator: compiles every policy object of the model, indexes which policies apply to
 * which endpoint (through the label index, never pods x policies in the common case), and answers
 * per-connection questions by walking the tiers (see ir.ts for the semantics).
 */

export interface EngineOptions {
  /**
   * Policy families the cluster's policy engine enforces. Objects of other families are counted,
   * not evaluated. Default: every family present is evaluated.
   */
  families?: ReadonlySet<PolicyFamily>;
  /** Why a family is not evaluated (shown in the object inventory). */
  familyReasons?: Partial<Record<PolicyFamily, string>>;
  /** Cilium `enable-policy: always`: every endpoint is isolated in both directions. */
  defaultDenyAll?: boolean;
}

export type ObjectStatus =
  | { status: 'evaluated'; family: PolicyFamily }
  | { status: 'support'; reason: string }
  | { status: 'counted'; family: PolicyFamily | null; reason: string };

export interface PolicyObjectEntry {
  kind: string;
  apiVersion: string;
  namespace: string | null;
  name: string;
  outcome: ObjectStatus;
}

export interface Warning {
  ref: string;
  message: string;
}

/** Classify a policy object by API group and kind. */
export function classify(o: SpecObject): ObjectStatus {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : 'core';
  const k = o.kind;
  if (group === 'networking.k8s.io' && k === 'NetworkPolicy')
    return { status: 'evaluated', family: 'networkpolicy' };
  if (group === 'policy.networking.k8s.io') {
    if (k === 'ClusterNetworkPolicy')
      return { status: 'evaluated', family: 'clusternetworkpolicy' };
    if (k === 'AdminNetworkPolicy') return { status: 'evaluated', family: 'adminnetworkpolicy' };
    if (k === 'BaselineAdminNetworkPolicy')
      return { status: 'evaluated', family: 'baselineadminnetworkpolicy' };
  }
  if (/projectcalico\.org$/.test(group)) {
    if (k === 'NetworkPolicy' || k === 'GlobalNetworkPolicy')
      return { status: 'evaluated', family: 'calico' };
    if (k === 'Tier' || k === 'NetworkSet' || k === 'GlobalNetworkSet')
      return { status: 'support', reason: 'used by Calico policies' };
    if (/^Staged/.test(k))
      return {
        status: 'counted',
        family: 'calico',
        reason: 'staged policy: previewed, not enforced',
      };
    if (k === 'HostEndpoint')
      return { status: 'counted', family: 'calico', reason: 'host endpoints are not modelled' };
  }
  if (group === 'cilium.io') {
    if (k === 'CiliumNetworkPolicy' || k === 'CiliumClusterwideNetworkPolicy')
      return { status: 'evaluated', family: 'cilium' };
    if (k === 'CiliumCIDRGroup')
      return { status: 'support', reason: 'cidrGroupRef is not evaluated' };
  }
  if (group === 'crd.antrea.io') {
    if (k === 'ClusterNetworkPolicy' || k === 'NetworkPolicy')
      return { status: 'evaluated', family: 'antrea' };
    if (k === 'Tier' || k === 'ClusterGroup' || k === 'Group')
      return { status: 'support', reason: 'used by Antrea policies' };
  }
  if (/Egress(Gateway)?(Policy)?$/.test(k) || k === 'EgressGateway')
    return {
      status: 'counted',
      family: null,
      reason: 'egress gateway configuration, not access control',
    };
  return {
    status: 'counted',
    family: null,
    reason: 'not an access-control policy Plumbline evaluates',
  };
}

export interface Verdict {
  /** Everything allowed in this direction (rules and defaults). */
  allowed: ConnSet;
  /** Allowed by an explicit rule (excludes the default allow of unselected endpoints). */
  ruleAllowed: ConnSet;
  /** Some policy applies to the endpoint in this direction. */
  captured: boolean;
}

export interface Decision {
  allowed: boolean;
  /** The rule or default that decided, e.g. `NetworkPolicy shop/web ingress[0]`. */
  by: string;
}

export class NetpolEngine {
  readonly index: LabelIndex;
  readonly policies: PolicyIR[];
  readonly objects: PolicyObjectEntry[];
  readonly warnings: Warning[] = [];
  /**
   * Per direction, the policies applying to each endpoint, in evaluation order, as one flat list:
   * endpoint e's are `list[start[e]] .. list[start[e + 1] - 1]` (two typed arrays instead of an
   * array per endpoint).
   */
  private readonly applicable: Record<Direction, { start: Int32Array; list: Int32Array }>;
  private atomsCache: ExternalAtom[] | null = null;
  /** Endpoints by namespace, built on the first lookup by reference (find). */
  private byNamespace: Map<string, Endpoint[]> | null = null;
  private readonly netSets: ReturnType<typeof calicoNetSets>;

  static fromSnapshot(snapshot: ClusterSnapshot, opts: EngineOptions = {}): NetpolEngine {
    return new NetpolEngine(modelFromSnapshot(snapshot), opts);
  }

  constructor(
    readonly model: ClusterModel,
    readonly options: EngineOptions = {},
  ) {
    this.index = new LabelIndex(model.endpoints, model.namespaces);
    const warn = (ref: string, message: string) => {
      if (this.warnings.length < 500) this.warnings.push({ ref, message });
    };
    for (const o of model.nonUniform ?? [])
      warn(
        `${o.namespace}/${o.name}[${o.kind}]`,
        `the ${o.pods} pods of this ${o.kind} carry ${o.variants} different label sets (${o.keys.join(', ')}); each set is evaluated on its own and the connections printed for the ${o.kind} are their union`,
      );
    const ctx: CompileContext = { index: this.index, warn };
    this.netSets = calicoNetSets(model.objects, ctx);
    const calicoCtx = { ...ctx, tiers: calicoTiers(model.objects), netSets: this.netSets };
    const antreaCtx = {
      ...ctx,
      tierPriorities: antreaTiers(model.objects),
      groups: antreaGroups(model.objects),
    };
    const policies: PolicyIR[] = [];
    this.objects = model.objects.map((o) => {
      let outcome = classify(o);
      if (outcome.status === 'evaluated' && opts(this.options, outcome.family) === false) {
        outcome = {
          status: 'counted',
          family: outcome.family,
          reason:
            this.options.familyReasons?.[outcome.family] ??
            "not enforced by the cluster's policy engine",
        };
      }
      if (outcome.status === 'evaluated') {
        const family = outcome.family;
        if (family === 'networkpolicy') policies.push(compileNetworkPolicy(o, ctx));
        else if (family === 'calico') {
          const p = compileCalicoPolicy(o, calicoCtx);
          if (p) policies.push(p);
        } else if (family === 'cilium') policies.push(...compileCiliumPolicy(o, ctx));
        else if (family === 'antrea') {
          const p = compileAntreaPolicy(o, antreaCtx);
          if (p) policies.push(p);
        } else {
          const p = compileClusterPolicy(o, ctx);
          if (p) policies.push(p);
        }
      }
      return {
        kind: o.kind,
        apiVersion: o.apiVersion,
        namespace: o.namespace,
        name: o.name,
        outcome,
      };
    });
    if (this.options.defaultDenyAll) {
      policies.push({
        ref: 'policy enforcement mode always (every endpoint default-deny)',
        family: 'cilium',
        tier: DEFAULT_TIER,
        order: Number.MAX_SAFE_INTEGER,
        name: '~always',
        subjects: () => this.index.all(),
        ingress: [],
        egress: [],
      });
    }
    policies.sort(
      (a, b) =>
        a.tier.order - b.tier.order ||
        cmp(a.tier.name, b.tier.name) ||
        a.order - b.order ||
        cmp(a.name, b.name) ||
        cmp(a.ref, b.ref),
    );
    this.policies = policies;
    // Each policy's subjects, resolved once (in policy order) for both directions.
    const subjects = policies.map((p) => (p.ingress || p.egress ? p.subjects() : null));
    const n = model.endpoints.length;
    this.applicable = {
      ingress: applicableIndex(policies, subjects, n, 'ingress'),
      egress: applicableIndex(policies, subjects, n, 'egress'),
    };
  }

  get endpoints(): readonly Endpoint[] {
    return this.model.endpoints;
  }

  /** Does some policy apply to the endpoint in the direction? */
  hasApplying(e: Endpoint, dir: Direction): boolean {
    const start = this.applicable[dir].start;
    return start[e.idx + 1]! > start[e.idx]!;
  }

  /** Policies applying to an endpoint in a direction, in evaluation order. */
  applying(e: Endpoint, dir: Direction): PolicyIR[] {
    const out: PolicyIR[] = [];
    this.applyingInto(e, dir, out);
    return out;
  }

  /**
   * applying(), written into `out` from index 0 (whatever it held after that stays); returns how
   * many. A caller asking for every endpoint reuses one array instead of one per endpoint and
   * direction (emptying an array by `length = 0` drops its storage, so it is not emptied).
   */
  applyingInto(e: Endpoint, dir: Direction, out: PolicyIR[]): number {
    const { start, list } = this.applicable[dir];
    let n = 0;
    for (let k = start[e.idx]!; k < start[e.idx + 1]!; k++) out[n++] = this.policies[list[k]!]!;
    return n;
  }

  /**
   * Evaluate one direction at `subject` (ingress: the destination; egress: the source) for
   * traffic with `peer` on the other end.
   */
  evaluate(
    subject: Endpoint,
    dir: Direction,
    peer: Peer,
    trace?: (rule: RuleIR | string, c: ConnSet) => void,
  ): Verdict {
    // Offsets into the flat list of applying policies (no sub-array per call).
    const { start, list } = this.applicable[dir];
    const first = start[subject.idx]!;
    const end = start[subject.idx + 1]!;
    if (subject.hostNetwork || first === end) {
      trace?.('no policy applies (default allow)', ConnSet.ALL);
      return { allowed: ConnSet.ALL, ruleAllowed: ConnSet.NONE, captured: false };
    }
    const dst = dir === 'ingress' ? subject : peer.kind === 'endpoint' ? peer.e : null;
    let remaining = ConnSet.ALL;
    let jumped = ConnSet.NONE;
    let jumpTo = Infinity;
    let allowed = ConnSet.NONE;
    let i = first;
    while (i < end) {
      const tier = this.policies[list[i]!]!.tier;
      let j = i;
      while (j < end && this.policies[list[j]!]!.tier === tier) j++;
      if (!jumped.isEmpty() && tier.order >= jumpTo) {
        remaining = remaining.union(jumped);
        jumped = ConnSet.NONE;
      }
      let undecided = remaining;
      let passed = ConnSet.NONE;
      outer: for (let k = i; k < j; k++) {
        const rules = this.policies[list[k]!]![dir]!;
        for (const rule of rules) {
          if (undecided.isEmpty()) break outer;
          if (rule.appliesTo && !rule.appliesTo(subject)) continue;
          const hit =
            peer.kind === 'endpoint'
              ? rule.peer.matchesEndpoint(peer.e, subject)
              : rule.peer.matchesExternal(peer.atom, subject);
          if (!hit) continue;
          const c = rule.ports.resolve(dst).intersect(undecided);
          if (c.isEmpty() || rule.action === 'log') continue;
          trace?.(rule, c);
          if (rule.action === 'allow') allowed = allowed.union(c);
          else if (rule.action === 'pass') passed = passed.union(c);
          undecided = undecided.subtract(c);
        }
      }
      if (tier.defaultAction === 'deny') {
        if (!undecided.isEmpty())
          trace?.(`end of tier ${tier.name}: not allowed by any rule`, undecided);
        remaining = ConnSet.NONE;
      } else remaining = undecided;
      if (!passed.isEmpty()) {
        if (tier.passTo !== undefined) {
          jumped = jumped.union(passed);
          jumpTo = tier.passTo;
        } else remaining = remaining.union(passed);
      }
      if (remaining.isEmpty() && jumped.isEmpty()) break;
      i = j;
    }
    const rest = remaining.union(jumped);
    if (!rest.isEmpty()) trace?.('no rule decided (default allow)', rest);
    const ruleAllowed = allowed;
    return { allowed: allowed.union(rest), ruleAllowed, captured: true };
  }

  /** Connections from one peer to another: egress at the source AND ingress at the destination. */
  connections(src: Peer, dst: Peer): ConnSet {
    let c = ConnSet.ALL;
    if (src.kind === 'endpoint') c = this.evaluate(src.e, 'egress', dst).allowed;
    if (c.isEmpty()) return c;
    if (dst.kind === 'endpoint') c = c.intersect(this.evaluate(dst.e, 'ingress', src).allowed);
    return c;
  }

  /** Is the endpoint isolated (traffic no rule allows is denied) in a direction, and by what. */
  isolation(e: Endpoint, dir: Direction): { isolated: boolean; by: string[] } {
    const { start, list } = this.applicable[dir];
    const from = start[e.idx]!;
    const to = start[e.idx + 1]!;
    if (from === to) return { isolated: false, by: [] };
    // Distinct refs, sorted: usually one or two, so an array (includes) rather than a Set, and
    // no sort for a single one.
    let by: string[] | null = null;
    for (let k = from; k < to; k++) {
      const p = this.policies[list[k]!]!;
      if (p.tier.defaultAction === 'deny') by = withRef(by, p.ref);
      else
        for (const r of p[dir] ?? [])
          if (
            r.action === 'deny' &&
            r.peer.allPods &&
            (dir === 'ingress' || r.peer.allExternal) &&
            r.ports.all &&
            (!r.appliesTo || r.appliesTo(e))
          )
            by = withRef(by, r.ref);
    }
    if (!by) return { isolated: false, by: [] };
    sortSmall(by);
    return { isolated: !e.hostNetwork, by };
  }

  /** The address space split at every CIDR boundary the evaluated policies mention. */
  atoms(): ExternalAtom[] {
    if (this.atomsCache) return this.atomsCache;
    const sets: IpSet[] = this.netSets.map((n) => n.ips);
    for (const p of this.policies)
      for (const r of [...(p.ingress ?? []), ...(p.egress ?? [])]) sets.push(...r.peer.ipSets);
    const families: Family[] = sets.some((s) => s.hasFamily(6)) ? [4, 6] : [4];
    this.atomsCache = atomize(sets, families).map((range) => ({
      range,
      netSets: this.netSets
        .filter((n) => n.ips.containsRange(range))
        .map((n) => ({ namespace: n.namespace, labels: n.labels })),
    }));
    return this.atomsCache;
  }

  /** The atom containing an IP address. */
  atomFor(ip: string): ExternalAtom | null {
    const r = parseCidr(ip);
    if (!r) return null;
    const hit = this.atoms().find(
      (a) => a.range.family === r.family && a.range.lo <= r.lo && a.range.hi >= r.lo,
    );
    if (hit) return hit;
    return { range: { family: r.family, lo: r.lo, hi: r.lo }, netSets: [] };
  }

  /** Find an endpoint by `ns/name`, `ns/name[Kind]` or a pod name `ns/pod`. */
  find(ref: string): Endpoint | null {
    const m = /^([^/]+)\/([^[]+)(?:\[(\w+)\])?$/.exec(ref.trim());
    if (!m) return null;
    const [, ns, name, kind] = m;
    for (const e of this.inNamespace(ns!))
      if ((e.name === name || e.pods.includes(name!)) && (!kind || e.kind === kind)) return e;
    return null;
  }

  /** The endpoints of a namespace (host-network ones too), in model order. */
  private inNamespace(ns: string): readonly Endpoint[] {
    let byNs = this.byNamespace;
    if (!byNs) {
      byNs = new Map();
      for (const e of this.endpoints) {
        const list = byNs.get(e.namespace);
        if (list) list.push(e);
        else byNs.set(e.namespace, [e]);
      }
      this.byNamespace = byNs;
    }
    return byNs.get(ns) ?? [];
  }

  /** A workload ref (`ns/name`, `ns/name[Kind]`, a pod `ns/pod`) or an IP address, as a peer. */
  resolvePeer(s: string): Peer | string {
    const e = this.find(s);
    if (e) return { kind: 'endpoint', e };
    const ip = s
      .trim()
      .replace(/\[External\]$/, '')
      .split('-')[0]!;
    const a = /^[\d.:a-fA-F]+$/.test(ip) ? this.atomFor(ip) : null;
    return a ? { kind: 'external', atom: a } : `unknown workload or address "${s}"`;
  }

  /**
   * May `from` reach `to` on a port? Each side is an endpoint ref (`ns/name`, `ns/name[Kind]`)
   * or an IP address. Returns the decision of each direction with the rule that decided.
   */
  mayReach(
    from: string,
    to: string,
    port: number,
    protocol = 'TCP',
  ): { allowed: boolean; egress: Decision; ingress: Decision } | { error: string } {
    const resolve = (s: string) => this.resolvePeer(s);
    const src = resolve(from);
    const dst = resolve(to);
    if (typeof src === 'string') return { error: src };
    if (typeof dst === 'string') return { error: dst };
    const probe = ConnSet.protocol(protocol).isAll()
      ? ConnSet.ALL
      : protocol.toUpperCase() === 'TCP' ||
          protocol.toUpperCase() === 'UDP' ||
          protocol.toUpperCase() === 'SCTP'
        ? ConnSet.ports(protocol.toUpperCase() as 'TCP', port, port)
        : ConnSet.protocol(protocol);
    const decide = (subject: Peer, dir: Direction, other: Peer): Decision => {
      if (subject.kind !== 'endpoint')
        return { allowed: true, by: 'external address: not subject to policy' };
      let by = 'no policy applies (default allow)';
      const v = this.evaluate(subject.e, dir, other, (rule, c) => {
        if (!c.intersect(probe).isEmpty())
          by = typeof rule === 'string' ? rule : `${rule.ref} (${rule.action})`;
      });
      return { allowed: v.allowed.contains(probe), by };
    };
    const egress = decide(src, 'egress', dst);
    const ingress = decide(dst, 'ingress', src);
    return { allowed: egress.allowed && ingress.allowed, egress, ingress };
  }

  /**
   * Every allowed connection (np-guard connlist): endpoint pairs (not an endpoint to itself),
   * endpoints to external ranges and back. Sorted by source, then destination.
   */
  connectivity(): { src: string; dst: string; conns: ConnSet }[] {
    const out = new Map<string, { src: string; dst: string; conns: ConnSet }>();
    const add = (src: string, dst: string, conns: ConnSet) => {
      if (conns.isEmptyTransport() || src === dst) return;
      const key = `${src}\u0000${dst}`;
      const prev = out.get(key);
      out.set(key, { src, dst, conns: prev ? prev.conns.union(conns) : conns });
    };
    const eps = this.endpoints.filter((e) => !e.hostNetwork);
    const ext = this.atoms();
    const name = (a: ExternalAtom) => `${formatRange(a.range)}[External]`;
    for (const s of eps) {
      const sp: Peer = { kind: 'endpoint', e: s };
      for (const d of eps) {
        if (d === s) continue;
        add(endpointRef(s), endpointRef(d), this.connections(sp, { kind: 'endpoint', e: d }));
      }
      for (const a of ext) {
        const ap: Peer = { kind: 'external', atom: a };
        add(endpointRef(s), name(a), this.connections(sp, ap));
        add(name(a), endpointRef(s), this.connections(ap, sp));
      }
    }
    return [...out.values()].sort((a, b) => cmp(a.src, b.src) || cmp(a.dst, b.dst));
  }
}

/**
 * For each endpoint, the indexes of the policies with rules in `dir` whose subjects include it,
 * ascending (a subject listed twice counts twice, as before): counted, then filled.
 */
function applicableIndex(
  policies: readonly PolicyIR[],
  subjects: readonly (readonly number[] | null)[],
  n: number,
  dir: Direction,
): { start: Int32Array; list: Int32Array } {
  const start = new Int32Array(n + 1);
  for (let i = 0; i < policies.length; i++) {
    if (!policies[i]![dir]) continue;
    for (const e of subjects[i]!) start[e + 1] = start[e + 1]! + 1;
  }
  for (let e = 0; e < n; e++) start[e + 1] = start[e + 1]! + start[e]!;
  const list = new Int32Array(start[n]!);
  const next = start.slice(0, n);
  for (let i = 0; i < policies.length; i++) {
    if (!policies[i]![dir]) continue;
    for (const e of subjects[i]!) list[next[e]!++] = i;
  }
  return { start, list };
}

/**
 * `list` with `ref` added when absent; the first ref makes a one-element array literal (exact
 * size, where a push onto [] reserves 17 slots: these lists are kept in the result).
 */
function withRef(list: string[] | null, ref: string): string[] {
  if (!list) return [ref];
  if (!list.includes(ref)) list.push(ref);
  return list;
}

/**
 * Sort distinct strings in place, ascending: for the few refs isolating an endpoint, an
 * insertion sort, which allocates nothing (Array.prototype.sort takes a work buffer). The strings
 * are distinct, so any correct sort gives the same order.
 */
function sortSmall(list: string[]): void {
  if (list.length > 16) {
    list.sort(cmp);
    return;
  }
  for (let i = 1; i < list.length; i++) {
    const x = list[i]!;
    let j = i - 1;
    while (j >= 0 && list[j]! > x) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = x;
  }
}

function opts(o: EngineOptions, family: PolicyFamily): boolean {
  return !o.families || o.families.has(family);
}

export const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
