import type {
  AgentItemKind,
  AgentsResponse,
  AgentsViewFinding,
  AgentsViewItem,
  ClusterRecord,
  SelfAssessmentResponse,
} from '@plumbline/contracts';
import { useId, useState } from 'react';
import { LevelBadge } from '../../components/LevelBadge';
import { SeverityBadge } from '../../components/SeverityBadge';
import { ACCOUNTABILITY_COLOR, MaturityRadar } from '../../components/charts';
import { EmptyState, Loading, ResourceView } from '../../components/states';
import { formatDateTime } from '../../format';
import { useHashTarget } from '../../hooks/useHashTarget';
import { useResource } from '../../hooks/useResource';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useCan, useOrg } from '../../session/org';
import { useApi } from '../../session/session';
import { PageTitle } from '../../shell/page';
import { PageControls, usePagedList, type FirstPage } from './agents/pagedList';
import { SelfAssessmentSection } from './agents/SelfAssessment';
import {
  AGENT_KIND_WORDS,
  ASI_TITLES,
  CREDENTIAL_SOURCE_WORDS,
  joinWords,
  MODEL_ROUTE_WORDS,
  severityRank,
} from './words';

type Item = AgentsViewItem;
type AgentFinding = AgentsViewFinding;

export interface GroupedGap {
  finding: AgentFinding;
  clusters: string[];
}

/** The same gap seen in several clusters is one row, worst first. */
export function groupGaps(findings: readonly AgentFinding[]): GroupedGap[] {
  const byId = new Map<string, GroupedGap>();
  for (const f of findings) {
    const g = byId.get(f.id);
    if (g) {
      if (!g.clusters.includes(f.cluster)) g.clusters.push(f.cluster);
    } else byId.set(f.id, { finding: f, clusters: [f.cluster] });
  }
  return [...byId.values()].sort(
    (a, b) =>
      severityRank(a.finding.severity) - severityRank(b.finding.severity) ||
      (a.finding.asi ?? '').localeCompare(b.finding.asi ?? '') ||
      a.finding.title.localeCompare(b.finding.title),
  );
}

export interface InventoryFilter {
  kind: AgentItemKind | 'all';
  shadowOnly: boolean;
}

/** A list's first page from the `GET agents` answer. */
export function firstPageOf<K extends 'items' | 'findings' | 'principles'>(
  agents: AgentsResponse,
  list: K,
): FirstPage<AgentsResponse[K][number]> {
  return { entries: agents[list], ...agents.pages[list] };
}

/** Where a credential comes from, never its value. */
function credentialWords(c: Item['credentials'][number]): string {
  const where = c.secret ? `${c.secret}${c.key ? `[${c.key}]` : ''}` : c.id;
  return `${CREDENTIAL_SOURCE_WORDS[c.source]}: ${where}${c.provider ? ` (${c.provider})` : ''}`;
}

function Summary({ data }: { data: AgentsResponse }) {
  const s = data.summary;
  const figures: [string, number, string?][] = [
    ['Agents', s.agents],
    ['MCP servers', s.mcpServers],
    ['Model servers', s.modelServers],
    ['Gateways', s.gateways],
    ['Shadow agents', s.shadowAgents, 'not declared to any agent platform, registry or annotation'],
    ['Without an owner', s.unownedAgents],
    ['Shared credentials', s.sharedCredentials, 'one credential used by more than one item'],
  ];
  return (
    <dl className="figures" data-testid="agents-summary">
      {figures.map(([label, n, hint]) => (
        <div key={label} className={n > 0 && hint ? 'figure figure--warning' : 'figure'}>
          <dt title={hint}>{label}</dt>
          <dd>{n}</dd>
        </div>
      ))}
    </dl>
  );
}

