import {
  Body,
  Controller,
  Get,
  HttpCode,
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
import type { Response } from 'express';
import { MinRole, OrgGuard, SessionGuard } from '../auth/guards.js';
import { orgOf, type AuthedRequest } from '../auth/request-auth.js';
import { actorOf } from '../common/audit.service.js';
import { attachment } from '../common/download.js';
import { uuidOr404 } from '../common/ids.js';
import { parseBody, parseQuery } from '../common/validate.js';
import { Doc } from '../openapi/doc.js';
import { ReportsService } from './reports.service.js';

/**
 * Leadership PDF reports: requested here, rendered by the worker (`report.render`), listed with
 * status and failure reason, downloaded. Requests and downloads are audited.
 */
@Controller('v1/orgs/:orgId/reports')
@UseGuards(SessionGuard, OrgGuard)
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

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
    return this.reports.request(actorOf(req), parseBody(createReportRequestSchema, body));
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
    return this.reports.list(
      orgOf(req).organizationId,
      q.limit ?? 50,
      q.cursor ? uuidOr404(q.cursor, 'cursor') : undefined,
    );
  }

  @Get(':reportId')
  @Doc({
    tag: 'reports',
    auth: 'org',
    summary: 'One report’s status',
    response: reportRecordSchema,
  })
  async get(@Req() req: AuthedRequest, @Param('reportId') reportId: string) {
    return this.reports.get(orgOf(req).organizationId, uuidOr404(reportId, 'report'));
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
    const { pdf, filename } = await this.reports.pdf(actorOf(req), uuidOr404(reportId, 'report'));
    return attachment(res, { contentType: 'application/pdf', filename }, pdf);
  }
}
