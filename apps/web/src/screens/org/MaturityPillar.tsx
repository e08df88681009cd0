import type { HistoryEntry, Overview } from '@plumbline/contracts';
import { LevelBadge } from '../../components/LevelBadge';
import { ErrorState, ResourceView } from '../../components/states';
import { formatDateTime } from '../../format';
import { useResource } from '../../hooks/useResource';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useOrg } from '../../session/org';
import { useApi } from '../../session/session';
import { PageTitle } from '../../shell/page';
import { joinWords } from './words';

export interface ClusterPillarLevel {
  clusterId: string;
  clusterName: string;
  production: boolean;
  /** null: no analysed scan yet. */
  level: number | null;
  collectedAt: string | null;
}

/** Run `fn` over `items`, at most `limit` at a time, keeping the order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** A pillar's level in the newest analysed scan of a history page (newest first). */
export function pillarLevelIn(entries: readonly HistoryEntry[], pillarId: string) {
  const analysed = entries.find((e) => e.summary !== null);
  const pillar = analysed?.summary?.maturity.pillars.find((p) => p.id === pillarId);
  return {
    level: pillar?.level ?? null,
    collectedAt: analysed?.summary?.collectedAt ?? analysed?.collectedAt ?? null,
  };
}

/** Lowest level first, clusters without a level last, then by name. */
export function sortByLevel(rows: readonly ClusterPillarLevel[]): ClusterPillarLevel[] {
  return [...rows].sort((a, b) => {
    if (a.level === null || b.level === null) {
      if (a.level === b.level) return a.clusterName.localeCompare(b.clusterName);
      return a.level === null ? 1 : -1;
    }
    return a.level - b.level || a.clusterName.localeCompare(b.clusterName);
  });
}

interface PillarData {
  overview: Overview;
  rows: ClusterPillarLevel[];
}

/** One operational maturity pillar across the fleet: where its level comes from. */
export default function MaturityPillar({ pillarId }: { pillarId: string }) {
  const api = useApi();
  const org = useOrg();
  const [resource, reload] = useResource<PillarData>(
    async (signal) => {
      const overview = await api.overview(org.id, signal);
      const rows = await mapLimit(overview.clusters, 4, async (c) => {
        const history = await api.clusterHistory(org.id, c.id, { limit: 5, signal });
        return {
          clusterId: c.id,
          clusterName: c.name,
          production: c.production,
          ...pillarLevelIn(history.items, pillarId),
        };
      });
      return { overview, rows: sortByLevel(rows) };
    },
    [api, org.id, pillarId],
  );
  const breadcrumb = (
    <p className="breadcrumb">
      <Link to={paths.overview(org.id)}>Overview</Link> <span aria-hidden="true">›</span>
    </p>
  );
  if (resource.status !== 'loaded') {
    return (
      <>
        {breadcrumb}
        <PageTitle title={`Maturity pillar · ${org.name}`}>Operational maturity pillar</PageTitle>
        <ResourceView resource={resource} what="the pillar" onRetry={reload}>
          {() => null}
        </ResourceView>
      </>
    );
  }
  const { overview, rows } = resource.data;
  const orgPillar = overview.maturity?.pillars.find((p) => p.id === pillarId);
  if (!orgPillar) {
    return (
      <>
        {breadcrumb}
        <PageTitle title="Pillar not found">Pillar not found</PageTitle>
        <ErrorState
          title="There is no such operational maturity pillar in this organisation’s results."
          message={
            overview.maturity
              ? 'The link may be out of date.'
              : 'No scan has been analysed yet, so there are no pillar levels.'
          }
        >
          <p>
            <Link to={paths.overview(org.id)}>Back to the overview</Link>
          </p>
        </ErrorState>
      </>
    );
  }
  const known = rows.filter((r) => r.level !== null);
  const min = known.length ? Math.min(...known.map((r) => r.level!)) : null;
  const holding = rows.filter((r) => r.level !== null && r.level === min);
  return (
    <>
      {breadcrumb}
      <PageTitle title={`${orgPillar.name} · Overview · ${org.name}`}>{orgPillar.name}</PageTitle>
      <section className="panel" aria-labelledby="pillar-summary-title">
        <h2 id="pillar-summary-title">Organisation level</h2>
        <p className="headline">
          <LevelBadge level={orgPillar.level} />{' '}
          <span className="muted">{overview.maturity?.basis}</span>
        </p>
        <p data-testid="pillar-holding">
          {holding.length
            ? `The organisation’s level on this pillar is its lowest cluster’s: ${joinWords(
                holding.map((h) => h.clusterName),
              )} (level ${min}).`
            : 'No cluster has an analysed scan yet.'}{' '}
          Open a cluster to see this pillar’s criteria, met, not met or unknown, with their
          evidence.
        </p>
      </section>
      <section className="panel" aria-labelledby="pillar-clusters-title">
        <h2 id="pillar-clusters-title">By cluster</h2>
        <div className="table-wrap">
          <table className="table" data-testid="pillar-clusters">
            <caption className="visually-hidden">
              {orgPillar.name}: level per cluster, lowest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Cluster</th>
                <th scope="col">Level on this pillar</th>
                <th scope="col">Newest analysed scan</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.clusterId}>
                  <th scope="row">
                    <Link to={paths.cluster(org.id, r.clusterId)}>{r.clusterName}</Link>
                    {r.production && <span className="tag">production</span>}
                  </th>
                  <td>
                    <Link
                      to={paths.cluster(org.id, r.clusterId, `pillar-${pillarId}`)}
                      className="plain-link"
                    >
                      <LevelBadge level={r.level} />
                      <span className="visually-hidden"> in {r.clusterName}: see the criteria</span>
                    </Link>
                  </td>
                  <td>
                    {r.collectedAt ? (
                      formatDateTime(r.collectedAt)
                    ) : (
                      <span className="muted">none yet</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
