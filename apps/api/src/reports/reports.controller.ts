import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
  UseGuards,
} from '@nestjs/common';
import {
  createReportRequestSchema,
  pageQuerySchema,
  reportListSchema,
  reportRecordSchema,
  type ReportRecord,
} from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import type { JobQueue } from '@plumbline/jobs';
import type { Response } from 'express';
import { MinRole, OrgGuard, SessionGuard } from '../auth/guards.js';
import { authOf, orgOf, type AuthedRequest } from '../auth/request-auth.js';
import { DomainError } from '../common/domain-error.js';
import { uuidOr404 } from '../common/ids.js';
import { DATABASE, JOB_QUEUE } from '../common/tokens.js';
import { parseBody, parseQuery } from '../common/validate.js';
import { Doc } from '../openapi/doc.js';

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

/**
 * Leadership PDF reports: requested here, rendered by the worker (`report.render`), listed with
 * status and failure reason, downloaded. Requests and downloads are audited.
 */
@Controller('v1/orgs/:orgId/reports')
@UseGuards(SessionGuard, OrgGuard)
export class ReportsController {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
  ) {}

  private audit(req: AuthedRequest, action: string, reportId: string, metadata: object) {
    return this.db.audit.record({
      organizationId: orgOf(req).organizationId,
      actorType: 'user',
      actorId: authOf(req).user.id,
      action,
      targetType: 'report',
      targetId: reportId,
      metadata: metadata as Record<string, unknown>,
      ip: req.ip,
      requestId: req.requestId,
    });
  }

  @Post()
  @MinRole('member')
  @HttpCode(202)
  @Doc({
    tag: 'reports',
    auth: 'org',
    minRole: 'member',
    summary:
      'Request a leadership PDF for the organisation or one cluster (rendered by the worker; audited)',
    body: createReportRequestSchema,
    response: reportRecordSchema,
    status: 202,
  })
  async request(@Req() req: AuthedRequest, @Body() body: unknown): Promise<ReportRecord> {
    const data = parseBody(createReportRequestSchema, body);
    const organizationId = orgOf(req).organizationId;
    if (data.clusterId && !(await this.db.clusters.get(organizationId, data.clusterId)))
      throw new DomainError('not_found', 'cluster not found');
    const row = await this.db.reports.create(organizationId, {
      clusterId: data.clusterId ?? null,
      paperSize: data.paperSize,
      requestedById: authOf(req).user.id,
    });
    try {
      await this.queue.enqueue(
        'report.render',
        { organizationId, reportId: row.id },
        { requestId: req.requestId },
      );
    } catch (e) {
      await this.db.reports.fail(
        organizationId,
        row.id,
        `could not be queued: ${(e as Error).message}`,
      );
      throw new DomainError('unavailable', 'the job queue is unavailable; try again shortly');
    }
    await this.audit(req, 'report.request', row.id, {
      clusterId: row.clusterId,
      paperSize: row.paperSize,
    });
    return record(row);
  }

  @Get()
  @Doc({
    tag: 'reports',
    auth: 'org',
    summary: 'Reports, newest first, with status and failure reason (cursor pagination)',
    query: pageQuerySchema,
    response: reportListSchema,
  })
  async list(@Req() req: AuthedRequest, @Query() query: unknown) {
    const q = parseQuery(pageQuerySchema, query);
    const limit = q.limit ?? 50;
    const rows = await this.db.reports.list(orgOf(req).organizationId, {
      take: limit + 1,
      cursor: q.cursor ? uuidOr404(q.cursor, 'cursor') : undefined,
    });
    const page = rows.slice(0, limit);
    return {
      items: page.map(record),
      nextCursor: rows.length > limit ? page.at(-1)!.id : null,
    };
  }

  @Get(':reportId')
  @Doc({
    tag: 'reports',
    auth: 'org',
    summary: 'One report’s status',
    response: reportRecordSchema,
  })
  async get(@Req() req: AuthedRequest, @Param('reportId') reportId: string) {
    const row = await this.db.reports.get(orgOf(req).organizationId, uuidOr404(reportId, 'report'));
    if (!row) throw new DomainError('not_found', 'report not found');
    return record(row);
  }

  @Get(':reportId/pdf')
  @Doc({
    tag: 'reports',
    auth: 'org',
    summary: 'Download a ready report as PDF (audited); 409 while it is not ready',
    produces: ['application/pdf'],
  })
  async pdf(
    @Req() req: AuthedRequest,
    @Param('reportId') reportId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const organizationId = orgOf(req).organizationId;
    const row = await this.db.reports.get(organizationId, uuidOr404(reportId, 'report'));
    if (!row) throw new DomainError('not_found', 'report not found');
    if (row.status !== 'ready') {
      throw new DomainError(
        'conflict',
        row.status === 'failed'
          ? `the report failed: ${row.error ?? 'unknown reason'}`
          : `the report is ${row.status}; try again when it is ready`,
      );
    }
    const pdf = await this.db.reports.pdf(organizationId, row.id);
    if (!pdf) throw new DomainError('not_found', 'report not found');
    await this.audit(req, 'report.download', row.id, { bytes: pdf.byteLength });
    const name = `plumbline-report-${row.createdAt.toISOString().slice(0, 10)}-${row.id.slice(0, 8)}.pdf`;
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    return new StreamableFile(Buffer.from(pdf));
  }
}
