import {
  Inject,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MFA_REQUIRED_MESSAGE } from '@plumbline/contracts';
import type { Database, Role } from '@plumbline/db';
import { DomainError } from '../common/domain-error.js';
import { UUID } from '../common/ids.js';
import { DATABASE } from '../common/tokens.js';
import { AuthCache } from './auth-cache.js';
import { SESSION_COOKIE, readCookie } from './cookies.js';
import { ROLE_RANK, type AuthedRequest } from './request-auth.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Requires a signed-in session (cookie); unsafe methods also need the CSRF header. */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly cache: AuthCache,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const value = readCookie(req.header('cookie'), SESSION_COOKIE);
    if (!value) throw new DomainError('unauthenticated', 'sign in first');
    const session = await this.cache.session(value, () => this.db.sessions.find(value));
    if (!session)
      throw new DomainError('unauthenticated', 'session expired or signed out; sign in again');
    if (UNSAFE.has(req.method) && req.header('x-csrf-token') !== session.csrfToken) {
      throw new DomainError('forbidden', 'missing or wrong X-CSRF-Token header');
    }
    const { user, ...rest } = session;
    req.auth = { user, session: rest };
    return true;
  }
}

export const MIN_ROLE = 'plumbline:min-role';
/** The least role a route needs within the organisation of its :orgId (default viewer). */
export const MinRole = (role: Role) => SetMetadata(MIN_ROLE, role);

/** Resolves :orgId to a membership. Non-members get 404: they may not learn the org exists. */
@Injectable()
export class OrgGuard implements CanActivate {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly reflector: Reflector,
    private readonly cache: AuthCache,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const orgId = req.params.orgId;
    if (typeof orgId !== 'string' || !UUID.test(orgId) || !req.auth) {
      throw new DomainError('not_found', 'organisation not found');
    }
    const userId = req.auth.user.id;
    const role = await this.cache.role(orgId, userId, () =>
      this.db.memberships.roleOf(orgId, userId),
    );
    if (!role) throw new DomainError('not_found', 'organisation not found');
    // A member without two-factor authentication is kept out of an organisation requiring it
    // (the enrolment routes are under /v1/me, not here).
    if (
      !req.auth.user.mfaEnabledAt &&
      (await this.cache.mfaRequired(orgId, () => this.db.mfa.requiredBy(orgId)))
    )
      throw new DomainError('forbidden', MFA_REQUIRED_MESSAGE, ['mfa_required']);
    const need =
      this.reflector.getAllAndOverride<Role | undefined>(MIN_ROLE, [
        ctx.getHandler(),
        ctx.getClass(),
      ]) ?? 'viewer';
    if (ROLE_RANK[role] < ROLE_RANK[need]) {
      throw new DomainError('forbidden', `this needs the ${need} role; you are ${role}`);
    }
    req.org = { organizationId: orgId, role };
    return true;
  }
}
