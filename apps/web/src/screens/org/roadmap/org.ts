import type { Overview, PlanRecord, RoadmapPhaseView } from '@plumbline/contracts';
import type { ReachablePlan } from './model';

/**
 * The organisation's roadmap, from what the API answers: the overview (the organisation's level,
 * its clusters with their levels, production flag and tax) and the newest plans. The
 * organisation's level is the lowest of its basis clusters (the production clusters when there
 * are any, otherwise every cluster: the overview's own rule), so the path off that level is each
 * basis cluster's plan to its next level. Nothing is re-analysed here: levels after a phase are the
 * plans' own, and the tax after a phase is the overview's total plus each plan's own change.
 */

export type OrgCluster = Overview['clusters'][number];

export interface OrgRoadmapRow {
  cluster: OrgCluster;
  /** In the basis of the organisation's level (production, or every cluster when none is). */
  inBasis: boolean;
  /** At the organisation's level: a plan for it is what lifts the organisation. */
  holdsBack: boolean;
  /** The newest plan of the cluster to its next level on the scan shown, or null. */
  plan: PlanRecord | null;
}

export interface OrgPhase {
  byDay: RoadmapPhaseView['byDay'];
  hours: number;
  /** The organisation's level after this phase of every cluster's plan. */
  level: number;
  taxCents: number;
}

export interface OrgRoadmap {
  level: number | null;
  taxCents: number | null;
  rows: OrgRoadmapRow[];
  /** Basis clusters at the organisation's level without a usable plan (none, failed, stale). */
  unplanned: OrgCluster[];
  phases: OrgPhase[];
  /** Engineering hours of the plans of the clusters that hold the organisation back. */
  hours: number;
  /** The organisation's level when those plans are done, and the tax then. */
  after: { level: number; taxCents: number } | null;
}

const PHASES: RoadmapPhaseView['byDay'][] = [30, 60, 90, null];

const reachable = (p: PlanRecord | null): ReachablePlan | null =>
  p && p.status === 'ready' && p.plan && p.plan.reachable ? p.plan : null;

/** The plan that takes a cluster to its next level, on the scan the overview shows. */
function nextLevelPlan(c: OrgCluster, plans: readonly PlanRecord[]): PlanRecord | null {
  if (c.level === null || c.level >= 4) return null;
  return (
    plans.find(
      (p) =>
        p.clusterId === c.id &&
        p.scanId === c.scanId &&
        p.target.pillar === null &&
        p.target.level === c.level! + 1 &&
        p.status !== 'failed',
    ) ?? null
  );
}

export function orgRoadmap(overview: Overview, plans: readonly PlanRecord[]): OrgRoadmap {
  const level = overview.maturity?.level ?? null;
  const taxCents = overview.integrationTax?.totalCents ?? null;
  const scanned = overview.clusters.filter((c) => c.level !== null);
  const production = scanned.filter((c) => c.production);
  const basis = new Set((production.length ? production : scanned).map((c) => c.id));
  // Newest first, as the API lists them.
  const rows = overview.clusters.map((cluster) => {
    const inBasis = basis.has(cluster.id);
    return {
      cluster,
      inBasis,
      holdsBack: inBasis && level !== null && cluster.level === level,
      plan: nextLevelPlan(cluster, plans),
    };
  });
  const holding = rows.filter((r) => r.holdsBack);
  const unplanned = holding.filter((r) => r.plan === null).map((r) => r.cluster);
  if (level === null || taxCents === null || !holding.length)
    return { level, taxCents, rows, unplanned, phases: [], hours: 0, after: null };

  // Each basis cluster's level after a phase: its plan's level then (or today's level).
  const basisRows = rows.filter((r) => r.inBasis);
  const levelAfter = (r: OrgRoadmapRow, upTo: number): number => {
    const plan = reachable(r.plan);
    if (!plan) return r.cluster.level ?? 0;
    const done = plan.roadmap.filter((p) => PHASES.indexOf(p.byDay) <= upTo);
    return done.length ? done[done.length - 1]!.after.level : plan.from.level;
  };
  const taxDelta = (r: OrgRoadmapRow, upTo: number): number => {
    const plan = reachable(r.plan);
    if (!plan || !r.holdsBack) return 0;
    const done = plan.roadmap.filter((p) => PHASES.indexOf(p.byDay) <= upTo);
    return done.length ? done[done.length - 1]!.after.taxCents - plan.from.taxCents : 0;
  };
  const phases: OrgPhase[] = [];
  PHASES.forEach((byDay, i) => {
    const hours = holding.reduce((n, r) => {
      const phase = reachable(r.plan)?.roadmap.find((p) => p.byDay === byDay);
      return n + (phase?.hours ?? 0);
    }, 0);
    if (!hours) return;
    phases.push({
      byDay,
      hours,
      level: Math.min(...basisRows.map((r) => (r.holdsBack ? levelAfter(r, i) : r.cluster.level!))),
      taxCents: taxCents + holding.reduce((n, r) => n + taxDelta(r, i), 0),
    });
  });
  const hours = holding.reduce((n, r) => n + (reachable(r.plan)?.hours ?? 0), 0);
  const last = phases.at(-1);
  return {
    level,
    taxCents,
    rows,
    unplanned,
    phases,
    hours,
    after: last ? { level: last.level, taxCents: last.taxCents } : null,
  };
}
