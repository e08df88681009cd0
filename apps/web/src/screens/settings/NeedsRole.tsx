import type { ReactNode } from 'react';
import { ROLE_LABELS, type Role } from '../../api';
import { EmptyState } from '../../components/states';
import { useCan, useOrg } from '../../session/org';

/** Shows its content only to members with at least `role`; says so otherwise. */
export function NeedsRole({
  role,
  what,
  children,
}: {
  role: Role;
  what: string;
  children: ReactNode;
}) {
  const org = useOrg();
  const allowed = useCan(role);
  if (allowed) return <>{children}</>;
  return (
    <EmptyState title={`Only ${ROLE_LABELS[role].toLowerCase()}s and above can see ${what}.`}>
      <p>
        Your role in {org.name} is {ROLE_LABELS[org.role].toLowerCase()}. Ask an owner or admin if
        you need more access.
      </p>
    </EmptyState>
  );
}
