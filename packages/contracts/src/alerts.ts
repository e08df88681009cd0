import { z } from 'zod';
import { PAPER_SIZES } from './report.js';
import { text } from './text.js';

/**
 * Alerts: rules (what to watch), channels (where to send: email, a signed webhook following the
 * Standard Webhooks convention, or a Slack-compatible incoming webhook), the delivery log, and
 * scheduled PDF reports. Request bodies are validated here; responses are the `*View` types.
 */

export const ALERT_RULE_KINDS = [
  'level_drop',
  'new_shadow_agent',
  'new_mcp_server',
  'new_exposed_agent',
  'critical_finding',
  'scanner_silent',
  'suppression_expired',
  'tax_rise',
] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

/** What each rule's threshold means, its default and bounds; null: the kind takes none. */
export const ALERT_RULE_DEFAULTS: Record<
  AlertRuleKind,
  {
    title: string;
    threshold: { meaning: string; default: number; min: number; max: number } | null;
  }
> = {
  level_drop: {
    title: 'A pillar or the organisation level drops',
    threshold: { meaning: 'levels dropped (at least)', default: 1, min: 1, max: 5 },
  },
  new_shadow_agent: { title: 'A new shadow agent appears', threshold: null },
  new_mcp_server: { title: 'A new MCP server appears', threshold: null },
  new_exposed_agent: { title: 'A new exposed agent appears', threshold: null },
  critical_finding: { title: 'A critical finding appears', threshold: null },
  scanner_silent: {
    title: 'A scanner has not reported',
    threshold: { meaning: 'hours without a scan', default: 48, min: 1, max: 24 * 90 },
  },
  suppression_expired: { title: 'A suppression (risk acceptance) expires', threshold: null },
  tax_rise: {
    title: 'The integration tax rises',
    threshold: { meaning: 'percent rise (more than)', default: 10, min: 0, max: 10_000 },
  },
};

export const DEFAULT_ALERT_COOLDOWN_MINUTES = 1440;

export interface AlertRuleView {
  kind: AlertRuleKind;
  title: string;
  enabled: boolean;
  threshold: number | null;
  thresholdMeaning: string | null;
  cooldownMinutes: number;
}

const ruleInput = z
  .object({
    kind: z.enum(ALERT_RULE_KINDS),
    enabled: z.boolean(),
    threshold: z.number().finite().nullable().optional(),
    cooldownMinutes: z
      .number()
      .int()
      .min(0)
      .max(60 * 24 * 90)
      .optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const t = ALERT_RULE_DEFAULTS[r.kind].threshold;
    if (r.threshold === undefined || r.threshold === null) return;
    if (!t) ctx.addIssue({ code: 'custom', path: ['threshold'], message: `${r.kind} takes none` });
    else if (r.threshold < t.min || r.threshold > t.max)
      ctx.addIssue({
        code: 'custom',
        path: ['threshold'],
        message: `${r.kind}: between ${t.min} and ${t.max} (${t.meaning})`,
      });
  });

export const putAlertRulesSchema = z
  .object({ rules: z.array(ruleInput).min(1).max(ALERT_RULE_KINDS.length) })
  .strict()
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    for (const r of b.rules) {
      if (seen.has(r.kind))
        ctx.addIssue({ code: 'custom', path: ['rules'], message: `${r.kind} appears twice` });
      seen.add(r.kind);
    }
  });
export type PutAlertRulesRequest = z.input<typeof putAlertRulesSchema>;

export const ALERT_CHANNEL_KINDS = ['email', 'webhook', 'slack'] as const;
export type AlertChannelKind = (typeof ALERT_CHANNEL_KINDS)[number];

export const ALERT_CHANNEL_LIMITS = { name: 100, emails: 20, url: 2000 } as const;

