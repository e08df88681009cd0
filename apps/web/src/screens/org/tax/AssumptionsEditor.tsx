import type { CostResponse } from '@plumbline/contracts';
import { useId, useState, type FormEvent } from 'react';
import { FormError } from '../../../components/Field';
import { toFormError, type FormErrorValue } from '../../../components/formError';
import { formatDateTime } from '../../../format';
import { useOrg } from '../../../session/org';
import { useApi } from '../../../session/session';
import {
  ASSUMPTION_GROUPS,
  ASSUMPTIONS,
  buildOverrides,
  defaultOf,
  formatAssumption,
  initialForm,
  parseRaw,
  toRaw,
  type AssumptionMeta,
  type FormState,
  type RawValue,
} from './assumptions';

type Assumptions = CostResponse['assumptions'];
type Tools = { id: string; name: string }[];

function sourceOf(assumptions: Assumptions, key: string): string {
  return assumptions.defaults.find((d) => d.key === key)?.source ?? '';
}

function Input({
  meta,
  raw,
  id,
  describedBy,
  invalid,
  tools,
  onChange,
}: {
  meta: AssumptionMeta;
  raw: RawValue;
  id: string;
  describedBy: string;
  invalid: boolean;
  tools: Tools;
  onChange: (raw: RawValue) => void;
}) {
  if (meta.kind === 'boolean') {
    return (
      <input
        id={id}
        type="checkbox"
        checked={raw === true}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.checked)}
      />
    );
  }
  if (meta.kind === 'choice') {
    return (
      <select
        id={id}
        value={raw as string}
        aria-describedby={describedBy}
        onChange={(e) => onChange(e.target.value)}
      >
        {meta.choices?.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    );
  }
  if (meta.kind === 'per-tool') {
    const rec = raw as Record<string, string>;
    return (
      <fieldset className="per-tool" id={id} aria-describedby={describedBy}>
        <legend className="visually-hidden">{meta.label}</legend>
        {tools.length === 0 && <p className="muted">No tools detected yet.</p>}
        {tools.map((t) => (
          <label key={t.id} className="per-tool__row">
            <span>{t.name}</span>
            <span className="money-input">
              <span aria-hidden="true">$</span>
              <input
                type="text"
                inputMode="decimal"
                value={rec[t.id] ?? ''}
                aria-invalid={invalid || undefined}
                onChange={(e) => onChange({ ...rec, [t.id]: e.target.value })}
              />
            </span>
          </label>
        ))}
      </fieldset>
    );
  }
  const input = (
    <input
      id={id}
      type="text"
      inputMode="decimal"
      value={raw as string}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      onChange={(e) => onChange(e.target.value)}
      className="assumption__input"
    />
  );
  if (meta.kind === 'money') {
    return (
      <span className="money-input">
        <span aria-hidden="true">$</span>
        {input}
      </span>
    );
  }
  if (meta.kind === 'percent') {
    return (
      <span className="money-input">
        {input}
        <span aria-hidden="true">%</span>
      </span>
    );
  }
  return input;
}

/**
 * Every assumption with its default and source. Admins change them and save (the API
 * recomputes the tax and answers with it); everyone else reads them.
 */
