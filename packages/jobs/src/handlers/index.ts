import { DEFAULT_SNAPSHOT_LIMITS } from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { egressPolicy, type EgressPolicy } from '../agentless/egress.js';
import { alertDeliverHandler } from '../alerts/deliver.js';
import { alertsTickHandler } from '../alerts/tick.js';
import { AGENTLESS_SCANNER_NAME, type AgentlessSettings } from '../agentless/settings.js';
import { emailSendHandler } from '../mail/outbox.js';
import { DisabledMailTransport, type MailTransport } from '../mail/transport.js';
import type { AnyJobHandler, FollowUp } from '../port.js';
import { reportRenderHandler, type ReportRenderer } from '../report/render.js';
import { RollupPace } from '../rollup-pace.js';
import { clusterPlanHandler } from './cluster-plan.js';
import { clusterScanHandler } from './cluster-scan.js';
import { orgRollupHandler } from './org-rollup.js';
import { orgRetentionHandler, retentionSweepHandler } from './retention.js';
import { snapshotAnalyzeHandler, snapshotReanalyzeHandler } from './snapshot-analyze.js';

/** Time a webhook receiver has to answer one delivery. */
export const ALERT_WEBHOOK_TIMEOUT_MS = 10_000;

/** Without settings agentless scans are refused (no key), with the default bounds. */
const NOT_CONFIGURED: AgentlessSettings = {
  keyring: null,
  egress: egressPolicy([]),
  limits: {
    connectTimeoutMs: 5000,
    requestTimeoutMs: 30_000,
    scanTimeoutMs: 600_000,
    maxResponseBytes: 64 * 1024 * 1024,
    maxSnapshotBytes: DEFAULT_SNAPSHOT_LIMITS.maxDecompressedBytes,
  },
  scanner: { name: AGENTLESS_SCANNER_NAME, version: '0.0.0' },
};

/**
 * Every processor, keyed by job name. The worker and the in-process queue both use this list.
 * `followUp` enqueues the jobs a processor triggers (the organisation roll-up after a scan,
 * debounced per organisation by `rollupDebounceMs`; the analysis after an agentless scan); `agentless` configures cluster.scan (agentlessSettings()); `mail` configures email.send.
 */
export function createJobHandlers(
  db: Database,
  followUp?: FollowUp,
  agentless: AgentlessSettings = NOT_CONFIGURED,
  options: {
    reportRenderer?: ReportRenderer | null;
    rollupDebounceMs?: number;
    /** How `email.send` delivers (mailTransportFromEnv); without it every mail fails, unsent. */
    mail?: { transport: MailTransport; from: string };
    /**
     * Where alert webhooks may go: defaults to the agentless egress policy (AGENTLESS_ALLOWED_CIDRS,
     * empty unless set). Tests pass an explicit allowlist for their loopback receiver.
     */
    alertEgress?: EgressPolicy;
    /** Web app URL for links in alerts. */
    appUrl?: string;
  } = {},
): AnyJobHandler[] {
  const limits = { maxDecompressedBytes: agentless.limits.maxSnapshotBytes };
  // What the roll-ups of this process took sets how long the analyses' roll-up requests wait.
  const pace = new RollupPace();
  return [
    snapshotAnalyzeHandler(db, followUp, options.rollupDebounceMs, limits, pace),
    snapshotReanalyzeHandler(db, followUp, options.rollupDebounceMs, limits, pace),
    orgRollupHandler(db, followUp, pace),
    clusterScanHandler(db, agentless, followUp),
    reportRenderHandler(db, options.reportRenderer ?? null, {
      sendEmail: followUp
        ? (payload, o) => followUp('email.send', payload, o.requestId, { jobId: o.jobId })
        : undefined,
    }),
    clusterPlanHandler(db, limits),
    orgRetentionHandler(db, followUp),
    retentionSweepHandler(db, followUp),
    emailSendHandler(
      db,
      options.mail?.transport ?? new DisabledMailTransport(),
      options.mail?.from ?? 'Plumbline <no-reply@plumbline.local>',
    ),
    alertDeliverHandler(db, {
      keyring: agentless.keyring,
      webhook: {
        egress: options.alertEgress ?? agentless.egress,
        resolve: agentless.resolve,
        timeoutMs: ALERT_WEBHOOK_TIMEOUT_MS,
      },
      sendEmail: followUp
        ? (payload, o) => followUp('email.send', payload, o.requestId, { jobId: o.jobId })
        : undefined,
      appUrl: options.appUrl,
    }),
    alertsTickHandler(db, followUp, options.appUrl),
  ];
}
