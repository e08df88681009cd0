import type { SpecObject } from '@plumbline/contracts';
import { IpSet } from './ip.js';
import {
  ALL_PORTS,
  ANY_PEER,
  DEFAULT_TIER,
  NO_PEER,
  TIER_ORDER,
  ipPeer,
  portsMatcher,
  unionPeers,
  type PeerMatcher,
  type PolicyIR,
  type PortMatcher,
  type PortSpec,
  type RuleIR,
  type TierIR,
} from './ir.js';
import type { CompileContext } from './k8s.js';
import type { Endpoint } from './model.js';
import {
  asArray,
  asObject,
  asString,
  describeSelector,
  parseSelector,
  type JsonObject,
  type LabelSelector,
  type Labels,
} from './selector.js';

/**
 * Cilium CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy at L3/L4. Evaluated:
 * endpointSelector (namespace-scoped for CiliumNetworkPolicy), fromEndpoints / toEndpoints
 * (namespace-scoped unless the selector names `io.kubernetes.pod.namespace`), fromCIDR(Set) /
 * toCIDR(Set) with except, entities `world`, `cluster`, `all`, toPorts (numbers, ranges,
 * named ports, protocol ANY), ingressDeny / egressDeny (deny wins over every allow),
 * enableDefaultDeny (default: on for a direction that has rules). Allow rules of all Cilium and
 * Kubernetes policies are additive. L7 rules are treated as their L4 part (a superset).
 * Not evaluated (warned, match nothing): toFQDNs, toServices, fromRequires, node and group peers,
 * cidrGroupRef, entities other than world / cluster / all (host, remote-node, kube-apiserver...).
 */

export const CILIUM_DENY_TIER: TierIR = {
  name: 'cilium-deny',
  order: TIER_ORDER.ciliumDeny,
  defaultAction: 'pass',
};
/** Allow rules of policies with default deny switched off: allow, never isolate. */
export const CILIUM_OPEN_TIER: TierIR = {
  name: 'cilium-non-isolating',
  order: TIER_ORDER.default - 1,
  defaultAction: 'pass',
};

const NS_KEY = 'io.kubernetes.pod.namespace';
const NS_LABEL_PREFIX = 'io.cilium.k8s.namespace.labels.';
const SA_KEY = 'io.cilium.k8s.policy.serviceaccount';

