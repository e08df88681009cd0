import type {
  ClusterDetail,
  CriterionResult,
  ExportFormat,
  Finding,
  Severity,
} from '@plumbline/contracts';
import { Fragment, useId, useState } from 'react';
import { LevelBadge } from '../../../components/LevelBadge';
import { Money } from '../../../components/Money';
import { SeverityBadge } from '../../../components/SeverityBadge';
import { MATURITY_COLOR, MaturityRadar } from '../../../components/charts';
import { formatPercent } from '../../../format';
import { Link } from '../../../router/Link';
import { paths } from '../../../router/routes';
import { useOrg } from '../../../session/org';
import { useApi } from '../../../session/session';
import { categoryWords, plural, SEVERITY_ORDER, SEVERITY_WORDS } from '../words';
import { stepAnchor, type StepLink } from '../roadmap/model';
import { AcceptRiskButton, AcceptRiskForm } from '../risks/AcceptRiskForm';
import { RiskBadge } from '../risks/RiskBadge';
import {
  activeFor,
  findingTargets,
  riskStatus,
  type ClusterRisks,
  type RiskTarget,
} from '../risks/model';
import { filterFindings, findingKindWords, type FindingFilter } from './findings';

type Stack = NonNullable<ClusterDetail['stack']>;
type NetworkPolicy = NonNullable<ClusterDetail['networkPolicy']>;
type Maturity = NonNullable<ClusterDetail['maturity']>;
type Pillar = Maturity['pillars'][number];

export const CRITERION_STATUS_WORDS: Record<CriterionResult['status'], string> = {
  met: 'Met',
  'not-met': 'Not met',
  unknown: 'Unknown',
};

export function CriterionStatus({ status }: { status: CriterionResult['status'] }) {
  return (
    <span className={`status-pill status-pill--${status}`}>{CRITERION_STATUS_WORDS[status]}</span>
  );
}

/** Met / not met / unknown counts of a pillar's criteria. */
export function criteriaCounts(criteria: readonly CriterionResult[]) {
  const counts = { met: 0, 'not-met': 0, unknown: 0 };
  for (const c of criteria) counts[c.status] += 1;
  return counts;
}

const EXPORTS: { format: ExportFormat; label: string; what: string }[] = [
  { format: 'csv', label: 'CSV', what: 'findings as a spreadsheet' },
  { format: 'sarif', label: 'SARIF', what: 'findings for code scanning tools' },
  {
    format: 'policyreport',
    label: 'PolicyReport',
    what: 'every criterion as a Kubernetes PolicyReport',
  },
  { format: 'json', label: 'JSON', what: 'the whole analysis' },
];

