import { Inject, Injectable } from '@nestjs/common';
import type { Readiness, ReadinessCheck } from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { readHeartbeats, type JobQueue } from '@plumbline/jobs';
import type { Redis } from 'ioredis';
import type { ApiEnv } from '@plumbline/config';
import { API_ENV, DATABASE, JOB_QUEUE, REDIS } from '../common/tokens.js';

const CHECK_TIMEOUT_MS = 2000;

async function timed(fn: () => Promise<string>): Promise<ReadinessCheck> {
  const started = Date.now();
  try {
    const detail = await Promise.race([
      fn(),
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
    return { status: 'ok', detail, latencyMs: Date.now() - started };
  } catch (e) {
    return { status: 'down', detail: (e as Error).message, latencyMs: Date.now() - started };
  }
}

@Injectable()
export class HealthService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(REDIS) private readonly redis: Redis | null,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  async readiness(): Promise<Readiness> {
    const database = await timed(async () => {
      await this.db.ping();
      return 'PostgreSQL answered';
    });
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
      redis = await timed(async () => `PING -> ${await client.ping()}`);
      worker =
        redis.status === 'ok'
          ? await timed(async () => {
              const beats = await readHeartbeats(client, this.env.QUEUE_PREFIX);
              if (!beats.length) throw new Error('no worker heartbeat in the last 30 s');
              const newest = beats
                .map((b) => b.at)
                .sort()
                .at(-1);
              return `${beats.length} worker(s) alive, last heartbeat ${newest}`;
            })
          : { status: 'down', detail: 'unknown: Redis is down' };
    }
    const checks = { database, redis, worker };
    const down = Object.values(checks).some((c) => c.status === 'down');
    const degraded = Object.values(checks).some((c) => c.status === 'degraded');
    return {
      status: down ? 'down' : degraded ? 'degraded' : 'ok',
      queueMode: this.queue.mode,
      checks,
    };
  }
}
