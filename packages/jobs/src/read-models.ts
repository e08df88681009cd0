import {
  clusterDetailParts,
  diffFindings,
  findingsCsv,
  findingsOf,
  findingsSarif,
  policyReport,
} from '@plumbline/analysis';
import {
  ACCOUNTABILITY_PILLAR_TITLES,
  ACCOUNTABILITY_PILLARS,
  analysisResultSchema,
  costAssumptionOverridesSchema,
  METHODOLOGY_VERSION,
  scanSummarySchema,
  SELF_ASSESSMENT_ANSWERS,
  SELF_ASSESSMENT_QUESTIONS,
  selfAssessmentAnswersSchema,
  type AgentsOverview,
  type AnalysisResult,
  type ClusterDetail,
  type CostResponse,
  type ExportFormat,
  type FleetCluster,
  type Overview,
  type ErrorCode,
  type ScanDiff,
  type SelfAssessmentResponse,
} from '@plumbline/contracts';
import { DEFAULT_ASSUMPTIONS, SOURCES } from '@plumbline/cost';
import type { Database } from '@plumbline/db';
import { computeOrgRollup, ROLLUP_VERSION, type OrgRollupResult } from './handlers/org-rollup.js';

/** A read that cannot be answered: the API maps the code to its HTTP status. */
export class ReadModelError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReadModelError';
  }
}

/** A small insertion-ordered cache: the newest `max` entries win. */
class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
}

export interface RollupEntry {
  computedAt: string;
  name: string;
  rollup: OrgRollupResult;
}

/**
 * Read models shared by the API and the report renderer, so both show the same numbers:
 * overview, cluster detail, history and diffs, agents, actions, self-assessment, cost, exports. Organisation results come from the stored roll-up (recomputed when missing
 * or of an older shape); cluster views from the newest analysed scan. Parsed views are cached
 * per process by the id of what they were computed from (a roll-up's time, a result row), so a
 * cache entry can never outlive its data or cross organisations.
 */
export class ReadModels {
  private readonly rollups = new BoundedCache<RollupEntry>(256);
  private readonly details = new BoundedCache<ReturnType<typeof clusterDetailParts>>(256);

  constructor(private readonly db: Database) {}

  async rollup(organizationId: string): Promise<RollupEntry> {
    const stamp = await this.db.rollups.stamp(organizationId);
    if (!stamp || stamp.version < ROLLUP_VERSION) return this.recompute(organizationId, 'read');
    const cached = this.rollups.get(organizationId);
    if (cached && cached.computedAt === stamp.computedAt.toISOString()) return cached;
    const [row, org] = await Promise.all([
      this.db.rollups.get(organizationId),
      this.db.organizations.get(organizationId),
    ]);
    if (!row || !org) throw new ReadModelError('not_found', 'organisation not found');
    const entry = {
      computedAt: row.computedAt.toISOString(),
      name: org.name,
      rollup: row.result as unknown as OrgRollupResult,
    };
    this.rollups.set(organizationId, entry);
    return entry;
  }

  /** Recompute the roll-up now (after an edit, or when none of the current shape exists). */
  async recompute(organizationId: string, reason: string): Promise<RollupEntry> {
    const rollup = await computeOrgRollup(this.db, organizationId, reason);
    const [stamp, org] = await Promise.all([
      this.db.rollups.stamp(organizationId),
      this.db.organizations.get(organizationId),
    ]);
    if (!org) throw new ReadModelError('not_found', 'organisation not found');
    const entry = {
      computedAt: (stamp?.computedAt ?? new Date()).toISOString(),
      name: org.name,
      rollup,
    };
    this.rollups.set(organizationId, entry);
    return entry;
  }

