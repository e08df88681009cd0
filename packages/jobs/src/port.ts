import { randomUUID } from 'node:crypto';
import type { JobEnvelope, JobName, JobPayload, QueueMode } from '@plumbline/contracts';

/** Minimal structured logger the jobs layer needs (pino satisfies it). */
export interface JobLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface EnqueueOptions {
  requestId?: string;
  /** Deduplicates: a job with the same id that is still known to the queue is not added again. */
  jobId?: string;
  /** Run no earlier than this many milliseconds from now (debounced jobs). */
  delayMs?: number;
}

/** The states a queue reports for /metrics. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];
export type QueueDepth = Record<QueueState, number>;

/** A repeating job, as the queue knows it. */
export interface JobSchedule {
  key: string;
  everyMs: number;
}

/** The producer side of the queue, as the API sees it. */
export interface JobQueue {
  readonly mode: QueueMode;
  enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options?: EnqueueOptions,
  ): Promise<{ id: string }>;
  /**
   * Make sure a job with this id is waiting, delayed or running; add it (again) when the queue
   * has lost it or finished it while the database still expects it (the reconciler, and a
   * re-upload of a stuck scan). 'live' when it was already there, 'queued' when added.
   * `stillWanted` is asked when the queue holds the job as finished: the caller read the
   * database before the job finished, so the row is read again; 'done' when it is not wanted
   * any more (the job finished meanwhile), and nothing is added.
   */
  ensureEnqueued<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options: EnqueueOptions & { jobId: string },
    stillWanted?: () => Promise<boolean>,
  ): Promise<'live' | 'queued' | 'done'>;
  /** Jobs per state for every job name, read now (scraped by /metrics). */
  depth(): Promise<Record<JobName, QueueDepth>>;
  /**
   * Run a job every day at `hourUtc`:00 UTC. Idempotent by `schedulerId`: every process that
   * calls it with the same id shares one schedule.
   */
  scheduleDaily<N extends JobName>(
    schedulerId: string,
    name: N,
    payload: JobPayload<N>,
    hourUtc: number,
  ): Promise<void>;
  /**
   * Create or replace a repeating job (`key` is unique per job name). Redis: a BullMQ job
   * scheduler (kept in Redis, survives restarts; the first run is immediate). In-process: a
   * timer in this process, first run after one interval, gone when the process stops.
   */
  schedule<N extends JobName>(
    key: string,
    name: N,
    payload: JobPayload<N>,
    everyMs: number,
  ): Promise<void>;
  /** Remove a repeating job; no-op when there is none. */
  unschedule(name: JobName, key: string): Promise<void>;
  /** Repeating jobs of one job name. */
  schedules(name: JobName): Promise<JobSchedule[]>;
  close(): Promise<void>;
}

/** How one run (attempt) of a job ended, as counted by the job metrics. */
export type JobOutcome = 'completed' | 'retry' | 'failed' | 'interrupted';

/**
 * Told about every job run by the queue implementations (the Prometheus metrics implement it).
 * `retry`: the attempt failed and will be retried; `failed`: failed for good; `interrupted`:
 * handed back to the queue at shutdown.
 */
export interface JobObserver {
  started(name: JobName): void;
  /** `seconds` is absent when the run did not happen in this process (stalled elsewhere). */
  finished(name: JobName, outcome: JobOutcome, seconds?: number): void;
}

/** A logger whose lines all carry `bindings` (job name, job id, request id). */
export function bindJobLogger(log: JobLogger, bindings: Record<string, unknown>): JobLogger {
  return {
    info: (obj, msg) => log.info({ ...bindings, ...obj }, msg),
    warn: (obj, msg) => log.warn({ ...bindings, ...obj }, msg),
    error: (obj, msg) => log.error({ ...bindings, ...obj }, msg),
  };
}

export interface JobContext {
  jobId: string;
  /** 1 for the first try. */
  attempt: number;
  /** Every line carries job, jobId and the requestId of the HTTP request behind the job. */
  log: JobLogger;
  /**
   * Hold the job's lock for `ms` from now (BullMQ). Call before long synchronous work: a blocked
   * event loop cannot renew the lock, and the job would be handed to another worker mid-run.
   */
  extendLock?(ms: number): Promise<void>;
}

/** One processor per job name. Handlers must be idempotent: a job can run again after a crash. */
export interface JobHandler<N extends JobName = JobName> {
  name: N;
  run(envelope: JobEnvelope<N>, ctx: JobContext): Promise<void>;
  /** Called once when the job has failed for good (retries exhausted or permanent error). */
  onFinalFailure?(envelope: JobEnvelope<N>, error: Error, ctx: JobContext): Promise<void>;
}

/** Enqueue a follow-up job from inside a handler (e.g. the roll-up after an analysis). */
export type FollowUp = <N extends JobName>(
  name: N,
  payload: JobPayload<N>,
  requestId?: string,
  options?: { jobId?: string; delayMs?: number },
) => Promise<void>;

/** Default debounce window of the organisation roll-up (ROLLUP_DEBOUNCE_MS). */
export const ROLLUP_DEBOUNCE_MS = 1000;

/**
 * Enqueue options for a debounced `org.rollup`: one job per organisation per window, run just
 * after the window ends. Every request made inside a window shares the job id (many uploads ->
 * one roll-up), and the job starts after every request of its window was made, so it reads
 * every digest they wrote; a request made while it runs falls in the next window's job.
 */
export function rollupJobOptions(
  organizationId: string,
  debounceMs: number,
  now: number,
): { jobId: string; delayMs: number } {
  if (debounceMs <= 0) return { jobId: `rollup.${organizationId}.${randomUUID()}`, delayMs: 0 };
  const window = Math.floor(now / debounceMs);
  return {
    // The window's length is part of its id: windows of different lengths (see RollupPace)
    // never share a job.
    jobId: `rollup.${organizationId}.${debounceMs}.${window}`,
    delayMs: (window + 1) * debounceMs - now + 25,
  };
}

/** Type-erased handler, as stored in a registry keyed by job name. */
export type AnyJobHandler = { [N in JobName]: JobHandler<N> }[JobName];

/** A failure that retrying cannot fix (bad data, missing row): fail at once, no retries. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/**
 * The queue (Redis) cannot take the job now: the API answers 503 with Retry-After at once
 * instead of waiting for Redis to come back. The database row stays; the reconciler queues it.
 */
export class QueueUnavailableError extends Error {
  constructor(message = 'the job queue is unavailable; try again shortly') {
    super(message);
    this.name = 'QueueUnavailableError';
  }
}

/** How long an enqueue waits for Redis before giving up with QueueUnavailableError. */
export const ENQUEUE_TIMEOUT_MS = 1000;

/** Retry policy shared by both queue implementations. */
export const RETRY_POLICY = { attempts: 3, backoffMs: 1000 } as const;

/** BullMQ queue names may not contain ':'; job names use '.', queues use '-'. */
export function queueNameOf(name: JobName): string {
  return name.replace(/\./g, '-');
}
