import type { PlanEffortOverrides, PlanEffortResponse } from '@plumbline/contracts';
import { useId, useState, type FormEvent } from 'react';
import { FormError } from '../../../components/Field';
import { toFormError, type FormErrorValue } from '../../../components/formError';
import { ErrorState, Loading } from '../../../components/states';
import { useResource } from '../../../hooks/useResource';
import { useCan, useOrg } from '../../../session/org';
import { useApi } from '../../../session/session';
import { hoursWords } from './model';

/** The contract's bounds on hours (packages/contracts/src/plan.ts). */
export const MAX_HOURS = 10_000;

type Action = PlanEffortResponse['actions'][number];
type Raw = Record<string, { base: string; perUnit: string }>;

function parseHours(raw: string, min: number): number | null {
  if (raw.trim() === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) && n >= min && n <= MAX_HOURS ? n : null;
}

/**
 * The overrides a form states: only what differs from the defaults (the PUT replaces the whole
 * set). Null with the problems when a value is out of bounds.
 */
export function effortOverrides(
  effort: PlanEffortResponse,
  raw: Raw,
  phase: string,
): { overrides: PlanEffortOverrides; problems: string[] } {
  const problems: string[] = [];
  const actions: NonNullable<PlanEffortOverrides['actions']> = {};
  for (const a of effort.actions) {
    const r = raw[a.id];
    if (!r) continue;
    const base = parseHours(r.base, 0);
    const perUnit = parseHours(r.perUnit, 0);
    if (base === null || perUnit === null) {
      problems.push(`${a.id}: hours between 0 and ${MAX_HOURS.toLocaleString('en-US')}`);
      continue;
    }
    const partial: { baseHours?: number; perUnitHours?: number } = {};
    if (base !== a.default.baseHours) partial.baseHours = base;
    if (perUnit !== a.default.perUnitHours) partial.perUnitHours = perUnit;
    if (Object.keys(partial).length) actions[a.id] = partial;
  }
  const hoursPerPhase = parseHours(phase, 1);
  if (hoursPerPhase === null)
    problems.push(`Hours per 30 days: between 1 and ${MAX_HOURS.toLocaleString('en-US')}`);
  const overrides: PlanEffortOverrides = {
    ...(Object.keys(actions).length ? { actions } : {}),
    ...(hoursPerPhase !== null && hoursPerPhase !== effort.hoursPerPhase.default
      ? { hoursPerPhase }
      : {}),
  };
  return { overrides, problems };
}

const rawOf = (effort: PlanEffortResponse): Raw =>
  Object.fromEntries(
    effort.actions.map((a) => [
      a.id,
      { base: String(a.effective.baseHours), perUnit: String(a.effective.perUnitHours) },
    ]),
  );

