export { analyze, costStep, detectionStep, inventoryStep, STEPS } from './pipeline.js';
export type { AnalysisInput, AnalysisStep } from './pipeline.js';
