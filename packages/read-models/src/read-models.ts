import {
  clusterDetailParts,
  diffFindings,
  findingsCsv,
  findingsOf,
  findingsSarif,
  policyReport,
  priceCluster,
  ROLLUP_VERSION,
  taxSummary,
  type OrgRollupResult,
  type StoredOverview,
} from '@plumbline/analysis';
import {
  ACCOUNTABILITY_PILLAR_TITLES,
  ACCOUNTABILITY_PILLARS,
  ANALYSIS_RESULT_VERSION,
  analysisResultSchema,
  clusterDigestSchema,
  costAssumptionOverridesSchema,
  METHODOLOGY_VERSION,
  scanSummarySchema,
  SELF_ASSESSMENT_ANSWERS,
  SELF_ASSESSMENT_QUESTIONS,
  selfAssessmentAnswersSchema,
  type Action,
  type AgentsList,
  type AgentsOverview,
  type AgentsPage,
  type AgentsPageQuery,
  type AnalysisResult,
  type ClusterDetail,
  type CostAssumptionOverrides,
  type CostResponse,
  type ExportFormat,
  type FleetCluster,
  type Overview,
  type ErrorCode,
  type ScanDiff,
  type SelfAssessmentResponse,
} from '@plumbline/contracts';
import { DEFAULT_ASSUMPTIONS, resolveAssumptions, SOURCES } from '@plumbline/cost';
import type { Database, OverviewCluster, RollupView } from '@plumbline/db';
import { agentsFirstPageJson, agentsListPage } from './agents-view.js';
import { BoundedCache } from './cache.js';
import { JsonPage } from './json-page.js';
import { pricingKey } from './pricing-key.js';
import { OrgRollups } from './rollup.js';

/**
 * The cached entry when it may be served without asking the database: it was last checked against
 * the database under the change feed's current version of its organisation (the version is read
 * before that check, so a change committed during it moves the version and the next read asks
 * again). A null version (the feed is not listening) never matches.
 */
function unchanged<E extends { version?: string | null }>(
  entry: E | undefined,
  version: string | null,
): E | undefined {
  return version !== null && entry?.version === version ? entry : undefined;
}

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

const ANALYSIS_STEPS: readonly (keyof AnalysisResult['steps'])[] = [
  'inventory',
  'detection',
  'netpol',
  'maturity',
  'cost',
  'agents',
];

/**
 * A stored analysis of the current result version with every step present, else null. One of
 * the current methodology is trusted by that check; an older one (waiting for the worker to
 * analyse it again after an upgrade) is parsed against the schema, as its shape may differ.
 */
export function currentResult(stored: unknown): AnalysisResult | null {
  if (stored === null || typeof stored !== 'object') return null;
  const r = stored as {
    resultVersion?: unknown;
    methodologyVersion?: unknown;
    cluster?: unknown;
    steps?: unknown;
  };
  if (r.resultVersion !== ANALYSIS_RESULT_VERSION) return null;
  if (r.methodologyVersion !== METHODOLOGY_VERSION) {
    const parsed = analysisResultSchema.safeParse(stored);
    return parsed.success ? parsed.data : null;
  }
  if (r.cluster === null || typeof r.cluster !== 'object') return null;
  if (r.steps === null || typeof r.steps !== 'object') return null;
  const steps = r.steps as Record<string, unknown>;
  for (const step of ANALYSIS_STEPS)
    if (steps[step] === null || typeof steps[step] !== 'object') return null;
  return stored as AnalysisResult;
}

/** A version of the cost assumptions as saved (the overrides already validated). */
export interface SavedAssumptions {
  version: number;
  values: CostAssumptionOverrides;
  createdAt: Date | null;
}

/** Overrides being saved: their values now, the version and time once the save returns. */
export interface SavingAssumptions {
  values: CostAssumptionOverrides;
  saved: Promise<{ version: number; createdAt: Date | null }>;
}

/** The cost response: the tax priced with `current`, every assumption with its default and source. */
function costResponse(
  current: SavedAssumptions,
  priced: Pick<OrgRollupResult, 'integrationTax' | 'vms'>,
  computedAt: string,
  effective = resolveAssumptions(current.values),
): CostResponse {
  const overrides = current.values;
  return {
    computedAt,
    integrationTax: priced.integrationTax,
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
    vms: priced.vms ?? null,
  };
}

