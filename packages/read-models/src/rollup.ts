import {
  overviewModel,
  priceOrganisation,
  ROLLUP_VERSION,
  rollupOrganisation,
  type EvidenceContext,
  type OrgPricing,
  type OrgRollupResult,
  type RollupInput,
  type SelfAssessmentInput,
  type TrendBasis,
} from '@plumbline/analysis';
import {
  clusterDigestSchema,
  costAssumptionOverridesSchema,
  costAssumptionsSchema,
  METHODOLOGY_VERSION,
  selfAssessmentAnswersSchema,
  trendPointSchema,
  type ClusterDigest,
  type CostAssumptionOverrides,
} from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { z } from 'zod';
import { BoundedCache } from './cache.js';
import { loadEvidence } from './evidence.js';
import { pricingKey } from './pricing-key.js';

/** Minimal structured logger (pino satisfies it). */
export interface RollupLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

const trendsSchema = z.array(trendPointSchema);

/** What a roll-up is computed from, besides the digests. */
export interface RollupOverrides {
  assumptions?: CostAssumptionOverrides;
  selfAssessment?: SelfAssessmentInput | null;
}

/**
 * The organisation roll-up over stored digests: loads each cluster's newest digest (one query
 * for the ids, a second only for digests not already parsed in this process: a digest is
 * immutable for a given scan and analysis time), the evidence context (cached by the uploads'
 * stamp), the assumptions and the self-assessment, and runs the pure `rollupOrganisation`.
 * Never reads a snapshot. `refresh` also stores the roll-up and its read models.
 */
export class OrgRollups {
  private readonly digests = new BoundedCache<ClusterDigest>(20_000);
  private readonly evidence = new BoundedCache<{ stamp: string; context: EvidenceContext }>(256);
  /** Each organisation's inputs, by the clusters' read stamp they were read under. */
  private readonly fleets = new BoundedCache<{ stamp: string; inputs: RollupInput[] }>(256);
  /** When each computed roll-up read its inputs: it is stored with that time (see `save`). */
  private readonly basis = new WeakMap<OrgRollupResult, Date>();

  constructor(private readonly db: Database) {}

  /**
   * Each cluster's newest analysed scan with its digest (clusters without one are left out).
   * Reused while the clusters' read stamp holds (one index-only query).
   */
  async inputs(
    organizationId: string,
    log?: RollupLogger,
    /** The fleet stamp, when the caller has just read it. */
    known?: string,
  ): Promise<RollupInput[]> {
    const fleetStamp = known ?? (await this.db.clusters.fleetStamp(organizationId));
    const held = this.fleets.get(organizationId);
    if (held?.stamp === fleetStamp) return held.inputs;
    const inputs = await this.readInputs(organizationId, log);
    // Read after the stamp: a write in between is seen by the next call (the stamp moved).
    this.fleets.set(organizationId, { stamp: fleetStamp, inputs });
    return inputs;
  }

  private async readInputs(organizationId: string, log?: RollupLogger): Promise<RollupInput[]> {
    const stamps = await this.db.rollups.latestScanStamps(organizationId);
    const key = (scanId: string, finishedAt: Date | null) =>
      `${organizationId}/${scanId}@${finishedAt?.toISOString() ?? '-'}`;
    const missing = stamps.filter((s) => !this.digests.get(key(s.scanId, s.finishedAt)));
    if (missing.length) {
      const rows = await this.db.rollups.digests(
        organizationId,
        missing.map((s) => s.scanId),
      );
      for (const s of missing) {
        const parsed = clusterDigestSchema.safeParse(rows.get(s.scanId));
        if (parsed.success) this.digests.set(key(s.scanId, s.finishedAt), parsed.data);
        else
          log?.warn(
            { organizationId, scanId: s.scanId },
            'scan has no digest of the current shape; left out until re-analysed',
          );
      }
    }
    const out: RollupInput[] = [];
    for (const s of stamps) {
      const digest = this.digests.get(key(s.scanId, s.finishedAt));
      if (!digest) continue;
      out.push({
        clusterId: s.clusterId,
        name: s.clusterName,
        production: s.production,
        scanId: s.scanId,
        scannedAt: s.scanAt.toISOString(),
        digest,
      });
    }
    return out;
  }

  /** The evidence context, re-read only when an upload was added or deleted. */
  async evidenceContext(
    organizationId: string,
    /** The evidence stamp, when the caller has just read it. */
    known?: string,
  ): Promise<EvidenceContext> {
    const stamp = known ?? (await this.db.evidence.stamp(organizationId));
    const cached = this.evidence.get(organizationId);
    if (cached?.stamp === stamp) return cached.context;
    const { context } = await loadEvidence(this.db, organizationId);
    this.evidence.set(organizationId, { stamp, context });
    return context;
  }

