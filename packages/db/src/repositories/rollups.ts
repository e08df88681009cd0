import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

export interface LatestClusterScan {
  clusterId: string;
  clusterName: string;
  production: boolean;
  scanId: string;
  scanAt: Date;
  gzip: Uint8Array;
  result: unknown;
}

export class RollupRepository {
  constructor(private readonly db: PrismaClient) {}

  /** Per cluster of the organisation, its newest succeeded scan with snapshot and result. */
  async latestScans(organizationId: string): Promise<LatestClusterScan[]> {
    const clusters = await this.db.cluster.findMany({
      where: { organizationId },
      orderBy: { name: 'asc' },
    });
    const out: LatestClusterScan[] = [];
    for (const c of clusters) {
      const scan = await this.db.scan.findFirst({
        where: { organizationId, clusterId: c.id, status: 'succeeded' },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        include: { snapshot: { select: { gzip: true } }, result: { select: { result: true } } },
      });
      if (!scan?.snapshot || !scan.result) continue;
      out.push({
        clusterId: c.id,
        clusterName: c.name,
        production: c.production,
        scanId: scan.id,
        scanAt: scan.createdAt,
        gzip: scan.snapshot.gzip,
        result: scan.result.result,
      });
    }
    return out;
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

  /** Save a new version of the overrides (history is kept); returns the new version. */
  async saveAssumptions(
    organizationId: string,
    values: unknown,
    createdById: string | null,
  ): Promise<number> {
    return this.db.$transaction(async (tx) => {
      const last = await tx.costAssumptions.findFirst({
        where: { organizationId },
        orderBy: { version: 'desc' },
        select: { version: true },
      });
      const version = (last?.version ?? 0) + 1;
      await tx.costAssumptions.create({
        data: { organizationId, version, values: values as Prisma.InputJsonValue, createdById },
      });
      return version;
    });
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

  get(organizationId: string) {
    return this.db.orgRollup.findUnique({ where: { organizationId } });
  }

  /**
   * System maintenance, the one read across organisations: succeeded scans analysed under an
   * older methodology, as ids grouped by organisation (no customer data leaves this method).
   */
  async staleScans(methodologyVersion: string, limit = 10_000): Promise<Map<string, string[]>> {
    const rows = await this.db.scan.findMany({
      where: { status: 'succeeded', NOT: { methodologyVersion } },
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
