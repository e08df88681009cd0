import type { SpecObject } from '@plumbline/contracts';
import { IpSet } from './ip.js';
import {
  ADMIN_TIER,
  ALL_PORTS,
  ANY_PEER,
  BASELINE_TIER,
  NO_PEER,
  endpointPeer,
  portsMatcher,
  unionPeers,
  type Action,
  type PeerMatcher,
  type PolicyFamily,
  type PolicyIR,
  type PortMatcher,
  type PortSpec,
  type RuleIR,
} from './ir.js';
import type { CompileContext } from './k8s.js';
import type { Endpoint } from './model.js';
import {
  EMPTY_SELECTOR,
  asArray,
  asObject,
  asString,
  describeSelector,
  isEmptySelector,
  isObject,
  parseSelector,
  selectorMatches,
  type JsonObject,
  type LabelSelector,
} from './selector.js';

/**
 * network-policy-api cluster-scoped policies (policy.networking.k8s.io):
 * - ClusterNetworkPolicy (v1alpha2 / v1beta1): `tier: Admin | Baseline`, `priority` 0-1000,
 *   rules in order, actions Accept / Deny / Pass;
 * - legacy AdminNetworkPolicy (priority, Allow / Deny / Pass) and BaselineAdminNetworkPolicy
 *   (the singleton `default`, Allow / Deny) of v1alpha1, including their older peer forms
 *   (`namespaces: {namespaceSelector, sameLabels, notSameLabels}`).
 * Admin tier before NetworkPolicy, baseline tier after; within a tier, lower priority first, then
 * rule order; the first matching rule decides. Pass skips to the next tier.
 * A peer with no known field fails closed: it matches nothing for Accept/Allow and everything for
 * Deny/Pass. Nodes and domainNames peers cannot be evaluated from a snapshot (warned; they match
 * nothing). A `networks` peer matches external addresses; pods only when it covers a whole address
 * family (0.0.0.0/0 or ::/0), since pod IPs are not in a snapshot.
 */

const ACTIONS: Record<string, Action> = {
  Allow: 'allow',
  Accept: 'allow',
  Deny: 'deny',
  Pass: 'pass',
};

interface NsPeer {
  sel: LabelSelector;
  same: readonly string[];
  notSame: readonly string[];
}

function nsPeer(v: unknown): NsPeer {
  const o = asObject(v);
  const legacy = 'namespaceSelector' in o || 'sameLabels' in o || 'notSameLabels' in o;
  if (!legacy) return { sel: parseSelector(v) ?? EMPTY_SELECTOR, same: [], notSame: [] };
  return {
    sel: parseSelector(o.namespaceSelector) ?? EMPTY_SELECTOR,
    same: asArray(o.sameLabels).map(String),
    notSame: asArray(o.notSameLabels).map(String),
  };
}

function nsPeerMatcher(
  ns: NsPeer,
  pods: LabelSelector,
  ctx: CompileContext,
  describe: string,
): PeerMatcher {
  if (!ns.same.length && !ns.notSame.length) {
    return endpointPeer(
      describe,
      () => ctx.index.pods(ns.sel, pods),
      isEmptySelector(ns.sel) && isEmptySelector(pods),
    );
  }
  // sameLabels / notSameLabels depend on the subject's namespace.
  const nsLabels = (name: string) => ctx.index.namespaces.get(name)?.labels ?? {};
  return {
    describe,
    matchesEndpoint: (o: Endpoint, s: Endpoint) => {
      const ol = nsLabels(o.namespace);
      const sl = nsLabels(s.namespace);
      if (!selectorMatches(ns.sel, ol) || !selectorMatches(pods, o.labels)) return false;
      if (!ns.same.every((k) => k in ol && k in sl && ol[k] === sl[k])) return false;
      return ns.notSame.every((k) => !(k in ol && k in sl && ol[k] === sl[k]));
    },
    matchesExternal: () => false,
    ipSets: [],
    allPods: false,
    allExternal: false,
  };
}

