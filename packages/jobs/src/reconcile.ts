import type { Database } from '@plumbline/db';
import { alertDeliveryJobId } from './alerts/deliver.js';
import { emailJobId } from './mail/outbox.js';
import type { JobLogger, JobQueue } from './port.js';

/**
 * PostgreSQL is the source of truth for work: a scan that is queued or running or whose
 * re-analysis was asked for and not done, a report that
 * is queued or rendering, a plan that is queued or running, or a mail or an alert delivery that is queued, must have a live job. Redis can lose jobs (restart without
 * persistence, failover, flush); this puts them back. The worker runs it at start and then
 * every WORKER_RECONCILE_INTERVAL_MS. Job ids are deterministic (`analyze-<scan>`,
 * `report-<report>`, `plan-<plan>`), so a job that is still queued is never added twice, and the handlers are
 * idempotent (a scan's result is replaced, never duplicated).
 */

/** Job id of a scan's analysis, shared by the upload, the reconciler and re-uploads. */
export const analyzeJobId = (scanId: string): string => `analyze-${scanId}`;
/** Job id of a report's rendering. */
export const reportJobId = (reportId: string): string => `report-${reportId}`;

/** Job id of a scan's re-analysis queued by the reconciler (the request is recorded on the scan). */
export const reanalyzeJobId = (scanId: string): string => `reanalyze-${scanId}`;

/** Job id of a plan's computation. */
export const planJobId = (planId: string): string => `plan-${planId}`;

export interface ReconcileOutcome {
  scans: number;
  /** Re-analyses asked for (evidence changes) and not done, whatever their scans' status. */
  reanalyses: number;
  reports: number;
  plans: number;
  emails: number;
  alertDeliveries: number;
  requeued: number;
}

/**
 * A re-analysis asked for longer ago than this and not done is queued again. Longer than the
 * scans' grace: the API's own jobs for it (batches, under their own ids) may wait behind a
 * backlog, and a re-analysis queued twice is work done twice (never a wrong result).
 */
export const REANALYSIS_RECONCILE_GRACE_MS = 5 * 60_000;

/** A queued mail older than this without a live job is queued again. */
export const MAIL_RECONCILE_GRACE_MS = 60_000;

export async function reconcileJobs(
  db: Database,
  queue: JobQueue,
  log: JobLogger,
  options: { graceMs?: number; mailGraceMs?: number; reanalysisGraceMs?: number; now?: Date } = {},
): Promise<ReconcileOutcome> {
  // Rows younger than the grace period may still be on their way into the queue. A job that
  // finishes between this read and the queue check is not added again: its row is read again.
  const now = (options.now ?? new Date()).getTime();
  const before = (graceMs: number) => new Date(now - graceMs);
  const olderThan = before(options.graceMs ?? 10_000);
  const scans = await db.scans.unfinished(olderThan);
  const reanalyses = await db.scans.reanalysisDue(
    before(options.reanalysisGraceMs ?? REANALYSIS_RECONCILE_GRACE_MS),
  );
  const reports = await db.reports.unfinished(olderThan);
  const plans = await db.plans.unfinished(olderThan);
  // Mails: a longer grace (a retry waits its back-off as a delayed job, which counts as live).
  const mailOlderThan = before(options.mailGraceMs ?? MAIL_RECONCILE_GRACE_MS);
  const emails = await db.outbox.unfinished(mailOlderThan);
  const deliveries = await db.alerts.unfinishedDeliveries(mailOlderThan);
  let requeued = 0;
  for (const s of scans) {
    const r = await queue.ensureEnqueued(
      'snapshot.analyze',
      { organizationId: s.organizationId, scanId: s.id },
      { jobId: analyzeJobId(s.id) },
      async () =>
        ['queued', 'running'].includes((await db.scans.get(s.organizationId, s.id))?.status ?? ''),
    );
    if (r === 'queued') requeued++;
  }
  for (const s of reanalyses) {
    const r = await queue.ensureEnqueued(
      'snapshot.reanalyze',
      { organizationId: s.organizationId, scanIds: [s.id] },
      { jobId: reanalyzeJobId(s.id) },
      async () =>
        (await db.scans.get(s.organizationId, s.id))?.reanalyzeRequestedAt instanceof Date,
    );
    if (r === 'queued') requeued++;
  }
  for (const r of reports) {
    const o = await queue.ensureEnqueued(
      'report.render',
      { organizationId: r.organizationId, reportId: r.id },
      { jobId: reportJobId(r.id) },
      async () =>
        ['queued', 'rendering'].includes(
          (await db.reports.get(r.organizationId, r.id))?.status ?? '',
        ),
    );
    if (o === 'queued') requeued++;
  }
  for (const p of plans) {
    const o = await queue.ensureEnqueued(
      'cluster.plan',
      { organizationId: p.organizationId, planId: p.id },
      { jobId: planJobId(p.id) },
      async () =>
        ['queued', 'running'].includes((await db.plans.get(p.organizationId, p.id))?.status ?? ''),
    );
    if (o === 'queued') requeued++;
  }
  for (const m of emails) {
    const o = await queue.ensureEnqueued(
      'email.send',
      { emailId: m.id },
      { jobId: emailJobId(m.id) },
      async () => (await db.outbox.get(m.id))?.status === 'queued',
    );
    if (o === 'queued') requeued++;
  }
  for (const d of deliveries) {
    const o = await queue.ensureEnqueued(
      'alert.deliver',
      { organizationId: d.organizationId, deliveryId: d.id },
      { jobId: alertDeliveryJobId(d.id) },
      async () => (await db.alerts.deliveryStatus(d.organizationId, d.id)) === 'queued',
    );
    if (o === 'queued') requeued++;
  }
  const counts = {
    scans: scans.length,
    reanalyses: reanalyses.length,
    reports: reports.length,
    plans: plans.length,
    emails: emails.length,
    alertDeliveries: deliveries.length,
  };
  if (requeued) log.warn({ ...counts, requeued }, 'reconciler re-queued work the queue had lost');
  return { ...counts, requeued };
}
