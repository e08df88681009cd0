import type { RiskAcceptance } from '@plumbline/contracts';
import { useId, useState, type FormEvent } from 'react';
import { Field, FormError } from '../../../components/Field';
import { toFormError, type FormErrorValue } from '../../../components/formError';
import { useOrg } from '../../../session/org';
import { useApi } from '../../../session/session';
import { RISK_ACCEPTANCE_BOUNDS } from '../../../vocabulary';
import { expiryInstant, expiryRange, type RiskTarget } from './model';

/** "Accept risk" beside a criterion or finding (the form opens below the row). */
export function AcceptRiskButton({
  title,
  open,
  onClick,
}: {
  /** What is accepted, for screen readers: the criterion's or finding's title. */
  title: string;
  open: boolean;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      className="button button--small button--secondary risk-action"
      aria-expanded={open}
      onClick={onClick}
    >
      Accept risk<span className="visually-hidden"> of {title}</span>
    </button>
  );
}

/**
 * Accept the risk of a criterion (or cap) or a finding (admins): who owns it, why, until when
 * (a year at most), and for this cluster or every cluster. The API's reason shows on a refusal.
 */
export function AcceptRiskForm({
  cluster,
  target,
  title,
  onAccepted,
  onCancel,
}: {
  cluster: { id: string; name: string };
  target: RiskTarget;
  title: string;
  onAccepted: (risk: RiskAcceptance) => void;
  onCancel: () => void;
}) {
  const api = useApi();
  const org = useOrg();
  const ids = useId();
  const [range] = useState(() => expiryRange(new Date()));
  const [owner, setOwner] = useState('');
  const [reason, setReason] = useState('');
  const [day, setDay] = useState(range.initial);
  const [scope, setScope] = useState<'cluster' | 'all'>('cluster');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormErrorValue | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const expiresAt = expiryInstant(day);
    if (!expiresAt || day < range.min || day > range.max) {
      setError({
        message: `Choose an end date from tomorrow to ${RISK_ACCEPTANCE_BOUNDS.maxDays - 1} days ahead: an accepted risk is looked at again at least yearly.`,
        details: [],
      });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const risk = await api.acceptRisk(org.id, {
        clusterId: scope === 'cluster' ? cluster.id : null,
        kind: target.kind,
        targetId: target.targetId,
        owner: owner.trim(),
        reason: reason.trim(),
        expiresAt,
      });
      onAccepted(risk);
    } catch (err) {
      setError(toFormError(err));
      setBusy(false);
    }
  };

  return (
    <form
      className="stacked-form risk-form"
      onSubmit={(e) => void submit(e)}
      aria-label={`Accept the risk of ${title}`}
      aria-busy={busy}
      data-testid="accept-risk-form"
    >
      <p className="muted">
        Accepting the risk of <strong>{title}</strong> keeps it on this page, marked with its owner
        and end date; plans leave it out and count it as met, labelled “with accepted risks”. The
        level shown stays the level as assessed. When it expires, it applies again.
      </p>
      <Field
        label="Owner (a person or team)"
        required
        maxLength={RISK_ACCEPTANCE_BOUNDS.ownerMax}
        value={owner}
        onChange={(e) => setOwner(e.target.value)}
        placeholder="e.g. Platform team"
      />
      <div className="field">
        <label htmlFor={`${ids}-reason`}>Why the risk is accepted</label>
        <textarea
          id={`${ids}-reason`}
          required
          rows={3}
          minLength={RISK_ACCEPTANCE_BOUNDS.reasonMin}
          maxLength={RISK_ACCEPTANCE_BOUNDS.reasonMax}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-describedby={`${ids}-reason-hint`}
        />
        <p className="field__hint" id={`${ids}-reason-hint`}>
          {RISK_ACCEPTANCE_BOUNDS.reasonMin} characters or more: what makes the risk acceptable, and
          what would change the decision.
        </p>
      </div>
      <Field
        label="Accepted until"
        type="date"
        required
        min={range.min}
        max={range.max}
        value={day}
        onChange={(e) => setDay(e.target.value)}
        hint={`${RISK_ACCEPTANCE_BOUNDS.defaultDays} days by default, a year at most; it ends at the end of that day.`}
      />
      <fieldset className="risk-form__scope">
        <legend>Applies to</legend>
        <label className="choice">
          <input
            type="radio"
            name={`${ids}-scope`}
            value="cluster"
            checked={scope === 'cluster'}
            onChange={() => setScope('cluster')}
          />{' '}
          This cluster ({cluster.name})
        </label>
        <label className="choice">
          <input
            type="radio"
            name={`${ids}-scope`}
            value="all"
            checked={scope === 'all'}
            onChange={() => setScope('all')}
          />{' '}
          Every cluster of the organisation
        </label>
      </fieldset>
      <FormError error={error} />
      <p className="row-actions">
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Accepting…' : 'Accept the risk'}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </p>
    </form>
  );
}
