import type { ClusterRecord, FleetCluster } from '@plumbline/contracts';
import { useState } from 'react';
import { LevelBadge } from '../../components/LevelBadge';
import { EmptyState, ResourceView } from '../../components/states';
import { formatDateTime, formatRelative } from '../../format';
import { useResource } from '../../hooks/useResource';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useCan, useOrg } from '../../session/org';
import { useApi } from '../../session/session';
import { PageTitle } from '../../shell/page';
import { InstallScannerSteps } from './InstallScanner';
import { useClusters } from './useClusters';

type Choice = '' | 'production' | 'non-production';

/** The environment in words: the effective one, and whether it was set or inferred (and why). */
export function environmentWords(c: ClusterRecord): { label: string; how: string } {
  const label = c.production ? 'production' : 'non-production';
  if (c.environment !== null) return { label, how: 'set by an admin' };
  return { label, how: `inferred: ${c.environmentReason ?? 'no scan yet'}` };
}

function EnvironmentCell({
  orgId,
  cluster,
  canEdit,
  onSaved,
}: {
  orgId: string;
  cluster: ClusterRecord;
  canEdit: boolean;
  onSaved: (c: ClusterRecord) => void;
}) {
  const api = useApi();
  const [status, setStatus] = useState<string | null>(null);
  const words = environmentWords(cluster);
  if (!canEdit) {
    return (
      <>
        {words.label} <span className="muted">({words.how})</span>
      </>
    );
  }
  const value: Choice = cluster.environment ?? '';
  const inferred = cluster.environment === null ? words.label : 'from labels and name';
  return (
    <>
      <select
        aria-label={`Environment of ${cluster.name}`}
        value={value}
        onChange={(e) => {
          const next = e.target.value as Choice;
          setStatus('Saving…');
          api
            .setClusterEnvironment(orgId, cluster.id, { environment: next === '' ? null : next })
            .then((saved) => {
              setStatus(null);
              onSaved({ ...cluster, ...saved });
            })
            .catch((err: unknown) =>
              setStatus(`Not saved: ${err instanceof Error ? err.message : String(err)}`),
            );
        }}
      >
        <option value="">Inferred ({inferred})</option>
        <option value="production">production</option>
        <option value="non-production">non-production</option>
      </select>{' '}
      <span className="muted">{status ?? `(${words.how})`}</span>
    </>
  );
}

/** Every cluster of the organisation, with its level, environment and scans. */
export default function Clusters() {
  const org = useOrg();
  const api = useApi();
  const canEdit = useCan('admin');
  const [clusters, reload] = useClusters();
  const [overview] = useResource((signal) => api.overview(org.id, signal), [api, org.id]);
  const [edited, setEdited] = useState<Record<string, ClusterRecord>>({});
  const fleet = new Map<string, FleetCluster>(
    overview.status === 'loaded' ? overview.data.clusters.map((c) => [c.id, c]) : [],
  );
  const now = new Date();
  return (
    <>
      <PageTitle title={`Clusters · ${org.name}`}>Clusters</PageTitle>
      <ResourceView resource={clusters} what="your clusters" onRetry={reload}>
        {(loaded) => {
          const items = loaded.map((c) => edited[c.id] ?? c);
          return items.length === 0 ? (
            <EmptyState
              title="No clusters yet: install the scanner like this."
              testId="empty-clusters"
            >
              <InstallScannerSteps />
            </EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="clusters-table">
                <caption className="visually-hidden">Clusters</caption>
                <thead>
                  <tr>
                    <th scope="col">Cluster</th>
                    <th scope="col">Maturity level</th>
                    <th scope="col">Environment</th>
                    <th scope="col">Last scan</th>
                    <th scope="col">First seen</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((c) => (
                    <tr key={c.id} data-testid={`cluster-row-${c.name}`}>
                      <th scope="row">
                        <Link to={paths.cluster(org.id, c.id)}>{c.name}</Link>
                      </th>
                      <td>
                        {overview.status === 'loaded' ? (
                          <LevelBadge level={fleet.get(c.id)?.level ?? null} short />
                        ) : (
                          <span className="muted">{overview.status === 'error' ? '—' : '…'}</span>
                        )}
                      </td>
                      <td>
                        <EnvironmentCell
                          orgId={org.id}
                          cluster={c}
                          canEdit={canEdit}
                          onSaved={(saved) => setEdited((e) => ({ ...e, [saved.id]: saved }))}
                        />
                      </td>
                      <td>
                        {c.lastScanAt ? (
                          <time dateTime={c.lastScanAt} title={formatDateTime(c.lastScanAt)}>
                            {formatRelative(c.lastScanAt, now)}
                          </time>
                        ) : (
                          <span className="muted">never</span>
                        )}
                      </td>
                      <td>
                        <time dateTime={c.firstSeenAt}>{formatDateTime(c.firstSeenAt)}</time>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </ResourceView>
    </>
  );
}
