export { BullMqJobQueue, BullMqWorkerHost, createRedis } from './bullmq.js';
export type { RedisQueueOptions } from './bullmq.js';
export { createJobHandlers } from './handlers/index.js';
export { heartbeatKey, readHeartbeats, removeHeartbeat, writeHeartbeat } from './heartbeat.js';
export { InProcessJobQueue } from './in-process.js';
export { analyzeScan, readSnapshot } from './handlers/snapshot-analyze.js';
export { bearerMatches, createJobMetrics, registerQueueMetrics } from './metrics.js';
export {
  orgRetentionHandler,
  RETENTION_SWEEP,
  retentionSweepHandler,
} from './handlers/retention.js';
export {
  bindJobLogger,
  PermanentJobError,
  QUEUE_STATES,
  queueNameOf,
  RETRY_POLICY,
} from './port.js';
export type {
  AnyJobHandler,
  EnqueueOptions,
  FollowUp,
  JobContext,
  JobHandler,
  JobLogger,
  JobObserver,
  JobOutcome,
  JobQueue,
  QueueDepth,
  QueueState,
} from './port.js';
export { computeOrgRollup, ROLLUP_VERSION } from './handlers/org-rollup.js';
export type { OrgRollupResult, RollupCluster } from './handlers/org-rollup.js';
export { ReadModelError, ReadModels } from './read-models.js';
export type { RollupEntry } from './read-models.js';
export { buildReportData } from './report/data.js';
export { reportRenderHandler } from './report/render.js';
export type { ReportRenderer } from './report/render.js';
