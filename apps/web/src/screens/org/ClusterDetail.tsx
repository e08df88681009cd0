import type { ClusterDetail as ClusterDetailData } from '@plumbline/contracts';
import { formatDateTime, formatRelative } from '../../format';
import { useHashTarget } from '../../hooks/useHashTarget';
import { useResource } from '../../hooks/useResource';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useCan, useOrg } from '../../session/org';
import { useApi } from '../../session/session';
import { PageTitle } from '../../shell/page';
import { ScanHistory } from './cluster/History';
import {
  CostSection,
  ExportLinks,
  FindingsSection,
  MaturitySection,
  NetworkPolicySection,
  StackSection,
} from './cluster/Sections';
import { ClusterBreadcrumb, ClusterFrame, useClusterDetail } from './cluster/useClusterDetail';
import type { ClusterRisks } from './risks/model';
import { useRiskAcceptances } from './risks/useRiskAcceptances';
import { nextLevel, stepsByFinding, type StepLink } from './roadmap/model';
import { plural, scanStatus } from './words';

const SECTIONS = [
  ['maturity', 'Maturity'],
  ['stack', 'Stack'],
  ['network-policy', 'NetworkPolicy'],
  ['findings', 'Findings'],
  ['cost', 'Cost'],
  ['history', 'History'],
  ['changes', 'Changes'],
] as const;

/**
 * What the page shows, and a newer scan that is still running or failed (or a failed re-analysis
 * of the scan shown), in words.
 */
function ScanLine({ data, now }: { data: ClusterDetailData; now: Date }) {
  const { scan, latestScan } = data;
  const newer = latestScan && scan && latestScan.id !== scan.id ? latestScan : null;
  return (
    <div className="page-meta">
      {scan ? (
        <p>
          From the scan collected{' '}
          <time
            dateTime={scan.collectedAt ?? scan.createdAt}
            title={formatDateTime(scan.collectedAt ?? scan.createdAt)}
          >
            {formatRelative(scan.collectedAt ?? scan.createdAt, now)}
          </time>
          {scan.methodologyVersion && <> · methodology {scan.methodologyVersion}</>}
        </p>
      ) : latestScan ? (
        <p className="notice" role="status">
          {latestScan.status === 'failed'
            ? `The only scan so far failed: ${latestScan.error ?? 'no reason given'}.`
            : 'The first scan is being analysed; the results appear here when it is done.'}
        </p>
      ) : (
        <p className="notice">No scan uploaded yet.</p>
      )}
      {scan && latestScan?.id === scan.id && latestScan.error && (
        <p className="notice" role="status" data-testid="reanalysis-failed">
          Analysing this scan again failed: {latestScan.error}. The results below are from its last
          successful analysis.
        </p>
      )}
      {newer && (
        <p className="notice" role="status" data-testid="newer-scan">
          A newer scan ({formatDateTime(newer.createdAt)}) is{' '}
          {scanStatus(newer.status).label.toLowerCase()}
          {newer.error ? `: ${newer.error}` : ''}. The results below are from the scan before it.
        </p>
      )}
    </div>
  );
}

/**
 * Which step of the newest plan fixes each finding: only when that plan is ready (the newest plan
 * is what the roadmap page opens on). No plan, or the plans cannot be read: no links.
 */
function useFindingSteps(clusterId: string): ReadonlyMap<string, StepLink> {
  const api = useApi();
  const org = useOrg();
  const [newest] = useResource(
    (signal) => api.plans(org.id, clusterId, { limit: 1, signal }),
    [api, org.id, clusterId],
  );
  return newest.status === 'loaded' ? stepsByFinding(newest.data.items[0]) : new Map();
}

/**
 * The organisation's accepted risks, to mark the criteria and findings they cover; admins accept
 * more from here. They cannot be read: nothing is marked (the results stand on their own).
 */
function useClusterRisks(cluster: { id: string; name: string }): ClusterRisks {
  const canAccept = useCan('admin');
  const [list, reload] = useRiskAcceptances();
  return { cluster: { id: cluster.id, name: cluster.name }, list, canAccept, onAccepted: reload };
}

/** "Roadmap to level 2": the path off today's level, on its own page. */
function RoadmapLink({ data }: { data: ClusterDetailData }) {
  const org = useOrg();
  if (!data.maturity) return null;
  const level = data.maturity.level;
  return (
    <p>
      <Link
        className="button button--small"
        to={paths.clusterRoadmap(org.id, data.cluster.id)}
        data-testid="roadmap-link"
      >
        {level >= 4 ? 'Roadmap (level 4 reached)' : `Roadmap to level ${nextLevel(level)}`}
      </Link>{' '}
      <span className="muted">the steps, effort and manifests to get there</span>
    </p>
  );
}

function ClusterPage({ data }: { data: ClusterDetailData }) {
  const ready = true;
  useHashTarget(ready);
  const now = new Date();
  const { cluster } = data;
  const steps = useFindingSteps(cluster.id);
  const risks = useClusterRisks(cluster);
  return (
    <>
      <ClusterBreadcrumb />
      <div className="page-head">
        <PageTitle title={`${cluster.name} · Clusters`}>
          {cluster.name}
          {cluster.production && <span className="tag">production</span>}
        </PageTitle>
        {data.scan && <ExportLinks scanId={data.scan.id} />}
      </div>
      <ScanLine data={data} now={now} />
      {data.accountability && (
        <p className="muted">
          AI agents:{' '}
          {data.accountability.status === 'no-agents-found'
            ? 'none found in this cluster.'
            : `${plural(data.accountability.agents, 'agent')} (${data.accountability.shadowAgents} shadow), accountability level ${data.accountability.level ?? 'unknown'}.`}{' '}
          <AgentsLink />
        </p>
      )}
      <RoadmapLink data={data} />
      <nav className="toc" aria-label="On this page">
        <ul>
          {SECTIONS.map(([id, label]) => (
            <li key={id}>
              <a href={`#${id}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <MaturitySection clusterId={cluster.id} maturity={data.maturity} risks={risks} />
      <StackSection stack={data.stack} />
      <NetworkPolicySection np={data.networkPolicy} />
      <FindingsSection
        clusterId={cluster.id}
        findings={data.findings}
        steps={steps}
        risks={risks}
      />
      <CostSection cost={data.cost} />
      <ScanHistory clusterId={cluster.id} shownScanId={data.scan?.id ?? null} />
    </>
  );
}

function AgentsLink() {
  const org = useOrg();
  return <Link to={paths.agents(org.id)}>See all AI agents</Link>;
}

/** One cluster: maturity with its criteria, stack, NetworkPolicy, findings, cost and history. */
export default function ClusterDetail({ clusterId }: { clusterId: string }) {
  const [detail, reload] = useClusterDetail(clusterId);
  return (
    <ClusterFrame resource={detail} reload={reload} what="the cluster">
      {(data) => <ClusterPage data={data} />}
    </ClusterFrame>
  );
}
