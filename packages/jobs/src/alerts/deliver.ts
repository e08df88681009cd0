import {
  ALERT_RULE_DEFAULTS,
  type AlertRuleKind,
  type AlertWebhookBody,
} from '@plumbline/contracts';
import type { Database, DeliveryWork } from '@plumbline/db';
import { EgressRefusedError } from '../agentless/egress.js';
import { openSecret, SealError, type Keyring } from '../agentless/sealing.js';
import { enqueueEmail, type EmailJobSender } from '../mail/outbox.js';
import { PermanentJobError, RETRY_POLICY, type JobHandler } from '../port.js';
import { appLink } from './links.js';
import { postWebhook, signWebhook, type WebhookTarget } from './webhook.js';

/** What `alert.deliver` needs besides the database. */
export interface AlertDeliverySettings {
  /** Opens webhook secrets (PLUMBLINE_ENCRYPTION_KEY); null: webhook deliveries fail. */
  keyring: Keyring | null;
  /**
   * Where webhooks may go: the agentless egress guard's policy (AGENTLESS_ALLOWED_CIDRS; empty by
   * default, so private, loopback, link-local and metadata addresses are refused). Tests pass an
   * explicit allowlist (127.0.0.1/32) for their in-process receiver; nothing else does.
   */
  webhook: WebhookTarget;
  /** Queues `email.send` for the outbox rows of email channels. */
  sendEmail?: EmailJobSender | undefined;
  /** Base URL of the web app, for links in messages. */
  appUrl?: string | undefined;
}

/** The job id of a delivery (one job per delivery). */
export const alertDeliveryJobId = (deliveryId: string): string => `alert-${deliveryId}`;

/** The message of a delivery, as every channel words it. */
export interface AlertMessage {
  title: string;
  summary: string;
  details: Record<string, unknown>;
}

function messageOf(work: DeliveryWork): AlertMessage {
  if (!work.event)
    return {
      title: 'Plumbline test alert',
      summary: `This is a test from Plumbline to the channel "${work.channel.name}". Alerts will arrive like this.`,
      details: {},
    };
  const p = (work.event.payload ?? {}) as Partial<AlertMessage>;
  return {
    title: typeof p.title === 'string' ? p.title : ALERT_RULE_DEFAULTS[work.event.ruleKind].title,
    summary: typeof p.summary === 'string' ? p.summary : '',
    details: p.details && typeof p.details === 'object' ? p.details : {},
  };
}

export function webhookBody(work: DeliveryWork, msg: AlertMessage, now: Date): AlertWebhookBody {
  return {
    type: work.event ? 'alert.fired' : 'alert.test',
    timestamp: now.toISOString(),
    data: {
      organizationId: work.organizationId,
      eventId: work.event?.id ?? null,
      rule: (work.event?.ruleKind ?? null) as AlertRuleKind | null,
      title: msg.title,
      summary: msg.summary,
      details: msg.details,
    },
  };
}

/** A Slack incoming-webhook payload (also understood by Mattermost, Rocket.Chat, Discord /slack). */
export function slackPayload(
  msg: AlertMessage,
  link?: string,
): { text: string; blocks: unknown[] } {
  const text = `*${msg.title}*\n${msg.summary}`;
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: msg.title.slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: msg.summary.slice(0, 2900) || ' ' } },
      ...(link
        ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `<${link}|Open in Plumbline>` }] }]
        : []),
    ],
  };
}

class DeliveryError extends Error {
  constructor(
    message: string,
    public readonly status: number | null,
    public readonly permanent: boolean,
  ) {
    super(message);
  }
}

