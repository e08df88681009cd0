import type { PlanStatus, Prisma, PrismaClient } from '../generated/prisma/client.js';

const META = {
  id: true,
  organizationId: true,
  clusterId: true,
  scanId: true,
  targetLevel: true,
  targetPillar: true,
  policyDialect: true,
  status: true,
  reason: true,
  effortVersion: true,
  plan: true,
  verification: true,
  bundleSha256: true,
  bundleBytes: true,
  bundleFiles: true,
  bundleObjects: true,
  requestedById: true,
  createdAt: true,
  finishedAt: true,
  cluster: { select: { name: true } },
  scan: { select: { collectedAt: true } },
} as const;

/** How a plan job ended (everything but the bundle bytes is shown by the API). */
export type PlanOutcomeRow =
  | {
      status: 'ready';
      plan: unknown;
      verification: unknown;
      bundle: {
        zip: Uint8Array<ArrayBuffer>;
        sha256: string;
        files: number;
        objects: number;
      } | null;
    }
  | { status: 'unreachable' | 'refused'; reason: string; plan: unknown; verification: unknown };

/**
 * Plans to a target level, per cluster: requested by the API, computed by the worker
 * (`cluster.plan`), listed, downloaded (the bundle zip). The organisation's effort overrides are
 * versioned like the cost assumptions.
 */
export class PlanRepository {
  constructor(private readonly db: PrismaClient) {}

  create(
    organizationId: string,
    input: {
      clusterId: string;
      scanId: string;
      targetLevel: number;
      targetPillar: string | null;
      policyDialect?: string;
      requestedById: string | null;
    },
  ) {
    return this.db.plan.create({ data: { organizationId, ...input }, select: META });
  }

  /**
   * What a plan request needs from the cluster's newest analysed scan, without reading the whole
   * result: its id, when it was collected, its levels (the stored summary), its AI-agent
   * accountability levels by pillar, and how many workloads it holds. Null when the cluster has no
   * analysed scan.
   */
  async basis(organizationId: string, clusterId: string) {
    const rows = await this.db.$queryRaw<
      {
        id: string;
        collectedAt: Date | null;
        summary: unknown;
        workloads: number | null;
        agentLevels: unknown;
      }[]
    >`
      SELECT s."id", s."collectedAt", s."summary",
             (r."result"->'steps'->'inventory'->'resourceCounts'->>'workloads')::int AS "workloads",
             (SELECT jsonb_object_agg(p->>'pillar', (p->>'level')::int)
                FROM jsonb_array_elements(COALESCE(r."result"->'steps'->'agents'->'pillars', '[]'::jsonb)) p
             ) AS "agentLevels"
      FROM "Scan" s JOIN "AnalysisResult" r ON r."scanId" = s."id" AND r."organizationId" = s."organizationId"
      WHERE s."organizationId" = ${organizationId}::uuid AND s."clusterId" = ${clusterId}::uuid
        AND s."status" = 'succeeded'
      ORDER BY s."createdAt" DESC, s."id" DESC
      LIMIT 1`;
    const row = rows[0];
    return row ? { ...row, workloads: row.workloads ?? 0 } : null;
  }

  get(organizationId: string, planId: string) {
    return this.db.plan.findFirst({ where: { id: planId, organizationId }, select: META });
  }

  /** One cluster's plans (or the organisation's when clusterId is null), newest first; cursor = plan id. */
  list(organizationId: string, clusterId: string | null, opts: { take: number; cursor?: string }) {
    return this.db.plan.findMany({
      where: { organizationId, ...(clusterId ? { clusterId } : {}) },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: opts.take,
      select: META,
      ...(opts.cursor ? { cursor: { id: opts.cursor }, skip: 1 } : {}),
    });
  }

  /**
   * The newest plan of a scan to a cluster level (pillar null) that is ready or unreachable (the
   * report's plan to the next level); with `current`, only one computed with that effort version
   * and not before `notBefore` (the newest cost assumptions).
   */
  nextLevel(
    organizationId: string,
    scanId: string,
    level: number,
    current?: { effortVersion: number; notBefore: Date | null },
  ) {
    return this.db.plan.findFirst({
      where: {
        organizationId,
        scanId,
        targetLevel: level,
        targetPillar: null,
        status: { in: ['ready', 'unreachable'] },
        ...(current === undefined ? {} : { effortVersion: current.effortVersion }),
        ...(current?.notBefore ? { createdAt: { gte: current.notBefore } } : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: META,
    });
  }

  /** Plans still expecting a job (queued or running), across organisations. */
  unfinished(olderThan: Date, limit = 1000): Promise<{ id: string; organizationId: string }[]> {
    return this.db.plan.findMany({
      where: { status: { in: ['queued', 'running'] }, createdAt: { lt: olderThan } },
      select: { id: true, organizationId: true },
      orderBy: { createdAt: 'asc' },
      take: limit,
    });
  }

  /** The bundle zip of a ready plan (null when none). */
  async bundle(organizationId: string, planId: string): Promise<Uint8Array | null> {
    const row = await this.db.plan.findFirst({
      where: { id: planId, organizationId, status: 'ready' },
      select: { bundle: true },
    });
    return row?.bundle ?? null;
  }

  /** -> running with the effort version used; false when the plan does not exist (for this org). */
  async markRunning(organizationId: string, planId: string, effortVersion: number) {
    const r = await this.db.plan.updateMany({
      where: { id: planId, organizationId },
      data: { status: 'running', reason: null, effortVersion },
    });
    return r.count === 1;
  }

  async complete(organizationId: string, planId: string, out: PlanOutcomeRow, now = new Date()) {
    const json = (v: unknown) =>
      v === null || v === undefined ? undefined : (v as Prisma.InputJsonValue);
    const status: PlanStatus = out.status;
    await this.db.plan.updateMany({
      where: { id: planId, organizationId },
      data:
        out.status === 'ready'
          ? {
              status,
              reason: null,
              plan: json(out.plan),
              verification: json(out.verification),
              bundle: out.bundle?.zip ?? null,
              bundleSha256: out.bundle?.sha256 ?? null,
              bundleBytes: out.bundle?.zip.byteLength ?? null,
              bundleFiles: out.bundle?.files ?? null,
              bundleObjects: out.bundle?.objects ?? null,
              finishedAt: now,
            }
          : {
              status,
              reason: out.reason.slice(0, 4000),
              plan: json(out.plan),
              verification: json(out.verification),
              bundle: null,
              finishedAt: now,
            },
    });
  }

  async fail(organizationId: string, planId: string, reason: string, now = new Date()) {
    await this.db.plan.updateMany({
      where: { id: planId, organizationId },
      data: { status: 'failed', reason: reason.slice(0, 2000), finishedAt: now },
    });
  }

  /** The current effort overrides with their version (0: never saved). */
  async currentEffort(organizationId: string) {
    const row = await this.db.planEffort.findFirst({
      where: { organizationId },
      orderBy: { version: 'desc' },
    });
    return row
      ? { version: row.version, values: row.values, createdAt: row.createdAt }
      : { version: 0, values: {}, createdAt: null };
  }

  /** Save a new version of the effort overrides (history is kept); returns the new version. */
  async saveEffort(organizationId: string, values: unknown, createdById: string | null) {
    return this.db.$transaction(async (tx) => {
      const last = await tx.planEffort.findFirst({
        where: { organizationId },
        orderBy: { version: 'desc' },
        select: { version: true },
      });
      const version = (last?.version ?? 0) + 1;
      await tx.planEffort.create({
        data: { organizationId, version, values: values as Prisma.InputJsonValue, createdById },
      });
      return version;
    });
  }
}
