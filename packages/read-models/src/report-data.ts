import {
  METHODOLOGY_VERSION,
  REPORT_DATA_VERSION,
  reportDataSchema,
  type ClusterDetail,
  planBodySchema,
  planVerificationSchema,
  type PaperSize,
  type ReportData,
  type ReportPlan,
} from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { ReadModelError, type ReadModels } from './read-models.js';
import { riskAcceptanceView } from './risks.js';

/**
 * Everything the leadership report prints, read through the same read models as the API (so
 * `pdftotext` of the PDF shows the API's numbers), plus what changed since the previous ready
 * report of the same scope.
 */
export async function buildReportData(
  db: Database,
  read: ReadModels,
  organizationId: string,
  reportId: string,
  now: Date,
): Promise<ReportData> {
  const report = await db.reports.get(organizationId, reportId);
  if (!report) throw new ReadModelError('not_found', `report ${reportId} not found`);
  const [overview, actions, agents, cost] = await Promise.all([
    read.overview(organizationId),
    read.actions(organizationId),
    read.agents(organizationId),
    read.cost(organizationId),
  ]);
  const inScope = report.clusterId
    ? overview.clusters.filter((c) => c.id === report.clusterId)
    : overview.clusters;
  if (report.clusterId && !inScope.length)
    throw new ReadModelError('not_found', 'the report’s cluster no longer exists');
  const clusters: ClusterDetail[] = [];
  for (const c of inScope) clusters.push(await read.clusterDetail(organizationId, c.id));

  const plans: ReportPlan[] = [];
  for (const c of clusters) {
    const level = c.maturity?.level;
    if (!c.scan || level === undefined || level === null || level >= 4) continue;
    const row = await db.plans.nextLevel(organizationId, c.scan.id, level + 1);
    if (!row) continue;
    const plan = planBodySchema.safeParse(row.plan);
    const v = row.verification === null ? null : planVerificationSchema.safeParse(row.verification);
    plans.push({
      clusterId: c.cluster.id,
      clusterName: c.cluster.name,
      planId: row.id,
      status: row.status === 'ready' ? 'ready' : 'unreachable',
      reason: row.reason,
      target: { level: row.targetLevel, pillar: null },
      plan: plan.success ? plan.data : null,
      verification:
        v?.success === true
          ? {
              objects: row.bundleObjects ?? 0,
              levelsAsPromised: v.data.ok,
              checked: v.data.connectivity.checked,
              cut: v.data.connectivity.cut.length,
            }
          : null,
    });
  }

  const previous = await db.reports.previous(organizationId, report.clusterId, report.createdAt);
  const prevData = previous ? reportDataSchema.safeParse(previous.data) : null;
  let sincePrevious: ReportData['sincePrevious'] = null;
  if (previous && prevData?.success) {
    const diffs = [];
    for (const c of clusters) {
      const from = await db.clusters.latestSucceededBefore(
        organizationId,
        c.cluster.id,
        previous.createdAt,
      );
      if (!from || !c.scan || from.id === c.scan.id) continue;
      diffs.push({
        cluster: c.cluster.name,
        diff: await read.diff(organizationId, c.cluster.id, from.id, c.scan.id),
      });
    }
    const p = prevData.data.overview;
    sincePrevious = {
      previousReportId: previous.id,
      previousAt: previous.createdAt.toISOString(),
      maturityLevel: { from: p.maturity?.level ?? null, to: overview.maturity?.level ?? null },
      accountabilityLevel: {
        from: p.accountability?.level ?? null,
        to: overview.accountability?.level ?? null,
      },
      taxCents: {
        from: p.integrationTax?.totalCents ?? null,
        to: overview.integrationTax?.totalCents ?? null,
      },
      clusters: diffs,
    };
  }
  const scanTimes = inScope
    .map((c) => c.lastScanAt)
    .filter((t): t is string => t !== null)
    .sort();
  const cluster = report.clusterId ? inScope[0] : undefined;
  // A cluster's report ranks the actions that concern it (and the fleet's cost actions).
  const ranked = cluster
    ? actions.items.filter((a) => a.domain === 'cost' || a.clusters.includes(cluster.name))
    : actions.items;
  return reportDataSchema.parse({
    reportVersion: REPORT_DATA_VERSION,
    reportId,
    generatedAt: now.toISOString(),
    paperSize: report.paperSize as PaperSize,
    organization: overview.organization,
    scope: {
      kind: cluster ? 'cluster' : 'organization',
      clusterId: cluster?.id ?? null,
      label: cluster
        ? `cluster ${cluster.name}`
        : overview.clusters.length === 1
          ? '1 cluster'
          : `all ${overview.clusters.length} clusters`,
    },
    coverage: {
      clusters: inScope.length,
      analysed: inScope.filter((c) => c.scanId !== null).length,
      newestScanAt: scanTimes.at(-1) ?? null,
      oldestScanAt: scanTimes[0] ?? null,
      evidenceUploads: (await db.evidence.list(organizationId)).length,
    },
    methodologyVersion: METHODOLOGY_VERSION,
    overview,
    topActions: ranked.slice(0, 5),
    agents,
    cost,
    clusters,
    sincePrevious,
    plans,
    riskAcceptances: (await db.riskAcceptances.unrevoked(organizationId, report.clusterId)).map(
      (r) => riskAcceptanceView(r, now),
    ),
  });
}
