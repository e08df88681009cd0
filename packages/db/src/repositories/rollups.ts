import { randomUUID } from 'node:crypto';
import type { PreparedQueries } from '../client.js';
import { FLEET_STAMP_SQL } from './stamps.js';
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';

/** A cluster's newest analysed scan, without its digest (cheap: the roll-up caches digests). */
export interface LatestScanStamp {
  clusterId: string;
  clusterName: string;
  production: boolean;
  scanId: string;
  scanAt: Date;
  /** When its analysis was stored: with scanId, identifies the digest (re-analysis replaces it). */
  finishedAt: Date | null;
}

/** The stored views of the roll-up, one column each. */
export type RollupView = 'overview' | 'agents' | 'actions';

export interface OverviewRead {
  organizationName: string;
  computedAt: Date | null;
  overview: unknown;
  /** The stored view is the one the caller said it has (`overview` is then null). */
  same: boolean;
  status: string | null;
  error: string | null;
  failedAt: Date | null;
  /**
   * Changes whenever a cluster of the organisation, or any of its scans or results, is written
   * or deleted (count and newest of its clusters' read stamps; see the read_stamps migration).
   */
  clustersStamp: string;
  /** The organisation's current cost assumptions (version 0, no values: the defaults). */
  assumptions: { version: number; values: unknown };
  /**
   * Every cluster with the status of its newest scan, live (joined in the same query); null when
   * `clustersStamp` is the one the caller said it has.
   */
  clusters: OverviewCluster[] | null;
}

export interface OverviewCluster {
  id: string;
  name: string;
  production: boolean;
  lastScanAt: string | null;
  status: string | null;
}

export class RollupRepository {
  constructor(
    private readonly db: PrismaClient,
    private readonly prepared: PreparedQueries,
  ) {}

  /** Per cluster of the organisation, its newest succeeded scan (ids and times): one query. */
  latestScanStamps(organizationId: string): Promise<LatestScanStamp[]> {
    return this.db.$queryRaw<LatestScanStamp[]>`
      SELECT c."id" AS "clusterId", c."name" AS "clusterName",
             COALESCE(c."environment" = 'production', c."production") AS "production",
             s."id" AS "scanId", s."createdAt" AS "scanAt", s."finishedAt"
      FROM "Cluster" c
      JOIN LATERAL (
        SELECT "id", "createdAt", "finishedAt" FROM "Scan"
        WHERE "organizationId" = c."organizationId" AND "clusterId" = c."id"
          AND "status" = 'succeeded'
        ORDER BY "createdAt" DESC, "id" DESC LIMIT 1
      ) s ON true
      WHERE c."organizationId" = ${organizationId}::uuid
      ORDER BY c."name" ASC, c."id" ASC`;
  }

  /** The stored digests of some scans of the organisation (scan id -> digest; null if none). */
  async digests(organizationId: string, scanIds: readonly string[]): Promise<Map<string, unknown>> {
    if (!scanIds.length) return new Map();
    const rows = await this.db.scan.findMany({
      where: { organizationId, id: { in: [...scanIds] } },
      select: { id: true, digest: true },
    });
    return new Map(rows.map((r) => [r.id, r.digest]));
  }

