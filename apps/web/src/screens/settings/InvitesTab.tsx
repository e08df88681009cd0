import type { CreatedInviteResponse, Invite } from '@plumbline/contracts';
import { useState, type FormEvent } from 'react';
import { atLeast, ROLE_LABELS, ROLE_ORDER, type Role } from '../../api';
import { CommandBlock } from '../../components/CommandBlock';
import { Field, FormError } from '../../components/Field';
import { toFormError, type FormErrorValue } from '../../components/formError';
import { EmptyState, ResourceView } from '../../components/states';
import { formatDateTime } from '../../format';
import { useResource } from '../../hooks/useResource';
import { useOrg } from '../../session/org';
import { useApi } from '../../session/session';
import { NeedsRole } from './NeedsRole';

export type InviteState = 'accepted' | 'expired' | 'open';

export function inviteState(invite: Invite, now: Date): InviteState {
  if (invite.acceptedAt) return 'accepted';
  return Date.parse(invite.expiresAt) <= now.getTime() ? 'expired' : 'open';
}

const STATE_KIND: Record<InviteState, string> = {
  accepted: 'ok',
  expired: 'warning',
  open: 'pending',
};

function InviteForm({ onCreated }: { onCreated: (r: CreatedInviteResponse) => void }) {
  const api = useApi();
  const org = useOrg();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormErrorValue | null>(null);
  const roles = ROLE_ORDER.filter((r) => atLeast(org.role, r));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onCreated(await api.invite(org.id, { email: email.trim(), role }));
      setEmail('');
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="inline-form" onSubmit={submit} aria-label="Invite someone" aria-busy={busy}>
      <Field
        label="Email"
        type="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <div className="field">
        <label htmlFor="invite-role">Role</label>
        <select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Creating…' : 'Create invite link'}
      </button>
      <FormError error={error} />
    </form>
  );
}

export function InvitesTab() {
  return (
    <NeedsRole role="admin" what="invites">
      <Invites />
    </NeedsRole>
  );
}

function Invites() {
  const api = useApi();
  const org = useOrg();
  const [created, setCreated] = useState<CreatedInviteResponse | null>(null);
  const [invites, reload] = useResource(
    async (signal) => (await api.invites(org.id, signal)).items,
    [api, org.id],
  );
  const now = new Date();
  return (
    <>
      <p className="muted">
        Invite links are valid for 7 days and work once. The link is mailed to the address you
        enter, and shown here once so you can also send it yourself.
      </p>
      <InviteForm
        onCreated={(r) => {
          setCreated(r);
          reload();
        }}
      />
      {created && (
        <div className="callout" role="status" data-testid="invite-created">
          <p>
            Invite for <strong>{created.invite.email}</strong> as{' '}
            {ROLE_LABELS[created.invite.role].toLowerCase()}. It is on its way by mail; the link,
            shown only now:
          </p>
          <CommandBlock
            label="Invite link"
            command={`${window.location.origin}${created.link}`}
            testId="invite-link"
          />
        </div>
      )}
      <h3>Invites</h3>
      <ResourceView resource={invites} what="the invites" onRetry={reload}>
        {(items) =>
          items.length === 0 ? (
            <EmptyState title="No invites yet." />
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Invites, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Role</th>
                    <th scope="col">Status</th>
                    <th scope="col">Created</th>
                    <th scope="col">Expires</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((i) => {
                    const st = inviteState(i, now);
                    return (
                      <tr key={i.id}>
                        <th scope="row">{i.email}</th>
                        <td>{ROLE_LABELS[i.role]}</td>
                        <td>
                          <span className={`status-pill status-pill--${STATE_KIND[st]}`}>{st}</span>
                        </td>
                        <td>{formatDateTime(i.createdAt)}</td>
                        <td>{formatDateTime(i.expiresAt)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        }
      </ResourceView>
    </>
  );
}
