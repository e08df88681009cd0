import { useId, useState, type FormEvent } from 'react';
import { ApiError, describeError, type ClusterConnection } from '../../api';
import { Field, FormError } from '../../components/Field';
import { toFormError, type FormErrorValue } from '../../components/formError';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { formatDateTime } from '../../format';
import { useResource } from '../../hooks/useResource';
import { useCan, useOrg } from '../../session/org';
import { useApi } from '../../session/session';

function ConnectionForm({ onCreated }: { onCreated: () => void }) {
  const api = useApi();
  const org = useOrg();
  const ids = useId();
  const [form, setForm] = useState({
    name: '',
    server: '',
    token: '',
    caData: '',
    scheduleMinutes: '',
  });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormErrorValue | null>(null);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const minutes = form.scheduleMinutes.trim() ? Number(form.scheduleMinutes) : undefined;
      await api.createClusterConnection(org.id, {
        name: form.name.trim(),
        server: form.server.trim(),
        token: form.token.trim(),
        ...(form.caData.trim() ? { caData: form.caData.trim() } : {}),
        ...(minutes !== undefined ? { scheduleMinutes: minutes } : {}),
      });
      setForm({ name: '', server: '', token: '', caData: '', scheduleMinutes: '' });
      onCreated();
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="stacked-form"
      onSubmit={submit}
      aria-label="Connect a cluster"
      aria-busy={busy}
    >
      <Field
        label="Name"
        required
        value={form.name}
        onChange={set('name')}
        placeholder="e.g. prod-eu"
      />
      <Field
        label="API server URL"
        type="url"
        required
        value={form.server}
        onChange={set('server')}
        placeholder="https://203.0.113.10:6443"
      />
      <div className="field">
        <label htmlFor={`${ids}-token`}>Read-only service account token</label>
        <textarea
          id={`${ids}-token`}
          required
          rows={3}
          value={form.token}
          onChange={set('token')}
          aria-describedby={`${ids}-token-hint`}
          autoComplete="off"
          spellCheck={false}
        />
        <p className="field__hint" id={`${ids}-token-hint`}>
          Bound to the scanner’s read-only ClusterRole (get and list only). Stored encrypted, never
          shown again.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-ca`}>Cluster CA certificate (base64 PEM, optional)</label>
        <textarea
          id={`${ids}-ca`}
          rows={2}
          value={form.caData}
          onChange={set('caData')}
          spellCheck={false}
        />
      </div>
      <Field
        label="Scan every (minutes, optional)"
        type="number"
        min={15}
        value={form.scheduleMinutes}
        onChange={set('scheduleMinutes')}
      />
      <FormError error={error} />
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Connecting…' : 'Connect cluster'}
      </button>
    </form>
  );
}

function ConnectionActions({ c, onChanged }: { c: ClusterConnection; onChanged: () => void }) {
  const api = useApi();
  const org = useOrg();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const run = async (what: 'scan' | 'delete') => {
    setBusy(true);
    setMessage(null);
    try {
      if (what === 'scan') {
        await api.scanClusterConnection(org.id, c.id);
        setMessage({ kind: 'ok', text: 'Scan queued.' });
      } else {
        await api.deleteClusterConnection(org.id, c.id);
      }
      onChanged();
    } catch (e) {
      setMessage({ kind: 'error', text: describeError(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="row-actions">
      <button
        type="button"
        className="button button--small button--secondary"
        disabled={busy}
        onClick={() => void run('scan')}
      >
        Scan now<span className="visually-hidden"> {c.name}</span>
      </button>
      <button
        type="button"
        className="button button--small button--danger-outline"
        disabled={busy}
        onClick={() => void run('delete')}
      >
        Remove<span className="visually-hidden"> {c.name}</span>
      </button>
      {message && (
        <span
          role={message.kind === 'error' ? 'alert' : 'status'}
          className={`inline-message inline-message--${message.kind}`}
        >
          {message.text}
        </span>
      )}
    </span>
  );
}

/** Clusters Plumbline scans from outside, with a token it holds (no in-cluster scanner). */
export function AgentlessTab() {
  const api = useApi();
  const org = useOrg();
  const canAdmin = useCan('admin');
  const [connections, reload] = useResource(
    async (signal) => (await api.clusterConnections(org.id, signal)).items,
    [api, org.id],
  );

  const intro = (
    <p className="muted">
      For clusters where installing the scanner is not an option: Plumbline connects to the API
      server with a read-only token and scans on a schedule.
    </p>
  );
  if (connections.status === 'loading')
    return (
      <>
        {intro}
        <Loading what="the agentless clusters" />
      </>
    );
  if (connections.status === 'error') {
    const missing = connections.error instanceof ApiError && connections.error.status === 404;
    return (
      <>
        {intro}
        <ErrorState
          title={
            missing
              ? 'Agentless scanning is not available on this Plumbline server yet.'
              : 'Could not load the agentless clusters.'
          }
          message={
            missing
              ? 'The API has no cluster connections endpoint (it answered 404). Install the in-cluster scanner with a scanner token instead, or upgrade the server.'
              : connections.message
          }
          error={missing ? undefined : connections.error}
          onRetry={reload}
        />
      </>
    );
  }
  const items = connections.data;
  return (
    <>
      {intro}
      {canAdmin ? (
        <ConnectionForm onCreated={reload} />
      ) : (
        <p className="notice">Admins connect clusters.</p>
      )}
      <h3>Connected clusters</h3>
      {items.length === 0 ? (
        <EmptyState title="No agentless clusters yet." />
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="connections-table">
            <caption className="visually-hidden">Agentless cluster connections</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">API server</th>
                <th scope="col">Schedule</th>
                <th scope="col">Last scan</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.name}</th>
                  <td>
                    <code>{c.server ?? '—'}</code>
                  </td>
                  <td>{c.scheduleMinutes ? `every ${c.scheduleMinutes} min` : 'on demand'}</td>
                  <td>
                    {c.lastScanAt ? (
                      formatDateTime(c.lastScanAt)
                    ) : (
                      <span className="muted">never</span>
                    )}
                    {c.lastError && (
                      <span className="inline-message inline-message--error"> {c.lastError}</span>
                    )}
                  </td>
                  <td>{canAdmin && <ConnectionActions c={c} onChanged={reload} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
