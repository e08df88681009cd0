import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ApiEnv } from '@plumbline/config';
import { Database } from '@plumbline/db';
import {
  agentlessSettings,
  BullMqJobQueue,
  createJobHandlers,
  createRedis,
  InProcessJobQueue,
  mailTransportFromEnv,
  registerQueueMetrics,
  RETENTION_SWEEP,
  ALERTS_TICK,
  reportRendererFromEnv,
  type AgentlessSettings,
  type FollowUp,
  type JobQueue,
  type ReportRenderer,
} from '@plumbline/jobs';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  AGENTLESS,
  API_ENV,
  DATABASE,
  JOB_QUEUE,
  LOGGER,
  METRICS,
  REDIS,
  REPORT_RENDERER,
  SSO_TXT_RESOLVER,
} from './common/tokens.js';
import { SsoAuthController, SsoConfigController } from './sso/sso.controller.js';
import { SsoService, type TxtResolver } from './sso/sso.service.js';
import { Resolver as DnsResolver } from 'node:dns/promises';
import { ConnectionsController } from './connections/connections.controller.js';
import { ConnectionsService } from './connections/connections.service.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthService } from './auth/auth.service.js';
import { MfaController, OrgSecurityController } from './auth/mfa.controller.js';
import { MfaService } from './auth/mfa.service.js';
import { OrgGuard, SessionGuard } from './auth/guards.js';
import { EvidenceController } from './evidence/evidence.controller.js';
import { HealthController } from './health/health.controller.js';
import { OrgsController } from './orgs/orgs.controller.js';
import { OrgsService } from './orgs/orgs.service.js';
import { HealthService } from './health/health.service.js';
import { LifecycleController } from './lifecycle/lifecycle.controller.js';
import { LifecycleService } from './lifecycle/lifecycle.service.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { ApiMetrics } from './metrics/metrics.js';
import { InsightsController } from './insights/insights.controller.js';
import { AuthCache } from './auth/auth-cache.js';
import { AuditService } from './common/audit.service.js';
import { EvidenceService } from './evidence/evidence.service.js';
import { ReportsService } from './reports/reports.service.js';
import { InsightsService } from './insights/insights.service.js';
import { ReportsController } from './reports/reports.controller.js';
import { PlansController } from './plans/plans.controller.js';
import { PlansService } from './plans/plans.service.js';
import {
  AlertChannelsController,
  AlertDeliveriesController,
  AlertRulesController,
  ReportSchedulesController,
} from './alerts/alerts.controller.js';
import { AlertsService } from './alerts/alerts.service.js';
import { RisksController } from './risks/risks.controller.js';
import { RisksService } from './risks/risks.service.js';
import { SnapshotsController } from './snapshots/snapshots.controller.js';
import { SnapshotsService } from './snapshots/snapshots.service.js';
import { DevMailboxController } from './mail/dev-mailbox.controller.js';
import { MailService } from './mail/mail.service.js';
import { API_VERSION } from './version.js';

