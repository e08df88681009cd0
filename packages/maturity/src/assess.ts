import {
  MATURITY_PILLARS,
  type CapResult,
  type ClusterSnapshot,
  type CriterionResult,
  type DetectionResult,
  type MaturityFinding,
  type MaturityPillarId,
  type MaturityResult,
  type NetpolResult,
  type PillarResult,
} from '@plumbline/contracts';
import { detect } from '@plumbline/detection';
import { analyzeNetworkPolicies } from '@plumbline/netpol';
import { CAPS, CRITERIA, PILLAR_NAMES, type Cap, type Criterion } from './criteria.js';
import { computeFacts, type MaturityFacts } from './facts.js';

/**
 * Scoring: a pillar is at level L when every criterion of levels 1..L is met (unknown is not met),
 * lowered to the smallest maxLevel of the caps that apply. Pillar score = 25 x level + 25 x the
 * share of next-level criteria met (not when capped). Cluster level = lowest pillar; cluster score =
 * 25 x mean pillar level. Findings: every criterion not met (or unknown) and every cap that applies,
 * each with the level its pillar reaches when that alone is fixed: the fix patches the facts and the
 * pillar's criteria and caps are evaluated again.
 */

export interface PillarEvaluation {
  level: number;
  cappedBy: string | null;
  criteria: CriterionResult[];
  caps: CapResult[];
}

/**
 * A pillar's criteria, caps and level. `accepted` (criterion and cap ids whose risk the
 * organisation accepted, see packages/plan): those criteria count as met and those caps as not
 * applying for the level only (their own status is unchanged), so the level is the level "with
 * accepted risks" and must be labelled so.
 */
/** The rubric's criteria and caps of each pillar, in rubric order (constant data, split once). */
const CRITERIA_BY_PILLAR = new Map<MaturityPillarId, readonly Criterion[]>(
  MATURITY_PILLARS.map((p) => [p, CRITERIA.filter((c) => c.pillar === p)]),
);
const CAPS_BY_PILLAR = new Map<MaturityPillarId, readonly Cap[]>(
  MATURITY_PILLARS.map((p) => [p, CAPS.filter((c) => c.pillar === p)]),
);
const criteriaOf = (pillar: MaturityPillarId): readonly Criterion[] =>
  CRITERIA_BY_PILLAR.get(pillar) ?? CRITERIA.filter((c) => c.pillar === pillar);
const capsOf = (pillar: MaturityPillarId): readonly Cap[] =>
  CAPS_BY_PILLAR.get(pillar) ?? CAPS.filter((c) => c.pillar === pillar);

export function evaluatePillar(
  pillar: MaturityPillarId,
  f: MaturityFacts,
  accepted?: ReadonlySet<string>,
): PillarEvaluation {
  const criteria = criteriaOf(pillar).map((c): CriterionResult => {
    const o = c.evaluate(f);
    return {
      id: c.id,
      level: c.level,
      title: c.title,
      status: o.status,
      evidence: o.evidence,
      reason: o.reason,
    };
  });
  let level = 0;
  for (let l = 1; l <= 4; l++) {
    const at = criteria.filter((c) => c.level === l);
    if (!at.length || at.some((c) => c.status !== 'met' && !accepted?.has(c.id))) break;
    level = l;
  }
  const caps = capsOf(pillar).map((c): CapResult => {
    const o = c.evaluate(f);
    return {
      id: c.id,
      title: c.title,
      maxLevel: c.maxLevel,
      applies: o.applies,
      evidence: o.evidence,
      reason: o.reason,
    };
  });
  let cappedBy: string | null = null;
  for (const c of caps)
    if (c.applies === true && c.maxLevel < level && !accepted?.has(c.id)) {
      level = c.maxLevel;
      cappedBy = c.id;
    }
  return { level, cappedBy, criteria, caps };
}

/**
 * The pillar's level alone, as evaluatePillar(pillar, f).level gives it (no accepted risks), for
 * the what-if of every finding: criteria are evaluated level by level only up to the first level
 * not met (the levels above cannot count), and a cap only when it could lower the level reached.
 * Nothing else of the evaluation (evidence, reasons of the other criteria) is kept.
 */
export function pillarLevel(pillar: MaturityPillarId, f: MaturityFacts): number {
  const criteria = criteriaOf(pillar);
  let level = 0;
  for (let l = 1; l <= 4; l++) {
    let n = 0;
    let met = true;
    for (const c of criteria) {
      if (c.level !== l) continue;
      n++;
      if (c.evaluate(f).status !== 'met') {
        met = false;
        break;
      }
    }
    if (!n || !met) break;
    level = l;
  }
  for (const c of capsOf(pillar))
    if (c.maxLevel < level && c.evaluate(f).applies === true) level = c.maxLevel;
  return level;
}