export interface RollupEntry {
  computedAt: string;
  rollup: OrgRollupResult;
}

type ViewBody = {
  agents: Omit<AgentsOverview, 'computedAt'>;
  actions: { ordering: string; items: Action[] };
};

/** A stored overview of the current roll-up shape (older shapes are recomputed on read). */
function currentOverview(
  o: unknown,
): o is StoredOverview & { rollupVersion: number; pricedWith?: string } {
  return (
    typeof o === 'object' &&
    o !== null &&
    (o as { rollupVersion?: unknown }).rollupVersion === ROLLUP_VERSION
  );
}

/**
 * Read models shared by the API and the report renderer, so both show the same numbers:
 * overview, cluster detail, history and diffs, agents, actions, self-assessment, cost, exports.
 * The overview, agents and actions are stored views refreshed by the roll-up (`OrgRollups`): a
 * read is one query (the overview joins the clusters' live scan statuses in the same query).
 * Cluster views come from the newest analysed scan, its cost repriced from the scan's digest
 * with the current assumptions. Parsed views are cached per process by the id of what they were
 * computed from (a roll-up's time, a result row and assumptions version), so a cache entry can
 * never outlive its data or cross organisations. A missing or older-shaped roll-up is computed
 * from digests on first read (O(clusters), never a snapshot).
 */
export class ReadModels {
  private readonly rollups = new BoundedCache<RollupEntry>(256);
  /** Stored views already parsed, by organisation and view, with the roll-up time they are of. */
  /**
   * Stored views by the roll-up time they are of. `version`: the change feed's version read
   * before the entry was last checked against the database (see `unchanged`).
   */
  private readonly views = new BoundedCache<{
    computedAt: Date;
    body: unknown;
    version?: string | null;
  }>(512);
  /** Each organisation's clusters with their live scan statuses, by the clusters' read stamp. */
  private readonly fleets = new BoundedCache<{ stamp: string; clusters: OverviewCluster[] }>(256);
  /** Serialised pages (overview, cluster detail) by what they were built from (`key`). */
  private readonly pages = new BoundedCache<{
    key: string;
    page: JsonPage;
    version?: string | null;
  }>(1024);
  /** The actions view serialised, with the roll-up time it is of (agents: agents-view.ts). */
  private readonly serialised = new BoundedCache<{ computedAt: string; json: string }>(128);
  readonly store: OrgRollups;

  constructor(
    private readonly db: Database,
    store?: OrgRollups,
  ) {
    this.store = store ?? new OrgRollups(db);
  }

  /** The whole stored roll-up (the cost view and the report read it). */
  async rollup(organizationId: string): Promise<RollupEntry> {
    const stamp = await this.db.rollups.status(organizationId);
    const cached = this.rollups.get(organizationId);
    if (stamp && cached && cached.computedAt === stamp.computedAt.toISOString()) return cached;
    const row = stamp ? await this.db.rollups.get(organizationId) : null;
    const result = row?.result as Partial<OrgRollupResult> | undefined;
    if (!row || result?.rollupVersion !== ROLLUP_VERSION)
      return this.recompute(organizationId, 'read');
    const entry = { computedAt: row.computedAt.toISOString(), rollup: result as OrgRollupResult };
    this.rollups.set(organizationId, entry);
    return entry;
  }

  /** Recompute and store the roll-up now, from digests (none of the current shape exists). */
  async recompute(organizationId: string, reason: string): Promise<RollupEntry> {
    if (!(await this.db.organizations.get(organizationId)))
      throw new ReadModelError('not_found', 'organisation not found');
    const { computedAt, rollup } = await this.store.refresh(organizationId, reason);
    const entry = { computedAt: computedAt.toISOString(), rollup };
    this.rollups.set(organizationId, entry);
    return entry;
  }

