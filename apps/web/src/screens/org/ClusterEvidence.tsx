import type { ClusterDetail } from '@plumbline/contracts';
import { EvidenceList } from '../../components/EvidenceList';
import { LevelBadge } from '../../components/LevelBadge';
import { SeverityBadge } from '../../components/SeverityBadge';
import { ErrorState } from '../../components/states';
import { formatDateTime } from '../../format';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useOrg } from '../../session/org';
import { PageTitle } from '../../shell/page';
import {
  criterionOfFinding,
  findingKindWords,
  findingsOfCriterion,
  whatIfWords,
} from './cluster/findings';
import { CriterionStatus, ExportLinks } from './cluster/Sections';
import { ClusterBreadcrumb, ClusterFrame, useClusterDetail } from './cluster/useClusterDetail';
import { findingTargets, riskStatus } from './risks/model';
import { RiskBadge } from './risks/RiskBadge';
import { useRiskAcceptances } from './risks/useRiskAcceptances';
import { ASI_TITLES } from './words';

function ScanNote({ data }: { data: ClusterDetail }) {
  if (!data.scan) return null;
  return (
    <p className="muted page-meta">
      Evidence from the scan of {data.cluster.name} collected{' '}
      {formatDateTime(data.scan.collectedAt ?? data.scan.createdAt)}, the newest analysed one.
    </p>
  );
}

function Missing({ data, what }: { data: ClusterDetail; what: string }) {
  const org = useOrg();
  return (
    <>
      <ClusterBreadcrumb cluster={data.cluster} />
      <PageTitle title={`${what} not found · ${data.cluster.name}`}>{what} not found</PageTitle>
      <ErrorState
        title={`This ${what.toLowerCase()} is not in the newest analysed scan of ${data.cluster.name}.`}
        message={
          data.scan
            ? 'It may have been fixed since, or the link is from an older methodology.'
            : 'The cluster has no analysed scan yet.'
        }
      >
        <p>
          <Link to={paths.cluster(org.id, data.cluster.id, 'changes')}>
            See what changed between scans
          </Link>
        </p>
      </ErrorState>
    </>
  );
}

