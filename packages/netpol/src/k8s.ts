import type { SpecObject } from '@plumbline/contracts';
import type { LabelIndex } from './index-labels.js';
import { IpSet } from './ip.js';
import {
  ALL_PORTS,
  ANY_PEER,
  DEFAULT_TIER,
  NO_PEER,
  endpointPeer,
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
import {
  EMPTY_SELECTOR,
  asArray,
  asObject,
  asString,
  describeSelector,
  isEmptySelector,
  parseSelector,
  type JsonObject,
} from './selector.js';

/**
 * Kubernetes NetworkPolicy (networking.k8s.io/v1), exactly as the API documents it:
 * - an empty podSelector selects every pod of the policy's namespace;
 * - policyTypes defaults to Ingress, plus Egress when the policy has egress rules;
 * - a rule without `from`/`to` (or with an empty list) matches every peer; without `ports`,
 *   every port and protocol; `ingress: []` allows nothing (isolation only);
 * - namespaceSelector AND podSelector in one peer; podSelector alone means the policy's namespace;
 * - ipBlock `cidr` minus `except` (cluster-external addresses; pod IPs are not in a snapshot);
 * - ports: protocol (default TCP), number or named container port of the destination, endPort.
 */

export interface CompileContext {
  index: LabelIndex;
  warn: (ref: string, message: string) => void;
}

export const PROTOCOL_NAMES = new Set(['TCP', 'UDP', 'SCTP']);

export function k8sPorts(list: unknown, ref: string, ctx: CompileContext): PortMatcher {
  const ports = asArray(list);
  if (!ports.length) return ALL_PORTS;
  // Sized to the entries (an array grown by push from empty reserves 17 slots, and the specs
  // are kept with the compiled policy); entries that match nothing are dropped at the end.
  const specs: PortSpec[] = new Array<PortSpec>(ports.length);
  let n = 0;
  for (const p of ports) {
    const o = asObject(p);
    const protocol = (asString(o.protocol) ?? 'TCP').toUpperCase();
    if (!PROTOCOL_NAMES.has(protocol)) {
      ctx.warn(ref, `unknown protocol ${protocol}; the port entry matches nothing`);
      continue;
    }
    const proto = protocol as 'TCP' | 'UDP' | 'SCTP';
    if (o.port === undefined || o.port === null)
      specs[n++] = { protocol: proto, from: 1, to: 65535 };
    else if (typeof o.port === 'string' && !/^\d+$/.test(o.port))
      specs[n++] = { protocol: proto, named: o.port };
    else {
      const from = Number(o.port);
      const end = typeof o.endPort === 'number' ? o.endPort : from;
      if (end < from) {
        ctx.warn(ref, `endPort ${end} is below port ${from}; the port entry matches nothing`);
        continue;
      }
      specs[n++] = { protocol: proto, from, to: end };
    }
  }
  specs.length = n;
  return portsMatcher(specs);
}

function k8sPeer(p: unknown, policyNs: string, ref: string, ctx: CompileContext): PeerMatcher {
  const o = asObject(p);
  if (o.ipBlock !== undefined) {
    const b = asObject(o.ipBlock);
    const cidr = asString(b.cidr);
    const except = asArray(b.except).map(String);
    const set = cidr ? IpSet.block(cidr, except) : null;
    if (!set) {
      ctx.warn(ref, `invalid ipBlock ${JSON.stringify(o.ipBlock)}; it matches nothing`);
      return NO_PEER;
    }
    return ipPeer(`ipBlock ${cidr}${except.length ? ` except ${except.join(',')}` : ''}`, set);
  }
  const podSel = parseSelector(o.podSelector);
  const nsSel = parseSelector(o.namespaceSelector);
  if (!podSel && !nsSel) {
    ctx.warn(ref, 'a peer without podSelector, namespaceSelector or ipBlock matches nothing');
    return NO_PEER;
  }
  const pods = podSel ?? EMPTY_SELECTOR;
  if (!nsSel) {
    return endpointPeer(`pods ${describeSelector(pods)} in namespace ${policyNs}`, () =>
      ctx.index.podsInNamespace(policyNs, pods),
    );
  }
  const all = isEmptySelector(nsSel) && isEmptySelector(pods);
  return endpointPeer(
    `pods ${describeSelector(pods)} in namespaces ${describeSelector(nsSel)}`,
    () => ctx.index.pods(nsSel, pods),
    all,
  );
}

function k8sRules(
  list: unknown,
  dir: 'ingress' | 'egress',
  policyNs: string,
  ref: string,
  ctx: CompileContext,
): RuleIR[] {
  return asArray(list).map((r, i) => {
    const o: JsonObject = asObject(r);
    const ruleRef = `${ref} ${dir}[${i}]`;
    const peers = asArray(dir === 'ingress' ? o.from : o.to);
    const peer = peers.length
      ? unionPeers(peers.map((p) => k8sPeer(p, policyNs, ruleRef, ctx)))
      : ANY_PEER;
    return { action: 'allow', peer, ports: k8sPorts(o.ports, ruleRef, ctx), ref: ruleRef };
  });
}

export function compileNetworkPolicy(
  obj: SpecObject,
  ctx: CompileContext,
  tier: TierIR = DEFAULT_TIER,
  order = 1000,
): PolicyIR {
  const ns = obj.namespace ?? 'default';
  const ref = `NetworkPolicy ${ns}/${obj.name}`;
  const spec = asObject(obj.spec);
  const podSel = parseSelector(spec.podSelector) ?? EMPTY_SELECTOR;
  const declared = asArray(spec.policyTypes).map(String);
  const types = declared.length
    ? declared
    : ['Ingress', ...(asArray(spec.egress).length ? ['Egress'] : [])];
  return {
    ref,
    family: 'networkpolicy',
    tier,
    order,
    name: `${ns}/${obj.name}`,
    subjects: () => ctx.index.podsInNamespace(ns, podSel),
    ingress: types.includes('Ingress') ? k8sRules(spec.ingress, 'ingress', ns, ref, ctx) : null,
    egress: types.includes('Egress') ? k8sRules(spec.egress, 'egress', ns, ref, ctx) : null,
  };
}
