import { createHash } from 'node:crypto';
import { Prisma } from '../generated/prisma/client.js';
import type { PreparedQueries } from '../client.js';
import { EVIDENCE_STAMP_SQL, FLEET_STAMP_SQL } from './stamps.js';
import type { Cluster, PrismaClient, Scan } from '../generated/prisma/client.js';

/** A UUID as PostgreSQL's uuid type reads it (any version): anything else names no row. */
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export interface NewSnapshot {
  clusterExternalId: string;
  clusterName: string;
  contentHash: string;
  schemaVersion: number;
  gzip: Uint8Array<ArrayBuffer>;
  rawBytes: number;
  /** Production or not, inferred from the snapshot (labels, name); an admin's setting wins. */
  inferred?: { production: boolean; reason: string };
}

export const CLUSTER_ENVIRONMENTS = ['production', 'non-production'] as const;
export type ClusterEnvironment = (typeof CLUSTER_ENVIRONMENTS)[number];

/** A cluster as readers see it: `production` is the admin's setting when set, else the inference. */
export function withEffectiveEnvironment<C extends Cluster>(c: C): C {
  return c.environment === null ? c : { ...c, production: c.environment === 'production' };
}

export interface StoredSnapshot {
  scan: Scan;
  cluster: Cluster;
  /** False when the same content was uploaded before: the original scan is returned. */
  created: boolean;
}

export class ClusterRepository {
  constructor(
    private readonly db: PrismaClient,
    private readonly prepared: PreparedQueries,
  ) {}

  async list(organizationId: string): Promise<Cluster[]> {
    const rows = await this.db.cluster.findMany({
      where: { organizationId },
      orderBy: { name: 'asc' },
    });
    return rows.map(withEffectiveEnvironment);
  }

  async get(organizationId: string, clusterId: string): Promise<Cluster | null> {
    const c = await this.db.cluster.findFirst({ where: { id: clusterId, organizationId } });
    return c ? withEffectiveEnvironment(c) : null;
  }

  /**
   * What a cached page of this cluster must match to still be current: the cluster's read stamp
   * (moves on any write to the cluster, its scans or their results) and the organisation's cost
   * assumptions version, in one query; null when the organisation has no such cluster.
   */
  async pageStamp(organizationId: string, clusterId: string): Promise<string | null> {
    const rows = await this.prepared.rows<{ stamp: string }>(
      'plumbline.cluster-page-stamp.v1',
      `SELECT rs."stamp"::text || '/' || coalesce((
               SELECT max("version") FROM "CostAssumptions"
               WHERE "organizationId" = $1::uuid), 0)::text AS "stamp"
      FROM "ClusterReadStamp" rs
      WHERE rs."clusterId" = $2::uuid AND rs."organizationId" = $1::uuid`,
      [organizationId, clusterId],
    );
    return rows[0]?.stamp ?? null;
  }

  /**
   * Moves whenever a cluster of the organisation, or any of its scans or results, is written or
   * deleted (count and newest of the clusters' read stamps): one index-only query.
   */
  async fleetStamp(organizationId: string): Promise<string> {
    const rows = await this.prepared.rows<{ stamp: string }>(
      'plumbline.fleet-stamp.v2',
      `SELECT ${FLEET_STAMP_SQL} AS "stamp"`,
      [organizationId],
    );
    return rows[0]!.stamp;
  }

  /**
   * What pricing the fleet reads, in one statement: the fleet stamp (as fleetStamp) and the
   * evidence stamp (as evidence.stamp: count and newest upload).
   */
  async pricingStamps(organizationId: string): Promise<{ fleet: string; evidence: string }> {
    const rows = await this.prepared.rows<{ fleet: string; evidence: string }>(
      'plumbline.pricing-stamps.v2',
      `SELECT ${FLEET_STAMP_SQL} AS "fleet", ${EVIDENCE_STAMP_SQL} AS "evidence"`,
      [organizationId],
    );
    return rows[0]!;
  }

  /** Per cluster, the collection time of its oldest scan (what "first seen" means to a user). */
  async firstCollected(organizationId: string): Promise<Map<string, Date>> {
    const rows = await this.db.scan.groupBy({
      by: ['clusterId'],
      where: { organizationId, collectedAt: { not: null } },
      _min: { collectedAt: true },
    });
    const out = new Map<string, Date>();
    for (const r of rows) if (r._min.collectedAt) out.set(r.clusterId, r._min.collectedAt);
    return out;
  }