function peer(v: unknown, action: Action, ref: string, ctx: CompileContext): PeerMatcher {
  const o = asObject(v);
  if (o.namespaces !== undefined) {
    const ns = nsPeer(o.namespaces);
    return nsPeerMatcher(ns, EMPTY_SELECTOR, ctx, `namespaces ${describeSelector(ns.sel)}`);
  }
  if (o.pods !== undefined) {
    const p = asObject(o.pods);
    const ns =
      p.namespaces !== undefined ? nsPeer(p.namespaces) : nsPeer(p.namespaceSelector ?? {});
    const pods = parseSelector(p.podSelector) ?? EMPTY_SELECTOR;
    return nsPeerMatcher(
      ns,
      pods,
      ctx,
      `pods ${describeSelector(pods)} in namespaces ${describeSelector(ns.sel)}`,
    );
  }
  if (o.networks !== undefined) {
    let set = IpSet.EMPTY;
    for (const c of asArray(o.networks)) {
      const b = IpSet.block(String(c));
      if (!b) ctx.warn(ref, `invalid CIDR ${String(c)} in networks; ignored`);
      else set = set.union(b);
    }
    const wholeFamily = set.coversFamily(4) || set.coversFamily(6);
    return {
      describe: `networks ${asArray(o.networks).map(String).join(',')}`,
      matchesEndpoint: () => wholeFamily,
      matchesExternal: (a) => set.containsRange(a.range),
      ipSets: [set],
      allPods: wholeFamily,
      allExternal: set.coversFamily(4) && set.coversFamily(6),
      ...(wholeFamily ? {} : { count: () => 0 }),
    };
  }
  if (o.nodes !== undefined || o.domainNames !== undefined) {
    ctx.warn(
      ref,
      `${o.nodes !== undefined ? 'nodes' : 'domainNames'} peers cannot be evaluated from a snapshot; treated as matching nothing`,
    );
    return NO_PEER;
  }
  // Unknown peer type: fail closed.
  ctx.warn(ref, 'peer with no known field: fails closed');
  return action === 'allow' ? NO_PEER : ANY_PEER;
}

function anpPorts(list: unknown, ref: string, ctx: CompileContext): PortMatcher {
  const items = asArray(list);
  if (!items.length) return ALL_PORTS;
  const specs: PortSpec[] = [];
  const proto = (v: unknown) => {
    const p = (asString(v) ?? 'TCP').toUpperCase();
    return p === 'TCP' || p === 'UDP' || p === 'SCTP' ? p : null;
  };
  for (const it of items) {
    const o = asObject(it);
    if (o.portNumber !== undefined) {
      const pn = asObject(o.portNumber);
      const p = proto(pn.protocol);
      const n = Number(pn.port);
      if (p && Number.isInteger(n)) specs.push({ protocol: p, from: n, to: n });
    } else if (o.portRange !== undefined) {
      const pr = asObject(o.portRange);
      const p = proto(pr.protocol);
      if (p) specs.push({ protocol: p, from: Number(pr.start), to: Number(pr.end) });
    } else if (typeof o.namedPort === 'string') {
      for (const p of ['TCP', 'UDP', 'SCTP'] as const)
        specs.push({ protocol: p, named: o.namedPort });
    } else ctx.warn(ref, `unknown port entry ${JSON.stringify(it)}; ignored`);
  }
  return portsMatcher(specs);
}

