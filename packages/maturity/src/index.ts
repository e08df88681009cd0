export { assessMaturity, evaluatePillar, scoreFacts } from './assess.js';
export type { MaturityInput, PillarEvaluation } from './assess.js';
export { CAPS, CRITERIA, PILLAR_NAMES, THRESHOLDS, patch } from './criteria.js';
export type { Cap, Criterion, Outcome, Status } from './criteria.js';
export {
  SYSTEM_NAMESPACE,
  applicationCoverage,
  applicationNamespaces,
  computeFacts,
} from './facts.js';
export type { MaturityFacts, Tri } from './facts.js';
