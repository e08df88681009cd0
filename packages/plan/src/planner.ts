import {
  MATURITY_PILLARS,
  type AnalysisResult,
  type DetectedComponent,
  type MaturityPillarId,
  type PlanTarget,
  isAccountabilityPillar,
} from '@plumbline/contracts';
import { computeIntegrationTax } from '@plumbline/cost';
import { RULES } from '@plumbline/detection';
import {
  CAPS,
  CRITERIA,
  PILLAR_NAMES,
  computeFacts,
  evaluatePillar,
  type MaturityFacts,
} from '@plumbline/maturity';
import { catalogue, type Action, type PlanContext } from './actions.js';
import { planAgentTarget } from './agent-actions.js';
import { DIALECT_ENGINE, DIALECT_NAMES } from './dialect.js';
import { DEFAULT_HOURS_PER_PHASE } from './effort.js';
import { cheapestCover } from './search.js';

/**
 * The smallest plan to a target: the cheapest set of actions (by effort hours) whose combined
 * what-if reaches the target level, found exactly by branch and bound over the requirements the
 * target leaves unmet (each branch tries every action that addresses the first unmet one), then
 * ordered and cut into 30/60/90-day phases. Pure: the caller passes the scan and its analysis.
 */

export type {
  Blocker,
  LevelState,
  Levels,
  PlanInput,
  PlanResult,
  PlanStep,
  RoadmapPhase,
} from './types.js';
import type {
  Blocker,
  LevelState,
  Levels,
  PlanInput,
  PlanResult,
  PlanStep,
  RoadmapPhase,
} from './types.js';

/** A requirement the target leaves unmet: a criterion at or below the level, or a cap below it. */
interface Requirement {
  id: string;
  pillar: MaturityPillarId;
  status: 'not-met' | 'unknown' | 'cap';
  reason: string;
}

/** The maturity pillars of a target (none for an accountability pillar: see agent-actions.ts). */
export function targetPillars(t: PlanTarget): MaturityPillarId[] {
  if (t.pillar && isAccountabilityPillar(t.pillar)) return [];
  return t.pillar ? [t.pillar] : [...MATURITY_PILLARS];
}

export function unmet(
  f: MaturityFacts,
  t: PlanTarget,
  accepted?: ReadonlySet<string>,
): Requirement[] {
  const out: Requirement[] = [];
  for (const p of targetPillars(t)) {
    const e = evaluatePillar(p, f);
    for (const c of e.criteria)
      if (c.level <= t.level && c.status !== 'met' && !accepted?.has(c.id))
        out.push({ id: c.id, pillar: p, status: c.status, reason: c.reason });
    for (const c of e.caps)
      if (c.applies === true && c.maxLevel < t.level && !accepted?.has(c.id))
        out.push({ id: c.id, pillar: p, status: 'cap', reason: c.reason });
  }
  return out;
}

export function levelsOf(f: MaturityFacts, accepted?: ReadonlySet<string>): Levels {
  const out = {} as Levels;
  for (const p of MATURITY_PILLARS) out[p] = evaluatePillar(p, f, accepted).level;
  return out;
}

/** Apply a set of actions' effects in canonical order. */
export function applyActions(f: MaturityFacts, actions: readonly Action[]): MaturityFacts {
  return [...actions].sort((a, b) => a.order - b.order).reduce((x, a) => a.effect(x), f);
}

/** Exact minimum-hours set of actions meeting every requirement (null: none does). */
export function cheapestSet(
  facts: MaturityFacts,
  actions: readonly Action[],
  target: PlanTarget,
  accepted?: ReadonlySet<string>,
): Action[] | null {
  return cheapestCover(actions, (chosen) =>
    unmet(applyActions(facts, chosen), target, accepted).map((r) => r.id),
  );
}

function withComponents(
  analysis: AnalysisResult,
  ids: readonly string[],
): AnalysisResult['steps']['detection'] {
  const d = analysis.steps.detection;
  const have = new Set(d.components.map((c) => c.id));
  const extra: DetectedComponent[] = [];
  for (const id of ids) {
    const rule = RULES.find((r) => r.id === id);
    if (!rule || have.has(rule.id)) continue;
    extra.push({
      id: rule.id,
      name: rule.name,
      category: rule.category,
      status: 'installed',
      version: null,
      confidence: 'low',
      attributes: {},
      evidence: [],
    });
  }
  return extra.length ? { ...d, components: [...d.components, ...extra] } : d;
}