function EffortTable({
  effort,
  titleOf,
  onSaved,
}: {
  effort: PlanEffortResponse;
  titleOf: (actionId: string) => string;
  onSaved: (e: PlanEffortResponse) => void;
}) {
  const api = useApi();
  const org = useOrg();
  const ids = useId();
  const canEdit = useCan('admin');
  const [raw, setRaw] = useState<Raw>(() => rawOf(effort));
  const [phase, setPhase] = useState(String(effort.hoursPerPhase.value));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormErrorValue | null>(null);
  const [saved, setSaved] = useState(false);

  const save = async (overrides: PlanEffortOverrides) => {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const next = await api.savePlanEffort(org.id, { overrides });
      setRaw(rawOf(next));
      setPhase(String(next.hoursPerPhase.value));
      setSaved(true);
      onSaved(next);
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { overrides, problems } = effortOverrides(effort, raw, phase);
    if (problems.length) {
      setError({ message: 'Some hours are out of bounds.', details: problems });
      return;
    }
    void save(overrides);
  };

  const cell = (a: Action, field: 'base' | 'perUnit') => {
    const value = field === 'base' ? a.effective.baseHours : a.effective.perUnitHours;
    const def = field === 'base' ? a.default.baseHours : a.default.perUnitHours;
    if (!canEdit) return <>{value}</>;
    return (
      <input
        type="number"
        min={0}
        max={MAX_HOURS}
        step="any"
        className="assumption__input"
        aria-label={`${titleOf(a.id)}: ${field === 'base' ? 'fixed hours' : `hours per ${a.unit}`} (default ${def})`}
        value={raw[a.id]?.[field] ?? ''}
        onChange={(e) =>
          setRaw((r) => ({
            ...r,
            [a.id]: { ...(r[a.id] ?? { base: '', perUnit: '' }), [field]: e.target.value },
          }))
        }
      />
    );
  };

  return (
    <form onSubmit={submit} aria-label="Effort table" aria-busy={busy}>
      <p className="muted">
        Version {effort.version}
        {effort.version === 0 ? ' (the defaults)' : ''}. Source: {effort.source}.{' '}
        {canEdit
          ? 'Admins can change the hours; plans asked for afterwards use them.'
          : 'Admins can change these hours.'}
      </p>
      <div className="field">
        <label htmlFor={`${ids}-phase`}>Team hours per 30 days</label>
        {canEdit ? (
          <input
            id={`${ids}-phase`}
            type="number"
            min={1}
            max={MAX_HOURS}
            step="any"
            value={phase}
            onChange={(e) => setPhase(e.target.value)}
          />
        ) : (
          <output id={`${ids}-phase`}>{hoursWords(effort.hoursPerPhase.value)}</output>
        )}
        <span className="field__hint">default {hoursWords(effort.hoursPerPhase.default)}</span>
      </div>
      <div className="table-wrap">
        <table className="table table--compact" data-testid="effort-table">
          <caption className="visually-hidden">Hours of each action</caption>
          <thead>
            <tr>
              <th scope="col">Action</th>
              <th scope="col">Kind</th>
              <th scope="col" className="num">
                Fixed hours
              </th>
              <th scope="col" className="num">
                Hours per unit
              </th>
              <th scope="col">Default</th>
            </tr>
          </thead>
          <tbody>
            {effort.actions.map((a) => (
              <tr key={a.id} data-testid="effort-row">
                <th scope="row">
                  {titleOf(a.id)}
                  {titleOf(a.id) !== a.id && (
                    <span className="muted">
                      {' '}
                      <small>({a.id})</small>
                    </span>
                  )}
                  {a.overridden && <span className="tag">changed</span>}
                </th>
                <td>{a.kind === 'generated' ? 'Generated' : 'Manual'}</td>
                <td className="num">{cell(a, 'base')}</td>
                <td className="num">
                  {cell(a, 'perUnit')} <span className="muted">per {a.unit}</span>
                </td>
                <td className="muted">
                  {a.default.baseHours} + {a.default.perUnitHours} per {a.unit}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {effort.manualByLevel.length > 0 && (
        <p className="muted">
          Other manual steps (one per criterion):{' '}
          {effort.manualByLevel
            .map((m) => `${hoursWords(m.baseHours)} for a level ${m.level} criterion`)
            .join(', ')}
          .
        </p>
      )}
      {canEdit && (
        <p className="form-actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Saving…' : 'Save the effort table'}
          </button>{' '}
          <button
            type="button"
            className="button button--secondary"
            disabled={busy}
            onClick={() => void save({})}
          >
            Reset to the defaults
          </button>
        </p>
      )}
      {saved && (
        <p className="inline-message inline-message--ok" role="status">
          Saved: plans asked for from now on use these hours.
        </p>
      )}
      <FormError error={error} />
    </form>
  );
}

function EffortLoader({ titleOf }: { titleOf: (actionId: string) => string }) {
  const api = useApi();
  const org = useOrg();
  const [effort, reload] = useResource((signal) => api.planEffort(org.id, signal), [api, org.id]);
  // The PUT answers the table as saved: shown from then on.
  const [latest, setLatest] = useState<PlanEffortResponse | null>(null);
  if (effort.status === 'loading') return <Loading what="the effort table" />;
  if (effort.status === 'error')
    return (
      <ErrorState
        title="Could not load the effort table."
        message={effort.message}
        error={effort.error}
        onRetry={reload}
      />
    );
  return <EffortTable effort={latest ?? effort.data} titleOf={titleOf} onSaved={setLatest} />;
}

/** The organisation's effort table, read when opened: read-only for members, edited by admins. */
export function EffortSection({ titleOf }: { titleOf: (actionId: string) => string }) {
  const [open, setOpen] = useState(false);
  return (
    <section className="panel" aria-labelledby="effort-title" id="effort" tabIndex={-1}>
      <h2 id="effort-title">Effort table</h2>
      <details onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>The hours each action is planned with</summary>
        {open && <EffortLoader titleOf={titleOf} />}
      </details>
    </section>
  );
}