function CriterionView({ data, criterionId }: { data: ClusterDetail; criterionId: string }) {
  const org = useOrg();
  const [risks] = useRiskAcceptances();
  const pillar = data.maturity?.pillars.find((p) => p.criteria.some((c) => c.id === criterionId));
  const criterion = pillar?.criteria.find((c) => c.id === criterionId);
  if (!pillar || !criterion) return <Missing data={data} what="Criterion" />;
  const related = findingsOfCriterion(data.findings, criterionId);
  return (
    <>
      <ClusterBreadcrumb
        cluster={data.cluster}
        extra={{
          label: pillar.name,
          to: paths.cluster(org.id, data.cluster.id, `pillar-${pillar.id}`),
        }}
      />
      <PageTitle title={`${criterion.title} · ${data.cluster.name}`}>{criterion.title}</PageTitle>
      <ScanNote data={data} />
      <section className="panel" aria-labelledby="criterion-title" data-testid="evidence-view">
        <h2 id="criterion-title">Status</h2>
        <p className="headline">
          <CriterionStatus status={criterion.status} />{' '}
          <span>
            a level {criterion.level} criterion of {pillar.name}, which is at{' '}
          </span>
          <LevelBadge level={pillar.level} />
        </p>
        <RiskBadge
          status={riskStatus(risks, data.cluster.id, [
            { kind: 'criterion', targetId: criterionId },
          ])}
        />
        <p data-testid="evidence-reason">
          <strong>Why: </strong>
          {criterion.reason}
        </p>
        {criterion.status === 'unknown' && (
          <p className="notice">
            Unknown never counts as met: the data to decide was not collected or is not determinable
            from the scan.
          </p>
        )}
        <EvidenceList
          title="Evidence"
          items={criterion.evidence.map((ref, i) => ({ id: `${i}`, label: ref }))}
          emptyText="No evidence item: the status rests on what is missing from the scan."
        />
        <p className="muted">
          Criterion id <code>{criterion.id}</code>
        </p>
      </section>
      <section className="panel" aria-labelledby="criterion-findings-title">
        <h2 id="criterion-findings-title">Findings about it</h2>
        {related.length === 0 ? (
          <p className="muted">None: this criterion raises no finding.</p>
        ) : (
          <ul className="finding-list">
            {related.map((f) => (
              <li key={f.id}>
                <SeverityBadge severity={f.severity} />{' '}
                <Link to={paths.clusterFinding(org.id, data.cluster.id, f.id)}>{f.title}</Link>
                <p>{f.remediation}</p>
                <p className="muted">{whatIfWords(f)}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
      {data.scan && (
        <section className="panel" aria-labelledby="criterion-exports-title">
          <h2 id="criterion-exports-title">Take it with you</h2>
          <p className="muted">
            The PolicyReport export carries every criterion as a pass, fail or skip result.
          </p>
          <ExportLinks scanId={data.scan.id} />
        </section>
      )}
    </>
  );
}

function FindingView({ data, findingId }: { data: ClusterDetail; findingId: string }) {
  const org = useOrg();
  const [risks] = useRiskAcceptances();
  const finding = data.findings.find((f) => f.id === findingId);
  if (!finding) return <Missing data={data} what="Finding" />;
  const criterionId = criterionOfFinding(data, finding);
  return (
    <>
      <ClusterBreadcrumb
        cluster={data.cluster}
        extra={{ label: 'Findings', to: paths.cluster(org.id, data.cluster.id, 'findings') }}
      />
      <PageTitle title={`${finding.title} · ${data.cluster.name}`}>{finding.title}</PageTitle>
      <ScanNote data={data} />
      <section className="panel" aria-labelledby="finding-title" data-testid="evidence-view">
        <h2 id="finding-title">What was found</h2>
        <p className="headline">
          <SeverityBadge severity={finding.severity} />{' '}
          <span>
            {findingKindWords(finding.kind)} ·{' '}
            {finding.domain === 'maturity' ? 'Operational maturity' : 'AI accountability'} ·{' '}
            {finding.pillarName}
          </span>
        </p>
        <RiskBadge status={riskStatus(risks, data.cluster.id, findingTargets(finding.id))} />
        {finding.asi && (
          <p>
            OWASP agentic risk <strong>{finding.asi}</strong>: {ASI_TITLES[finding.asi]}.
          </p>
        )}
        <p data-testid="evidence-reason">{finding.detail}</p>
        <EvidenceList
          title="Evidence"
          items={finding.evidence.map((ref, i) => ({ id: `${i}`, label: ref }))}
          emptyText="No evidence item: the finding rests on what is missing from the scan."
        />
      </section>
      <section className="panel" aria-labelledby="finding-fix-title">
        <h2 id="finding-fix-title">How to fix it</h2>
        <p>{finding.remediation}</p>
        <p data-testid="what-if">{whatIfWords(finding)}</p>
        <ul className="link-list">
          {criterionId && (
            <li>
              <Link to={paths.clusterCriterion(org.id, data.cluster.id, criterionId)}>
                The criterion and its evidence
              </Link>
            </li>
          )}
          {finding.domain === 'maturity' ? (
            <li>
              <Link to={paths.cluster(org.id, data.cluster.id, `pillar-${finding.pillar}`)}>
                Every criterion of {finding.pillarName} in {data.cluster.name}
              </Link>
            </li>
          ) : (
            <li>
              <Link to={paths.agentsPillar(org.id, finding.pillar)}>
                {finding.pillarName} across the organisation’s agents
              </Link>
            </li>
          )}
        </ul>
      </section>
    </>
  );
}

/** The evidence view of one criterion or finding of a cluster: addressable, so links work. */
export default function ClusterEvidence(
  props: { clusterId: string } & (
    { criterionId: string; findingId?: undefined } | { findingId: string; criterionId?: undefined }
  ),
) {
  const [detail, reload] = useClusterDetail(props.clusterId);
  return (
    <ClusterFrame resource={detail} reload={reload} what="the evidence">
      {(data) =>
        props.criterionId !== undefined ? (
          <CriterionView data={data} criterionId={props.criterionId} />
        ) : (
          <FindingView data={data} findingId={props.findingId} />
        )
      }
    </ClusterFrame>
  );
}
