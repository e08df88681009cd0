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
    /**
     * Can a worker (or the API in-process) print PDF reports: ok, or degraded with the reason
     * (Chromium missing, report page not built, not configured). Never `down`: everything else
     * works without it. Optional for APIs older than the PDF report.
     */
    reports: readinessCheckSchema.optional(),
    /**
     * Organisation roll-ups: ok, or degraded with how many organisations' last roll-up failed
     * (each one's overview says why; no organisation is named here). Optional for older APIs.
     */
    rollups: readinessCheckSchema.optional(),
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
  /** Whether this worker can print PDF reports, and why not (absent: an older worker). */
  reports: z.object({ ready: z.boolean(), detail: z.string() }).optional(),
});
export type WorkerHeartbeat = z.infer<typeof workerHeartbeatSchema>;

export const WORKER_HEARTBEAT_PREFIX = 'plumbline:worker:heartbeat:';
/** A heartbeat older than this is stale: the worker is considered down. */
export const WORKER_HEARTBEAT_STALE_MS = 30_000;