  /**
   * The overview's inputs in one query: the stored view and the clusters with their live scan
   * statuses, each sent by PostgreSQL only when this process does not hold the current one
   * (the view by its roll-up time, the clusters by their read stamp). `key` names everything the
   * overview is built from, so its serialised form can be reused while the key holds.
   */
  private async overviewInputs(organizationId: string) {
    const load = async () => {
      const viewKey = `${organizationId}/overview`;
      const known = this.views.get(viewKey);
      const fleet = this.fleets.get(organizationId);
      const r = await this.db.rollups.overviewRead(organizationId, {
        computedAt: known?.computedAt,
        clustersStamp: fleet?.stamp,
      });
      if (!r) return null;
      if (!r.same && r.computedAt && r.overview)
        this.views.set(viewKey, { computedAt: r.computedAt, body: r.overview });
      if (r.clusters)
        this.fleets.set(organizationId, { stamp: r.clustersStamp, clusters: r.clusters });
      return {
        ...r,
        overview: r.same && known ? known.body : r.overview,
        clusters: r.clusters ?? fleet?.clusters ?? [],
      };
    };
    let read = await load();
    if (!read) throw new ReadModelError('not_found', 'organisation not found');
    if (!currentOverview(read.overview) && read.status !== 'failed') {
      await this.recompute(organizationId, 'read');
      read = (await load()) ?? read;
    }
    const key = [
      read.organizationName,
      read.computedAt?.toISOString(),
      read.status,
      read.error,
      read.failedAt?.toISOString(),
      read.clustersStamp,
      read.assumptions.version,
    ].join('\u0000');
    return { read, key };
  }

  /** The overview: one query (stored view + live cluster statuses). */
  async overview(organizationId: string): Promise<Overview> {
    return this.buildOverview(organizationId, await this.overviewInputs(organizationId));
  }

  private async buildOverview(
    organizationId: string,
    { read }: Awaited<ReturnType<ReadModels['overviewInputs']>>,
  ): Promise<Overview> {
    // Assumptions edited since the stored roll-up: the figures they decide (the fleet's tax,
    // each cluster's) are priced from digests, until the queued roll-up stores them.
    const overrides = costAssumptionOverridesSchema.safeParse(read.assumptions.values);
    const current = currentOverview(read.overview) ? read.overview : null;
    const pricing =
      current?.integrationTax &&
      current.pricedWith !== pricingKey(resolveAssumptions(overrides.data ?? {}))
        ? await this.store.pricing(organizationId, overrides.data ?? {})
        : null;
    const stored = currentOverview(read.overview) ? read.overview : null;
    const fleet: FleetCluster[] = read.clusters.map((c) => {
      const r = stored?.clusters[c.id];
      return {
        id: c.id,
        name: c.name,
        production: c.production,
        level: r?.level ?? null,
        score: r?.score ?? null,
        lowestPillar: r?.lowestPillar ?? null,
        coverage: r?.coverage ?? null,
        accountabilityLevel: r?.accountabilityLevel ?? null,
        agents: r?.agents ?? 0,
        taxCents: (r && pricing ? pricing.clusterTaxCents[c.id] : r?.taxCents) ?? null,
        lastScanAt: c.lastScanAt ? new Date(c.lastScanAt).toISOString() : null,
        status: (c.status as FleetCluster['status'] | null) ?? 'never-scanned',
        scanId: r?.scanId ?? null,
      };
    });
    return {
      organization: { id: organizationId, name: read.organizationName },
      computedAt: read.computedAt && stored ? read.computedAt.toISOString() : null,
      methodologyVersion: METHODOLOGY_VERSION,
      maturity: stored?.maturity ?? null,
      accountability: stored?.accountability ?? null,
      integrationTax: pricing
        ? pricing.integrationTax && taxSummary(pricing.integrationTax)
        : (stored?.integrationTax ?? null),
      clusters: fleet,
      trends: stored?.trends ?? [],
      topActions: stored?.topActions ?? [],
      rollup: {
        status: read.status === 'failed' ? 'failed' : stored ? 'ok' : 'pending',
        error: read.status === 'failed' ? read.error : null,
        failedAt: read.failedAt?.toISOString() ?? null,
        skippedEvidence: stored?.skippedEvidence ?? [],
      },
    };
  }

  /**
   * A prepared page: from memory while the change feed vouches that nothing of the organisation
   * changed; else `check` (one small query) names what the page is built from, and the text is
   * reused while that is the same, or built and serialised once again.
   */
  private async cachedPage(
    organizationId: string,
    key: string,
    check: () => Promise<{ key: string; build: () => Promise<unknown> }>,
  ): Promise<JsonPage> {
    const version = this.db.changes.version(organizationId);
    const held = unchanged(this.pages.get(key), version);
    if (held) return held.page;
    const current = await check();
    const hit = this.pages.get(key);
    if (hit?.key === current.key) {
      hit.version = version;
      return hit.page;
    }
    // Built after the check: a write in between leaves a newer page under an older key, which
    // the next read rebuilds (never an older page under a newer key).
    const page = new JsonPage(JSON.stringify(await current.build()));
    this.pages.set(key, { key: current.key, page, version });
    return page;
  }

