import { EmptyState, ResourceView } from '../../components/states';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useOrg } from '../../session/org';
import { PageTitle } from '../../shell/page';
import { ComingNext } from './ComingNext';
import { InstallScannerSteps } from './InstallScanner';
import { useClusters } from './useClusters';

/** The organisation overview: for now, the empty state or what is coming. */
export default function Overview() {
  const org = useOrg();
  const [clusters, reload] = useClusters();
  return (
    <>
      <PageTitle title={`Overview · ${org.name}`}>Overview</PageTitle>
      <ResourceView resource={clusters} what="your clusters" onRetry={reload}>
        {(items) =>
          items.length === 0 ? (
            <EmptyState
              title="No clusters yet: install the scanner like this."
              testId="empty-overview"
            >
              <InstallScannerSteps />
            </EmptyState>
          ) : (
            <ComingNext
              what={[
                'operational maturity (six pillars) and AI agent accountability (five pillars) as radars, with the lowest pillar called out',
                'the integration tax per year and its components',
                'trends of the scores and the tax',
                'the fleet table: every cluster with its level, lowest pillar, coverage, last scan and status',
              ]}
            >
              <p>
                {items.length} cluster{items.length === 1 ? '' : 's'} scanned so far:{' '}
                <Link to={paths.clusters(org.id)}>see the clusters and their scan history</Link>.
              </p>
            </ComingNext>
          )
        }
      </ResourceView>
    </>
  );
}
