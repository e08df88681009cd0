import { z } from 'zod';

export const checkStatusSchema = z.enum(['ok', 'degraded', 'down']);
export type CheckStatus = z.infer<typeof checkStatusSchema>;

export const readinessCheckSchema = z.object({
  status: checkStatusSchema,
  detail: z.string(),
  latencyMs: z.number().optional(),
});
export type ReadinessCheck = z.infer<typeof readinessCheckSchema>;

/** Where background jobs run: a separate worker through Redis, or inside the API process. */
export const queueModeSchema = z.enum(['redis', 'in-process']);
export type QueueMode = z.infer<typeof queueModeSchema>;

export const readinessSchema = z.object({
  status: checkStatusSchema,
  queueMode: queueModeSchema,
  checks: z.object({
    database: readinessCheckSchema,
    redis: readinessCheckSchema,
    worker: readinessCheckSchema,
  }),
});
export type Readiness = z.infer<typeof readinessSchema>;

export const livenessSchema = z.object({ status: z.literal('ok'), version: z.string() });
export type Liveness = z.infer<typeof livenessSchema>;

/** What a worker writes to Redis periodically so the API and probes can see it is alive. */
export const workerHeartbeatSchema = z.object({
  workerId: z.string(),
  hostname: z.string(),
  pid: z.number().int(),
  startedAt: z.string(),
  at: z.string(),
  queues: z.array(z.string()),
  version: z.string(),
});
export type WorkerHeartbeat = z.infer<typeof workerHeartbeatSchema>;

export const WORKER_HEARTBEAT_PREFIX = 'plumbline:worker:heartbeat:';
/** A heartbeat older than this is stale: the worker is considered down. */
export const WORKER_HEARTBEAT_STALE_MS = 30_000;
