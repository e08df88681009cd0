import { describe, expect, it } from '@jest/globals';
import {
  agentsResponseSchema,
  clusterDetailSchema,
  costResponseSchema,
  historyEntrySchema,
  overviewSchema,
  planEffortResponseSchema,
  planListSchema,
  planRecordSchema,
  riskAcceptanceListSchema,
  riskAcceptanceSchema,
  scanDiffSchema,
  selfAssessmentResponseSchema,
} from '@plumbline/contracts';
import {
  AGENTS,
  CLUSTER_DETAIL,
  costWith,
  diffOf,
  EMPTY_OVERVIEW,
  HISTORY,
  OVERVIEW,
  PLAN_EFFORT,
  PLAN_MANUAL,
  PLAN_QUEUED,
  PLAN_READY,
  PLAN_UNREACHABLE,
  riskAcceptance,
  RISKS,
  SCAN_MID,
  SCAN_NEW,
  SELF_ASSESSMENT,
} from './read-fixtures';

describe('the screens’ test answers', () => {
  it('are what the read API can answer (the contracts’ schemas accept them)', () => {
    overviewSchema.parse(OVERVIEW);
    overviewSchema.parse(EMPTY_OVERVIEW);
    clusterDetailSchema.parse(CLUSTER_DETAIL);
    for (const h of HISTORY) historyEntrySchema.parse(h);
    scanDiffSchema.parse(diffOf(SCAN_MID, SCAN_NEW));
    scanDiffSchema.parse(diffOf(null, SCAN_NEW));
    agentsResponseSchema.parse(AGENTS);
    selfAssessmentResponseSchema.parse(SELF_ASSESSMENT);
    costResponseSchema.parse(costWith(40_000_000));
    costResponseSchema.parse(costWith(80_000_000, { engineers: 20 }));
  });

  it('include plans the plans API can answer, each step of a ready plan in its roadmap once', () => {
    const plans = [PLAN_QUEUED, PLAN_READY, PLAN_MANUAL, PLAN_UNREACHABLE];
    for (const p of plans) planRecordSchema.parse(p);
    planListSchema.parse({ items: plans, nextCursor: null });
    planEffortResponseSchema.parse(PLAN_EFFORT);
    for (const p of [PLAN_READY, PLAN_MANUAL]) {
      if (!p.plan?.reachable) throw new Error('a ready plan is reachable');
      // What the API guarantees of a ready plan (apps/api/src/plans.int.test.ts).
      expect(p.plan.hours).toBe(p.plan.steps.reduce((n, s) => n + s.hours, 0));
      expect(p.plan.steps.at(-1)?.after).toEqual(p.plan.to);
      expect(p.plan.roadmap.flatMap((x) => x.steps)).toEqual(p.plan.steps.map((s) => s.id));
      expect(p.plan.roadmap.at(-1)?.after).toEqual(p.plan.to);
      expect(p.plan.roadmap.reduce((n, x) => n + x.hours, 0)).toBe(p.plan.hours);
    }
    expect(PLAN_READY.verification?.connectivity.cut).toEqual([]);
  });

  it('include accepted risks the risk API can answer, counted by state', () => {
    riskAcceptanceListSchema.parse(RISKS);
    for (const r of RISKS.items) riskAcceptanceSchema.parse(r);
    riskAcceptanceSchema.parse(riskAcceptance());
    for (const state of ['active', 'expired', 'revoked'] as const)
      expect(RISKS.counts[state]).toBe(RISKS.items.filter((r) => r.state === state).length);
    // What the API guarantees: revoked ones say when; every cluster has no name.
    for (const r of RISKS.items) {
      expect(r.revokedAt !== null).toBe(r.state === 'revoked');
      expect(r.clusterName === null).toBe(r.clusterId === null);
    }
  });
});
