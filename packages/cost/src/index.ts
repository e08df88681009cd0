export { DEFAULT_ASSUMPTIONS, SOURCES } from './defaults.js';
export {
  COST_MODEL_VERSION,
  computeIntegrationTax,
  integrationTaxCents,
  costInputOf,
  resolveAssumptions,
  sumCents,
  taxLines,
  taxTotalCents,
} from './model.js';
export type { ClusterInput, CostSnapshot, Structure } from './model.js';
export { cpuCores, memoryGib, parseQuantity } from './quantity.js';
export { INTEGRATIONS, PRODUCTS, toolsOf } from './tools.js';
export type { Layer, ToolSet } from './tools.js';
export { assessVmMigration, parseVmInventoryCsv } from './vm.js';
export type { VmAssessment, VmInventoryRow, VmParseResult } from './vm.js';
