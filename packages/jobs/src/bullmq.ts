import {
  JOB_NAMES,
  makeJobEnvelope,
  parseJobEnvelope,
  type JobEnvelope,
  type JobName,
  type JobPayload,
} from '@plumbline/contracts';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import {
  bindJobLogger,
  ENQUEUE_TIMEOUT_MS,
  PermanentJobError,
  QueueUnavailableError,
  queueNameOf,
  RETRY_POLICY,
  type AnyJobHandler,
  type EnqueueOptions,
  type JobContext,
  type JobLogger,
  type JobObserver,
  type JobOutcome,
  type JobQueue,
  type JobSchedule,
  type QueueDepth,
} from './port.js';

export interface RedisQueueOptions {
  redisUrl: string;
  prefix: string;
  /** Where connection errors are reported (at most one line per 10 s). */
  log?: JobLogger;
}

/** Job states in which a job will still run (or is running). */
const LIVE_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/** Connection suitable for BullMQ (workers need maxRetriesPerRequest: null). */
export function createRedis(url: string, name: string, log?: JobLogger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    connectionName: name,
  });
  // ioredis reconnects by itself; without a listener every failed attempt is an unhandled event.
  let last = 0;
  redis.on('error', (err: Error) => {
    if (Date.now() - last < 10_000) return;
    last = Date.now();
    log?.warn({ redis: name, err: err.message }, 'redis connection error (retrying)');
  });
  return redis;
}

/** Producer: validates the payload, wraps it in a versioned envelope, adds it to its queue. */
export class BullMqJobQueue implements JobQueue {
  readonly mode = 'redis' as const;
  private readonly connection: Redis;
  private readonly queues = new Map<JobName, Queue>();

  constructor(private readonly options: RedisQueueOptions) {
    this.connection = createRedis(options.redisUrl, 'plumbline-producer', options.log);
  }

