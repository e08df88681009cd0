import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  Put,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  actionsResponseSchema,
  AGENTS_LISTS,
  AGENTS_PAGE_SIZE,
  agentsPageQuerySchema,
  agentsPageSchema,
  agentsResponseSchema,
  clusterDetailSchema,
  clusterSchema,
  costResponseSchema,
  EXPORT_FORMATS,
  historyPageSchema,
  overviewSchema,
  pageQuerySchema,
  putClusterEnvironmentRequestSchema,
  putCostAssumptionsRequestSchema,
  putSelfAssessmentRequestSchema,
  scanDiffSchema,
  selfAssessmentHistorySchema,
  selfAssessmentResponseSchema,
} from '@plumbline/contracts';
import type { Response } from 'express';
import { z } from 'zod';
import { MinRole, OrgGuard, SessionGuard } from '../auth/guards.js';
import { authOf, orgOf, type AuthedRequest } from '../auth/request-auth.js';
import { DomainError } from '../common/domain-error.js';
import { attachment } from '../common/download.js';
import { sendPage } from '../common/json-page.js';
import { uuidOr404 } from '../common/ids.js';
import { parseBody, parseQuery } from '../common/validate.js';
import { Doc } from '../openapi/doc.js';
import { InsightsService, type Actor } from './insights.service.js';

const diffQuerySchema = z
  .object({ from: z.uuid().optional(), to: z.uuid().optional() })
  .strict()
  .describe('Scan ids; default: the newest analysed scan and the one before it');
const exportQuerySchema = z.object({ format: z.enum(EXPORT_FORMATS).default('json') }).strict();
const agentsListSchema = z.enum(AGENTS_LISTS);

const actorOf = (req: AuthedRequest): Actor => ({
  organizationId: orgOf(req).organizationId,
  userId: authOf(req).user.id,
  ip: req.ip,
  requestId: req.requestId,
});

/**
 * The read API: what the web app, the exports and the PDF report read. Every route is scoped by
 * the organisation in its path (OrgGuard); ids of another organisation are 404.
 */
@Controller('v1/orgs/:orgId')
@UseGuards(SessionGuard, OrgGuard)
export class InsightsController {
  constructor(@Inject(InsightsService) private readonly insights: InsightsService) {}

  @Get('overview')
  @Doc({
    tag: 'insights',
    auth: 'org',
    summary: 'Organisation overview',
    description:
      'Fleet table, maturity and accountability roll-ups (lowest pillars named), integration tax with components, trends and the top five actions.',
    response: overviewSchema,
  })
  async overview(@Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    sendPage(req, res, await this.insights.overviewPage(orgOf(req).organizationId));
  }

  @Get('clusters/:clusterId')
  @Doc({
    tag: 'insights',
    auth: 'org',
    summary: 'Cluster detail',
    description:
      'Detected stack by layer with overlaps, NetworkPolicy coverage by namespace, pillar criteria with evidence, findings with remediation and what-if, from the newest analysed scan.',
    response: clusterDetailSchema,
  })
  async cluster(
    @Req() req: AuthedRequest,
    @Param('clusterId') clusterId: string,
    @Res() res: Response,
  ): Promise<void> {
    const page = await this.insights.clusterDetailPage(
      orgOf(req).organizationId,
      uuidOr404(clusterId, 'cluster'),
    );
    sendPage(req, res, page);
  }

  @Get('clusters/:clusterId/history')
  @Doc({
    tag: 'insights',
    auth: 'org',
    summary: 'Scores and cost per scan over time (newest first, cursor pagination)',
    query: pageQuerySchema,
    response: historyPageSchema,
  })
  history(
    @Req() req: AuthedRequest,
    @Param('clusterId') clusterId: string,
    @Query() query: unknown,
  ) {
    const q = parseQuery(pageQuerySchema, query);
    return this.insights.history(
      orgOf(req).organizationId,
      uuidOr404(clusterId, 'cluster'),
      q.limit ?? 50,
      q.cursor ? uuidOr404(q.cursor, 'cursor') : undefined,
    );
  }

  @Get('clusters/:clusterId/diff')
  @Doc({
    tag: 'insights',
    auth: 'org',
    summary: 'New, fixed and regressed findings between two scans',
    query: diffQuerySchema,
    response: scanDiffSchema,
  })
  diff(@Req() req: AuthedRequest, @Param('clusterId') clusterId: string, @Query() query: unknown) {
    const q = parseQuery(diffQuerySchema, query);
    return this.insights.diff(
      orgOf(req).organizationId,
      uuidOr404(clusterId, 'cluster'),
      q.from,
      q.to,
    );
  }

  @Get('agents')
  @Doc({
    tag: 'insights',
    auth: 'org',
    summary: 'AI agents: inventory, five-pillar levels, gaps, claimed vs evidenced, probe runs',
    description: `The long lists (items, findings, principles) hold their first page (${AGENTS_PAGE_SIZE} entries at most); \`pages\` gives each list's total and the cursor of its next page (GET agents/{list}). Findings worst first.`,
    response: agentsResponseSchema,
  })
  async agents(@Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    sendPage(req, res, await this.insights.agentsFirst(orgOf(req).organizationId));
  }

