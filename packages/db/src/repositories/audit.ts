import type { PreparedQueries } from '../client.js';
import type { ActorType, AuditEvent, PrismaClient } from '../generated/prisma/client.js';

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
  constructor(
    private readonly db: PrismaClient,
    private readonly prepared: PreparedQueries,
  ) {}

  /**
   * Every audited write makes one of these: a prepared statement (the ORM's query building cost
   * more than the insert).
   */
  async record(e: AuditInput): Promise<void> {
    await this.prepared.rows(
      'plumbline.audit-insert.v1',
      `INSERT INTO "AuditEvent" ("id", "organizationId", "actorType", "actorId", "action",
         "targetType", "targetId", "metadata", "ip", "requestId")
       VALUES (gen_random_uuid(), $1::uuid, $2::"ActorType", $3, $4, $5, $6, $7::jsonb, $8, $9)`,
      [
        e.organizationId,
        e.actorType,
        e.actorId ?? null,
        e.action,
        e.targetType ?? null,
        e.targetId ?? null,
        e.metadata === undefined ? null : JSON.stringify(e.metadata),
        e.ip ?? null,
        e.requestId ?? null,
      ],
    );
  }

  list(organizationId: string, take = 100): Promise<AuditEvent[]> {
    return this.db.auditEvent.findMany({
      where: { organizationId },
      orderBy: { at: 'desc' },
      take: Math.min(take, 500),
    });
  }
}
