import type { SpecObject } from '@plumbline/contracts';
import { IpSet } from './ip.js';
import {
  ANY_PEER,
  NO_PEER,
  TIER_ORDER,
  endpointPeer,
  ipPeer,
  unionPeers,
  type Action,
  type PeerMatcher,
  type PolicyIR,
  type RuleIR,
  type TierIR,
} from './ir.js';
import { k8sPorts, type CompileContext } from './k8s.js';
import type { Endpoint } from './model.js';
import {
  EMPTY_SELECTOR,
  asArray,
  asObject,
  asString,
  describeSelector,
  parseSelector,
  selectorMatches,
  type JsonObject,
} from './selector.js';

/**
 * Antrea-native policies (crd.antrea.io): ClusterNetworkPolicy and the namespaced Antrea
 * NetworkPolicy, with tiers (Emergency 50, SecurityOps 100, NetworkOps 150, Platform 200,
 * Application 250, Baseline 253, or a Tier object's priority), priority within a tier, rules in
 * order with Allow / Drop / Reject / Pass. Antrea-native rules never isolate by themselves:
 * traffic no rule matches continues to the next tier, then to Kubernetes NetworkPolicies, then to
 * the Baseline tier. Pass skips the remaining non-baseline tiers to Kubernetes NetworkPolicies.
 * Evaluated peers: podSelector, namespaceSelector, namespaces.match Self, ipBlock, ClusterGroup /
 * Group (podSelector, namespaceSelector, ipBlocks, childGroups), serviceAccount; policy- and
 * rule-level appliedTo. Not evaluated (warned): fqdn, nodeSelector, toServices, L7 protocols.
 */

const BUILTIN_TIERS: Record<string, number> = {
  emergency: 50,
  securityops: 100,
  networkops: 150,
  platform: 200,
  application: 250,
  baseline: 253,
};

const ACTIONS: Record<string, Action> = {
  Allow: 'allow',
  Drop: 'deny',
  Reject: 'deny',
  Pass: 'pass',
};

export interface AntreaContext extends CompileContext {
  tierPriorities: ReadonlyMap<string, number>;
  groups: ReadonlyMap<string, JsonObject>; // `ns/name` for Group, `name` for ClusterGroup
}

export function antreaTiers(objects: readonly SpecObject[]): Map<string, number> {
  const out = new Map(Object.entries(BUILTIN_TIERS));
  for (const o of objects)
    if (o.kind === 'Tier' && /antrea\.io/.test(o.apiVersion)) {
      const p = asObject(o.spec).priority;
      if (typeof p === 'number') out.set(o.name.toLowerCase(), p);
    }
  return out;
}

export function antreaGroups(objects: readonly SpecObject[]): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  for (const o of objects) {
    if (!/antrea\.io/.test(o.apiVersion)) continue;
    if (o.kind === 'ClusterGroup') out.set(o.name, asObject(o.spec));
    if (o.kind === 'Group') out.set(`${o.namespace ?? 'default'}/${o.name}`, asObject(o.spec));
  }
  return out;
}

function tierOf(name: string | null, ctx: AntreaContext, ref: string): TierIR | null {
  const key = (name ?? 'application').toLowerCase();
  const p = ctx.tierPriorities.get(key);
  if (p === undefined) {
    ctx.warn(ref, `tier ${key} is not in the snapshot; policy ignored`);
    return null;
  }
  if (key === 'baseline')
    return { name: 'antrea-baseline', order: TIER_ORDER.antreaBaseline, defaultAction: 'pass' };
  return {
    name: `antrea-${key}`,
    order: TIER_ORDER.antreaBase + p,
    defaultAction: 'pass',
    passTo: TIER_ORDER.default,
  };
}

