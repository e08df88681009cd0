import {
  JOB_NAMES,
  makeJobEnvelope,
  parseJobEnvelope,
  type JobEnvelope,
  type JobName,
  type JobPayload,
} from '@plumbline/contracts';
import { randomUUID } from 'node:crypto';
import {
  bindJobLogger,
  PermanentJobError,
  RETRY_POLICY,
  type AnyJobHandler,
  type EnqueueOptions,
  type JobContext,
  type JobLogger,
  type JobObserver,
  type JobQueue,
  type QueueDepth,
  type JobSchedule,
} from './port.js';

const DAY_MS = 86_400_000;

/**
 * Runs jobs inside the current process when no Redis is available (local demo only).
 * Same envelopes, validation, handlers and retry policy as the BullMQ path, but jobs live in
 * memory: they are lost if the process stops. Logged loudly so nobody runs production on it.
 */
export class InProcessJobQueue implements JobQueue {
  readonly mode = 'in-process' as const;
  private readonly handlers = new Map<JobName, AnyJobHandler>();
  private readonly pending = new Set<Promise<void>>();
  private readonly known = new Set<string>();
  /** Ids of jobs queued or running now. */
  private readonly live = new Set<string>();
  private running = 0;
  private readonly backlog: Array<{ name: JobName; task: () => Promise<void> }> = [];
  private closed = false;
  private readonly counts = new Map<JobName, QueueDepth>();
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; everyMs: number }>();
  private readonly dailyTimers = new Set<NodeJS.Timeout>();
  private readonly dailySchedules = new Set<string>();
  /** Delayed jobs by id: calling the function starts the job now. */
  private readonly delayed = new Map<string, () => void>();

  constructor(
    handlers: readonly AnyJobHandler[],
    private readonly log: JobLogger,
    private readonly options: {
      concurrency: number;
      backoffMs?: number;
      observer?: JobObserver;
    } = { concurrency: 2 },
  ) {
    for (const h of handlers) this.handlers.set(h.name, h);
    for (const name of JOB_NAMES)
      this.counts.set(name, { waiting: 0, active: 0, delayed: 0, failed: 0 });
    log.warn(
      { queueMode: 'in-process' },
      'NO REDIS: background jobs run inside the API process and are lost on restart. Local/demo use only; set REDIS_URL for real deployments.',
    );
  }

  async enqueue<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options: EnqueueOptions = {},
  ): Promise<{ id: string }> {
    if (this.closed) throw new Error('job queue is closed');
    const envelope = makeJobEnvelope(name, payload, options.requestId);
    const id = options.jobId ?? randomUUID();
    if (options.jobId && this.known.has(id)) return { id };
    this.known.add(id);
    this.live.add(id);
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`no processor registered for job ${name}`);
    // Serialise through JSON like Redis would, so both paths see the same data.
    const data: unknown = JSON.parse(JSON.stringify(envelope));
    const queue = () => {
      this.count(name, 'waiting', +1);
      this.backlog.push({
        name,
        task: () => this.execute(handler, id, data).finally(() => this.live.delete(id)),
      });
      this.pump();
    };
    if (options.delayMs && options.delayMs > 0) {
      // Delayed (debounced) jobs wait on a timer; drain() and close() start them at once.
      this.count(name, 'delayed', +1);
      const start = () => {
        clearTimeout(timer);
        this.delayed.delete(id);
        // Deduplicated only while it waits: a request after it started is a new job.
        this.known.delete(id);
        this.count(name, 'delayed', -1);
        queue();
      };
      const timer = setTimeout(start, options.delayMs);
      timer.unref();
      this.delayed.set(id, start);
      return { id };
    }
    queue();
    return { id };
  }

  async ensureEnqueued<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options: EnqueueOptions & { jobId: string },
    stillWanted?: () => Promise<boolean>,
  ): Promise<'live' | 'queued' | 'done'> {
    if (this.live.has(options.jobId)) return 'live';
    if (stillWanted && !(await stillWanted())) return 'done';
    this.known.delete(options.jobId);
    await this.enqueue(name, payload, options);
    return 'queued';
  }

  /** A timer in this process: first run after one interval; gone when the process stops. */
  async schedule<N extends JobName>(
    key: string,
    name: N,
    payload: JobPayload<N>,
    everyMs: number,
  ): Promise<void> {
    makeJobEnvelope(name, payload); // validate now, as the Redis path does
    await this.unschedule(name, key);
    const timer = setInterval(() => {
      this.enqueue(name, payload).catch((e: unknown) =>
        this.log.warn({ job: name, key, err: String(e) }, 'scheduled job not queued'),
      );
    }, everyMs);
    timer.unref();
    this.timers.set(`${name}\0${key}`, { timer, everyMs });
  }

  unschedule(name: JobName, key: string): Promise<void> {
    const t = this.timers.get(`${name}\0${key}`);
    if (t) clearInterval(t.timer);
    this.timers.delete(`${name}\0${key}`);
    return Promise.resolve();
  }

  schedules(name: JobName): Promise<JobSchedule[]> {
    const prefix = `${name}\0`;
    return Promise.resolve(
      [...this.timers]
        .filter(([k]) => k.startsWith(prefix))
        .map(([k, t]) => ({ key: k.slice(prefix.length), everyMs: t.everyMs })),
    );
  }

  /** Jobs per state in this process; `failed` counts jobs given up since the process started. */
  async depth(): Promise<Record<JobName, QueueDepth>> {
    return Object.fromEntries(JOB_NAMES.map((n) => [n, { ...this.counts.get(n)! }])) as Record<
      JobName,
      QueueDepth
    >;
  }

  /** A timer in this process: daily at hourUtc:00 UTC, while it runs (lost on restart). */
  async scheduleDaily<N extends JobName>(
    schedulerId: string,
    name: N,
    payload: JobPayload<N>,
    hourUtc: number,
  ): Promise<void> {
    makeJobEnvelope(name, payload); // validate now, not in a day
    if (this.dailySchedules.has(schedulerId) || this.closed) return;
    this.dailySchedules.add(schedulerId);
    const fire = () => {
      if (this.closed) return;
      this.enqueue(name, payload).catch((e: unknown) =>
        this.log.error({ job: name, err: (e as Error).message }, 'scheduled job not queued'),
      );
    };
    const now = new Date();
    const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hourUtc);
    const first = setTimeout(
      () => {
        this.dailyTimers.delete(first);
        fire();
        const every = setInterval(fire, DAY_MS).unref();
        this.dailyTimers.add(every);
      },
      next > now.getTime() ? next - now.getTime() : next + DAY_MS - now.getTime(),
    ).unref();
    this.dailyTimers.add(first);
  }

  private count(name: JobName, state: keyof QueueDepth, delta: number): void {
    const c = this.counts.get(name);
    if (c) c[state] += delta;
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.backlog.length) {
      const { name, task } = this.backlog.shift()!;
      this.count(name, 'waiting', -1);
      this.running++;
      const p = task().finally(() => {
        this.running--;
        this.pending.delete(p);
        this.pump();
      });
      this.pending.add(p);
    }
  }

  private async execute(handler: AnyJobHandler, jobId: string, data: unknown): Promise<void> {
    let envelope: JobEnvelope;
    try {
      envelope = parseJobEnvelope(handler.name, data);
    } catch (e) {
      this.log.error(
        { job: handler.name, jobId, err: (e as Error).message },
        'invalid job dropped',
      );
      return;
    }
    const run = handler.run as (e: JobEnvelope, c: JobContext) => Promise<void>;
    const log = bindJobLogger(this.log, {
      job: handler.name,
      jobId,
      requestId: envelope.requestId,
    });
    const observer = this.options.observer;
    for (let attempt = 1; attempt <= RETRY_POLICY.attempts; attempt++) {
      const ctx: JobContext = { jobId, attempt, log };
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      this.count(handler.name, 'active', +1);
      observer?.started(handler.name);
      try {
        await run(envelope, ctx);
        this.count(handler.name, 'active', -1);
        observer?.finished(handler.name, 'completed', seconds());
        log.info({ attempt }, 'job completed (in-process)');
        return;
      } catch (e) {
        this.count(handler.name, 'active', -1);
        const err = e instanceof Error ? e : new Error(String(e));
        const final = err instanceof PermanentJobError || attempt === RETRY_POLICY.attempts;
        observer?.finished(handler.name, final ? 'failed' : 'retry', seconds());
        log.warn({ attempt, final, err: err.message }, 'job failed');
        if (final) {
          this.count(handler.name, 'failed', +1);
          if (handler.onFinalFailure) {
            await (
              handler.onFinalFailure as (e: JobEnvelope, err: Error, c: JobContext) => Promise<void>
            )(envelope, err, ctx).catch((fe: unknown) =>
              this.log.error({ err: String(fe) }, 'onFinalFailure failed'),
            );
          }
          return;
        }
        const delay = (this.options.backoffMs ?? RETRY_POLICY.backoffMs) * 2 ** (attempt - 1);
        this.count(handler.name, 'delayed', +1);
        await new Promise((r) => setTimeout(r, delay));
        this.count(handler.name, 'delayed', -1);
      }
    }
  }

  /** Resolves when every queued and running job has finished (used by tests and shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size || this.backlog.length || this.delayed.size) {
      for (const start of [...this.delayed.values()]) start();
      await Promise.allSettled([...this.pending]);
    }
  }

  /** Finish running and queued jobs (and the follow-ups they enqueue), then refuse new ones. */
  async close(): Promise<void> {
    for (const t of this.dailyTimers) clearTimeout(t);
    this.dailyTimers.clear();
    for (const t of this.timers.values()) clearInterval(t.timer);
    this.timers.clear();
    await this.drain();
    this.closed = true;
    await this.drain();
  }
}
