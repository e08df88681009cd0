import type {
  ClusterDetail,
  CreatePlanRequest,
  PlanRecord,
  PolicyDialect,
} from '@plumbline/contracts';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { FormError } from '../../components/Field';
import { toFormError, type FormErrorValue } from '../../components/formError';
import { LevelBadge } from '../../components/LevelBadge';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { formatDateTime } from '../../format';
import { useHashTarget } from '../../hooks/useHashTarget';
import { useResource } from '../../hooks/useResource';
import { navigate, useLocation } from '../../router/history';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useCan, useOrg } from '../../session/org';
import { useApi } from '../../session/session';
import { PageTitle } from '../../shell/page';
import { ClusterBreadcrumb, ClusterFrame, useClusterDetail } from './cluster/useClusterDetail';
import { EffortSection } from './roadmap/EffortSection';
import {
  isAgentPillar,
  isPending,
  namesOf,
  nextLevel,
  targetWords,
  type Names,
} from './roadmap/model';
import { PlanStatusPill, PlanView } from './roadmap/PlanView';
import { useRiskAcceptances } from './risks/useRiskAcceptances';
import {
  ACCOUNTABILITY_PILLAR_IDS,
  ACCOUNTABILITY_PILLAR_WORDS,
  POLICY_DIALECT_WORDS,
  POLICY_DIALECTS,
} from '../../vocabulary';

/** How often the plans are read again while the one shown is queued or being computed. */
export const POLL_MS = 1000;
const PAGE = 20;

type Maturity = NonNullable<ClusterDetail['maturity']>;

