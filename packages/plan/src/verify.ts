import {
  ACCOUNTABILITY_PILLARS,
  MATURITY_PILLARS,
  type EvidenceUpload,
  type AnalysisResult,
  type ClusterSnapshot,
  type CostAssumptionOverrides,
} from '@plumbline/contracts';
import { analyzeWithNetpol } from '@plumbline/analysis';
import {
  ConnSet,
  type NetpolEngine,
  analyzeNetworkPolicies,
  endpointRef,
  type Endpoint,
  type Peer,
  type Protocol,
} from '@plumbline/netpol';
import { agentLevels, type AgentLevels } from './agent-actions.js';
import type { BundleObject } from './k8s.js';
import type { Levels } from './planner.js';

/**
 * Verification of a bundle: apply it to the snapshot in memory, re-run the full analyze(), and
 * check (a) the pillar levels reached equal the plan's promise for the generated objects, and (b)
 * every connection a Service exposes today is still allowed (NetworkPolicy semantics of
 * packages/netpol); report what is newly denied. A bundle that fails is never offered.
 */

export interface ServiceCut {
  service: string;
  src: string;
  dst: string;
  port: string;
}

export interface ConnectivityDiff {
  /** Service connections checked: backend ports x source classes (exact; see checkServiceConnections). */
  checked: number;
  /** Service-exposed connections the bundle would cut (must be empty). */
  cut: ServiceCut[];
  newlyIsolated: { ingress: number; egress: number };
  /** What is newly denied, in words (first 50 lines). */
  newlyDenied: string[];
}

export interface Verification {
  ok: boolean;
  promised: Levels;
  reached: Levels;
  level: { promised: number; reached: number };
  /** Accountability levels promised and reached (plans for an accountability pillar). */
  agents?: { promised: AgentLevels; reached: AgentLevels };
  taxCents: { before: number; after: number };
  connectivity: ConnectivityDiff;
  problems: string[];
  /** The re-analysis of the snapshot with the bundle applied. */
  analysis: AnalysisResult;
}

const labelsMatch = (sel: Readonly<Record<string, string>>, l: Readonly<Record<string, string>>) =>
  Object.entries(sel).every(([k, v]) => l[k] === v);

function probeFor(e: Endpoint, port: number | string, protocol: string): ConnSet | null {
  const proto = (protocol || 'TCP').toUpperCase();
  if (proto !== 'TCP' && proto !== 'UDP' && proto !== 'SCTP') return null;
  const n =
    typeof port === 'number'
      ? port
      : (e.ports.find((p) => p.name === port && p.protocol.toUpperCase() === proto)?.port ?? null);
  return n === null ? null : ConnSet.ports(proto as Protocol, n, n);
}

/**
 * Every Service-exposed connection before vs after, exactly but without enumerating all pairs:
 * a connection changes only where an endpoint became newly isolated. A newly isolated endpoint
 * had no policy before, so only the bundle's policies apply to it; their peers (every pod, every
 * address) do not depend on who the peer is, so one representative per class decides for the
 * class. Where that does not hold, every source is checked one by one.
 */
