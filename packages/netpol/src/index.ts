export { analyzeNetworkPolicies, calicoMinor, engineOptionsFor } from './analyze.js';
export type { NetpolAnalysis } from './analyze.js';
export { CalicoSelectorError, calicoMatches, parseCalicoSelector } from './calico-selector.js';
export type { CalicoExpr } from './calico-selector.js';
export { ConnSet, PROTOCOLS } from './conns.js';
export type { Protocol } from './conns.js';
export { NetpolEngine, classify } from './engine.js';
export type { Decision, EngineOptions, PolicyObjectEntry, Verdict, Warning } from './engine.js';
export { IpSet, formatRange, parseCidr } from './ip.js';
export type { IpRange } from './ip.js';
export { POLICY_FAMILIES } from './ir.js';
export type {
  Direction,
  ExternalAtom,
  Peer,
  PolicyFamily,
  PolicyIR,
  RuleIR,
  TierIR,
} from './ir.js';
export { endpointRef, modelFromSnapshot, namespaceInfo, NS_NAME_LABEL } from './model.js';
export type { ClusterModel, ContainerPort, Endpoint, NamespaceInfo } from './model.js';
export { parseSelector, selectorMatches } from './selector.js';
export type { LabelSelector, Labels } from './selector.js';
export { explainHeadings, explainPair, formatExplanation } from './explain.js';
export type { DirectionReason, ExplainSegment, Explanation } from './explain.js';