/** Download links for the shown scan's exports. */
export function ExportLinks({ scanId }: { scanId: string }) {
  const api = useApi();
  const org = useOrg();
  return (
    <ul className="export-links" aria-label="Download this scan" data-testid="exports">
      {EXPORTS.map((e) => (
        <li key={e.format}>
          <a
            className="button button--small button--secondary"
            href={api.exportUrl(org.id, scanId, e.format)}
            download
            title={e.what}
          >
            {e.label}
            <span className="visually-hidden"> export: {e.what}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

export function StackSection({ stack }: { stack: Stack | null }) {
  const n = stack?.network;
  return (
    <section className="panel" aria-labelledby="stack-title" id="stack" tabIndex={-1}>
      <h2 id="stack-title">Detected stack</h2>
      {!stack ? (
        <p className="muted">No analysed scan yet.</p>
      ) : (
        <>
          {stack.overlaps.length > 0 ? (
            <div className="callout callout--important" data-testid="overlaps">
              <h3>
                {plural(stack.overlaps.length, 'overlap')} flagged: more than one tool does the same
                job
              </h3>
              <ul>
                {stack.overlaps.map((o) => (
                  <li key={o.capability}>
                    <strong>{o.capability}</strong>: {o.components.join(', ')}. {o.detail}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="muted" data-testid="overlaps">
              No overlapping capabilities: each job is done by one tool.
            </p>
          )}
          <div className="table-wrap">
            <table className="table table--compact" data-testid="stack-table">
              <caption className="visually-hidden">Detected components by layer</caption>
              <thead>
                <tr>
                  <th scope="col">Layer</th>
                  <th scope="col">Component</th>
                  <th scope="col">Version</th>
                  <th scope="col">Status</th>
                  <th scope="col">Evidence</th>
                </tr>
              </thead>
              <tbody>
                {stack.layers.flatMap((layer) =>
                  layer.components.map((c, i) => (
                    <tr key={`${layer.category}/${c.id}`}>
                      {i === 0 ? (
                        <th scope="row" rowSpan={layer.components.length}>
                          {categoryWords(layer.category)}
                        </th>
                      ) : null}
                      <td>
                        {c.name}
                        {c.overlapsWith.length > 0 && (
                          <span className="tag tag--warning">
                            overlaps with {c.overlapsWith.join(', ')}
                          </span>
                        )}
                      </td>
                      <td>{c.version ?? <span className="muted">unknown</span>}</td>
                      <td>
                        {c.status}
                        <span className="muted"> · {c.confidence} confidence</span>
                      </td>
                      <td>
                        <details className="inline-details">
                          <summary>{plural(c.evidence.length, 'signal')}</summary>
                          <ul className="evidence-refs">
                            {c.evidence.map((e) => (
                              <li key={e.ref}>
                                <code>{e.ref}</code> <span className="muted">({e.signal})</span>
                              </li>
                            ))}
                          </ul>
                        </details>
                      </td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </div>
          {n && (
            <dl className="facts">
              <div>
                <dt>Pod network</dt>
                <dd>
                  {n.cni ?? 'unknown'} · {n.dataplane} dataplane · {n.encapsulation} encapsulation ·
                  kube-proxy {n.kubeProxyMode}
                </dd>
              </div>
              <div>
                <dt>NetworkPolicy</dt>
                <dd>{n.networkPolicy.reason}</dd>
              </div>
              <div>
                <dt>Encryption in transit</dt>
                <dd>
                  {n.encryption.methods.length ? n.encryption.methods.join(', ') : 'none'}:{' '}
                  {n.encryption.reason}
                </dd>
              </div>
            </dl>
          )}
        </>
      )}
    </section>
  );
}

function Meter({ value }: { value: number | null }) {
  return (
    <span className="meter" aria-hidden="true">
      <span
        className="meter__fill"
        style={{ width: `${Math.max(0, Math.min(100, value ?? 0))}%` }}
      />
    </span>
  );
}

function pct(v: number | null): string {
  return v === null ? '—' : formatPercent(v);
}

/** A coverage share to one decimal, as the maturity criteria state it ("66.7%"). */
function pct1(v: number | null): string {
  return v === null ? '—' : `${Number(v.toFixed(1))}%`;
}

export function NetworkPolicySection({ np }: { np: NetworkPolicy | null }) {
  return (
    <section
      className="panel"
      aria-labelledby="network-policy-title"
      id="network-policy"
      tabIndex={-1}
    >
      <h2 id="network-policy-title">NetworkPolicy coverage</h2>
      {!np ? (
        <p className="muted">No analysed scan yet.</p>
      ) : (
        <>
          <p>
            <span
              className={`status-pill status-pill--${
                np.enforcement.enforced === true
                  ? 'ok'
                  : np.enforcement.enforced === false
                    ? 'error'
                    : 'unknown'
              }`}
            >
              {np.enforcement.enforced === true
                ? 'Enforced'
                : np.enforcement.enforced === false
                  ? 'Not enforced'
                  : 'Enforcement unknown'}
            </span>{' '}
            {np.enforcement.reason}.
          </p>
          <dl className="coverage-figures" data-testid="np-coverage">
            {(['ingress', 'egress'] as const).map((dir) => {
              const app = np.coverage.applications;
              const all = np.coverage[dir];
              return (
                <div key={dir}>
                  <dt>{dir === 'ingress' ? 'Ingress isolated' : 'Egress isolated'}</dt>
                  {app ? (
                    <dd>
                      <span className="big-number">{pct1(app[dir].percent)}</span>
                      <Meter value={app[dir].percent ?? 0} />
                      <span className="muted">
                        {app[dir].isolatedReplicas} of {app.totalReplicas} application replicas (
                        {app[dir].isolatedWorkloads} of {app.workloads} workloads in{' '}
                        {plural(app.namespaces, 'application namespace')}; platform namespaces
                        excluded, as the maturity criteria count them)
                      </span>
                      <span className="muted coverage-all" data-testid={`np-all-${dir}`}>
                        All pods, platform namespaces included: {pct1(all.percent)} (
                        {all.isolatedReplicas} of {np.coverage.totalReplicas} replicas)
                      </span>
                    </dd>
                  ) : (
                    <dd>
                      <span className="big-number">{pct1(all.percent)}</span>
                      <Meter value={all.percent} />
                      <span className="muted">
                        {all.isolatedReplicas} of {np.coverage.totalReplicas} replicas of all pods,
                        platform namespaces included ({all.isolatedWorkloads} of{' '}
                        {np.coverage.workloads} workloads)
                      </span>
                    </dd>
                  )}
                </div>
              );
            })}
          </dl>
          {np.coverage.hostNetworkReplicas > 0 && (
            <p className="muted">
              {plural(np.coverage.hostNetworkReplicas, 'host-network replica')} sit outside
              NetworkPolicy and outside these figures.
            </p>
          )}
          <div className="table-wrap">
            <table className="table table--compact" data-testid="np-namespaces">
              <caption>By namespace (replica-weighted share of isolated pods)</caption>
              <thead>
                <tr>
                  <th scope="col">Namespace</th>
                  <th scope="col" className="num">
                    Workloads
                  </th>
                  <th scope="col" className="num">
                    Replicas
                  </th>
                  <th scope="col">Ingress isolated</th>
                  <th scope="col">Egress isolated</th>
                </tr>
              </thead>
              <tbody>
                {np.namespaces.map((ns) => (
                  <tr key={ns.name}>
                    <th scope="row">
                      {ns.name}
                      {!ns.declared && <span className="muted"> (referenced only)</span>}
                    </th>
                    <td className="num">{ns.workloads}</td>
                    <td className="num">{ns.replicas}</td>
                    {(['ingress', 'egress'] as const).map((dir) => (
                      <td key={dir}>
                        <span className="coverage-cell">
                          <span className="coverage-cell__value">
                            {pct(ns.isolatedPercent[dir])}
                          </span>
                          <Meter value={ns.isolatedPercent[dir]} />
                          {ns.defaultDeny[dir] && (
                            <span
                              className="tag"
                              title={`default deny by ${ns.defaultDenyBy[dir].join(', ')}`}
                            >
                              default deny
                            </span>
                          )}
                        </span>
                      </td>
                    ))}
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

/** The form to accept a risk, in a row of its own below the row it is about. */
function AcceptRiskRow({
  risks,
  target,
  title,
  columns,
  onClose,
}: {
  risks: ClusterRisks;
  target: RiskTarget;
  title: string;
  columns: number;
  onClose: () => void;
}) {
  return (
    <tr className="risk-form-row">
      <td colSpan={columns}>
        <AcceptRiskForm
          cluster={risks.cluster}
          target={target}
          title={title}
          onCancel={onClose}
          onAccepted={(r) => {
            onClose();
            risks.onAccepted(r);
          }}
        />
      </td>
    </tr>
  );
}

function PillarCriteria({
  clusterId,
  pillar,
  risks,
}: {
  clusterId: string;
  pillar: Pillar;
  risks?: ClusterRisks;
}) {
  const org = useOrg();
  const counts = criteriaCounts(pillar.criteria);
  const [accepting, setAccepting] = useState<string | null>(null);
  const statusOf = (id: string) =>
    risks ? riskStatus(risks.list, clusterId, [{ kind: 'criterion', targetId: id }]) : null;
  return (
    <details className="pillar" id={`pillar-${pillar.id}`} tabIndex={-1}>
      <summary>
        <span className="pillar__name">{pillar.name}</span>
        <LevelBadge level={pillar.level} />
        <span className="muted">
          score {pillar.score} · {counts.met} met · {counts['not-met']} not met · {counts.unknown}{' '}
          unknown
        </span>
      </summary>
      {pillar.cappedBy && (
        <div className="notice" data-testid={`cap-${pillar.cappedBy}`}>
          Capped: {pillar.cappedBy}
          <RiskBadge status={statusOf(pillar.cappedBy)} />
        </div>
      )}
      <div className="table-wrap">
        <table className="table table--compact">
          <caption className="visually-hidden">{pillar.name}: criteria by level</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                Level
              </th>
              <th scope="col">Criterion</th>
              <th scope="col">Status</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {pillar.criteria.map((c) => {
              const status = statusOf(c.id);
              const canAccept =
                risks?.canAccept === true && c.status !== 'met' && status?.state !== 'active';
              return (
                <Fragment key={c.id}>
                  <tr data-testid={`criterion-${c.id}`}>
                    <td className="num">{c.level}</td>
                    <th scope="row">
                      <Link to={paths.clusterCriterion(org.id, clusterId, c.id)}>{c.title}</Link>
                      <RiskBadge status={status} />
                      {canAccept && (
                        <AcceptRiskButton
                          title={c.title}
                          open={accepting === c.id}
                          onClick={() => setAccepting((a) => (a === c.id ? null : c.id))}
                        />
                      )}
                    </th>
                    <td>
                      <CriterionStatus status={c.status} />
                    </td>
                    <td>
                      {c.reason}
                      <span className="muted"> · {plural(c.evidence.length, 'evidence item')}</span>
                    </td>
                  </tr>
                  {canAccept && risks && accepting === c.id && (
                    <AcceptRiskRow
                      risks={risks}
                      target={{ kind: 'criterion', targetId: c.id }}
                      title={c.title}
                      columns={4}
                      onClose={() => setAccepting(null)}
                    />
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export function MaturitySection({
  clusterId,
  maturity,
  risks,
}: {
  clusterId: string;
  maturity: Maturity | null;
  /** Accepted risks to show beside the criteria (and the form for admins). */
  risks?: ClusterRisks;
}) {
  const org = useOrg();
  const accepted = risks ? activeFor(risks.list, clusterId).length : 0;
  return (
    <section className="panel" aria-labelledby="maturity-title" id="maturity" tabIndex={-1}>
      <h2 id="maturity-title">Operational maturity</h2>
      {!maturity ? (
        <p className="muted">No analysed scan yet.</p>
      ) : (
        <>
          <p className="headline">
            <LevelBadge level={maturity.level} />{' '}
            <span className="muted">
              score {maturity.score} · {formatPercent(maturity.coverage)} of criteria evaluable ·
              CNCF stage {maturity.cncfStage}
            </span>
          </p>
          {accepted > 0 && (
            <p className="muted" data-testid="level-as-assessed">
              Level {maturity.level} is the level as assessed: accepted risks do not change it.{' '}
              {accepted === 1
                ? '1 accepted risk applies to this cluster; plans count it as met'
                : `${accepted} accepted risks apply to this cluster; plans count them as met`}{' '}
              and label their levels “with accepted risks”.
            </p>
          )}
          <div className="radar-block">
            <MaturityRadar
              title="Levels by pillar"
              pillars={maturity.pillars.map((p) => ({
                id: p.id,
                name: p.name,
                level: p.level,
                href: paths.cluster(org.id, clusterId, `pillar-${p.id}`),
              }))}
              color={MATURITY_COLOR}
              testId="cluster-radar"
            />
          </div>
          <div className="pillars" data-testid="pillars">
            <p className="muted">
              Open a pillar for its criteria; every criterion links to its evidence.
            </p>
            {maturity.pillars.map((p) => (
              <PillarCriteria key={p.id} clusterId={clusterId} pillar={p} risks={risks} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}

export function FindingsSection({
  clusterId,
  findings,
  steps,
  risks,
}: {
  clusterId: string;
  findings: readonly Finding[];
  /** The step of the cluster's newest ready plan that fixes each finding (by finding id). */
  steps?: ReadonlyMap<string, StepLink>;
  /** Accepted risks to show beside the findings (and the form for admins). */
  risks?: ClusterRisks;
}) {
  const org = useOrg();
  const ids = useId();
  const [accepting, setAccepting] = useState<string | null>(null);
  const [filter, setFilter] = useState<FindingFilter>({ domain: 'all', minSeverity: 'info' });
  const shown = filterFindings(findings, filter);
  return (
    <section className="panel" aria-labelledby="findings-title" id="findings" tabIndex={-1}>
      <h2 id="findings-title">Findings</h2>
      {findings.length === 0 ? (
        <p className="muted">No findings: nothing holds a level down.</p>
      ) : (
        <>
          <div className="inline-form">
            <div className="field">
              <label htmlFor={`${ids}-domain`}>Assessment</label>
              <select
                id={`${ids}-domain`}
                value={filter.domain}
                onChange={(e) =>
                  setFilter((f) => ({ ...f, domain: e.target.value as FindingFilter['domain'] }))
                }
              >
                <option value="all">Both</option>
                <option value="maturity">Operational maturity</option>
                <option value="accountability">AI accountability</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${ids}-severity`}>Severity at least</label>
              <select
                id={`${ids}-severity`}
                value={filter.minSeverity}
                onChange={(e) =>
                  setFilter((f) => ({ ...f, minSeverity: e.target.value as Severity }))
                }
              >
                {SEVERITY_ORDER.map((s) => (
                  <option key={s} value={s}>
                    {SEVERITY_WORDS[s]}
                  </option>
                ))}
              </select>
            </div>
            <p className="muted" role="status">
              Showing {shown.length} of {findings.length}.
            </p>
          </div>
          <div className="table-wrap">
            <table className="table table--compact" data-testid="findings-table">
              <caption className="visually-hidden">Findings, worst first</caption>
              <thead>
                <tr>
                  <th scope="col">Severity</th>
                  <th scope="col">Finding</th>
                  <th scope="col">What if fixed</th>
                  <th scope="col">Remediation</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((f) => {
                  const status = risks
                    ? riskStatus(risks.list, clusterId, findingTargets(f.id))
                    : null;
                  const canAccept = risks?.canAccept === true && status?.state !== 'active';
                  return (
                    <Fragment key={f.id}>
                      <tr data-testid={`finding-${f.id}`}>
                        <td>
                          <SeverityBadge severity={f.severity} />
                        </td>
                        <th scope="row">
                          <Link to={paths.clusterFinding(org.id, clusterId, f.id)}>{f.title}</Link>
                          <span className="finding-meta muted">
                            {f.pillarName} · {findingKindWords(f.kind)}
                            {f.asi ? ` · ${f.asi}` : ''}
                          </span>
                          <RiskBadge status={status} />
                          {canAccept && (
                            <AcceptRiskButton
                              title={f.title}
                              open={accepting === f.id}
                              onClick={() => setAccepting((a) => (a === f.id ? null : f.id))}
                            />
                          )}
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
                          {f.remediation}
                          {steps?.has(f.id) && (
                            <span className="finding-meta" data-testid="finding-step">
                              <Link
                                to={paths.clusterRoadmap(org.id, clusterId, {
                                  section: stepAnchor(steps.get(f.id)!.stepId),
                                })}
                                title={steps.get(f.id)!.title}
                              >
                                Fixed by step {steps.get(f.id)!.number} of the roadmap
                              </Link>
                            </span>
                          )}
                        </td>
                      </tr>
                      {canAccept && risks && accepting === f.id && (
                        <AcceptRiskRow
                          risks={risks}
                          target={{ kind: 'finding', targetId: f.id }}
                          title={f.title}
                          columns={4}
                          onClose={() => setAccepting(null)}
                        />
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

export function CostSection({ cost }: { cost: ClusterDetail['cost'] }) {
  const org = useOrg();
  return (
    <section className="panel" aria-labelledby="cost-title" id="cost" tabIndex={-1}>
      <h2 id="cost-title">This cluster’s integration tax</h2>
      {!cost ? (
        <p className="muted">No analysed scan yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table--compact">
            <caption className="visually-hidden">Cost lines of this cluster</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Formula</th>
                <th scope="col" className="num">
                  Per year
                </th>
              </tr>
            </thead>
            <tbody>
              {cost.lines.map((l) => (
                <tr key={l.id}>
                  <th scope="row">
                    <Link to={paths.taxLine(org.id, l.id)}>{l.label}</Link>
                  </th>
                  <td>
                    <code>{l.formula}</code>
                  </td>
                  <td className="num">
                    <Money cents={l.cents} />
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  Total for this cluster on its own
                </th>
                <td className="num">
                  <Money cents={cost.totalCents} />
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}
