import type { AuditAction, AuditEventRecord, Member } from '@plumbline/contracts';
import { EmptyState, ResourceView } from '../../components/states';
import { formatDateTime } from '../../format';
import { useResource } from '../../hooks/useResource';
import { useOrg } from '../../session/org';
import { useApi } from '../../session/session';
import { NeedsRole } from './NeedsRole';

/** Every audited action in words (typed: a new action without words does not build). */
export const ACTION_WORDS: Record<AuditAction, string> = {
  'auth.login': 'Signed in',
  'auth.login_failed': 'Failed sign-in',
  'auth.password_reset_requested': 'Asked for a password reset',
  'auth.password_reset': 'Reset the password',
  'auth.email_verified': 'Confirmed the email address',
  'auth.mfa_enrolment_started': 'Started setting up two-factor authentication',
  'auth.mfa_enabled': 'Turned on two-factor authentication',
  'auth.mfa_replaced': 'Moved two-factor authentication to a new device',
  'auth.mfa_disabled': 'Turned off two-factor authentication',
  'auth.mfa_failed': 'Entered a wrong two-factor code',
  'auth.mfa_recovery_code_used': 'Used a recovery code',
  'auth.mfa_recovery_codes_replaced': 'Made new recovery codes',
  'auth.sso_login': 'Signed in with single sign-on',
  'auth.sso_login_failed': 'Failed single sign-on',
  'org.create': 'Created the organisation',
  'org.delete': 'Asked to delete the organisation',
  'org.export': 'Exported the organisation’s data',
  'org.retention_change': 'Changed how long scans are kept',
  'org.security_change': 'Changed the two-factor requirement',
  'sso.configured': 'Changed the single sign-on settings',
  'sso.disabled': 'Removed single sign-on',
  'sso.domain_verified': 'Verified an email domain for single sign-on',
  'member.invite': 'Invited a member',
  'member.join': 'Joined by invite',
  'member.role_change': 'Changed a role',
  'membership.jit_created': 'Joined by single sign-on',
  'scanner_token.create': 'Created a scanner token',
  'scanner_token.revoke': 'Revoked a scanner token',
  'snapshot.upload': 'Uploaded a snapshot',
  'scan.export': 'Downloaded a scan export',
  'cluster.environment_update': 'Set a cluster’s environment',
  'cluster_connection.create': 'Connected a cluster (agentless)',
  'cluster_connection.update': 'Changed a cluster connection',
  'cluster_connection.delete': 'Removed a cluster connection',
  'cluster_connection.scan_request': 'Asked for an agentless scan',
  'cluster_connection.scan': 'Ran an agentless scan',
  'evidence.upload': 'Uploaded evidence',
  'evidence.delete': 'Deleted evidence',
  'self_assessment.submit': 'Answered the self-assessment',
  'cost.assumptions_update': 'Changed the cost assumptions',
  'report.request': 'Asked for a PDF report',
  'report.download': 'Downloaded a PDF report',
  'plan.request': 'Asked for a plan',
  'plan.download': 'Downloaded a plan’s bundle',
  'plan.effort_update': 'Changed the effort table',
  'risk.accept': 'Accepted a risk',
  'risk.revoke': 'Revoked an accepted risk',
  'alert_rules.update': 'Changed the alert rules',
  'alert_channel.create': 'Added an alert channel',
  'alert_channel.update': 'Changed an alert channel',
  'alert_channel.delete': 'Removed an alert channel',
  'alert_channel.test': 'Sent a test alert',
  'report_schedule.create': 'Scheduled a PDF report',
  'report_schedule.update': 'Changed a report schedule',
  'report_schedule.delete': 'Removed a report schedule',
  'retention.cleanup': 'Deleted scans past the retention period',
};

/** The action in words, falling back to its code for actions added later. */
export function actionWords(action: string): string {
  return Object.prototype.hasOwnProperty.call(ACTION_WORDS, action)
    ? ACTION_WORDS[action as AuditAction]
    : action;
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
