import { assessAgents } from '@plumbline/agents';
import {
  ACTION_ORDERING,
  appendTrend,
  organisationAgents,
  organisationMaturity,
  rankActions,
  type ActionCluster,
  type Answers,
  type OrgMaturity,
} from '@plumbline/analysis';
import {
  assessVmMigration,
  computeIntegrationTax,
  parseVmInventoryCsv,
  type ClusterInput,
  type VmInventoryRow,
} from '@plumbline/cost';
import {
  agentsResultSchema,
  costAssumptionOverridesSchema,
  detectionResultSchema,
  integrationTaxSchema,
  maturityResultSchema,
  METHODOLOGY_VERSION,
  netpolCoverageSchema,
  parseEvidenceText,
  selfAssessmentAnswersSchema,
  trendPointSchema,
  type Action,
  type AgentsOverview,
  type AgentsResult,
  type EvidenceKind,
  type EvidenceUpload,
  type IntegrationTax,
  type ProbeRun,
  type TrendPoint,
} from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import type { JobHandler, JobLogger } from '../port.js';
import { readSnapshot } from './snapshot-analyze.js';

/** Bump when the stored roll-up's shape changes; readers recompute older ones. */
export const ROLLUP_VERSION = 2 as const;

/** The parts of a stored AnalysisResult the roll-up reads (other steps may come and go). */
const storedResultSchema = z
  .object({
    methodologyVersion: z.string(),
    steps: z
      .object({
        detection: detectionResultSchema,
        cost: integrationTaxSchema,
        maturity: maturityResultSchema,
        netpol: z.object({ coverage: netpolCoverageSchema }).loose(),
      })
      .loose(),
  })
  .loose();

export interface RollupCluster {
  clusterId: string;
  name: string;
  production: boolean;
  scanId: string;
  scannedAt: string;
  collectedAt: string;
  methodologyVersion: string;
  components: number;
  clusterTaxCents: number;
  maturity: {
    level: number;
    score: number;
    pillars: { id: string; name: string; level: number }[];
  };
  coverage: { ingress: number | null; egress: number | null };
  accountability: { status: AgentsResult['status']; level: number | null; agents: number };
  replicas: number;
}

/** What org.rollup stores (OrgRollup.result) and the read API serves from. */
export interface OrgRollupResult {
  rollupVersion: typeof ROLLUP_VERSION;
  reason: string;
  clusters: RollupCluster[];
  /** Null until a cluster has an analysed scan. */
  integrationTax: IntegrationTax | null;
  maturity: OrgMaturity | null;
  agents: Omit<AgentsOverview, 'computedAt'>;
  selfAssessment: { id: string; createdAt: string } | null;
  actions: { ordering: string; items: Action[] };
  trends: TrendPoint[];
  vms: unknown;
  evidenceUploads: number;
}

const previousTrendsSchema = z
  .object({ trends: z.array(trendPointSchema) })
  .loose()
  .transform((r) => r.trends);

/**
 * Recompute and store the organisation's roll-up from each cluster's newest analysed scan: the
 * fleet's integration tax (tools and seams over all clusters, engineers once; never a sum of
 * cluster taxes), maturity and accountability roll-ups, ranked actions, and a trend point.
 */
