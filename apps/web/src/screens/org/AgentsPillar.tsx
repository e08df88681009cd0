import type {
  AccountabilityPillar,
  AgentsResponse,
  AgentsViewFinding,
  AgentsViewPrinciple,
} from '@plumbline/contracts';
import { EvidenceList } from '../../components/EvidenceList';
import { LevelBadge } from '../../components/LevelBadge';
import { ErrorState, Loading, ResourceView } from '../../components/states';
import { useResource } from '../../hooks/useResource';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useOrg } from '../../session/org';
import { useApi } from '../../session/session';
import { PageTitle } from '../../shell/page';
import { groupGaps } from './Agents';
import { PageControls, usePagedList } from './agents/pagedList';
import { CriterionStatus } from './cluster/Sections';
import { ACCOUNTABILITY_LEVEL_WORDS, ASI_TITLES } from './words';
import { SeverityBadge } from '../../components/SeverityBadge';

const PRINCIPLE_KIND = { passed: 'ok', failed: 'error', unknown: 'unknown' } as const;

function PillarView({
  orgId,
  data,
  pillarId,
  onReload,
}: {
  orgId: string;
  data: AgentsResponse;
  pillarId: string;
  onReload: () => void;
}) {
  const pillar = data.pillars.find((p) => p.pillar === pillarId);
  const breadcrumb = (
    <p className="breadcrumb">
      <Link to={paths.agents(orgId)}>AI agents</Link> <span aria-hidden="true">›</span>
    </p>
  );
  if (!pillar) {
    return (
      <>
        {breadcrumb}
        <PageTitle title="Pillar not found">Pillar not found</PageTitle>
        <ErrorState
          title="There is no such accountability pillar."
          message="The five pillars are traceability, authorization provenance, identity and ownership, policy at scale and human oversight."
        >
          <p>
            <Link to={paths.agents(orgId)}>Back to AI agents</Link>
          </p>
        </ErrorState>
      </>
    );
  }
  // The pillar's principles and gaps come page by page, filtered by the API (a fleet has many).
  const paged = { orgId, computedAt: data.computedAt, pillar: pillar.pillar, onReload };
  const key = `${data.computedAt}/${pillar.pillar}`;
  return (
    <>
      {breadcrumb}
      <PageTitle title={`${pillar.name} · AI agents`}>{pillar.name}</PageTitle>
      <section className="panel" aria-labelledby="pillar-level-title">
        <h2 id="pillar-level-title">Level</h2>
        <p className="headline">
          <LevelBadge level={pillar.level} />{' '}
          {pillar.level !== null && <strong>{ACCOUNTABILITY_LEVEL_WORDS[pillar.level]}</strong>}{' '}
          <span className="muted">
            {pillar.cluster
              ? `from ${pillar.cluster}, the weakest cluster on this pillar`
              : 'no cluster runs agents'}
          </span>
        </p>
      </section>
      <section
        className="panel"
        aria-labelledby="pillar-criteria-title"
        data-testid="evidence-view"
      >
        <h2 id="pillar-criteria-title">Criteria, with their evidence</h2>
        {pillar.criteria.length === 0 ? (
          <p className="muted">No criteria were evaluated.</p>
        ) : (
          <ol className="criteria-list">
            {pillar.criteria.map((c) => (
              <li key={c.id} id={`criterion-${c.id}`} className="criterion">
                <div className="criterion__head">
                  <CriterionStatus status={c.status} />
                  <strong>{c.title}</strong>
                  <span className="muted">
                    level {c.level} · <abbr title={ASI_TITLES[c.asi]}>{c.asi}</abbr>
                    {c.basis ? ` · ${c.basis}` : ''}
                  </span>
                </div>
                <p>
                  <strong>Why: </strong>
                  {c.reason}
                </p>
                <p className="muted">
                  <strong>What proves it: </strong>
                  {c.proof}
                </p>
                <EvidenceList
                  items={c.evidence.map((ref, i) => ({ id: `${i}`, label: ref }))}
                  emptyText="No evidence item yet."
                />
              </li>
            ))}
          </ol>
        )}
      </section>
      <PillarPrinciples key={`principles/${key}`} {...paged} />
      <PillarGaps key={`gaps/${key}`} {...paged} />
    </>
  );
}

