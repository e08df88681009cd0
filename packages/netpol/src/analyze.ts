import type {
  ClusterSnapshot,
  DetectionResult,
  NetpolNamespace,
  NetpolResult,
  NetpolWorkload,
} from '@plumbline/contracts';
import { NetpolEngine, cmp, type EngineOptions } from './engine.js';
import {
  NO_PEER,
  POLICY_FAMILIES,
  type Direction,
  type PolicyFamily,
  type PolicyIR,
  type RuleIR,
} from './ir.js';
import { endpointRef, modelFromSnapshot, type Endpoint } from './model.js';
import { asArray, asObject, parseSelector, isEmptySelector } from './selector.js';

/**
 * The `netpol` analysis step: isolation and allowed peers per workload, default-deny per
 * namespace, replica-weighted coverage. Which policy families are evaluated follows the policy
 * engines detection found (Calico: NetworkPolicy, Calico, and AdminNetworkPolicy /
 * BaselineAdminNetworkPolicy before v3.32, ClusterNetworkPolicy from v3.32; Cilium: NetworkPolicy
 * and Cilium; Antrea: NetworkPolicy, Antrea, ANP/BANP; other engines: NetworkPolicy only). With no
 * engine known, every family present is evaluated (what the policies intend).
 */

const MAX_ALLOWED = 25;

