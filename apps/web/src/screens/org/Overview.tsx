import type { Action, Overview as OverviewData } from '@plumbline/contracts';
import { LevelBadge } from '../../components/LevelBadge';
import { Money } from '../../components/Money';
import { SeverityBadge } from '../../components/SeverityBadge';
import { FleetTable, type FleetRow } from '../../components/FleetTable';
import {
  ACCOUNTABILITY_COLOR,
  MATURITY_COLOR,
  MaturityRadar,
  TaxStackedBar,
  TrendChart,
  type RadarPillar,
  type TrendPoint,
} from '../../components/charts';
import { EmptyState, ResourceView } from '../../components/states';
import { formatDateTime, formatMoney, formatRelative } from '../../format';
import { useResource } from '../../hooks/useResource';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useOrg } from '../../session/org';
import { useApi } from '../../session/session';
import { PageTitle } from '../../shell/page';
import { InstallScannerSteps } from './InstallScanner';

import { FLEET_STATUS, joinWords, plural } from './words';

/** The fleet table's rows: every cell links to where its number comes from. */
export function fleetRows(orgId: string, data: OverviewData): FleetRow[] {
  return data.clusters.map((c) => ({
    id: c.id,
    name: c.name,
    href: paths.cluster(orgId, c.id),
    level: c.level,
    levelHref: paths.cluster(orgId, c.id, 'maturity'),
    lowestPillar: c.lowestPillar
      ? {
          name: `${c.lowestPillar.name} (level ${c.lowestPillar.level})`,
          href: paths.cluster(orgId, c.id, `pillar-${c.lowestPillar.id}`),
        }
      : null,
    coverage: c.coverage
      ? { ...c.coverage, href: paths.cluster(orgId, c.id, 'network-policy') }
      : null,
    lastScanAt: c.lastScanAt,
    lastScanHref: paths.cluster(orgId, c.id, 'history'),
    status: FLEET_STATUS[c.status],
    production: c.production,
  }));
}

/** An action's effect in words: "Resilience & recovery: level 1 → 3", "saves $12,000 a year". */
export function actionEffect(a: Action): string {
  const parts: string[] = [];
  const { level, pillar, savesCentsPerYear } = a.effect;
  if (pillar && a.pillarName) {
    parts.push(
      pillar.to > pillar.from
        ? `${a.pillarName}: level ${pillar.from} → ${pillar.to}`
        : `${a.pillarName} stays at level ${pillar.from} (another gap holds it)`,
    );
  }
  if (level && level.to > level.from) {
    const what = level.assessment === 'accountability' ? 'AI accountability' : 'organisation';
    parts.push(`${what} level ${level.from} → ${level.to}`);
  }
  if (savesCentsPerYear !== null && savesCentsPerYear > 0) {
    parts.push(`saves ${formatMoney(savesCentsPerYear)} a year`);
  }
  return parts.join('; ');
}

/** Where an action's evidence is: the finding in each cluster it was seen in, or the tax page. */
export function ActionClusters({
  orgId,
  action,
  clusterIds,
}: {
  orgId: string;
  action: Action;
  clusterIds: ReadonlyMap<string, string>;
}) {
  if (action.domain === 'cost') {
    return <Link to={paths.tax(orgId)}>See the integration tax</Link>;
  }
  if (!action.clusters.length) return null;
  return (
    <>
      Seen in{' '}
      {action.clusters.map((name, i) => {
        const id = clusterIds.get(name);
        return (
          <span key={name}>
            {i > 0 && (i === action.clusters.length - 1 ? ' and ' : ', ')}
            {id ? <Link to={paths.clusterFinding(orgId, id, action.id)}>{name}</Link> : name}
          </span>
        );
      })}
      .
    </>
  );
}

