import {
  ACCOUNTABILITY_LEVEL_NAMES,
  ACCOUNTABILITY_PILLAR_TITLES,
  ACCOUNTABILITY_PILLARS,
  ASI_TITLES,
  type AccountabilityCriterion,
  type AccountabilityGap,
  type AccountabilityPillar,
  type AccountabilityPillarResult,
  type AccountabilityPrincipleResult,
} from '@plumbline/contracts';
import type { Criterion, Facts, Outcome, Principle, PrincipleOutcome } from './criteria.js';
import { cmp } from './util.js';

/**
 * Scoring: cumulative levels (a pillar is at level L when every criterion of levels 1..L is met;
 * unknown never counts as met), attestation-only levels above 2 refused, principle caps, coverage,
 * the overall level (lowest pillar) and what-if levels computed by re-running the criteria with
 * one gap fixed.
 */

export interface Fix {
  criterion?: string;
  principle?: string;
}

export interface Scored {
  criteria: { c: Criterion; o: Outcome }[];
  principles: { p: Principle; o: PrincipleOutcome }[];
  levels: Record<
    AccountabilityPillar,
    { criteriaLevel: number; level: number; cap: { principle: Principle; reason: string } | null }
  >;
  overall: number;
}

/** The highest cumulative level whose criteria are all met (levels 3+ need one observed). */
export function cumulativeLevel(
  results: readonly { level: number; status: string; basis: string | null }[],
): number {
  let level = 0;
  for (let l = 1; l <= 4; l++) {
    const at = results.filter((r) => r.level === l);
    if (!at.length || !at.every((r) => r.status === 'met')) break;
    if (l >= 3 && !at.some((r) => r.basis === 'observed')) break;
    level = l;
  }
  return level;
}

export function evaluate(
  facts: Facts,
  criteria: readonly Criterion[],
  principles: readonly Principle[],
  fix: Fix = {},
): Scored {
  return withFix(
    criteria.map((c) => ({ c, o: c.evaluate(facts) })),
    principles.map((p) => ({ p, o: p.evaluate(facts) })),
    fix,
  );
}

/**
 * Levels from the criteria and principle outcomes, with one criterion counted as met (observed)
 * or one principle as passed. Outcomes depend on the facts alone, so a what-if reuses them.
 */
function withFix(
  outcomes: readonly { c: Criterion; o: Outcome }[],
  principleOutcomes: readonly { p: Principle; o: PrincipleOutcome }[],
  fix: Fix,
): Scored {
  const cs = outcomes.map(({ c, o }) => ({
    c,
    o: c.id === fix.criterion ? { ...o, status: 'met' as const, basis: 'observed' as const } : o,
  }));
  const ps = principleOutcomes.map(({ p, o }) => ({
    p,
    o: p.id === fix.principle ? { ...o, status: 'passed' as const } : o,
  }));
  const levels = {} as Scored['levels'];
  for (const pillar of ACCOUNTABILITY_PILLARS) {
    const criteriaLevel = cumulativeLevel(
      cs
        .filter((x) => x.c.pillar === pillar)
        .map((x) => ({ level: x.c.level, status: x.o.status, basis: x.o.basis })),
    );
    let level = criteriaLevel;
    let cap: Scored['levels'][AccountabilityPillar]['cap'] = null;
    for (const { p, o } of ps) {
      if (p.pillar !== pillar || o.status !== 'failed' || p.capLevel >= level) continue;
      level = p.capLevel;
      cap = { principle: p, reason: `${p.title} fails (${p.failTest}): ${o.reason}` };
    }
    levels[pillar] = { criteriaLevel, level, cap };
  }
  const overall = Math.min(...ACCOUNTABILITY_PILLARS.map((p) => levels[p].level));
  return { criteria: cs, principles: ps, levels, overall };
}

/**
 * The pillar levels and the overall level of `s` (unfixed) with one criterion counted as met
 * (observed) or one principle as passed: what withFix gives, computed in place (a what-if per
 * gap reads only these).
 */
function fixedLevels(
  s: Scored,
  fix: Fix,
): { levels: Record<AccountabilityPillar, { level: number }>; overall: number } {
  const levels = {} as Record<AccountabilityPillar, { level: number }>;
  let overall = Infinity;
  // Only the pillars of the fixed criterion or principle can change: the others keep the levels
  // `s` has (the same computation below with nothing fixed).
  const touched = new Set<AccountabilityPillar>();
  if (fix.criterion !== undefined)
    for (const { c } of s.criteria) if (c.id === fix.criterion) touched.add(c.pillar);
  if (fix.principle !== undefined)
    for (const { p } of s.principles) if (p.id === fix.principle) touched.add(p.pillar);
  for (const pillar of ACCOUNTABILITY_PILLARS) {
    if (!touched.has(pillar)) {
      const level = s.levels[pillar].level;
      levels[pillar] = { level };
      overall = Math.min(overall, level);
      continue;
    }
    // cumulativeLevel over the pillar's criteria
    let level = 0;
    for (let l = 1; l <= 4; l++) {
      let n = 0;
      let allMet = true;
      let observed = false;
      for (const { c, o } of s.criteria) {
        if (c.pillar !== pillar || c.level !== l) continue;
        n++;
        const fixed = c.id === fix.criterion;
        if ((fixed ? 'met' : o.status) !== 'met') allMet = false;
        if ((fixed ? 'observed' : o.basis) === 'observed') observed = true;
      }
      if (!n || !allMet) break;
      if (l >= 3 && !observed) break;
      level = l;
    }
    // principle caps
    for (const { p, o } of s.principles) {
      const status = p.id === fix.principle ? 'passed' : o.status;
      if (p.pillar !== pillar || status !== 'failed' || p.capLevel >= level) continue;
      level = p.capLevel;
    }
    levels[pillar] = { level };
    overall = Math.min(overall, level);
  }
  return { levels, overall };
}