export function checkServiceConnections(
  snapshot: ClusterSnapshot,
  before: NetpolEngine,
  after: NetpolEngine,
  /** Policy ref -> a key of its content, for policies whose peers never depend on the subject's
   *  namespace (the bundle's own): endpoints under equal content form one class. */
  contentKey: (ref: string) => string = (ref) => ref,
): ConnectivityDiff {
  const cut: ServiceCut[] = [];
  let checked = 0;
  const afterByRef = new Map(after.endpoints.map((e) => [endpointRef(e), e]));
  const beforeEps = before.endpoints;
  const pair = (e: Endpoint) => afterByRef.get(endpointRef(e)) ?? null;
  const newly = (e: Endpoint, dir: 'ingress' | 'egress') => {
    const a = pair(e);
    return !!a && !before.isolation(e, dir).isolated && after.isolation(a, dir).isolated;
  };
  const clean = (e: Endpoint, dir: 'ingress' | 'egress') => before.applying(e, dir).length === 0;
  // Policies applying before and after differ (the bundle selected the endpoint).
  const changed = (e: Endpoint, dir: 'ingress' | 'egress') => {
    const a = pair(e);
    return !!a && after.applying(a, dir).length !== before.applying(e, dir).length;
  };
  // Where the bundle can only keep or widen what an endpoint allows, no source needs checking:
  // - Kubernetes NetworkPolicies and Cilium policies add up (Cilium's deny rules subtract the same
  //   before and after: the bundle adds none), so on an endpoint that was already isolated the
  //   bundle's deny-all and allow policies can only widen.
  // - Calico (Kubernetes NetworkPolicies sit in its default tier): the bundle's policies are in
  //   the default tier and only allow (its deny-alls hold no rule). On an endpoint some policy of
  //   the default tier already selected, that tier already ended in its default action, so an
  //   added allow can only turn a deny (or a pass) into an allow. An endpoint the tier did not
  //   select before (only other tiers, or none) is narrowed by the tier's end: checked source by
  //   source.
  const ADDITIVE = new Set(['networkpolicy', 'cilium']);
  const CALICO = new Set(['networkpolicy', 'calico']);
  const onlyWidens = (e: Endpoint, dir: 'ingress' | 'egress') => {
    const pre = before.applying(e, dir);
    const all = [...pre, ...after.applying(pair(e)!, dir)];
    if (all.every((p) => ADDITIVE.has(p.family))) return before.isolation(e, dir).isolated;
    if (all.every((p) => CALICO.has(p.family))) return pre.some((p) => p.tier.name === 'default');
    return false;
  };
  // Host-network pods are outside NetworkPolicy and outside the connection list (as in
  // `connectivity`); the bundle's allows include 0.0.0.0/0 and ::/0, which admit node addresses.
  const pods = beforeEps.filter((e) => !e.hostNetwork);
  const podsByNs = new Map<string, Endpoint[]>();
  for (const e of pods) {
    const l = podsByNs.get(e.namespace);
    if (l) l.push(e);
    else podsByNs.set(e.namespace, [e]);
  }
  const ext = before.atomFor('203.0.113.7')!;
  const extA = after.atomFor('203.0.113.7')!;
  const egressNew = pods.filter((e) => newly(e, 'egress'));
  const classes = new Map<string, Endpoint[]>();
  const loners: Endpoint[] = [];
  for (const e of pods) {
    if (!changed(e, 'egress')) continue;
    if (!newly(e, 'egress') || !clean(e, 'egress')) {
      if (!onlyWidens(e, 'egress')) loners.push(e);
      continue;
    }
    const key = after
      .applying(pair(e)!, 'egress')
      .map((p) => contentKey(p.ref))
      .join('|');
    const l = classes.get(key);
    if (l) l.push(e);
    else classes.set(key, [e]);
  }
  const ingressNew = pods.filter((e) => newly(e, 'ingress'));
  const ingressNewSet = new Set(ingressNew);
  const sources = pods;
  const otherPod = (bA: Endpoint) => after.endpoints.find((e) => e !== bA && !e.hostNetwork);
  const conn = (eng: NetpolEngine, s: Endpoint, d: Endpoint) =>
    eng.connections({ kind: 'endpoint', e: s }, { kind: 'endpoint', e: d });
  const precise = (
    svc: string,
    srcs: readonly Endpoint[],
    b: Endpoint,
    probe: ConnSet,
    port: string,
  ) => {
    const bA = pair(b);
    for (const s of srcs) {
      if (s === b) continue;
      const sA = pair(s);
      if (!bA || !sA) continue;
      checked++;
      if (conn(before, s, b).contains(probe) && !conn(after, sA, bA).contains(probe))
        cut.push({ service: svc, src: endpointRef(s), dst: endpointRef(b), port });
    }
  };
  for (const svc of snapshot.services) {
    if (!svc.selector || !Object.keys(svc.selector).length) continue;
    const name = `${svc.namespace}/${svc.name}`;
    const backends = (podsByNs.get(svc.namespace) ?? []).filter((e) =>
      labelsMatch(svc.selector!, e.labels),
    );
    for (const b of backends) {
      const bA = pair(b);
      if (!bA) continue;
      for (const p of svc.ports) {
        const probe = probeFor(b, p.targetPort ?? p.port, p.protocol);
        if (!probe) continue;
        const port = `${p.protocol || 'TCP'} ${p.targetPort ?? p.port}`;
        // Ingress side at the backend.
        if (changed(b, 'ingress')) {
          if (ingressNewSet.has(b) && clean(b, 'ingress')) {
            const reps: Peer[] = [{ kind: 'external', atom: extA }];
            const other = otherPod(bA);
            if (other) reps.push({ kind: 'endpoint', e: other });
            checked += reps.length;
            if (!reps.every((r) => after.evaluate(bA, 'ingress', r).allowed.contains(probe))) {
              if (
                before
                  .evaluate(b, 'ingress', { kind: 'external', atom: ext })
                  .allowed.contains(probe)
              )
                cut.push({ service: name, src: 'any address', dst: endpointRef(b), port });
              precise(name, sources, b, probe, port);
            }
          } else if (!onlyWidens(b, 'ingress')) precise(name, sources, b, probe, port);
        }
        // Egress side at each newly egress-isolated source class.
        for (const members of classes.values()) {
          const rep = pair(members[0]!)!;
          checked++;
          if (!after.evaluate(rep, 'egress', { kind: 'endpoint', e: bA }).allowed.contains(probe))
            precise(name, members, b, probe, port);
        }
        if (loners.length) precise(name, loners, b, probe, port);
      }
    }
  }
  // What is newly denied, in words.
  const newlyDenied: string[] = [];
  for (const e of ingressNew.slice(0, 25)) {
    const a = pair(e)!;
    const allowed = after.evaluate(a, 'ingress', { kind: 'external', atom: extA }).allowed;
    newlyDenied.push(
      `${endpointRef(e)} ingress: ${allowed.isEmpty() ? 'nothing stays open (no Service selects it)' : `only ${allowed.toString()} stays open`} (was everything)`,
    );
  }
  for (const e of egressNew.slice(0, 25)) {
    const a = pair(e)!;
    const out = after.evaluate(a, 'egress', { kind: 'external', atom: extA }).allowed;
    newlyDenied.push(
      `${endpointRef(e)} egress: outside the cluster ${out.isEmpty() ? 'nothing' : `only ${out.toString()}`}; inside, DNS and Service ports (was everything)`,
    );
  }
  return {
    checked,
    cut: cut.slice(0, 200),
    newlyIsolated: { ingress: ingressNew.length, egress: egressNew.length },
    newlyDenied,
  };
}

