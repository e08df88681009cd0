import type { ROLES } from '@plumbline/contracts';

/** A member's role in an organisation: viewer < member < admin < owner. */
export type Role = (typeof ROLES)[number];

/** Highest first, as role pickers list them. */
export const ROLE_ORDER: readonly Role[] = ['owner', 'admin', 'member', 'viewer'];

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
  viewer: 'Viewer',
};

export const ROLE_HELP: Record<Role, string> = {
  owner: 'everything, including granting the owner role',
  admin: 'members, invites, scanner tokens and the audit log',
  member: 'uploads evidence and answers the self-assessment',
  viewer: 'reads every result',
};

/** Whether `role` is at least `need`. */
export function atLeast(role: Role, need: Role): boolean {
  return RANK[role] >= RANK[need];
}
