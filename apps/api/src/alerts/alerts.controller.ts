import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import {
  alertDeliveryQuerySchema,
  createAlertChannelSchema,
  createReportScheduleSchema,
  putAlertRulesSchema,
  updateAlertChannelSchema,
  updateReportScheduleSchema,
} from '@plumbline/contracts';
import { MinRole, OrgGuard, SessionGuard } from '../auth/guards.js';
import { orgOf, type AuthedRequest } from '../auth/request-auth.js';
import { actorOf } from '../common/audit.service.js';
import { uuidOr404 } from '../common/ids.js';
import { parseBody, parseQuery } from '../common/validate.js';
import { Doc } from '../openapi/doc.js';
import { AlertsService } from './alerts.service.js';

/** Alert rules: every kind listed with its defaults; admins turn them on and set thresholds. */
@Controller('v1/orgs/:orgId/alert-rules')
@UseGuards(SessionGuard, OrgGuard)
export class AlertRulesController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @Doc({
    tag: 'alerts',
    auth: 'org',
    summary: 'Every alert rule kind with its state: on/off, threshold (and its meaning), cool-down',
  })
  list(@Req() req: AuthedRequest) {
    return this.alerts.rules(orgOf(req).organizationId);
  }

  @Put()
  @MinRole('admin')
  @Doc({
    tag: 'alerts',
    auth: 'org',
    minRole: 'admin',
    summary: 'Set alert rules (the kinds listed; others keep their state) (audited)',
    body: putAlertRulesSchema,
  })
  put(@Req() req: AuthedRequest, @Body() body: unknown) {
    return this.alerts.putRules(actorOf(req), parseBody(putAlertRulesSchema, body).rules);
  }
}

/** Alert channels: email, signed webhooks (Standard Webhooks), Slack-compatible webhooks. */
@Controller('v1/orgs/:orgId/alert-channels')
@UseGuards(SessionGuard, OrgGuard)
export class AlertChannelsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @Doc({
    tag: 'alerts',
    auth: 'org',
    summary: 'Alert channels (never a webhook secret)',
  })
  list(@Req() req: AuthedRequest) {
    return this.alerts.channels(orgOf(req).organizationId);
  }

  @Post()
  @MinRole('admin')
  @Doc({
    tag: 'alerts',
    auth: 'org',
    minRole: 'admin',
    summary:
      'Add a channel. Webhook and Slack URLs must be http(s) and resolve to public addresses only (private, loopback, link-local and metadata addresses are refused); a webhook channel answers with its signing secret (whsec_...) this once (audited)',
    body: createAlertChannelSchema,
    status: 201,
  })
  create(@Req() req: AuthedRequest, @Body() body: unknown) {
    return this.alerts.createChannel(actorOf(req), parseBody(createAlertChannelSchema, body));
  }

  @Patch(':channelId')
  @MinRole('admin')
  @Doc({
    tag: 'alerts',
    auth: 'org',
    minRole: 'admin',
    summary: 'Rename, enable or disable a channel, or change its recipients or URL (audited)',
    body: updateAlertChannelSchema,
  })
  update(@Req() req: AuthedRequest, @Param('channelId') id: string, @Body() body: unknown) {
    return this.alerts.updateChannel(
      actorOf(req),
      uuidOr404(id, 'alert channel'),
      parseBody(updateAlertChannelSchema, body),
    );
  }

  @Post(':channelId/test')
  @MinRole('admin')
  @Doc({
    tag: 'alerts',
    auth: 'org',
    minRole: 'admin',
    summary: 'Send a test alert to the channel; its outcome shows in the delivery log (audited)',
    status: 202,
  })
  @HttpCode(202)
  test(@Req() req: AuthedRequest, @Param('channelId') id: string) {
    return this.alerts.sendTest(actorOf(req), uuidOr404(id, 'alert channel'));
  }

  @Delete(':channelId')
  @MinRole('admin')
  @Doc({
    tag: 'alerts',
    auth: 'org',
    minRole: 'admin',
    summary: 'Delete a channel and its delivery log (audited)',
  })
  remove(@Req() req: AuthedRequest, @Param('channelId') id: string) {
    return this.alerts.deleteChannel(actorOf(req), uuidOr404(id, 'alert channel'));
  }
}

@Controller('v1/orgs/:orgId/alert-deliveries')
@UseGuards(SessionGuard, OrgGuard)
export class AlertDeliveriesController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @Doc({
    tag: 'alerts',
    auth: 'org',
    summary:
      'The delivery log, newest first: channel, alert or test, status, attempts, last error, receiver status (cursor pages)',
    query: alertDeliveryQuerySchema,
  })
  list(@Req() req: AuthedRequest, @Query() query: unknown) {
    return this.alerts.deliveries(
      orgOf(req).organizationId,
      parseQuery(alertDeliveryQuerySchema, query),
    );
  }
}

/** Scheduled PDF reports mailed to recipients through the outbox. */
@Controller('v1/orgs/:orgId/report-schedules')
@UseGuards(SessionGuard, OrgGuard)
export class ReportSchedulesController {
  constructor(private readonly alerts: AlertsService) {}

  @Get()
  @Doc({ tag: 'alerts', auth: 'org', summary: 'Scheduled reports, with their next run' })
  list(@Req() req: AuthedRequest) {
    return this.alerts.schedules(orgOf(req).organizationId);
  }

  @Post()
  @MinRole('admin')
  @Doc({
    tag: 'alerts',
    auth: 'org',
    minRole: 'admin',
    summary: 'Schedule a weekly (Mondays) or monthly (the 1st) PDF report to recipients (audited)',
    body: createReportScheduleSchema,
    status: 201,
  })
  create(@Req() req: AuthedRequest, @Body() body: unknown) {
    return this.alerts.createSchedule(actorOf(req), parseBody(createReportScheduleSchema, body));
  }

  @Patch(':scheduleId')
  @MinRole('admin')
  @Doc({
    tag: 'alerts',
    auth: 'org',
    minRole: 'admin',
    summary: 'Change a report schedule (audited)',
    body: updateReportScheduleSchema,
  })
  update(@Req() req: AuthedRequest, @Param('scheduleId') id: string, @Body() body: unknown) {
    return this.alerts.updateSchedule(
      actorOf(req),
      uuidOr404(id, 'report schedule'),
      parseBody(updateReportScheduleSchema, body),
    );
  }

  @Delete(':scheduleId')
  @MinRole('admin')
  @Doc({
    tag: 'alerts',
    auth: 'org',
    minRole: 'admin',
    summary: 'Delete a report schedule (audited)',
  })
  remove(@Req() req: AuthedRequest, @Param('scheduleId') id: string) {
    return this.alerts.deleteSchedule(actorOf(req), uuidOr404(id, 'report schedule'));
  }
}
