import type { PlanRecord, PlanVerification, RiskAcceptance } from '@plumbline/contracts';
import { LevelBadge } from '../../../components/LevelBadge';
import { Money } from '../../../components/Money';
import { ACCOUNTABILITY_COLOR, MATURITY_COLOR, PhaseChart } from '../../../components/charts';
import { formatDate, formatDateTime } from '../../../format';
import { useOrg } from '../../../session/org';
import { useApi } from '../../../session/session';
import { acceptanceOfRequirement } from '../risks/model';
import { plural } from '../words';
import { POLICY_DIALECT_WORDS } from '../../../vocabulary';
import {
  headlineLevel,
  hoursWords,
  isAgentPillar,
  numberedSteps,
  phasePoints,
  phaseWords,
  pillarChanges,
  PLAN_STATUS_WORDS,
  stepAnchor,
  targetWords,
  taxChangeWords,
  unitsWords,
  type Names,
  type ReachablePlan,
  type UnreachablePlan,
} from './model';

/** 1234567 bytes: "1.2 MB". */
function sizeWords(bytes: number): string {
  if (bytes < 1024) return plural(bytes, 'byte');
  if (bytes < 1024 * 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
}

export function PlanStatusPill({ status }: { status: PlanRecord['status'] }) {
  const s = PLAN_STATUS_WORDS[status];
  return <span className={`status-pill status-pill--${s.kind}`}>{s.label}</span>;
}

function Pending({ record }: { record: PlanRecord }) {
  return (
    <p className="notice" role="status" data-testid="plan-pending">
      {record.status === 'queued'
        ? 'Queued: Plumbline computes the plan in the background and checks its manifests against this scan.'
        : 'Computing the plan and checking its manifests against this scan…'}{' '}
      This page updates by itself.
    </p>
  );
}

function Unreachable({
  record,
  body,
  names,
}: {
  record: PlanRecord;
  body: UnreachablePlan | null;
  names: Names;
}) {
  const reason = record.reason ?? body?.reason ?? 'no reason was recorded';
  return (
    <div className="callout callout--important" data-testid="plan-reason">
      <p>
        <strong>
          {record.status === 'unreachable'
            ? `${targetWords(record.target, names)} is out of reach from this scan’s evidence.`
            : record.status === 'refused'
              ? 'The plan was refused: its manifests failed their own check, so they are not offered.'
              : 'The plan could not be computed.'}
        </strong>
      </p>
      <p>Why: {reason}</p>
      {body && body.blockers.length > 0 && (
        <>
          <h3>What blocks it</h3>
          <ul data-testid="plan-blockers">
            {body.blockers.map((b) => (
              <li key={`${b.pillar}/${b.id}`}>
                <strong>{names.pillar(b.pillar)}</strong>: {names.criterion(b.id)}. {b.reason}
                {names.criterion(b.id) !== b.id && <span className="muted"> ({b.id})</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function Summary({ plan }: { plan: ReachablePlan }) {
  const generated = plan.steps.filter((s) => s.kind === 'generated').length;
  return (
    <dl className="facts" data-testid="plan-summary">
      <div>
        <dt>{isAgentPillar(plan.target.pillar) ? 'AI-agent accountability level' : 'Level'}</dt>
        <dd>
          <LevelBadge level={headlineLevel(plan.from, plan.target)} /> →{' '}
          <LevelBadge level={headlineLevel(plan.to, plan.target)} />
        </dd>
      </div>
      <div>
        <dt>Effort</dt>
        <dd>
          {hoursWords(plan.hours)} in {plural(plan.steps.length, 'step')} ({generated} generated,{' '}
          {plan.steps.length - generated} manual)
        </dd>
      </div>
      <div>
        <dt>Integration tax</dt>
        <dd>
          <Money cents={plan.from.taxCents} perYear /> → <Money cents={plan.to.taxCents} perYear />
        </dd>
      </div>
    </dl>
  );
}

function Download({ record }: { record: PlanRecord }) {
  const api = useApi();
  const org = useOrg();
  const bundle = record.bundle;
  if (!bundle) return null;
  return (
    <section className="panel" aria-labelledby="bundle-title" id="bundle" tabIndex={-1}>
      <h2 id="bundle-title">Bundle</h2>
      <p>
        A zip with a kustomize folder of the generated manifests, a README with every step and the
        plan itself: {plural(bundle.objects, 'Kubernetes object')} in {plural(bundle.files, 'file')}
        , {sizeWords(bundle.bytes)}.
      </p>
      <p>
        <a
          className="button"
          href={api.planBundleUrl(org.id, record.id)}
          download
          data-testid="bundle-download"
        >
          Download the bundle (zip)
        </a>
      </p>
      <p className="muted">
        SHA-256 <code>{bundle.sha256}</code>
      </p>
    </section>
  );
}

function Steps({ plan, names }: { plan: ReachablePlan; names: Names }) {
  return (
    <section className="panel" aria-labelledby="steps-title" id="steps" tabIndex={-1}>
      <h2 id="steps-title">Steps, in order</h2>
      {plan.steps.length === 0 ? (
        <p className="muted">No step: the target is already met.</p>
      ) : (
        <ol className="plan-steps" data-testid="plan-steps">
          {numberedSteps(plan).map(({ step, number, before }) => {
            const changes = pillarChanges(before, step.after);
            return (
              <li
                key={step.id}
                id={stepAnchor(step.id)}
                tabIndex={-1}
                className="plan-step"
                data-testid="plan-step"
                data-kind={step.kind}
              >
                <h3>
                  Step {number}: {step.title}
                </h3>
                <p>
                  <span className={step.kind === 'generated' ? 'tag' : 'tag tag--warning'}>
                    {step.kind === 'generated' ? 'Generated: manifests in the bundle' : 'Manual'}
                  </span>{' '}
                  {hoursWords(step.hours)} · {unitsWords(step)}
                </p>
                <dl className="facts">
                  {step.addresses.length > 0 && (
                    <div>
                      <dt>Meets</dt>
                      <dd>
                        <ul className="plain-list">
                          {step.addresses.map((c) => (
                            <li key={c}>{names.criterion(c)}</li>
                          ))}
                        </ul>
                      </dd>
                    </div>
                  )}
                  {step.confirms.length > 0 && (
                    <div data-testid="step-confirms">
                      <dt>Not evaluable from this scan: confirm</dt>
                      <dd>
                        <ul className="plain-list">
                          {step.confirms.map((c) => (
                            <li key={c}>{names.criterion(c)}</li>
                          ))}
                        </ul>
                      </dd>
                    </div>
                  )}
                  <div>
                    <dt>How</dt>
                    <dd>{step.remediation}</dd>
                  </div>
                  <div>
                    <dt>After it</dt>
                    <dd>
                      <LevelBadge level={headlineLevel(step.after, plan.target)} />
                      {changes.length > 0 && (
                        <>
                          {' '}
                          (
                          {changes
                            .map((c) => `${names.pillar(c.pillar)} ${c.from} → ${c.to}`)
                            .join('; ')}
                          )
                        </>
                      )}
                      ; {taxChangeWords(step.taxDeltaCents)}.
                    </dd>
                  </div>
                </dl>
                <p className="muted">
                  <small>Action id: {step.id}</small>
                </p>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function Phases({ plan }: { plan: ReachablePlan }) {
  const titles = new Map(plan.steps.map((s, i) => [s.id, `${i + 1}. ${s.title}`]));
  const points = phasePoints(plan);
  return (
    <section className="panel" aria-labelledby="phases-title" id="phases" tabIndex={-1}>
      <h2 id="phases-title">30/60/90-day roadmap</h2>
      <p className="muted">
        Steps in order, {hoursWords(plan.hoursPerPhase)} of the team’s time per 30 days.
      </p>
      <div className="table-wrap">
        <table className="table table--compact" data-testid="plan-phases">
          <caption className="visually-hidden">The roadmap by phase</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Steps</th>
              <th scope="col" className="num">
                Hours
              </th>
              <th scope="col">Level after</th>
              <th scope="col" className="num">
                Tax after
              </th>
            </tr>
          </thead>
          <tbody>
            {plan.roadmap.map((p) => (
              <tr key={String(p.byDay)} data-testid="plan-phase">
                <th scope="row">{phaseWords(p.byDay)}</th>
                <td>
                  <ul className="plain-list">
                    {p.steps.map((id) => (
                      <li key={id}>
                        <a href={`#${stepAnchor(id)}`}>{titles.get(id) ?? id}</a>
                      </li>
                    ))}
                  </ul>
                </td>
                <td className="num">{hoursWords(p.hours)}</td>
                <td>
                  <LevelBadge level={headlineLevel(p.after, plan.target)} short />
                </td>
                <td className="num">
                  <Money cents={p.after.taxCents} perYear />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="grid-2">
        <PhaseChart
          title="Maturity level after each phase"
          kind="level"
          xLabel="Roadmap phase"
          yLabel="Maturity level"
          color={MATURITY_COLOR}
          points={points.map((p) => ({ label: p.label, value: p.level }))}
          testId="chart-level"
        />
        <PhaseChart
          title="Integration tax after each phase"
          kind="money"
          xLabel="Roadmap phase"
          yLabel="Tax per year"
          color={ACCOUNTABILITY_COLOR}
          points={points.map((p) => ({ label: p.label, value: p.taxCents }))}
          testId="chart-tax"
        />
      </div>
    </section>
  );
}

function Verification({
  verification,
  names,
}: {
  verification: PlanVerification | null;
  names: Names;
}) {
  return (
    <section
      className="panel"
      aria-labelledby="verification-title"
      id="verification"
      tabIndex={-1}
      data-testid="verification"
    >
      <h2 id="verification-title">Verification</h2>
      {!verification ? (
        <p>Every step is manual: no manifests to check, and nothing to apply from the bundle.</p>
      ) : (
        <VerificationBody v={verification} names={names} />
      )}
    </section>
  );
}

function VerificationBody({ v, names }: { v: PlanVerification; names: Names }) {
  const pillars = Object.keys(v.promised) as (keyof PlanVerification['promised'])[];
  const c = v.connectivity;
  return (
    <>
      <p>
        <span className={`status-pill status-pill--${v.ok ? 'ok' : 'error'}`}>
          {v.ok ? 'Verified' : 'Not verified'}
        </span>{' '}
        Plumbline applied the bundle’s manifests to a copy of this scan and analysed it again: level{' '}
        {v.level.promised} promised, level {v.level.reached} reached; integration tax{' '}
        <Money cents={v.taxCents.before} perYear /> → <Money cents={v.taxCents.after} perYear />.
      </p>
      <div className="table-wrap">
        <table className="table table--compact" data-testid="verification-pillars">
          <caption>Levels the manifests promise and reach, by pillar</caption>
          <thead>
            <tr>
              <th scope="col">Pillar</th>
              <th scope="col" className="num">
                Promised
              </th>
              <th scope="col" className="num">
                Reached
              </th>
            </tr>
          </thead>
          <tbody>
            {[
              ...pillars.map((p) => ({ p, promised: v.promised[p], reached: v.reached[p] })),
              ...(v.agents
                ? (Object.keys(v.agents.promised) as (keyof typeof v.agents.promised)[]).map(
                    (p) => ({ p, promised: v.agents!.promised[p], reached: v.agents!.reached[p] }),
                  )
                : []),
            ].map(({ p, promised, reached }) => (
              <tr key={p}>
                <th scope="row">{names.pillar(p)}</th>
                <td className="num">{promised}</td>
                <td className="num">
                  {reached}
                  {reached < promised && <span className="tag tag--warning">short</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <dl className="facts" data-testid="verification-connectivity">
        <div>
          <dt>Connections through Services</dt>
          <dd>
            {plural(c.checked, 'connection')} a Service exposes today checked,{' '}
            <strong>{c.cut.length} cut</strong>
            {c.cut.length === 0 ? ': everything exposed stays reachable.' : ':'}
            {c.cut.length > 0 && (
              <ul>
                {c.cut.map((x) => (
                  <li key={`${x.service}/${x.src}/${x.dst}/${x.port}`}>
                    Service {x.service}: {x.src} → {x.dst} on port {x.port}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div>
          <dt>Newly isolated workloads</dt>
          <dd>
            {c.newlyIsolated.ingress} for ingress, {c.newlyIsolated.egress} for egress
          </dd>
        </div>
        <div>
          <dt>Newly denied</dt>
          <dd>
            {c.newlyDenied.length === 0 ? (
              'nothing that was allowed before'
            ) : (
              <ul data-testid="verification-denied">
                {c.newlyDenied.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      {v.problems.length > 0 && (
        <div className="callout callout--important">
          <h3>Problems found</h3>
          <ul>
            {v.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

/**
 * A requirement a plan leaves out as an accepted risk, with who owns it and until when when the
 * organisation's active acceptances say so.
 */
export function acceptedWords(
  id: string,
  clusterId: string,
  names: Names,
  risks: readonly RiskAcceptance[],
): string {
  const r = acceptanceOfRequirement(risks, clusterId, id);
  return r
    ? `${names.criterion(id)} (accepted by ${r.owner} until ${formatDate(r.expiresAt)})`
    : names.criterion(id);
}

/** One plan: its status, or the whole plan when ready. */
export function PlanView({
  record,
  names,
  risks = [],
}: {
  record: PlanRecord;
  names: Names;
  /** The organisation's accepted risks, to say who owns the ones the plan leaves out. */
  risks?: readonly RiskAcceptance[];
}) {
  const body = record.plan;
  return (
    <section
      className="plan"
      aria-labelledby="plan-title"
      data-testid="plan"
      data-status={record.status}
      data-plan-id={record.id}
    >
      <div className="panel">
        <h2 id="plan-title">
          Plan to {targetWords(record.target, names)} <PlanStatusPill status={record.status} />
        </h2>
        <p className="muted">
          Requested {formatDateTime(record.createdAt)}, from the scan collected{' '}
          {record.scanCollectedAt ? formatDateTime(record.scanCollectedAt) : 'at an unknown time'}
          {record.effortVersion > 0 ? ` · effort table version ${record.effortVersion}` : ''}
          {record.dialect !== 'kubernetes'
            ? ` · network policies as ${POLICY_DIALECT_WORDS[record.dialect]}`
            : ''}
          .
        </p>
        {(record.status === 'queued' || record.status === 'running') && <Pending record={record} />}
        {(record.status === 'unreachable' ||
          record.status === 'refused' ||
          record.status === 'failed') && (
          <Unreachable record={record} body={body && !body.reachable ? body : null} names={names} />
        )}
        {record.status === 'ready' && body?.reachable && (
          <>
            {body.alreadyMet && (
              <p className="notice notice--ok">
                The target is already met: {targetWords(record.target, names)} is where the cluster
                is today.
              </p>
            )}
            <Summary plan={body} />
            {body.accepted.length > 0 && (
              <p className="muted" data-testid="plan-accepted">
                Risks accepted by the organisation, counted as met and left out of the plan:{' '}
                {body.accepted
                  .map((c) => acceptedWords(c, record.clusterId, names, risks))
                  .join('; ')}
                .
              </p>
            )}
          </>
        )}
      </div>
      {record.status === 'ready' && body?.reachable && (
        <>
          <Download record={record} />
          <Steps plan={body} names={names} />
          <Phases plan={body} />
          <Verification verification={record.verification} names={names} />
        </>
      )}
      {record.status === 'refused' && record.verification && (
        <Verification verification={record.verification} names={names} />
      )}
    </section>
  );
}
