export { analyze, detectionStep, inventoryStep, STEPS } from './pipeline.js';
export type { AnalysisInput, AnalysisStep } from './pipeline.js';
