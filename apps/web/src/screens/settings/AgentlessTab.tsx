import type { ClusterConnectionRecord, CreateClusterConnectionRequest } from '@plumbline/contracts';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../../api';
import { Field, FormError } from '../../components/Field';
import { toFormError, type FormErrorValue } from '../../components/formError';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { formatDateTime, formatRelative } from '../../format';
import { useResource } from '../../hooks/useResource';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useCan, useOrg } from '../../session/org';
import { useApi } from '../../session/session';

/** How often the list is read again while a scan is queued or running. */
export const POLL_MS = 3000;

export interface ConnectionForm {
  name: string;
  server: string;
  token: string;
  caData: string;
  scheduleMinutes: string;
}

/**
 * The request for the form, or the problems to fix first (the API checks the same and more:
 * the server's address against the egress guard, the CA's certificates).
 */
export function connectionRequest(
  form: ConnectionForm,
): { ok: true; body: CreateClusterConnectionRequest } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const name = form.name.trim();
  const server = form.server.trim();
  const token = form.token.trim();
  if (!name) problems.push('Name: give the cluster a name.');
  let url: URL | null = null;
  try {
    url = new URL(server);
  } catch {
    problems.push('API server URL: enter a URL such as https://203.0.113.10:6443.');
  }
  if (url && url.protocol !== 'https:') {
    problems.push('API server URL: only https is accepted (TLS is always verified).');
  }
  if (!token) problems.push('Token: paste the read-only ServiceAccount token.');
  else if (/\s/.test(token)) {
    problems.push('Token: a bearer token has no spaces or line breaks.');
  }
  let scheduleMinutes: number | undefined;
  if (form.scheduleMinutes.trim()) {
    const n = Number(form.scheduleMinutes.trim());
    if (!Number.isInteger(n) || n < 15 || n > 10_080) {
      problems.push('Scan every: a whole number of minutes from 15 to 10080 (a week).');
    } else scheduleMinutes = n;
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    body: {
      name,
      server,
      token,
      ...(form.caData.trim() ? { caData: form.caData.trim() } : {}),
      ...(scheduleMinutes !== undefined ? { scheduleMinutes } : {}),
    },
  };
}

/** "every 15 min", "every 6 hours", "every day", "every 7 days". */
export function scheduleWords(minutes: number | null): string {
  if (!minutes) return 'on demand';
  if (minutes % 1440 === 0) return minutes === 1440 ? 'every day' : `every ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? 'every hour' : `every ${minutes / 60} hours`;
  return `every ${minutes} min`;
}

const EMPTY: ConnectionForm = { name: '', server: '', token: '', caData: '', scheduleMinutes: '' };

function ConnectionFormView({ onCreated }: { onCreated: (c: ClusterConnectionRecord) => void }) {
  const api = useApi();
  const org = useOrg();
  const ids = useId();
  const [form, setForm] = useState<ConnectionForm>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormErrorValue | null>(null);
  const set = (k: keyof ConnectionForm) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const req = connectionRequest(form);
    if (!req.ok) {
      setError({ message: 'Fix these first:', details: req.problems });
      return;
    }
    setBusy(true);
    try {
      const created = await api.createClusterConnection(org.id, req.body);
      setForm(EMPTY);
      onCreated(created);
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
      noValidate
    >
      <Field
        label="Name"
        required
        value={form.name}
        onChange={set('name')}
        placeholder="e.g. prod-eu"
        autoComplete="off"
      />
      <Field
        label="API server URL"
        type="url"
        required
        value={form.server}
        onChange={set('server')}
        placeholder="https://203.0.113.10:6443"
        hint="https only. Private, loopback and cloud metadata addresses are refused unless the operator allows them."
        autoComplete="off"
      />
      <div className="field">
        <label htmlFor={`${ids}-token`}>Read-only ServiceAccount token</label>
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
          Bound to the scanner’s read-only ClusterRole (get and list only). Stored encrypted and
          never shown again: the list shows its fingerprint.
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-ca`}>Cluster CA certificate (optional)</label>
        <textarea
          id={`${ids}-ca`}
          rows={3}
          value={form.caData}
          onChange={set('caData')}
          aria-describedby={`${ids}-ca-hint`}
          spellCheck={false}
        />
        <p className="field__hint" id={`${ids}-ca-hint`}>
          PEM, or its base64 as in a kubeconfig’s certificate-authority-data. Without it the system
          trust store is used; TLS is always verified.
        </p>
      </div>
      <Field
        label="Scan every (minutes, optional)"
        type="number"
        min={15}
        max={10080}
        value={form.scheduleMinutes}
        onChange={set('scheduleMinutes')}
        hint="15 minutes to a week. Leave empty to scan on demand only."
      />
      <FormError error={error} />
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Connecting…' : 'Connect cluster'}
      </button>
    </form>
  );
}

const STATUS: Record<string, { kind: string; label: string }> = {
  queued: { kind: 'pending', label: 'Scan queued' },
  running: { kind: 'pending', label: 'Scanning' },
  succeeded: { kind: 'ok', label: 'Last scan succeeded' },
  failed: { kind: 'error', label: 'Last scan failed' },
};

