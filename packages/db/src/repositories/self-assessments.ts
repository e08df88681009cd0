import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

/** The five-question self-assessment: one row per submission, the newest is current. */
export class SelfAssessmentRepository {
  constructor(private readonly db: PrismaClient) {}

  create(organizationId: string, answers: unknown, answeredById: string | null) {
    return this.db.selfAssessment.create({
      data: { organizationId, answers: answers as Prisma.InputJsonValue, answeredById },
    });
  }

  latest(organizationId: string) {
    return this.db.selfAssessment.findFirst({
      where: { organizationId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
  }

  /** Submissions, newest first, cursor = row id. */
  list(organizationId: string, opts: { take: number; cursor?: string }) {
    return this.db.selfAssessment.findMany({
      where: { organizationId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: opts.take,
      ...(opts.cursor ? { cursor: { id: opts.cursor }, skip: 1 } : {}),
    });
  }
}
