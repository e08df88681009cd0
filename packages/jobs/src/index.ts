export {
  checkServer,
  classifyAddress,
  EgressRefusedError,
  egressPolicy,
  parseCidr,
  parseServerUrl,
  refusalOf,
  WEBHOOK_URL_FORM,
} from './agentless/egress.js';
export type {
  CheckedServer,
  EgressPolicy,
  RefusedCategory,
  Resolver,
  UrlForm,
} from './agentless/egress.js';
export { Keyring, openSecret, SealError, sealedKeyId, sealSecret } from './agentless/sealing.js';
export type { SealContext, SealingKey } from './agentless/sealing.js';
export {
  AGENTLESS_SCANNER_NAME,
  agentlessSettings,
  NO_KEY_MESSAGE,
  withoutSecrets,
} from './agentless/settings.js';
export type { AgentlessEnv, AgentlessLimits, AgentlessSettings } from './agentless/settings.js';
export { BullMqJobQueue, BullMqWorkerHost, createRedis } from './bullmq.js';
export {
  ingestSnapshot,
  jsonDepth,
  MAX_JSON_DEPTH,
  prepareInThread,
  prepareSnapshot,
  SnapshotRejectedError,
  storePrepared,
} from './ingest.js';
export type {
  IngestedSnapshot,
  PreparedSnapshot,
  PrepareOutcome,
  SnapshotPreparer,
} from './ingest.js';
export { SnapshotDecodePool } from './decode-pool.js';
export { analyzeJobId, planJobId, reconcileJobs, reportJobId } from './reconcile.js';
export { emailJobId, emailSendHandler, enqueueEmail, MAIL_LEASE_MS } from './mail/outbox.js';
export type { EmailJobSender } from './mail/outbox.js';
export {
  ConsoleMailTransport,
  DisabledMailTransport,
  MAIL_NOT_CONFIGURED,
  mailTransportFromEnv,
  PermanentMailError,
  SmtpMailTransport,
  smtpOptionsOf,
} from './mail/transport.js';
export type { MailEnv, MailTransport, OutgoingMail, SmtpOptions } from './mail/transport.js';
export {
  acceptedRequirements,
  bundleFolder,
  clusterPlanHandler,
  computePlan,
  ensureNextLevelPlans,
  NO_WORKLOADS,
  outcomeRow,
  zipBundle,
} from './handlers/cluster-plan.js';
export type { ReconcileOutcome } from './reconcile.js';
export type { RedisQueueOptions } from './bullmq.js';
export { ALERT_WEBHOOK_TIMEOUT_MS, createJobHandlers } from './handlers/index.js';
export {
  alertDeliverHandler,
  alertDeliveryJobId,
  slackPayload,
  webhookBody,
} from './alerts/deliver.js';
export type { AlertDeliverySettings, AlertMessage } from './alerts/deliver.js';
export {
  ALERT_STATE_VERSION,
  alertStateOf,
  compareStates,
  effectiveRules,
  evaluateAlerts,
  fireAlert,
} from './alerts/evaluate.js';
export type { AlertState, EffectiveRule, FiredAlert } from './alerts/evaluate.js';
export {
  checkWebhookUrl,
  generateWebhookSecret,
  postWebhook,
  signWebhook,
  verifyWebhook,
  WEBHOOK_SECRET_PREFIX,
  WebhookHttpError,
} from './alerts/webhook.js';
export type { WebhookTarget } from './alerts/webhook.js';
export { ALERTS_TICK, alertsTickHandler } from './alerts/tick.js';
export { heartbeatKey, readHeartbeats, removeHeartbeat, writeHeartbeat } from './heartbeat.js';
export { InProcessJobQueue } from './in-process.js';
export { analyzeScan, evidenceSource, readSnapshot } from './handlers/snapshot-analyze.js';
export type { EvidenceSource } from './handlers/snapshot-analyze.js';
export { bearerMatches, createJobMetrics, registerQueueMetrics } from './metrics.js';
export {
  orgRetentionHandler,
  RETENTION_SWEEP,
  retentionSweepHandler,
} from './handlers/retention.js';
export {
  bindJobLogger,
  ENQUEUE_TIMEOUT_MS,
  PermanentJobError,
  QUEUE_STATES,
  QueueUnavailableError,
  queueNameOf,
  RETRY_POLICY,
  ROLLUP_DEBOUNCE_MS,
  rollupJobOptions,
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
  JobSchedule,
  QueueDepth,
  QueueState,
} from './port.js';
export { computeOrgRollup, requestRollup } from './handlers/org-rollup.js';
export { REPORTS_NOT_CONFIGURED, reportRenderHandler } from './report/render.js';
export type { ReportRenderer } from './report/render.js';
export {
  CHROMIUM_ARGS,
  ChromiumReportRenderer,
  headerFooter,
  pdfPageCount,
  REPORT_DATA_GLOBAL,
  REPORT_ENTRY,
  REPORT_ORIGIN,
  REPORT_STATUS_GLOBAL,
  ReportRenderError,
  reportRendererFromEnv,
} from './report/chromium.js';
export type { ChromiumRendererOptions } from './report/chromium.js';