  /**
   * The overview as its JSON text: one small query while nothing it is built from changed (the
   * text is reused), none while the change feed says so, else the overview built and
   * serialised once for the new inputs.
   */
  overviewPage(organizationId: string): Promise<JsonPage> {
    return this.cachedPage(organizationId, `${organizationId}/overview`, async () => {
      const inputs = await this.overviewInputs(organizationId);
      return { key: inputs.key, build: () => this.buildOverview(organizationId, inputs) };
    });
  }

  /** One stored view (agents or actions): one query; computed from digests when missing. */
  private async view<V extends keyof ViewBody>(
    organizationId: string,
    view: V & RollupView,
  ): Promise<{ computedAt: string; body: ViewBody[V] }> {
    // PostgreSQL sends the body only when this process has not parsed it for that roll-up yet.
    const key = `${organizationId}/${view}`;
    const version = this.db.changes.version(organizationId);
    const known = this.views.get(key);
    const held = unchanged(known, version);
    if (held) return { computedAt: held.computedAt.toISOString(), body: held.body as ViewBody[V] };
    const row = await this.db.rollups.view(organizationId, view, known?.computedAt);
    if (row && row.body === undefined && known) {
      known.version = version;
      return { computedAt: row.computedAt.toISOString(), body: known.body as ViewBody[V] };
    }
    if (row?.body) {
      this.views.set(key, { computedAt: row.computedAt, body: row.body, version });
      return { computedAt: row.computedAt.toISOString(), body: row.body as ViewBody[V] };
    }
    const { computedAt, rollup } = await this.recompute(organizationId, 'read');
    return { computedAt, body: rollup[view] };
  }

  private async cluster(organizationId: string, clusterId: string) {
    const cluster = await this.db.clusters.get(organizationId, clusterId);
    if (!cluster) throw new ReadModelError('not_found', 'cluster not found');
    return cluster;
  }

  /**
   * A scan's stored analysis, or null when it has none of the current shape. Results are
   * written only by analyze() through the worker (typed, of the current result version), so the
   * version and the top-level shape are checked, not the whole tree: a schema parse copied
   * every result on every page build (a cluster page's main cost, and garbage by the megabyte).
   */
  async result(organizationId: string, scanId: string): Promise<AnalysisResult | null> {
    const row = await this.db.scans.getResult(organizationId, scanId);
    return row ? currentResult(row.result) : null;
  }