  @Get('agents/:list')
  @Doc({
    tag: 'insights',
    auth: 'org',
    summary:
      'One page of the AI agents view’s items, findings or principles (cursor pagination, same order as GET agents)',
    description:
      'Pages the same stored view as GET agents; `computedAt` names the roll-up a page is of (a different one than the page before’s: the view changed, start again). `pillar` narrows findings and principles, `kind` and `shadow` the items. An unknown list is a 404; a bad limit, cursor or filter a 422 with the reason.',
    query: agentsPageQuerySchema,
    response: agentsPageSchema,
  })
  agentsPage(@Req() req: AuthedRequest, @Param('list') list: string, @Query() query: unknown) {
    const which = agentsListSchema.safeParse(list);
    if (!which.success)
      throw new DomainError(
        'not_found',
        'no such list: the agents view pages items, findings and principles',
      );
    return this.insights.agentsPage(
      orgOf(req).organizationId,
      which.data,
      parseQuery(agentsPageQuerySchema, query),
    );
  }

  @Get('actions')
  @Doc({
    tag: 'insights',
    auth: 'org',
    summary: 'Ranked actions with their computed effect on levels and cost',
    response: actionsResponseSchema,
  })
  async actions(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response) {
    const json = await this.insights.actionsJson(orgOf(req).organizationId);
    res.type('application/json');
    return json;
  }

  @Get('self-assessment')
  @Doc({
    tag: 'insights',
    auth: 'org',
    summary: 'The five-question self-assessment: questions, current answers, claimed vs evidenced',
    response: selfAssessmentResponseSchema,
  })
  selfAssessment(@Req() req: AuthedRequest) {
    return this.insights.selfAssessment(orgOf(req).organizationId);
  }

  @Put('self-assessment')
  @MinRole('member')
  @Doc({
    tag: 'insights',
    auth: 'org',
    minRole: 'member',
    summary: 'Answer the self-assessment (a new version; history is kept; audited)',
    body: putSelfAssessmentRequestSchema,
    response: selfAssessmentResponseSchema,
  })
  putSelfAssessment(@Req() req: AuthedRequest, @Body() body: unknown) {
    return this.insights.saveSelfAssessment(
      actorOf(req),
      parseBody(putSelfAssessmentRequestSchema, body),
    );
  }

  @Get('self-assessment/history')
  @Doc({
    tag: 'insights',
    auth: 'org',
    summary: 'Past self-assessment answers (newest first, cursor pagination)',
    query: pageQuerySchema,
    response: selfAssessmentHistorySchema,
  })
  selfAssessmentHistory(@Req() req: AuthedRequest, @Query() query: unknown) {
    const q = parseQuery(pageQuerySchema, query);
    return this.insights.selfAssessmentHistory(
      orgOf(req).organizationId,
      q.limit ?? 50,
      q.cursor ? uuidOr404(q.cursor, 'cursor') : undefined,
    );
  }

  @Get('cost')
  @Doc({
    tag: 'insights',
    auth: 'org',
    summary: 'Integration tax with every assumption, its default and its source',
    response: costResponseSchema,
  })
  cost(@Req() req: AuthedRequest) {
    return this.insights.cost(orgOf(req).organizationId);
  }

  @Put('cost/assumptions')
  @MinRole('admin')
  @Doc({
    tag: 'insights',
    auth: 'org',
    minRole: 'admin',
    summary: 'Replace the cost assumption overrides; the tax is recomputed (audited)',
    body: putCostAssumptionsRequestSchema,
    response: costResponseSchema,
  })
  putAssumptions(@Req() req: AuthedRequest, @Body() body: unknown) {
    return this.insights.saveAssumptions(
      actorOf(req),
      parseBody(putCostAssumptionsRequestSchema, body),
    );
  }

  @Put('clusters/:clusterId/environment')
  @MinRole('admin')
  @Doc({
    tag: 'clusters',
    auth: 'org',
    minRole: 'admin',
    summary:
      'Set a cluster’s environment (production or not), or null to infer it again from labels and the name; the roll-up is recomputed (audited)',
    body: putClusterEnvironmentRequestSchema,
    response: clusterSchema,
  })
  async putClusterEnvironment(
    @Req() req: AuthedRequest,
    @Param('clusterId') clusterId: string,
    @Body() body: unknown,
  ) {
    uuidOr404(clusterId, 'cluster');
    return this.insights.setClusterEnvironment(
      actorOf(req),
      clusterId,
      parseBody(putClusterEnvironmentRequestSchema, body),
    );
  }

  @Get('scans/:scanId/export')
  @Doc({
    tag: 'insights',
    auth: 'org',
    summary:
      'Export a scan: the whole analysis (json), findings as CSV, SARIF 2.1.0, or a PolicyReport',
    query: exportQuerySchema,
    produces: ['application/json', 'text/csv', 'application/sarif+json'],
  })
  async export(
    @Req() req: AuthedRequest,
    @Param('scanId') scanId: string,
    @Query() query: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const { format } = parseQuery(exportQuerySchema, query);
    const out = await this.insights.export(actorOf(req), uuidOr404(scanId, 'scan'), format);
    return attachment(res, out, out.body);
  }
}