export interface VerifyInput {
  snapshot: ClusterSnapshot;
  analysis: AnalysisResult;
  /** The snapshot with the bundle applied (applyToSnapshot). */
  patched: ClusterSnapshot;
  objects: readonly BundleObject[];
  promised: Levels;
  assumptions?: CostAssumptionOverrides;
  /** The NetworkPolicy engine of the original snapshot, when the caller has it. */
  beforeEngine?: NetpolEngine;
  /** Accountability levels the bundle promises (plans for an accountability pillar). */
  agentPromise?: AgentLevels;
  /** The evidence uploads of the analysis (the re-analysis reads them too). */
  evidence?: readonly EvidenceUpload[];
}

export function verifyBundle(input: VerifyInput): Verification {
  const { result: re, netpol: afterNetpol } = analyzeWithNetpol({
    snapshot: input.patched,
    assumptions: input.assumptions,
    evidence: input.evidence,
  });
  const reached = {} as Levels;
  for (const p of re.steps.maturity.pillars) reached[p.id] = p.level;
  const problems: string[] = [];
  for (const p of MATURITY_PILLARS)
    if (reached[p] !== input.promised[p])
      problems.push(
        `${p}: the plan promised level ${input.promised[p]}, re-analysis reached ${reached[p]}`,
      );
  // Network policies in any dialect (Kubernetes, Calico, Cilium), named as the analysis names
  // their rules.
  const policyRef = (m: BundleObject['manifest']): string | null =>
    m.kind === 'NetworkPolicy'
      ? m.apiVersion === 'networking.k8s.io/v1'
        ? 'NetworkPolicy'
        : 'Calico NetworkPolicy'
      : m.kind === 'CiliumNetworkPolicy'
        ? 'CiliumNetworkPolicy'
        : null;
  const touchesPolicy = input.objects.some((o) => policyRef(o.manifest) !== null);
  let connectivity: ConnectivityDiff = {
    checked: 0,
    cut: [],
    newlyIsolated: { ingress: 0, egress: 0 },
    newlyDenied: [],
  };
  if (touchesPolicy) {
    const before =
      input.beforeEngine ??
      analyzeNetworkPolicies(input.snapshot, input.analysis.steps.detection).engine;
    const after = afterNetpol.engine;
    // The bundle's own policies: every peer names its namespaces (or is an address block), so
    // policies with the same spec allow the same wherever they sit.
    const own = new Map<string, string>();
    for (const o of input.objects) {
      const kind = policyRef(o.manifest);
      if (kind && o.manifest.metadata.namespace)
        own.set(
          `${kind} ${o.manifest.metadata.namespace}/${o.manifest.metadata.name}`,
          `own:${kind}:${JSON.stringify(o.manifest.spec)}`,
        );
    }
    connectivity = checkServiceConnections(
      input.snapshot,
      before,
      after,
      (ref) => own.get(ref) ?? ref,
    );
    if (connectivity.cut.length)
      problems.push(
        `${connectivity.cut.length} connections a Service exposes today would be cut, e.g. ${connectivity.cut
          .slice(0, 3)
          .map((c) => `${c.src} -> ${c.dst} ${c.port} (Service ${c.service})`)
          .join('; ')}`,
      );
  }
  let agents: Verification['agents'];
  if (input.agentPromise) {
    const promised = input.agentPromise;
    const reachedAgents = agentLevels(re.steps.agents);
    for (const p of ACCOUNTABILITY_PILLARS)
      if (reachedAgents[p] !== promised[p])
        problems.push(
          `${p}: the plan promised accountability level ${promised[p]}, re-analysis reached ${reachedAgents[p]}`,
        );
    if (re.steps.agents.status !== 'assessed')
      problems.push('re-analysis found no agents to assess');
    agents = { promised, reached: reachedAgents };
  }
  const promisedLevel = Math.min(...MATURITY_PILLARS.map((p) => input.promised[p]));
  return {
    ok: problems.length === 0,
    promised: input.promised,
    reached,
    level: { promised: promisedLevel, reached: re.steps.maturity.level },
    ...(agents ? { agents } : {}),
    taxCents: { before: input.analysis.steps.cost.totalCents, after: re.steps.cost.totalCents },
    connectivity,
    problems,
    analysis: re,
  };
}
