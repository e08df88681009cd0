import type { SpecObject } from '@plumbline/contracts';
import {
  CalicoSelectorError,
  calicoEqualities,
  calicoMatches,
  calicoMatchesIn,
  parseCalicoSelector,
  type CalicoExpr,
  type LabelLookup,
} from './calico-selector.js';
import { ConnSet } from './conns.js';
import { IpSet } from './ip.js';
import {
  ALL_PORTS,
  TIER_ORDER,
  namedPortConns,
  type Action,
  type ExternalAtom,
  type PeerMatcher,
  type PolicyIR,
  type PortMatcher,
  type RuleIR,
  type TierIR,
} from './ir.js';
import type { CompileContext } from './k8s.js';
import type { Endpoint, NamespaceInfo } from './model.js';
import {
  asArray,
  asObject,
  asString,
  type JsonObject,
  type LabelSelector,
  type Labels,
} from './selector.js';

/**
 * Calico NetworkPolicy / GlobalNetworkPolicy (projectcalico.org/v3, crd.projectcalico.org/v1)
 * with tiers and Calico selector syntax. Evaluated: tiers by `order` (default tier 1,000,000;
 * Kubernetes NetworkPolicies sit in it with order 1000), policies by `order` (unset last), rules
 * in order with Allow / Deny / Pass / Log; end of tier denies when a policy of the tier selects
 * the endpoint (or passes with `defaultAction: Pass`); selectors, namespaceSelector (incl.
 * `global()`), nets / notNets, ports / notPorts (numbers, ranges, named ports), protocol /
 * notProtocol, serviceAccounts.names, NetworkSets and GlobalNetworkSets as peers.
 * Not evaluated (warned): source ports, services peers, serviceAccount label selectors, HTTP
 * match criteria (treated as matching any request), host endpoints (doNotTrack / preDNAT /
 * applyOnForward policies).
 */

const ACTIONS: Record<string, Action> = { Allow: 'allow', Deny: 'deny', Pass: 'pass', Log: 'log' };

export interface CalicoContext extends CompileContext {
  tiers: ReadonlyMap<string, TierIR>;
  netSets: readonly { namespace: string | null; labels: Labels; ips: IpSet }[];
}

export function calicoTiers(objects: readonly SpecObject[]): Map<string, TierIR> {
  const tiers = new Map<string, TierIR>([
    ['default', { name: 'default', order: TIER_ORDER.default, defaultAction: 'deny' }],
  ]);
  for (const o of objects) {
    if (o.kind !== 'Tier' || !/projectcalico\.org/.test(o.apiVersion)) continue;
    const spec = asObject(o.spec);
    const order = typeof spec.order === 'number' ? spec.order : Number.MAX_SAFE_INTEGER;
    tiers.set(o.name, {
      name: o.name,
      order,
      defaultAction: asString(spec.defaultAction) === 'Pass' ? 'pass' : 'deny',
    });
  }
  return tiers;
}

/**
 * An endpoint's labels as Calico sees them: its pod labels plus `projectcalico.org/namespace`,
 * `projectcalico.org/orchestrator` (k8s) and, with a service account,
 * `projectcalico.org/serviceaccount`, which win over pod labels of the same key. Read in place
 * (no merged label object per endpoint).
 */
const ENDPOINT_LABELS: LabelLookup<Endpoint> = {
  has: (e, key) =>
    key === 'projectcalico.org/namespace' ||
    key === 'projectcalico.org/orchestrator' ||
    (key === 'projectcalico.org/serviceaccount' && !!e.serviceAccount) ||
    Object.prototype.hasOwnProperty.call(e.labels, key),
  get: (e, key) =>
    key === 'projectcalico.org/namespace'
      ? e.namespace
      : key === 'projectcalico.org/orchestrator'
        ? 'k8s'
        : key === 'projectcalico.org/serviceaccount' && e.serviceAccount
          ? e.serviceAccount
          : e.labels[key],
};

/** Does a Calico selector select the endpoint (its labels as Calico sees them)? */
export const calicoMatchesEndpoint = (sel: CalicoExpr, e: Endpoint): boolean =>
  calicoMatchesIn(sel, e, ENDPOINT_LABELS);

export const calicoNamespaceLabels = (n: NamespaceInfo | undefined, name: string): Labels => ({
  ...(n?.labels ?? {}),
  'projectcalico.org/name': name,
});

