import { Body, Controller, Delete, Get, Param, Post, Req, UseGuards } from '@nestjs/common';
import {
  createRiskAcceptanceSchema,
  riskAcceptanceListSchema,
  riskAcceptanceSchema,
} from '@plumbline/contracts';
import { MinRole, OrgGuard, SessionGuard } from '../auth/guards.js';
import { orgOf, type AuthedRequest } from '../auth/request-auth.js';
import { actorOf } from '../common/audit.service.js';
import { uuidOr404 } from '../common/ids.js';
import { parseBody } from '../common/validate.js';
import { Doc } from '../openapi/doc.js';
import { RisksService } from './risks.service.js';

/** Accepted risks: listed for everyone with their state; accepted and revoked by admins (audited). */
@Controller('v1/orgs/:orgId/risk-acceptances')
@UseGuards(SessionGuard, OrgGuard)
export class RisksController {
  constructor(private readonly risks: RisksService) {}

  @Get()
  @Doc({
    tag: 'plans',
    auth: 'org',
    summary:
      'Accepted risks, newest first, each with its owner, reason, expiry and state (active, expired, revoked), and counts by state',
    response: riskAcceptanceListSchema,
  })
  list(@Req() req: AuthedRequest) {
    return this.risks.list(orgOf(req).organizationId);
  }

  @Post()
  @MinRole('admin')
  @Doc({
    tag: 'plans',
    auth: 'org',
    minRole: 'admin',
    summary:
      'Accept the risk of a maturity criterion or a finding, for one cluster or all, with an owner, a reason and an expiry within a year; plans leave it out of scope (audited)',
    body: createRiskAcceptanceSchema,
    response: riskAcceptanceSchema,
    status: 201,
  })
  create(@Req() req: AuthedRequest, @Body() body: unknown) {
    return this.risks.create(actorOf(req), parseBody(createRiskAcceptanceSchema, body));
  }

  @Delete(':riskId')
  @MinRole('admin')
  @Doc({
    tag: 'plans',
    auth: 'org',
    minRole: 'admin',
    summary: 'Revoke an accepted risk: it applies again at once (audited)',
    response: riskAcceptanceSchema,
  })
  revoke(@Req() req: AuthedRequest, @Param('riskId') riskId: string) {
    return this.risks.revoke(actorOf(req), uuidOr404(riskId, 'risk acceptance'));
  }
}