function Levels({ orgId, data }: { orgId: string; data: AgentsResponse }) {
  return (
    <section className="panel" aria-labelledby="levels-title" id="levels">
      <h2 id="levels-title">Accountability levels</h2>
      <p className="headline">
        <LevelBadge level={data.overall.level} />{' '}
        {data.overall.levelName && <strong>{data.overall.levelName}</strong>}{' '}
        <span className="muted">
          the lowest pillar sets the level; each pillar is its weakest cluster’s
        </span>
      </p>
      <div className="grid-2 grid-2--radar">
        <MaturityRadar
          title="Five accountability pillars"
          pillars={data.pillars.map((p) => ({
            id: p.pillar,
            name: p.name,
            level: p.level,
            href: paths.agentsPillar(orgId, p.pillar),
          }))}
          color={ACCOUNTABILITY_COLOR}
          testId="agents-radar"
        />
        <div className="table-wrap">
          <table className="table table--compact">
            <caption className="visually-hidden">Pillars, their level and criteria</caption>
            <thead>
              <tr>
                <th scope="col">Pillar</th>
                <th scope="col">Level</th>
                <th scope="col">Weakest cluster</th>
                <th scope="col" className="num">
                  Criteria met
                </th>
              </tr>
            </thead>
            <tbody>
              {data.pillars.map((p) => (
                <tr key={p.pillar}>
                  <th scope="row">
                    <Link to={paths.agentsPillar(orgId, p.pillar)}>{p.name}</Link>
                  </th>
                  <td>
                    <LevelBadge level={p.level} short />
                  </td>
                  <td>{p.cluster ?? <span className="muted">—</span>}</td>
                  <td className="num">
                    {p.criteria.filter((c) => c.status === 'met').length} of {p.criteria.length}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

interface ListProps<T> {
  computedAt: string | null;
  first: FirstPage<T>;
  onReload: () => void;
}

/** The inventory with its filters: the API filters the whole list, page by page. */
function Inventory({ orgId, computedAt, first, onReload }: { orgId: string } & ListProps<Item>) {
  const ids = useId();
  const [filter, setFilter] = useState<InventoryFilter>({ kind: 'all', shadowOnly: false });
  const unfiltered = filter.kind === 'all' && !filter.shadowOnly;
  return (
    <section className="panel" aria-labelledby="inventory-title" id="inventory" tabIndex={-1}>
      <h2 id="inventory-title">Inventory</h2>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${ids}-kind`}>Show</label>
          <select
            id={`${ids}-kind`}
            value={filter.kind}
            onChange={(e) =>
              setFilter((f) => ({ ...f, kind: e.target.value as InventoryFilter['kind'] }))
            }
          >
            <option value="all">Everything</option>
            {Object.entries(AGENT_KIND_WORDS).map(([k, w]) => (
              <option key={k} value={k}>
                {w}s
              </option>
            ))}
          </select>
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={filter.shadowOnly}
            onChange={(e) => setFilter((f) => ({ ...f, shadowOnly: e.target.checked }))}
          />
          Shadow only
        </label>
      </div>
      <InventoryList
        key={`${computedAt}/${filter.kind}/${filter.shadowOnly}`}
        orgId={orgId}
        computedAt={computedAt}
        first={unfiltered ? first : null}
        filter={filter}
        onReload={onReload}
      />
    </section>
  );
}

function InventoryList({
  orgId,
  computedAt,
  first,
  filter,
  onReload,
}: {
  orgId: string;
  computedAt: string | null;
  /** Null: a filtered list, loaded from its first page. */
  first: FirstPage<Item> | null;
  filter: InventoryFilter;
  onReload: () => void;
}) {
  const api = useApi();
  const list = usePagedList<Item>(computedAt, first, (cursor, signal) =>
    api.agentsPage(orgId, 'items', {
      cursor,
      kind: filter.kind === 'all' ? undefined : filter.kind,
      shadow: filter.shadowOnly ? true : undefined,
      signal,
    }),
  );
  return (
    <>
      <div className="table-wrap">
        <table className="table table--compact" data-testid="agents-inventory">
          <caption className="visually-hidden">
            Agents, MCP servers, model servers and gateways
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Kind</th>
              <th scope="col">Cluster</th>
              <th scope="col">Owner</th>
              <th scope="col">Credentials (by source, never values)</th>
              <th scope="col">Model calls</th>
            </tr>
          </thead>
          <tbody>
            {list.entries.map((i) => (
              <tr key={`${i.cluster}/${i.ref}`} data-testid={`inventory-${i.cluster}-${i.name}`}>
                <th scope="row">
                  {i.name}
                  {!i.registered && (
                    <span className="tag tag--warning" title="not declared to any agent platform">
                      shadow
                    </span>
                  )}
                  <span className="finding-meta muted">
                    {i.ref}
                    {i.framework ? ` · ${i.framework}` : ''}
                  </span>
                </th>
                <td>{AGENT_KIND_WORDS[i.kind]}</td>
                <td className="nowrap">{i.cluster}</td>
                <td>
                  {i.owner ?? <span className="tag tag--warning">no owner</span>}
                  {i.owner && i.ownerSource && (
                    <span className="finding-meta muted">{i.ownerSource}</span>
                  )}
                </td>
                <td>
                  {i.credentials.length === 0 ? (
                    <span className="muted">none seen</span>
                  ) : (
                    <ul className="plain-list">
                      {i.credentials.map((c) => (
                        <li key={c.id}>
                          {credentialWords(c)}
                          {i.sharedCredentials.includes(c.id) && (
                            <span className="tag tag--warning">shared</span>
                          )}
                          {c.source === 'literal' && (
                            <span className="tag tag--warning">literal</span>
                          )}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>{MODEL_ROUTE_WORDS[i.modelRoute.route]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.loading && list.entries.length === 0 ? (
        <Loading what="the inventory" />
      ) : (
        <PageControls list={list} what="items" onReload={onReload} testId="inventory-pages" />
      )}
    </>
  );
}

/** Gaps grouped from the findings loaded so far (worst first: the API's order too). */
function Gaps({
  orgId,
  computedAt,
  first,
  onReload,
  clusterIds,
}: {
  orgId: string;
  clusterIds: ReadonlyMap<string, string>;
} & ListProps<AgentFinding>) {
  const api = useApi();
  const list = usePagedList<AgentFinding>(computedAt, first, (cursor, signal) =>
    api.agentsPage(orgId, 'findings', { cursor, signal }),
  );
  const groups = groupGaps(list.entries);
  return (
    <section className="panel" aria-labelledby="gaps-title" id="gaps">
      <h2 id="gaps-title">Gaps, by OWASP agentic risk</h2>
      {groups.length === 0 ? (
        <p className="muted">No gaps found.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table--compact" data-testid="agents-gaps">
            <caption className="visually-hidden">Gaps, worst first</caption>
            <thead>
              <tr>
                <th scope="col">Severity</th>
                <th scope="col">Risk</th>
                <th scope="col">Gap</th>
                <th scope="col">What if fixed</th>
                <th scope="col">Seen in</th>
              </tr>
            </thead>
            <tbody>
              {groups.map(({ finding: f, clusters }) => (
                <tr key={f.id}>
                  <td>
                    <SeverityBadge severity={f.severity} />
                  </td>
                  <td className="nowrap">
                    {f.asi ? (
                      <abbr title={ASI_TITLES[f.asi]} className="asi">
                        {f.asi}
                      </abbr>
                    ) : (
                      '—'
                    )}
                  </td>
                  <th scope="row">
                    {f.title}
                    <span className="finding-meta muted">
                      {f.pillarName} · {f.remediation}
                    </span>
                  </th>
                  <td className="nowrap">
                    {f.whatIfLevel > f.currentLevel ? (
                      <>
                        level {f.currentLevel} → <strong>{f.whatIfLevel}</strong>
                      </>
                    ) : (
                      <span className="muted">stays at {f.currentLevel}</span>
                    )}
                  </td>
                  <td>
                    {clusters.map((c, i) => {
                      const id = clusterIds.get(c);
                      return (
                        <span key={c}>
                          {i > 0 && ', '}
                          {id ? <Link to={paths.clusterFinding(orgId, id, f.id)}>{c}</Link> : c}
                        </span>
                      );
                    })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.total > 0 && (
        <PageControls list={list} what="findings" onReload={onReload} testId="gaps-pages" />
      )}
    </section>
  );
}

const RESULT_KIND = { pass: 'ok', fail: 'error', inconclusive: 'unknown' } as const;

function Probes({ orgId, probes }: { orgId: string; probes: AgentsResponse['probes'] }) {
  return (
    <section className="panel" aria-labelledby="probes-title" id="probes">
      <h2 id="probes-title">Governance probes</h2>
      {probes.length === 0 ? (
        <EmptyState title="No probe run uploaded yet." testId="probes-empty">
          <p>
            Run the governance probes against your agents and{' '}
            <Link to={paths.settings(orgId, 'evidence')}>upload the probe report</Link>: each
            scenario then shows whether a call that must be blocked was blocked.
          </p>
        </EmptyState>
      ) : (
        probes.map((run) => (
          <div key={run.evidenceId} className="probe-run">
            <h3>
              {run.filename}{' '}
              <span className="muted">uploaded {formatDateTime(run.uploadedAt)}</span>
            </h3>
            <p>
              {run.passed} passed, {run.failed} failed, {run.inconclusive} inconclusive.
            </p>
            <div className="table-wrap">
              <table className="table table--compact" data-testid="probe-scenarios">
                <caption className="visually-hidden">Scenarios of {run.filename}</caption>
                <thead>
                  <tr>
                    <th scope="col">Scenario</th>
                    <th scope="col">Risk</th>
                    <th scope="col">Expected</th>
                    <th scope="col">What happened</th>
                    <th scope="col">Result</th>
                  </tr>
                </thead>
                <tbody>
                  {run.scenarios.map((s) => (
                    <tr key={s.id}>
                      <th scope="row">
                        {s.title}
                        {s.reasons.length > 0 && (
                          <span className="finding-meta muted">{s.reasons.join(' ')}</span>
                        )}
                      </th>
                      <td>
                        <abbr title={ASI_TITLES[s.asi]} className="asi">
                          {s.asi}
                        </abbr>
                      </td>
                      <td>{s.mustBlock ? 'blocked or sent for approval' : 'allowed'}</td>
                      <td>
                        {s.actualOutcome}
                        {!s.attributable && (
                          <span className="finding-meta muted">not attributable to the agent</span>
                        )}
                      </td>
                      <td>
                        <span className={`status-pill status-pill--${RESULT_KIND[s.result]}`}>
                          {s.result}
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ))
      )}
    </section>
  );
}

function SelfAssessmentPanel() {
  const api = useApi();
  const org = useOrg();
  const canAnswer = useCan('member');
  const [resource, reload] = useResource(
    (signal) => api.selfAssessment(org.id, signal),
    [api, org.id],
  );
  const [saved, setSaved] = useState<SelfAssessmentResponse | null>(null);
  return (
    <section className="panel" aria-labelledby="self-assessment-title" id="self-assessment">
      <h2 id="self-assessment-title">Self-assessment: claimed vs evidenced</h2>
      <ResourceView resource={resource} what="the self-assessment" onRetry={reload}>
        {(data) => (
          <SelfAssessmentSection data={saved ?? data} canAnswer={canAnswer} onSaved={setSaved} />
        )}
      </ResourceView>
    </section>
  );
}

interface AgentsData {
  agents: AgentsResponse;
  clusters: ClusterRecord[];
}

export function AgentsView({
  orgId,
  data,
  onReload,
}: {
  orgId: string;
  data: AgentsData;
  onReload: () => void;
}) {
  useHashTarget(true);
  const { agents } = data;
  const clusterIds = new Map(data.clusters.map((c) => [c.name, c.id]));
  return (
    <>
      {agents.status === 'no-agents-found' ? (
        <p className="callout" data-testid="no-agents">
          No AI agents, MCP servers, model servers or gateways were found in any cluster. Plumbline
          looks for agent frameworks and platforms in workloads and custom resources, and for MCP
          client configurations, agent cards and traces among the evidence uploads.
        </p>
      ) : (
        agents.overall.weakest.length > 0 && (
          <p className="callout" data-testid="agents-weakest">
            Accountability level {agents.overall.level}
            {agents.overall.levelName ? ` (${agents.overall.levelName})` : ''}, held there by{' '}
            {joinWords(
              agents.overall.weakest.map(
                (w) => agents.pillars.find((p) => p.pillar === w)?.name ?? w,
              ),
            )}
            .
          </p>
        )
      )}
      <Summary data={agents} />
      <Levels orgId={orgId} data={agents} />
      <SelfAssessmentPanel />
      <Inventory
        orgId={orgId}
        computedAt={agents.computedAt}
        first={firstPageOf(agents, 'items')}
        onReload={onReload}
      />
      <Gaps
        key={`gaps/${agents.computedAt}`}
        orgId={orgId}
        computedAt={agents.computedAt}
        first={firstPageOf(agents, 'findings')}
        onReload={onReload}
        clusterIds={clusterIds}
      />
      <Probes orgId={orgId} probes={agents.probes} />
    </>
  );
}

/** AI agents: inventory, five pillars, gaps, the self-assessment and probe results. */
export default function Agents() {
  const api = useApi();
  const org = useOrg();
  const [resource, reload] = useResource<AgentsData>(
    async (signal) => {
      const [agents, clusters] = await Promise.all([
        api.agents(org.id, signal),
        api.clusters(org.id, signal),
      ]);
      return { agents, clusters: clusters.items };
    },
    [api, org.id],
  );
  return (
    <>
      <PageTitle title={`AI agents · ${org.name}`}>AI agents</PageTitle>
      <ResourceView resource={resource} what="the AI agents" onRetry={reload}>
        {(data) =>
          data.clusters.length === 0 ? (
            <EmptyState title="No clusters yet, so no agents to show." testId="agents-empty">
              <p>
                <Link to={paths.overview(org.id)}>Install the scanner</Link> in a cluster first; its
                agents, MCP servers and model servers appear here after the first scan.
              </p>
            </EmptyState>
          ) : (
            <AgentsView orgId={org.id} data={data} onReload={reload} />
          )
        }
      </ResourceView>
    </>
  );
}
