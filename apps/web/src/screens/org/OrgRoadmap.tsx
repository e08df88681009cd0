import type { Overview, PlanRecord } from '@plumbline/contracts';
import { useEffect, useState } from 'react';
import { FormError } from '../../components/Field';
import { toFormError, type FormErrorValue } from '../../components/formError';
import { LevelBadge } from '../../components/LevelBadge';
import { Money } from '../../components/Money';
import { EmptyState, ResourceView } from '../../components/states';
import { useResource } from '../../hooks/useResource';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useCan, useOrg } from '../../session/org';
import { useApi } from '../../session/session';
import { PageTitle } from '../../shell/page';
import { hoursWords, isPending, phaseWords } from './roadmap/model';
import { orgRoadmap, type OrgRoadmap as Roadmap } from './roadmap/org';
import { PlanStatusPill } from './roadmap/PlanView';
import { plural } from './words';

/** Newest plans read for the organisation view (each cluster's newest plan is among them). */
const PLANS = 200;

function PlanCell({ orgId, plan }: { orgId: string; plan: PlanRecord | null }) {
  if (!plan) return <span className="muted">No plan yet</span>;
  const body = plan.plan;
  return (
    <>
      <PlanStatusPill status={plan.status} />{' '}
      {body && body.reachable && plan.status === 'ready' ? (
        <>
          {plural(body.steps.length, 'step')}, {hoursWords(body.hours)}: level{' '}
          <LevelBadge level={body.from.level} short /> →{' '}
          <LevelBadge level={body.to.level} short />{' '}
        </>
      ) : (
        <span className="muted">{plan.reason ?? ''} </span>
      )}
      <Link
        to={paths.clusterRoadmap(orgId, plan.clusterId, { plan: plan.id })}
        data-testid="org-roadmap-open"
      >
        Open
      </Link>
    </>
  );
}

function PlanAll({
  orgId,
  roadmap,
  onRequested,
}: {
  orgId: string;
  roadmap: Roadmap;
  onRequested: () => void;
}) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormErrorValue | null>(null);
  if (!roadmap.unplanned.length) return null;
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      for (const c of roadmap.unplanned) await api.requestPlan(orgId, c.id, {});
      onRequested();
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <p>
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => void run()}
        data-testid="org-roadmap-plan-all"
      >
        {busy
          ? 'Planning…'
          : `Plan the next level for ${plural(roadmap.unplanned.length, 'cluster')} that ${roadmap.unplanned.length === 1 ? 'holds' : 'hold'} the organisation back`}
      </button>
      <FormError error={error} />
    </p>
  );
}

