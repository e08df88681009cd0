import type {
  ClusterRecord,
  CreatedScannerTokenResponse,
  ScannerTokenRecord,
} from '@plumbline/contracts';
import { useId, useState, type FormEvent } from 'react';
import { CommandBlock } from '../../components/CommandBlock';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Field, FormError } from '../../components/Field';
import { toFormError, type FormErrorValue } from '../../components/formError';
import { EmptyState, ResourceView } from '../../components/states';
import { formatDateTime, formatRelative } from '../../format';
import { useResource } from '../../hooks/useResource';
import { cliScanCommand, helmInstallCommand } from '../../install';
import { useOrg } from '../../session/org';
import { useApi } from '../../session/session';
import { NeedsRole } from './NeedsRole';

export type TokenState = 'active' | 'revoked' | 'expired';

export function tokenState(t: ScannerTokenRecord, now: Date): TokenState {
  if (t.revokedAt) return 'revoked';
  if (t.expiresAt && Date.parse(t.expiresAt) <= now.getTime()) return 'expired';
  return 'active';
}

const STATE_KIND: Record<TokenState, string> = {
  active: 'ok',
  revoked: 'error',
  expired: 'warning',
};

const EXPIRY_OPTIONS: { label: string; days: number | undefined }[] = [
  { label: 'Never', days: undefined },
  { label: 'In 30 days', days: 30 },
  { label: 'In 90 days', days: 90 },
  { label: 'In 1 year', days: 365 },
];