  /**
   * The overview read in one query: the stored overview view, the roll-up's status, the
   * organisation's name, the clusters' stamp and every cluster with its newest scan's status
   * (live). What the caller says it has (`known`: the view's time, the clusters' stamp) is not
   * sent again (`same: true`, `clusters: null`).
   */
  async overviewRead(
    organizationId: string,
    known: { computedAt?: Date; clustersStamp?: string } = {},
  ): Promise<OverviewRead | null> {
    const rows = await this.prepared.rows<OverviewRead>(
      'plumbline.overview-read.v2',
      `
      WITH st AS (SELECT ${FLEET_STAMP_SQL} AS "stamp")
      SELECT o."name" AS "organizationName", r."computedAt",
             CASE WHEN (r."computedAt" = $2::timestamptz) IS TRUE THEN NULL
                  ELSE r."overview" END AS "overview",
             (r."computedAt" = $2::timestamptz) IS TRUE AS "same",
             r."status", r."error",
             r."failedAt",
             st."stamp" AS "clustersStamp",
             coalesce((SELECT json_build_object('version', a."version", 'values', a."values")
                       FROM "CostAssumptions" a WHERE a."organizationId" = o."id"
                       ORDER BY a."version" DESC LIMIT 1),
                      json_build_object('version', 0, 'values', '{}'::json)) AS "assumptions",
             CASE WHEN st."stamp" = $3::text THEN NULL
             ELSE coalesce((SELECT json_agg(json_build_object(
                       'id', c."id", 'name', c."name", 'production', COALESCE(c."environment" = 'production', c."production"),
                       'lastScanAt', c."lastScanAt", 'status', ls."status")
                     ORDER BY c."name", c."id")
              FROM "Cluster" c
              LEFT JOIN LATERAL (
                SELECT "status"::text AS "status" FROM "Scan"
                WHERE "organizationId" = c."organizationId" AND "clusterId" = c."id"
                ORDER BY "createdAt" DESC, "id" DESC LIMIT 1
              ) ls ON true
              WHERE c."organizationId" = o."id"), '[]'::json) END AS "clusters"
      FROM "Organization" o
      CROSS JOIN st
      LEFT JOIN "OrgRollup" r ON r."organizationId" = o."id"
      WHERE o."id" = $1::uuid`,
      [organizationId, known.computedAt ?? null, known.clustersStamp ?? null],
    );
    return rows[0] ?? null;
  }

  /**
   * One stored view of the roll-up with its time, in one query (null: never rolled up). When
   * `known` is the stored time, the body is not sent (`body: undefined`): the caller has it.
   */
  async view(
    organizationId: string,
    view: RollupView,
    known?: Date,
  ): Promise<{ computedAt: Date; body: unknown } | null> {
    const rows = await this.db.$queryRaw<{ computedAt: Date; same: boolean; body: unknown }[]>`
      SELECT "computedAt", ("computedAt" = ${known ?? null}::timestamptz) IS TRUE AS "same",
             CASE WHEN ("computedAt" = ${known ?? null}::timestamptz) IS TRUE THEN NULL
                  WHEN ${view}::text = 'overview' THEN "overview"
                  WHEN ${view}::text = 'agents' THEN "agents"
                  ELSE "actions" END AS "body"
      FROM "OrgRollup" WHERE "organizationId" = ${organizationId}::uuid`;
    const row = rows[0];
    if (!row) return null;
    return { computedAt: row.computedAt, body: row.same ? undefined : row.body };
  }

  /**
   * Store the roll-up and its views; the roll-up is current again (status ok). `computedAt` is
   * when it read its inputs: a stored roll-up that read them later is kept (an older one never
   * replaces it; the placeholder row of a first roll-up that failed always is). Answers
   * `computedAt`.
   */
  async saveWithViews(
    organizationId: string,
    methodologyVersion: string,
    result: unknown,
    views: Record<RollupView, unknown>,
    computedAt = new Date(),
  ): Promise<Date> {
    // One statement with the JSON as text: Prisma's own JSON arguments are serialised value by
    // value, which costs more than the roll-up itself for a large fleet.
    const json = (v: unknown) => JSON.stringify(v ?? null);
    await this.db.$executeRaw`
      INSERT INTO "OrgRollup" ("id", "organizationId", "methodologyVersion", "result", "overview",
                               "agents", "actions", "status", "error", "failedAt", "computedAt")
      VALUES (${randomUUID()}::uuid, ${organizationId}::uuid, ${methodologyVersion},
              ${json(withoutAgents(result))}::jsonb, ${json(views.overview)}::jsonb,
              ${json(views.agents)}::jsonb, ${json(views.actions)}::jsonb, 'ok', NULL, NULL,
              ${computedAt}::timestamptz)
      ON CONFLICT ("organizationId") DO UPDATE SET
        "methodologyVersion" = EXCLUDED."methodologyVersion", "result" = EXCLUDED."result",
        "overview" = EXCLUDED."overview", "agents" = EXCLUDED."agents",
        "actions" = EXCLUDED."actions", "status" = 'ok', "error" = NULL, "failedAt" = NULL,
        "computedAt" = EXCLUDED."computedAt"
      WHERE "OrgRollup"."computedAt" <= EXCLUDED."computedAt"
         OR "OrgRollup"."methodologyVersion" = ''`;
    return computedAt;
  }

