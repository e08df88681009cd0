import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

const META = {
  id: true,
  organizationId: true,
  clusterId: true,
  status: true,
  paperSize: true,
  pageCount: true,
  error: true,
  requestedById: true,
  createdAt: true,
  finishedAt: true,
  cluster: { select: { name: true } },
} as const;

/** Leadership PDF reports: requested, rendered by the worker, listed, downloaded. */
export class ReportRepository {
  constructor(private readonly db: PrismaClient) {}

  create(
    organizationId: string,
    input: { clusterId: string | null; paperSize: string; requestedById: string | null },
  ) {
    return this.db.report.create({ data: { organizationId, ...input }, select: META });
  }

  /** Reports still expecting a render job (queued or rendering), across organisations. */
  unfinished(olderThan: Date, limit = 1000): Promise<{ id: string; organizationId: string }[]> {
    return this.db.report.findMany({
      where: { status: { in: ['queued', 'rendering'] }, createdAt: { lt: olderThan } },
      select: { id: true, organizationId: true },
      orderBy: { createdAt: 'asc' },
      take: limit,
    });
  }

  get(organizationId: string, reportId: string) {
    return this.db.report.findFirst({ where: { id: reportId, organizationId }, select: META });
  }

  /** Newest first, cursor = report id. */
  list(organizationId: string, opts: { take: number; cursor?: string }) {
    return this.db.report.findMany({
      where: { organizationId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: opts.take,
      select: META,
      ...(opts.cursor ? { cursor: { id: opts.cursor }, skip: 1 } : {}),
    });
  }

  async pdf(organizationId: string, reportId: string): Promise<Uint8Array | null> {
    const row = await this.db.report.findFirst({
      where: { id: reportId, organizationId, status: 'ready' },
      select: { pdf: true },
    });
    return row?.pdf ?? null;
  }

  /** The newest ready report of the same scope created before `before`, with its data. */
  previous(organizationId: string, clusterId: string | null, before: Date) {
    return this.db.report.findFirst({
      where: { organizationId, clusterId, status: 'ready', createdAt: { lt: before } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true, createdAt: true, data: true },
    });
  }

  /** queued|failed|rendering -> rendering; false when the report does not exist (for this org). */
  async markRendering(organizationId: string, reportId: string): Promise<boolean> {
    const r = await this.db.report.updateMany({
      where: { id: reportId, organizationId },
      data: { status: 'rendering', error: null },
    });
    return r.count === 1;
  }

  async complete(
    organizationId: string,
    reportId: string,
    out: { pdf: Uint8Array<ArrayBuffer>; pageCount: number; data: unknown },
    now = new Date(),
  ): Promise<void> {
    await this.db.report.updateMany({
      where: { id: reportId, organizationId },
      data: {
        status: 'ready',
        pdf: out.pdf,
        pageCount: out.pageCount,
        data: out.data as Prisma.InputJsonValue,
        error: null,
        finishedAt: now,
      },
    });
  }

  async fail(organizationId: string, reportId: string, error: string, now = new Date()) {
    await this.db.report.updateMany({
      where: { id: reportId, organizationId },
      data: { status: 'failed', error: error.slice(0, 2000), finishedAt: now },
    });
  }
}
