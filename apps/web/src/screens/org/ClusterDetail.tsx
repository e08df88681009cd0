import type { ScanRecord } from '@plumbline/contracts';
import { ErrorState, Loading, ResourceView } from '../../components/states';
import { formatDateTime } from '../../format';
import { useResource } from '../../hooks/useResource';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useOrg } from '../../session/org';
import { useApi } from '../../session/session';
import { PageTitle } from '../../shell/page';
import { ComingNext } from './ComingNext';
import { useClusters } from './useClusters';

const SCAN_STATUS_WORDS: Record<ScanRecord['status'], string> = {
  queued: 'Queued',
  running: 'Analysing',
  succeeded: 'Analysed',
  failed: 'Failed',
};
const SCAN_STATUS_KIND: Record<ScanRecord['status'], string> = {
  queued: 'pending',
  running: 'pending',
  succeeded: 'ok',
  failed: 'error',
};

function ScanHistory({ clusterId }: { clusterId: string }) {
  const api = useApi();
  const org = useOrg();
  const [scans, reload] = useResource(
    (signal) => api.scans(org.id, clusterId, { limit: 20, signal }),
    [api, org.id, clusterId],
  );
  return (
    <section className="panel" aria-labelledby="scan-history-title">
      <h2 id="scan-history-title">Scan history</h2>
      <ResourceView resource={scans} what="the scan history" onRetry={reload}>
        {(page) =>
          page.items.length === 0 ? (
            <p className="muted">No scans yet.</p>
          ) : (
            <table className="table" data-testid="scan-history">
              <caption className="visually-hidden">Scans, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Uploaded</th>
                  <th scope="col">Status</th>
                  <th scope="col">Methodology</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((s) => (
                  <tr key={s.id}>
                    <th scope="row">
                      <time dateTime={s.createdAt}>{formatDateTime(s.createdAt)}</time>
                    </th>
                    <td>
                      <span className={`status-pill status-pill--${SCAN_STATUS_KIND[s.status]}`}>
                        {SCAN_STATUS_WORDS[s.status]}
                      </span>
                    </td>
                    <td>{s.methodologyVersion ?? '—'}</td>
                    <td>{s.error ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </ResourceView>
    </section>
  );
}

/** One cluster: for now its scan history, and what the analysis view will show. */
export default function ClusterDetail({ clusterId }: { clusterId: string }) {
  const org = useOrg();
  const [clusters, reload] = useClusters();
  if (clusters.status === 'loading') return <Loading what="the cluster" />;
  if (clusters.status === 'error') {
    return (
      <ErrorState
        title="Could not load the cluster."
        message={clusters.message}
        error={clusters.error}
        onRetry={reload}
      />
    );
  }
  const cluster = clusters.data.find((c) => c.id === clusterId);
  if (!cluster) {
    return (
      <>
        <PageTitle title="Cluster not found">Cluster not found</PageTitle>
        <ErrorState
          title="This cluster does not exist in this organisation."
          message="It may have been removed, or the link belongs to another organisation."
        >
          <p>
            <Link to={paths.clusters(org.id)}>See all clusters</Link>
          </p>
        </ErrorState>
      </>
    );
  }
  return (
    <>
      <p className="breadcrumb">
        <Link to={paths.clusters(org.id)}>Clusters</Link> <span aria-hidden="true">›</span>
      </p>
      <PageTitle title={`${cluster.name} · Clusters`}>{cluster.name}</PageTitle>
      <ComingNext
        what={[
          'the detected stack by layer, with overlaps flagged',
          'NetworkPolicy coverage by namespace (ingress and egress)',
          'each pillar’s criteria met, not met or unknown, with their evidence',
          'findings with severity, remediation and what-if',
          'new, fixed and regressed findings between scans',
        ]}
      />
      <ScanHistory clusterId={cluster.id} />
    </>
  );
}