export function AssumptionsEditor({
  assumptions,
  tools,
  canEdit,
  onSaved,
}: {
  assumptions: Assumptions;
  tools: Tools;
  canEdit: boolean;
  onSaved: (next: CostResponse) => void;
}) {
  const api = useApi();
  const org = useOrg();
  const ids = useId();
  const [form, setForm] = useState<FormState>(() => initialForm(assumptions));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormErrorValue | null>(null);
  const dirty = JSON.stringify(form) !== JSON.stringify(initialForm(assumptions));

  const set = (meta: AssumptionMeta, raw: RawValue) => {
    setForm((f) => ({ ...f, [meta.key]: { raw, overridden: true } }));
    const parsed = parseRaw(meta, raw);
    setErrors((e) => {
      const next = { ...e };
      if (parsed.ok) delete next[meta.key];
      else next[meta.key] = parsed.error;
      return next;
    });
  };
  const resetToDefault = (meta: AssumptionMeta) => {
    const d = defaultOf(assumptions, meta.key);
    setForm((f) => ({
      ...f,
      [meta.key]: { raw: d === undefined ? f[meta.key]!.raw : toRaw(meta, d), overridden: false },
    }));
    setErrors((e) => {
      const next = { ...e };
      delete next[meta.key];
      return next;
    });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const built = buildOverrides(form);
    if (!built.ok) {
      setErrors(built.errors);
      const n = Object.keys(built.errors).length;
      setError({
        message: `${n} value${n === 1 ? ' is' : 's are'} not valid: fix ${n === 1 ? 'it' : 'them'} and save again.`,
        details: Object.entries(built.errors).map(
          ([k, msg]) => `${ASSUMPTIONS.find((a) => a.key === k)?.label ?? k}: ${msg}`,
        ),
      });
      return;
    }
    setBusy(true);
    try {
      const next = await api.saveCostAssumptions(org.id, { overrides: built.overrides });
      setForm(initialForm(next.assumptions));
      setErrors({});
      onSaved(next);
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} aria-busy={busy} aria-label="Cost assumptions" noValidate>
      <p className="muted">
        {assumptions.version === 0
          ? 'Every assumption is at its default.'
          : `Version ${assumptions.version}${
              assumptions.updatedAt ? `, saved ${formatDateTime(assumptions.updatedAt)}` : ''
            }.`}{' '}
        {canEdit ? 'Change any value and save: the tax is recomputed with it.' : null}
      </p>
      {!canEdit && (
        <p className="notice" data-testid="assumptions-read-only">
          Only admins can change the assumptions; you can read them and where each default comes
          from.
        </p>
      )}
      {ASSUMPTION_GROUPS.map((group) => (
        <fieldset key={group} className="assumption-group">
          <legend>{group}</legend>
          <div className="table-wrap">
            <table className="table table--compact assumptions-table">
              <thead>
                <tr>
                  <th scope="col">Assumption</th>
                  <th scope="col">{canEdit ? 'Value' : 'In use'}</th>
                  <th scope="col">Default and source</th>
                </tr>
              </thead>
              <tbody>
                {ASSUMPTIONS.filter((a) => a.group === group).map((meta) => {
                  const field = form[meta.key]!;
                  const inputId = `${ids}-${meta.key}`;
                  const hintId = `${inputId}-hint`;
                  const errorId = `${inputId}-error`;
                  const fieldError = errors[meta.key];
                  return (
                    <tr
                      key={meta.key}
                      id={`assumption-${meta.key}`}
                      data-testid={`assumption-${meta.key}`}
                      className={fieldError ? 'assumption assumption--invalid' : 'assumption'}
                    >
                      <th scope="row">
                        {canEdit && meta.kind !== 'per-tool' ? (
                          <label htmlFor={inputId}>{meta.label}</label>
                        ) : (
                          <span>{meta.label}</span>
                        )}
                        {meta.unit && <span className="muted"> ({meta.unit})</span>}
                        {field.overridden && <span className="tag">your value</span>}
                      </th>
                      <td>
                        {canEdit ? (
                          <>
                            <Input
                              meta={meta}
                              raw={field.raw}
                              id={inputId}
                              describedBy={fieldError ? `${errorId} ${hintId}` : hintId}
                              invalid={Boolean(fieldError)}
                              tools={tools}
                              onChange={(raw) => set(meta, raw)}
                            />
                            {fieldError && (
                              <p className="field-error" id={errorId}>
                                {fieldError}
                              </p>
                            )}
                          </>
                        ) : (
                          formatAssumption(meta, assumptions.effective[meta.key])
                        )}
                      </td>
                      <td id={hintId}>
                        <span>
                          Default {formatAssumption(meta, defaultOf(assumptions, meta.key))}
                        </span>
                        <span className="finding-meta muted">
                          {sourceOf(assumptions, meta.key)}
                        </span>
                        {canEdit && field.overridden && (
                          <button
                            type="button"
                            className="button button--small button--secondary"
                            onClick={() => resetToDefault(meta)}
                          >
                            Use the default
                            <span className="visually-hidden"> for {meta.label}</span>
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </fieldset>
      ))}
      {canEdit && (
        <>
          <FormError error={error} />
          <div className="form-actions">
            <button type="submit" className="button" disabled={busy || !dirty}>
              {busy ? 'Saving and recomputing…' : 'Save and recompute'}
            </button>
            <button
              type="button"
              className="button button--secondary"
              disabled={busy}
              onClick={() => {
                for (const meta of ASSUMPTIONS) resetToDefault(meta);
              }}
            >
              Set every value to its default
            </button>
            {!dirty && <span className="muted">No unsaved change.</span>}
          </div>
        </>
      )}
    </form>
  );
}
