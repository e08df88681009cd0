import { Inject, Injectable } from '@nestjs/common';
import type { CreateReportRequest, ReportRecord } from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { reportJobId, type JobQueue } from '@plumbline/jobs';
import { AuditService, type Actor } from '../common/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { DATABASE, JOB_QUEUE } from '../common/tokens.js';

type ReportRow = NonNullable<Awaited<ReturnType<Database['reports']['get']>>>;
const record = (r: ReportRow): ReportRecord => ({
  id: r.id,
  clusterId: r.clusterId,
  scope: r.cluster ? `cluster ${r.cluster.name}` : 'organisation',
  status: r.status,
  paperSize: r.paperSize === 'Letter' ? 'Letter' : 'A4',
  pageCount: r.pageCount,
  error: r.error,
  requestedById: r.requestedById,
  createdAt: r.createdAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
});

/** Leadership PDF reports: requests (queued for the worker), status, downloads; audited. */
@Injectable()
export class ReportsService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly audit: AuditService,
  ) {}

  async request(actor: Actor, data: CreateReportRequest): Promise<ReportRecord> {
    const { organizationId } = actor;
    if (data.clusterId && !(await this.db.clusters.get(organizationId, data.clusterId)))
      throw new DomainError('not_found', 'cluster not found');
    const row = await this.db.reports.create(organizationId, {
      clusterId: data.clusterId ?? null,
      paperSize: data.paperSize,
      requestedById: actor.userId,
    });
    try {
      await this.queue.enqueue(
        'report.render',
        { organizationId, reportId: row.id },
        { requestId: actor.requestId, jobId: reportJobId(row.id) },
      );
    } catch (e) {
      await this.db.reports.fail(
        organizationId,
        row.id,
        `could not be queued: ${(e as Error).message}`,
      );
      throw new DomainError('unavailable', 'the job queue is unavailable; try again shortly');
    }
    await this.audit.record(actor, 'report.request', 'report', row.id, {
      clusterId: row.clusterId,
      paperSize: row.paperSize,
    });
    return record(row);
  }

  async list(organizationId: string, limit: number, cursor?: string) {
    const rows = await this.db.reports.list(organizationId, { take: limit + 1, cursor });
    const page = rows.slice(0, limit);
    return {
      items: page.map(record),
      nextCursor: rows.length > limit ? page.at(-1)!.id : null,
    };
  }

  async get(organizationId: string, reportId: string): Promise<ReportRecord> {
    const row = await this.db.reports.get(organizationId, reportId);
    if (!row) throw new DomainError('not_found', 'report not found');
    return record(row);
  }

  /** A ready report's PDF and its download name (409 while it is not ready); audited. */
  async pdf(actor: Actor, reportId: string): Promise<{ pdf: Uint8Array; filename: string }> {
    const row = await this.db.reports.get(actor.organizationId, reportId);
    if (!row) throw new DomainError('not_found', 'report not found');
    if (row.status !== 'ready') {
      throw new DomainError(
        'conflict',
        row.status === 'failed'
          ? `the report failed: ${row.error ?? 'unknown reason'}`
          : `the report is ${row.status}; try again when it is ready`,
      );
    }
    const pdf = await this.db.reports.pdf(actor.organizationId, row.id);
    if (!pdf) throw new DomainError('not_found', 'report not found');
    await this.audit.record(actor, 'report.download', 'report', row.id, {
      bytes: pdf.byteLength,
    });
    return {
      pdf,
      filename: `plumbline-report-${row.createdAt.toISOString().slice(0, 10)}-${row.id.slice(0, 8)}.pdf`,
    };
  }
}