export async function computeOrgRollup(
  db: Database,
  organizationId: string,
  reason: string,
  log?: JobLogger,
): Promise<OrgRollupResult> {
  const latest = await db.rollups.latestScans(organizationId);
  const fleet: ClusterInput[] = [];
  const loaded: { cluster: RollupCluster; maturity: ActionCluster['maturity'] }[] = [];
  for (const l of latest) {
    const result = storedResultSchema.safeParse(l.result);
    if (!result.success) continue; // analysed under an older result shape: reanalysis will fix it
    const snapshot = readSnapshot(l.gzip);
    fleet.push({ snapshot, detection: result.data.steps.detection });
    const steps = result.data.steps;
    loaded.push({
      maturity: steps.maturity,
      cluster: {
        clusterId: l.clusterId,
        name: l.clusterName,
        production: l.production,
        scanId: l.scanId,
        scannedAt: l.scanAt.toISOString(),
        collectedAt: snapshot.collectedAt,
        methodologyVersion: result.data.methodologyVersion,
        components: steps.detection.components.filter((c) => c.status !== 'remnant').length,
        clusterTaxCents: steps.cost.totalCents,
        maturity: {
          level: steps.maturity.level,
          score: steps.maturity.score,
          pillars: steps.maturity.pillars.map((p) => ({ id: p.id, name: p.name, level: p.level })),
        },
        coverage: {
          ingress: steps.netpol.coverage.ingress.percent,
          egress: steps.netpol.coverage.egress.percent,
        },
        accountability: { status: 'no-agents-found', level: null, agents: 0 },
        replicas: snapshot.workloads.reduce((n, w) => n + (w.replicas ?? 1), 0),
      },
    });
  }
  const saved = costAssumptionOverridesSchema.safeParse(
    await db.rollups.costAssumptions(organizationId),
  );
  const assumptions = saved.success ? saved.data : {};
  const integrationTax = fleet.length ? computeIntegrationTax(fleet, assumptions) : null;

  // Evidence uploads, re-validated by their contracts (a stored upload is never trusted).
  const evidence: EvidenceUpload[] = [];
  const vmRows: VmInventoryRow[] = [];
  const probes: ProbeRun[] = [];
  let uploadedAnswers: Answers | null = null;
  for (const e of await db.evidence.withContent(organizationId)) {
    const text = gunzipSync(e.content).toString('utf8');
    if (e.kind === 'vm-inventory') {
      vmRows.push(...parseVmInventoryCsv(text).rows);
      continue;
    }
    const parsed = parseEvidenceText(text, e.filename, e.kind as EvidenceKind);
    if (!parsed.ok) continue;
    evidence.push(parsed.evidence);
    const ev = parsed.evidence;
    if (ev.kind === 'self-assessment') uploadedAnswers = ev.data.answers;
    if (ev.kind === 'probe-report') {
      probes.push({
        evidenceId: e.id,
        filename: e.filename,
        uploadedAt: e.createdAt.toISOString(),
        passed: ev.data.summary.passed,
        failed: ev.data.summary.failed,
        inconclusive: ev.data.summary.inconclusive,
        scenarios: ev.data.scenarios.map((s) => ({
          id: s.id,
          title: s.title,
          asi: s.asi,
          pillar: s.pillar,
          mustBlock: s.mustBlock,
          actualOutcome: s.actualOutcome,
          attributable: s.attributable,
          result: s.result,
          reasons: [...s.reasons],
        })),
      });
    }
  }
  // The self-assessment answered in the app is the newest declaration: it goes last (last wins).
  const stored = await db.selfAssessments.latest(organizationId);
  const storedAnswers = stored ? selfAssessmentAnswersSchema.safeParse(stored.answers) : null;
  if (stored && storedAnswers?.success) {
    evidence.push({
      kind: 'self-assessment',
      source: 'Plumbline self-assessment',
      data: { answers: storedAnswers.data },
    });
  }
  const answers = storedAnswers?.success ? storedAnswers.data : uploadedAnswers;

  const perCluster = fleet.map((c, i) => {
    const result = assessAgents({ snapshot: c.snapshot, detection: c.detection, evidence });
    const cluster = loaded[i]!.cluster;
    cluster.accountability = {
      status: result.status,
      level: result.overall.level,
      agents: result.summary.agents,
    };
    return { cluster: cluster.name, result: agentsResultSchema.parse(result) };
  });
  const clusters = loaded.map((l) => l.cluster);
  const maturity = organisationMaturity(
    clusters.map((c) => ({
      name: c.name,
      production: c.production,
      replicas: c.replicas,
      maturity: c.maturity,
    })),
  );
  const agents = organisationAgents(perCluster, answers, probes);
  const actions = rankActions(
    loaded.map((l, i) => ({
      name: l.cluster.name,
      production: l.cluster.production,
      maturity: l.maturity,
      agents: perCluster[i]!.result,
    })),
    integrationTax,
  );
  const vms =
    vmRows.length || fleet.some((c) => c.snapshot.virtualMachines.length)
      ? assessVmMigration(
          vmRows,
          fleet.map((c) => c.snapshot),
          assumptions,
        )
      : null;

  const previous = await db.rollups.get(organizationId);
  const prevTrends = previousTrendsSchema.safeParse(previous?.result);
  const asOf = clusters
    .map((c) => c.collectedAt)
    .sort()
    .at(-1);
  const trends = asOf
    ? appendTrend(prevTrends.success ? prevTrends.data : [], {
        at: asOf,
        maturityLevel: maturity?.level ?? null,
        maturityScore: maturity?.score ?? null,
        accountabilityLevel: agents.overall.level,
        taxCents: integrationTax?.totalCents ?? null,
      })
    : [];

  const rollup: OrgRollupResult = {
    rollupVersion: ROLLUP_VERSION,
    reason,
    clusters,
    integrationTax,
    maturity,
    agents,
    selfAssessment: stored ? { id: stored.id, createdAt: stored.createdAt.toISOString() } : null,
    actions: { ordering: ACTION_ORDERING, items: actions },
    trends,
    vms,
    evidenceUploads: evidence.length - (stored ? 1 : 0) + (vmRows.length ? 1 : 0),
  };
  await db.rollups.save(organizationId, METHODOLOGY_VERSION, rollup);
  log?.info(
    {
      organizationId,
      clusters: clusters.length,
      taxCents: integrationTax?.totalCents ?? null,
      actions: actions.length,
    },
    'organisation rolled up',
  );
  return rollup;
}

/** org.rollup: recompute organisation-level results after scans, uploads and edits. */
export function orgRollupHandler(db: Database): JobHandler<'org.rollup'> {
  return {
    name: 'org.rollup',
    async run({ payload }, ctx) {
      // The organisation was deleted after the job was queued: nothing to roll up.
      if (!(await db.organizations.get(payload.organizationId))) {
        ctx.log.info(
          { organizationId: payload.organizationId },
          'organisation gone; roll-up skipped',
        );
        return;
      }
      await computeOrgRollup(db, payload.organizationId, payload.reason, ctx.log);
    },
  };
}
