import type { ClusterDetail } from '@plumbline/contracts';
import type { ReactNode } from 'react';
import { ApiError } from '../../../api';
import { ErrorState, Loading } from '../../../components/states';
import { useResource, type Resource } from '../../../hooks/useResource';
import { Link } from '../../../router/Link';
import { paths } from '../../../router/routes';
import { useOrg } from '../../../session/org';
import { useApi } from '../../../session/session';
import { PageTitle } from '../../../shell/page';

/** A cluster's detail (its newest analysed scan) from the read API. */
export function useClusterDetail(clusterId: string): [Resource<ClusterDetail>, () => void] {
  const api = useApi();
  const org = useOrg();
  return useResource(
    (signal) => api.clusterDetail(org.id, clusterId, signal),
    [api, org.id, clusterId],
  );
}

/** Loading, "not found" and errors in words for every page of one cluster. */
export function ClusterFrame({
  resource,
  reload,
  what,
  children,
}: {
  resource: Resource<ClusterDetail>;
  reload: () => void;
  /** What is loading: "the cluster", "the evidence". */
  what: string;
  children: (data: ClusterDetail) => ReactNode;
}) {
  const org = useOrg();
  if (resource.status === 'loading') return <Loading what={what} />;
  if (resource.status === 'error') {
    if (resource.error instanceof ApiError && resource.error.status === 404) {
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
        <PageTitle title="Cluster">Cluster</PageTitle>
        <ErrorState
          title={`Could not load ${what}.`}
          message={resource.message}
          error={resource.error}
          onRetry={reload}
        />
      </>
    );
  }
  return <>{children(resource.data)}</>;
}

/** "Clusters › shop-prod-eu ›" above a cluster's pages. */
export function ClusterBreadcrumb({
  cluster,
  extra,
}: {
  cluster?: { id: string; name: string };
  extra?: { label: string; to: string };
}) {
  const org = useOrg();
  return (
    <p className="breadcrumb">
      <Link to={paths.clusters(org.id)}>Clusters</Link> <span aria-hidden="true">›</span>
      {cluster && (
        <>
          {' '}
          <Link to={paths.cluster(org.id, cluster.id)}>{cluster.name}</Link>{' '}
          <span aria-hidden="true">›</span>
        </>
      )}
      {extra && (
        <>
          {' '}
          <Link to={extra.to}>{extra.label}</Link> <span aria-hidden="true">›</span>
        </>
      )}
    </p>
  );
}
