import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

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
  constructor(private readonly db: PrismaClient) {}

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
}