function parse(src: unknown, ref: string, ctx: CompileContext): CalicoExpr | null {
  if (src === undefined || src === null) return null;
  try {
    return parseCalicoSelector(String(src));
  } catch (e) {
    ctx.warn(ref, `${e instanceof CalicoSelectorError ? e.message : String(e)}; matches nothing`);
    return { t: 'not', e: { t: 'all' } };
  }
}

function protocolConns(v: unknown): ConnSet {
  if (v === undefined || v === null) return ConnSet.ALL;
  const p = String(v).toUpperCase();
  const byNumber: Record<string, string> = { '6': 'TCP', '17': 'UDP', '132': 'SCTP' };
  return ConnSet.protocol(byNumber[p] ?? p);
}

function portConns(list: readonly unknown[], protocol: ConnSet, dst: Endpoint | null): ConnSet {
  let out = ConnSet.NONE;
  const protos = (['TCP', 'UDP', 'SCTP'] as const).filter((p) => protocol.get(p).length);
  for (const item of list) {
    const s = String(item);
    const range = /^(\d+)(?::(\d+))?$/.exec(s);
    for (const p of protos) {
      if (range) out = out.union(ConnSet.ports(p, Number(range[1]), Number(range[2] ?? range[1])));
      else out = out.union(namedPortConns(dst, s, p));
    }
  }
  return out.intersect(protocol);
}

function rulePorts(rule: JsonObject, ref: string, ctx: CompileContext): PortMatcher {
  const dst = asObject(rule.destination);
  const proto = protocolConns(rule.protocol);
  const notProto = rule.notProtocol !== undefined ? protocolConns(rule.notProtocol) : ConnSet.NONE;
  const base = proto.subtract(notProto);
  const ports = asArray(dst.ports);
  const notPorts = asArray(dst.notPorts);
  if ((ports.length || notPorts.length) && rule.protocol === undefined)
    ctx.warn(ref, 'ports without a protocol: applied to TCP, UDP and SCTP');
  if (!ports.length && !notPorts.length) {
    return base.isAll()
      ? ALL_PORTS
      : { describe: base.toString(), resolve: () => base, all: false };
  }
  const named = [...ports, ...notPorts].some((p) => !/^\d+(:\d+)?$/.test(String(p)));
  const compute = (d: Endpoint | null) => {
    const inc = ports.length ? portConns(ports, base, d) : base;
    return notPorts.length ? inc.subtract(portConns(notPorts, base, d)) : inc;
  };
  const fixed = named ? null : compute(null);
  const describe = `${rule.protocol !== undefined ? String(rule.protocol) : 'any'} ${ports.map(String).join(',') || 'all ports'}${notPorts.length ? ` except ${notPorts.map(String).join(',')}` : ''}`;
  return { describe, resolve: fixed ? () => fixed : compute, all: false };
}

interface EntityMatch {
  endpoint: (o: Endpoint) => boolean;
  external: (a: ExternalAtom) => boolean;
  ipSets: IpSet[];
  describe: string;
  everything: boolean;
}