/** Closes what the module opened, in reverse order, when the app shuts down. */
class Lifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(REPORT_RENDERER) private readonly renderer: ReportRenderer | null,
  ) {}
  /** In-process PDF rendering: start the browser now (not awaited), and say if it cannot. */
  onApplicationBootstrap(): void {
    void this.renderer?.check().then((reason) => {
      if (reason) this.logger.warn({ reason }, 'PDF reports unavailable in-process');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
    await this.renderer?.close();
    this.redis?.disconnect();
    await this.db.close();
  }
}

/** Every controller; the OpenAPI document is generated from their decorators. */
export const CONTROLLERS = [
  HealthController,
  SnapshotsController,
  AuthController,
  MfaController,
  OrgsController,
  OrgSecurityController,
  SsoAuthController,
  SsoConfigController,
  EvidenceController,
  InsightsController,
  ReportsController,
  PlansController,
  RisksController,
  ConnectionsController,
  AlertRulesController,
  AlertChannelsController,
  AlertDeliveriesController,
  ReportSchedulesController,
  LifecycleController,
  MetricsController,
];

@Module({})
export class AppModule {
  /** `agentless` overrides the settings derived from env (tests inject a DNS resolver). */
  static forRoot(
    env: ApiEnv,
    logger: Logger,
    agentless: AgentlessSettings = agentlessSettings(env, API_VERSION),
    /** DNS TXT look-ups of single sign-on domain verification (tests inject one). */
    resolveTxt?: TxtResolver,
  ): DynamicModule {
    // The development mailbox: only where mails go to the log (no SMTP_URL), never in production.
    const devMailbox = !env.SMTP_URL && env.NODE_ENV !== 'production';
    if (!env.SMTP_URL)
      logger.warn(
        { mail: devMailbox ? 'console' : 'disabled' },
        devMailbox
          ? 'NO SMTP_URL: mails are printed to the log and listed at GET /v1/dev/mailbox (local/demo only)'
          : 'NO SMTP_URL: mails are not sent (NODE_ENV=production); set SMTP_URL',
      );
    return {
      module: AppModule,
      controllers: devMailbox ? [...CONTROLLERS, DevMailboxController] : CONTROLLERS,
      providers: [
        { provide: API_ENV, useValue: env },
        { provide: LOGGER, useValue: logger },
        { provide: AGENTLESS, useValue: agentless },
        {
          provide: SSO_TXT_RESOLVER,
          useFactory: (): TxtResolver => {
            if (resolveTxt) return resolveTxt;
            const dns = new DnsResolver({ timeout: 3000, tries: 2 });
            return (name) => dns.resolveTxt(name);
          },
        },
        {
          provide: DATABASE,
          useFactory: async () => {
            const db = Database.connect(env.DATABASE_URL, {
              poolSize: env.DATABASE_POOL_SIZE,
              preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
            });
            // In production the pool opens at boot, not under the first burst of requests
            // (elsewhere, as in tests, many apps start and stop at once: pools open as used). A
            // database that is down does not stop the API: /readyz says so.
            if (env.NODE_ENV === 'production')
              await db.warm().catch((e: unknown) => {
                logger.warn({ err: (e as Error).message }, 'database pool not opened at boot');
              });
            // Not awaited: until it listens (and whenever it does not), reads ask the database.
            if (env.READ_CHANGE_FEED) void db.changes.start(logger.child({ component: 'changes' }));
            return db;
          },
        },
        {
          provide: REDIS,
          useFactory: () =>
            env.REDIS_URL ? createRedis(env.REDIS_URL, 'plumbline-api', logger) : null,
        },
        { provide: METRICS, useFactory: () => new ApiMetrics() },
        {
          // Only the in-process mode prints PDFs here; with Redis the worker does.
          provide: REPORT_RENDERER,
          useFactory: (): ReportRenderer | null =>
            env.REDIS_URL
              ? null
              : reportRendererFromEnv(env, logger.child({ component: 'reports' })),
        },
        {
          provide: JOB_QUEUE,
          inject: [DATABASE, METRICS, REPORT_RENDERER],
          useFactory: (
            db: Database,
            metrics: ApiMetrics,
            renderer: ReportRenderer | null,
          ): JobQueue => {
            const log = logger.child({ component: 'jobs' });
            if (env.REDIS_URL) {
              const redisQueue = new BullMqJobQueue({
                redisUrl: env.REDIS_URL,
                prefix: env.QUEUE_PREFIX,
              });
              registerQueueMetrics(metrics.registry, redisQueue, log);
              return redisQueue;
            }
            // Without Redis the API runs the processors itself; follow-up jobs go to the same queue.
            const followUp: FollowUp = async (name, payload, requestId, options) => {
              await queue.enqueue(name, payload, { requestId, ...options });
            };
            const queue = new InProcessJobQueue(
              createJobHandlers(db, followUp, agentless, {
                reportRenderer: renderer,
                rollupDebounceMs: env.ROLLUP_DEBOUNCE_MS,
                mail: {
                  transport: mailTransportFromEnv(env, logger.child({ component: 'mail' })),
                  from: env.MAIL_FROM,
                },
                appUrl: env.APP_URL,
              }),
              log,
              {
                concurrency: env.WORKER_CONCURRENCY,
                observer: metrics.jobObserver(),
              },
            );
            registerQueueMetrics(metrics.registry, queue, log);
            // With Redis the workers own the schedule; here this process keeps it.
            void queue.scheduleDaily(
              RETENTION_SWEEP.schedulerId,
              'retention.sweep',
              {},
              RETENTION_SWEEP.hourUtc,
            );
            // Scheduled reports and the time-based alert rules (silent scanners, expiries).
            void queue.schedule(ALERTS_TICK.key, 'alerts.tick', {}, ALERTS_TICK.everyMs);
            return queue;
          },
        },
        Lifecycle,
        HealthService,
        LifecycleService,
        SnapshotsService,
        InsightsService,
        OrgsService,
        AuditService,
        AuthCache,
        EvidenceService,
        ReportsService,
        PlansService,
        RisksService,
        ConnectionsService,
        AlertsService,
        MailService,
        AuthService,
        MfaService,
        SsoService,
        SessionGuard,
        OrgGuard,
      ],
    };
  }
}
