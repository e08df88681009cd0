import { Body, Controller, Delete, Get, Inject, Put, Req, Res, UseGuards } from '@nestjs/common';
import { deleteOrganizationRequestSchema, retentionSettingsSchema } from '@plumbline/contracts';
import type { Response } from 'express';
import { MinRole, OrgGuard, SessionGuard } from '../auth/guards.js';
import { authOf, orgOf, type AuthedRequest } from '../auth/request-auth.js';
import { parseBody } from '../common/validate.js';
import { Doc } from '../openapi/doc.js';
import { LifecycleService, type Actor } from './lifecycle.service.js';

function actorOf(req: AuthedRequest): Actor {
  return { userId: authOf(req).user.id, ip: req.ip, requestId: req.requestId };
}

/** Data lifecycle of an organisation: snapshot retention, export, deletion. */
@Controller('v1/orgs/:orgId')
@UseGuards(SessionGuard, OrgGuard)
export class LifecycleController {
  constructor(@Inject(LifecycleService) private readonly lifecycle: LifecycleService) {}

  @Get('retention')
  @MinRole('admin')
  @Doc({
    tag: 'data lifecycle',
    auth: 'org',
    minRole: 'admin',
    summary: 'Snapshot retention of the organisation, in days',
    response: retentionSettingsSchema,
  })
  retention(@Req() req: AuthedRequest) {
    return this.lifecycle.retention(orgOf(req).organizationId);
  }

  @Put('retention')
  @MinRole('admin')
  @Doc({
    tag: 'data lifecycle',
    auth: 'org',
    minRole: 'admin',
    summary:
      'Change the snapshot retention (audited); the daily sweep deletes older scans, keeping each cluster’s newest analysed scan',
    body: retentionSettingsSchema,
    response: retentionSettingsSchema,
  })
  setRetention(@Req() req: AuthedRequest, @Body() body: unknown) {
    const { snapshotRetentionDays } = parseBody(retentionSettingsSchema, body);
    return this.lifecycle.setRetention(
      orgOf(req).organizationId,
      snapshotRetentionDays,
      actorOf(req),
    );
  }

  @Get('export')
  @MinRole('admin')
  @Doc({
    tag: 'data lifecycle',
    auth: 'org',
    minRole: 'admin',
    summary:
      'All the organisation’s data as one streamed JSON document, secrets excluded (audited)',
  })
  async export(@Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    await this.lifecycle.export(orgOf(req).organizationId, actorOf(req), res);
  }

  @Delete()
  @MinRole('owner')
  @Doc({
    tag: 'data lifecycle',
    auth: 'org',
    minRole: 'owner',
    summary:
      'Delete the organisation and all its data in one transaction; the body confirms the slug (audited)',
    body: deleteOrganizationRequestSchema,
  })
  delete(@Req() req: AuthedRequest, @Body() body: unknown) {
    const { confirmSlug } = parseBody(deleteOrganizationRequestSchema, body);
    return this.lifecycle.delete(orgOf(req).organizationId, confirmSlug, actorOf(req));
  }
}