/** An EntityRule (source or destination) as a matcher of endpoints and external ranges. */
function entity(
  v: unknown,
  policyNs: string | null,
  ref: string,
  ctx: CalicoContext,
): EntityMatch | null {
  const o = asObject(v);
  if (o.services !== undefined) {
    ctx.warn(ref, 'services peers are not evaluated; the rule matches nothing');
    return null;
  }
  const sel = parse(o.selector, ref, ctx);
  const notSel = parse(o.notSelector, ref, ctx);
  const nsSel = parse(o.namespaceSelector, ref, ctx);
  const block = (list: unknown) => {
    let s = IpSet.EMPTY;
    for (const c of asArray(list)) {
      const b = IpSet.block(String(c));
      if (b) s = s.union(b);
      else ctx.warn(ref, `invalid CIDR ${String(c)}; ignored`);
    }
    return s;
  };
  const nets = o.nets !== undefined ? block(o.nets) : null;
  const notNets = o.notNets !== undefined ? block(o.notNets) : null;
  const sa = asObject(o.serviceAccounts);
  const saNames = asArray(sa.names).map(String);
  if (sa.selector !== undefined)
    ctx.warn(ref, 'serviceAccounts.selector is not evaluated; ignored');
  const whole = (s: IpSet) => s.coversFamily(4) || s.coversFamily(6);
  const nsLabels = (name: string) => calicoNamespaceLabels(ctx.index.namespaces.get(name), name);

  const nsOk = (ns: string | null) => {
    if (nsSel) return ns !== null && calicoMatches(nsSel, nsLabels(ns), false);
    if (sel && policyNs !== null) return ns === policyNs;
    return true;
  };
  const netSetNsOk = (ns: string | null) => {
    if (nsSel)
      return ns === null
        ? calicoMatches(nsSel, {}, true)
        : calicoMatches(nsSel, nsLabels(ns), false);
    if (policyNs !== null) return ns === policyNs;
    return ns === null;
  };
  const endpoint = (e: Endpoint) => {
    if (!nsOk(e.namespace)) return false;
    if (sel && !calicoMatchesEndpoint(sel, e)) return false;
    if (notSel && calicoMatchesEndpoint(notSel, e)) return false;
    if (nets && !whole(nets)) return false;
    if (notNets && whole(notNets)) return false;
    if (saNames.length && (!e.serviceAccount || !saNames.includes(e.serviceAccount))) return false;
    return true;
  };
  const external = (a: ExternalAtom) => {
    if (saNames.length) return false;
    if (nets && !nets.containsRange(a.range)) return false;
    if (notNets && notNets.containsRange(a.range)) return false;
    if (sel || nsSel) {
      const sets = a.netSets.filter((s) => netSetNsOk(s.namespace));
      return sets.some(
        (s) =>
          (!sel || calicoMatches(sel, s.labels, s.namespace === null)) &&
          (!notSel || !calicoMatches(notSel, s.labels, s.namespace === null)),
      );
    }
    if (notSel)
      return !a.netSets.some((s) => calicoMatches(notSel, s.labels, s.namespace === null));
    return true;
  };
  const parts = [
    nsSel ? `namespaceSelector ${String(o.namespaceSelector)}` : '',
    sel ? `selector ${String(o.selector)}` : '',
    notSel ? `notSelector ${String(o.notSelector)}` : '',
    nets ? `nets ${asArray(o.nets).map(String).join(',')}` : '',
    notNets ? `notNets ${asArray(o.notNets).map(String).join(',')}` : '',
    saNames.length ? `serviceAccounts ${saNames.join(',')}` : '',
  ].filter(Boolean);
  const ipSets = [nets, notNets].filter((x): x is IpSet => x !== null);
  return {
    endpoint,
    external,
    ipSets,
    describe: parts.join(' ') || 'any',
    everything: !parts.length,
  };
}

function compileRules(
  list: unknown,
  dir: 'ingress' | 'egress',
  policyNs: string | null,
  ref: string,
  ctx: CalicoContext,
): RuleIR[] {
  const out: RuleIR[] = [];
  asArray(list).forEach((r, i) => {
    const rule = asObject(r);
    const ruleRef = `${ref} ${dir}[${i}]`;
    const action = ACTIONS[asString(rule.action) ?? ''];
    if (!action) {
      ctx.warn(ruleRef, `unknown action ${JSON.stringify(rule.action)}; rule ignored`);
      return;
    }
    if (rule.http !== undefined) ctx.warn(ruleRef, 'HTTP match criteria are not evaluated (L7)');
    const src = asObject(rule.source);
    if (src.ports !== undefined || src.notPorts !== undefined) {
      ctx.warn(ruleRef, 'source ports cannot be evaluated; rule ignored');
      return;
    }
    const peerSide = dir === 'ingress' ? rule.source : rule.destination;
    const localSide = dir === 'ingress' ? rule.destination : rule.source;
    const peerEntity = entity(peerSide, policyNs, `${ruleRef} (peer)`, ctx);
    const localEntity = entity(
      { ...asObject(localSide), ports: undefined, notPorts: undefined },
      policyNs,
      `${ruleRef} (local)`,
      ctx,
    );
    if (!peerEntity || !localEntity) return;
    const local = asObject(localSide);
    const localNets = local.nets !== undefined || local.notNets !== undefined;
    if (localNets)
      ctx.warn(ruleRef, 'nets on the local side are only matched when they cover every address');
    const peer: PeerMatcher = {
      describe: peerEntity.describe,
      matchesEndpoint: (o) => peerEntity.endpoint(o),
      matchesExternal: (a) => peerEntity.external(a),
      ipSets: peerEntity.ipSets,
      allPods: peerEntity.everything,
      allExternal: peerEntity.everything,
    };
    out.push({
      action,
      peer,
      ports: rulePorts(rule, ruleRef, ctx),
      ref: ruleRef,
      ...(localEntity.everything ? {} : { appliesTo: (s: Endpoint) => localEntity.endpoint(s) }),
    });
  });
  return out;
}