/** Cilium selector keys carry a source prefix (`k8s:`, `any:`); `reserved:` ones are not pods. */
function ciliumSelector(v: unknown): { sel: LabelSelector; reserved: boolean; namesNs: boolean } {
  const sel = parseSelector(v ?? {})!;
  let reserved = false;
  const requirements = sel.requirements.map((r) => {
    const m = /^(k8s|any|container|unspec):(.*)$/.exec(r.key);
    if (/^reserved:/.test(r.key)) reserved = true;
    return { ...r, key: m ? m[2]! : r.key };
  });
  return {
    sel: { ...sel, requirements },
    reserved,
    namesNs: requirements.some((r) => r.key === NS_KEY),
  };
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * One label of an endpoint as Cilium sees the pod (undefined when absent): its labels, then
 * `io.kubernetes.pod.namespace`, the namespace's labels as `io.cilium.k8s.namespace.labels.<key>`
 * and the service account, each overriding what came before. Read in place: no merged copy of
 * the labels per endpoint.
 */
function ciliumLabel(e: Endpoint, nsLabels: Labels, key: string): string | undefined {
  if (key === SA_KEY && e.serviceAccount) return e.serviceAccount;
  if (key.startsWith(NS_LABEL_PREFIX)) {
    const k = key.slice(NS_LABEL_PREFIX.length);
    if (hasOwn(nsLabels, k)) return nsLabels[k];
  }
  if (key === NS_KEY) return e.namespace;
  return hasOwn(e.labels, key) ? e.labels[key] : undefined;
}

/** selectorMatches over an endpoint's Cilium labels (see ciliumLabel). */
function ciliumMatches(sel: LabelSelector, e: Endpoint, nsLabels: Labels): boolean {
  if (sel.invalid) return false;
  for (const r of sel.requirements) {
    const v = ciliumLabel(e, nsLabels, r.key);
    switch (r.operator) {
      case 'In':
        if (v === undefined || !r.values.includes(v)) return false;
        break;
      case 'NotIn':
        if (v !== undefined && r.values.includes(v)) return false;
        break;
      case 'Exists':
        if (v === undefined) return false;
        break;
      case 'DoesNotExist':
        if (v !== undefined) return false;
        break;
    }
  }
  return true;
}

function toPorts(list: unknown, icmps: unknown, ref: string, ctx: CompileContext): PortMatcher {
  const entries = asArray(list);
  if (!entries.length && icmps === undefined) return ALL_PORTS;
  const specs: PortSpec[] = [];
  for (const pr of entries) {
    const o = asObject(pr);
    if (o.rules !== undefined) ctx.warn(ref, 'L7 rules are evaluated as their L4 ports');
    const ports = asArray(o.ports);
    if (!ports.length)
      specs.push(
        ...(['TCP', 'UDP', 'SCTP'] as const).map((p) => ({ protocol: p, from: 1, to: 65535 })),
      );
    for (const p of ports) {
      const x = asObject(p);
      const proto = (asString(x.protocol) ?? 'ANY').toUpperCase();
      const protos = (proto === 'ANY' ? ['TCP', 'UDP', 'SCTP'] : [proto]).filter((q) =>
        ['TCP', 'UDP', 'SCTP'].includes(q),
      ) as ('TCP' | 'UDP' | 'SCTP')[];
      const port = x.port === undefined ? '0' : String(x.port);
      for (const q of protos) {
        if (/^\d+$/.test(port)) {
          const n = Number(port);
          const end = typeof x.endPort === 'number' ? x.endPort : n;
          specs.push(
            n === 0 ? { protocol: q, from: 1, to: 65535 } : { protocol: q, from: n, to: end },
          );
        } else specs.push({ protocol: q, named: port });
      }
    }
  }
  if (icmps !== undefined) specs.push({ protocol: 'OTHER', from: 0, to: 0 });
  return portsMatcher(specs);
}

function l3Peer(
  r: JsonObject,
  dir: 'ingress' | 'egress',
  policyNs: string | null,
  ref: string,
  ctx: CompileContext,
): PeerMatcher {
  const f = (name: string) => r[(dir === 'ingress' ? 'from' : 'to') + name];
  const peers: PeerMatcher[] = [];
  let l3 = false;
  for (const s of asArray(f('Endpoints'))) {
    l3 = true;
    const { sel, reserved, namesNs } = ciliumSelector(s);
    if (reserved) {
      ctx.warn(ref, 'reserved: identities are not pods; this selector matches nothing');
      continue;
    }
    const scoped = policyNs !== null && !namesNs ? policyNs : null;
    peers.push({
      describe: `endpoints ${describeSelector(sel)}${scoped ? ` in namespace ${scoped}` : ''}`,
      matchesEndpoint: (o) =>
        (scoped === null || o.namespace === scoped) &&
        !o.hostNetwork &&
        ciliumMatches(sel, o, ctx.index.namespaces.get(o.namespace)?.labels ?? {}),
      matchesExternal: () => false,
      ipSets: [],
      allPods: scoped === null && sel.requirements.length === 0,
      allExternal: false,
    });
  }
  let ips = IpSet.EMPTY;
  for (const c of asArray(f('CIDR'))) {
    l3 = true;
    const b = IpSet.block(String(c));
    if (b) ips = ips.union(b);
  }
  for (const c of asArray(f('CIDRSet'))) {
    l3 = true;
    const o = asObject(c);
    if (o.cidrGroupRef !== undefined) ctx.warn(ref, 'cidrGroupRef is not evaluated');
    const b =
      typeof o.cidr === 'string' ? IpSet.block(o.cidr, asArray(o.except).map(String)) : null;
    if (b) ips = ips.union(b);
  }
  if (!ips.isEmpty()) peers.push(ipPeer(`CIDR ${ips.toString()}`, ips));
  for (const e of asArray(f('Entities'))) {
    l3 = true;
    const name = String(e);
    if (name === 'all') peers.push(ANY_PEER);
    else if (name === 'world' || name === 'world-ipv4' || name === 'world-ipv6')
      peers.push(ipPeer(`entity ${name}`, IpSet.ALL));
    else if (name === 'cluster')
      peers.push({
        ...ANY_PEER,
        describe: 'entity cluster',
        matchesExternal: () => false,
        allExternal: false,
      });
    else ctx.warn(ref, `entity ${name} is not modelled (not a pod or external address); ignored`);
  }
  for (const k of ['Requires', 'Nodes', 'Groups', 'FQDNs', 'Services']) {
    if (f(k) !== undefined) {
      l3 = true;
      ctx.warn(ref, `${dir === 'ingress' ? 'from' : 'to'}${k} is not evaluated; matches nothing`);
    }
  }
  if (!l3) return r.toPorts !== undefined || r.icmps !== undefined ? ANY_PEER : NO_PEER;
  return unionPeers(peers);
}

function rules(
  list: unknown,
  dir: 'ingress' | 'egress',
  action: 'allow' | 'deny',
  policyNs: string | null,
  ref: string,
  ctx: CompileContext,
): RuleIR[] {
  return asArray(list).map((r, i) => {
    const o = asObject(r);
    const ruleRef = `${ref} ${dir}${action === 'deny' ? 'Deny' : ''}[${i}]`;
    return {
      action,
      peer: l3Peer(o, dir, policyNs, ruleRef, ctx),
      ports: toPorts(o.toPorts, o.icmps, ruleRef, ctx),
      ref: ruleRef,
    };
  });
}

export function compileCiliumPolicy(obj: SpecObject, ctx: CompileContext): PolicyIR[] {
  const clusterwide = obj.kind === 'CiliumClusterwideNetworkPolicy';
  const ns = clusterwide ? null : (obj.namespace ?? 'default');
  const base = `${obj.kind} ${ns ? `${ns}/` : ''}${obj.name}`;
  const top = asObject(obj.spec);
  const specs = [
    ...(top.endpointSelector !== undefined || top.nodeSelector !== undefined ? [top] : []),
    ...asArray(top.specs).map(asObject),
  ];
  const out: PolicyIR[] = [];
  specs.forEach((spec, n) => {
    const ref = specs.length > 1 ? `${base} spec[${n}]` : base;
    if (spec.nodeSelector !== undefined) {
      ctx.warn(ref, 'host policy (nodeSelector): not evaluated for pods');
      return;
    }
    const { sel, reserved } = ciliumSelector(spec.endpointSelector);
    const subjects = () => {
      if (reserved) return [];
      const cands = ns !== null ? ctx.index.inNamespace(ns) : ctx.index.all();
      return cands.filter((i) => {
        const e = ctx.index.endpoints[i]!;
        return ciliumMatches(sel, e, ctx.index.namespaces.get(e.namespace)?.labels ?? {});
      });
    };
    const dd = asObject(spec.enableDefaultDeny);
    const isolates = (dir: 'ingress' | 'egress') =>
      typeof dd[dir] === 'boolean'
        ? (dd[dir] as boolean)
        : asArray(spec[dir]).length > 0 || asArray(spec[`${dir}Deny`]).length > 0;
    const allow = {
      ingress: rules(spec.ingress, 'ingress', 'allow', ns, ref, ctx),
      egress: rules(spec.egress, 'egress', 'allow', ns, ref, ctx),
    };
    const deny = {
      ingress: rules(spec.ingressDeny, 'ingress', 'deny', ns, ref, ctx),
      egress: rules(spec.egressDeny, 'egress', 'deny', ns, ref, ctx),
    };
    const name = `${ns ?? ''}/${obj.name}/${n}`;
    if (deny.ingress.length || deny.egress.length)
      out.push({
        ref,
        family: 'cilium',
        tier: CILIUM_DENY_TIER,
        order: 0,
        name,
        subjects,
        ingress: deny.ingress.length ? deny.ingress : null,
        egress: deny.egress.length ? deny.egress : null,
      });
    const isolating = { ingress: isolates('ingress'), egress: isolates('egress') };
    if (isolating.ingress || isolating.egress)
      out.push({
        ref,
        family: 'cilium',
        tier: DEFAULT_TIER,
        order: 1000,
        name,
        subjects,
        ingress: isolating.ingress ? allow.ingress : null,
        egress: isolating.egress ? allow.egress : null,
      });
    const open = {
      ingress: !isolating.ingress && allow.ingress.length ? allow.ingress : null,
      egress: !isolating.egress && allow.egress.length ? allow.egress : null,
    };
    if (open.ingress || open.egress)
      out.push({
        ref,
        family: 'cilium',
        tier: CILIUM_OPEN_TIER,
        order: 0,
        name,
        subjects,
        ...open,
      });
  });
  return out;
}
