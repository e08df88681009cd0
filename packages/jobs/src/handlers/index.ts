import type { Database } from '@plumbline/db';
import type { AnyJobHandler, FollowUp } from '../port.js';
import { reportRenderHandler, type ReportRenderer } from '../report/render.js';
import { orgRollupHandler } from './org-rollup.js';
import { orgRetentionHandler, retentionSweepHandler } from './retention.js';
import { snapshotAnalyzeHandler, snapshotReanalyzeHandler } from './snapshot-analyze.js';

/**
 * Every processor, keyed by job name. The worker and the in-process queue both use this list.
 * `followUp` enqueues the jobs a processor triggers (the organisation roll-up after a scan).
 */
export function createJobHandlers(
  db: Database,
  followUp?: FollowUp,
  options: { reportRenderer?: ReportRenderer | null } = {},
): AnyJobHandler[] {
  return [
    snapshotAnalyzeHandler(db, followUp),
    snapshotReanalyzeHandler(db, followUp),
    orgRollupHandler(db),
    reportRenderHandler(db, options.reportRenderer ?? null),
    orgRetentionHandler(db, followUp),
    retentionSweepHandler(db, followUp),
  ];
}
