import { useCallback, useEffect, useState } from 'react';
import type { CheckStatus, Readiness } from '@plumbline/contracts';
import { CHECK_NAMES, fetchReadiness, type CheckName } from './api';

type StatusState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'loaded'; readiness: Readiness; checkedAt: Date };

const CHECK_LABELS: Record<CheckName, string> = {
  database: 'Database (PostgreSQL)',
  redis: 'Queue (Redis)',
  worker: 'Background worker',
};

const STATUS_ICONS: Record<CheckStatus, string> = { ok: '✓', degraded: '!', down: '✕' };

const OVERALL_SUMMARY: Record<CheckStatus, string> = {
  ok: 'All services are ready.',
  degraded: 'Plumbline works, with reduced capacity or a local-only setup.',
  down: 'A required service is down: some features will not work.',
};

function useReadiness(): { state: StatusState; refresh: () => void } {
  const [state, setState] = useState<StatusState>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ kind: 'loading' });
    fetchReadiness({ signal: controller.signal }).then(
      (readiness) => {
        if (!controller.signal.aborted) {
          setState({ kind: 'loaded', readiness, checkedAt: new Date() });
        }
      },
      (e: unknown) => {
        if (controller.signal.aborted) return;
        setState({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const refresh = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, refresh };
}

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

function SystemStatus() {
  const { state, refresh } = useReadiness();
  return (
    <section className="panel" aria-labelledby="system-status-title">
      <div className="panel__header">
        <h2 id="system-status-title">System status</h2>
        <button
          type="button"
          className="button"
          onClick={refresh}
          disabled={state.kind === 'loading'}
        >
          Check again
        </button>
      </div>
      <div aria-live="polite" aria-busy={state.kind === 'loading'}>
        {state.kind === 'loading' && <p className="muted">Checking services…</p>}
        {state.kind === 'error' && (
          <div className="error" role="alert">
            <p>
              <strong>Could not load the system status:</strong> {state.message}.
            </p>
            <p>Is the Plumbline API running? Try again in a moment.</p>
          </div>
        )}
        {state.kind === 'loaded' && (
          <ReadinessReport readiness={state.readiness} checkedAt={state.checkedAt} />
        )}
      </div>
    </section>
  );
}

export function App() {
  return (
    <div className="page">
      <header className="site-header">
        <h1>Plumbline</h1>
        <p className="tagline">How ready is your organisation to run Kubernetes and AI agents?</p>
      </header>
      <main className="content">
        <section className="intro" aria-labelledby="about-title">
          <h2 id="about-title" className="visually-hidden">
            About Plumbline
          </h2>
          <p>
            Plumbline measures how ready an organisation really is to run Kubernetes and AI agents
            in production. It looks at three things:{' '}
            <strong>Kubernetes operational maturity</strong> (how clusters are built, upgraded,
            observed and recovered), <strong>AI agent accountability</strong> (whether every agent
            action can be attributed, limited and audited), and the <strong>integration tax</strong>{' '}
            of a do-it-yourself networking and security stack (the hidden cost of wiring and
            maintaining many separate tools). The result is a clear, evidence-based picture of where
            you stand and what to fix first.
          </p>
        </section>
        <SystemStatus />
      </main>
      <footer className="site-footer">
        <p>Plumbline · readiness assessment</p>
      </footer>
    </div>
  );
}