  async overview(organizationId: string): Promise<Overview> {
    const [{ computedAt, name, rollup }, clusters, statuses] = await Promise.all([
      this.rollup(organizationId),
      this.db.clusters.list(organizationId),
      this.db.clusters.newestStatuses(organizationId),
    ]);
    const byId = new Map(rollup.clusters.map((c) => [c.clusterId, c]));
    const fleet: FleetCluster[] = clusters.map((c) => {
      const r = byId.get(c.id);
      const lowest = r
        ? [...r.maturity.pillars].sort((a, b) => a.level - b.level || a.id.localeCompare(b.id))[0]
        : undefined;
      const newest = statuses.get(c.id);
      return {
        id: c.id,
        name: c.name,
        production: c.production,
        level: r?.maturity.level ?? null,
        score: r?.maturity.score ?? null,
        lowestPillar: lowest ?? null,
        coverage: r?.coverage ?? null,
        accountabilityLevel: r?.accountability.level ?? null,
        agents: r?.accountability.agents ?? 0,
        taxCents: r?.clusterTaxCents ?? null,
        lastScanAt: c.lastScanAt?.toISOString() ?? null,
        status: (newest?.status as FleetCluster['status'] | undefined) ?? 'never-scanned',
        scanId: r?.scanId ?? null,
      };
    });
    const tax = rollup.integrationTax;
    const biggest = tax ? [...tax.lines].sort((a, b) => b.cents - a.cents)[0] : undefined;
    const agents = rollup.agents;
    return {
      organization: { id: organizationId, name },
      computedAt,
      methodologyVersion: METHODOLOGY_VERSION,
      maturity: rollup.maturity,
      accountability: {
        status: agents.status,
        agents: agents.summary.agents,
        level: agents.overall.level,
        pillars: agents.pillars.map((p) => ({ id: p.pillar, name: p.name, level: p.level })),
        lowest: agents.overall.weakest,
      },
      integrationTax: tax
        ? {
            totalCents: tax.totalCents,
            components: tax.lines.map((l) => ({ id: l.id, label: l.label, cents: l.cents })),
            tools: tax.tools.length,
            seams: tax.seamCount,
            hides:
              biggest && tax.totalCents > 0
                ? `${Math.round((biggest.cents / tax.totalCents) * 100)}% of it is ${biggest.label.toLowerCase()}`
                : 'no integration tax computed',
          }
        : null,
      clusters: fleet,
      trends: rollup.trends,
      topActions: rollup.actions.items.slice(0, 5),
    };
  }

  private async cluster(organizationId: string, clusterId: string) {
    const cluster = await this.db.clusters.get(organizationId, clusterId);
    if (!cluster) throw new ReadModelError('not_found', 'cluster not found');
    return cluster;
  }

  async result(organizationId: string, scanId: string): Promise<AnalysisResult | null> {
    const row = await this.db.scans.getResult(organizationId, scanId);
    if (!row) return null;
    const parsed = analysisResultSchema.safeParse(row.result);
    return parsed.success ? parsed.data : null;
  }

  async clusterDetail(organizationId: string, clusterId: string): Promise<ClusterDetail> {
    const cluster = await this.cluster(organizationId, clusterId);
    const [latest, shown] = await Promise.all([
      this.db.clusters.latestScan(organizationId, clusterId),
      this.db.clusters.latestSucceeded(organizationId, clusterId),
    ]);
    let parts: ReturnType<typeof clusterDetailParts> | null = null;
    if (shown?.result) {
      const key = `${organizationId}/${shown.result.id}`;
      parts = this.details.get(key) ?? null;
      if (!parts) {
        const result = await this.result(organizationId, shown.id);
        if (result) {
          parts = clusterDetailParts(result);
          this.details.set(key, parts);
        }
      }
    }
    return {
      cluster: {
        id: cluster.id,
        name: cluster.name,
        production: cluster.production,
        lastScanAt: cluster.lastScanAt?.toISOString() ?? null,
      },
      latestScan: latest
        ? {
            id: latest.id,
            status: latest.status,
            createdAt: latest.createdAt.toISOString(),
            error: latest.error,
          }
        : null,
      scan: shown
        ? {
            id: shown.id,
            collectedAt: shown.collectedAt?.toISOString() ?? null,
            createdAt: shown.createdAt.toISOString(),
            methodologyVersion: shown.methodologyVersion,
          }
        : null,
      stack: parts?.stack ?? null,
      networkPolicy: parts?.networkPolicy ?? null,
      maturity: parts?.maturity ?? null,
      accountability: parts?.accountability ?? null,
      cost: parts?.cost ?? null,
      findings: parts?.findings ?? [],
    };
  }

