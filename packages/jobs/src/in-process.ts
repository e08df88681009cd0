import {
  makeJobEnvelope,
  parseJobEnvelope,
  type JobEnvelope,
  type JobName,
  type JobPayload,
} from '@plumbline/contracts';
import { randomUUID } from 'node:crypto';
import {
  PermanentJobError,
  RETRY_POLICY,
  type AnyJobHandler,
  type EnqueueOptions,
  type JobContext,
  type JobLogger,
  type JobQueue,
  type JobSchedule,
} from './port.js';

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
  private running = 0;
  private readonly backlog: Array<() => Promise<void>> = [];
  private closed = false;
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; everyMs: number }>();

  constructor(
    handlers: readonly AnyJobHandler[],
    private readonly log: JobLogger,
    private readonly options: { concurrency: number; backoffMs?: number } = { concurrency: 2 },
  ) {
    for (const h of handlers) this.handlers.set(h.name, h);
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
    const handler = this.handlers.get(name);
    if (!handler) throw new Error(`no processor registered for job ${name}`);
    // Serialise through JSON like Redis would, so both paths see the same data.
    const data: unknown = JSON.parse(JSON.stringify(envelope));
    this.run(() => this.execute(handler, id, data));
    return { id };
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

  private run(task: () => Promise<void>): void {
    this.backlog.push(task);
    this.pump();
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.backlog.length) {
      const task = this.backlog.shift()!;
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
    for (let attempt = 1; attempt <= RETRY_POLICY.attempts; attempt++) {
      const ctx: JobContext = { jobId, attempt, log: this.log };
      try {
        await run(envelope, ctx);
        this.log.info({ job: handler.name, jobId, attempt }, 'job completed (in-process)');
        return;
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        const final = err instanceof PermanentJobError || attempt === RETRY_POLICY.attempts;
        this.log.warn({ job: handler.name, jobId, attempt, final, err: err.message }, 'job failed');
        if (final) {
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
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /** Resolves when every queued and running job has finished (used by tests and shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size || this.backlog.length) {
      await Promise.allSettled([...this.pending]);
    }
  }

  /** Finish running and queued jobs (and the follow-ups they enqueue), then refuse new ones. */
  async close(): Promise<void> {
    for (const t of this.timers.values()) clearInterval(t.timer);
    this.timers.clear();
    await this.drain();
    this.closed = true;
    await this.drain();
  }
}
