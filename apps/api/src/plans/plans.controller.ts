import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
  StreamableFile,
  UseGuards,
} from '@nestjs/common';
import {
  createPlanRequestSchema,
  pageQuerySchema,
  planEffortResponseSchema,
  planListSchema,
  planRecordSchema,
  putPlanEffortRequestSchema,
  type PlanRecord,
} from '@plumbline/contracts';
import type { Response } from 'express';
import { MinRole, OrgGuard, SessionGuard } from '../auth/guards.js';
import { orgOf, type AuthedRequest } from '../auth/request-auth.js';
import { actorOf } from '../common/audit.service.js';
import { attachment } from '../common/download.js';
import { uuidOr404 } from '../common/ids.js';
import { parseBody, parseQuery } from '../common/validate.js';
import { Doc } from '../openapi/doc.js';
import { PlansService } from './plans.service.js';

/**
 * Plans to the next level (the roadmap): requested per cluster, computed by the worker
 * (`cluster.plan`), read with their verification, and their bundle downloaded as a zip; the
 * organisation's effort table. Requests, downloads and effort edits are audited.
 */
@Controller('v1/orgs/:orgId')
@UseGuards(SessionGuard, OrgGuard)
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Post('clusters/:clusterId/plans')
  @MinRole('member')
  @HttpCode(202)
  @Doc({
    tag: 'plans',
    auth: 'org',
    minRole: 'member',
    summary:
      'Ask for the smallest plan from the cluster’s newest analysed scan to a target level (omitted: the next level), of the cluster or one pillar; computed by the worker. 422 with the reason when the scan has no workloads or the target is already met (audited)',
    body: createPlanRequestSchema,
    response: planRecordSchema,
    status: 202,
  })
  async request(
    @Req() req: AuthedRequest,
    @Param('clusterId') clusterId: string,
    @Body() body: unknown,
  ): Promise<PlanRecord> {
    return this.plans.request(
      actorOf(req),
      uuidOr404(clusterId, 'cluster'),
      parseBody(createPlanRequestSchema, body),
    );
  }

  @Get('clusters/:clusterId/plans')
  @Doc({
    tag: 'plans',
    auth: 'org',
    summary:
      'The cluster’s plans, newest first, with status, reason and verification (cursor pagination)',
    query: pageQuerySchema,
    response: planListSchema,
  })
  async list(
    @Req() req: AuthedRequest,
    @Param('clusterId') clusterId: string,
    @Query() query: unknown,
  ) {
    const q = parseQuery(pageQuerySchema, query);
    return this.plans.list(
      orgOf(req).organizationId,
      uuidOr404(clusterId, 'cluster'),
      q.limit ?? 20,
      q.cursor ? uuidOr404(q.cursor, 'cursor') : undefined,
    );
  }

  @Get('plans')
  @Doc({
    tag: 'plans',
    auth: 'org',
    summary:
      'Every cluster’s plans in the organisation, newest first (the organisation roadmap reads each cluster’s newest plan to its next level; cursor pagination)',
    query: pageQuerySchema,
    response: planListSchema,
  })
  async listOrg(@Req() req: AuthedRequest, @Query() query: unknown) {
    const q = parseQuery(pageQuerySchema, query);
    return this.plans.listOrg(
      orgOf(req).organizationId,
      q.limit ?? 20,
      q.cursor ? uuidOr404(q.cursor, 'cursor') : undefined,
    );
  }

  @Get('plans/:planId')
  @Doc({
    tag: 'plans',
    auth: 'org',
    summary:
      'One plan: steps with effort and the levels and tax after each, the 30/60/90-day roadmap, and the bundle’s verification; or why it is unreachable or refused',
    response: planRecordSchema,
  })
  async get(@Req() req: AuthedRequest, @Param('planId') planId: string) {
    return this.plans.get(orgOf(req).organizationId, uuidOr404(planId, 'plan'));
  }

  @Get('plans/:planId/bundle')
  @Doc({
    tag: 'plans',
    auth: 'org',
    summary:
      'Download a ready plan’s bundle as a zip (kustomize folder, README, plan.json; audited). 409 while it is computed or when it failed, 422 with the reason when unreachable or refused',
    produces: ['application/zip'],
  })
  async bundle(
    @Req() req: AuthedRequest,
    @Param('planId') planId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { zip, filename } = await this.plans.bundle(actorOf(req), uuidOr404(planId, 'plan'));
    return attachment(res, { contentType: 'application/zip', filename }, zip);
  }

  @Get('plan-effort')
  @Doc({
    tag: 'plans',
    auth: 'org',
    summary: 'The effort table plans use: every action’s hours, its default and the overrides',
    response: planEffortResponseSchema,
  })
  effort(@Req() req: AuthedRequest) {
    return this.plans.effort(orgOf(req).organizationId);
  }

  @Put('plan-effort')
  @MinRole('admin')
  @Doc({
    tag: 'plans',
    auth: 'org',
    minRole: 'admin',
    summary: 'Replace the effort overrides; later plans use them (audited)',
    body: putPlanEffortRequestSchema,
    response: planEffortResponseSchema,
  })
  putEffort(@Req() req: AuthedRequest, @Body() body: unknown) {
    return this.plans.saveEffort(actorOf(req), parseBody(putPlanEffortRequestSchema, body));
  }
}
