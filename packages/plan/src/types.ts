import type {
  AccountabilityPillar,
  AnalysisResult,
  ClusterSnapshot,
  CostAssumptionOverrides,
  EvidenceUpload,
  MaturityPillarId,
  PlanEffortOverrides,
  PlanPillarId,
  PlanTarget,
  PolicyDialect,
} from '@plumbline/contracts';
import type { NetpolEngine } from '@plumbline/netpol';

/**
 * The plan's types, in one module that imports nothing of the package: the planner, the agent
 * actions, the bundle and the in-memory apply all use them without importing each other.
 */

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: Json | Manifest['metadata'];
}

export interface BundleObject {
  /** File name inside the bundle folder (kustomize resource). */
  file: string;
  /** The action this object belongs to. */
  action: string;
  /** true: only the changed fields of an existing object (merged by `kubectl apply`). */
  partial: boolean;
  manifest: Manifest;
}

export type AgentLevels = Record<AccountabilityPillar, number>;

export type Levels = Record<MaturityPillarId, number>;

export interface LevelState {
  level: number;
  pillars: Levels;
  /** Integration tax of the cluster's stack, cents per year. */
  taxCents: number;
  /** Accountability pillar levels: only in plans for an accountability pillar. */
  agents?: AgentLevels;
}

export interface PlanStep {
  id: string;
  title: string;
  kind: 'generated' | 'manual';
  addresses: string[];
  /** Criteria this step meets that the scan could not evaluate: confirm them, or do the step. */
  confirms: string[];
  /** Ids of the scan's maturity findings this step fixes (for links from a finding to its step). */
  findings: string[];
  pillars: PlanPillarId[];
  units: number;
  unit: string;
  hours: number;
  remediation: string;
  /** The state after this step and every step before it. */
  after: LevelState;
  /** Change of the integration tax this step causes (cents per year; positive: more tax). */
  taxDeltaCents: number;
}

export interface RoadmapPhase {
  /** 30, 60, 90, or null for "after 90 days". */
  byDay: 30 | 60 | 90 | null;
  steps: string[];
  hours: number;
  after: LevelState;
}

export interface Blocker {
  id: string;
  pillar: PlanPillarId;
  reason: string;
}

export type PlanResult =
  | {
      reachable: true;
      target: PlanTarget;
      from: LevelState;
      to: LevelState;
      /** What the generated objects alone reach (verification checks exactly this). */
      bundlePromise: Levels;
      /** What the generated objects alone reach in accountability (accountability targets). */
      agentPromise?: AgentLevels;
      steps: PlanStep[];
      hours: number;
      roadmap: RoadmapPhase[];
      hoursPerPhase: number;
      /** true when the target is already met (no step). */
      alreadyMet: boolean;
      /**
       * Requirements of the target the scan does not meet whose risk the organisation accepted:
       * out of the plan's scope; the plan's levels count them as met ("with accepted risks").
       */
      accepted: string[];
    }
  | {
      reachable: false;
      target: PlanTarget;
      from: LevelState;
      reason: string;
      blockers: Blocker[];
      accepted: string[];
    };

export interface PlanInput {
  snapshot: ClusterSnapshot;
  analysis: AnalysisResult;
  target: PlanTarget;
  effort?: PlanEffortOverrides;
  assumptions?: CostAssumptionOverrides;
  /** The language of generated network policies (default Kubernetes NetworkPolicy); Calico or
   *  Cilium only where that engine enforces policy in the scanned cluster. */
  dialect?: PolicyDialect;
  /** The NetworkPolicy engine of `analysis` when the caller has it (analyzeWithNetpol); the
   *  verification builds it otherwise. */
  netpolEngine?: NetpolEngine;
  /**
   * Criterion and cap ids whose risk the organisation accepted (active risk acceptances): out of
   * the plan's scope, and counted as met in the plan's levels, which are then levels "with
   * accepted risks". The bundle's promise stays the real levels (verification re-analyses).
   */
  accepted?: readonly string[];
  /** The evidence uploads the analysis read (accountability targets re-assess with them). */
  evidence?: readonly EvidenceUpload[];
}
