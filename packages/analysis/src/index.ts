export {
  agentsStep,
  analyze,
  analyzeWithNetpol,
  costStep,
  detectionStep,
  inventoryStep,
  maturityStep,
  netpolStep,
  STEPS,
} from './pipeline.js';
export type { AnalysisInput, AnalysisStep, StepScratch } from './pipeline.js';
export { ACTION_ORDERING, rankActions } from './actions.js';
export type { ActionCluster } from './actions.js';
export { csvCell, findingsCsv, findingsSarif, policyReport } from './exports.js';
export type { ExportMeta } from './exports.js';
export {
  accountabilityFindings,
  clusterDetailParts,
  diffFindings,
  findingsOf,
  maturityFindings,
  severityRank,
  summarize,
} from './views.js';
export type { FindingDiff } from './views.js';
export { appendTrend, organisationAgents, organisationMaturity } from './org.js';
export type { Answers, OrgCluster, OrgMaturity } from './org.js';
export {
  clusterDigest,
  NO_EVIDENCE,
  overviewModel,
  priceCluster,
  priceOrganisation,
  ROLLUP_VERSION,
  rollupOrganisation,
  taxSummary,
} from './rollup.js';
export type {
  EvidenceContext,
  OrgPricing,
  OrgRollupResult,
  RollupCluster,
  RollupInput,
  RollupOptions,
  SelfAssessmentInput,
  SkippedEvidence,
  StoredOverview,
} from './rollup.js';
export { appendAnnotatedTrend, methodChanges } from './trends.js';
export type { TrendBasis } from './trends.js';
export { inferEnvironment } from './environment.js';
export type { InferredEnvironment } from './environment.js';