  /**
   * Clusters with `firstSeenAt`: the collection time of the oldest scan, or when the cluster was
   * registered if that is earlier (a backdated or replayed scan is seen before it was uploaded).
   */
  async withFirstSeen(
    organizationId: string,
    clusters: readonly Cluster[],
  ): Promise<(Cluster & { firstSeenAt: Date })[]> {
    const first = await this.firstCollected(organizationId);
    return clusters.map((c) => {
      const collected = first.get(c.id);
      return {
        ...c,
        firstSeenAt: collected && collected < c.createdAt ? collected : c.createdAt,
      };
    });
  }

  /** Set (or clear, with null) the environment an admin chose; null when the cluster is not found. */
  async setEnvironment(
    organizationId: string,
    clusterId: string,
    environment: ClusterEnvironment | null,
  ): Promise<Cluster | null> {
    const r = await this.db.cluster.updateMany({
      where: { id: clusterId, organizationId },
      data: { environment },
    });
    return r.count ? this.get(organizationId, clusterId) : null;
  }

  /** The newest scan of a cluster, whatever its status. */
  latestScan(organizationId: string, clusterId: string): Promise<Scan | null> {
    return this.db.scan.findFirst({
      where: { organizationId, clusterId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
  }

  /** The newest succeeded scan of a cluster and the id of its stored result. */
  async latestSucceeded(organizationId: string, clusterId: string) {
    return this.db.scan.findFirst({
      where: { organizationId, clusterId, status: 'succeeded' },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      include: { result: { select: { id: true } } },
    });
  }

  /** The newest succeeded scan of a cluster created before a time. */
  latestSucceededBefore(organizationId: string, clusterId: string, before: Date) {
    return this.db.scan.findFirst({
      where: { organizationId, clusterId, status: 'succeeded', createdAt: { lt: before } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true },
    });
  }

  /** Per cluster of the organisation, the status and time of its newest scan. */
  async newestStatuses(
    organizationId: string,
  ): Promise<Map<string, { status: string; createdAt: Date }>> {
    const rows = await this.db.$queryRaw<
      { clusterId: string; status: string; createdAt: Date }[]
    >`SELECT DISTINCT ON ("clusterId") "clusterId", "status"::text AS "status", "createdAt"
      FROM "Scan" WHERE "organizationId" = ${organizationId}::uuid
      ORDER BY "clusterId", "createdAt" DESC, "id" DESC`;
    return new Map(rows.map((r) => [r.clusterId, { status: r.status, createdAt: r.createdAt }]));
  }

  /** Scan history of a cluster with each scan's summary, newest first, cursor = scan id. */
  history(organizationId: string, clusterId: string, opts: { take: number; cursor?: string }) {
    return this.db.scan.findMany({
      where: { organizationId, clusterId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: opts.take,
      select: { id: true, status: true, createdAt: true, collectedAt: true, summary: true },
      ...(opts.cursor ? { cursor: { id: opts.cursor }, skip: 1 } : {}),
    });
  }

  /** Summaries of a cluster's succeeded scans created before a time, oldest first. */
  summariesBefore(organizationId: string, clusterId: string, before: Date) {
    return this.db.scan.findMany({
      where: { organizationId, clusterId, status: 'succeeded', createdAt: { lt: before } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true, summary: true },
    });
  }

  /** Scans of one cluster, newest first, with cursor pagination (cursor = scan id). */
  scans(organizationId: string, clusterId: string, opts: { take: number; cursor?: string }) {
    return this.db.scan.findMany({
      where: { organizationId, clusterId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: opts.take,
      ...(opts.cursor ? { cursor: { id: opts.cursor }, skip: 1 } : {}),
    });
  }
}

export class ScanRepository {
  constructor(private readonly db: PrismaClient) {}

  /**
   * Store an uploaded snapshot: match or create its cluster, then the scan and its gzip bytes,
   * all in one transaction. Idempotent by (organization, content hash).
   */
  async storeSnapshot(organizationId: string, input: NewSnapshot): Promise<StoredSnapshot> {
    // The stored bytes' own hash, which readers check them against (see getSnapshotBlob).
    const gzipSha256 = createHash('sha256').update(input.gzip).digest('hex');
    for (let attempt = 1; ; attempt++) {
      const existing = await this.findByContentHash(organizationId, input.contentHash);
      if (existing) return { ...existing, created: false };
      try {
        return await this.db.$transaction(async (tx) => {
          const cluster = await tx.cluster.upsert({
            where: {
              organizationId_externalId: { organizationId, externalId: input.clusterExternalId },
            },
            create: {
              organizationId,
              externalId: input.clusterExternalId,
              name: input.clusterName,
              ...(input.inferred
                ? {
                    production: input.inferred.production,
                    environmentReason: input.inferred.reason,
                  }
                : {}),
            },
            update: {
              name: input.clusterName,
              ...(input.inferred
                ? {
                    production: input.inferred.production,
                    environmentReason: input.inferred.reason,
                  }
                : {}),
            },
          });
          const scan = await tx.scan.create({
            data: { organizationId, clusterId: cluster.id, contentHash: input.contentHash },
          });
          await tx.snapshotBlob.create({
            data: {
              organizationId,
              scanId: scan.id,
              schemaVersion: input.schemaVersion,
              gzip: input.gzip,
              gzipSha256,
              compressedBytes: input.gzip.byteLength,
              rawBytes: input.rawBytes,
            },
          });
          return { scan, cluster, created: true };
        });
      } catch (e) {
        // Identical uploads raced (unique violation, write conflict or deadlock on the cluster
        // row): look again; the winner's scan is returned as a duplicate.
        const raced =
          e instanceof Prisma.PrismaClientKnownRequestError &&
          (e.code === 'P2002' || e.code === 'P2034');
        if (!raced || attempt >= 5) throw e;
      }
    }
  }

  private async findByContentHash(
    organizationId: string,
    contentHash: string,
  ): Promise<{ scan: Scan; cluster: Cluster } | null> {
    const scan = await this.db.scan.findUnique({
      where: { organizationId_contentHash: { organizationId, contentHash } },
      include: { cluster: true },
    });
    if (!scan) return null;
    const { cluster, ...rest } = scan;
    return { scan: rest, cluster };
  }

  get(organizationId: string, scanId: string): Promise<Scan | null> {
    return this.db.scan.findFirst({ where: { id: scanId, organizationId } });
  }

  /**
   * Scans the database still expects a job for (queued or running), across organisations, for
   * the worker's reconciler (a system task: it re-queues jobs, each scoped by its organisation).
   * `olderThan` leaves out uploads whose request is still queuing them.
   */
  unfinished(olderThan: Date, limit = 1000): Promise<{ id: string; organizationId: string }[]> {
    return this.db.scan.findMany({
      where: { status: { in: ['queued', 'running'] }, createdAt: { lt: olderThan } },
      select: { id: true, organizationId: true },
      orderBy: { createdAt: 'asc' },
      take: limit,
    });
  }

  /**
   * Record that these scans (of this organisation) are to be analysed again (an evidence
   * change): kept until an analysis that started after it finishes or fails for good, so a
   * re-analysis whose job the queue lost is found by `reanalysisDue`. Malformed ids name no scan.
   */
  async requestReanalysis(organizationId: string, scanIds: string[], now = new Date()) {
    const ids = scanIds.filter((id) => UUID.test(id));
    if (!ids.length || !UUID.test(organizationId)) return;
    await this.db.$executeRaw`
      UPDATE "Scan" SET "reanalyzeRequestedAt" = ${now}
      WHERE "organizationId" = ${organizationId}::uuid AND "id" = ANY(${ids}::uuid[])`;
  }

  /**
   * Re-analyses asked for before `olderThan` and not done yet, across organisations, for the
   * worker's reconciler (each then queued for its own organisation).
   */
  reanalysisDue(olderThan: Date, limit = 1000): Promise<{ id: string; organizationId: string }[]> {
    return this.db.scan.findMany({
      where: { reanalyzeRequestedAt: { lt: olderThan } },
      select: { id: true, organizationId: true },
      orderBy: { reanalyzeRequestedAt: 'asc' },
      take: limit,
    });
  }

  /**
   * The stored gzip bytes with the hash recorded when they were written (null for blobs stored
   * before it was): a reader that finds the bytes still hash to it reads what was stored.
   */
  async getSnapshotBlob(
    organizationId: string,
    scanId: string,
  ): Promise<{ gzip: Uint8Array; gzipSha256: string | null } | null> {
    return this.db.snapshotBlob.findFirst({
      where: { scanId, organizationId },
      select: { gzip: true, gzipSha256: true },
    });
  }

  getResult(organizationId: string, scanId: string) {
    return this.db.analysisResult.findFirst({ where: { scanId, organizationId } });
  }

  /**
   * queued|running|failed -> running; a succeeded scan (re-analysed after an evidence change)
   * stays succeeded: it keeps its stored result until completeWithResult replaces it in one
   * transaction, so the roll-up, the pages and the reports, which read each cluster's newest
   * succeeded scan, never fall back to an older scan while it is re-analysed. Returns the run's
   * number (the scan's attempts so far, this one included: completeWithResult stores a result
   * only for the newest run), or null when the scan does not exist (for this org).
   */
  async markRunning(
    organizationId: string,
    scanId: string,
    now = new Date(),
  ): Promise<number | null> {
    if (!UUID.test(scanId) || !UUID.test(organizationId)) return null;
    const rows = await this.db.$queryRaw<{ attempts: number }[]>`
      UPDATE "Scan"
      SET "status" = CASE WHEN "status" = 'succeeded'::"ScanStatus" THEN "status"
                          ELSE 'running'::"ScanStatus" END,
          "startedAt" = ${now},
          "attempts" = "attempts" + 1,
          "error" = NULL
      WHERE "id" = ${scanId}::uuid AND "organizationId" = ${organizationId}::uuid
      RETURNING "attempts"`;
    return rows[0]?.attempts ?? null;
  }

  /**
   * Replace the scan's analysis result and mark it succeeded, atomically. Given the `run` number
   * markRunning returned, the result is stored only when no later run of the scan has started
   * (two analyses of one scan, say after two evidence changes, can finish out of order: the one
   * that started last read the newest evidence, and its result must be the one kept). Returns
   * false when a later run superseded this one (nothing written).
   */
  async completeWithResult(
    organizationId: string,
    scanId: string,
    result: {
      methodologyVersion: string;
      resultVersion: number;
      body: unknown;
      /** Digest for history and trends (ScanSummary in packages/contracts). */
      summary?: unknown;
      /** Digest for the organisation roll-up and pricing (ClusterDigest in packages/contracts). */
      digest?: unknown;
      collectedAt?: Date;
    },
    options: { now?: Date; run?: number } = {},
  ): Promise<boolean> {
    const now = options.now ?? new Date();
    return this.db.$transaction(
      async (tx) => {
        // The row, locked: a run starting now (markRunning) waits for this transaction, so it
        // starts after this result is stored and replaces it.
        const [scan] = UUID.test(scanId)
          ? await tx.$queryRaw<{ clusterId: string; attempts: number; requestDone: boolean }[]>`
              SELECT "clusterId"::text AS "clusterId", "attempts",
                     ("reanalyzeRequestedAt" <= "startedAt") IS TRUE AS "requestDone"
              FROM "Scan"
              WHERE "id" = ${scanId}::uuid AND "organizationId" = ${organizationId}::uuid
              FOR UPDATE`
          : [];
        if (!scan) throw new Error(`scan ${scanId} not found in organization ${organizationId}`);
        if (options.run !== undefined && scan.attempts !== options.run) return false;
        await tx.analysisResult.deleteMany({ where: { scanId, organizationId } });
        await tx.analysisResult.create({
          data: {
            organizationId,
            scanId,
            methodologyVersion: result.methodologyVersion,
            resultVersion: result.resultVersion,
            result: result.body as Prisma.InputJsonValue,
          },
        });
        await tx.scan.update({
          where: { id: scanId },
          data: {
            status: 'succeeded',
            finishedAt: now,
            error: null,
            methodologyVersion: result.methodologyVersion,
            ...(result.summary !== undefined
              ? { summary: result.summary as Prisma.InputJsonValue }
              : {}),
            ...(result.digest !== undefined
              ? { digest: result.digest as Prisma.InputJsonValue }
              : {}),
            ...(result.collectedAt ? { collectedAt: result.collectedAt } : {}),
            // A re-analysis asked for before this run started is done; one asked for since is
            // not (read under the row lock above, so no request slips in between).
            ...(scan.requestDone ? { reanalyzeRequestedAt: null } : {}),
          },
        });
        await tx.cluster.update({ where: { id: scan.clusterId }, data: { lastScanAt: now } });
        return true;
      },
      // Results of very large clusters are tens of megabytes: more than Prisma's 5 s default.
      { timeout: 60_000, maxWait: 10_000 },
    );
  }

  /**
   * Record that the scan's analysis failed for good. A scan never analysed turns failed. A
   * succeeded scan whose re-analysis failed (an evidence change or a new methodology) keeps its
   * status and its stored result, which the pages, roll-up and reports go on reading, with the
   * error recorded: the result it had is still the last valid one (and a newer methodology's
   * re-analysis is tried again at the next worker start).
   */
  async markFailed(organizationId: string, scanId: string, error: string, now = new Date()) {
    if (!UUID.test(scanId) || !UUID.test(organizationId)) return;
    await this.db.$executeRaw`
      UPDATE "Scan"
      SET "finishedAt" = CASE WHEN "status" = 'succeeded'::"ScanStatus" THEN "finishedAt"
                              ELSE ${now} END,
          "status" = CASE WHEN "status" = 'succeeded'::"ScanStatus" THEN "status"
                          ELSE 'failed'::"ScanStatus" END,
          "error" = ${error.slice(0, 2000)},
          -- Failed for good: a re-analysis asked for before this run is not asked again (it
          -- would fail the same way); one asked for since stays.
          "reanalyzeRequestedAt" = CASE WHEN "reanalyzeRequestedAt" <= "startedAt" THEN NULL
                                        ELSE "reanalyzeRequestedAt" END
      WHERE "id" = ${scanId}::uuid AND "organizationId" = ${organizationId}::uuid`;
  }
}
