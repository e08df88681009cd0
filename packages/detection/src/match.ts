import type {
  ClusterSnapshot,
  DetectedComponent,
  Evidence,
  SpecObject,
  Workload,
} from '@plumbline/contracts';
import type {
  ApiSignal,
  ComponentRule,
  ObjectSignal,
  SupportSignal,
  WorkloadSignal,
} from './rule.js';

const ref = (w: Workload) => `${w.kind} ${w.namespace}/${w.name}`;
const group = (apiVersion: string) =>
  apiVersion.includes('/') ? apiVersion.split('/')[0]! : 'core';

export function workloadMatches(w: Workload, s: WorkloadSignal): boolean {
  if (s.kind && !s.kind.includes(w.kind)) return false;
  if (s.name && !s.name.test(w.name)) return false;
  if (s.namespace && !s.namespace.test(w.namespace)) return false;
  if (s.image && !anyImage(w, s.image)) return false;
  if (s.podLabel) {
    const v = w.podLabels[s.podLabel[0]];
    if (v === undefined || !s.podLabel[1].test(v)) return false;
  }
  if (s.sidecar) {
    // At least two main (non-init) containers, one of them named like the sidecar.
    let main = 0;
    let named = false;
    for (const c of w.containers) {
      if (c.init) continue;
      main++;
      if (!named && s.sidecar.test(c.name)) named = true;
    }
    if (main < 2 || !named) return false;
  }
  if (s.env && !anyEnv(w, s.env[0], s.env[1])) return false;
  return true;
}

// Loops rather than closures: workloadMatches runs for every workload and signal, and a closure
// capturing its arguments costs an allocation per call.
function anyImage(w: Workload, image: RegExp): boolean {
  for (const c of w.containers) if (image.test(c.image)) return true;
  return false;
}

function anyEnv(w: Workload, nameRe: RegExp, valueRe: RegExp | undefined): boolean {
  for (const c of w.containers)
    for (const e of c.env)
      if (
        nameRe.test(e.name) &&
        (!valueRe || (e.source === 'literal' && e.value !== undefined && valueRe.test(e.value)))
      )
        return true;
  return false;
}

/**
 * A prefilter for the name and image patterns of a rule set, built once per rule set: the union
 * of the patterns (one regex per flag set). A name or image no pattern of the union matches
 * cannot match any of them, so a signal with such a pattern is not tried on that workload. Only
 * patterns whose union means exactly "one of them matches" are included: no global or sticky
 * flag (stateful test), no backreference and no named group (numbering and names change in a
 * union); the others are always tried.
 */
interface PatternUnion {
  /** The patterns the unions cover. */
  covered: ReadonlySet<RegExp>;
  unions: readonly RegExp[];
}

interface RulePrefilter {
  name: PatternUnion;
  image: PatternUnion;
  /** The pod label keys signals test (a workload without the key cannot match them). */
  podLabelKeys: readonly string[];
}