function LastScan({ c, now }: { c: ClusterConnectionRecord; now: Date }) {
  const org = useOrg();
  const status = c.lastStatus ? STATUS[c.lastStatus] : null;
  return (
    <div className="last-scan" data-testid={`connection-status-${c.name}`}>
      {status ? (
        <span className={`status-pill status-pill--${status.kind}`}>{status.label}</span>
      ) : (
        <span className="muted">never scanned</span>
      )}
      {c.lastScanAt && (
        <span className="muted">
          {' '}
          <time dateTime={c.lastScanAt} title={formatDateTime(c.lastScanAt)}>
            {formatRelative(c.lastScanAt, now)}
          </time>
        </span>
      )}
      {c.lastError && <p className="inline-message inline-message--error">{c.lastError}</p>}
      {c.clusterId && c.lastStatus === 'succeeded' && (
        <p>
          <Link to={paths.cluster(org.id, c.clusterId)}>See the cluster</Link>
        </p>
      )}
    </div>
  );
}

function ConnectionActions({
  c,
  onChanged,
}: {
  c: ClusterConnectionRecord;
  onChanged: () => void;
}) {
  const api = useApi();
  const org = useOrg();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  // "Scan queued." is news until the scan has an outcome; the status column then says it.
  const outcome = c.lastStatus === 'succeeded' || c.lastStatus === 'failed' ? c.lastScanAt : null;
  useEffect(() => {
    setMessage((m) => (m?.kind === 'ok' ? null : m));
  }, [outcome]);
  const run = async (what: 'scan' | 'toggle' | 'delete') => {
    setBusy(true);
    setMessage(null);
    try {
      if (what === 'scan') {
        await api.scanClusterConnection(org.id, c.id);
        setMessage({ kind: 'ok', text: 'Scan queued.' });
      } else if (what === 'toggle') {
        await api.updateClusterConnection(org.id, c.id, { enabled: !c.enabled });
        setMessage({ kind: 'ok', text: c.enabled ? 'Disabled.' : 'Enabled.' });
      } else {
        await api.deleteClusterConnection(org.id, c.id);
      }
      onChanged();
    } catch (e) {
      setMessage({
        kind: 'error',
        text:
          e instanceof ApiError && e.status === 409 && what === 'scan'
            ? `${describeError(e)} Wait for it, or enable the connection.`
            : describeError(e),
      });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  return (
    <span className="row-actions">
      <button
        type="button"
        className="button button--small button--secondary"
        disabled={busy || !c.enabled}
        onClick={() => void run('scan')}
      >
        Scan now<span className="visually-hidden"> {c.name}</span>
      </button>
      <button
        type="button"
        className="button button--small button--secondary"
        disabled={busy}
        onClick={() => void run('toggle')}
      >
        {c.enabled ? 'Disable' : 'Enable'}
        <span className="visually-hidden"> {c.name}</span>
      </button>
      {confirming ? (
        <span className="confirm">
          <span>Remove {c.name}? Its scans stay.</span>
          <button
            type="button"
            className="button button--small button--danger"
            disabled={busy}
            onClick={() => void run('delete')}
          >
            Confirm remove<span className="visually-hidden"> {c.name}</span>
          </button>
          <button
            type="button"
            className="button button--small button--secondary"
            onClick={() => setConfirming(false)}
          >
            Keep it
          </button>
        </span>
      ) : (
        <button
          type="button"
          className="button button--small button--danger-outline"
          disabled={busy}
          onClick={() => setConfirming(true)}
        >
          Remove<span className="visually-hidden"> {c.name}</span>
        </button>
      )}
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
    async (signal) =>
      canAdmin
        ? (await api.clusterConnections(org.id, signal)).items
        : ([] as ClusterConnectionRecord[]),
    [api, org.id, canAdmin],
  );
  const [created, setCreated] = useState<string | null>(null);
  const pending =
    connections.status === 'loaded' &&
    connections.data.some((c) => c.lastStatus === 'queued' || c.lastStatus === 'running');

  // While a scan is queued or running, read the list again until it has an outcome.
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [pending, reload, connections]);

  const intro = (
    <p className="muted">
      For clusters where installing the scanner is not an option: Plumbline connects to the API
      server with a read-only token and scans on a schedule or on demand.
    </p>
  );
  if (!canAdmin) {
    return (
      <>
        {intro}
        <p className="notice">Only admins and above can see and connect agentless clusters.</p>
      </>
    );
  }
  if (connections.status === 'loading')
    return (
      <>
        {intro}
        <Loading what="the agentless clusters" />
      </>
    );
  if (connections.status === 'error') {
    return (
      <>
        {intro}
        <ErrorState
          title="Could not load the agentless clusters."
          message={connections.message}
          error={connections.error}
          onRetry={reload}
        />
      </>
    );
  }
  const items = connections.data;
  const now = new Date();
  return (
    <>
      {intro}
      <ConnectionFormView
        onCreated={(c) => {
          setCreated(c.name);
          reload();
        }}
      />
      {created && (
        <p className="notice notice--ok" role="status" data-testid="connection-created">
          Connected {created}. Scan it now, or wait for its schedule.
        </p>
      )}
      <h3>Connected clusters</h3>
      {items.length === 0 ? (
        <EmptyState title="No agentless clusters yet." testId="connections-empty" />
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
                <tr key={c.id} data-testid={`connection-row-${c.name}`}>
                  <th scope="row">
                    {c.name}
                    {!c.enabled && <span className="tag">disabled</span>}
                    <span className="finding-meta muted">
                      token {c.tokenFingerprint}
                      {c.hasCaData ? ' · own CA' : ' · system trust store'}
                    </span>
                  </th>
                  <td>
                    <code>{c.server}</code>
                  </td>
                  <td>{scheduleWords(c.scheduleMinutes)}</td>
                  <td>
                    <LastScan c={c} now={now} />
                  </td>
                  <td>
                    <ConnectionActions c={c} onChanged={reload} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
