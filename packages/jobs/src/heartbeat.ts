import {
  WORKER_HEARTBEAT_PREFIX,
  WORKER_HEARTBEAT_STALE_MS,
  workerHeartbeatSchema,
  type WorkerHeartbeat,
} from '@plumbline/contracts';
import type { Redis } from 'ioredis';

/** Workers announce themselves in Redis with a key that expires if they stop writing it. */
export function heartbeatKey(prefix: string, workerId: string): string {
  return `${prefix}:${WORKER_HEARTBEAT_PREFIX}${workerId}`;
}

export async function writeHeartbeat(
  redis: Redis,
  prefix: string,
  beat: WorkerHeartbeat,
): Promise<void> {
  await redis.set(
    heartbeatKey(prefix, beat.workerId),
    JSON.stringify(beat),
    'PX',
    WORKER_HEARTBEAT_STALE_MS,
  );
}

export async function removeHeartbeat(redis: Redis, prefix: string, workerId: string) {
  await redis.del(heartbeatKey(prefix, workerId));
}

/** Live heartbeats (those not yet expired and younger than the stale limit). */
export async function readHeartbeats(
  redis: Redis,
  prefix: string,
  now: number = Date.now(),
): Promise<WorkerHeartbeat[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(
      cursor,
      'MATCH',
      `${prefix}:${WORKER_HEARTBEAT_PREFIX}*`,
      'COUNT',
      100,
    );
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  if (!keys.length) return [];
  const values = await redis.mget(...keys);
  const beats: WorkerHeartbeat[] = [];
  for (const v of values) {
    if (!v) continue;
    const parsed = workerHeartbeatSchema.safeParse(JSON.parse(v));
    if (parsed.success && now - Date.parse(parsed.data.at) < WORKER_HEARTBEAT_STALE_MS) {
      beats.push(parsed.data);
    }
  }
  return beats.sort((a, b) => a.workerId.localeCompare(b.workerId));
}
