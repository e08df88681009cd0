import type {
  AccountabilityPillar,
  ClusterDetail,
  MaturityPillarId,
  PlanBody,
  PlanLevelState,
  PlanRecord,
  PlanStatus,
  PlanStepView,
  PlanTarget,
} from '@plumbline/contracts';
import type { FleetStatusKind } from '../../../components/FleetTable';
import { formatMoney } from '../../../format';
import { ACCOUNTABILITY_PILLAR_WORDS, hoursWords, phaseWords } from '../../../vocabulary';
import { plural } from '../words';

export { hoursWords, phaseWords };

/**
 * The words of the roadmap screen, derived from a plan as the API answers it: no number is
 * recomputed here, only named (pillars and criteria by their titles, phases by their days).
 */

/** A ready plan's body (the reachable side of the union). */
export type ReachablePlan = Extract<PlanBody, { reachable: true }>;
export type UnreachablePlan = Extract<PlanBody, { reachable: false }>;

/** The plan statuses in words; `words.test.ts`-style check against PLAN_STATUSES in the tests. */
export const PLAN_STATUS_WORDS: Record<PlanStatus, { kind: FleetStatusKind; label: string }> = {
  queued: { kind: 'pending', label: 'Queued' },
  running: { kind: 'pending', label: 'Computing…' },
  ready: { kind: 'ok', label: 'Ready' },
  unreachable: { kind: 'warning', label: 'Out of reach' },
  refused: { kind: 'error', label: 'Refused' },
  failed: { kind: 'error', label: 'Failed' },
};

/** Still being computed: the screen polls while the plan it shows is in one of these. */
export const PENDING_PLAN_STATUSES: readonly PlanStatus[] = ['queued', 'running'];

export function isPending(plan: Pick<PlanRecord, 'status'>): boolean {
  return PENDING_PLAN_STATUSES.includes(plan.status);
}

/** What the page knows of the cluster's maturity: pillar names and criterion titles. */
export interface Names {
  pillar: (id: string) => string;
  criterion: (id: string) => string;
}

export function namesOf(detail: ClusterDetail | null): Names {
  const pillars = new Map<string, string>();
  const criteria = new Map<string, string>();
  for (const p of detail?.maturity?.pillars ?? []) {
    pillars.set(p.id, p.name);
    for (const c of p.criteria) criteria.set(c.id, c.title);
  }
  for (const [id, name] of Object.entries(ACCOUNTABILITY_PILLAR_WORDS)) pillars.set(id, name);
  return {
    pillar: (id) => pillars.get(id) ?? id,
    criterion: (id) => criteria.get(id) ?? id,
  };
}

/** "level 2 of the whole cluster", "level 3 of Resilience & recovery". */
export function targetWords(target: PlanRecord['target'], names: Names): string {
  return `level ${target.level} of ${target.pillar ? names.pillar(target.pillar) : 'the whole cluster'}`;
}

/** An AI-agent accountability pillar (a plan target like the maturity pillars). */
export function isAgentPillar(id: string | null): id is AccountabilityPillar {
  return id !== null && id in ACCOUNTABILITY_PILLAR_WORDS;
}

/**
 * The level a plan is about, in a state: the agent pillar's level for a plan to an accountability
 * level (the cluster's maturity does not move), otherwise the cluster level.
 */
export function headlineLevel(state: PlanLevelState, target: PlanTarget): number {
  return isAgentPillar(target.pillar) ? (state.agents?.[target.pillar] ?? 0) : state.level;
}

/** A step's size: "2 workloads", "1 namespace". */
export function unitsWords(step: Pick<PlanStepView, 'units' | 'unit'>): string {
  return plural(step.units, step.unit);
}

/** The change of the yearly integration tax, in words. */
export function taxChangeWords(cents: number): string {
  if (Math.round(cents / 100) === 0) return 'no change to the integration tax';
  return cents < 0
    ? `lowers the integration tax by ${formatMoney(-cents)} a year`
    : `raises the integration tax by ${formatMoney(cents)} a year`;
}

export interface PillarChange {
  pillar: MaturityPillarId | AccountabilityPillar;
  from: number;
  to: number;
}

/** Pillars (maturity, then accountability) whose level changes from `before` to `after`. */
export function pillarChanges(before: PlanLevelState, after: PlanLevelState): PillarChange[] {
  const maturity = (Object.keys(after.pillars) as MaturityPillarId[])
    .filter((p) => after.pillars[p] !== before.pillars[p])
    .map((p) => ({ pillar: p, from: before.pillars[p], to: after.pillars[p] }));
  const agents = after.agents
    ? (Object.keys(after.agents) as AccountabilityPillar[])
        .filter((p) => after.agents![p] !== (before.agents?.[p] ?? 0))
        .map((p) => ({ pillar: p, from: before.agents?.[p] ?? 0, to: after.agents![p] }))
    : [];
  return [...maturity, ...agents];
}

/** Each step with its number (1-based) and the state before it. */
export function numberedSteps(plan: ReachablePlan) {
  return plan.steps.map((step, i) => ({
    step,
    number: i + 1,
    before: i === 0 ? plan.from : plan.steps[i - 1]!.after,
  }));
}

/** The anchor of a step on the roadmap page. */
export function stepAnchor(stepId: string): string {
  return `step-${stepId}`;
}

export interface StepLink {
  stepId: string;
  number: number;
  title: string;
}

/**
 * Which step of a ready plan fixes each maturity finding. Plans name findings by the analysis'
 * id (`resilience.pdb:gap`), the cluster screen by the read API's (`maturity/resilience.pdb:gap`):
 * both are keys. Empty unless the plan is ready and reachable.
 */
export function stepsByFinding(record: PlanRecord | null | undefined): Map<string, StepLink> {
  const links = new Map<string, StepLink>();
  if (!record || record.status !== 'ready' || !record.plan?.reachable) return links;
  record.plan.steps.forEach((s, i) => {
    for (const f of s.findings) {
      const link = { stepId: s.id, number: i + 1, title: s.title };
      for (const key of [f, f.startsWith('maturity/') ? f : `maturity/${f}`]) {
        if (!links.has(key)) links.set(key, link);
      }
    }
  });
  return links;
}

/** The points of the roadmap charts: today, then after each phase. */
export function phasePoints(plan: ReachablePlan) {
  return [
    { label: 'Today', level: headlineLevel(plan.from, plan.target), taxCents: plan.from.taxCents },
    ...plan.roadmap.map((p) => ({
      label: phaseWords(p.byDay),
      level: headlineLevel(p.after, plan.target),
      taxCents: p.after.taxCents,
    })),
  ];
}

/** The next level above `level` (4 stays 4). */
export function nextLevel(level: number): number {
  return Math.min(4, level + 1);
}