const channelName = text().trim().min(1).max(ALERT_CHANNEL_LIMITS.name);
const emails = z.array(z.email().max(254).toLowerCase()).min(1).max(ALERT_CHANNEL_LIMITS.emails);
const url = text().trim().min(1).max(ALERT_CHANNEL_LIMITS.url);

export const createAlertChannelSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('email'), name: channelName, emails }).strict(),
  z.object({ kind: z.literal('webhook'), name: channelName, url }).strict(),
  z.object({ kind: z.literal('slack'), name: channelName, url }).strict(),
]);
export type CreateAlertChannelRequest = z.input<typeof createAlertChannelSchema>;

export const updateAlertChannelSchema = z
  .object({
    name: channelName.optional(),
    enabled: z.boolean().optional(),
    emails: emails.optional(),
    url: url.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });
export type UpdateAlertChannelRequest = z.input<typeof updateAlertChannelSchema>;

export interface AlertChannelView {
  id: string;
  kind: AlertChannelKind;
  name: string;
  emails: string[];
  url: string | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The answer of a webhook channel's creation: the only time its secret is shown. */
export interface CreatedAlertChannelView extends AlertChannelView {
  /** `whsec_<base64>` (Standard Webhooks); webhook channels only, shown once. */
  secret: string | null;
}

export const ALERT_DELIVERY_STATUSES = ['queued', 'delivered', 'failed'] as const;
export type AlertDeliveryStatus = (typeof ALERT_DELIVERY_STATUSES)[number];

export interface AlertDeliveryView {
  id: string;
  channelId: string;
  channelName: string;
  channelKind: AlertChannelKind;
  eventId: string | null;
  ruleKind: AlertRuleKind | null;
  test: boolean;
  status: AlertDeliveryStatus;
  attempts: number;
  lastError: string | null;
  responseStatus: number | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface AlertDeliveryPage {
  items: AlertDeliveryView[];
  nextCursor: string | null;
}

/** The body of a webhook delivery (JSON; Slack channels get `{text, blocks}` instead). */
export interface AlertWebhookBody {
  type: 'alert.fired' | 'alert.test';
  timestamp: string;
  data: {
    organizationId: string;
    eventId: string | null;
    rule: AlertRuleKind | null;
    title: string;
    summary: string;
    details: Record<string, unknown>;
  };
}

export const REPORT_CADENCES = ['weekly', 'monthly'] as const;
export type ReportCadence = (typeof REPORT_CADENCES)[number];

const recipients = z.array(z.email().max(254).toLowerCase()).min(1).max(20);
const paperSize = z.enum(PAPER_SIZES);

export const createReportScheduleSchema = z
  .object({
    cadence: z.enum(REPORT_CADENCES),
    recipients,
    paperSize: paperSize.default('A4'),
    enabled: z.boolean().default(true),
  })
  .strict();
export type CreateReportScheduleRequest = z.input<typeof createReportScheduleSchema>;

export const updateReportScheduleSchema = z
  .object({
    cadence: z.enum(REPORT_CADENCES).optional(),
    recipients: recipients.optional(),
    paperSize: paperSize.optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });
export type UpdateReportScheduleRequest = z.input<typeof updateReportScheduleSchema>;

export interface ReportScheduleView {
  id: string;
  cadence: ReportCadence;
  recipients: string[];
  paperSize: string;
  enabled: boolean;
  lastRunAt: string | null;
  nextRunAt: string;
  createdAt: string;
}

/** The next run of a schedule after `from`: Monday 06:00 UTC, or the 1st of the month. */
export function nextReportRun(cadence: ReportCadence, from: Date): Date {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate(), 6));
  if (cadence === 'weekly') {
    const add = (8 - d.getUTCDay()) % 7 || 7;
    d.setUTCDate(d.getUTCDate() + add);
    return d;
  }
  return new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1, 6));
}

/** Query of the delivery log: newest first, `limit` per page after `cursor`. */
export const alertDeliveryQuerySchema = z
  .object({
    cursor: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();