interface PillarListProps {
  orgId: string;
  computedAt: string | null;
  pillar: AccountabilityPillar;
  onReload: () => void;
}

/** The principles that cap the pillar, per cluster. */
function PillarPrinciples({ orgId, computedAt, pillar, onReload }: PillarListProps) {
  const api = useApi();
  const list = usePagedList<AgentsViewPrinciple>(computedAt, null, (cursor, signal) =>
    api.agentsPage(orgId, 'principles', { cursor, pillar, signal }),
  );
  return (
    <section className="panel" aria-labelledby="pillar-principles-title">
      <h2 id="pillar-principles-title">Principles that cap this pillar</h2>
      {list.entries.length === 0 ? (
        list.loading ? (
          <Loading what="the principles" />
        ) : (
          !list.error && <p className="muted">No principle caps this pillar.</p>
        )
      ) : (
        <div className="table-wrap">
          <table className="table table--compact" data-testid="pillar-principles">
            <caption className="visually-hidden">Principles per cluster</caption>
            <thead>
              <tr>
                <th scope="col">Principle</th>
                <th scope="col">Cluster</th>
                <th scope="col">Status</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {list.entries.map((p) => (
                <tr key={`${p.cluster}/${p.principle}`}>
                  <th scope="row">
                    {p.number}. {p.title}
                    <span className="finding-meta muted">
                      Fails when: {p.failTest}; caps at level {p.capLevel}
                    </span>
                  </th>
                  <td>{p.cluster}</td>
                  <td>
                    <span className={`status-pill status-pill--${PRINCIPLE_KIND[p.status]}`}>
                      {p.status}
                    </span>
                  </td>
                  <td>{p.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(list.total > 0 || list.error) && (
        <PageControls
          list={list}
          what="principles"
          onReload={onReload}
          testId="pillar-principles-pages"
        />
      )}
    </section>
  );
}

/** The pillar's gaps, grouped across clusters, worst first. */
function PillarGaps({ orgId, computedAt, pillar, onReload }: PillarListProps) {
  const api = useApi();
  const list = usePagedList<AgentsViewFinding>(computedAt, null, (cursor, signal) =>
    api.agentsPage(orgId, 'findings', { cursor, pillar, signal }),
  );
  const gaps = groupGaps(list.entries);
  return (
    <section className="panel" aria-labelledby="pillar-gaps-title">
      <h2 id="pillar-gaps-title">Gaps</h2>
      {gaps.length === 0 ? (
        list.loading ? (
          <Loading what="the gaps" />
        ) : (
          !list.error && <p className="muted">No gap on this pillar.</p>
        )
      ) : (
        <ul className="finding-list" data-testid="pillar-gaps">
          {gaps.map(({ finding: f, clusters }) => (
            <li key={f.id}>
              <SeverityBadge severity={f.severity} /> <strong>{f.title}</strong>{' '}
              <span className="muted">({clusters.join(', ')})</span>
              <p>{f.remediation}</p>
            </li>
          ))}
        </ul>
      )}
      {(list.total > 0 || list.error) && (
        <PageControls list={list} what="findings" onReload={onReload} testId="pillar-gaps-pages" />
      )}
    </section>
  );
}

/** One accountability pillar: its level, criteria with evidence, principles and gaps. */
export default function AgentsPillar({ pillarId }: { pillarId: string }) {
  const api = useApi();
  const org = useOrg();
  const [resource, reload] = useResource((signal) => api.agents(org.id, signal), [api, org.id]);
  if (resource.status !== 'loaded') {
    return (
      <>
        <PageTitle title={`Accountability pillar · ${org.name}`}>Accountability pillar</PageTitle>
        <ResourceView resource={resource} what="the pillar" onRetry={reload}>
          {() => null}
        </ResourceView>
      </>
    );
  }
  return <PillarView orgId={org.id} data={resource.data} pillarId={pillarId} onReload={reload} />;
}
