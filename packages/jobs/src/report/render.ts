import type { PaperSize, ReportData } from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { buildReportData, ReadModelError, ReadModels } from '@plumbline/read-models';
import { ensureNextLevelPlans } from '../handlers/cluster-plan.js';
import { evidenceSource } from '../handlers/snapshot-analyze.js';
import { emailJobId, type EmailJobSender } from '../mail/outbox.js';
import { PermanentJobError, type JobHandler, type JobLogger } from '../port.js';

/** Why no renderer exists when REPORT_DIST_DIR is unset. */
export const REPORTS_NOT_CONFIGURED =
  'no report renderer is configured on this worker: set REPORT_DIST_DIR to the built web app (apps/web/dist, which holds report.html)';

/**
 * Prints report data to PDF. The worker's implementation drives a warm headless Chromium over
 * the built report page of the web app; `check()` tells health checks whether it can.
 */
export interface ReportRenderer {
  render(data: ReportData, paperSize: PaperSize): Promise<{ pdf: Uint8Array; pageCount: number }>;
  /** null when ready, else why not, in words (e.g. "Chromium not found at /usr/bin/chromium"). */
  check(): Promise<string | null>;
  close(): Promise<void>;
}

/**
 * report.render: read the data, print it, store the PDF with its data; failures in words. Mails
 * waiting for the report (scheduled reports) are queued once it is printed or has failed for
 * good (they then go out without the PDF, saying so).
 */
export function reportRenderHandler(
  db: Database,
  renderer: ReportRenderer | null,
  options: { sendEmail?: EmailJobSender | undefined; now?: () => Date } = {},
): JobHandler<'report.render'> {
  const read = new ReadModels(db);
  const evidence = evidenceSource(db);
  const now = options.now ?? (() => new Date());
  const releaseMails = async (reportId: string, log: JobLogger) => {
    const send = options.sendEmail;
    if (!send) return;
    for (const { id } of await db.outbox.waitingForReport(reportId))
      await send({ emailId: id }, { jobId: emailJobId(id) }).catch((e: unknown) =>
        // The reconciler queues outbox rows the queue refused.
        log.warn({ emailId: id, err: (e as Error).message }, 'report mail left to the reconciler'),
      );
  };
  return {
    name: 'report.render',
    async run({ payload }, ctx) {
      const { organizationId, reportId } = payload;
      if (!renderer) throw new PermanentJobError(REPORTS_NOT_CONFIGURED);
      const unavailable = await renderer.check();
      // A missing browser will not appear by retrying: fail fast with the reason.
      if (unavailable) throw new PermanentJobError(`cannot render PDFs: ${unavailable}`);
      if (!(await db.reports.markRendering(organizationId, reportId)))
        throw new PermanentJobError(`report ${reportId} not found`);
      // "What to do first" is each cluster's plan to its next level: computed now when missing.
      const report = await db.reports.get(organizationId, reportId);
      const clusterIds = report?.clusterId
        ? [report.clusterId]
        : (await db.clusters.list(organizationId)).map((c) => c.id);
      await ensureNextLevelPlans(db, organizationId, clusterIds, ctx, evidence);
      const data = await buildReportData(db, read, organizationId, reportId, now()).catch(
        (e: unknown) => {
          // A missing report or cluster will not appear by retrying.
          throw e instanceof ReadModelError && e.code === 'not_found'
            ? new PermanentJobError(e.message)
            : e;
        },
      );
      const { pdf, pageCount } = await renderer.render(data, data.paperSize);
      await db.reports.complete(organizationId, reportId, {
        pdf: new Uint8Array(pdf),
        pageCount,
        data,
      });
      ctx.log.info(
        { organizationId, reportId, pageCount, bytes: pdf.byteLength },
        'report rendered',
      );
      await releaseMails(reportId, ctx.log);
    },
    async onFinalFailure({ payload }, error, ctx) {
      await db.reports.fail(payload.organizationId, payload.reportId, error.message);
      await releaseMails(payload.reportId, ctx.log);
    },
  };
}
