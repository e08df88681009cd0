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
  PermanentJobError,
  queueNameOf,
  RETRY_POLICY,
  type AnyJobHandler,
  type EnqueueOptions,
  type JobContext,
  type JobLogger,
  type JobQueue,
  type JobSchedule,
} from './port.js';

export interface RedisQueueOptions {
  redisUrl: string;
  prefix: string;
}

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
    this.connection = createRedis(options.redisUrl, 'plumbline-producer');
  }

  private queue(name: JobName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(queueNameOf(name), {
        connection: this.connection,
        prefix: this.options.prefix,
      });
      this.queues.set(name, q);
    }
    return q;
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options: EnqueueOptions = {},
  ): Promise<{ id: string }> {
    const envelope = makeJobEnvelope(name, payload, options.requestId);
    const job = await this.queue(name).add(name, envelope, {
      jobId: options.jobId,
      attempts: RETRY_POLICY.attempts,
      backoff: { type: 'exponential', delay: RETRY_POLICY.backoffMs },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 5000 },
    });
    return { id: String(job.id) };
  }

  async schedule<N extends JobName>(
    key: string,
    name: N,
    payload: JobPayload<N>,
    everyMs: number,
  ): Promise<void> {
    // The envelope is made (and validated) once; every run of the scheduler carries it.
    const envelope = makeJobEnvelope(name, payload);
    await this.queue(name).upsertJobScheduler(
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
    );
  }

  async unschedule(name: JobName, key: string): Promise<void> {
    await this.queue(name).removeJobScheduler(key);
  }

  async schedules(name: JobName): Promise<JobSchedule[]> {
    const list = await this.queue(name).getJobSchedulers(0, -1, true);
    return list
      .filter((s): s is typeof s & { every: number } => typeof s.every === 'number')
      .map((s) => ({ key: s.key, everyMs: s.every }));
  }

  /** Waiting + active + delayed jobs per queue (for /metrics and tests). */
  async depth(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const name of JOB_NAMES) {
      out[name] = await this.queue(name).getJobCountByTypes('waiting', 'active', 'delayed');
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.connection.disconnect();
  }
}

/** Consumer: one BullMQ Worker per registered handler. */
export class BullMqWorkerHost {
  private readonly workers: Worker[] = [];
  private readonly connection: Redis;

  constructor(
    private readonly options: RedisQueueOptions & { concurrency: number; lockMs?: number },
    private readonly handlers: readonly AnyJobHandler[],
    private readonly log: JobLogger,
  ) {
    this.connection = createRedis(options.redisUrl, 'plumbline-worker', log);
  }

  get queueNames(): string[] {
    return this.handlers.map((h) => queueNameOf(h.name));
  }

  start(): void {
    for (const handler of this.handlers) {
      const worker = new Worker(
        queueNameOf(handler.name),
        (job: Job) => this.process(handler, job),
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
        if (!job) return;
        this.log.warn(
          { job: handler.name, jobId: job.id, attempt: job.attemptsMade, err: err.message },
          'job failed',
        );
        // Failures thrown by the handler are finalised inside process(); a job that failed
        // because its workers kept dying (stalled too often) is finalised here.
        if (/stalled/i.test(err.message)) void this.finalFailure(handler, job, err);
      });
      worker.on('error', (err) => this.log.error({ err: err.message }, 'queue worker error'));
      this.workers.push(worker);
    }
  }

  private context(job: Job): JobContext {
    return { jobId: String(job.id), attempt: job.attemptsMade + 1, log: this.log };
  }

  private async process(handler: AnyJobHandler, job: Job): Promise<void> {
    let envelope: JobEnvelope;
    try {
      envelope = parseJobEnvelope(handler.name, job.data);
    } catch (e) {
      throw new UnrecoverableError((e as Error).message);
    }
    const started = Date.now();
    try {
      await (handler.run as (e: JobEnvelope, c: JobContext) => Promise<void>)(
        envelope,
        this.context(job),
      );
      this.log.info(
        {
          job: handler.name,
          jobId: job.id,
          ms: Date.now() - started,
          requestId: envelope.requestId,
        },
        'job completed',
      );
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      const permanent = err instanceof PermanentJobError;
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
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
      )(envelope, err, this.context(job));
    } catch (e) {
      this.log.error(
        { job: handler.name, jobId: job.id, err: (e as Error).message },
        'onFinalFailure failed',
      );
    }
  }

  /** Stop taking jobs; in-flight jobs finish first (or return to the queue after their lock). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    this.connection.disconnect();
  }
}