export function compileCalicoPolicy(obj: SpecObject, ctx: CalicoContext): PolicyIR | null {
  const global = obj.kind === 'GlobalNetworkPolicy';
  const ns = global ? null : (obj.namespace ?? 'default');
  const ref = `Calico ${obj.kind} ${ns ? `${ns}/` : ''}${obj.name}`;
  const spec = asObject(obj.spec);
  if (spec.doNotTrack === true || spec.preDNAT === true || spec.applyOnForward === true) {
    ctx.warn(
      ref,
      'host-endpoint policy (doNotTrack / preDNAT / applyOnForward): not evaluated for pods',
    );
    return null;
  }
  const tierName =
    asString(spec.tier) ?? (obj.name.includes('.') ? obj.name.split('.')[0]! : 'default');
  const tier = ctx.tiers.get(tierName);
  if (!tier) {
    ctx.warn(ref, `tier ${tierName} is not in the snapshot; policy ignored`);
    return null;
  }
  const sel = parse(spec.selector, ref, ctx) ?? { t: 'all' };
  const nsSel = global ? parse(spec.namespaceSelector, ref, ctx) : null;
  if (spec.serviceAccountSelector !== undefined)
    ctx.warn(
      ref,
      'serviceAccountSelector is not evaluated (service-account labels are not collected)',
    );
  const hasIngress = asArray(spec.ingress).length > 0;
  const hasEgress = asArray(spec.egress).length > 0;
  const declared = asArray(spec.types).map(String);
  const types = declared.length
    ? declared
    : hasEgress && !hasIngress
      ? ['Egress']
      : hasEgress
        ? ['Ingress', 'Egress']
        : ['Ingress'];
  const subjects = () => {
    // A top-level `key == 'value'` on a pod label narrows candidates through the label index.
    const eq = calicoEqualities(sel).find(([k]) => !k.startsWith('projectcalico.org/'));
    const narrow: LabelSelector | null = eq
      ? { requirements: [{ key: eq[0], operator: 'In', values: [eq[1]] }], invalid: false }
      : null;
    const candidates: readonly number[] =
      ns !== null
        ? narrow
          ? ctx.index.podsInNamespace(ns, narrow)
          : ctx.index.inNamespace(ns)
        : narrow
          ? ctx.index.pods(null, narrow)
          : ctx.index.all();
    const out: number[] = [];
    for (const i of candidates) {
      const e = ctx.index.endpoints[i]!;
      if (
        nsSel &&
        !calicoMatches(
          nsSel,
          calicoNamespaceLabels(ctx.index.namespaces.get(e.namespace), e.namespace),
        )
      )
        continue;
      if (calicoMatchesEndpoint(sel, e)) out.push(i);
    }
    return out;
  };
  return {
    ref,
    family: 'calico',
    tier,
    order: typeof spec.order === 'number' ? spec.order : Number.MAX_SAFE_INTEGER,
    name: `${ns ?? ''}/${obj.name}`,
    subjects,
    ingress: types.includes('Ingress') ? compileRules(spec.ingress, 'ingress', ns, ref, ctx) : null,
    egress: types.includes('Egress') ? compileRules(spec.egress, 'egress', ns, ref, ctx) : null,
  };
}

export function calicoNetSets(objects: readonly SpecObject[], ctx: CompileContext) {
  const out: { namespace: string | null; labels: Labels; ips: IpSet }[] = [];
  for (const o of objects) {
    if (!/projectcalico\.org/.test(o.apiVersion)) continue;
    if (o.kind !== 'GlobalNetworkSet' && o.kind !== 'NetworkSet') continue;
    let ips = IpSet.EMPTY;
    for (const c of asArray(asObject(o.spec).nets)) {
      const b = IpSet.block(String(c));
      if (b) ips = ips.union(b);
      else ctx.warn(`Calico ${o.kind} ${o.name}`, `invalid CIDR ${String(c)}; ignored`);
    }
    out.push({
      namespace: o.kind === 'NetworkSet' ? (o.namespace ?? 'default') : null,
      labels: o.labels,
      ips,
    });
  }
  return out;
}