  async assumptions(organizationId: string): Promise<CostAssumptionOverrides> {
    const saved = costAssumptionOverridesSchema.safeParse(
      await this.db.rollups.costAssumptions(organizationId),
    );
    return saved.success ? saved.data : {};
  }

  async selfAssessment(organizationId: string): Promise<SelfAssessmentInput | null> {
    const row = await this.db.selfAssessments.latest(organizationId);
    const answers = row ? selfAssessmentAnswersSchema.safeParse(row.answers) : null;
    return row && answers?.success
      ? { id: row.id, createdAt: row.createdAt.toISOString(), answers: answers.data }
      : null;
  }

  /**
   * The organisation priced with the given (or its current) assumptions, from digests: the
   * fleet's tax, each cluster's and the VM case. What an assumption edit changes, computed
   * without storing or re-aggregating anything else.
   */
  async pricing(
    organizationId: string,
    assumptions?: CostAssumptionOverrides,
  ): Promise<OrgPricing> {
    const [stamps, overrides] = await Promise.all([
      this.db.clusters.pricingStamps(organizationId),
      assumptions ?? this.assumptions(organizationId),
    ]);
    const [inputs, evidence] = await Promise.all([
      this.inputs(organizationId, undefined, stamps.fleet),
      this.evidenceContext(organizationId, stamps.evidence),
    ]);
    return priceOrganisation(inputs, overrides, evidence.vmRows);
  }

  /** What the stored roll-up was computed with (for the trend's change-of-method notes). */
  private async previousBasis(organizationId: string): Promise<TrendBasis | null> {
    const row = await this.db.rollups.previousBasis(organizationId);
    if (!row) return null;
    const assumptions = costAssumptionsSchema.safeParse(row.assumptions);
    return {
      methodologyVersion: row.methodologyVersion,
      costModelVersion: typeof row.modelVersion === 'string' ? row.modelVersion : null,
      assumptions: assumptions.success ? assumptions.data : null,
    };
  }

  /** Compute the roll-up now from digests (nothing stored): what a write answers with. */
  async compute(
    organizationId: string,
    reason: string,
    overrides: RollupOverrides = {},
    log?: RollupLogger,
  ): Promise<OrgRollupResult> {
    const basisAt = new Date();
    const [inputs, evidence, assumptions, selfAssessment, previous] = await Promise.all([
      this.inputs(organizationId, log),
      this.evidenceContext(organizationId),
      overrides.assumptions ?? this.assumptions(organizationId),
      overrides.selfAssessment !== undefined
        ? overrides.selfAssessment
        : this.selfAssessment(organizationId),
      this.db.rollups.previousTrends(organizationId),
    ]);
    const trends = trendsSchema.safeParse(previous);
    const rollup = rollupOrganisation(inputs, assumptions, selfAssessment, {
      reason,
      evidence,
      previousTrends: trends.success ? trends.data : [],
      previousBasis: await this.previousBasis(organizationId),
    });
    this.basis.set(rollup, basisAt);
    return rollup;
  }

  /** Compute and store the roll-up and its read models (overview, agents, actions). */
  async refresh(
    organizationId: string,
    reason: string,
    log?: RollupLogger,
  ): Promise<{ computedAt: Date; rollup: OrgRollupResult }> {
    const rollup = await this.compute(organizationId, reason, {}, log);
    const computedAt = await this.save(organizationId, rollup);
    log?.info(
      {
        organizationId,
        clusters: rollup.clusters.length,
        taxCents: rollup.integrationTax?.totalCents ?? null,
        actions: rollup.actions.items.length,
        skippedEvidence: rollup.skippedEvidence.length,
      },
      'organisation rolled up',
    );
    return { computedAt, rollup };
  }

  /**
   * Store a computed roll-up and its read models (overview, agents, actions), stamped with the
   * time it read its inputs: a roll-up that read them earlier never replaces one that read them
   * later (the API's synchronous roll-ups and the worker's debounced ones run side by side).
   */
  save(organizationId: string, rollup: OrgRollupResult): Promise<Date> {
    return this.db.rollups.saveWithViews(
      organizationId,
      METHODOLOGY_VERSION,
      rollup,
      {
        overview: {
          rollupVersion: ROLLUP_VERSION,
          // What the figures were priced with: a read after an assumption edit reprices.
          pricedWith: pricingKey(rollup.integrationTax?.assumptions ?? null),
          ...overviewModel(rollup),
        },
        agents: rollup.agents,
        actions: rollup.actions,
      },
      this.basis.get(rollup) ?? new Date(),
    );
  }
}