export function planFor(input: PlanInput): PlanResult {
  return planWithActions(input).plan;
}

/** The plan and the scan's action catalogue it was chosen from (the bundle is built from it). */
export function planWithActions(input: PlanInput): { plan: PlanResult; actions: Action[] } {
  const { snapshot, analysis, target } = input;
  if (target.pillar && isAccountabilityPillar(target.pillar)) {
    const agents = planAgentTarget(input, target.pillar);
    if (agents.plan.reachable)
      agents.plan.roadmap = roadmap(agents.plan.steps, agents.plan.from, agents.plan.hoursPerPhase);
    return agents;
  }
  const detection = analysis.steps.detection;
  const netpol = analysis.steps.netpol;
  const facts = computeFacts(snapshot, detection, netpol);
  // Accepted risks among the target's requirements: out of scope. Reported when unmet in the
  // scan or in the plan's end state (an action can unmeet one, e.g. more replicas, fewer PDBs).
  const inScope = requirementIds(target);
  const acceptedIds = (input.accepted ?? []).filter((id) => inScope.has(id));
  const accepted = acceptedIds.length ? new Set(acceptedIds) : undefined;
  const acceptedUnmet = (...states: MaturityFacts[]): string[] => {
    if (!accepted) return [];
    const ids = new Set(states.flatMap((f) => unmet(f, target).map((r) => r.id)));
    return [...accepted].filter((id) => ids.has(id)).sort();
  };
  const taxOf = (f: MaturityFacts): number => {
    const added = [...f.running].filter((id) => !facts.running.has(id));
    if (!added.length) return analysis.steps.cost.totalCents;
    return computeIntegrationTax(
      [{ snapshot, detection: withComponents(analysis, added) }],
      input.assumptions ?? {},
    ).totalCents;
  };
  const state = (f: MaturityFacts): LevelState => {
    const pillars = levelsOf(f, accepted);
    return { level: Math.min(...Object.values(pillars)), pillars, taxCents: taxOf(f) };
  };
  const from = state(facts);
  const dialect = input.dialect ?? 'kubernetes';
  if (dialect !== 'kubernetes') {
    const engines = detection.network.networkPolicy.engines;
    if (!engines.some((e) => e === DIALECT_ENGINE[dialect]))
      return {
        actions: [],
        plan: {
          reachable: false,
          target,
          from,
          reason: `${DIALECT_NAMES[dialect]} objects are enforced only where ${dialect === 'calico' ? 'Calico' : 'Cilium'} enforces network policy, and this scan found ${engines.length ? `only ${engines.join(', ')} enforcing it` : 'no engine enforcing it'}: plan with Kubernetes NetworkPolicy instead.`,
          blockers: [],
          accepted: [],
        },
      };
  }
  const ctx: PlanContext = { snapshot, detection, netpol, facts, effort: input.effort, dialect };
  const all = catalogue(ctx);
  const open = unmet(facts, target, accepted);
  const blockers = (rs: Requirement[]): Blocker[] =>
    rs.map((r) => ({ id: r.id, pillar: r.pillar, reason: r.reason }));
  const what = target.pillar
    ? `${PILLAR_NAMES[target.pillar]} level ${target.level}`
    : `level ${target.level}`;
  // What each action meets on its own, beyond what it names (one component can meet two
  // criteria): the search branches on every action that can meet an unmet requirement.
  const openIds = new Set(open.map((r) => r.id));
  const unknownIds = new Set(open.filter((r) => r.status === 'unknown').map((r) => r.id));
  const widened = all.map((a) => {
    const still = new Set(unmet(a.effect(facts), target, accepted).map((r) => r.id));
    const extra = [...openIds].filter((id) => !still.has(id) && !a.addresses.includes(id));
    return extra.length ? { ...a, addresses: [...a.addresses, ...extra] } : a;
  });
  const relevant = widened.filter((a) => a.addresses.some((id) => openIds.has(id)));
  const everything = unmet(applyActions(facts, relevant), target, accepted);
  if (everything.length)
    return {
      actions: all,
      plan: {
        reachable: false,
        target,
        from,
        reason: `${what} is out of reach from this scan's evidence: no action Plumbline knows meets ${everything.map((r) => `“${requirementTitle(r.id)}” (${r.status === 'unknown' ? 'not evaluable: ' : ''}${r.reason})`).join('; ')}`,
        blockers: blockers(everything),
        accepted: acceptedUnmet(facts, applyActions(facts, relevant)),
      },
    };
  const chosen = cheapestSet(facts, relevant, target, accepted) ?? [];
  // Order: lowest level first (what unblocks the next level), then canonical order.
  const levelOf = (a: Action) =>
    Math.min(...a.addresses.filter((id) => open.some((r) => r.id === id)).map(requirementLevel));
  const ordered = [...chosen].sort(
    (a, b) => levelOf(a) - levelOf(b) || a.order - b.order || a.id.localeCompare(b.id),
  );
  const steps: PlanStep[] = [];
  let prevTax = from.taxCents;
  ordered.forEach((a, i) => {
    const after = state(applyActions(facts, ordered.slice(0, i + 1)));
    steps.push({
      id: a.id,
      title: a.title,
      kind: a.kind,
      addresses: a.addresses.filter((id) => openIds.has(id)),
      confirms: a.addresses.filter((id) => unknownIds.has(id)),
      findings: analysis.steps.maturity.findings
        .filter((x) => a.addresses.includes(x.source) && openIds.has(x.source))
        .map((x) => x.id),
      pillars: a.pillars,
      units: a.units,
      unit: a.unit,
      hours: a.hours,
      remediation: a.remediation,
      after,
      taxDeltaCents: after.taxCents - prevTax,
    });
    prevTax = after.taxCents;
  });
  const to = steps.length ? steps[steps.length - 1]!.after : from;
  const hoursPerPhase = input.effort?.hoursPerPhase ?? DEFAULT_HOURS_PER_PHASE;
  return {
    actions: all,
    plan: {
      reachable: true,
      target,
      from,
      to,
      bundlePromise: levelsOf(
        applyActions(
          facts,
          ordered.filter((a) => a.kind === 'generated'),
        ),
      ),
      steps,
      hours: steps.reduce((s, x) => s + x.hours, 0),
      roadmap: roadmap(steps, from, hoursPerPhase),
      hoursPerPhase,
      alreadyMet: steps.length === 0,
      accepted: acceptedUnmet(facts, applyActions(facts, ordered)),
    },
  };
}

