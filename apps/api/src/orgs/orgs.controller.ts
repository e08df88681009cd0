import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import {
  createScannerTokenRequestSchema,
  inviteRequestSchema,
  pageQuerySchema,
  roleChangeRequestSchema,
} from '@plumbline/contracts';
import { MinRole, OrgGuard, SessionGuard } from '../auth/guards.js';
import { actorOf } from '../common/audit.service.js';
import { authOf, orgOf, type AuthedRequest } from '../auth/request-auth.js';
import { Doc } from '../openapi/doc.js';
import { uuidOr404 } from '../common/ids.js';
import { parseBody } from '../common/validate.js';
import { OrgsService, type Member } from './orgs.service.js';

/** The caller as the member acting in the organisation of the route. */
function memberOf(req: AuthedRequest): Member {
  return { ...actorOf(req), role: orgOf(req).role, name: authOf(req).user.name };
}

/** Organisation administration: members and roles, invites, scanner tokens, audit log. */
@Controller('v1/orgs/:orgId')
@UseGuards(SessionGuard, OrgGuard)
export class OrgsController {
  constructor(private readonly orgs: OrgsService) {}

  @Get()
  @Doc({ tag: 'organisation', auth: 'org', summary: 'The organisation and the caller’s role' })
  organization(@Req() req: AuthedRequest) {
    return this.orgs.organization(orgOf(req).organizationId, orgOf(req).role);
  }

  @Get('members')
  @Doc({ tag: 'organisation', auth: 'org', summary: 'Members and their roles' })
  members(@Req() req: AuthedRequest) {
    return this.orgs.members(orgOf(req).organizationId);
  }

  @Patch('members/:userId')
  @Doc({
    tag: 'organisation',
    auth: 'org',
    minRole: 'admin',
    summary: 'Change a member’s role (audited)',
    body: roleChangeRequestSchema,
  })
  @MinRole('admin')
  changeRole(@Req() req: AuthedRequest, @Param('userId') userId: string, @Body() body: unknown) {
    uuidOr404(userId, 'member');
    const { role } = parseBody(roleChangeRequestSchema, body);
    return this.orgs.changeRole(memberOf(req), userId, role);
  }

  @Post('invites')
  @Doc({
    tag: 'organisation',
    auth: 'org',
    minRole: 'admin',
    summary:
      'Invite someone: the link is mailed to them and returned once (7 days, single use; audited)',
    body: inviteRequestSchema,
    status: 201,
  })
  @MinRole('admin')
  @HttpCode(201)
  invite(@Req() req: AuthedRequest, @Body() body: unknown) {
    return this.orgs.invite(memberOf(req), parseBody(inviteRequestSchema, body));
  }

  @Get('invites')
  @Doc({ tag: 'organisation', auth: 'org', minRole: 'admin', summary: 'Pending and past invites' })
  @MinRole('admin')
  invites(@Req() req: AuthedRequest) {
    return this.orgs.invites(orgOf(req).organizationId);
  }

  @Get('scanner-tokens')
  @Doc({
    tag: 'organisation',
    auth: 'org',
    minRole: 'admin',
    summary: 'Scanner tokens (metadata only)',
  })
  @MinRole('admin')
  tokens(@Req() req: AuthedRequest) {
    return this.orgs.tokens(orgOf(req).organizationId);
  }

  @Post('scanner-tokens')
  @Doc({
    tag: 'organisation',
    auth: 'org',
    minRole: 'admin',
    summary: 'Create a scanner token (shown once; audited)',
    body: createScannerTokenRequestSchema,
    status: 201,
  })
  @MinRole('admin')
  @HttpCode(201)
  createToken(@Req() req: AuthedRequest, @Body() body: unknown) {
    return this.orgs.createToken(actorOf(req), parseBody(createScannerTokenRequestSchema, body));
  }

  @Delete('scanner-tokens/:tokenId')
  @Doc({
    tag: 'organisation',
    auth: 'org',
    minRole: 'admin',
    summary: 'Revoke a scanner token (audited)',
    status: 204,
  })
  @MinRole('admin')
  @HttpCode(204)
  revokeToken(@Req() req: AuthedRequest, @Param('tokenId') tokenId: string): Promise<void> {
    return this.orgs.revokeToken(actorOf(req), uuidOr404(tokenId, 'scanner token'));
  }

  @Get('audit')
  @Doc({
    tag: 'organisation',
    auth: 'org',
    minRole: 'admin',
    summary: 'Audit log (newest 200 events)',
  })
  @MinRole('admin')
  auditLog(@Req() req: AuthedRequest) {
    return this.orgs.auditLog(orgOf(req).organizationId);
  }

  @Get('clusters')
  @Doc({ tag: 'clusters', auth: 'org', summary: 'Clusters of the organisation' })
  clusters(@Req() req: AuthedRequest) {
    return this.orgs.clusters(orgOf(req).organizationId);
  }

  @Get('clusters/:clusterId/scans')
  @Doc({
    tag: 'clusters',
    auth: 'org',
    summary: 'Scans of a cluster (newest first, cursor pagination)',
    query: pageQuerySchema,
  })
  scans(@Req() req: AuthedRequest, @Param('clusterId') clusterId: string) {
    uuidOr404(clusterId, 'cluster');
    const cursor =
      typeof req.query.cursor === 'string' ? uuidOr404(req.query.cursor, 'cursor') : undefined;
    const limit = Math.min(Math.max(Number(req.query.limit ?? 50) || 50, 1), 200);
    return this.orgs.scans(orgOf(req).organizationId, clusterId, limit, cursor);
  }

  @Get('scans/:scanId')
  @Doc({ tag: 'clusters', auth: 'org', summary: 'One scan and its whole analysis result' })
  scan(@Req() req: AuthedRequest, @Param('scanId') scanId: string) {
    return this.orgs.scan(orgOf(req).organizationId, uuidOr404(scanId, 'scan'));
  }
}