function Body({
  overview,
  plans,
  onRequested,
}: {
  overview: Overview;
  plans: readonly PlanRecord[];
  onRequested: () => void;
}) {
  const org = useOrg();
  const canPlan = useCan('member');
  const roadmap = orgRoadmap(overview, plans);
  if (roadmap.level === null)
    return (
      <EmptyState title="No analysed scan yet">
        Scan a cluster first: the roadmap starts from the organisation’s level.
      </EmptyState>
    );
  const holding = roadmap.rows.filter((r) => r.holdsBack);
  return (
    <>
      <section className="panel" aria-labelledby="org-roadmap-summary">
        <h2 id="org-roadmap-summary">Where the organisation stands</h2>
        <dl className="facts" data-testid="org-roadmap-summary">
          <div>
            <dt>Level</dt>
            <dd>
              <LevelBadge level={roadmap.level} />
              {roadmap.after && (
                <>
                  {' '}
                  → <LevelBadge level={roadmap.after.level} /> when the plans below are done
                </>
              )}
            </dd>
          </div>
          <div>
            <dt>Held at this level by</dt>
            <dd>{plural(holding.length, 'cluster')} (the lowest of the organisation’s basis)</dd>
          </div>
          <div>
            <dt>Effort</dt>
            <dd>
              {roadmap.phases.length
                ? `${hoursWords(roadmap.hours)} of engineering work in their plans`
                : 'no plan yet: plan them to see the effort'}
            </dd>
          </div>
          {roadmap.taxCents !== null && (
            <div>
              <dt>Integration tax</dt>
              <dd>
                <Money cents={roadmap.taxCents} perYear />
                {roadmap.after && (
                  <>
                    {' '}
                    → <Money cents={roadmap.after.taxCents} perYear />
                  </>
                )}
              </dd>
            </div>
          )}
        </dl>
        {canPlan && <PlanAll orgId={org.id} roadmap={roadmap} onRequested={onRequested} />}
      </section>

      {roadmap.phases.length > 0 && (
        <section className="panel" aria-labelledby="org-roadmap-phases">
          <h2 id="org-roadmap-phases">30/60/90 days, every cluster’s plan together</h2>
          <div className="table-wrap">
            <table className="table" data-testid="org-roadmap-phases">
              <thead>
                <tr>
                  <th scope="col">Phase</th>
                  <th scope="col" className="num">
                    Engineering hours
                  </th>
                  <th scope="col">Organisation level after</th>
                  <th scope="col" className="num">
                    Integration tax after
                  </th>
                </tr>
              </thead>
              <tbody>
                {roadmap.phases.map((p) => (
                  <tr key={String(p.byDay)}>
                    <th scope="row">{phaseWords(p.byDay)}</th>
                    <td className="num">{Number(p.hours.toFixed(1))}</td>
                    <td>
                      <LevelBadge level={p.level} short />
                    </td>
                    <td className="num">
                      <Money cents={p.taxCents} perYear />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted">
            The organisation’s level is its lowest basis cluster’s; each phase counts the steps of
            the plans of the clusters at that level, and the tax is today’s total with each plan’s
            own change.
          </p>
        </section>
      )}

      <section className="panel" aria-labelledby="org-roadmap-clusters">
        <h2 id="org-roadmap-clusters">Clusters</h2>
        <div className="table-wrap">
          <table className="table" data-testid="org-roadmap-clusters">
            <thead>
              <tr>
                <th scope="col">Cluster</th>
                <th scope="col">Level today</th>
                <th scope="col">Plan to its next level</th>
              </tr>
            </thead>
            <tbody>
              {roadmap.rows.map((r) => (
                <tr key={r.cluster.id} data-holds-back={r.holdsBack ? 'true' : undefined}>
                  <th scope="row">
                    <Link to={paths.clusterRoadmap(org.id, r.cluster.id)}>{r.cluster.name}</Link>
                    {r.holdsBack && <span className="tag tag--warning">holds the level</span>}
                    {!r.inBasis && <span className="muted"> (not in the basis)</span>}
                  </th>
                  <td>
                    {r.cluster.level === null ? '—' : <LevelBadge level={r.cluster.level} short />}
                  </td>
                  <td>
                    <PlanCell orgId={org.id} plan={r.plan} />
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

/** The organisation's path off its level: the plans of the clusters that hold it there. */
export default function OrgRoadmapScreen() {
  const org = useOrg();
  const api = useApi();
  const [overview, reloadOverview] = useResource(
    (signal) => api.overview(org.id, signal),
    [api, org.id],
  );
  const [plans, reloadPlans] = useResource(
    (signal) => api.orgPlans(org.id, { limit: PLANS, signal }),
    [api, org.id],
  );
  const pending = plans.status === 'loaded' && plans.data.items.some(isPending);
  // Plans being computed: read again until they are done.
  useEffect(() => {
    if (!pending) return;
    const t = setTimeout(reloadPlans, 1500);
    return () => clearTimeout(t);
  }, [pending, plans, reloadPlans]);
  return (
    <>
      <PageTitle title="Roadmap">Roadmap</PageTitle>
      <p className="lead">
        The organisation’s path off its level: each cluster that holds it there, with its plan to
        the next level (the fewest steps, verified by re-analysis). Open a cluster for its steps and
        bundle.
      </p>
      <ResourceView resource={overview} what="the overview" onRetry={reloadOverview}>
        {(o) => (
          <ResourceView resource={plans} what="the plans" onRetry={reloadPlans}>
            {(p) => <Body overview={o} plans={p.items} onRequested={reloadPlans} />}
          </ResourceView>
        )}
      </ResourceView>
    </>
  );
}