/** Ids of every requirement a target can have: its pillars' criteria up to the level, and caps below it. */
function requirementIds(t: PlanTarget): Set<string> {
  const out = new Set<string>();
  for (const p of targetPillars(t)) {
    for (const c of CRITERIA) if (c.pillar === p && c.level <= t.level) out.add(c.id);
    for (const c of CAPS) if (c.pillar === p && c.maxLevel < t.level) out.add(c.id);
  }
  return out;
}

/** A requirement in words: a criterion's or cap's title (the id only when it has none). */
function requirementTitle(id: string): string {
  return CRITERIA.find((x) => x.id === id)?.title ?? CAPS.find((x) => x.id === id)?.title ?? id;
}

/** The level a requirement stands in the way of: a criterion's level, a cap's maxLevel + 1. */
function requirementLevel(id: string): number {
  const c = CRITERIA.find((x) => x.id === id);
  if (c) return c.level;
  const cap = CAPS.find((x) => x.id === id);
  return cap ? cap.maxLevel + 1 : 9;
}

/** 30/60/90-day phases: steps in order, each in the phase where its work starts. */
export function roadmap(
  steps: readonly PlanStep[],
  from: LevelState,
  hoursPerPhase: number,
): RoadmapPhase[] {
  const days = [30, 60, 90, null] as const;
  const phases: RoadmapPhase[] = days.map((byDay) => ({ byDay, steps: [], hours: 0, after: from }));
  let used = 0;
  for (const s of steps) {
    const i = Math.min(3, Math.floor(used / hoursPerPhase));
    const p = phases[i]!;
    p.steps.push(s.id);
    p.hours += s.hours;
    used += s.hours;
  }
  let last = from;
  for (const p of phases) {
    if (p.steps.length) last = steps.find((s) => s.id === p.steps[p.steps.length - 1])!.after;
    p.after = last;
  }
  return phases.filter((p) => p.byDay !== null || p.steps.length);
}
