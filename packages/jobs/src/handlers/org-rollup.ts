import { assessAgents } from '@plumbline/agents';
import {
  assessVmMigration,
  computeIntegrationTax,
  parseVmInventoryCsv,
  type ClusterInput,
  type VmInventoryRow,
} from '@plumbline/cost';
import {
  costAssumptionOverridesSchema,
  detectionResultSchema,
  integrationTaxSchema,
  METHODOLOGY_VERSION,
  parseEvidenceText,
  ACCOUNTABILITY_PILLARS,
  type AgentsResult,
  type EvidenceKind,
  type EvidenceUpload,
} from '@plumbline/contracts';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import type { Database } from '@plumbline/db';
import type { JobHandler } from '../port.js';
import { readSnapshot } from './snapshot-analyze.js';

/** The parts of a stored AnalysisResult the roll-up reads (other steps may come and go). */
const storedResultSchema = z
  .object({
    methodologyVersion: z.string(),
    steps: z
      .object({
        detection: detectionResultSchema,
        cost: integrationTaxSchema,
        maturity: z
          .object({
            level: z.number(),
            score: z.number(),
            pillars: z.array(
              z.object({ id: z.string(), name: z.string(), level: z.number() }).loose(),
            ),
          })
          .loose()
          .optional(),
      })
      .loose(),
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
      // The organisation was deleted after the job was queued: nothing to roll up.
      if (!(await db.organizations.get(organizationId))) {
        ctx.log.info({ organizationId }, 'organisation gone; roll-up skipped');
        return;
      }
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
          maturity: result.data.steps.maturity
            ? {
                level: result.data.steps.maturity.level,
                score: result.data.steps.maturity.score,
                pillars: result.data.steps.maturity.pillars.map((p) => ({
                  id: p.id,
                  name: p.name,
                  level: p.level,
                })),
              }
            : null,
          replicas: fleet.at(-1)!.snapshot.workloads.reduce((n, w) => n + (w.replicas ?? 1), 0),
        });
      }
      const saved = costAssumptionOverridesSchema.safeParse(
        await db.rollups.costAssumptions(organizationId),
      );
      const assumptions = saved.success ? saved.data : {};
      const integrationTax = computeIntegrationTax(fleet, assumptions);

      // Evidence uploads, re-validated by their contracts (a stored upload is never trusted).
      const evidence: EvidenceUpload[] = [];
      const vmRows: VmInventoryRow[] = [];
      for (const e of await db.evidence.withContent(organizationId)) {
        const text = gunzipSync(e.content).toString('utf8');
        if (e.kind === 'vm-inventory') {
          vmRows.push(...parseVmInventoryCsv(text).rows);
          continue;
        }
        const parsed = parseEvidenceText(text, e.filename, e.kind as EvidenceKind);
        if (parsed.ok) evidence.push(parsed.evidence);
      }
      const accountability = organisationAccountability(fleet, evidence);
      const maturity = organisationMaturity(clusters);
      const vms =
        vmRows.length || fleet.some((c) => c.snapshot.virtualMachines.length)
          ? assessVmMigration(
              vmRows,
              fleet.map((c) => c.snapshot),
              assumptions,
            )
          : null;
      await db.rollups.save(organizationId, METHODOLOGY_VERSION, {
        reason: payload.reason,
        clusters,
        integrationTax,
        maturity,
        accountability,
        vms,
        evidenceUploads: evidence.length + (vmRows.length ? 1 : 0),
      });
      ctx.log.info(
        { organizationId, clusters: clusters.length, taxCents: integrationTax.totalCents },
        'organisation rolled up',
      );
    },
  };
}

/**
 * Agents are assessed per organisation across its clusters, with all its evidence: each cluster
 * is assessed with the evidence, and each pillar takes the lowest level among the clusters that
 * run agents (the weakest place is where accountability fails).
 */
function organisationAccountability(
  fleet: readonly ClusterInput[],
  evidence: readonly EvidenceUpload[],
) {
  const perCluster: { cluster: string; result: AgentsResult }[] = fleet.map((c) => ({
    cluster: c.snapshot.cluster.name,
    result: assessAgents({ snapshot: c.snapshot, detection: c.detection, evidence }),
  }));
  const assessed = perCluster.filter((c) => c.result.status === 'assessed');
  const pillars = ACCOUNTABILITY_PILLARS.map((pillar) => {
    const levels = assessed
      .map((c) => c.result.pillars.find((p) => p.pillar === pillar)?.level)
      .filter((l): l is number => typeof l === 'number');
    return { pillar, level: levels.length ? Math.min(...levels) : null };
  });
  const known = pillars.map((p) => p.level).filter((l): l is number => l !== null);
  return {
    status: assessed.length ? ('assessed' as const) : ('no-agents-found' as const),
    agents: assessed.reduce((n, c) => n + c.result.summary.agents, 0),
    pillars,
    overallLevel: known.length === pillars.length ? Math.min(...known) : null,
    clusters: perCluster.map((c) => ({
      cluster: c.cluster,
      status: c.result.status,
      overallLevel: c.result.overall.level,
    })),
  };
}

interface ClusterMaturity {
  production: boolean;
  replicas: number;
  maturity: {
    level: number;
    score: number;
    pillars: { id: string; name: string; level: number }[];
  } | null;
}

/**
 * The methodology's roll-up: per pillar, the lowest level among clusters marked production (all
 * clusters when none is marked); the organisation score is the replica-weighted mean of the
 * cluster scores; the organisation level is its lowest pillar.
 */
function organisationMaturity(clusters: readonly ClusterMaturity[]) {
  const scored = clusters.filter((c) => c.maturity !== null);
  if (!scored.length) return null;
  const production = scored.filter((c) => c.production);
  const basis = production.length ? production : scored;
  const ids = [...new Set(basis.flatMap((c) => c.maturity!.pillars.map((p) => p.id)))];
  const pillars = ids.map((id) => {
    const levels = basis.map((c) => c.maturity!.pillars.find((p) => p.id === id)?.level ?? 0);
    const name = basis[0]!.maturity!.pillars.find((p) => p.id === id)?.name ?? id;
    return { id, name, level: Math.min(...levels) };
  });
  const weight = scored.reduce((n, c) => n + Math.max(c.replicas, 1), 0);
  const score = Math.round(
    scored.reduce((n, c) => n + c.maturity!.score * Math.max(c.replicas, 1), 0) / weight,
  );
  return {
    basis: production.length ? 'production clusters' : 'all clusters (none marked production)',
    level: Math.min(...pillars.map((p) => p.level)),
    score,
    pillars,
  };
}