/** The target: the whole cluster or one pillar, the next level or a chosen one; then Plan. */
function TargetForm({
  clusterId,
  maturity,
  onRequested,
}: {
  clusterId: string;
  maturity: Maturity;
  onRequested: (plan: PlanRecord) => void;
}) {
  const api = useApi();
  const org = useOrg();
  const ids = useId();
  const [scope, setScope] = useState('');
  const [level, setLevel] = useState('next');
  const [dialect, setDialect] = useState<PolicyDialect>('kubernetes');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormErrorValue | null>(null);
  const pillar = maturity.pillars.find((p) => p.id === scope) ?? null;
  const agentPillar = isAgentPillar(scope) ? scope : null;
  // An accountability pillar's level today is on the agents screen; the API resolves "next".
  const current = agentPillar ? null : pillar ? pillar.level : maturity.level;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: CreatePlanRequest = {
      ...(level === 'next' ? {} : { level: Number(level) }),
      pillar: agentPillar ?? (pillar ? pillar.id : null),
      ...(dialect === 'kubernetes' ? {} : { dialect }),
    };
    try {
      onRequested(await api.requestPlan(org.id, clusterId, body));
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="inline-form" onSubmit={submit} aria-label="Plan a target" aria-busy={busy}>
      <div className="field">
        <label htmlFor={`${ids}-scope`}>Target</label>
        <select id={`${ids}-scope`} value={scope} onChange={(e) => setScope(e.target.value)}>
          <option value="">The whole cluster (level {maturity.level} today)</option>
          <optgroup label="Kubernetes operational maturity">
            {maturity.pillars.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} (level {p.level} today)
              </option>
            ))}
          </optgroup>
          <optgroup label="AI-agent accountability">
            {ACCOUNTABILITY_PILLAR_IDS.map((id) => (
              <option key={id} value={id}>
                {ACCOUNTABILITY_PILLAR_WORDS[id]}
              </option>
            ))}
          </optgroup>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-level`}>Level</label>
        <select id={`${ids}-level`} value={level} onChange={(e) => setLevel(e.target.value)}>
          <option value="next">
            {current === null
              ? 'The next level'
              : current >= 4
                ? 'The next level (level 4 is the top)'
                : `The next level (level ${nextLevel(current)})`}
          </option>
          {[1, 2, 3, 4].map((l) => (
            <option key={l} value={String(l)}>
              Level {l}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-dialect`}>Network policies as</label>
        <select
          id={`${ids}-dialect`}
          value={dialect}
          onChange={(e) => setDialect(e.target.value as PolicyDialect)}
        >
          {POLICY_DIALECTS.map((d) => (
            <option key={d} value={d}>
              {POLICY_DIALECT_WORDS[d]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Planning…' : 'Plan'}
      </button>
      <FormError error={error} />
    </form>
  );
}

/** The cluster's plans, newest first: open any of them. */
function PlanList({
  clusterId,
  plans,
  shownId,
  names,
  more,
}: {
  clusterId: string;
  plans: readonly PlanRecord[];
  shownId: string | null;
  names: Names;
  more: (() => void) | null;
}) {
  const org = useOrg();
  return (
    <section className="panel" aria-labelledby="plans-title" id="plans" tabIndex={-1}>
      <h2 id="plans-title">Plans of this cluster</h2>
      <div className="table-wrap">
        <table className="table table--compact" data-testid="plan-list">
          <caption className="visually-hidden">Plans, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Requested</th>
              <th scope="col">Target</th>
              <th scope="col">Status</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {plans.map((p) => {
              const body = p.plan?.reachable ? p.plan : null;
              const shown = p.id === shownId;
              return (
                <tr key={p.id} data-testid="plan-row" data-plan-id={p.id}>
                  <th scope="row">
                    {shown ? (
                      <span aria-current="true">{formatDateTime(p.createdAt)} (shown)</span>
                    ) : (
                      <Link to={paths.clusterRoadmap(org.id, clusterId, { plan: p.id })}>
                        {formatDateTime(p.createdAt)}
                      </Link>
                    )}
                  </th>
                  <td>{targetWords(p.target, names)}</td>
                  <td>
                    <PlanStatusPill status={p.status} />
                  </td>
                  <td>
                    {body && p.status === 'ready'
                      ? `level ${body.from.level} → ${body.to.level}, ${body.steps.length} steps, ${Number(body.hours.toFixed(1))} hours`
                      : (p.reason ?? '—')}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {more && (
        <p>
          <button type="button" className="button button--secondary" onClick={more}>
            Show older plans
          </button>
        </p>
      )}
    </section>
  );
}

function RoadmapPage({ detail }: { detail: ClusterDetail }) {
  const api = useApi();
  const org = useOrg();
  const canPlan = useCan('member');
  const { pathname, search } = useLocation();
  const wanted = new URLSearchParams(search).get('plan');
  const clusterId = detail.cluster.id;
  const names = namesOf(detail);
  const [limit, setLimit] = useState(PAGE);
  const [requested, setRequested] = useState<PlanRecord | null>(null);
  const [plans, reload] = useResource(
    (signal) => api.plans(org.id, clusterId, { limit, signal }),
    [api, org.id, clusterId, limit],
  );

  const items = plans.status === 'loaded' ? plans.data.items : [];
  // A plan just requested shows at once, until the list has it.
  const list =
    requested && !items.some((p) => p.id === requested.id) ? [requested, ...items] : items;
  const fromList = wanted ? list.find((p) => p.id === wanted) : list[0];
  // An older plan than the list holds (a link to it): read on its own.
  const needOne = wanted !== null && plans.status === 'loaded' && !fromList;
  const [one, reloadOne] = useResource(
    (signal) => (needOne && wanted ? api.plan(org.id, wanted, signal) : Promise.resolve(null)),
    [api, org.id, wanted, needOne],
  );
  const shown = fromList ?? (one.status === 'loaded' ? one.data : null);
  // Who owns each accepted risk a plan leaves out, and until when (not essential: without them
  // the plan names the risks only).
  const [risks] = useRiskAcceptances();

  // Poll while the plan shown is queued or running; stop when it is done.
  const pending = shown !== null && isPending(shown);
  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => {
      if (fromList) reload();
      else reloadOne();
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [pending, plans, one, fromList, reload, reloadOne]);

  useHashTarget(shown?.status === 'ready');

  const maturity = detail.maturity;
  const title = maturity ? `Roadmap to level ${nextLevel(maturity.level)}` : 'Roadmap';
  return (
    <>
      <ClusterBreadcrumb cluster={detail.cluster} />
      <PageTitle title={`Roadmap · ${detail.cluster.name}`}>
        {detail.cluster.name}: roadmap
      </PageTitle>
      <p className="muted">
        The path from where {detail.cluster.name} is today to a target level: the fewest steps that
        reach it, in order, with their effort, what each one fixes, the level and integration tax
        after each, a 30/60/90-day roadmap, and a bundle of manifests checked against the newest
        analysed scan before it is offered.
      </p>
      {maturity ? (
        <p className="headline">
          Today: <LevelBadge level={maturity.level} />{' '}
          <span className="muted">
            {maturity.level >= 4 ? 'the top level' : `${title.toLowerCase()} is the next step`}
          </span>
        </p>
      ) : (
        <p className="notice">
          No analysed scan yet: a plan starts from the cluster’s newest analysed scan.
        </p>
      )}
      {maturity &&
        (canPlan ? (
          <TargetForm
            clusterId={clusterId}
            maturity={maturity}
            onRequested={(p) => {
              setRequested(p);
              if (wanted) navigate(pathname, { replace: true });
              reload();
            }}
          />
        ) : (
          <p className="notice" data-testid="viewer-notice">
            Viewers can read the plans; members and above can ask for one.
          </p>
        ))}
      {plans.status === 'loading' && <Loading what="the plans" />}
      {plans.status === 'error' && (
        <ErrorState
          title="Could not load the plans."
          message={plans.message}
          error={plans.error}
          onRetry={reload}
        />
      )}
      {plans.status === 'loaded' && list.length === 0 && (
        <EmptyState title="No plan yet." testId="plans-empty">
          <p>
            {canPlan
              ? 'Choose a target above and press Plan.'
              : 'A member of the organisation can ask for one.'}
          </p>
        </EmptyState>
      )}
      {needOne && one.status === 'loading' && <Loading what="the plan" />}
      {needOne && one.status === 'error' && (
        <ErrorState title="Could not load this plan." message={one.message} error={one.error}>
          <p>
            <Link to={paths.clusterRoadmap(org.id, clusterId)}>Show the newest plan</Link>
          </p>
        </ErrorState>
      )}
      {shown && <PlanView record={shown} names={names} risks={risks} />}
      {list.length > 0 && (
        <PlanList
          clusterId={clusterId}
          plans={list}
          shownId={shown?.id ?? null}
          names={names}
          more={
            plans.status === 'loaded' && plans.data.nextCursor
              ? () => setLimit((n) => Math.min(200, n + PAGE))
              : null
          }
        />
      )}
      <EffortSection
        titleOf={(id) => {
          const body = shown?.plan?.reachable ? shown.plan : null;
          const step = body?.steps.find((s) => s.id === id);
          if (step) return step.title;
          return id.startsWith('manual:') ? names.criterion(id.slice('manual:'.length)) : id;
        }}
      />
    </>
  );
}

/** A cluster's roadmap to a target maturity level: plan, steps, phases, verification, bundle. */
export default function Roadmap({ clusterId }: { clusterId: string }) {
  const [detail, reload] = useClusterDetail(clusterId);
  return (
    <ClusterFrame resource={detail} reload={reload} what="the cluster">
      {(data) => <RoadmapPage detail={data} />}
    </ClusterFrame>
  );
}
