export {
  agentsFirstPage,
  agentsFirstPageJson,
  agentsListPage,
  findingsInPageOrder,
  slicePage,
} from './agents-view.js';
export type { AgentsBody, AgentsPageRefusal } from './agents-view.js';
export { BoundedCache } from './cache.js';
export { loadEvidence } from './evidence.js';
export { JsonPage } from './json-page.js';
export type { LoadedEvidence } from './evidence.js';
export { ReadModelError, ReadModels } from './read-models.js';
export type { RollupEntry, SavedAssumptions, SavingAssumptions } from './read-models.js';
export { buildReportData } from './report-data.js';
export { OrgRollups } from './rollup.js';
export type { RollupLogger, RollupOverrides } from './rollup.js';
export { riskAcceptanceView } from './risks.js';
