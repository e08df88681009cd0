export { detect } from './detect.js';
export { calicoBackend, envValue, networkFacts } from './facts.js';
export { snapshotFromSpec } from './fixture.js';
export { matchRule, workloadMatches } from './match.js';
export { findOverlaps } from './overlaps.js';
export type {
  ApiSignal,
  ComponentRule,
  FixtureSpec,
  MatchContext,
  ObjectSignal,
  RuleFixture,
  SupportSignal,
  WorkloadSignal,
} from './rule.js';
export { RULES } from './rules/index.js';
