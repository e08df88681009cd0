import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { WorkerEnv } from '@plumbline/config';
import type { WorkerHeartbeat } from '@plumbline/contracts';
import { Database } from '@plumbline/db';
import { METHODOLOGY_VERSION } from '@plumbline/contracts';
import {
  agentlessSettings,
  BullMqJobQueue,
  BullMqWorkerHost,
  ALERTS_TICK,
  createJobHandlers,
  createJobMetrics,
  createRedis,
  mailTransportFromEnv,
  reconcileJobs,
  removeHeartbeat,
  RETENTION_SWEEP,
  REPORTS_NOT_CONFIGURED,
  reportRendererFromEnv,
  writeHeartbeat,
  type MailTransport,
  type ReportRenderer,
} from '@plumbline/jobs';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { startMetricsServer, stopMetricsServer } from './metrics-server.js';
import { WORKER_ENV, WORKER_LOGGER, WORKER_VERSION } from './tokens.js';

/** Hosts the job processors and keeps the heartbeat that /readyz and the exec probe read. */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly db: Database;
  private readonly redis: Redis;
  private readonly host: BullMqWorkerHost;
  /** Producer for the jobs processors trigger (roll-ups) and for reanalysis at start. */
  private readonly producer: BullMqJobQueue;
  private readonly id = `${hostname()}-${process.pid}-${randomUUID().slice(0, 6)}`;
  private readonly startedAt = new Date().toISOString();
  private timer: NodeJS.Timeout | undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;
  /** Process defaults and the job metrics, served on WORKER_METRICS_PORT when set. */
  readonly registry = new Registry();
  private metricsServer: Server | undefined;
  /** Prints PDF reports with a warm Chromium; null when REPORT_DIST_DIR is unset. */
  private readonly renderer: ReportRenderer | null;
  /** How email.send delivers: SMTP_URL, else the log (never in production: refused). */
  private readonly mail: MailTransport;
  private reports: { ready: boolean; detail: string } = {
    ready: false,
    detail: 'not checked yet',
  };

  constructor(
    @Inject(WORKER_ENV) private readonly env: WorkerEnv & { REDIS_URL: string },
    @Inject(WORKER_LOGGER) private readonly logger: Logger,
    @Inject(WORKER_VERSION) private readonly version: string,
  ) {
    this.db = Database.connect(env.DATABASE_URL, {
      poolSize: env.DATABASE_POOL_SIZE,
      preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
    });
    this.redis = createRedis(env.REDIS_URL, 'plumbline-worker-heartbeat', logger);
    this.producer = new BullMqJobQueue({ redisUrl: env.REDIS_URL, prefix: env.QUEUE_PREFIX });
    collectDefaultMetrics({ register: this.registry });
    this.renderer = reportRendererFromEnv(env, logger.child({ component: 'reports' }));
    this.mail = mailTransportFromEnv(env, logger.child({ component: 'mail' }));
    this.host = new BullMqWorkerHost(
      {
        redisUrl: env.REDIS_URL,
        prefix: env.QUEUE_PREFIX,
        concurrency: env.WORKER_CONCURRENCY,
        lockMs: env.WORKER_JOB_LOCK_MS,
        observer: createJobMetrics(this.registry),
      },
      createJobHandlers(
        this.db,
        async (name, payload, requestId, options) => {
          await this.producer.enqueue(name, payload, { requestId, ...options });
        },
        agentlessSettings(env, version),
        {
          reportRenderer: this.renderer,
          rollupDebounceMs: env.ROLLUP_DEBOUNCE_MS,
          mail: { transport: this.mail, from: env.MAIL_FROM },
          appUrl: env.APP_URL,
        },
      ),
      logger.child({ component: 'jobs' }),
    );
  }

  get workerId(): string {
    return this.id;
  }

  /** Port of the metrics endpoint, when it is on. */
  get metricsPort(): number | null {
    return this.metricsServer ? (this.metricsServer.address() as AddressInfo).port : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.db.ping();
    if (this.env.WORKER_METRICS_PORT) {
      this.metricsServer = await startMetricsServer(
        this.registry,
        {
          host: this.env.WORKER_METRICS_HOST,
          port: this.env.WORKER_METRICS_PORT,
          token: this.env.METRICS_TOKEN,
        },
        this.logger,
      );
    }
    // Start the browser now: a missing one is known (logged, in the heartbeat) before any job.
    await this.checkReports();
    if (!this.reports.ready)
      this.logger.error(
        { reason: this.reports.detail },
        'PDF reports unavailable: report.render jobs will fail at once with this reason',
      );
    this.host.start();
    await this.beat();
    this.timer = setInterval(() => {
      this.beat().catch((e: unknown) =>
        this.logger.warn({ err: (e as Error).message }, 'heartbeat write failed'),
      );
    }, this.env.WORKER_HEARTBEAT_INTERVAL_MS);
    this.logger.info(
      {
        workerId: this.id,
        queues: this.host.queueNames,
        concurrency: this.env.WORKER_CONCURRENCY,
        mail: this.mail.kind,
      },
      'worker started',
    );
    await this.reconcile();
    this.reconcileTimer = setInterval(
      () => void this.reconcile(),
      this.env.WORKER_RECONCILE_INTERVAL_MS,
    );
    try {
      await this.reanalyzeStale();
      // Every worker upserts the same scheduler: one daily retention sweep, 03:00 UTC.
      await this.producer.scheduleDaily(
        RETENTION_SWEEP.schedulerId,
        'retention.sweep',
        {},
        RETENTION_SWEEP.hourUtc,
      );
      // Scheduled reports and the time-based alert rules (silent scanners, expired suppressions).
      await this.producer.schedule(ALERTS_TICK.key, 'alerts.tick', {}, ALERTS_TICK.everyMs);
    } catch (e) {
      // Redis is down at start: the jobs keep waiting for it; the schedule is set next start.
      this.logger.warn({ err: (e as Error).message }, 'start-up jobs not queued (Redis down?)');
    }
  }

  /**
   * PostgreSQL is the source of truth: re-queue scans and reports it shows waiting whose job the
   * queue lost (Redis restarted without persistence). Failures are logged and retried next time.
   */
  private async reconcile(): Promise<void> {
    try {
      await reconcileJobs(this.db, this.producer, this.logger.child({ component: 'reconciler' }));
      // A Redis that lost its data lost the schedules too: upserting is idempotent.
      await this.producer.scheduleDaily(
        RETENTION_SWEEP.schedulerId,
        'retention.sweep',
        {},
        RETENTION_SWEEP.hourUtc,
      );
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'reconciliation failed; retried later');
    }
  }

  /** Scans analysed under an older methodology are re-analysed so history stays comparable. */
  private async reanalyzeStale(): Promise<void> {
    const stale = await this.db.rollups.staleScans(METHODOLOGY_VERSION);
    for (const [organizationId, scanIds] of stale) {
      for (let i = 0; i < scanIds.length; i += 500) {
        const batch = scanIds.slice(i, i + 500);
        await this.producer.enqueue(
          'snapshot.reanalyze',
          { organizationId, scanIds: batch },
          {
            // One job per batch and methodology version, however many workers start.
            jobId: `reanalyze-${METHODOLOGY_VERSION}-${organizationId}-${batch[0]}`,
          },
        );
      }
    }
    if (stale.size)
      this.logger.info(
        { organizations: stale.size, methodology: METHODOLOGY_VERSION },
        'reanalysis queued',
      );
  }

  /** Whether PDF reports can be printed now (cheap while the browser is up). */
  private async checkReports(): Promise<void> {
    const reason = this.renderer ? await this.renderer.check() : REPORTS_NOT_CONFIGURED;
    if (this.reports.ready && reason)
      this.logger.error({ reason }, 'PDF reports became unavailable');
    this.reports = reason
      ? { ready: false, detail: reason }
      : { ready: true, detail: 'Chromium ready' };
  }

  private async beat(): Promise<void> {
    // A browser that is starting must not delay the heartbeat: the last known state is written.
    await Promise.race([
      this.checkReports().catch(() => undefined),
      new Promise<void>((r) => setTimeout(r, 2000).unref()),
    ]);
    const beat: WorkerHeartbeat = {
      workerId: this.id,
      hostname: hostname(),
      pid: process.pid,
      startedAt: this.startedAt,
      at: new Date().toISOString(),
      queues: this.host.queueNames,
      version: this.version,
      reports: this.reports,
    };
    await writeHeartbeat(this.redis, this.env.QUEUE_PREFIX, beat);
  }

  /**
   * Graceful stop (SIGTERM/SIGINT): no new jobs; in-flight jobs get SHUTDOWN_GRACE_MS to finish,
   * then the unfinished ones go back to their queue for another worker (handlers are
   * idempotent); heartbeat removed, connections closed. If Redis is gone, a job that cannot be
   * handed back is retried by BullMQ once its lock expires.
   */
  async onApplicationShutdown(signal?: string): Promise<void> {
    const grace = this.env.SHUTDOWN_GRACE_MS;
    this.logger.info(
      { signal, graceMs: grace, inFlight: this.host.activeCount },
      'worker stopping',
    );
    if (this.timer) clearInterval(this.timer);
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    // close() bounds itself by the grace period; this outer bound covers a Redis that hangs.
    const hard = new Promise<'timeout'>((r) =>
      setTimeout(() => r('timeout'), grace + 5000).unref(),
    );
    const outcome = await Promise.race([this.host.close(grace), hard]);
    if (outcome === 'timeout')
      this.logger.warn(
        {},
        'queue workers did not close; their jobs are retried after the lock expires',
      );
    else this.logger.info(outcome, 'queue workers closed');
    await this.producer.close();
    await this.renderer?.close();
    this.mail.close();
    await removeHeartbeat(this.redis, this.env.QUEUE_PREFIX, this.id).catch(() => undefined);
    this.redis.disconnect();
    if (this.metricsServer) await stopMetricsServer(this.metricsServer);
    await this.db.close();
    this.logger.info({ signal }, 'worker stopped');
  }
}
