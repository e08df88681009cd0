import { Inject, Injectable } from '@nestjs/common';
import type { AuditAction } from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import type { AuthedRequest } from '../auth/request-auth.js';
import { authOf, orgOf } from '../auth/request-auth.js';
import { DATABASE } from './tokens.js';

/** Who did something in an organisation, as the audit log records it. */
export interface Actor {
  organizationId: string;
  userId: string;
  ip?: string | undefined;
  requestId?: string | undefined;
}

/** The actor of an organisation route's request (after SessionGuard and OrgGuard). */
export function actorOf(req: AuthedRequest): Actor {
  return {
    organizationId: orgOf(req).organizationId,
    userId: authOf(req).user.id,
    ip: req.ip,
    requestId: req.requestId,
  };
}

/** The one way the API writes the audit log for a user's action in an organisation. */
@Injectable()
export class AuditService {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  record(
    actor: Actor,
    action: AuditAction,
    targetType: string,
    targetId: string,
    metadata?: Record<string, unknown>,
  ): Promise<void> {
    return this.db.audit.record({
      organizationId: actor.organizationId,
      actorType: 'user',
      actorId: actor.userId,
      action,
      targetType,
      targetId,
      metadata,
      ip: actor.ip,
      requestId: actor.requestId,
    });
  }
}
