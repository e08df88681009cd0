import { Inject, Injectable } from '@nestjs/common';
import {
  ALERT_RULE_DEFAULTS,
  ALERT_RULE_KINDS,
  DEFAULT_ALERT_COOLDOWN_MINUTES,
  nextReportRun,
  type AlertChannelView,
  type AlertDeliveryPage,
  type AlertRuleView,
  type CreateAlertChannelRequest,
  type CreatedAlertChannelView,
  type ReportScheduleView,
} from '@plumbline/contracts';
import {
  DuplicateAlertChannelNameError,
  type AlertChannel,
  type Database,
  type ReportSchedule,
} from '@plumbline/db';
import {
  ALERT_WEBHOOK_TIMEOUT_MS,
  alertDeliveryJobId,
  checkWebhookUrl,
  EgressRefusedError,
  generateWebhookSecret,
  NO_KEY_MESSAGE,
  sealSecret,
  type AgentlessSettings,
  type JobQueue,
} from '@plumbline/jobs';
import { randomUUID } from 'node:crypto';
import { AuditService, type Actor } from '../common/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { AGENTLESS, DATABASE, JOB_QUEUE } from '../common/tokens.js';

type ChannelRow = Omit<AlertChannel, 'secretCiphertext'>;

function channelView(c: ChannelRow): AlertChannelView {
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    emails: c.emails,
    url: c.url,
    enabled: c.enabled,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

function scheduleView(s: ReportSchedule): ReportScheduleView {
  return {
    id: s.id,
    cadence: s.cadence,
    recipients: s.recipients,
    paperSize: s.paperSize,
    enabled: s.enabled,
    lastRunAt: s.lastRunAt?.toISOString() ?? null,
    nextRunAt: s.nextRunAt.toISOString(),
    createdAt: s.createdAt.toISOString(),
  };
}

/**
 * Alert rules, channels (webhook URLs checked by the agentless egress guard at save time, the
 * webhook secret generated, sealed and shown once), test sends and the delivery log, and
 * scheduled reports. Every write is audited; every read and write is scoped by organisation.
 */
@Injectable()
export class AlertsService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(AGENTLESS) private readonly settings: AgentlessSettings,
    private readonly audits: AuditService,
  ) {}

  // ---- rules ----

  async rules(organizationId: string): Promise<AlertRuleView[]> {
    const stored = new Map(
      (await this.db.alerts.listRules(organizationId)).map((r) => [r.kind, r]),
    );
    return ALERT_RULE_KINDS.map((kind) => {
      const r = stored.get(kind);
      const d = ALERT_RULE_DEFAULTS[kind];
      return {
        kind,
        title: d.title,
        enabled: r?.enabled ?? false,
        threshold: d.threshold ? (r?.threshold ?? d.threshold.default) : null,
        thresholdMeaning: d.threshold?.meaning ?? null,
        cooldownMinutes: r?.cooldownMinutes ?? DEFAULT_ALERT_COOLDOWN_MINUTES,
      };
    });
  }

  async putRules(
    actor: Actor,
    rules: {
      kind: (typeof ALERT_RULE_KINDS)[number];
      enabled: boolean;
      threshold?: number | null | undefined;
      cooldownMinutes?: number | undefined;
    }[],
  ): Promise<AlertRuleView[]> {
    const current = new Map((await this.rules(actor.organizationId)).map((r) => [r.kind, r]));
    await this.db.alerts.putRules(
      actor.organizationId,
      rules.map((r) => ({
        kind: r.kind,
        enabled: r.enabled,
        threshold: ALERT_RULE_DEFAULTS[r.kind].threshold
          ? (r.threshold ?? current.get(r.kind)!.threshold)
          : null,
        cooldownMinutes: r.cooldownMinutes ?? current.get(r.kind)!.cooldownMinutes,
      })),
    );
    await this.audits.record(actor, 'alert_rules.update', 'organization', actor.organizationId, {
      rules: rules.map((r) => ({
        kind: r.kind,
        enabled: r.enabled,
        threshold: r.threshold ?? null,
      })),
    });
    return this.rules(actor.organizationId);
  }

  // ---- channels ----

  /** The egress guard at save time (the job checks again before each send, after DNS). */
  private async checkUrl(url: string): Promise<void> {
    try {
      await checkWebhookUrl(url, {
        egress: this.settings.egress,
        resolve: this.settings.resolve,
        timeoutMs: Math.min(this.settings.limits.connectTimeoutMs, ALERT_WEBHOOK_TIMEOUT_MS),
      });
    } catch (e) {
      if (e instanceof EgressRefusedError)
        throw new DomainError('validation_failed', `the URL is refused: ${e.message}`);
      throw e;
    }
  }

  async channels(organizationId: string): Promise<AlertChannelView[]> {
    return (await this.db.alerts.listChannels(organizationId)).map(channelView);
  }

  private async channel(organizationId: string, id: string): Promise<ChannelRow> {
    const c = await this.db.alerts.getChannel(organizationId, id);
    if (!c) throw new DomainError('not_found', 'alert channel not found');
    return c;
  }

  async createChannel(
    actor: Actor,
    body: CreateAlertChannelRequest,
  ): Promise<CreatedAlertChannelView> {
    const organizationId = actor.organizationId;
    const id = randomUUID();
    let secret: string | null = null;
    let secretCiphertext: Uint8Array<ArrayBuffer> | null = null;
    if (body.kind !== 'email') await this.checkUrl(body.url);
    if (body.kind === 'webhook') {
      if (!this.settings.keyring) throw new DomainError('unavailable', NO_KEY_MESSAGE);
      secret = generateWebhookSecret();
      secretCiphertext = sealSecret(this.settings.keyring, secret, {
        organizationId,
        channelId: id,
        field: 'webhookSecret',
      });
    }
    let row: ChannelRow;
    try {
      row = await this.db.alerts.createChannel({
        id,
        organizationId,
        kind: body.kind,
        name: body.name,
        emails: body.kind === 'email' ? body.emails : [],
        url: body.kind === 'email' ? null : body.url.trim(),
        secretCiphertext,
        createdById: actor.userId,
      });
    } catch (e) {
      if (e instanceof DuplicateAlertChannelNameError) throw new DomainError('conflict', e.message);
      throw e;
    }
    await this.audits.record(actor, 'alert_channel.create', 'alert_channel', id, {
      kind: body.kind,
      name: body.name,
    });
    return { ...channelView(row), secret };
  }

  async updateChannel(
    actor: Actor,
    id: string,
    body: { name?: string; enabled?: boolean; emails?: string[]; url?: string },
  ): Promise<AlertChannelView> {
    const current = await this.channel(actor.organizationId, id);
    if (body.emails !== undefined && current.kind !== 'email')
      throw new DomainError('validation_failed', 'only email channels have recipients');
    if (body.url !== undefined) {
      if (current.kind === 'email')
        throw new DomainError('validation_failed', 'email channels have no URL');
      await this.checkUrl(body.url);
    }
    let row: ChannelRow | null;
    try {
      row = await this.db.alerts.updateChannel(actor.organizationId, id, {
        ...body,
        url: body.url?.trim(),
      });
    } catch (e) {
      if (e instanceof DuplicateAlertChannelNameError) throw new DomainError('conflict', e.message);
      throw e;
    }
    if (!row) throw new DomainError('not_found', 'alert channel not found');
    await this.audits.record(actor, 'alert_channel.update', 'alert_channel', id, {
      changed: Object.keys(body),
    });
    return channelView(row);
  }

  async deleteChannel(actor: Actor, id: string): Promise<{ deleted: true }> {
    if (!(await this.db.alerts.deleteChannel(actor.organizationId, id)))
      throw new DomainError('not_found', 'alert channel not found');
    await this.audits.record(actor, 'alert_channel.delete', 'alert_channel', id);
    return { deleted: true };
  }

  /** "Send test": a test delivery queued as `alert.deliver`; its outcome shows in the log. */
  async sendTest(actor: Actor, id: string): Promise<{ deliveryId: string }> {
    const c = await this.channel(actor.organizationId, id);
    if (c.kind !== 'email' && c.url) await this.checkUrl(c.url);
    const d = await this.db.alerts.createTestDelivery(actor.organizationId, id);
    await this.queue.enqueue(
      'alert.deliver',
      { organizationId: actor.organizationId, deliveryId: d.id },
      {
        jobId: alertDeliveryJobId(d.id),
        ...(actor.requestId ? { requestId: actor.requestId } : {}),
      },
    );
    await this.audits.record(actor, 'alert_channel.test', 'alert_channel', id, {
      deliveryId: d.id,
    });
    return { deliveryId: d.id };
  }

  async deliveries(
    organizationId: string,
    query: { cursor?: string | undefined; limit: number },
  ): Promise<AlertDeliveryPage> {
    if (query.cursor && !(await this.db.alerts.hasDelivery(organizationId, query.cursor)))
      throw new DomainError('validation_failed', 'cursor is not a delivery of this organisation');
    const rows = await this.db.alerts.deliveryPage(organizationId, query.limit + 1, query.cursor);
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((d) => ({
        id: d.id,
        channelId: d.channelId,
        channelName: d.channel.name,
        channelKind: d.channel.kind,
        eventId: d.eventId,
        ruleKind: d.event?.ruleKind ?? null,
        test: d.test,
        status: d.status,
        attempts: d.attempts,
        lastError: d.lastError,
        responseStatus: d.responseStatus,
        createdAt: d.createdAt.toISOString(),
        deliveredAt: d.deliveredAt?.toISOString() ?? null,
      })),
      nextCursor: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null,
    };
  }

  // ---- report schedules ----

  async schedules(organizationId: string): Promise<ReportScheduleView[]> {
    return (await this.db.alerts.listSchedules(organizationId)).map(scheduleView);
  }

  async createSchedule(
    actor: Actor,
    body: {
      cadence: 'weekly' | 'monthly';
      recipients: string[];
      paperSize: string;
      enabled: boolean;
    },
  ): Promise<ReportScheduleView> {
    const row = await this.db.alerts.createSchedule({
      organizationId: actor.organizationId,
      ...body,
      nextRunAt: nextReportRun(body.cadence, new Date()),
      createdById: actor.userId,
    });
    await this.audits.record(actor, 'report_schedule.create', 'report_schedule', row.id, {
      cadence: body.cadence,
      recipients: body.recipients.length,
    });
    return scheduleView(row);
  }

  async updateSchedule(
    actor: Actor,
    id: string,
    body: {
      cadence?: 'weekly' | 'monthly' | undefined;
      recipients?: string[] | undefined;
      paperSize?: string | undefined;
      enabled?: boolean | undefined;
    },
  ): Promise<ReportScheduleView> {
    const row = await this.db.alerts.updateSchedule(actor.organizationId, id, {
      ...body,
      nextRunAt: body.cadence ? nextReportRun(body.cadence, new Date()) : undefined,
    });
    if (!row) throw new DomainError('not_found', 'report schedule not found');
    await this.audits.record(actor, 'report_schedule.update', 'report_schedule', id, {
      changed: Object.keys(body),
    });
    return scheduleView(row);
  }

  async deleteSchedule(actor: Actor, id: string): Promise<{ deleted: true }> {
    if (!(await this.db.alerts.deleteSchedule(actor.organizationId, id)))
      throw new DomainError('not_found', 'report schedule not found');
    await this.audits.record(actor, 'report_schedule.delete', 'report_schedule', id);
    return { deleted: true };
  }
}