async function send(
  db: Database,
  work: DeliveryWork,
  settings: AlertDeliverySettings,
  log: Parameters<JobHandler<'alert.deliver'>['run']>[1]['log'],
): Promise<number | null> {
  const msg = messageOf(work);
  const channel = work.channel;
  const now = new Date();
  const link = settings.appUrl
    ? appLink(settings.appUrl, work.organizationId, '/settings/notifications')
    : undefined;
  if (channel.kind === 'email') {
    if (!settings.sendEmail)
      throw new DeliveryError('mail is not configured for alerts', null, true);
    for (const to of channel.emails)
      await enqueueEmail(
        db,
        settings.sendEmail,
        {
          organizationId: work.organizationId,
          to,
          kind: work.test ? 'test' : 'alert',
          subject: `[Plumbline] ${msg.title}`.replace(/[\r\n]+/g, ' ').slice(0, 200),
          text: `${msg.summary}\n\n${link ? `Manage alerts: ${link}\n` : ''}`,
        },
        log,
      );
    return null;
  }
  if (!channel.url) throw new DeliveryError('the channel has no URL', null, true);
  try {
    if (channel.kind === 'slack')
      return await postWebhook(
        channel.url,
        {},
        JSON.stringify(slackPayload(msg, link)),
        settings.webhook,
      );
    if (!settings.keyring || !channel.secretCiphertext)
      throw new DeliveryError(
        'webhook secrets cannot be opened: PLUMBLINE_ENCRYPTION_KEY is not set',
        null,
        true,
      );
    const secret = openSecret(settings.keyring, channel.secretCiphertext, {
      organizationId: work.organizationId,
      channelId: channel.id,
      field: 'webhookSecret',
    });
    const body = JSON.stringify(webhookBody(work, msg, now));
    // The same message id on every attempt: receivers de-duplicate by it.
    const id = `msg_${work.id}`;
    const timestamp = Math.floor(now.getTime() / 1000);
    return await postWebhook(
      channel.url,
      {
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(secret, id, timestamp, body),
      },
      body,
      settings.webhook,
    );
  } catch (e) {
    if (e instanceof DeliveryError) throw e;
    if (e instanceof EgressRefusedError)
      throw new DeliveryError(`the URL is refused: ${e.message}`, null, true);
    if (e instanceof SealError) throw new DeliveryError(e.message, null, true);
    const status = (e as { status?: number | null }).status ?? null;
    throw new DeliveryError((e as Error).message, status, false);
  }
}

/**
 * `alert.deliver` {organizationId, deliveryId}: send one alert (or a test) to one channel. Each
 * attempt is counted on the delivery with its error and the receiver's status; failures are
 * retried with exponential back-off (the queue's attempts), a refused URL fails at once. Email
 * channels put one outbox mail per address (the outbox delivers and retries them). A delivery
 * that is delivered or failed is never sent again.
 */
export function alertDeliverHandler(
  db: Database,
  settings: AlertDeliverySettings,
): JobHandler<'alert.deliver'> {
  return {
    name: 'alert.deliver',
    async run({ payload }, ctx) {
      const { organizationId, deliveryId } = payload;
      const work = await db.alerts.startAttempt(organizationId, deliveryId);
      if (!work) {
        const row = await db.alerts.getDelivery(organizationId, deliveryId);
        if (!row) throw new PermanentJobError(`alert delivery ${deliveryId} not found`);
        ctx.log.info({ deliveryId, status: row.status }, 'alert delivery not sent again');
        return;
      }
      try {
        const status = await send(db, work, settings, ctx.log);
        await db.alerts.markDelivered(organizationId, deliveryId, status);
        ctx.log.info(
          { deliveryId, channel: work.channel.kind, status, attempts: work.attempts },
          'alert delivered',
        );
      } catch (e) {
        const err =
          e instanceof DeliveryError ? e : new DeliveryError((e as Error).message, null, false);
        const final = err.permanent || ctx.attempt >= RETRY_POLICY.attempts;
        await db.alerts.markFailed(organizationId, deliveryId, err.message, err.status, final);
        ctx.log.warn(
          { deliveryId, channel: work.channel.kind, final, err: err.message },
          'alert not delivered',
        );
        throw err.permanent ? new PermanentJobError(err.message) : err;
      }
    },
    async onFinalFailure({ payload }, err) {
      await db.alerts.markFailed(
        payload.organizationId,
        payload.deliveryId,
        err.message,
        null,
        true,
      );
    },
  };
}