  /** The last roll-up failed: say so (the stored views stay, they are the last good ones). */
  async markFailed(organizationId: string, error: string, now = new Date()): Promise<void> {
    const data = { status: 'failed', error: error.slice(0, 1000), failedAt: now };
    await this.db.orgRollup.upsert({
      where: { organizationId },
      create: {
        organizationId,
        methodologyVersion: '',
        result: {},
        computedAt: now,
        ...data,
      },
      update: data,
    });
  }

  /** How many organisations' last roll-up failed (for /readyz; no ids leave this method). */
  failedCount(): Promise<number> {
    return this.db.orgRollup.count({ where: { status: 'failed' } });
  }

  /** Whether this organisation's last roll-up failed, and why. */
  status(organizationId: string) {
    return this.db.orgRollup.findUnique({
      where: { organizationId },
      select: { status: true, error: true, failedAt: true, computedAt: true },
    });
  }

  /** The trend points of the stored roll-up (the next roll-up appends to them). */
  async previousTrends(organizationId: string): Promise<unknown> {
    const rows = await this.db.$queryRaw<{ trends: unknown }[]>`
      SELECT "result"->'trends' AS "trends" FROM "OrgRollup"
      WHERE "organizationId" = ${organizationId}::uuid`;
    return rows[0]?.trends ?? null;
  }

  /** What the stored roll-up was computed with: methodology, cost model and assumptions. */
  async previousBasis(organizationId: string): Promise<{
    methodologyVersion: string;
    modelVersion: unknown;
    assumptions: unknown;
  } | null> {
    const rows = await this.db.$queryRaw<
      { methodologyVersion: string; modelVersion: unknown; assumptions: unknown }[]
    >`
      SELECT "methodologyVersion", "result"->'integrationTax'->'modelVersion' AS "modelVersion",
             "result"->'integrationTax'->'assumptions' AS "assumptions"
      FROM "OrgRollup" WHERE "organizationId" = ${organizationId}::uuid`;
    return rows[0] ?? null;
  }

  /** When the roll-up was last computed, and its shape version (cheap: no result body). */
  async stamp(organizationId: string): Promise<{ computedAt: Date; version: number } | null> {
    const rows = await this.db.$queryRaw<{ computedAt: Date; version: number | null }[]>`
      SELECT "computedAt", ("result"->>'rollupVersion')::int AS "version"
      FROM "OrgRollup" WHERE "organizationId" = ${organizationId}::uuid`;
    const row = rows[0];
    return row ? { computedAt: row.computedAt, version: row.version ?? 0 } : null;
  }

  /** The current assumption overrides with their version (0: never saved). */
  async currentAssumptions(organizationId: string) {
    const row = await this.db.costAssumptions.findFirst({
      where: { organizationId },
      orderBy: { version: 'desc' },
    });
    return row
      ? { version: row.version, values: row.values, createdAt: row.createdAt }
      : { version: 0, values: {}, createdAt: null };
  }