  private queue(name: JobName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(queueNameOf(name), {
        connection: this.connection,
        prefix: this.options.prefix,
      });
      // Connection errors are the connection's to report (createRedis); without a listener
      // BullMQ prints each one.
      q.on('error', () => undefined);
      this.queues.set(name, q);
    }
    return q;
  }

  /**
   * Run one Redis operation, or fail fast with QueueUnavailableError: at once while the
   * connection is down, after ENQUEUE_TIMEOUT_MS otherwise (the connection retries forever,
   * as BullMQ needs, so a plain call would wait for Redis to come back).
   */
  private async fast<T>(op: () => Promise<T>): Promise<T> {
    // Between reconnection attempts: Redis is known to be down. (A first 'connecting' waits.)
    if (['reconnecting', 'close', 'end'].includes(this.connection.status))
      throw new QueueUnavailableError();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new QueueUnavailableError()), ENQUEUE_TIMEOUT_MS);
    });
    const run = op();
    run.catch(() => undefined); // settled later when the timeout wins
    try {
      return await Promise.race([run, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options: EnqueueOptions = {},
  ): Promise<{ id: string }> {
    const envelope = makeJobEnvelope(name, payload, options.requestId);
    const job = await this.fast(() =>
      this.queue(name).add(name, envelope, {
        jobId: options.jobId,
        ...(options.delayMs ? { delay: options.delayMs } : {}),
        attempts: RETRY_POLICY.attempts,
        backoff: { type: 'exponential', delay: RETRY_POLICY.backoffMs },
        removeOnComplete: { count: 1000 },
        removeOnFail: { count: 5000 },
      }),
    );
    return { id: String(job.id) };
  }

  async ensureEnqueued<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options: EnqueueOptions & { jobId: string },
    stillWanted?: () => Promise<boolean>,
  ): Promise<'live' | 'queued' | 'done'> {
    const queue = this.queue(name);
    const existing = await this.fast(() => queue.getJob(options.jobId));
    if (existing) {
      const state = await this.fast(() => existing.getState());
      if (LIVE_STATES.has(state)) return 'live';
      // Finished after the caller read the database: ask again, or it would run twice.
      if (stillWanted && !(await stillWanted())) return 'done';
      // Finished (or unknown) while the database still waits for it: replace it.
      await this.fast(() => queue.remove(options.jobId)).catch(() => undefined);
    }
    // A job with the same id added meanwhile (another worker's reconciler) is kept: add dedups.
    await this.enqueue(name, payload, options);
    return 'queued';
  }

  /** Jobs per state for every queue (scraped by /metrics). */
  async depth(): Promise<Record<JobName, QueueDepth>> {
    const entries = await Promise.all(
      JOB_NAMES.map(async (name) => {
        const c = await this.fast(() =>
          this.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed'),
        );
        const depth: QueueDepth = {
          waiting: c.waiting ?? 0,
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
          failed: c.failed ?? 0,
        };
        return [name, depth] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<JobName, QueueDepth>;
  }

  /** A BullMQ job scheduler (cron `0 <hour> * * *`, UTC), upserted: one schedule per id. */
  async scheduleDaily<N extends JobName>(
    schedulerId: string,
    name: N,
    payload: JobPayload<N>,
    hourUtc: number,
  ): Promise<void> {
    const envelope = makeJobEnvelope(name, payload);
    await this.fast(() =>
      this.queue(name).upsertJobScheduler(
        schedulerId,
        { pattern: `0 ${hourUtc} * * *`, tz: 'UTC' },
        {
          name,
          data: envelope,
          opts: {
            attempts: RETRY_POLICY.attempts,
            backoff: { type: 'exponential', delay: RETRY_POLICY.backoffMs },
            removeOnComplete: { count: 100 },
            removeOnFail: { count: 500 },
          },
        },
      ),
    );
  }

  async schedule<N extends JobName>(
    key: string,
    name: N,
    payload: JobPayload<N>,
    everyMs: number,
  ): Promise<void> {
    // The envelope is made (and validated) once; every run of the scheduler carries it.
    const envelope = makeJobEnvelope(name, payload);
    await this.fast(() =>
      this.queue(name).upsertJobScheduler(
        key,
        { every: everyMs },
        {
          name,
          data: envelope,
          opts: {
            attempts: RETRY_POLICY.attempts,
            backoff: { type: 'exponential', delay: RETRY_POLICY.backoffMs },
            removeOnComplete: { count: 1000 },
            removeOnFail: { count: 5000 },
          },
        },
      ),
    );
  }

  async unschedule(name: JobName, key: string): Promise<void> {
    await this.fast(() => this.queue(name).removeJobScheduler(key));
  }

  async schedules(name: JobName): Promise<JobSchedule[]> {
    const list = await this.fast(() => this.queue(name).getJobSchedulers(0, -1, true));
    return list
      .filter((s): s is typeof s & { every: number } => typeof s.every === 'number')
      .map((s) => ({ key: s.key, everyMs: s.every }));
  }

  async close(): Promise<void> {
    // Closing waits for Redis; when it is down there is nothing to flush: give up after a while.
    await Promise.race([
      Promise.all([...this.queues.values()].map((q) => q.close())).catch(() => undefined),
      new Promise<void>((r) => setTimeout(r, ENQUEUE_TIMEOUT_MS).unref()),
    ]);
    this.connection.disconnect();
  }
}

interface InFlight {
  job: Job;
  token: string | undefined;
  handler: AnyJobHandler;
  started: bigint;
  done: Promise<void>;
}

/** Consumer: one BullMQ Worker per registered handler. */
export class BullMqWorkerHost {
  private readonly workers: Worker[] = [];
  private readonly connection: Redis;
  private readonly inFlight = new Map<string, InFlight>();
  /** Jobs handed back to the queue at shutdown: whatever their run does next is ignored. */
  private readonly returned = new Set<string>();

  constructor(
    private readonly options: RedisQueueOptions & {
      concurrency: number;
      lockMs?: number;
      observer?: JobObserver;
    },
    private readonly handlers: readonly AnyJobHandler[],
    private readonly log: JobLogger,
  ) {
    this.connection = createRedis(options.redisUrl, 'plumbline-worker', log);
  }

  get queueNames(): string[] {
    return this.handlers.map((h) => queueNameOf(h.name));
  }

  /** Runs in progress in this process. */
  get activeCount(): number {
    return this.inFlight.size;
  }

  start(): void {
    for (const handler of this.handlers) {
      const worker = new Worker(
        queueNameOf(handler.name),
        (job: Job, token?: string) => this.track(handler, job, token),
        {
          connection: this.connection,
          prefix: this.options.prefix,
          concurrency: this.options.concurrency,
          // A job whose worker died is handed to another worker after this lock expires.
          lockDuration: this.options.lockMs ?? 30_000,
          stalledInterval: this.options.lockMs ?? 30_000,
          maxStalledCount: 2,
        },
      );
      worker.on('failed', (job, err) => {
        if (!job || this.returned.has(keyOf(handler, job))) return;
        // Failures thrown by the handler are logged and finalised inside process(); a job that
        // failed because its workers kept dying (stalled too often) is handled here.
        if (!/stalled/i.test(err.message)) return;
        this.log.warn(
          { job: handler.name, jobId: job.id, attempt: job.attemptsMade, err: err.message },
          'job failed',
        );
        this.options.observer?.finished(handler.name, 'failed');
        void this.finalFailure(handler, job, err);
      });
      worker.on('error', (err) => this.log.error({ err: err.message }, 'queue worker error'));
      this.workers.push(worker);
    }
  }

  private track(handler: AnyJobHandler, job: Job, token: string | undefined): Promise<void> {
    const key = keyOf(handler, job);
    const done = this.process(handler, job, token).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, { job, token, handler, started: process.hrtime.bigint(), done });
    return done;
  }

  private context(job: Job, handlerName: string, requestId?: string, token?: string): JobContext {
    return {
      jobId: String(job.id),
      attempt: job.attemptsMade + 1,
      log: bindJobLogger(this.log, { job: handlerName, jobId: job.id, requestId }),
      extendLock: async (ms: number) => {
        if (token) await job.extendLock(token, ms);
      },
    };
  }

  private finish(handler: AnyJobHandler, job: Job, outcome: JobOutcome, started: bigint): void {
    if (this.returned.has(keyOf(handler, job))) return;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.options.observer?.finished(handler.name, outcome, seconds);
  }

  private async process(handler: AnyJobHandler, job: Job, token?: string): Promise<void> {
    const started = process.hrtime.bigint();
    this.options.observer?.started(handler.name);
    let envelope: JobEnvelope;
    try {
      envelope = parseJobEnvelope(handler.name, job.data);
    } catch (e) {
      this.finish(handler, job, 'failed', started);
      throw new UnrecoverableError((e as Error).message);
    }
    const ctx = this.context(job, handler.name, envelope.requestId, token);
    try {
      await (handler.run as (e: JobEnvelope, c: JobContext) => Promise<void>)(envelope, ctx);
      // Handed back at shutdown: another worker owns the job now; this run does not count.
      if (this.returned.has(keyOf(handler, job))) return;
      this.finish(handler, job, 'completed', started);
      ctx.log.info(
        { ms: Math.round(Number(process.hrtime.bigint() - started) / 1e6) },
        'job completed',
      );
    } catch (e) {
      if (this.returned.has(keyOf(handler, job))) return;
      const err = e instanceof Error ? e : new Error(String(e));
      const permanent = err instanceof PermanentJobError;
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      ctx.log.warn(
        { attempt: ctx.attempt, final: permanent || lastAttempt, err: err.message },
        'job failed',
      );
      this.finish(handler, job, permanent || lastAttempt ? 'failed' : 'retry', started);
      if (permanent || lastAttempt) await this.finalFailure(handler, job, err);
      throw permanent ? new UnrecoverableError(err.message) : err;
    }
  }

  private async finalFailure(handler: AnyJobHandler, job: Job, err: Error): Promise<void> {
    if (!handler.onFinalFailure) return;
    try {
      const envelope = parseJobEnvelope(handler.name, job.data);
      await (
        handler.onFinalFailure as (e: JobEnvelope, err: Error, c: JobContext) => Promise<void>
      )(envelope, err, this.context(job, handler.name, envelope.requestId));
    } catch (e) {
      this.log.error(
        { job: handler.name, jobId: job.id, err: (e as Error).message },
        'onFinalFailure failed',
      );
    }
  }

  /**
   * Graceful stop: take no new jobs, let the runs in progress finish for up to `graceMs`, then
   * hand the unfinished ones back to their queue (moved from active to waiting, first in line)
   * so another worker picks them up at once; handlers are idempotent. A job that cannot be
   * handed back (Redis gone) is retried by BullMQ once its lock expires.
   * Resolves with how many jobs finished during the grace period and how many were returned.
   */
  async close(graceMs = Number.POSITIVE_INFINITY): Promise<{ finished: number; returned: number }> {
    await Promise.all(
      this.workers.map((w) =>
        w
          .pause(true)
          .catch((e: unknown) =>
            this.log.warn({ err: (e as Error).message }, 'queue worker did not pause'),
          ),
      ),
    );
    const running = [...this.inFlight.values()];
    const drained = await waitAll(
      running.map((r) => r.done),
      graceMs,
    );
    const unfinished = drained ? 0 : this.inFlight.size;
    let returned = 0;
    if (!drained) {
      for (const [key, run] of this.inFlight) {
        this.returned.add(key);
        this.options.observer?.finished(
          run.handler.name,
          'interrupted',
          Number(process.hrtime.bigint() - run.started) / 1e9,
        );
        try {
          await run.job.moveToWait(run.token);
          returned++;
          this.log.warn(
            { job: run.handler.name, jobId: run.job.id },
            'job still running at the end of the shutdown grace period; returned to the queue',
          );
        } catch (e) {
          this.log.warn(
            { job: run.handler.name, jobId: run.job.id, err: (e as Error).message },
            'job could not be returned to the queue; it is retried once its lock expires',
          );
        }
      }
    }
    await Promise.all(this.workers.map((w) => w.close(!drained)));
    this.connection.disconnect();
    return { finished: Math.max(running.length - unfinished, 0), returned };
  }
}

function keyOf(handler: AnyJobHandler, job: Job): string {
  return `${handler.name}:${String(job.id)}`;
}

/** True when every promise settled within `ms`. */
async function waitAll(promises: Promise<unknown>[], ms: number): Promise<boolean> {
  if (!promises.length) return true;
  const all = Promise.allSettled(promises).then(() => true);
  if (!Number.isFinite(ms)) return all;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => {
    timer = setTimeout(() => r(false), ms);
  });
  try {
    return await Promise.race([all, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