function TopActions({ orgId, data }: { orgId: string; data: OverviewData }) {
  const clusterIds = new Map(data.clusters.map((c) => [c.name, c.id]));
  return (
    <section className="panel" aria-labelledby="top-actions-title" id="actions">
      <h2 id="top-actions-title">Top actions</h2>
      {data.topActions.length === 0 ? (
        <p className="muted">Nothing to fix: no finding holds a level down.</p>
      ) : (
        <>
          <p className="muted">
            Ranked by the effect on the organisation’s level first, then by severity; an action
            above a more severe one says why.
          </p>
          <div className="table-wrap">
            <table className="table actions-table" data-testid="top-actions">
              <caption className="visually-hidden">Top actions, ranked</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    #
                  </th>
                  <th scope="col">Action</th>
                  <th scope="col">Effect</th>
                  <th scope="col">Severity</th>
                </tr>
              </thead>
              <tbody>
                {data.topActions.map((a) => (
                  <tr key={a.id} className="action" data-testid={`action-${a.rank}`}>
                    <td className="num">{a.rank}</td>
                    <th scope="row">
                      <span className="action__title">{a.title}</span>
                      <span className="action__fix">{a.remediation}</span>
                      <span className="action__where muted">
                        <ActionClusters orgId={orgId} action={a} clusterIds={clusterIds} />
                      </span>
                    </th>
                    <td>
                      <span className="action__effect">{actionEffect(a) || 'no level change'}</span>
                      {/ranked above/.test(a.why) && (
                        <span className="action__why muted">
                          {' '}
                          {a.why.slice(a.why.indexOf('ranked above')).replace(/ \(seen in .*$/, '')}
                        </span>
                      )}
                    </td>
                    <td>
                      <SeverityBadge severity={a.severity} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

function MaturityPanel({ orgId, data }: { orgId: string; data: OverviewData }) {
  const m = data.maturity;
  if (!m) {
    return (
      <section className="panel" aria-labelledby="maturity-title">
        <h2 id="maturity-title">Operational maturity</h2>
        <p className="muted">No scan has been analysed yet: the levels appear after the first.</p>
      </section>
    );
  }
  const pillars: RadarPillar[] = m.pillars.map((p) => ({
    id: p.id,
    name: p.name,
    level: p.level,
    href: paths.maturityPillar(orgId, p.id),
  }));
  const lowest = m.lowest[0];
  return (
    <section className="panel" aria-labelledby="maturity-title" data-testid="maturity-panel">
      <h2 id="maturity-title">Operational maturity</h2>
      <p className="headline">
        {lowest ? (
          <Link to={paths.maturityPillar(orgId, lowest.id)} className="plain-link">
            <LevelBadge level={m.level} />
          </Link>
        ) : (
          <LevelBadge level={m.level} />
        )}{' '}
        <span className="muted">
          score {m.score} of 100 · {m.basis}
        </span>
      </p>
      <MaturityRadar
        title="Operational maturity by pillar"
        pillars={pillars}
        color={MATURITY_COLOR}
        testId="maturity-radar"
      />
    </section>
  );
}

function AccountabilityPanel({ orgId, data }: { orgId: string; data: OverviewData }) {
  const a = data.accountability;
  return (
    <section
      className="panel"
      aria-labelledby="accountability-title"
      data-testid="accountability-panel"
    >
      <h2 id="accountability-title">AI agent accountability</h2>
      {!a ? (
        <p className="muted">No scan has been analysed yet: the levels appear after the first.</p>
      ) : a.status === 'no-agents-found' ? (
        <p>
          No AI agents were found in any cluster, so there is nothing to hold accountable yet.{' '}
          <Link to={paths.agents(orgId)}>See what Plumbline looks for</Link>.
        </p>
      ) : (
        <>
          <p className="headline">
            <Link to={paths.agents(orgId)} className="plain-link">
              <LevelBadge level={a.level} />
            </Link>{' '}
            <Link to={`${paths.agents(orgId)}#inventory`}>{plural(a.agents, 'agent')} found</Link>
          </p>
          <MaturityRadar
            title="Accountability by pillar"
            pillars={a.pillars.map((p) => ({
              id: p.id,
              name: p.name,
              level: p.level,
              href: paths.agentsPillar(orgId, p.id),
            }))}
            color={ACCOUNTABILITY_COLOR}
            testId="accountability-radar"
          />
        </>
      )}
    </section>
  );
}

function TaxPanel({ orgId, data }: { orgId: string; data: OverviewData }) {
  const t = data.integrationTax;
  return (
    <section className="panel" aria-labelledby="tax-title" data-testid="tax-panel">
      <h2 id="tax-title">Integration tax</h2>
      {!t ? (
        <p className="muted">No scan has been analysed yet: the tax appears after the first.</p>
      ) : (
        <>
          <p className="headline">
            <Link
              to={paths.tax(orgId)}
              className="plain-link big-number"
              data-testid="overview-tax"
            >
              <Money cents={t.totalCents} perYear />
            </Link>
          </p>
          <p data-testid="tax-hides">
            Where it hides: {t.hides}. It comes from{' '}
            <Link to={paths.tax(orgId)}>
              {plural(t.tools, 'tool')} and {plural(t.seams, 'seam')} between them
            </Link>
            .
          </p>
          <TaxStackedBar
            title="Integration tax per year"
            components={t.components.map((c) => ({
              ...c,
              href: paths.taxLine(orgId, c.id),
            }))}
          />
        </>
      )}
    </section>
  );
}

function Trends({ data }: { data: OverviewData }) {
  const points: TrendPoint[] = data.trends.map((p) => ({
    at: p.at,
    values: {
      maturityScore: p.maturityScore,
      maturityLevel: p.maturityLevel,
      accountabilityLevel: p.accountabilityLevel,
      tax: p.taxCents,
    },
    changes: p.changes,
  }));
  return (
    <section className="panel" aria-labelledby="trends-title">
      <h2 id="trends-title">Trends</h2>
      <div className="grid-2">
        <TrendChart
          title="Scores and levels"
          series={[
            { id: 'maturityScore', label: 'Maturity score (0-100)', kind: 'score' },
            { id: 'maturityLevel', label: 'Maturity level', kind: 'level' },
            { id: 'accountabilityLevel', label: 'Accountability level', kind: 'level' },
          ]}
          points={points}
        />
        <TrendChart
          title="Integration tax per year"
          series={[{ id: 'tax', label: 'Integration tax', kind: 'money' }]}
          points={points}
        />
      </div>
    </section>
  );
}

/** The organisation at a glance, every number a link to where it comes from. */
export function OverviewView({
  orgId,
  data,
  now,
}: {
  orgId: string;
  data: OverviewData;
  now: Date;
}) {
  const lowest = data.maturity?.lowest ?? [];
  return (
    <>
      <p className="muted page-meta">
        {data.computedAt ? (
          <>
            Computed{' '}
            <time dateTime={data.computedAt} title={formatDateTime(data.computedAt)}>
              {formatRelative(data.computedAt, now)}
            </time>{' '}
            from each cluster’s newest analysed scan
          </>
        ) : (
          'Not computed yet'
        )}
        {' · '}methodology {data.methodologyVersion}
      </p>
      {data.rollup?.status === 'failed' && (
        <p className="notice" role="alert" data-testid="rollup-failed">
          The last update of these figures failed
          {data.rollup.failedAt ? (
            <>
              {' '}
              <time dateTime={data.rollup.failedAt} title={formatDateTime(data.rollup.failedAt)}>
                {formatRelative(data.rollup.failedAt, now)}
              </time>
            </>
          ) : null}
          : {data.rollup.error ?? 'unknown reason'}. The figures shown are from the last update that
          succeeded.
        </p>
      )}
      {(data.rollup?.skippedEvidence.length ?? 0) > 0 && (
        <p className="notice" role="status" data-testid="rollup-skipped-evidence">
          Left out because they could not be read:{' '}
          {joinWords(data.rollup!.skippedEvidence.map((e) => `${e.filename} (${e.reason})`))}.
          Replace or delete them under Settings → Evidence.
        </p>
      )}
      {lowest.length > 0 && (
        <p className="callout" data-testid="overview-lowest">
          The organisation is at operational maturity level {data.maturity?.level}, held there by{' '}
          {joinWords(lowest.map((p) => p.name))}.
        </p>
      )}
      <div className="grid-2">
        <MaturityPanel orgId={orgId} data={data} />
        <AccountabilityPanel orgId={orgId} data={data} />
      </div>
      <TaxPanel orgId={orgId} data={data} />
      <Trends data={data} />
      <section className="panel" aria-labelledby="fleet-title">
        <h2 id="fleet-title">Fleet</h2>
        <FleetTable
          rows={fleetRows(orgId, data)}
          now={now}
          caption={`${plural(data.clusters.length, 'cluster')}: click any value for its evidence`}
        />
      </section>
      <TopActions orgId={orgId} data={data} />
    </>
  );
}

/** The organisation overview: radars, integration tax, trends, fleet and top actions. */
export default function Overview() {
  const api = useApi();
  const org = useOrg();
  const [overview, reload] = useResource((signal) => api.overview(org.id, signal), [api, org.id]);
  return (
    <>
      <PageTitle title={`Overview · ${org.name}`}>Overview</PageTitle>
      <ResourceView resource={overview} what="the overview" onRetry={reload}>
        {(data) =>
          data.clusters.length === 0 ? (
            <EmptyState
              title="No clusters yet: install the scanner like this."
              testId="empty-overview"
            >
              <InstallScannerSteps />
            </EmptyState>
          ) : (
            <OverviewView orgId={org.id} data={data} now={new Date()} />
          )
        }
      </ResourceView>
    </>
  );
}
