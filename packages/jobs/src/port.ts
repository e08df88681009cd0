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
}

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

export interface JobContext {
  jobId: string;
  /** 1 for the first try. */
  attempt: number;
  log: JobLogger;
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
  options?: { jobId?: string },
) => Promise<void>;

/** Type-erased handler, as stored in a registry keyed by job name. */
export type AnyJobHandler = { [N in JobName]: JobHandler<N> }[JobName];

/** A failure that retrying cannot fix (bad data, missing row): fail at once, no retries. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}

/** Retry policy shared by both queue implementations. */
export const RETRY_POLICY = { attempts: 3, backoffMs: 1000 } as const;

/** BullMQ queue names may not contain ':'; job names use '.', queues use '-'. */
export function queueNameOf(name: JobName): string {
  return name.replace(/\./g, '-');
}
