import { Inject, Injectable } from '@nestjs/common';
import {
  ACCOUNTABILITY_PILLAR_TITLES,
  isAccountabilityPillar,
  isPlanPillar,
  isPolicyDialect,
  planBodySchema,
  planEffortOverridesSchema,
  planVerificationSchema,
  scanSummarySchema,
  type CreatePlanRequest,
  type PlanEffortResponse,
  type PlanRecord,
  type PutPlanEffortRequest,
} from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { bundleFolder, NO_WORKLOADS, planJobId, type JobQueue } from '@plumbline/jobs';
import {
  DEFAULT_HOURS_PER_PHASE,
  GENERATED_EFFORT,
  MANUAL_EFFORT,
  MANUAL_EFFORT_BY_LEVEL,
  effortOf,
} from '@plumbline/plan';
import { AuditService, type Actor } from '../common/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { DATABASE, JOB_QUEUE } from '../common/tokens.js';

type PlanRow = NonNullable<Awaited<ReturnType<Database['plans']['get']>>>;

/** Where the effort table and its reasoning are documented. */
export const EFFORT_SOURCE = 'docs/methodology/remediation-plan.md (Plumbline estimates)';

/** A stored row as the API shows it; stored JSON is parsed against the contract (never trusted). */
function record(r: PlanRow): PlanRecord {
  const plan = r.plan === null ? null : planBodySchema.safeParse(r.plan);
  const verification =
    r.verification === null ? null : planVerificationSchema.safeParse(r.verification);
  return {
    id: r.id,
    clusterId: r.clusterId,
    clusterName: r.cluster.name,
    scanId: r.scanId,
    scanCollectedAt: r.scan.collectedAt?.toISOString() ?? null,
    target: {
      level: r.targetLevel,
      pillar: r.targetPillar !== null && isPlanPillar(r.targetPillar) ? r.targetPillar : null,
    },
    dialect: isPolicyDialect(r.policyDialect) ? r.policyDialect : 'kubernetes',
    status: r.status,
    reason: r.reason,
    effortVersion: r.effortVersion,
    plan: plan?.success ? plan.data : null,
    verification: verification?.success ? verification.data : null,
    bundle:
      r.status === 'ready' && r.bundleSha256 !== null
        ? {
            bytes: r.bundleBytes ?? 0,
            files: r.bundleFiles ?? 0,
            objects: r.bundleObjects ?? 0,
            sha256: r.bundleSha256,
          }
        : null,
    requestedById: r.requestedById,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Plans to a target level: requested per cluster (checked against the cluster's newest analysed
 * scan, then queued for the worker's `cluster.plan`), listed, read, and their bundle downloaded;
 * the organisation's effort table. Requests, downloads and effort edits are audited.
 */
@Injectable()
export class PlansService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly audit: AuditService,
  ) {}

  async request(actor: Actor, clusterId: string, body: CreatePlanRequest): Promise<PlanRecord> {
    const { organizationId } = actor;
    const cluster = await this.db.clusters.get(organizationId, clusterId);
    if (!cluster) throw new DomainError('not_found', 'cluster not found');
    const basis = await this.db.plans.basis(organizationId, clusterId);
    if (!basis)
      throw new DomainError(
        'validation_failed',
        'the cluster has no analysed scan yet: upload a scan, then ask for a plan',
      );
    if (basis.workloads === 0) throw new DomainError('validation_failed', NO_WORKLOADS);
    const summary = scanSummarySchema.safeParse(basis.summary);
    if (!summary.success)
      throw new DomainError(
        'validation_failed',
        'the newest scan has no current summary; it is being re-analysed, try again shortly',
      );
    const pillar = body.pillar ?? null;
    let current: number;
    let what: string;
    if (pillar !== null && isAccountabilityPillar(pillar)) {
      if (summary.data.accountability.status !== 'assessed')
        throw new DomainError(
          'validation_failed',
          'the newest scan found no AI agents: an accountability plan needs agents to plan for',
        );
      const levels = (basis.agentLevels ?? {}) as Record<string, unknown>;
      const level = levels[pillar];
      current = typeof level === 'number' ? level : 0;
      what = `the ${ACCOUNTABILITY_PILLAR_TITLES[pillar]} pillar`;
    } else {
      const scanned = pillar ? summary.data.maturity.pillars.find((p) => p.id === pillar) : null;
      current = pillar ? (scanned?.level ?? 0) : summary.data.maturity.level;
      what = pillar ? `the ${scanned?.name ?? pillar} pillar` : 'the cluster';
    }
    if (body.level === undefined && current >= 4)
      throw new DomainError(
        'validation_failed',
        `${what} is already at level 4: there is no next level to plan for`,
      );
    const level = body.level ?? current + 1;
    if (level <= current)
      throw new DomainError(
        'validation_failed',
        `${what} is already at level ${current} in the newest scan: a plan needs a target above it`,
      );
    const row = await this.db.plans.create(organizationId, {
      clusterId,
      scanId: basis.id,
      targetLevel: level,
      targetPillar: pillar,
      policyDialect: body.dialect ?? 'kubernetes',
      requestedById: actor.userId,
    });
    try {
      await this.queue.enqueue(
        'cluster.plan',
        { organizationId, planId: row.id },
        { requestId: actor.requestId, jobId: planJobId(row.id) },
      );
    } catch (e) {
      await this.db.plans.fail(
        organizationId,
        row.id,
        `could not be queued: ${(e as Error).message}`,
      );
      throw new DomainError('unavailable', 'the job queue is unavailable; try again shortly');
    }
    await this.audit.record(actor, 'plan.request', 'plan', row.id, {
      clusterId,
      scanId: basis.id,
      level,
      pillar,
      dialect: body.dialect ?? 'kubernetes',
    });
    return record(row);
  }

  async list(organizationId: string, clusterId: string, limit: number, cursor?: string) {
    if (!(await this.db.clusters.get(organizationId, clusterId)))
      throw new DomainError('not_found', 'cluster not found');
    const rows = await this.db.plans.list(organizationId, clusterId, { take: limit + 1, cursor });
    const page = rows.slice(0, limit);
    return {
      items: page.map(record),
      nextCursor: rows.length > limit ? page.at(-1)!.id : null,
    };
  }

  /** The organisation's plans across its clusters, newest first. */
  async listOrg(organizationId: string, limit: number, cursor?: string) {
    if (cursor && !(await this.db.plans.get(organizationId, cursor)))
      throw new DomainError('not_found', 'cursor not found');
    const rows = await this.db.plans.list(organizationId, null, { take: limit + 1, cursor });
    const page = rows.slice(0, limit);
    return {
      items: page.map(record),
      nextCursor: rows.length > limit ? page.at(-1)!.id : null,
    };
  }

  async get(organizationId: string, planId: string): Promise<PlanRecord> {
    const row = await this.db.plans.get(organizationId, planId);
    if (!row) throw new DomainError('not_found', 'plan not found');
    return record(row);
  }

  /**
   * The bundle zip of a ready plan. 409 while the plan is being computed or when its job failed;
   * 422 with the plan's reason when the target is unreachable or the bundle failed its own
   * verification; audited.
   */
  async bundle(actor: Actor, planId: string): Promise<{ zip: Uint8Array; filename: string }> {
    const row = await this.db.plans.get(actor.organizationId, planId);
    if (!row) throw new DomainError('not_found', 'plan not found');
    if (row.status === 'queued' || row.status === 'running')
      throw new DomainError('conflict', `the plan is ${row.status}; try again when it is ready`);
    if (row.status === 'failed')
      throw new DomainError('conflict', `the plan failed: ${row.reason ?? 'unknown reason'}`);
    if (row.status === 'unreachable' || row.status === 'refused')
      throw new DomainError('validation_failed', row.reason ?? `the plan is ${row.status}`);
    const zip = await this.db.plans.bundle(actor.organizationId, row.id);
    if (!zip)
      throw new DomainError(
        'validation_failed',
        'the target is already met on this scan: there is nothing to download',
      );
    await this.audit.record(actor, 'plan.download', 'plan', row.id, { bytes: zip.byteLength });
    // The zip's own folder name, and the plan's id: two plans of one target never clash.
    const folder = bundleFolder(row.cluster.name, {
      level: row.targetLevel,
      pillar: row.targetPillar,
    });
    return { zip, filename: `${folder}-${row.id.slice(0, 8)}.zip` };
  }

  async effort(organizationId: string): Promise<PlanEffortResponse> {
    const current = await this.db.plans.currentEffort(organizationId);
    const parsed = planEffortOverridesSchema.safeParse(current.values);
    const overrides = parsed.success ? parsed.data : {};
    const row = (
      id: string,
      kind: 'generated' | 'manual',
      d: (typeof GENERATED_EFFORT)[string],
    ) => {
      const e = effortOf(id, d, overrides);
      return {
        id,
        kind,
        unit: d.unit,
        default: { baseHours: d.baseHours, perUnitHours: d.perUnitHours },
        effective: { baseHours: e.baseHours, perUnitHours: e.perUnitHours },
        overridden: overrides.actions?.[id] !== undefined,
      };
    };
    return {
      version: current.version,
      overrides,
      hoursPerPhase: {
        value: overrides.hoursPerPhase ?? DEFAULT_HOURS_PER_PHASE,
        default: DEFAULT_HOURS_PER_PHASE,
      },
      actions: [
        ...Object.entries(GENERATED_EFFORT).map(([id, d]) => row(id, 'generated', d)),
        ...Object.entries(MANUAL_EFFORT).map(([id, d]) => row(id, 'manual', d)),
      ],
      manualByLevel: ([1, 2, 3, 4] as const).map((level) => ({
        level,
        baseHours: MANUAL_EFFORT_BY_LEVEL[level].baseHours,
      })),
      source: EFFORT_SOURCE,
    };
  }

  /** Replace the effort overrides (a new version; history kept); audited with what changed. */
  async saveEffort(actor: Actor, body: PutPlanEffortRequest): Promise<PlanEffortResponse> {
    const before = await this.db.plans.currentEffort(actor.organizationId);
    const version = await this.db.plans.saveEffort(
      actor.organizationId,
      body.overrides,
      actor.userId,
    );
    const flat = (v: unknown) => {
      const o = planEffortOverridesSchema.safeParse(v);
      const out: Record<string, string> = {};
      if (!o.success) return out;
      if (o.data.hoursPerPhase !== undefined) out.hoursPerPhase = String(o.data.hoursPerPhase);
      for (const [k, e] of Object.entries(o.data.actions ?? {}))
        out[`actions.${k}`] = JSON.stringify(e);
      return out;
    };
    const prev = flat(before.values);
    const next = flat(body.overrides);
    const changed = [...new Set([...Object.keys(prev), ...Object.keys(next)])]
      .filter((k) => prev[k] !== next[k])
      .sort();
    await this.audit.record(actor, 'plan.effort_update', 'plan_effort', String(version), {
      version,
      changed,
    });
    return this.effort(actor.organizationId);
  }
}