  /**
   * Save a new version of the overrides (history is kept). Returns the new version, when it was
   * saved and the overrides it replaced (what an audit entry names as changed), all from one
   * statement.
   */
  async saveAssumptions(
    organizationId: string,
    values: unknown,
    createdById: string | null,
  ): Promise<{ version: number; createdAt: Date; previous: unknown }> {
    // One statement (the next version and the row together); two saves at once that pick the
    // same version collide on (organizationId, version) and the later one takes the next.
    for (let attempt = 1; ; attempt++) {
      try {
        const rows = await this.prepared.rows<{
          version: number;
          createdAt: Date;
          previous: unknown;
        }>(
          'plumbline.assumptions-save.v2',
          `WITH prev AS (
             SELECT "version", "values" FROM "CostAssumptions" WHERE "organizationId" = $1::uuid
             ORDER BY "version" DESC LIMIT 1)
           INSERT INTO "CostAssumptions" ("id", "organizationId", "version", "values", "createdById")
           SELECT gen_random_uuid(), $1::uuid, coalesce((SELECT "version" FROM prev), 0) + 1,
                  $2::jsonb, $3::uuid
           RETURNING "version", "createdAt", (SELECT "values" FROM prev) AS "previous"`,
          [organizationId, JSON.stringify(values), createdById],
        );
        const row = rows[0]!;
        return { version: row.version, createdAt: row.createdAt, previous: row.previous ?? {} };
      } catch (e) {
        if (attempt < 20 && (e as { code?: unknown }).code === '23505') continue;
        throw e;
      }
    }
  }

  /** The newest cost-assumption overrides of the organisation (empty when none were saved). */
  async costAssumptions(organizationId: string): Promise<unknown> {
    const row = await this.db.costAssumptions.findFirst({
      where: { organizationId },
      orderBy: { version: 'desc' },
    });
    return row?.values ?? {};
  }

  async save(organizationId: string, methodologyVersion: string, result: unknown): Promise<void> {
    const data = {
      methodologyVersion,
      result: result as Prisma.InputJsonValue,
      computedAt: new Date(),
    };
    await this.db.orgRollup.upsert({
      where: { organizationId },
      create: { organizationId, ...data },
      update: data,
    });
  }

  /** The stored roll-up, its result whole again (with the agents view: see withoutAgents). */
  async get(organizationId: string) {
    const row = await this.db.orgRollup.findUnique({ where: { organizationId } });
    if (!row) return null;
    const result = row.result;
    if (isJsonObject(result) && !('agents' in result) && row.agents !== null)
      return { ...row, result: { ...result, agents: row.agents } };
    return row;
  }

  /**
   * System maintenance, the one read across organisations: succeeded scans analysed under an
   * older methodology, as ids grouped by organisation (no customer data leaves this method).
   */
  async staleScans(methodologyVersion: string, limit = 10_000): Promise<Map<string, string[]>> {
    const rows = await this.db.scan.findMany({
      // An older methodology, or analysed before digests were stored.
      where: {
        status: 'succeeded',
        OR: [{ NOT: { methodologyVersion } }, { digest: { equals: Prisma.DbNull } }],
      },
      select: { id: true, organizationId: true },
      take: limit,
      orderBy: { createdAt: 'asc' },
    });
    const byOrg = new Map<string, string[]>();
    for (const r of rows)
      byOrg.set(r.organizationId, [...(byOrg.get(r.organizationId) ?? []), r.id]);
    return byOrg;
  }
}

const isJsonObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The roll-up result as stored: without its agents view, which `saveWithViews` stores once, in
 * the `agents` column (`get` puts it back). That view is most of a large fleet's roll-up (every
 * agent finding of every cluster: about 10 MiB of JSON for 500 clusters), and PostgreSQL parsed,
 * compressed and logged it twice per roll-up; reading `trends` or the pricing basis out of the
 * result also decompressed all of it.
 */
function withoutAgents(result: unknown): unknown {
  if (!isJsonObject(result) || !('agents' in result)) return result;
  const { agents: _stored, ...rest } = result;
  return rest;
}
