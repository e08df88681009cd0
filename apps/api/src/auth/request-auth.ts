import type { Role, Session, User } from '@plumbline/db';
import type { Request } from 'express';

/** What the guards attach to a request. */
export interface RequestAuth {
  user: User;
  session: Session;
}

export interface OrgContext {
  organizationId: string;
  role: Role;
}

export type AuthedRequest = Request & { auth?: RequestAuth; org?: OrgContext };

export const ROLE_RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

export function authOf(req: AuthedRequest): RequestAuth {
  if (!req.auth) throw new Error('SessionGuard did not run');
  return req.auth;
}

export function orgOf(req: AuthedRequest): OrgContext {
  if (!req.org) throw new Error('OrgGuard did not run');
  return req.org;
}
