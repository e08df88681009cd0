import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { WorkerEnv } from '@plumbline/config';
import type { WorkerHeartbeat } from '@plumbline/contracts';
import { Database } from '@plumbline/db';
import {
  BullMqWorkerHost,
  createJobHandlers,
  createRedis,
  removeHeartbeat,
  writeHeartbeat,
} from '@plumbline/jobs';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { WORKER_ENV, WORKER_LOGGER, WORKER_VERSION } from './tokens.js';

/** Hosts the job processors and keeps the heartbeat that /readyz and the exec probe read. */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly db: Database;
  private readonly redis: Redis;
  private readonly host: BullMqWorkerHost;
  private readonly id = `${hostname()}-${process.pid}-${randomUUID().slice(0, 6)}`;
  private readonly startedAt = new Date().toISOString();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(WORKER_ENV) private readonly env: WorkerEnv & { REDIS_URL: string },
    @Inject(WORKER_LOGGER) private readonly logger: Logger,
    @Inject(WORKER_VERSION) private readonly version: string,
  ) {
    this.db = Database.connect(env.DATABASE_URL, { poolSize: env.DATABASE_POOL_SIZE });
    this.redis = createRedis(env.REDIS_URL, 'plumbline-worker-heartbeat', logger);
    this.host = new BullMqWorkerHost(
      {
        redisUrl: env.REDIS_URL,
        prefix: env.QUEUE_PREFIX,
        concurrency: env.WORKER_CONCURRENCY,
        lockMs: env.WORKER_JOB_LOCK_MS,
      },
      createJobHandlers(this.db),
      logger.child({ component: 'jobs' }),
    );
  }

  get workerId(): string {
    return this.id;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.db.ping();
    this.host.start();
    await this.beat();
    this.timer = setInterval(() => {
      this.beat().catch((e: unknown) =>
        this.logger.warn({ err: (e as Error).message }, 'heartbeat write failed'),
      );
    }, this.env.WORKER_HEARTBEAT_INTERVAL_MS);
    this.logger.info(
      { workerId: this.id, queues: this.host.queueNames, concurrency: this.env.WORKER_CONCURRENCY },
      'worker started',
    );
  }

  private async beat(): Promise<void> {
    const beat: WorkerHeartbeat = {
      workerId: this.id,
      hostname: hostname(),
      pid: process.pid,
      startedAt: this.startedAt,
      at: new Date().toISOString(),
      queues: this.host.queueNames,
      version: this.version,
    };
    await writeHeartbeat(this.redis, this.env.QUEUE_PREFIX, beat);
  }

  /** Graceful stop: no new jobs, in-flight jobs finish, heartbeat removed, connections closed. */
  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.info({ signal }, 'worker stopping');
    if (this.timer) clearInterval(this.timer);
    // In-flight jobs get a grace period; if Redis is gone, do not hang: their locks expire and
    // BullMQ hands them to another worker (handlers are idempotent).
    const grace = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000).unref());
    if ((await Promise.race([this.host.close(), grace])) === 'timeout') {
      this.logger.warn({}, 'in-flight jobs did not finish within 15 s; leaving them to be retried');
    }
    await removeHeartbeat(this.redis, this.env.QUEUE_PREFIX, this.id).catch(() => undefined);
    this.redis.disconnect();
    await this.db.close();
  }
}
