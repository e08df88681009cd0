import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadEnv, type WorkerEnv } from '@plumbline/config';
import { readHeartbeats, createRedis } from '@plumbline/jobs';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { WorkerModule } from './worker.module.js';

export const WORKER_VERSION_STRING: string = (
  JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { version: string }
).version;

/** Worker config: the worker always needs Redis (without it the API runs jobs itself). */
export function loadWorkerEnv(
  env: Record<string, string | undefined> = process.env,
): WorkerEnv & { REDIS_URL: string } {
  const cfg = loadEnv('worker', env);
  if (!cfg.REDIS_URL) {
    throw new ConfigError([
      'REDIS_URL is required by the worker: it consumes the BullMQ queues. Without Redis, do not run a worker; the API runs jobs in-process (local/demo only).',
    ]);
  }
  return { ...cfg, REDIS_URL: cfg.REDIS_URL };
}

export async function startWorker(
  env: WorkerEnv & { REDIS_URL: string },
  logger: Logger,
): Promise<INestApplicationContext> {
  const ctx = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(env, logger, WORKER_VERSION_STRING),
    { logger: false },
  );
  // SIGTERM/SIGINT: graceful stop (WorkerService.onApplicationShutdown), then exit 0.
  ctx.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await ctx.init();
  return ctx;
}

/**
 * Exec-probe health check: healthy when a fresh heartbeat from a worker on this host exists.
 * Returns the process exit code (0 healthy, 1 not).
 */
export async function healthcheck(
  env: WorkerEnv & { REDIS_URL: string },
  out: (line: string) => void,
): Promise<number> {
  const redis = createRedis(env.REDIS_URL, 'plumbline-worker-healthcheck');
  redis.on('error', () => undefined);
  try {
    const beats = await Promise.race([
      readHeartbeats(redis, env.QUEUE_PREFIX),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('Redis did not answer in 3 s')), 3000).unref(),
      ),
    ]);
    const mine = beats.filter((b) => b.hostname === hostname());
    const healthy = mine.length > 0;
    // PDF reports are reported, not required: without Chromium the worker still runs every other
    // job, and a restart would not install a browser. Their reason is in the output.
    const unavailable = mine.find((b) => b.reports && !b.reports.ready)?.reports;
    out(
      JSON.stringify({
        healthy,
        host: hostname(),
        workers: mine.map((b) => ({ id: b.workerId, at: b.at, reports: b.reports ?? null })),
        ...(healthy
          ? {
              reports: unavailable
                ? { status: 'degraded', detail: unavailable.detail }
                : { status: 'ok', detail: 'PDF reports can be rendered' },
            }
          : {}),
      }),
    );
    return healthy ? 0 : 1;
  } catch (e) {
    out(JSON.stringify({ healthy: false, error: (e as Error).message }));
    return 1;
  } finally {
    redis.disconnect();
  }
}
