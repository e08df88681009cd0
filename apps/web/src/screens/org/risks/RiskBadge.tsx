import { formatDate } from '../../../format';
import { riskAcceptedWords, riskExpiredWords, riskScopeWords } from '../../../vocabulary';
import type { RiskStatus } from './model';

/**
 * An accepted risk on a criterion or finding: "Risk accepted by <owner> until <date>", or, once
 * it expired, "Accepted risk expired on <date>" (the row is shown as usual: it applies again).
 * The reason is the badge's title and opens below it. Nothing when no acceptance applies.
 */
export function RiskBadge({ status }: { status: RiskStatus | null }) {
  if (!status) return null;
  const { state, risk } = status;
  const words = state === 'active' ? riskAcceptedWords(risk) : riskExpiredWords(risk);
  const where = `for ${riskScopeWords(risk)}, accepted ${formatDate(risk.createdAt)}`;
  return (
    <div className="risk-note" data-testid="risk-badge" data-state={state}>
      <span className={`risk-badge risk-badge--${state}`} title={`Why: ${risk.reason}`}>
        {words}
      </span>
      <details className="inline-details">
        <summary>
          Why<span className="visually-hidden"> the risk was accepted</span>
        </summary>
        <p className="risk-note__reason">{risk.reason}</p>
        <p className="muted">
          {risk.title} {where}.
          {state === 'expired' && ' It applies again: accept it again or fix it.'}
        </p>
      </details>
    </div>
  );
}
