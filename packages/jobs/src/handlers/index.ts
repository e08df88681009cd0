import { DEFAULT_SNAPSHOT_LIMITS } from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { egressPolicy } from '../agentless/egress.js';
import { AGENTLESS_SCANNER_NAME, type AgentlessSettings } from '../agentless/settings.js';
import { emailSendHandler } from '../mail/outbox.js';
import { DisabledMailTransport, type MailTransport } from '../mail/transport.js';
import type { AnyJobHandler, FollowUp } from '../port.js';
import { reportRenderHandler, type ReportRenderer } from '../report/render.js';
import { clusterPlanHandler } from './cluster-plan.js';
import { clusterScanHandler } from './cluster-scan.js';
import { orgRollupHandler } from './org-rollup.js';
import { orgRetentionHandler, retentionSweepHandler } from './retention.js';
import { snapshotAnalyzeHandler, snapshotReanalyzeHandler } from './snapshot-analyze.js';

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
  } = {},
): AnyJobHandler[] {
  const limits = { maxDecompressedBytes: agentless.limits.maxSnapshotBytes };
  return [
    snapshotAnalyzeHandler(db, followUp, options.rollupDebounceMs, limits),
    snapshotReanalyzeHandler(db, followUp, options.rollupDebounceMs, limits),
    orgRollupHandler(db),
    clusterScanHandler(db, agentless, followUp),
    reportRenderHandler(db, options.reportRenderer ?? null),
    clusterPlanHandler(db, limits),
    orgRetentionHandler(db, followUp),
    retentionSweepHandler(db, followUp),
    emailSendHandler(
      db,
      options.mail?.transport ?? new DisabledMailTransport(),
      options.mail?.from ?? 'Plumbline <no-reply@plumbline.local>',
    ),
  ];
}