function pillarScore(e: PillarEvaluation): number {
  if (e.level >= 4 || e.cappedBy) return 25 * e.level;
  const next = e.criteria.filter((c) => c.level === e.level + 1);
  const share = next.length ? next.filter((c) => c.status === 'met').length / next.length : 0;
  return Math.round(25 * e.level + 25 * share);
}

const SEVERITY_BY_LEVEL = { 1: 'high', 2: 'medium', 3: 'low', 4: 'info' } as const;
const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];

function findingFor(
  pillar: MaturityPillarId,
  current: number,
  f: MaturityFacts,
  source: Criterion | Cap,
  result: CriterionResult | CapResult,
): MaturityFinding {
  const whatIf = pillarLevel(pillar, source.fix(f));
  if ('level' in source) {
    const r = result as CriterionResult;
    const unknown = r.status === 'unknown';
    return {
      id: `${source.id}:${unknown ? 'unknown' : 'gap'}`,
      pillar,
      kind: unknown ? 'unknown' : 'gap',
      severity: unknown ? 'info' : SEVERITY_BY_LEVEL[source.level],
      title: unknown
        ? `Not evaluable: ${source.title}`
        : `Level ${source.level} not met: ${source.title}`,
      detail: r.reason,
      remediation: unknown
        ? `Collect the missing data, then: ${source.remediation}`
        : source.remediation,
      source: source.id,
      evidence: r.evidence,
      currentLevel: current,
      whatIfLevel: whatIf,
    };
  }
  const cap = source as Cap;
  const r = result as CapResult;
  return {
    id: `${cap.id}:${cap.kind}`,
    pillar,
    kind: cap.kind,
    severity: cap.kind === 'upgrade-risk' ? 'high' : cap.maxLevel <= 1 ? 'critical' : 'high',
    title: cap.title,
    detail: `${r.reason} (caps ${PILLAR_NAMES[pillar]} at level ${cap.maxLevel})`,
    remediation: cap.remediation,
    source: cap.id,
    evidence: r.evidence,
    currentLevel: current,
    whatIfLevel: whatIf,
  };
}

const stage = (level: number): MaturityResult['cncfStage'] =>
  level <= 1 ? 'Build' : level === 2 ? 'Operate' : level === 3 ? 'Scale' : 'Improve';

export function scoreFacts(f: MaturityFacts): MaturityResult {
  const pillars: PillarResult[] = [];
  const findings: MaturityFinding[] = [];
  let evaluated = 0;
  let total = 0;
  for (const id of MATURITY_PILLARS) {
    const e = evaluatePillar(id, f);
    const known = e.criteria.filter((c) => c.status !== 'unknown').length;
    evaluated += known;
    total += e.criteria.length;
    pillars.push({
      id,
      name: PILLAR_NAMES[id],
      level: e.level,
      score: pillarScore(e),
      coverage: Math.round((1000 * known) / e.criteria.length) / 10,
      cappedBy: e.cappedBy,
      criteria: e.criteria,
      caps: e.caps,
    });
    for (const c of criteriaOf(id)) {
      const r = e.criteria.find((x) => x.id === c.id)!;
      if (r.status !== 'met') findings.push(findingFor(id, e.level, f, c, r));
    }
    for (const c of capsOf(id)) {
      const r = e.caps.find((x) => x.id === c.id)!;
      if (r.applies === true) findings.push(findingFor(id, e.level, f, c, r));
    }
  }
  const levels = pillars.map((p) => p.level);
  const level = Math.min(...levels);
  const pillarIndex = new Map<string, number>(MATURITY_PILLARS.map((p, i) => [p, i]));
  findings.sort(
    (a, b) =>
      pillarIndex.get(a.pillar)! - pillarIndex.get(b.pillar)! ||
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return {
    level,
    score: Math.round((25 * levels.reduce((s, l) => s + l, 0)) / levels.length),
    coverage: total ? Math.round((1000 * evaluated) / total) / 10 : 0,
    cncfStage: stage(level),
    pillars,
    findings,
  };
}

export interface MaturityInput {
  snapshot: ClusterSnapshot;
  /** Results of the earlier analysis steps; computed here when absent. */
  detection?: DetectionResult;
  netpol?: NetpolResult;
  /** applicationNamespaces(snapshot, detection), when the caller computed it already. */
  appNamespaces?: string[];
}

/** Operational maturity of one cluster. Pure and deterministic. */
export function assessMaturity(input: MaturityInput): MaturityResult {
  const detection = input.detection ?? detect(input.snapshot);
  const netpol = input.netpol ?? analyzeNetworkPolicies(input.snapshot, detection).result;
  return scoreFacts(computeFacts(input.snapshot, detection, netpol, input.appNamespaces));
}