function patternUnion(patterns: Iterable<RegExp>): PatternUnion {
  const byFlags = new Map<string, RegExp[]>();
  for (const re of patterns) {
    if (/[gy]/.test(re.flags) || /\\[1-9k]|\(\?<[^=!]/.test(re.source)) continue;
    const list = byFlags.get(re.flags);
    if (!list) byFlags.set(re.flags, [re]);
    else if (!list.includes(re)) list.push(re);
  }
  const covered = new Set<RegExp>();
  const unions: RegExp[] = [];
  for (const [flags, list] of byFlags) {
    let union: RegExp;
    try {
      union = new RegExp(list.map((re) => `(?:${re.source})`).join('|'), flags);
    } catch {
      continue;
    }
    unions.push(union);
    for (const re of list) covered.add(re);
  }
  return { covered, unions };
}

const prefilters = new WeakMap<readonly ComponentRule[], RulePrefilter>();

function prefilterFor(rules: readonly ComponentRule[]): RulePrefilter {
  let p = prefilters.get(rules);
  if (!p) {
    const signals = rules.flatMap((r) => [
      ...(r.runtime ?? []),
      ...(r.parts ?? []).map((x) => x.signal),
    ]);
    p = {
      name: patternUnion(signals.flatMap((s) => (s.name ? [s.name] : []))),
      image: patternUnion(signals.flatMap((s) => (s.image ? [s.image] : []))),
      podLabelKeys: [...new Set(signals.flatMap((s) => (s.podLabel ? [s.podLabel[0]] : [])))],
    };
    prefilters.set(rules, p);
  }
  return p;
}

/**
 * Per snapshot (its workload list): the workloads whose name, or one of whose images, a pattern
 * of the rule set may match (see RulePrefilter), as indices in list order. Built once per
 * detection run, read by matchRule.
 */
export interface WorkloadPrefilter {
  workloads: readonly Workload[];
  prefilter: RulePrefilter;
  /** By mask (1: name may match, 2: an image may match, 3: both): the indices, ascending. */
  byMask: readonly (readonly number[])[];
  /**
   * For signals with neither a name nor an image pattern, which would otherwise try every
   * workload: by pod label key, the workloads carrying it; and the workloads with at least two
   * main containers (what a sidecar signal needs). Indices, ascending.
   */
  byPodLabel: ReadonlyMap<string, readonly number[]>;
  multiContainer: readonly number[];
  /** Object lists by API group, filled as object signals read them (see objectsOf). */
  objectGroups: Map<readonly SpecObject[], GroupIndex>;
}

export function workloadPrefilter(
  workloads: readonly Workload[],
  rules: readonly ComponentRule[],
): WorkloadPrefilter {
  const prefilter = prefilterFor(rules);
  const nameUnions = prefilter.name.unions;
  const imageUnions = prefilter.image.unions;
  const byMask: number[][] = [[], [], [], []];
  const labelKeys = prefilter.podLabelKeys;
  const byPodLabel = new Map<string, number[]>(labelKeys.map((k) => [k, []]));
  const multiContainer: number[] = [];
  const hit = (unions: readonly RegExp[], s: string) => {
    for (const u of unions) if (u.test(s)) return true;
    return false;
  };
  for (let i = 0; i < workloads.length; i++) {
    const w = workloads[i]!;
    const name = hit(nameUnions, w.name);
    let image = false;
    for (const c of w.containers) if ((image = hit(imageUnions, c.image))) break;
    if (name) byMask[1]!.push(i);
    if (image) byMask[2]!.push(i);
    if (name && image) byMask[3]!.push(i);
    for (const k of labelKeys) if (w.podLabels[k] !== undefined) byPodLabel.get(k)!.push(i);
    let main = 0;
    for (const c of w.containers) if (!c.init) main++;
    if (main >= 2) multiContainer.push(i);
  }
  return { workloads, prefilter, byMask, byPodLabel, multiContainer, objectGroups: new Map() };
}

/**
 * The indices of the workloads of `list` that may match the signal, ascending; null when every
 * workload may (no prefilter applies to the signal).
 */
function candidates(
  list: readonly Workload[],
  s: WorkloadSignal,
  pre: WorkloadPrefilter | undefined,
): readonly number[] | null {
  if (pre === undefined || pre.workloads !== list) return null;
  const mask =
    (s.name && pre.prefilter.name.covered.has(s.name) ? 1 : 0) |
    (s.image && pre.prefilter.image.covered.has(s.image) ? 2 : 0);
  if (mask !== 0) return pre.byMask[mask]!;
  // A workload without the pod label, or with fewer than two main containers, fails the signal.
  if (s.podLabel) return pre.byPodLabel.get(s.podLabel[0]) ?? null;
  if (s.sidecar) return pre.multiContainer;
  return null;
}

function describeSignal(s: WorkloadSignal): string {
  if (s.sidecar) return 'sidecar';
  if (s.name) return 'workload';
  if (s.image) return 'image';
  if (s.podLabel) return 'label';
  return 'workload';
}

function apiEvidence(snapshot: ClusterSnapshot, s: ApiSignal): Evidence[] {
  if ('crdGroup' in s) {
    return snapshot.crds
      .filter((c) => s.crdGroup.test(c.group))
      .map((c) => ({ ref: `CRD ${c.name}`, signal: 'crd' }));
  }
  if ('apiServiceGroup' in s) {
    return snapshot.apiServices
      .filter((a) => s.apiServiceGroup.test(a.group))
      .map((a) => ({ ref: `APIService ${a.name}`, signal: 'api-service' }));
  }
  return snapshot.webhookConfigurations
    .filter((w) => s.webhook.test(w.name))
    .map((w) => ({ ref: `${w.kind} ${w.name}`, signal: 'webhook' }));
}

/**
 * A list's objects by API group (`core` without one), as indices in list order: object signals
 * test their group pattern once per distinct group, not once per object (the groups of a
 * cluster's custom resources are few; the rule set holds dozens of signals over them).
 */
type GroupIndex = ReadonlyMap<string, readonly number[]>;

function groupIndex(list: readonly SpecObject[]): GroupIndex {
  const out = new Map<string, number[]>();
  for (let i = 0; i < list.length; i++) {
    const g = group(list[i]!.apiVersion);
    const at = out.get(g);
    if (at) at.push(i);
    else out.set(g, [i]);
  }
  return out;
}

function objectsOf(
  snapshot: ClusterSnapshot,
  s: ObjectSignal,
  pre: WorkloadPrefilter | undefined,
): { ref: string }[] {
  if (s.list === 'virtualMachines') {
    return snapshot.virtualMachines.map((v) => ({ ref: `${v.kind} ${v.namespace}/${v.name}` }));
  }
  const list = s.list === 'customResources' ? snapshot.config.customResources : snapshot[s.list];
  // The groups of this list, built once per detection run (the run's prefilter holds them) when
  // the prefilter was built for this snapshot's lists.
  let groups: GroupIndex | undefined;
  if (pre) {
    let cached = pre.objectGroups.get(list);
    if (!cached) pre.objectGroups.set(list, (cached = groupIndex(list)));
    groups = cached;
  } else groups = groupIndex(list);
  let hits: number[] | null = null;
  let groupsHit = 0;
  for (const [g, at] of groups)
    if (s.group.test(g)) {
      hits = hits ? hits.concat(at) : at.slice();
      groupsHit++;
    }
  if (!hits) return [];
  // In list order, as a filter over the whole list gives them.
  if (groupsHit > 1) hits.sort((a, b) => a - b);
  const out: { ref: string }[] = [];
  for (const i of hits) {
    const o = list[i]!;
    if (
      (!s.kind || s.kind.test(o.kind)) &&
      (!s.name || s.name.test(o.name)) &&
      (!s.specMatches || s.specMatches.test(JSON.stringify(o.spec)))
    )
      out.push({ ref: `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}` });
  }
  return out;
}

function supportEvidence(snapshot: ClusterSnapshot, s: SupportSignal): Evidence[] {
  if ('namespace' in s) {
    return snapshot.namespaces
      .filter((n) => s.namespace.test(n.name))
      .map((n) => ({ ref: `Namespace ${n.name}`, signal: 'namespace' }));
  }
  if ('namespaceLabel' in s) {
    return snapshot.namespaces
      .filter((n) => {
        const v = n.labels[s.namespaceLabel[0]];
        return v !== undefined && s.namespaceLabel[1].test(v);
      })
      .map((n) => ({
        ref: `Namespace ${n.name} label ${s.namespaceLabel[0]}=${n.labels[s.namespaceLabel[0]]}`,
        signal: 'label',
      }));
  }
  if ('configMap' in s) {
    return snapshot.config.configMaps
      .filter((c) => s.configMap.test(c.name))
      .map((c) => ({ ref: `ConfigMap ${c.namespace}/${c.name}`, signal: 'config' }));
  }
  if ('ingressClassController' in s) {
    return snapshot.ingressClasses
      .filter((c) => c.controller !== null && s.ingressClassController.test(c.controller))
      .map((c) => ({ ref: `IngressClass ${c.name} (${c.controller})`, signal: 'ingress-class' }));
  }
  if ('configMapKey' in s) {
    const [nameRe, keyRe, valueRe] = s.configMapKey;
    return snapshot.config.configMaps.flatMap((c) =>
      nameRe.test(c.name)
        ? Object.entries(c.data)
            .filter(([k, v]) => keyRe.test(k) && valueRe.test(v.trim()))
            .map(([k, v]) => ({
              ref: `ConfigMap ${c.namespace}/${c.name} ${k}=${v.trim()}`,
              signal: 'config',
            }))
        : [],
    );
  }
  if ('serviceAnnotation' in s) {
    const [key, valueRe] = s.serviceAnnotation;
    return snapshot.services
      .filter((svc) => svc.annotations[key] !== undefined && valueRe.test(svc.annotations[key]!))
      .map((svc) => ({
        ref: `Service ${svc.namespace}/${svc.name} annotation ${key}`,
        signal: 'annotation',
      }));
  }
  return snapshot.services
    .filter((svc) => svc.type === s.serviceType)
    .map((svc) => ({
      ref: `Service ${svc.namespace}/${svc.name} type ${svc.type}`,
      signal: 'service',
    }));
}

/** Apply one rule to a snapshot; null when nothing matched. */
export function matchRule(
  rule: ComponentRule,
  snapshot: ClusterSnapshot,
  prefilter?: WorkloadPrefilter,
): DetectedComponent | null {
  const evidence: Evidence[] = [];
  const workloads: Workload[] = [];
  const list = snapshot.workloads;
  for (const signal of rule.runtime ?? []) {
    const only = candidates(list, signal, prefilter);
    const n = only ? only.length : list.length;
    for (let j = 0; j < n; j++) {
      const w = list[only ? only[j]! : j]!;
      if (!workloadMatches(w, signal) || workloads.includes(w)) continue;
      workloads.push(w);
      evidence.push({ ref: ref(w), signal: describeSignal(signal) });
    }
  }
  const objects: string[] = [];
  for (const signal of rule.objects ?? []) {
    for (const o of objectsOf(snapshot, signal, prefilter)) {
      if (objects.includes(o.ref)) continue;
      objects.push(o.ref);
      evidence.push({ ref: o.ref, signal: 'object' });
    }
  }
  const apiEv = (rule.api ?? []).flatMap((s) => apiEvidence(snapshot, s));
  const supportEv = (rule.support ?? []).flatMap((s) => supportEvidence(snapshot, s));
  evidence.push(...apiEv, ...supportEv);

  let status: DetectedComponent['status'];
  if (workloads.length) status = 'installed';
  else if (objects.length && rule.objectsMeanInstalled) status = 'installed';
  else if (rule.supportDecides && supportEv.length) status = 'installed';
  else if (apiEv.length || objects.length) status = 'remnant';
  else return null;

  const attributes: Record<string, string | boolean | number> = rule.attributes
    ? rule.attributes({ snapshot, workloads })
    : {};
  if (status === 'installed' && rule.parts?.length && workloads.length) {
    const present = (signal: WorkloadSignal) => {
      const only = candidates(list, signal, prefilter);
      if (!only) return list.some((w) => workloadMatches(w, signal));
      return only.some((i) => workloadMatches(list[i]!, signal));
    };
    const missing = rule.parts.filter((p) => !present(p.signal)).map((p) => p.name);
    if (missing.length) {
      status = 'partial';
      attributes.missingParts = missing.join(', ');
    }
  }

  let version: string | null = null;
  if (rule.versionFromImage) {
    for (const w of workloads) {
      for (const c of w.containers) {
        const m = rule.versionFromImage.exec(c.image);
        if (m?.[1]) {
          version = m[1];
          break;
        }
      }
      if (version) break;
    }
  }

  const kinds = new Set(evidence.map((e) => e.signal));
  const confidence: DetectedComponent['confidence'] =
    kinds.size >= 2 && (workloads.length || objects.length)
      ? 'high'
      : workloads.length || objects.length
        ? 'medium'
        : 'low';

  return {
    id: rule.id,
    name: rule.name,
    category: rule.category,
    status,
    version,
    confidence,
    attributes,
    evidence: dedupe(evidence),
  };
}

function dedupe(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((e) => {
    const k = `${e.signal}\u0000${e.ref}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