/** Endpoints and addresses selected by a podSelector/namespaceSelector/ipBlock/group entry. */
function select(
  v: JsonObject,
  policyNs: string | null,
  ref: string,
  ctx: AntreaContext,
  depth = 0,
): PeerMatcher {
  if (typeof v.group === 'string') {
    const key = policyNs !== null ? `${policyNs}/${v.group}` : v.group;
    const g = ctx.groups.get(key);
    if (!g || depth > 5) {
      ctx.warn(ref, `group ${v.group} is not in the snapshot; matches nothing`);
      return NO_PEER;
    }
    const parts: PeerMatcher[] = [];
    if (g.podSelector !== undefined || g.namespaceSelector !== undefined)
      parts.push(
        select(
          {
            podSelector: g.podSelector ?? null,
            namespaceSelector: g.namespaceSelector ?? null,
          } as JsonObject,
          policyNs,
          ref,
          ctx,
          depth + 1,
        ),
      );
    for (const b of [...asArray(g.ipBlocks), ...(g.ipBlock !== undefined ? [g.ipBlock] : [])])
      parts.push(select({ ipBlock: b }, policyNs, ref, ctx, depth + 1));
    for (const c of asArray(g.childGroups))
      parts.push(select({ group: String(c) }, policyNs, ref, ctx, depth + 1));
    if (g.serviceReference !== undefined)
      ctx.warn(ref, `group ${v.group}: serviceReference is not evaluated`);
    return unionPeers(parts);
  }
  if (v.ipBlock !== undefined) {
    const b = asObject(v.ipBlock);
    const set =
      typeof b.cidr === 'string' ? IpSet.block(b.cidr, asArray(b.except).map(String)) : null;
    return set ? ipPeer(`ipBlock ${String(b.cidr)}`, set) : NO_PEER;
  }
  if (v.fqdn !== undefined || v.nodeSelector !== undefined || v.scope !== undefined) {
    ctx.warn(ref, 'fqdn, nodeSelector and scope peers are not evaluated; match nothing');
    return NO_PEER;
  }
  if (v.serviceAccount !== undefined) {
    const sa = asObject(v.serviceAccount);
    const name = asString(sa.name);
    const ns = asString(sa.namespace) ?? policyNs;
    return endpointPeer(`serviceAccount ${ns}/${name}`, () =>
      ctx.index.all().filter((i) => {
        const e = ctx.index.endpoints[i]!;
        return e.namespace === ns && e.serviceAccount === name;
      }),
    );
  }
  const pods = parseSelector(v.podSelector);
  const nsSel = parseSelector(v.namespaceSelector);
  const self = asString(asObject(v.namespaces).match) === 'Self';
  if (self) {
    const p = pods ?? EMPTY_SELECTOR;
    return {
      describe: `pods ${describeSelector(p)} in the subject's namespace`,
      matchesEndpoint: (o: Endpoint, s: Endpoint) =>
        o.namespace === s.namespace && !o.hostNetwork && selectorMatches(p, o.labels),
      matchesExternal: () => false,
      ipSets: [],
      allPods: false,
      allExternal: false,
    };
  }
  if (!pods && !nsSel) return NO_PEER;
  const p = pods ?? EMPTY_SELECTOR;
  if (!nsSel && policyNs !== null)
    return endpointPeer(`pods ${describeSelector(p)} in namespace ${policyNs}`, () =>
      ctx.index.podsInNamespace(policyNs, p),
    );
  return endpointPeer(
    `pods ${describeSelector(p)} in namespaces ${nsSel ? describeSelector(nsSel) : 'all'}`,
    () => ctx.index.pods(nsSel, p),
    !nsSel?.requirements.length && !p.requirements.length,
  );
}

function appliedTo(list: unknown, policyNs: string | null, ref: string, ctx: AntreaContext) {
  const items = asArray(list).map(asObject);
  const matchers = items.map((i) => select(i, policyNs, ref, ctx));
  return (e: Endpoint) => matchers.some((m) => m.matchesEndpoint(e, e));
}

export function compileAntreaPolicy(obj: SpecObject, ctx: AntreaContext): PolicyIR | null {
  const namespaced = obj.kind === 'NetworkPolicy';
  const ns = namespaced ? (obj.namespace ?? 'default') : null;
  const ref = `Antrea ${obj.kind} ${ns ? `${ns}/` : ''}${obj.name}`;
  const spec = asObject(obj.spec);
  const tier = tierOf(asString(spec.tier), ctx, ref);
  if (!tier) return null;
  const policyApplied =
    spec.appliedTo !== undefined ? appliedTo(spec.appliedTo, ns, ref, ctx) : null;
  const ruleApplied: ((e: Endpoint) => boolean)[] = [];
  const compile = (dir: 'ingress' | 'egress'): RuleIR[] =>
    asArray(spec[dir]).map((r, i) => {
      const o = asObject(r);
      const ruleRef = `${ref} ${dir}[${i}]${typeof o.name === 'string' ? ` ${o.name}` : ''}`;
      const action = ACTIONS[asString(o.action) ?? ''] ?? 'log';
      if (action === 'log')
        ctx.warn(ruleRef, `unknown action ${JSON.stringify(o.action)}; rule ignored`);
      if (o.toServices !== undefined || o.l7Protocols !== undefined)
        ctx.warn(ruleRef, 'toServices / l7Protocols are not evaluated');
      const peers = asArray(dir === 'ingress' ? o.from : o.to).map(asObject);
      const applied = o.appliedTo !== undefined ? appliedTo(o.appliedTo, ns, ruleRef, ctx) : null;
      if (applied) ruleApplied.push(applied);
      return {
        action,
        peer: peers.length ? unionPeers(peers.map((p) => select(p, ns, ruleRef, ctx))) : ANY_PEER,
        ports: k8sPorts(o.ports, ruleRef, ctx),
        ref: ruleRef,
        ...(applied ? { appliesTo: applied } : {}),
      };
    });
  const ingress = compile('ingress');
  const egress = compile('egress');
  const subjects = () => {
    const cands = ns !== null ? ctx.index.inNamespace(ns) : ctx.index.all();
    return cands.filter((i) => {
      const e = ctx.index.endpoints[i]!;
      if (policyApplied) return policyApplied(e);
      return ruleApplied.some((f) => f(e));
    });
  };
  return {
    ref,
    family: 'antrea',
    tier,
    order: typeof spec.priority === 'number' ? spec.priority : 0,
    name: `${ns ?? ''}/${obj.name}`,
    subjects,
    ingress: ingress.length ? ingress : null,
    egress: egress.length ? egress : null,
  };
}
