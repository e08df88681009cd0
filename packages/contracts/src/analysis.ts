import { z } from 'zod';
import { agentsResultSchema } from './agents.js';
import { integrationTaxSchema } from './cost.js';
import { detectionResultSchema } from './detection.js';
import { maturityResultSchema } from './maturity.js';
import { netpolResultSchema } from './netpol.js';

/** Version of the scoring methodology; results from other versions can be re-analysed. */
export const METHODOLOGY_VERSION = '2026.11.4' as const;
/** Version of the AnalysisResult shape. */
export const ANALYSIS_RESULT_VERSION = 1 as const;

export const inventoryResultSchema = z.object({
  totalObjects: z.number().int().nonnegative(),
  /** Number of items per top-level array in the snapshot, keys sorted. */
  resourceCounts: z.record(z.string(), z.number().int().nonnegative()),
});
export type InventoryResult = z.infer<typeof inventoryResultSchema>;

export const analysisResultSchema = z.object({
  resultVersion: z.literal(ANALYSIS_RESULT_VERSION),
  methodologyVersion: z.string(),
  cluster: z.object({ name: z.string(), id: z.string().optional() }),
  steps: z
    .object({
      inventory: inventoryResultSchema,
      detection: detectionResultSchema,
      netpol: netpolResultSchema,
      maturity: maturityResultSchema,
      cost: integrationTaxSchema,
      agents: agentsResultSchema,
    })
    .loose(),
});
export type AnalysisResult = z.infer<typeof analysisResultSchema>;
