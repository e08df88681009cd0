export { analyze, inventoryStep } from './pipeline.js';
export type { AnalysisInput, AnalysisStep } from './pipeline.js';
