import type { PrismaClient } from '../generated/prisma/client.js';

const META = {
  id: true,
  organizationId: true,
  clusterId: true,
  kind: true,
  targetId: true,
  title: true,
  owner: true,
  reason: true,
  expiresAt: true,
  createdById: true,
  createdAt: true,
  revokedAt: true,
  revokedById: true,
  cluster: { select: { name: true } },
} as const;

/** Accepted risks (criteria, caps or findings), per organisation; history is kept. */
export class RiskAcceptanceRepository {
  constructor(private readonly db: PrismaClient) {}

  create(
    organizationId: string,
    input: {
      clusterId: string | null;
      kind: string;
      targetId: string;
      title: string;
      owner: string;
      reason: string;
      expiresAt: Date;
      createdById: string | null;
    },
  ) {
    return this.db.riskAcceptance.create({ data: { organizationId, ...input }, select: META });
  }

  get(organizationId: string, id: string) {
    return this.db.riskAcceptance.findFirst({ where: { id, organizationId }, select: META });
  }

  /** Every acceptance, newest first (at most `take`). */
  list(organizationId: string, take = 500) {
    return this.db.riskAcceptance.findMany({
      where: { organizationId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
      select: META,
    });
  }

  /** Acceptances of a scope that are in force or expired at `now` (not revoked), oldest first. */
  unrevoked(organizationId: string, clusterId: string | null) {
    return this.db.riskAcceptance.findMany({
      where: {
        organizationId,
        revokedAt: null,
        ...(clusterId ? { OR: [{ clusterId }, { clusterId: null }] } : {}),
      },
      orderBy: [{ expiresAt: 'asc' }, { id: 'asc' }],
      take: 500,
      select: META,
    });
  }

  /** Acceptances in force at `now` for one cluster: its own and the organisation-wide ones. */
  active(organizationId: string, clusterId: string, now: Date) {
    return this.db.riskAcceptance.findMany({
      where: {
        organizationId,
        OR: [{ clusterId }, { clusterId: null }],
        revokedAt: null,
        expiresAt: { gt: now },
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: META,
    });
  }

  /**
   * When the set of acceptances in force last changed, as of `now` (one created, revoked or
   * expired); null when there never was one. Plans computed before it are stale.
   */
  async lastChange(organizationId: string, now: Date): Promise<Date | null> {
    const rows = await this.db.$queryRaw<{ at: Date | null }[]>`
      SELECT GREATEST(MAX("createdAt"), MAX("revokedAt"),
                      MAX(CASE WHEN "expiresAt" <= ${now} THEN "expiresAt" END)) AS "at"
      FROM "RiskAcceptance" WHERE "organizationId" = ${organizationId}::uuid`;
    return rows[0]?.at ?? null;
  }

  /** Counts by state at `now`. */
  async counts(organizationId: string, now: Date) {
    const [active, expired, revoked] = await Promise.all([
      this.db.riskAcceptance.count({
        where: { organizationId, revokedAt: null, expiresAt: { gt: now } },
      }),
      this.db.riskAcceptance.count({
        where: { organizationId, revokedAt: null, expiresAt: { lte: now } },
      }),
      this.db.riskAcceptance.count({ where: { organizationId, revokedAt: { not: null } } }),
    ]);
    return { active, expired, revoked };
  }

  /** Revoke one still-active acceptance; false when none (missing, already revoked or expired). */
  async revoke(organizationId: string, id: string, by: string | null, now = new Date()) {
    const r = await this.db.riskAcceptance.updateMany({
      where: { id, organizationId, revokedAt: null },
      data: { revokedAt: now, revokedById: by },
    });
    return r.count === 1;
  }
}