function cnpProtocols(list: unknown, ref: string, ctx: CompileContext): PortMatcher {
  const items = asArray(list);
  if (!items.length) return ALL_PORTS;
  const specs: PortSpec[] = [];
  for (const it of items) {
    const o = asObject(it);
    let matched = false;
    for (const p of ['tcp', 'udp', 'sctp'] as const) {
      if (o[p] === undefined) continue;
      matched = true;
      const protocol = p.toUpperCase() as 'TCP' | 'UDP' | 'SCTP';
      const dp = asObject(asObject(o[p]).destinationPort);
      if (typeof dp.number === 'number') specs.push({ protocol, from: dp.number, to: dp.number });
      else if (isObject(dp.range))
        specs.push({ protocol, from: Number(dp.range.start), to: Number(dp.range.end) });
      else specs.push({ protocol, from: 1, to: 65535 });
    }
    if (typeof o.destinationNamedPort === 'string') {
      matched = true;
      for (const p of ['TCP', 'UDP', 'SCTP'] as const)
        specs.push({ protocol: p, named: o.destinationNamedPort });
    }
    if (!matched) ctx.warn(ref, `unknown protocol entry ${JSON.stringify(it)}; ignored`);
  }
  return portsMatcher(specs);
}

function subjectOf(spec: JsonObject, ctx: CompileContext): () => readonly number[] {
  const s = asObject(spec.subject);
  if (s.namespaces !== undefined) {
    const ns = parseSelector(s.namespaces) ?? EMPTY_SELECTOR;
    return () => ctx.index.pods(ns, EMPTY_SELECTOR);
  }
  if (s.pods !== undefined) {
    const p = asObject(s.pods);
    const ns = parseSelector(p.namespaceSelector) ?? EMPTY_SELECTOR;
    const pods = parseSelector(p.podSelector) ?? EMPTY_SELECTOR;
    return () => ctx.index.pods(ns, pods);
  }
  return () => [];
}

export function compileClusterPolicy(obj: SpecObject, ctx: CompileContext): PolicyIR | null {
  const spec = asObject(obj.spec);
  const isCnp = obj.kind === 'ClusterNetworkPolicy';
  const family: PolicyFamily = isCnp
    ? 'clusternetworkpolicy'
    : obj.kind === 'AdminNetworkPolicy'
      ? 'adminnetworkpolicy'
      : 'baselineadminnetworkpolicy';
  const ref = `${obj.kind} ${obj.name}`;
  const baseline = isCnp
    ? asString(spec.tier) === 'Baseline'
    : family === 'baselineadminnetworkpolicy';
  if (isCnp && !['Admin', 'Baseline'].includes(asString(spec.tier) ?? '')) {
    ctx.warn(ref, `unknown tier ${JSON.stringify(spec.tier)}; policy ignored`);
    return null;
  }
  const priority = typeof spec.priority === 'number' ? spec.priority : baseline ? 0 : 1000;
  const rules = (dir: 'ingress' | 'egress'): RuleIR[] =>
    asArray(spec[dir]).map((r, i) => {
      const o = asObject(r);
      const ruleRef = `${ref} ${dir}[${i}]${typeof o.name === 'string' ? ` ${o.name}` : ''}`;
      const action = ACTIONS[asString(o.action) ?? ''];
      if (!action) {
        ctx.warn(ruleRef, `unknown action ${JSON.stringify(o.action)}; the rule is ignored`);
        return { action: 'log', peer: NO_PEER, ports: ALL_PORTS, ref: ruleRef };
      }
      const peers = asArray(dir === 'ingress' ? o.from : o.to);
      return {
        action,
        peer: peers.length
          ? unionPeers(peers.map((p) => peer(p, action, ruleRef, ctx)))
          : action === 'allow'
            ? NO_PEER
            : ANY_PEER,
        ports: isCnp ? cnpProtocols(o.protocols, ruleRef, ctx) : anpPorts(o.ports, ruleRef, ctx),
        ref: ruleRef,
      };
    });
  const ingress = rules('ingress');
  const egress = rules('egress');
  return {
    ref,
    family,
    tier: baseline ? BASELINE_TIER : ADMIN_TIER,
    order: priority,
    name: obj.name,
    subjects: subjectOf(spec, ctx),
    ingress: ingress.length ? ingress : null,
    egress: egress.length ? egress : null,
  };
}