export function calicoMinor(version: string | null | undefined): [number, number] | null {
  const m = /(\d+)\.(\d+)/.exec(version ?? '');
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/** Engine options for the cluster's detected policy engines. */
export function engineOptionsFor(detection: DetectionResult | null | undefined): EngineOptions {
  const engines = detection?.network.networkPolicy.engines ?? [];
  if (!detection || !engines.length) return {};
  const families = new Set<PolicyFamily>(['networkpolicy']);
  const reasons: Partial<Record<PolicyFamily, string>> = {};
  for (const id of engines) {
    if (id === 'calico') {
      families.add('calico');
      const calico = detection.components.find((c) => c.id === 'calico' || c.id === 'canal');
      const v = calicoMinor(calico?.version);
      const atLeast332 = v !== null && (v[0] > 3 || (v[0] === 3 && v[1] >= 32));
      if (v === null || !atLeast332) {
        families.add('adminnetworkpolicy');
        families.add('baselineadminnetworkpolicy');
      }
      if (v === null || atLeast332) families.add('clusternetworkpolicy');
      if (atLeast332) {
        const r = `Calico ${calico?.version ?? ''} no longer enforces AdminNetworkPolicy / BaselineAdminNetworkPolicy (from v3.32); migrate to ClusterNetworkPolicy`;
        reasons.adminnetworkpolicy = r;
        reasons.baselineadminnetworkpolicy = r;
      }
    }
    if (id === 'cilium') families.add('cilium');
    if (id === 'antrea') {
      families.add('antrea');
      families.add('adminnetworkpolicy');
      families.add('baselineadminnetworkpolicy');
    }
  }
  const engineList = engines.join(', ');
  for (const f of POLICY_FAMILIES)
    if (!families.has(f) && !reasons[f])
      reasons[f] = `not enforced by the cluster's policy engine (${engineList})`;
  return { families, familyReasons: reasons };
}

function ciliumAlways(snapshot: ClusterSnapshot): boolean {
  return snapshot.config.configMaps.some(
    (c) => c.name === 'cilium-config' && c.data['enable-policy']?.trim() === 'always',
  );
}

function denyAll(p: PolicyIR, dir: Direction): boolean {
  const rules = p[dir];
  if (!rules) return false;
  // No rule, or only rules that allow nothing (Cilium's `ingress: [{}]` idiom), in a tier whose
  // end denies: everything the policy selects is denied in this direction.
  if (
    p.tier.defaultAction === 'deny' &&
    rules.every((r) => r.action === 'allow' && r.peer === NO_PEER)
  )
    return true;
  const first = rules[0];
  return (
    !!first &&
    first.action === 'deny' &&
    !first.appliesTo &&
    first.peer.allPods &&
    (dir === 'ingress' || first.peer.allExternal) &&
    first.ports.all
  );
}

function pct(part: number, whole: number): number | null {
  return whole ? Math.round((1000 * part) / whole) / 10 : null;
}

type Allowed = NetpolWorkload['ingress']['allowed'][number];

/**
 * Work state of the per-workload loop, reused across endpoints: the applying policies and the
 * allowed entries (written from index 0, then copied out at their exact count: an array grown by
 * push from empty reserves 17 slots, and these lists are kept in the result), and one entry per
 * rule (a rule's entry is the same for every endpoint it applies to, and no reader changes it).
 */
interface DirectionScratch {
  policies: PolicyIR[];
  allowed: Allowed[];
  entries: Map<RuleIR, Allowed>;
}

function allowedEntry(scratch: DirectionScratch, r: RuleIR): Allowed {
  let a = scratch.entries.get(r);
  if (!a) {
    a = {
      rule: r.ref,
      peer: r.peer.describe,
      ports: r.ports.describe,
      workloads: r.peer.count ? r.peer.count() : null,
    };
    scratch.entries.set(r, a);
  }
  return a;
}

/** Isolation and allowed peers of one endpoint in one direction (a function, not a closure per endpoint). */
function direction(
  engine: NetpolEngine,
  e: Endpoint,
  d: Direction,
  scratch: DirectionScratch,
): NetpolWorkload['ingress'] {
  // No policy applies: not isolated, nothing allowed by a rule (what the general case gives).
  if (!engine.hasApplying(e, d))
    return { isolated: false, isolatedBy: [], allowed: [], allowedTruncated: 0 };
  const iso = engine.isolation(e, d);
  const allowed = scratch.allowed;
  let kept = 0;
  let total = 0;
  if (!e.hostNetwork) {
    const policies = scratch.policies;
    const n = engine.applyingInto(e, d, policies);
    for (let i = 0; i < n; i++)
      for (const r of policies[i]![d] ?? []) {
        if (r.action !== 'allow' || (r.appliesTo && !r.appliesTo(e))) continue;
        total++;
        if (kept < MAX_ALLOWED) allowed[kept++] = allowedEntry(scratch, r);
      }
  }
  return {
    isolated: iso.isolated,
    isolatedBy: iso.by.length > 10 ? iso.by.slice(0, 10) : iso.by,
    allowed: kept ? allowed.slice(0, kept) : [],
    allowedTruncated: total - kept,
  };
}

export interface NetpolAnalysis {
  result: NetpolResult;
  engine: NetpolEngine;
}

export function analyzeNetworkPolicies(
  snapshot: ClusterSnapshot,
  detection?: DetectionResult | null,
): NetpolAnalysis {
  const opts = engineOptionsFor(detection);
  if (detection?.network.networkPolicy.engines.includes('cilium') && ciliumAlways(snapshot))
    opts.defaultDenyAll = true;
  const engine = new NetpolEngine(modelFromSnapshot(snapshot), opts);
  const eps = engine.endpoints;

  // ---- per workload
  const workloads: NetpolWorkload[] = new Array<NetpolWorkload>(eps.length);
  const scratch: DirectionScratch = { policies: [], allowed: [], entries: new Map() };
  for (let i = 0; i < eps.length; i++) {
    const e = eps[i]!;
    workloads[i] = {
      ref: endpointRef(e),
      namespace: e.namespace,
      name: e.name,
      kind: e.kind,
      replicas: e.replicas,
      hostNetwork: e.hostNetwork,
      ingress: direction(engine, e, 'ingress', scratch),
      egress: direction(engine, e, 'egress', scratch),
    };
  }

  // ---- coverage
  let total = 0;
  let hostNet = 0;
  const iso = { ingress: { r: 0, w: 0 }, egress: { r: 0, w: 0 } };
  workloads.forEach((w) => {
    if (w.hostNetwork) {
      hostNet += w.replicas;
      return;
    }
    total += w.replicas;
    for (const d of ['ingress', 'egress'] as const)
      if (w[d].isolated) {
        iso[d].r += w.replicas;
        iso[d].w++;
      }
  });

  // ---- namespaces
  const byNs = new Map<string, Endpoint[]>();
  for (const e of eps) {
    if (e.hostNetwork) continue;
    const list = byNs.get(e.namespace);
    if (list) list.push(e);
    else byNs.set(e.namespace, [e]);
  }
  const denyBy = new Map<string, { ingress: Set<string>; egress: Set<string> }>();
  for (const d of ['ingress', 'egress'] as const) {
    for (const p of engine.policies) {
      if (!denyAll(p, d)) continue;
      const perNs = new Map<string, number>();
      for (const i of p.subjects()) {
        const e = eps[i]!;
        perNs.set(e.namespace, (perNs.get(e.namespace) ?? 0) + 1);
      }
      for (const [ns, n] of perNs) {
        if (n !== (byNs.get(ns)?.length ?? -1)) continue;
        if (!denyBy.has(ns)) denyBy.set(ns, { ingress: new Set(), egress: new Set() });
        denyBy.get(ns)![d].add(p.ref);
      }
    }
  }
  // Namespaces without selectable pods: a deny-all NetworkPolicy with an empty podSelector.
  for (const o of snapshot.networkPolicies) {
    const ns = o.namespace ?? 'default';
    if (byNs.has(ns)) continue;
    const spec = asObject(o.spec);
    if (!isEmptySelector(parseSelector(spec.podSelector) ?? { requirements: [], invalid: false }))
      continue;
    const declared = asArray(spec.policyTypes).map(String);
    const types = declared.length
      ? declared
      : ['Ingress', ...(asArray(spec.egress).length ? ['Egress'] : [])];
    for (const d of ['ingress', 'egress'] as const) {
      if (!types.includes(d === 'ingress' ? 'Ingress' : 'Egress') || asArray(spec[d]).length)
        continue;
      if (!denyBy.has(ns)) denyBy.set(ns, { ingress: new Set(), egress: new Set() });
      denyBy.get(ns)![d].add(`NetworkPolicy ${ns}/${o.name}`);
    }
  }
  const wByNs = new Map<string, NetpolWorkload[]>();
  for (const w of workloads) {
    const list = wByNs.get(w.namespace);
    if (list) list.push(w);
    else wByNs.set(w.namespace, [w]);
  }
  const namespaces: NetpolNamespace[] = [...engine.model.namespaces.values()]
    .sort((a, b) => cmp(a.name, b.name))
    .map((n) => {
      const ws = (wByNs.get(n.name) ?? []).filter((w) => !w.hostNetwork);
      const replicas = ws.reduce((s, w) => s + w.replicas, 0);
      const part = (d: Direction) =>
        ws.filter((w) => w[d].isolated).reduce((s, w) => s + w.replicas, 0);
      const by = denyBy.get(n.name);
      return {
        name: n.name,
        declared: n.declared,
        workloads: ws.length,
        replicas,
        defaultDeny: { ingress: !!by?.ingress.size, egress: !!by?.egress.size },
        defaultDenyBy: {
          ingress: [...(by?.ingress ?? [])].sort(cmp).slice(0, 10),
          egress: [...(by?.egress ?? [])].sort(cmp).slice(0, 10),
        },
        isolatedPercent: {
          ingress: pct(part('ingress'), replicas),
          egress: pct(part('egress'), replicas),
        },
      };
    });

  // ---- object inventory
  const kinds = new Map<
    string,
    { group: string; kind: string; count: number; evaluated: number; reasons: Set<string> }
  >();
  for (const o of engine.objects) {
    // The group is the apiVersion up to its first '/' (indexOf: no array per object).
    const slash = o.apiVersion.indexOf('/');
    const group = slash >= 0 ? o.apiVersion.slice(0, slash) : 'core';
    const key = `${group}/${o.kind}`;
    let k = kinds.get(key);
    if (!k) {
      k = { group, kind: o.kind, count: 0, evaluated: 0, reasons: new Set<string>() };
      kinds.set(key, k);
    }
    k.count++;
    if (o.outcome.status === 'evaluated') k.evaluated++;
    else k.reasons.add(o.outcome.reason);
  }
  const byKind = [...kinds.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([, k]) => ({
      group: k.group,
      kind: k.kind,
      count: k.count,
      evaluated: k.evaluated,
      reason: k.reasons.size ? [...k.reasons].sort(cmp).join('; ') : null,
    }));

  const np = detection?.network.networkPolicy;
  const result: NetpolResult = {
    enforcement: {
      enforced: np?.enforced ?? null,
      engines: [...(np?.engines ?? [])],
      reason: np?.reason ?? 'policy engine not detected (detection did not run)',
    },
    objects: {
      total: engine.objects.length,
      evaluated: engine.objects.filter((o) => o.outcome.status === 'evaluated').length,
      byKind,
    },
    coverage: {
      weighting: 'replicas',
      workloads: workloads.filter((w) => !w.hostNetwork).length,
      totalReplicas: total,
      hostNetworkReplicas: hostNet,
      ingress: {
        isolatedReplicas: iso.ingress.r,
        isolatedWorkloads: iso.ingress.w,
        percent: pct(iso.ingress.r, total),
      },
      egress: {
        isolatedReplicas: iso.egress.r,
        isolatedWorkloads: iso.egress.w,
        percent: pct(iso.egress.r, total),
      },
      // Filled by the analysis pipeline (it knows which namespaces hold applications).
      applications: null,
    },
    namespaces,
    workloads: workloads.sort((a, b) => cmp(a.ref, b.ref)),
    warnings: [...engine.warnings].sort((a, b) => cmp(a.ref, b.ref) || cmp(a.message, b.message)),
  };
  return { result, engine };
}
