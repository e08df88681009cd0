import type { CheckStatus, Readiness } from '@plumbline/contracts';
import { fetchReadiness, CHECK_NAMES, type CheckName } from '../../api/readiness';
import { ErrorState, Loading } from '../../components/states';
import { useResource } from '../../hooks/useResource';
import { PublicLayout } from '../../shell/PublicLayout';
import { PageTitle } from '../../shell/page';

const CHECK_LABELS: Record<CheckName, string> = {
  database: 'Database (PostgreSQL)',
  redis: 'Queue (Redis)',
  worker: 'Background worker',
  reports: 'PDF reports (Chromium)',
};

const STATUS_ICONS: Record<CheckStatus, string> = { ok: '✓', degraded: '!', down: '✕' };

const OVERALL_SUMMARY: Record<CheckStatus, string> = {
  ok: 'All services are ready.',
  degraded: 'Plumbline works, with reduced capacity or a local-only setup.',
  down: 'A required service is down: some features will not work.',
};

function StatusBadge({ status, testId }: { status: CheckStatus; testId?: string }) {
  return (
    <span className={`badge badge--${status}`}>
      <span className="badge__icon" aria-hidden="true">
        {STATUS_ICONS[status]}
      </span>
      <span data-testid={testId}>{status}</span>
    </span>
  );
}

function ReadinessReport({ readiness, checkedAt }: { readiness: Readiness; checkedAt: Date }) {
  const inProcess = readiness.queueMode === 'in-process';
  return (
    <>
      <div className="overall">
        <p className="overall__line">
          <span className="overall__label">Overall</span>
          <StatusBadge status={readiness.status} testId="overall-status" />
        </p>
        <p className="overall__summary">{OVERALL_SUMMARY[readiness.status]}</p>
      </div>
      <ul className="checks" aria-label="Service checks">
        {CHECK_NAMES.map((name) => {
          const check = readiness.checks[name];
          if (!check) return null;
          return (
            <li
              key={name}
              className="check"
              data-testid={`check-${name}`}
              data-status={check.status}
            >
              <div className="check__head">
                <span className="check__name">{CHECK_LABELS[name]}</span>
                <StatusBadge status={check.status} />
              </div>
              <p className="check__detail">
                {check.detail}
                {check.latencyMs !== undefined && (
                  <span className="check__latency"> · {check.latencyMs} ms</span>
                )}
              </p>
            </li>
          );
        })}
      </ul>
      <p className="queue-mode" data-testid="queue-mode">
        Queue mode: <code>{readiness.queueMode}</code>
        {inProcess
          ? ' — background jobs run inside the API process. Fine for a local demo; production runs Redis and a separate worker.'
          : ' — background jobs go through Redis to a separate worker process.'}
      </p>
      <p className="checked-at">
        Last checked at{' '}
        <time dateTime={checkedAt.toISOString()}>{checkedAt.toLocaleTimeString()}</time>
      </p>
    </>
  );
}

/** `/status`: public readiness of the API, database, queue and worker. */
export function Status() {
  const [state, reload] = useResource(
    async (signal) => ({ readiness: await fetchReadiness({ signal }), checkedAt: new Date() }),
    [],
  );
  return (
    <PublicLayout wide>
      <section className="panel" aria-labelledby="page-title">
        <div className="panel__header">
          <PageTitle title="System status">System status</PageTitle>
          <button
            type="button"
            className="button"
            onClick={reload}
            disabled={state.status === 'loading'}
          >
            Check again
          </button>
        </div>
        <div aria-live="polite" aria-busy={state.status === 'loading'}>
          {state.status === 'loading' && <Loading what="the system status" />}
          {state.status === 'error' && (
            <ErrorState
              title="Could not load the system status."
              message={`${state.message} Is the Plumbline API running? Try again in a moment.`}
            />
          )}
          {state.status === 'loaded' && (
            <ReadinessReport readiness={state.data.readiness} checkedAt={state.data.checkedAt} />
          )}
        </div>
      </section>
    </PublicLayout>
  );
}
