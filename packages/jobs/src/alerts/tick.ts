import { nextReportRun, type PaperSize } from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { enqueueEmail } from '../mail/outbox.js';
import { reportJobId } from '../reconcile.js';
import type { FollowUp, JobHandler, JobLogger } from '../port.js';
import { appLink } from './links.js';
import { fireAlert } from './evaluate.js';

/** The repeating tick's schedule (every worker upserts the same one). */
export const ALERTS_TICK = { key: 'alerts-tick', everyMs: 15 * 60_000 } as const;

const HOUR_MS = 3_600_000;
/** Expired suppressions are looked for this far back (a tick missed for days still reports). */
const EXPIRY_LOOKBACK_MS = 7 * 24 * HOUR_MS;
/** One event per subject for good: these keys carry the scan / expiry they are about. */
const ONCE_MINUTES = 365 * 24 * 60;

/**
 * Scheduled reports that are due: a report.render job each, and a mail to each recipient that
 * carries the printed PDF (it waits in the outbox until report.render has finished).
 */
async function runDueReports(
  db: Database,
  followUp: FollowUp | undefined,
  log: JobLogger,
  appUrl: string | undefined,
  now: Date,
): Promise<number> {
  let ran = 0;
  for (const s of await db.alerts.dueSchedules(now)) {
    const next = nextReportRun(s.cadence, now);
    if (!(await db.alerts.claimScheduleRun(s.organizationId, s.id, s.nextRunAt, next, now)))
      continue;
    const report = await db.reports.create(s.organizationId, {
      clusterId: null,
      paperSize: s.paperSize as PaperSize,
      requestedById: s.createdById,
    });
    await followUp?.(
      'report.render',
      { organizationId: s.organizationId, reportId: report.id },
      undefined,
      {
        jobId: reportJobId(report.id),
      },
    );
    const link = appLink(appUrl ?? '', s.organizationId, `/reports?report=${report.id}`);
    // Each mail waits in the outbox for the printed PDF: report.render queues it when done.
    for (const to of s.recipients)
      await enqueueEmail(
        db,
        (payload, o) =>
          followUp
            ? followUp('email.send', payload, o.requestId, { jobId: o.jobId })
            : Promise.resolve(),
        {
          organizationId: s.organizationId,
          to,
          kind: 'report',
          reportId: report.id,
          subject: `Your ${s.cadence} Plumbline report`,
          text: `Your ${s.cadence} Plumbline report is attached as a PDF. It is also in the app:\n\n${link}\n\nNext report: ${next.toISOString().slice(0, 10)}.\n`,
        },
        log,
      );
    ran += 1;
    log.info(
      { organizationId: s.organizationId, scheduleId: s.id, reportId: report.id },
      'scheduled report queued and mailed',
    );
  }
  return ran;
}

/** Clusters without a scan for longer than the rule's hours: once per (cluster, last scan). */
async function silentScanners(
  db: Database,
  followUp: FollowUp | undefined,
  log: JobLogger,
  now: Date,
): Promise<number> {
  let fired = 0;
  for (const rule of await db.alerts.enabledRules('scanner_silent')) {
    const hours = rule.threshold ?? 48;
    for (const c of await db.alerts.clustersLastScan(rule.organizationId)) {
      const last = c.lastScan?.createdAt ?? c.createdAt;
      if (now.getTime() - last.getTime() < hours * HOUR_MS) continue;
      const id = await fireAlert(
        db,
        rule.organizationId,
        {
          kind: 'scanner_silent',
          dedupeKey: `scanner_silent:${c.id}:${c.lastScan?.id ?? 'none'}`,
          message: {
            title: `No scan from ${c.name} for ${hours} hours`,
            summary: `The scanner of cluster ${c.name} last reported ${last.toISOString()}.`,
            details: { clusterId: c.id, cluster: c.name, lastScanAt: last.toISOString(), hours },
          },
        },
        Math.max(rule.cooldownMinutes, ONCE_MINUTES),
        followUp,
        log,
        now,
      );
      if (id) fired += 1;
    }
  }
  return fired;
}

/** Suppressions (risk acceptances) that expired lately: once per acceptance and expiry. */
async function expiredSuppressions(
  db: Database,
  followUp: FollowUp | undefined,
  log: JobLogger,
  now: Date,
): Promise<number> {
  let fired = 0;
  for (const rule of await db.alerts.enabledRules('suppression_expired')) {
    const from = new Date(now.getTime() - EXPIRY_LOOKBACK_MS);
    for (const r of await db.alerts.expiredAcceptances(rule.organizationId, from, now)) {
      const id = await fireAlert(
        db,
        rule.organizationId,
        {
          kind: 'suppression_expired',
          dedupeKey: `suppression_expired:${r.id}:${r.expiresAt.toISOString()}`,
          message: {
            title: `Risk acceptance expired: ${r.title}`,
            summary: `The acceptance of "${r.title}" (owner ${r.owner}) expired ${r.expiresAt.toISOString()}; it counts again.`,
            details: { acceptanceId: r.id, expiresAt: r.expiresAt.toISOString() },
          },
        },
        Math.max(rule.cooldownMinutes, ONCE_MINUTES),
        followUp,
        log,
        now,
      );
      if (id) fired += 1;
    }
  }
  return fired;
}

/**
 * `alerts.tick` (every 15 minutes, a repeating job every worker upserts): due scheduled reports
 * (a report.render job and a mail with the PDF to each recipient, through the outbox), and the
 * time-based rules: scanners silent for N hours, suppressions that expired. Idempotent: a
 * schedule run is claimed by moving its next run; events are de-duplicated by their keys.
 */
export function alertsTickHandler(
  db: Database,
  followUp: FollowUp | undefined,
  appUrl?: string,
  clock: () => Date = () => new Date(),
): JobHandler<'alerts.tick'> {
  return {
    name: 'alerts.tick',
    async run(_env, ctx) {
      const now = clock();
      const reports = await runDueReports(db, followUp, ctx.log, appUrl, now);
      const silent = await silentScanners(db, followUp, ctx.log, now);
      const expired = await expiredSuppressions(db, followUp, ctx.log, now);
      ctx.log.info({ reports, silent, expired }, 'alerts tick');
    },
  };
}
