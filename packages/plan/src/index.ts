export { atLeast, baselineViolations, catalogue, pdbSelector } from './actions.js';
export type { Action, PlanContext } from './actions.js';
export {
  buildBundle,
  bundleFiles,
  planAndVerify,
  renderPlanMarkdown,
  storedVerification,
} from './bundle.js';
export type { Bundle, BundleFile, PlanOutcome } from './bundle.js';
export {
  DEFAULT_HOURS_PER_PHASE,
  GENERATED_EFFORT,
  MANUAL_EFFORT,
  MANUAL_EFFORT_BY_LEVEL,
  effortOf,
  hoursFor,
} from './effort.js';
export type { EffortRow } from './effort.js';
export { PLAN_LABEL, applyToSnapshot, objectName } from './k8s.js';
export type { BundleObject, Json, Manifest } from './k8s.js';
export {
  applyActions,
  cheapestSet,
  levelsOf,
  planFor,
  planWithActions,
  roadmap,
  targetPillars,
  unmet,
} from './planner.js';
export type {
  Blocker,
  LevelState,
  Levels,
  PlanInput,
  PlanResult,
  PlanStep,
  RoadmapPhase,
} from './planner.js';
export { checkServiceConnections, verifyBundle } from './verify.js';
export type { ConnectivityDiff, ServiceCut, Verification, VerifyInput } from './verify.js';
export {
  agentCatalogue,
  agentLevels,
  findCollector,
  findGateway,
  leastRbac,
  planAgentTarget,
  scanObservable,
} from './agent-actions.js';
export type { AgentAction, AgentLevels } from './agent-actions.js';
