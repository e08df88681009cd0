import type { ActorType, AuditEvent, Prisma, PrismaClient } from '../generated/prisma/client.js';

export interface AuditInput {
  organizationId: string | null;
  actorType: ActorType;
  actorId?: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  metadata?: Record<string, unknown>;
  ip?: string;
  requestId?: string;
}

export class AuditRepository {
  constructor(private readonly db: PrismaClient) {}

  async record(e: AuditInput): Promise<void> {
    await this.db.auditEvent.create({
      data: {
        organizationId: e.organizationId,
        actorType: e.actorType,
        actorId: e.actorId ?? null,
        action: e.action,
        targetType: e.targetType ?? null,
        targetId: e.targetId ?? null,
        metadata: (e.metadata ?? undefined) as Prisma.InputJsonValue | undefined,
        ip: e.ip ?? null,
        requestId: e.requestId ?? null,
      },
    });
  }

  list(organizationId: string, take = 100): Promise<AuditEvent[]> {
    return this.db.auditEvent.findMany({
      where: { organizationId },
      orderBy: { at: 'desc' },
      take: Math.min(take, 500),
    });
  }
}