  async clusterDetail(organizationId: string, clusterId: string): Promise<ClusterDetail> {
    const cluster = await this.cluster(organizationId, clusterId);
    const [latest, shown, assumptions] = await Promise.all([
      this.db.clusters.latestScan(organizationId, clusterId),
      this.db.clusters.latestSucceeded(organizationId, clusterId),
      this.db.rollups.currentAssumptions(organizationId),
    ]);
    let parts: ReturnType<typeof clusterDetailParts> | null = null;
    if (shown?.result) {
      // The result is priced with the default assumptions; the page shows the organisation's.
      const [result, digests] = await Promise.all([
        this.result(organizationId, shown.id),
        this.db.rollups.digests(organizationId, [shown.id]),
      ]);
      if (result) {
        const digest = clusterDigestSchema.safeParse(digests.get(shown.id));
        const overrides = costAssumptionOverridesSchema.safeParse(assumptions.values);
        parts = clusterDetailParts(
          digest.success
            ? {
                ...result,
                steps: {
                  ...result.steps,
                  cost: priceCluster(digest.data, overrides.success ? overrides.data : {}),
                },
              }
            : result,
        );
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

  /**
   * The cluster page as its JSON text: one small query (the cluster's read stamp and the
   * assumptions version) while neither moved, none while the change feed says so, the text
   * reused; else built and serialised again.
   */
  clusterDetailPage(organizationId: string, clusterId: string): Promise<JsonPage> {
    return this.cachedPage(organizationId, `${organizationId}/cluster/${clusterId}`, async () => {
      const stamp = await this.db.clusters.pageStamp(organizationId, clusterId);
      if (stamp === null) throw new ReadModelError('not_found', 'cluster not found');
      return { key: stamp, build: () => this.clusterDetail(organizationId, clusterId) };
    });
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

  /** The whole agents view (the report prints all of it; the API pages it). */
  async agents(organizationId: string): Promise<AgentsOverview> {
    const { computedAt, body } = await this.view(organizationId, 'agents');
    return { computedAt, ...body };
  }

  /**
   * `GET agents` as its JSON answer: the small parts and the first page of each long list
   * (agents-view.ts), serialised once per roll-up in this process.
   */
  async agentsFirst(organizationId: string): Promise<JsonPage> {
    const { computedAt, body } = await this.view(organizationId, 'agents');
    return agentsFirstPageJson(computedAt, body);
  }

  /** One page of one list of the same stored agents view; a bad cursor or filter is refused. */
  async agentsPage(
    organizationId: string,
    list: AgentsList,
    query: AgentsPageQuery,
  ): Promise<AgentsPage> {
    const { computedAt, body } = await this.view(organizationId, 'agents');
    const page = agentsListPage(computedAt, body, list, query);
    if ('refused' in page) throw new ReadModelError('validation_failed', page.refused);
    return page;
  }

  /**
   * A stored view as its JSON answer, serialised once per roll-up in this process (serialising
   * on every read was most of the read's cost). The agents view is answered in pages instead
   * (`agentsFirst`).
   */
  async viewJson(organizationId: string, view: 'actions'): Promise<string> {
    const { computedAt, body } = await this.view(organizationId, view);
    const key = `${organizationId}/${view}`;
    const hit = this.serialised.get(key);
    if (hit?.computedAt === computedAt) return hit.json;
    const json = JSON.stringify({ computedAt, ...body });
    this.serialised.set(key, { computedAt, json });
    return json;
  }

  async actions(organizationId: string) {
    const { computedAt, body } = await this.view(organizationId, 'actions');
    return { computedAt, ...body };
  }

  async selfAssessment(
    organizationId: string,
    agents?: Omit<AgentsOverview, 'computedAt'>,
  ): Promise<SelfAssessmentResponse> {
    const [claimed, current] = await Promise.all([
      agents ?? this.view(organizationId, 'agents').then((v) => v.body),
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
      claimedVsEvidenced: claimed.claimedVsEvidenced,
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

  /**
   * The cost view: the stored roll-up's tax, or, when the assumptions were edited since it was
   * stored, the tax priced now from digests with the current assumptions (the queued roll-up
   * stores it shortly); either way the figures shown are those of the assumptions shown.
   */
  async cost(organizationId: string): Promise<CostResponse> {
    const [current, entry] = await Promise.all([
      this.savedAssumptions(organizationId),
      this.rollup(organizationId),
    ]);
    const effective = resolveAssumptions(current.values);
    // The stored figures, unless they were priced with other assumptions.
    const stored =
      entry &&
      !(
        entry.rollup.integrationTax &&
        pricingKey(entry.rollup.integrationTax.assumptions) !== pricingKey(effective)
      )
        ? entry
        : null;
    const priced: Pick<OrgRollupResult, 'integrationTax' | 'vms'> =
      stored?.rollup ?? (await this.store.pricing(organizationId, current.values));
    return costResponse(current, priced, stored?.computedAt ?? new Date().toISOString(), effective);
  }

  /**
   * The cost view of overrides being saved (validated by the caller): the fleet is priced from
   * the digests while the save runs (pricing does not depend on it), and the answer carries the
   * version and time the save gives. The stored views are not read.
   */
  async costOfSave(organizationId: string, saving: SavingAssumptions): Promise<CostResponse> {
    const [saved, priced] = await Promise.all([
      saving.saved,
      this.store.pricing(organizationId, saving.values),
    ]);
    return costResponse(
      { version: saved.version, values: saving.values, createdAt: saved.createdAt },
      priced,
      new Date().toISOString(),
    );
  }

  /** The newest saved assumptions, their overrides validated (none when unreadable). */
  private async savedAssumptions(organizationId: string): Promise<SavedAssumptions> {
    const row = await this.db.rollups.currentAssumptions(organizationId);
    const parsed = costAssumptionOverridesSchema.safeParse(row.values);
    return {
      version: row.version,
      values: parsed.success ? parsed.data : {},
      createdAt: row.createdAt,
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
