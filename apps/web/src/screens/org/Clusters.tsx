import { EmptyState, ResourceView } from '../../components/states';
import { formatDateTime, formatRelative } from '../../format';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useOrg } from '../../session/org';
import { PageTitle } from '../../shell/page';
import { InstallScannerSteps } from './InstallScanner';
import { useClusters } from './useClusters';

/** Every cluster of the organisation, with its last scan. */
export default function Clusters() {
  const org = useOrg();
  const [clusters, reload] = useClusters();
  const now = new Date();
  return (
    <>
      <PageTitle title={`Clusters · ${org.name}`}>Clusters</PageTitle>
      <ResourceView resource={clusters} what="your clusters" onRetry={reload}>
        {(items) =>
          items.length === 0 ? (
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
                    <th scope="col">Environment</th>
                    <th scope="col">Last scan</th>
                    <th scope="col">First seen</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((c) => (
                    <tr key={c.id}>
                      <th scope="row">
                        <Link to={paths.cluster(org.id, c.id)}>{c.name}</Link>
                      </th>
                      <td>{c.production ? 'production' : 'non-production'}</td>
                      <td>
                        {c.lastScanAt ? (
                          <time dateTime={c.lastScanAt} title={formatDateTime(c.lastScanAt)}>
                            {formatRelative(c.lastScanAt, now)}
                          </time>
                        ) : (
                          <span className="muted">never</span>
                        )}
                      </td>
                      <td>{formatDateTime(c.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </ResourceView>
    </>
  );
}
