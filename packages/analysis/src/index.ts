export {
  agentsStep,
  analyze,
  costStep,
  detectionStep,
  inventoryStep,
  maturityStep,
  netpolStep,
  STEPS,
} from './pipeline.js';
export type { AnalysisInput, AnalysisStep } from './pipeline.js';
