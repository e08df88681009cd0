import { computeIntegrationTax, type ClusterInput } from '@plumbline/cost';
import {
  costAssumptionOverridesSchema,
  detectionResultSchema,
  integrationTaxSchema,
  METHODOLOGY_VERSION,
} from '@plumbline/contracts';
import { z } from 'zod';
import type { Database } from '@plumbline/db';
import type { JobHandler } from '../port.js';
import { readSnapshot } from './snapshot-analyze.js';

/** The parts of a stored AnalysisResult the roll-up reads (other steps may come and go). */
const storedResultSchema = z
  .object({
    methodologyVersion: z.string(),
    steps: z.object({ detection: detectionResultSchema, cost: integrationTaxSchema }).loose(),
  })
  .loose();

/**
 * org.rollup: organisation-level results from each cluster's newest analysed scan: the fleet's
 * integration tax (tools and seams over all clusters, engineers once; never a sum of cluster
 * taxes) and a per-cluster summary. Maturity and accountability roll-ups join as their
 * analysis steps land.
 */
export function orgRollupHandler(db: Database): JobHandler<'org.rollup'> {
  return {
    name: 'org.rollup',
    async run({ payload }, ctx) {
      const { organizationId } = payload;
      const latest = await db.rollups.latestScans(organizationId);
      const fleet: ClusterInput[] = [];
      const clusters = [];
      for (const l of latest) {
        const result = storedResultSchema.safeParse(l.result);
        if (!result.success) continue; // analysed under an older result shape: reanalysis will fix it
        fleet.push({ snapshot: readSnapshot(l.gzip), detection: result.data.steps.detection });
        clusters.push({
          clusterId: l.clusterId,
          name: l.clusterName,
          production: l.production,
          scanId: l.scanId,
          scannedAt: l.scanAt.toISOString(),
          methodologyVersion: result.data.methodologyVersion,
          components: result.data.steps.detection.components.filter((c) => c.status !== 'remnant')
            .length,
          clusterTaxCents: result.data.steps.cost.totalCents,
        });
      }
      const saved = costAssumptionOverridesSchema.safeParse(
        await db.rollups.costAssumptions(organizationId),
      );
      const integrationTax = computeIntegrationTax(fleet, saved.success ? saved.data : {});
      await db.rollups.save(organizationId, METHODOLOGY_VERSION, {
        reason: payload.reason,
        clusters,
        integrationTax,
      });
      ctx.log.info(
        { organizationId, clusters: clusters.length, taxCents: integrationTax.totalCents },
        'organisation rolled up',
      );
    },
  };
}
