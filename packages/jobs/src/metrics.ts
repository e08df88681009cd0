import { JOB_NAMES, type JobName } from '@plumbline/contracts';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import {
  QUEUE_STATES,
  queueNameOf,
  type JobLogger,
  type JobObserver,
  type JobOutcome,
  type JobQueue,
  type QueueDepth,
} from './port.js';

/** Job durations: from sub-second roll-ups to multi-minute analyses of large clusters. */
const JOB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/**
 * Prometheus metrics of the jobs this process runs (the worker, or the API in in-process mode):
 *   plumbline_job_runs_total{job,outcome}            runs by outcome (completed|retry|failed|interrupted)
 *   plumbline_job_failures_total{job,final}          failed runs; final="true" when given up for good
 *   plumbline_job_duration_seconds{job,outcome}      run durations
 *   plumbline_jobs_active{job}                       runs in progress in this process
 * Label values are job names and fixed outcomes only (bounded cardinality).
 */
export function createJobMetrics(registry: Registry): JobObserver {
  const runs = new Counter({
    name: 'plumbline_job_runs_total',
    help: 'Job runs (attempts) by job name and outcome: completed, retry (will be retried), failed (for good), interrupted (returned to the queue at shutdown).',
    labelNames: ['job', 'outcome'] as const,
    registers: [registry],
  });
  const failures = new Counter({
    name: 'plumbline_job_failures_total',
    help: 'Failed job runs; final="true" when the job was given up (retries exhausted or permanent error).',
    labelNames: ['job', 'final'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'plumbline_job_duration_seconds',
    help: 'Duration of job runs in this process, by job name and outcome.',
    labelNames: ['job', 'outcome'] as const,
    buckets: JOB_BUCKETS,
    registers: [registry],
  });
  const active = new Gauge({
    name: 'plumbline_jobs_active',
    help: 'Job runs in progress in this process.',
    labelNames: ['job'] as const,
    registers: [registry],
  });
  // Zero series for every job, so rates and alerts work before the first run.
  for (const job of JOB_NAMES) {
    active.set({ job }, 0);
    for (const outcome of ['completed', 'retry', 'failed'] as const) runs.inc({ job, outcome }, 0);
    failures.inc({ job, final: 'true' }, 0);
  }
  return {
    started(job: JobName) {
      active.inc({ job });
    },
    finished(job: JobName, outcome: JobOutcome, seconds?: number) {
      runs.inc({ job, outcome });
      if (outcome === 'retry' || outcome === 'failed')
        failures.inc({ job, final: outcome === 'failed' ? 'true' : 'false' });
      if (seconds === undefined) return;
      active.dec({ job });
      duration.observe({ job, outcome }, seconds);
    },
  };
}

/**
 * plumbline_queue_jobs{queue,state}: jobs waiting, active, delayed and failed per queue, read
 * from the queue at scrape time. When the queue cannot be read the series disappear and
 * plumbline_queue_up is 0 (the scrape itself still succeeds).
 */
export function registerQueueMetrics(registry: Registry, queue: JobQueue, log: JobLogger): void {
  // Both gauges come from one read per scrape: the registry starts every collect() in one
  // synchronous loop, so both join the same pending read, which is dropped once it settles.
  let pending: Promise<Record<JobName, QueueDepth> | null> | undefined;
  const read = () =>
    (pending ??= withTimeout(queue.depth(), 2000)
      .catch((e: unknown) => {
        log.warn({ err: (e as Error).message }, 'queue depth not read for /metrics');
        return null;
      })
      .finally(() => (pending = undefined)));
  new Gauge({
    name: 'plumbline_queue_up',
    help: '1 when the job queue answered the scrape, 0 when it could not be read.',
    registers: [registry],
    async collect() {
      this.set((await read()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'plumbline_queue_jobs',
    help: 'Jobs per queue and state (waiting, active, delayed, failed), read at scrape time.',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const depth = await read();
      if (!depth) return;
      for (const name of JOB_NAMES) {
        for (const state of QUEUE_STATES)
          this.set({ queue: queueNameOf(name), state }, depth[name][state]);
      }
    },
  });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    p,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref(),
    ),
  ]);
}

/** /metrics access: constant-time check of `Authorization: Bearer <METRICS_TOKEN>`. */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!m) return false;
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(m[1]!), digest(expected));
}
