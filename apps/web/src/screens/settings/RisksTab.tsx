import type { RiskAcceptance, RiskAcceptanceList, RiskState } from '@plumbline/contracts';
import { ConfirmButton } from '../../components/ConfirmButton';
import { EmptyState, ResourceView } from '../../components/states';
import { formatDate } from '../../format';
import { useResource } from '../../hooks/useResource';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useCan, useOrg } from '../../session/org';
import { useApi } from '../../session/session';
import { RISK_STATE_WORDS, RISK_STATES, riskScopeWords } from '../../vocabulary';
import { plural } from '../org/words';

const STATE_KIND: Record<RiskState, string> = {
  active: 'ok',
  expired: 'warning',
  revoked: 'unknown',
};

/** "3 active · 1 expired · 2 revoked". */
export function riskCountsWords(counts: RiskAcceptanceList['counts']): string {
  return RISK_STATES.map((s) => `${counts[s]} ${RISK_STATE_WORDS[s].toLowerCase()}`).join(' · ');
}

/** Until when an acceptance runs, or ran, in words. */
export function riskUntilWords(r: RiskAcceptance): string {
  if (r.state === 'revoked')
    return `revoked on ${formatDate(r.revokedAt ?? r.expiresAt)} (was until ${formatDate(r.expiresAt)})`;
  if (r.state === 'expired') return `expired on ${formatDate(r.expiresAt)}`;
  return `until ${formatDate(r.expiresAt)}`;
}

function Scope({ risk }: { risk: RiskAcceptance }) {
  const org = useOrg();
  if (risk.clusterId && risk.clusterName)
    return <Link to={paths.cluster(org.id, risk.clusterId)}>{risk.clusterName}</Link>;
  return <>{riskScopeWords(risk)}</>;
}

/** Expired acceptances first and loud: their risks apply again and want a decision. */
function Expired({ risks, count }: { risks: readonly RiskAcceptance[]; count: number }) {
  if (count === 0) return null;
  return (
    <div className="callout callout--important" role="status" data-testid="risks-expired">
      <h3>
        {count === 1
          ? '1 accepted risk has expired: it applies again'
          : `${count} accepted risks have expired: they apply again`}
      </h3>
      <p>
        Their findings are back on the cluster pages and in new plans. Fix them, or accept them
        again from the cluster’s page with a new end date.
      </p>
      {risks.length > 0 && (
        <ul>
          {risks.map((r) => (
            <li key={r.id}>
              <strong>{r.title}</strong> ({riskScopeWords(r)}), owned by {r.owner}, expired on{' '}
              {formatDate(r.expiresAt)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * Every accepted risk of the organisation, with its state, owner, reason, scope and end date;
 * counts by state, expired ones first. Everyone reads them; admins revoke active ones.
 */
export function RisksTab() {
  const api = useApi();
  const org = useOrg();
  const canRevoke = useCan('admin');
  const [data, reload] = useResource(
    (signal) => api.riskAcceptances(org.id, signal),
    [api, org.id],
  );
  return (
    <>
      <p className="muted">
        An accepted risk is a criterion or finding the organisation decided to live with for a
        while, with an owner, a reason and an end date (a year at most). Plans leave it out and
        count it as met, labelled “with accepted risks”; the levels shown stay the levels as
        assessed.{' '}
        {canRevoke
          ? 'Accept one from a cluster’s page, beside its criteria and findings.'
          : 'Admins accept them from a cluster’s page.'}
      </p>
      <ResourceView resource={data} what="the accepted risks" onRetry={reload}>
        {({ items, counts }) => (
          <>
            <p data-testid="risk-counts">
              <strong>
                {plural(counts.active + counts.expired + counts.revoked, 'acceptance')}
              </strong>
              : {riskCountsWords(counts)}
            </p>
            <Expired risks={items.filter((r) => r.state === 'expired')} count={counts.expired} />
            {items.length === 0 ? (
              <EmptyState title="No accepted risks." testId="risks-empty">
                <p>Every criterion and finding counts as it is assessed.</p>
              </EmptyState>
            ) : (
              <div className="table-wrap">
                <table className="table" data-testid="risks-table">
                  <caption className="visually-hidden">Accepted risks, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Accepted risk</th>
                      <th scope="col">Where</th>
                      <th scope="col">Owner</th>
                      <th scope="col">Why</th>
                      <th scope="col">Until</th>
                      <th scope="col">State</th>
                      {canRevoke && (
                        <th scope="col">
                          <span className="visually-hidden">Actions</span>
                        </th>
                      )}
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((r) => (
                      <tr key={r.id} data-testid={`risk-row-${r.id}`} data-state={r.state}>
                        <th scope="row">
                          {r.title}
                          <span className="finding-meta muted">
                            {r.kind === 'criterion' ? 'criterion' : 'finding'}{' '}
                            <code>{r.targetId}</code>
                          </span>
                        </th>
                        <td>
                          <Scope risk={r} />
                        </td>
                        <td>{r.owner}</td>
                        <td>{r.reason}</td>
                        <td>{riskUntilWords(r)}</td>
                        <td>
                          <span className={`status-pill status-pill--${STATE_KIND[r.state]}`}>
                            {RISK_STATE_WORDS[r.state]}
                          </span>
                        </td>
                        {canRevoke && (
                          <td>
                            {r.state === 'active' && (
                              <ConfirmButton
                                verb="Revoke"
                                target={`${r.title} (${riskScopeWords(r)})`}
                                consequence="It applies again at once."
                                action={() => api.revokeRiskAcceptance(org.id, r.id)}
                                onDone={reload}
                              />
                            )}
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </ResourceView>
    </>
  );
}