  async history(organizationId: string, clusterId: string, limit: number, cursor?: string) {
    await this.cluster(organizationId, clusterId);
    const rows = await this.db.clusters.history(organizationId, clusterId, {
      take: limit + 1,
      cursor,
    });
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => {
        const summary = scanSummarySchema.safeParse(r.summary);
        return {
          scanId: r.id,
          status: r.status,
          createdAt: r.createdAt.toISOString(),
          collectedAt: r.collectedAt?.toISOString() ?? null,
          summary: summary.success ? summary.data : null,
        };
      }),
      nextCursor: rows.length > limit ? page.at(-1)!.id : null,
    };
  }

  /** New / fixed / regressed findings between two analysed scans of one cluster. */
  async diff(
    organizationId: string,
    clusterId: string,
    fromId?: string,
    toId?: string,
  ): Promise<ScanDiff> {
    await this.cluster(organizationId, clusterId);
    const succeeded = (
      await this.db.clusters.history(organizationId, clusterId, { take: 1000 })
    ).filter((s) => s.status === 'succeeded');
    const to = toId ? succeeded.find((s) => s.id === toId) : succeeded[0];
    if (!to) {
      throw new ReadModelError(
        toId ? 'not_found' : 'conflict',
        toId
          ? 'scan not found among the analysed scans of this cluster'
          : 'this cluster has no analysed scan yet',
      );
    }
    const older = succeeded.filter((s) => s.createdAt < to.createdAt);
    const from = fromId ? succeeded.find((s) => s.id === fromId) : older[0];
    if (fromId && !from)
      throw new ReadModelError(
        'not_found',
        'scan not found among the analysed scans of this cluster',
      );
    if (from && from.createdAt >= to.createdAt)
      throw new ReadModelError('bad_request', '`from` must be an earlier scan than `to`');
    const [toResult, fromResult] = await Promise.all([
      this.result(organizationId, to.id),
      from ? this.result(organizationId, from.id) : Promise.resolve(null),
    ]);
    if (!toResult || (from && !fromResult))
      throw new ReadModelError('conflict', 'a scan was analysed under an older result shape');
    const earlier = new Set<string>();
    if (from) {
      for (const s of older.filter((x) => x.createdAt < from.createdAt)) {
        const summary = scanSummarySchema.safeParse(s.summary);
        if (summary.success) for (const id of Object.keys(summary.data.findings)) earlier.add(id);
      }
    }
    const d = diffFindings(fromResult ? findingsOf(fromResult) : [], findingsOf(toResult), earlier);
    return {
      from: {
        scanId: from?.id ?? null,
        collectedAt: from?.collectedAt?.toISOString() ?? null,
      },
      to: { scanId: to.id, collectedAt: to.collectedAt?.toISOString() ?? null },
      ...d,
      levels: {
        maturity: {
          from: fromResult?.steps.maturity.level ?? null,
          to: toResult.steps.maturity.level,
        },
        accountability: {
          from: fromResult?.steps.agents.overall.level ?? null,
          to: toResult.steps.agents.overall.level,
        },
        taxCents: {
          from: fromResult?.steps.cost.totalCents ?? null,
          to: toResult.steps.cost.totalCents,
        },
      },
    };
  }

  async agents(organizationId: string): Promise<AgentsOverview> {
    const { computedAt, rollup } = await this.rollup(organizationId);
    return { computedAt, ...rollup.agents };
  }

  async actions(organizationId: string) {
    const { computedAt, rollup } = await this.rollup(organizationId);
    return { computedAt, ...rollup.actions };
  }

  async selfAssessment(organizationId: string): Promise<SelfAssessmentResponse> {
    const [{ rollup }, current] = await Promise.all([
      this.rollup(organizationId),
      this.db.selfAssessments.latest(organizationId),
    ]);
    return {
      questions: ACCOUNTABILITY_PILLARS.map((pillar) => ({
        pillar,
        name: ACCOUNTABILITY_PILLAR_TITLES[pillar],
        question: SELF_ASSESSMENT_QUESTIONS[pillar],
      })),
      answerScale: SELF_ASSESSMENT_ANSWERS.map((label, value) => ({ value, label })),
      current: current ? this.assessmentRecord(current) : null,
      claimedVsEvidenced: rollup.agents.claimedVsEvidenced,
    };
  }

  private assessmentRecord(row: {
    id: string;
    answers: unknown;
    answeredById: string | null;
    createdAt: Date;
  }) {
    return {
      id: row.id,
      answers: selfAssessmentAnswersSchema.parse(row.answers),
      answeredBy: row.answeredById,
      createdAt: row.createdAt.toISOString(),
    };
  }

  async selfAssessmentHistory(organizationId: string, limit: number, cursor?: string) {
    const rows = await this.db.selfAssessments.list(organizationId, { take: limit + 1, cursor });
    const page = rows.slice(0, limit);
    return {
      items: page.map((r) => this.assessmentRecord(r)),
      nextCursor: rows.length > limit ? page.at(-1)!.id : null,
    };
  }

  async cost(organizationId: string): Promise<CostResponse> {
    const [{ computedAt, rollup }, current] = await Promise.all([
      this.rollup(organizationId),
      this.db.rollups.currentAssumptions(organizationId),
    ]);
    const parsed = costAssumptionOverridesSchema.safeParse(current.values);
    const overrides = parsed.success ? parsed.data : {};
    const effective = { ...DEFAULT_ASSUMPTIONS, ...overrides };
    return {
      computedAt,
      integrationTax: rollup.integrationTax,
      assumptions: {
        version: current.version,
        updatedAt: current.createdAt?.toISOString() ?? null,
        overrides,
        effective,
        defaults: (Object.keys(DEFAULT_ASSUMPTIONS) as (keyof typeof DEFAULT_ASSUMPTIONS)[]).map(
          (key) => ({
            key,
            default: DEFAULT_ASSUMPTIONS[key],
            source: SOURCES[key],
            overridden: key in overrides,
          }),
        ),
      },
      vms: rollup.vms ?? null,
    };
  }

  /** Findings of one scan as JSON (the whole analysis), CSV, SARIF or a PolicyReport. */
  async exportScan(
    organizationId: string,
    scanId: string,
    format: ExportFormat,
    toolVersion: string,
  ): Promise<{ contentType: string; filename: string; body: string }> {
    const scan = await this.db.scans.get(organizationId, scanId);
    if (!scan) throw new ReadModelError('not_found', 'scan not found');
    const result = await this.result(organizationId, scanId);
    if (!result) throw new ReadModelError('conflict', `scan ${scanId} has no analysis yet`);
    const cluster = await this.db.clusters.get(organizationId, scan.clusterId);
    const meta = {
      cluster: cluster?.name ?? result.cluster.name,
      scanId,
      collectedAt: scan.collectedAt?.toISOString() ?? null,
      toolVersion,
    };
    const base = `plumbline-${meta.cluster}-${scanId.slice(0, 8)}`.replace(/[^\w.-]/g, '_');
    switch (format) {
      case 'csv':
        return {
          contentType: 'text/csv; charset=utf-8',
          filename: `${base}-findings.csv`,
          body: findingsCsv(findingsOf(result)),
        };
      case 'sarif':
        return {
          contentType: 'application/sarif+json',
          filename: `${base}.sarif`,
          body: JSON.stringify(findingsSarif(findingsOf(result), meta), null, 2),
        };
      case 'policyreport':
        return {
          contentType: 'application/json',
          filename: `${base}-policyreport.json`,
          body: JSON.stringify(policyReport(result, meta), null, 2),
        };
      default:
        return {
          contentType: 'application/json',
          filename: `${base}.json`,
          body: JSON.stringify(result),
        };
    }
  }
}
