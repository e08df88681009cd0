import type { Member } from '@plumbline/contracts';
import { useEffect, useState } from 'react';
import { atLeast, describeError, ROLE_HELP, ROLE_LABELS, ROLE_ORDER, type Role } from '../../api';
import { ResourceView } from '../../components/states';
import { formatDateTime } from '../../format';
import { useResource } from '../../hooks/useResource';
import { useCan, useOrg } from '../../session/org';
import { useApi, useSession } from '../../session/session';

/** Which roles the signed-in member may hand out: only owners grant or remove "owner". */
export function grantableRoles(mine: Role, current: Role): Role[] {
  if (!atLeast(mine, 'admin')) return [];
  if (current === 'owner' && mine !== 'owner') return [];
  return ROLE_ORDER.filter((r) => r !== 'owner' || mine === 'owner');
}

function RoleEditor({ member, onChanged }: { member: Member; onChanged: () => void }) {
  const api = useApi();
  const org = useOrg();
  const { state, refresh } = useSession();
  const [role, setRole] = useState<Role>(member.role);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  useEffect(() => setRole(member.role), [member.role]);
  const options = grantableRoles(org.role, member.role);
  if (!options.length) return <span>{ROLE_LABELS[member.role]}</span>;
  const selectId = `role-${member.userId}`;

  const save = async () => {
    setBusy(true);
    setMessage(null);
    try {
      await api.changeRole(org.id, member.userId, role);
      setMessage({ kind: 'ok', text: `Now ${ROLE_LABELS[role].toLowerCase()}.` });
      if (state.status === 'signed-in' && state.me.user.id === member.userId) await refresh();
      onChanged();
    } catch (e) {
      setMessage({ kind: 'error', text: describeError(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="role-editor">
      <label htmlFor={selectId} className="visually-hidden">
        Role of {member.name}
      </label>
      <select
        id={selectId}
        value={role}
        onChange={(e) => setRole(e.target.value as Role)}
        disabled={busy}
      >
        {options.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABELS[r]}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button button--small button--secondary"
        disabled={busy || role === member.role}
        onClick={() => void save()}
      >
        Change role<span className="visually-hidden"> of {member.name}</span>
      </button>
      {message && (
        <span
          role={message.kind === 'error' ? 'alert' : 'status'}
          className={`inline-message inline-message--${message.kind}`}
        >
          {message.text}
        </span>
      )}
    </div>
  );
}

export function MembersTab() {
  const api = useApi();
  const org = useOrg();
  const canAdmin = useCan('admin');
  const [members, reload] = useResource(
    async (signal) => (await api.members(org.id, signal)).items,
    [api, org.id],
  );
  return (
    <>
      <p className="muted">
        Roles:{' '}
        {ROLE_ORDER.map((r) => `${ROLE_LABELS[r].toLowerCase()} (${ROLE_HELP[r]})`).join('; ')}.
        {canAdmin ? ' Invite people from the Invites section.' : ''}
      </p>
      <ResourceView resource={members} what="the members" onRetry={reload}>
        {(items) => (
          <div className="table-wrap">
            <table className="table" data-testid="members-table">
              <caption className="visually-hidden">Members of {org.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Last sign-in</th>
                </tr>
              </thead>
              <tbody>
                {items.map((m) => (
                  <tr key={m.userId}>
                    <th scope="row">{m.name}</th>
                    <td>{m.email}</td>
                    <td>
                      <RoleEditor member={m} onChanged={reload} />
                    </td>
                    <td>
                      {m.lastLoginAt ? (
                        formatDateTime(m.lastLoginAt)
                      ) : (
                        <span className="muted">never</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ResourceView>
    </>
  );
}
