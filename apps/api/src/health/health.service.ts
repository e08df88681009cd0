import { Inject, Injectable } from '@nestjs/common';
import type { Readiness, ReadinessCheck } from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import {
  readHeartbeats,
  REPORTS_NOT_CONFIGURED,
  type JobQueue,
  type ReportRenderer,
} from '@plumbline/jobs';
import type { Redis } from 'ioredis';
import type { ApiEnv } from '@plumbline/config';
import type { Logger } from 'pino';
import { API_ENV, DATABASE, JOB_QUEUE, LOGGER, REDIS, REPORT_RENDERER } from '../common/tokens.js';

const CHECK_TIMEOUT_MS = 2000;

/** A failure whose message is ours and safe to show on the public /readyz. */
class CheckFailed extends Error {}

/**
 * Run one check within CHECK_TIMEOUT_MS. /readyz is public: a driver's error (addresses, ports,
 * user names) is logged, never shown; the answer says only what failed.
 */
async function timed(
  what: string,
  fn: () => Promise<string>,
  log?: Logger,
): Promise<ReadinessCheck> {
  const started = Date.now();
  try {
    const detail = await Promise.race([
      fn(),
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new CheckFailed(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
    return { status: 'ok', detail, latencyMs: Date.now() - started };
  } catch (e) {
    const own = e instanceof CheckFailed;
    if (!own) log?.warn({ check: what, err: (e as Error).message }, 'readiness check failed');
    return {
      status: 'down',
      detail: own ? e.message : `${what} is unreachable (details in the API log)`,
      latencyMs: Date.now() - started,
    };
  }
}

@Injectable()
export class HealthService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(API_ENV) private readonly env: ApiEnv,
    @Inject(REPORT_RENDERER) private readonly renderer: ReportRenderer | null,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /**
   * PDF reports: in-process, this API's own renderer; with Redis, what the live workers say in
   * their heartbeats. Degraded (never down) with the reason: everything else works without it.
   */
  private async reports(redisUp: boolean): Promise<ReadinessCheck> {
    const degraded = (detail: string): ReadinessCheck => ({ status: 'degraded', detail });
    if (this.queue.mode === 'in-process' || !this.redis) {
      const renderer = this.renderer;
      if (!renderer) return degraded(REPORTS_NOT_CONFIGURED);
      const check = await timed('the PDF renderer', async () => {
        const reason = await renderer.check();
        if (reason) throw new CheckFailed(reason);
        return 'in-process: Chromium is ready to render PDF reports';
      });
      return check.status === 'ok' ? check : { ...check, status: 'degraded' };
    }
    if (!redisUp) return degraded('unknown: Redis is down');
    const client = this.redis;
    const check = await timed(
      'Redis',
      async () => {
        const beats = await readHeartbeats(client, this.env.QUEUE_PREFIX);
        if (!beats.length) throw new CheckFailed('unknown: no worker alive to render PDF reports');
        const ready = beats.filter((b) => b.reports?.ready);
        if (ready.length)
          return `${ready.length} of ${beats.length} worker(s) can render PDF reports`;
        const reason = beats.find((b) => b.reports)?.reports?.detail;
        throw new CheckFailed(
          reason
            ? `no worker can render PDF reports: ${reason}`
            : 'unknown: the workers do not report on PDF rendering (older version)',
        );
      },
      this.log,
    );
    return check.status === 'ok' ? check : { ...check, status: 'degraded' };
  }

  async readiness(): Promise<Readiness> {
    const database = await timed(
      'PostgreSQL',
      async () => {
        await this.db.ping();
        return 'PostgreSQL answered';
      },
      this.log,
    );
    let redis: ReadinessCheck;
    let worker: ReadinessCheck;
    const client = this.redis;
    if (this.queue.mode === 'in-process' || !client) {
      redis = {
        status: 'degraded',
        detail: 'not configured: jobs run in-process (local/demo only)',
      };
      worker = { status: 'ok', detail: 'in-process: the API runs the job processors itself' };
    } else {
      redis = await timed('Redis', async () => `PING -> ${await client.ping()}`, this.log);
      worker =
        redis.status === 'ok'
          ? await timed(
              'Redis',
              async () => {
                const beats = await readHeartbeats(client, this.env.QUEUE_PREFIX);
                if (!beats.length) throw new CheckFailed('no worker heartbeat in the last 30 s');
                const newest = beats
                  .map((b) => b.at)
                  .sort()
                  .at(-1);
                return `${beats.length} worker(s) alive, last heartbeat ${newest}`;
              },
              this.log,
            )
          : { status: 'down', detail: 'unknown: Redis is down' };
    }
    const reports = await this.reports(redis.status === 'ok');
    const rollups: ReadinessCheck =
      database.status === 'ok'
        ? await timed(
            'roll-ups',
            async () => {
              const failed = await this.db.rollups.failedCount();
              if (failed)
                throw new CheckFailed(
                  `${failed} organisation(s) whose last roll-up failed; their overview shows why`,
                );
              return 'no organisation roll-up is failing';
            },
            this.log,
          ).then((c) => (c.status === 'down' ? { ...c, status: 'degraded' as const } : c))
        : { status: 'degraded', detail: 'unknown: the database is down' };
    const checks = { database, redis, worker, reports, rollups };
    const down = Object.values(checks).some((c) => c.status === 'down');
    const degraded = Object.values(checks).some((c) => c.status === 'degraded');
    return {
      status: down ? 'down' : degraded ? 'degraded' : 'ok',
      queueMode: this.queue.mode,
      checks,
    };
  }
}
