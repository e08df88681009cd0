import type { OrganizationMembership } from '@plumbline/contracts';
import { createContext, useContext } from 'react';
import { atLeast, type Role } from '../api';

const OrgContext = createContext<OrganizationMembership | null>(null);

export const OrgProvider = OrgContext.Provider;

/** The organisation the current screen shows, with the signed-in user's role in it. */
export function useOrg(): OrganizationMembership {
  const org = useContext(OrgContext);
  if (!org) throw new Error('useOrg needs an organisation screen (OrgProvider) above it');
  return org;
}

/** Whether the signed-in user's role in this organisation is at least `need`. */
export function useCan(need: Role): boolean {
  return atLeast(useOrg().role, need);
}
