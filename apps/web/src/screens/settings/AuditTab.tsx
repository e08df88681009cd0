import type { AuditEventRecord, Member } from '@plumbline/contracts';
import { EmptyState, ResourceView } from '../../components/states';
import { formatDateTime } from '../../format';
import { useResource } from '../../hooks/useResource';
import { useOrg } from '../../session/org';
import { useApi } from '../../session/session';
import { NeedsRole } from './NeedsRole';

const ACTION_WORDS: Record<string, string> = {
  'auth.login': 'Signed in',
  'auth.login_failed': 'Failed sign-in',
  'org.create': 'Created the organisation',
  'member.invite': 'Invited a member',
  'member.join': 'Joined by invite',
  'member.role_change': 'Changed a role',
  'scanner_token.create': 'Created a scanner token',
  'scanner_token.revoke': 'Revoked a scanner token',
  'evidence.upload': 'Uploaded evidence',
  'snapshot.upload': 'Uploaded a snapshot',
  'risk.accept': 'Accepted a risk',
  'risk.revoke': 'Revoked an accepted risk',
};

/** The action in words, falling back to its code for actions added later. */
export function actionWords(action: string): string {
  return ACTION_WORDS[action] ?? action;
}

function str(v: unknown): string | null {
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
}

/** The few metadata fields worth reading, in words (never secrets: the API stores none). */
export function auditDetail(e: AuditEventRecord): string {
  const m = e.metadata ?? {};
  const parts: string[] = [];
  const email = str(m.email);
  const role = str(m.role);
  if (e.action === 'member.role_change' && str(m.from) && str(m.to))
    parts.push(`${str(m.from)} → ${str(m.to)}`);
  if (email) parts.push(email);
  if (role && e.action !== 'member.role_change') parts.push(`as ${role}`);
  const name = str(m.name) ?? str(m.filename);
  if (name) parts.push(name);
  const kind = str(m.kind);
  if (kind) parts.push(kind);
  const target = str(m.targetId);
  if (target) parts.push(target);
  const via = str(m.via);
  if (via) parts.push(`via ${via}`);
  return parts.join(' · ');
}

export function actorWords(e: AuditEventRecord, members: readonly Member[]): string {
  if (e.actorType === 'system') return 'Plumbline';
  if (e.actorType === 'scanner_token') return 'Scanner token';
  const m = members.find((x) => x.userId === e.actorId);
  if (m) return m.name;
  return e.actorId ? 'A former member' : 'Unknown user';
}

export function AuditTab() {
  return (
    <NeedsRole role="admin" what="the audit log">
      <Audit />
    </NeedsRole>
  );
}

function Audit() {
  const api = useApi();
  const org = useOrg();
  const [data, reload] = useResource(
    async (signal) => {
      const [events, members] = await Promise.all([
        api.audit(org.id, signal),
        api.members(org.id, signal),
      ]);
      return { events: events.items, members: members.items };
    },
    [api, org.id],
  );
  return (
    <>
      <p className="muted">
        Security-relevant actions, newest first (the last 200): sign-ins and failures, role changes,
        invites, scanner tokens, uploads.
      </p>
      <ResourceView resource={data} what="the audit log" onRetry={reload}>
        {({ events, members }) =>
          events.length === 0 ? (
            <EmptyState title="Nothing recorded yet." />
          ) : (
            <div className="table-wrap">
              <table className="table table--compact" data-testid="audit-table">
                <caption className="visually-hidden">Audit log, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">What</th>
                    <th scope="col">Details</th>
                    <th scope="col">From IP</th>
                  </tr>
                </thead>
                <tbody>
                  {events.map((e) => (
                    <tr key={e.id}>
                      <th scope="row">
                        <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                      </th>
                      <td>{actorWords(e, members)}</td>
                      <td>{actionWords(e.action)}</td>
                      <td>{auditDetail(e)}</td>
                      <td>{e.ip ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </ResourceView>
    </>
  );
}
