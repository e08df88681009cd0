import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { PreparedQueries } from '../client.js';
import { EVIDENCE_STAMP_SQL } from './stamps.js';

export interface NewEvidence {
  kind: string;
  filename: string;
  contentHash: string;
  /** gzip of the validated upload text. */
  content: Uint8Array<ArrayBuffer>;
  summary: unknown;
  uploadedById: string | null;
  clusterId?: string | null;
}

export class EvidenceRepository {
  constructor(
    private readonly db: PrismaClient,
    private readonly prepared: PreparedQueries,
  ) {}

  async create(organizationId: string, e: NewEvidence) {
    return this.db.evidenceUpload.create({
      data: {
        organizationId,
        kind: e.kind,
        filename: e.filename,
        contentHash: e.contentHash,
        content: e.content,
        summary: (e.summary ?? undefined) as Prisma.InputJsonValue | undefined,
        uploadedById: e.uploadedById,
        clusterId: e.clusterId ?? null,
      },
      omit: { content: true },
    });
  }

  list(organizationId: string) {
    return this.db.evidenceUpload.findMany({
      where: { organizationId },
      omit: { content: true },
      orderBy: { createdAt: 'desc' },
      take: 500,
    });
  }

  /** Every upload with its content, oldest first (the roll-up re-validates each one). */
  withContent(organizationId: string) {
    return this.db.evidenceUpload.findMany({
      where: { organizationId },
      select: { id: true, kind: true, filename: true, content: true, createdAt: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  /** Changes whenever an upload is added or deleted (count and newest time): a cache key. */
  async stamp(organizationId: string): Promise<string> {
    const rows = await this.prepared.rows<{ stamp: string }>(
      'plumbline.evidence-stamp.v1',
      `SELECT ${EVIDENCE_STAMP_SQL} AS "stamp"`,
      [organizationId],
    );
    return rows[0]!.stamp;
  }

  /** Delete one upload of the organisation; returns what was deleted (null: no such upload). */
  async delete(organizationId: string, id: string) {
    const row = await this.db.evidenceUpload.findFirst({
      where: { id, organizationId },
      omit: { content: true },
    });
    if (!row) return null;
    await this.db.evidenceUpload.deleteMany({ where: { id, organizationId } });
    return row;
  }
}