export function criterionResult(c: Criterion, o: Outcome): AccountabilityCriterion {
  return {
    id: c.id,
    pillar: c.pillar,
    level: c.level,
    title: c.title,
    status: o.status,
    basis: o.status === 'met' ? o.basis : null,
    proof: c.proof,
    evidence: o.evidence,
    reason: o.reason,
    asi: c.asi,
    attestable: c.attestable,
  };
}

export function principleResult(p: Principle, o: PrincipleOutcome): AccountabilityPrincipleResult {
  return {
    principle: p.id,
    number: p.number,
    title: p.title,
    failTest: p.failTest,
    pillar: p.pillar,
    capLevel: p.capLevel,
    status: o.status,
    evidence: o.evidence,
    reason: o.reason,
  };
}

export function pillarResults(
  s: Scored,
  claimed: Partial<Record<AccountabilityPillar, number>>,
): AccountabilityPillarResult[] {
  return ACCOUNTABILITY_PILLARS.map((pillar) => {
    const list = s.criteria.filter((x) => x.c.pillar === pillar);
    const evaluated = list.filter((x) => x.o.status !== 'unknown').length;
    const l = s.levels[pillar];
    const claim = claimed[pillar] ?? null;
    return {
      pillar,
      title: ACCOUNTABILITY_PILLAR_TITLES[pillar],
      level: l.level,
      levelName: ACCOUNTABILITY_LEVEL_NAMES[l.level]!,
      criteriaLevel: l.criteriaLevel,
      cap: l.cap
        ? { principle: l.cap.principle.id, level: l.cap.principle.capLevel, reason: l.cap.reason }
        : null,
      coverage: list.length ? Math.round((1000 * evaluated) / list.length) / 10 : null,
      criteria: list.map((x) => criterionResult(x.c, x.o)),
      claimed: claim,
      gap: claim === null ? null : claim - l.level,
    };
  });
}

/** Every criterion not met and every failed principle, with what fixing it alone would give. */
export function gaps(
  facts: Facts,
  s: Scored,
  criteria: readonly Criterion[],
  principles: readonly Principle[],
): AccountabilityGap[] {
  const out: AccountabilityGap[] = [];
  const order = (p: AccountabilityPillar) => ACCOUNTABILITY_PILLARS.indexOf(p);
  // `s` scored these facts with these criteria and principles (unfixed): a what-if changes one
  // outcome only, so it reuses s's outcomes instead of evaluating every criterion again.
  const same =
    s.criteria.length === criteria.length &&
    s.criteria.every((x, i) => x.c === criteria[i]) &&
    s.principles.length === principles.length &&
    s.principles.every((x, i) => x.p === principles[i]);
  const whatIf = (
    fix: Fix,
  ): { levels: Record<AccountabilityPillar, { level: number }>; overall: number } =>
    same ? fixedLevels(s, fix) : evaluate(facts, criteria, principles, fix);
  for (const { c, o } of s.criteria) {
    if (o.status === 'met') continue;
    const w = whatIf({ criterion: c.id });
    out.push({
      pillar: c.pillar,
      criterion: c.id,
      principle: null,
      level: c.level,
      status: o.status,
      title: c.title,
      asi: c.asi,
      asiTitle: ASI_TITLES[c.asi],
      remediation: c.remediation,
      ...(c.severity && o.status === 'not-met' ? { severity: c.severity } : {}),
      whatIfLevel: w.levels[c.pillar].level,
      whatIfOverall: w.overall,
    });
  }
  for (const { p, o } of s.principles) {
    if (o.status !== 'failed') continue;
    const w = whatIf({ principle: p.id });
    out.push({
      pillar: p.pillar,
      criterion: null,
      principle: p.id,
      level: Math.min(4, p.capLevel + 1),
      status: 'failed',
      title: `Principle ${p.number}, ${p.title}, fails: ${p.failTest}`,
      asi: p.asi,
      asiTitle: ASI_TITLES[p.asi],
      remediation: p.remediation,
      whatIfLevel: w.levels[p.pillar].level,
      whatIfOverall: w.overall,
    });
  }
  return out.sort(
    (a, b) =>
      order(a.pillar) - order(b.pillar) ||
      a.level - b.level ||
      cmp(a.criterion ?? `~${a.principle ?? ''}`, b.criterion ?? `~${b.principle ?? ''}`),
  );
}
