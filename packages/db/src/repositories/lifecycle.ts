import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { AuditInput } from './audit.js';

const DAY_MS = 86_400_000;
/** Scans deleted per statement, so one retention run never builds a huge IN list. */
const PURGE_BATCH = 500;

export interface PurgeCounts {
  scans: number;
  snapshots: number;
  analysisResults: number;
}

export interface OrganizationCounts {
  members: number;
  invites: number;
  scannerTokens: number;
  clusters: number;
  scans: number;
  snapshots: number;
  analysisResults: number;
  evidence: number;
  selfAssessments: number;
  costAssumptions: number;
  reports: number;
  plans: number;
  planEfforts: number;
  riskAcceptances: number;
  clusterConnections: number;
  outboxEmails: number;
  alertRules: number;
  alertChannels: number;
  alertEvents: number;
  alertDeliveries: number;
  reportSchedules: number;
  auditEvents: number;
}

export type DeleteOrganizationOutcome =
  | {
      deleted: true;
      name: string;
      slug: string;
      counts: OrganizationCounts;
      usersDeleted: number;
      /** Every user who was a member (their sessions and roles must be forgotten by caches). */
      memberUserIds: string[];
    }
  | { deleted: false; reason: 'not_found' | 'slug_mismatch' };

/** Columns of a scanner token that may leave the database (never the hash). */
const tokenFields = {
  id: true,
  clusterId: true,
  name: true,
  displayPrefix: true,
  createdById: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

/**
 * Data lifecycle of an organisation: its snapshot retention, the export of all its data, and its
 * deletion. Every method is scoped by organisation except `organizationsWithExpiredScans`, the
 * daily sweep's system read, which returns ids only.
 */
export class LifecycleRepository {
  constructor(private readonly db: PrismaClient) {}

  async retentionDays(organizationId: string): Promise<number | null> {
    const org = await this.db.organization.findUnique({
      where: { id: organizationId },
      select: { snapshotRetentionDays: true },
    });
    return org?.snapshotRetentionDays ?? null;
  }

  /** Returns the previous value (null when the organisation does not exist). */
  async setRetentionDays(organizationId: string, days: number): Promise<number | null> {
    return this.db.$transaction(async (tx) => {
      const org = await tx.organization.findUnique({
        where: { id: organizationId },
        select: { snapshotRetentionDays: true },
      });
      if (!org) return null;
      await tx.organization.update({
        where: { id: organizationId },
        data: { snapshotRetentionDays: days },
      });
      return org.snapshotRetentionDays;
    });
  }

  /** System read for the daily sweep: ids of organisations holding scans past their retention. */
  async organizationsWithExpiredScans(now: Date = new Date()): Promise<string[]> {
    const rows = await this.db.$queryRaw<{ id: string }[]>`
      SELECT DISTINCT o.id::text AS id
      FROM "Organization" o
      JOIN "Scan" s ON s."organizationId" = o.id
      WHERE s."createdAt" < ${now}::timestamptz - make_interval(days => o."snapshotRetentionDays")
        AND s.status IN ('succeeded', 'failed')`;
    return rows.map((r) => r.id);
  }

  /**
   * Delete the organisation's finished scans (with their snapshots and analysis results) created
   * before now minus its retention. The newest succeeded scan of every cluster is always kept, so
   * each cluster keeps its current results however old they are; queued and running scans are
   * left alone (a job is working on them).
   */
  async purgeExpiredScans(organizationId: string, now: Date = new Date()): Promise<PurgeCounts> {
    const days = await this.retentionDays(organizationId);
    const counts: PurgeCounts = { scans: 0, snapshots: 0, analysisResults: 0 };
    if (days === null) return counts;
    const cutoff = new Date(now.getTime() - days * DAY_MS);
    for (;;) {
      const batch = await this.db.$transaction(async (tx) => {
        const keep = await newestSucceededPerCluster(tx, organizationId);
        const ids = (
          await tx.scan.findMany({
            where: {
              organizationId,
              createdAt: { lt: cutoff },
              status: { in: ['succeeded', 'failed'] },
              id: { notIn: keep },
            },
            select: { id: true },
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
            take: PURGE_BATCH,
          })
        ).map((s) => s.id);
        if (!ids.length) return null;
        const where = { organizationId, scanId: { in: ids } };
        const snapshots = await tx.snapshotBlob.count({ where });
        const analysisResults = await tx.analysisResult.count({ where });
        // Snapshots and results go with their scan (ON DELETE CASCADE).
        const scans = await tx.scan.deleteMany({ where: { organizationId, id: { in: ids } } });
        return { scans: scans.count, snapshots, analysisResults };
      });
      if (!batch) return counts;
      counts.scans += batch.scans;
      counts.snapshots += batch.snapshots;
      counts.analysisResults += batch.analysisResults;
      if (batch.scans < PURGE_BATCH) return counts;
    }
  }

  // ---- export (read in pages so the caller can stream) ----

  /** Everything small about the organisation; null when it does not exist. */
  async exportHeader(organizationId: string) {
    const organization = await this.db.organization.findUnique({ where: { id: organizationId } });
    if (!organization) return null;
    const where = { organizationId };
    const [
      memberships,
      invites,
      scannerTokens,
      clusters,
      selfAssessments,
      costAssumptions,
      reports,
      rollup,
      clusterConnections,
      plans,
      planEfforts,
      riskAcceptances,
      outboxEmails,
      alertRules,
      alertChannels,
      alertEvents,
      alertDeliveries,
      reportSchedules,
      ssoConfig,
      ssoDomains,
      ssoIdentities,
    ] = await Promise.all([
      this.db.membership.findMany({
        where,
        orderBy: { createdAt: 'asc' },
        select: {
          role: true,
          createdAt: true,
          // Never passwordHash nor the sealed TOTP secret: who the person is, and whether they
          // use two-factor authentication.
          user: {
            select: {
              id: true,
              email: true,
              name: true,
              createdAt: true,
              lastLoginAt: true,
              mfaEnabledAt: true,
            },
          },
        },
      }),
      this.db.invite.findMany({
        where,
        orderBy: { createdAt: 'asc' },
        omit: { tokenHash: true, organizationId: true },
      }),
      this.db.scannerToken.findMany({
        where,
        orderBy: { createdAt: 'asc' },
        select: tokenFields,
      }),
      this.db.cluster.findMany({
        where,
        orderBy: { createdAt: 'asc' },
        omit: { organizationId: true },
      }),
      this.db.selfAssessment.findMany({
        where,
        orderBy: { createdAt: 'asc' },
        omit: { organizationId: true },
      }),
      this.db.costAssumptions.findMany({
        where,
        orderBy: { version: 'asc' },
        omit: { organizationId: true },
      }),
      this.db.report.findMany({
        where,
        orderBy: { createdAt: 'asc' },
        // Metadata only: the PDFs can be downloaded one by one.
        omit: { pdf: true, organizationId: true },
      }),
      this.db.orgRollup.findUnique({ where, omit: { organizationId: true } }),
      this.db.clusterConnection.findMany({
        where,
        orderBy: { createdAt: 'asc' },
        // Never the app-encrypted token and CA data (not even as ciphertext).
        omit: { tokenCiphertext: true, caDataCiphertext: true, organizationId: true },
      }),
      this.db.plan.findMany({
        where,
        orderBy: { createdAt: 'asc' },
        // The plan and its verification; the bundle zips can be downloaded one by one.
        omit: { bundle: true, organizationId: true },
      }),
      this.db.planEffort.findMany({
        where,
        orderBy: { version: 'asc' },
        omit: { organizationId: true },
      }),
      this.db.riskAcceptance.findMany({
        where,
        orderBy: { createdAt: 'asc' },
        omit: { organizationId: true },
      }),
      this.db.outboxEmail.findMany({
        where,
        orderBy: { createdAt: 'asc' },
        // Who was mailed what and when; never the bodies (a queued one may hold a one-time link).
        omit: { text: true, html: true, leaseUntil: true, organizationId: true },
      }),
      this.db.alertRule.findMany({
        where,
        orderBy: { kind: 'asc' },
        omit: { organizationId: true },
      }),
      this.db.alertChannel.findMany({
        where,
        orderBy: { createdAt: 'asc' },
        // Never the sealed webhook secret (not even as ciphertext).
        omit: { secretCiphertext: true, organizationId: true },
      }),
      this.db.alertEvent.findMany({
        where,
        orderBy: { createdAt: 'asc' },
        omit: { organizationId: true },
      }),
      this.db.alertDelivery.findMany({
        where,
        orderBy: { createdAt: 'asc' },
        omit: { organizationId: true },
      }),
      this.db.reportSchedule.findMany({
        where,
        orderBy: { createdAt: 'asc' },
        omit: { organizationId: true },
      }),
      // Never the sealed client secret (not even as ciphertext); in-flight sign-ins are not kept.
      this.db.ssoConfig.findUnique({
        where,
        omit: { clientSecretCiphertext: true, organizationId: true },
      }),
      this.db.ssoDomain.findMany({
        where,
        orderBy: { createdAt: 'asc' },
        omit: { organizationId: true, claimedDomain: true },
      }),
      this.db.ssoIdentity.findMany({
        where,
        orderBy: { createdAt: 'asc' },
        omit: { organizationId: true },
      }),
    ]);
    return {
      organization,
      members: memberships.map((m) => ({ ...m.user, role: m.role, memberSince: m.createdAt })),
      invites,
      scannerTokens,
      clusters,
      selfAssessments,
      costAssumptions,
      reports,
      rollup,
      clusterConnections,
      plans,
      planEfforts,
      riskAcceptances,
      outboxEmails,
      alertRules,
      alertChannels,
      alertEvents,
      alertDeliveries,
      reportSchedules,
      singleSignOn: ssoConfig
        ? { ...ssoConfig, domains: ssoDomains, identities: ssoIdentities }
        : null,
    };
  }

  /** Scans with their analysis result, oldest first, after the cursor (a scan id). */
  scanPage(organizationId: string, take: number, cursor?: string) {
    return this.db.scan.findMany({
      where: { organizationId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      omit: { organizationId: true },
      include: {
        result: { select: { methodologyVersion: true, resultVersion: true, result: true } },
        snapshot: {
          select: { schemaVersion: true, compressedBytes: true, rawBytes: true, createdAt: true },
        },
      },
    });
  }

  /** Evidence uploads with their gzip content, oldest first, after the cursor. */
  evidencePage(organizationId: string, take: number, cursor?: string) {
    return this.db.evidenceUpload.findMany({
      where: { organizationId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      omit: { organizationId: true },
    });
  }

  auditPage(organizationId: string, take: number, cursor?: string) {
    return this.db.auditEvent.findMany({
      where: { organizationId },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
      take,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      omit: { organizationId: true },
    });
  }

  // ---- deletion ----

  /**
   * Delete the organisation and everything it owns, in one transaction, if `confirmSlug` is its
   * slug. Users left without any organisation are deleted too (with their sessions). The audit
   * event is written in the same transaction, with organizationId null so it outlives the
   * organisation; `audit.metadata` is extended with the name, slug and row counts.
   */
  async deleteOrganization(
    organizationId: string,
    confirmSlug: string,
    audit: Omit<AuditInput, 'organizationId' | 'targetType' | 'targetId'>,
  ): Promise<DeleteOrganizationOutcome> {
    return this.db.$transaction(
      async (tx) => {
        // Lock the row: a concurrent upload or invite waits for the outcome.
        const rows = await tx.$queryRaw<{ name: string; slug: string }[]>`
          SELECT name, slug FROM "Organization" WHERE id = ${organizationId}::uuid FOR UPDATE`;
        const org = rows[0];
        if (!org) return { deleted: false, reason: 'not_found' } as const;
        if (org.slug !== confirmSlug) return { deleted: false, reason: 'slug_mismatch' } as const;
        const where = { organizationId };
        const counts: OrganizationCounts = {
          members: await tx.membership.count({ where }),
          invites: await tx.invite.count({ where }),
          scannerTokens: await tx.scannerToken.count({ where }),
          clusters: await tx.cluster.count({ where }),
          scans: await tx.scan.count({ where }),
          snapshots: await tx.snapshotBlob.count({ where }),
          analysisResults: await tx.analysisResult.count({ where }),
          evidence: await tx.evidenceUpload.count({ where }),
          selfAssessments: await tx.selfAssessment.count({ where }),
          costAssumptions: await tx.costAssumptions.count({ where }),
          reports: await tx.report.count({ where }),
          plans: await tx.plan.count({ where }),
          planEfforts: await tx.planEffort.count({ where }),
          riskAcceptances: await tx.riskAcceptance.count({ where }),
          clusterConnections: await tx.clusterConnection.count({ where }),
          outboxEmails: await tx.outboxEmail.count({ where }),
          alertRules: await tx.alertRule.count({ where }),
          alertChannels: await tx.alertChannel.count({ where }),
          alertEvents: await tx.alertEvent.count({ where }),
          alertDeliveries: await tx.alertDelivery.count({ where }),
          reportSchedules: await tx.reportSchedule.count({ where }),
          auditEvents: await tx.auditEvent.count({ where }),
        };
        const memberIds = (await tx.membership.findMany({ where, select: { userId: true } })).map(
          (m) => m.userId,
        );
        // Every table with organizationId references Organization ON DELETE CASCADE.
        await tx.organization.delete({ where: { id: organizationId } });
        const users = await tx.user.deleteMany({
          where: { id: { in: memberIds }, memberships: { none: {} } },
        });
        await tx.auditEvent.create({
          data: {
            organizationId: null,
            actorType: audit.actorType,
            actorId: audit.actorId ?? null,
            action: audit.action,
            targetType: 'organization',
            targetId: organizationId,
            metadata: {
              ...(audit.metadata ?? {}),
              name: org.name,
              slug: org.slug,
              counts: { ...counts },
              usersDeleted: users.count,
            } as Prisma.InputJsonValue,
            ip: audit.ip ?? null,
            requestId: audit.requestId ?? null,
          },
        });
        return {
          deleted: true,
          name: org.name,
          slug: org.slug,
          counts,
          usersDeleted: users.count,
          memberUserIds: memberIds,
        } as const;
      },
      { timeout: 300_000, maxWait: 10_000 },
    );
  }
}

async function newestSucceededPerCluster(
  tx: Prisma.TransactionClient,
  organizationId: string,
): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT DISTINCT ON ("clusterId") id::text AS id
    FROM "Scan"
    WHERE "organizationId" = ${organizationId}::uuid AND status = 'succeeded'
    ORDER BY "clusterId", "createdAt" DESC, id DESC`;
  return rows.map((r) => r.id);
}