function CreateTokenForm({
  clusters,
  onCreated,
}: {
  clusters: readonly ClusterRecord[];
  onCreated: (r: CreatedScannerTokenResponse) => void;
}) {
  const api = useApi();
  const org = useOrg();
  const ids = useId();
  const [name, setName] = useState('');
  const [clusterId, setClusterId] = useState('');
  const [expiry, setExpiry] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormErrorValue | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api.createScannerToken(org.id, {
        name: name.trim(),
        ...(clusterId ? { clusterId } : {}),
        ...(EXPIRY_OPTIONS[expiry]?.days ? { expiresInDays: EXPIRY_OPTIONS[expiry].days } : {}),
      });
      setName('');
      onCreated(r);
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="inline-form"
      onSubmit={submit}
      aria-label="Create a scanner token"
      aria-busy={busy}
    >
      <Field
        label="Token name"
        required
        maxLength={100}
        placeholder="e.g. prod-eu scanner"
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <div className="field">
        <label htmlFor={`${ids}-cluster`}>Limit to cluster</label>
        <select
          id={`${ids}-cluster`}
          value={clusterId}
          onChange={(e) => setClusterId(e.target.value)}
        >
          <option value="">Any cluster</option>
          {clusters.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-expiry`}>Expires</label>
        <select
          id={`${ids}-expiry`}
          value={expiry}
          onChange={(e) => setExpiry(Number(e.target.value))}
        >
          {EXPIRY_OPTIONS.map((o, i) => (
            <option key={o.label} value={i}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Creating…' : 'Create token'}
      </button>
      <FormError error={error} />
    </form>
  );
}

/** The token, once, with the install commands filled in. */
export function CreatedToken({
  created,
  clusterName: initialClusterName,
  apiUrl,
  onDone,
}: {
  created: CreatedScannerTokenResponse;
  clusterName: string;
  apiUrl: string;
  onDone: () => void;
}) {
  const [clusterName, setClusterName] = useState(initialClusterName);
  const input = { token: created.token, apiUrl, clusterName: clusterName.trim() };
  return (
    <section
      className="callout callout--important"
      aria-labelledby="created-token-title"
      data-testid="created-token"
    >
      <h3 id="created-token-title">Token “{created.record.name}” created</h3>
      <p>
        <strong>Copy it now: it is shown only once.</strong> Plumbline keeps only a hash of it and
        cannot show it again. If it is lost, revoke it and create a new one.
      </p>
      <CommandBlock label="Scanner token" command={created.token} testId="created-token-value" />
      <Field
        label="Cluster name (as it will appear in Plumbline)"
        value={clusterName}
        onChange={(e) => setClusterName(e.target.value)}
      />
      <CommandBlock
        label="Install in the cluster (Helm)"
        command={helmInstallCommand(input)}
        testId="install-helm"
      />
      <CommandBlock
        label="Or scan once from your workstation (current kubectl context)"
        command={cliScanCommand(input)}
        testId="install-cli"
      />
      <p className="muted">
        The chart is in the Plumbline repository (<code>infra/scanner</code>, also as plain
        manifests for <code>kubectl apply -k</code>). The scanner only reads: get and list, never
        Secret values.
      </p>
      <button type="button" className="button button--secondary" onClick={onDone}>
        I have copied the token
      </button>
    </section>
  );
}

function RevokeButton({ token, onRevoked }: { token: ScannerTokenRecord; onRevoked: () => void }) {
  const api = useApi();
  const org = useOrg();
  return (
    <ConfirmButton
      verb="Revoke"
      target={token.name}
      consequence="Scanners using it stop uploading."
      action={() => api.revokeScannerToken(org.id, token.id)}
      onDone={onRevoked}
    />
  );
}

export function TokensTab() {
  return (
    <NeedsRole role="admin" what="scanner tokens">
      <Tokens />
    </NeedsRole>
  );
}

function Tokens() {
  const api = useApi();
  const org = useOrg();
  const [created, setCreated] = useState<CreatedScannerTokenResponse | null>(null);
  const [data, reload] = useResource(
    async (signal) => {
      const [tokens, clusters] = await Promise.all([
        api.scannerTokens(org.id, signal),
        api.clusters(org.id, signal),
      ]);
      return { tokens: tokens.items, clusters: clusters.items };
    },
    [api, org.id],
  );
  const now = new Date();
  return (
    <>
      <p className="muted">
        A scanner token lets the in-cluster scanner upload snapshots to {org.name}, and nothing
        else. Create one per cluster so each can be revoked on its own.
      </p>
      <ResourceView resource={data} what="the scanner tokens" onRetry={reload}>
        {({ tokens, clusters }) => {
          const clusterName = (id: string | null) => clusters.find((c) => c.id === id)?.name;
          return (
            <>
              {created ? (
                <CreatedToken
                  created={created}
                  apiUrl={window.location.origin}
                  clusterName={
                    clusterName(created.record.clusterId) ??
                    created.record.name.replace(/\s+/g, '-').toLowerCase()
                  }
                  onDone={() => setCreated(null)}
                />
              ) : (
                <CreateTokenForm
                  clusters={clusters}
                  onCreated={(r) => {
                    setCreated(r);
                    reload();
                  }}
                />
              )}
              <h3>Tokens</h3>
              {tokens.length === 0 ? (
                <EmptyState title="No scanner tokens yet." />
              ) : (
                <div className="table-wrap">
                  <table className="table" data-testid="tokens-table">
                    <caption className="visually-hidden">Scanner tokens, newest first</caption>
                    <thead>
                      <tr>
                        <th scope="col">Name</th>
                        <th scope="col">Starts with</th>
                        <th scope="col">Cluster</th>
                        <th scope="col">Created</th>
                        <th scope="col">Last used</th>
                        <th scope="col">Expires</th>
                        <th scope="col">Status</th>
                        <th scope="col">
                          <span className="visually-hidden">Actions</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {tokens.map((t) => {
                        const st = tokenState(t, now);
                        return (
                          <tr key={t.id} data-testid={`token-row-${t.name}`}>
                            <th scope="row">{t.name}</th>
                            <td>
                              <code>{t.displayPrefix}…</code>
                            </td>
                            <td>
                              {t.clusterId
                                ? (clusterName(t.clusterId) ?? 'a removed cluster')
                                : 'any'}
                            </td>
                            <td>{formatDateTime(t.createdAt)}</td>
                            <td>
                              {t.lastUsedAt ? (
                                formatRelative(t.lastUsedAt, now)
                              ) : (
                                <span className="muted">never</span>
                              )}
                            </td>
                            <td>{t.expiresAt ? formatDateTime(t.expiresAt) : 'never'}</td>
                            <td>
                              <span className={`status-pill status-pill--${STATE_KIND[st]}`}>
                                {st}
                              </span>
                            </td>
                            <td>
                              {st === 'active' && <RevokeButton token={t} onRevoked={reload} />}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          );
        }}
      </ResourceView>
    </>
  );
}
