import { Prisma } from '../generated/prisma/client.js';
import type {
  AlertChannel,
  AlertChannelKind,
  AlertDelivery,
  AlertRule,
  AlertRuleKind,
  PrismaClient,
  ReportCadence,
  ReportSchedule,
} from '../generated/prisma/client.js';

/** Longest error text kept on a delivery. */
const MAX_ERROR = 1000;

export class DuplicateAlertChannelNameError extends Error {
  constructor(name: string) {
    super(`an alert channel named "${name}" already exists`);
    this.name = 'DuplicateAlertChannelNameError';
  }
}

export interface NewAlertChannel {
  /** Chosen by the caller: the sealed secret is bound to it. */
  id: string;
  organizationId: string;
  kind: AlertChannelKind;
  name: string;
  emails: string[];
  url: string | null;
  secretCiphertext: Uint8Array<ArrayBuffer> | null;
  createdById: string | null;
}

export interface AlertChannelChanges {
  name?: string | undefined;
  enabled?: boolean | undefined;
  emails?: string[] | undefined;
  url?: string | undefined;
}

export interface AlertRuleInput {
  kind: AlertRuleKind;
  enabled: boolean;
  threshold: number | null;
  cooldownMinutes: number;
}

/** A delivery with what its job needs: the channel (with its sealed secret) and the event. */
export type DeliveryWork = AlertDelivery & {
  channel: AlertChannel;
  event: { id: string; ruleKind: AlertRuleKind; payload: Prisma.JsonValue; createdAt: Date } | null;
};

export type DeliveryLogRow = AlertDelivery & {
  channel: { name: string; kind: AlertChannelKind };
  event: { ruleKind: AlertRuleKind } | null;
};

const channelView = { secretCiphertext: false } as const;

/**
 * Alert rules, channels, events and deliveries. Every read and write is scoped by organisation;
 * the system reads of the repeating tick (`dueSchedules`) return ids and schedules only.
 */
export class AlertRepository {
  constructor(private readonly db: PrismaClient) {}

  // ---- rules ----

  listRules(organizationId: string): Promise<AlertRule[]> {
    return this.db.alertRule.findMany({ where: { organizationId }, orderBy: { kind: 'asc' } });
  }

  async putRules(organizationId: string, rules: readonly AlertRuleInput[]): Promise<void> {
    await this.db.$transaction(
      rules.map((r) =>
        this.db.alertRule.upsert({
          where: { organizationId_kind: { organizationId, kind: r.kind } },
          create: { organizationId, ...r },
          update: {
            enabled: r.enabled,
            threshold: r.threshold,
            cooldownMinutes: r.cooldownMinutes,
          },
        }),
      ),
    );
  }

  // ---- channels ----

  listChannels(organizationId: string) {
    return this.db.alertChannel.findMany({
      where: { organizationId },
      orderBy: { createdAt: 'asc' },
      omit: channelView,
    });
  }

  getChannel(organizationId: string, id: string) {
    return this.db.alertChannel.findFirst({ where: { id, organizationId }, omit: channelView });
  }

  /** Enabled channels of the organisation (the evaluation fans an event out to them). */
  enabledChannels(organizationId: string) {
    return this.db.alertChannel.findMany({
      where: { organizationId, enabled: true },
      select: { id: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  async createChannel(c: NewAlertChannel) {
    try {
      return await this.db.alertChannel.create({ data: c, omit: channelView });
    } catch (e) {
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002')
        throw new DuplicateAlertChannelNameError(c.name);
      throw e;
    }
  }

  /** Null when there is no such channel in the organisation. */
  async updateChannel(organizationId: string, id: string, changes: AlertChannelChanges) {
    const data: Prisma.AlertChannelUpdateManyMutationInput = {};
    if (changes.name !== undefined) data.name = changes.name;
    if (changes.enabled !== undefined) data.enabled = changes.enabled;
    if (changes.emails !== undefined) data.emails = changes.emails;
    if (changes.url !== undefined) data.url = changes.url;
    try {
      const r = await this.db.alertChannel.updateMany({ where: { id, organizationId }, data });
      if (r.count !== 1) return null;
    } catch (e) {
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002')
        throw new DuplicateAlertChannelNameError(changes.name ?? '');
      throw e;
    }
    return this.getChannel(organizationId, id);
  }

  /** Deletes the channel and its delivery log. False when there is none. */
  async deleteChannel(organizationId: string, id: string): Promise<boolean> {
    const r = await this.db.alertChannel.deleteMany({ where: { id, organizationId } });
    return r.count === 1;
  }

  // ---- events ----

  /** The newest event with this key since `since` (the cool-down check). */
  recentEvent(organizationId: string, dedupeKey: string, since: Date) {
    return this.db.alertEvent.findFirst({
      where: { organizationId, dedupeKey, createdAt: { gte: since } },
      orderBy: { createdAt: 'desc' },
      select: { id: true, createdAt: true },
    });
  }

  /**
   * Record an event and one queued delivery per enabled channel, in one transaction, unless an
   * event with the same key was recorded within the cool-down (then null: de-duplicated). The
   * organisation's alert state row is locked first, so two evaluations cannot both record it.
   */
  async recordEvent(
    organizationId: string,
    event: { ruleKind: AlertRuleKind; dedupeKey: string; payload: Prisma.InputJsonValue },
    cooldownMs: number,
    now = new Date(),
  ): Promise<{ eventId: string; deliveryIds: string[] } | null> {
    return this.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1 FROM "Organization" WHERE id = ${organizationId}::uuid FOR UPDATE`;
      const since = new Date(now.getTime() - cooldownMs);
      const recent = await tx.alertEvent.findFirst({
        where: { organizationId, dedupeKey: event.dedupeKey, createdAt: { gt: since } },
        select: { id: true },
      });
      if (recent) return null;
      const row = await tx.alertEvent.create({
        data: { organizationId, ...event, createdAt: now },
        select: { id: true },
      });
      const channels = await tx.alertChannel.findMany({
        where: { organizationId, enabled: true },
        select: { id: true },
      });
      const deliveryIds: string[] = [];
      for (const c of channels) {
        const d = await tx.alertDelivery.create({
          data: { organizationId, eventId: row.id, channelId: c.id },
          select: { id: true },
        });
        deliveryIds.push(d.id);
      }
      return { eventId: row.id, deliveryIds };
    });
  }

  listEvents(organizationId: string, take = 100) {
    return this.db.alertEvent.findMany({
      where: { organizationId },
      orderBy: { createdAt: 'desc' },
      take,
    });
  }

  // ---- evaluation state ----

  async getState(organizationId: string): Promise<Prisma.JsonValue | null> {
    const row = await this.db.alertState.findUnique({ where: { organizationId } });
    return row?.state ?? null;
  }

  async setState(organizationId: string, state: Prisma.InputJsonValue, now = new Date()) {
    await this.db.alertState.upsert({
      where: { organizationId },
      create: { organizationId, state, evaluatedAt: now },
      update: { state, evaluatedAt: now },
    });
  }

  // ---- deliveries ----

  createTestDelivery(organizationId: string, channelId: string): Promise<{ id: string }> {
    return this.db.alertDelivery.create({
      data: { organizationId, channelId, test: true },
      select: { id: true },
    });
  }

  /** The delivery with its channel and event; null when not in the organisation. */
  getDelivery(organizationId: string, id: string): Promise<DeliveryWork | null> {
    return this.db.alertDelivery.findFirst({
      where: { id, organizationId },
      include: {
        channel: true,
        event: { select: { id: true, ruleKind: true, payload: true, createdAt: true } },
      },
    });
  }

  /** Count one attempt of a queued delivery; null when it is delivered, failed or gone. */
  async startAttempt(organizationId: string, id: string): Promise<DeliveryWork | null> {
    const r = await this.db.alertDelivery.updateMany({
      where: { id, organizationId, status: 'queued' },
      data: { attempts: { increment: 1 } },
    });
    return r.count === 1 ? this.getDelivery(organizationId, id) : null;
  }

  async markDelivered(
    organizationId: string,
    id: string,
    responseStatus: number | null,
    now = new Date(),
  ): Promise<void> {
    await this.db.alertDelivery.updateMany({
      where: { id, organizationId, status: 'queued' },
      data: { status: 'delivered', responseStatus, deliveredAt: now, lastError: null },
    });
  }

  /** One attempt failed: keep the reason; `final` gives up (status failed). */
  async markFailed(
    organizationId: string,
    id: string,
    error: string,
    responseStatus: number | null | undefined,
    final: boolean,
  ): Promise<void> {
    await this.db.alertDelivery.updateMany({
      where: { id, organizationId, status: 'queued' },
      data: {
        lastError: error.slice(0, MAX_ERROR),
        ...(responseStatus !== undefined ? { responseStatus } : {}),
        ...(final ? { status: 'failed' } : {}),
      },
    });
  }

  /** System read of the reconciler: queued deliveries created before `olderThan` (ids only). */
  /** A delivery's status (null when it does not exist). */
  async deliveryStatus(organizationId: string, deliveryId: string): Promise<string | null> {
    const row = await this.db.alertDelivery.findFirst({
      where: { id: deliveryId, organizationId },
      select: { status: true },
    });
    return row?.status ?? null;
  }

  unfinishedDeliveries(olderThan: Date, take = 500) {
    return this.db.alertDelivery.findMany({
      where: { status: 'queued', createdAt: { lt: olderThan } },
      select: { id: true, organizationId: true },
      orderBy: { createdAt: 'asc' },
      take,
    });
  }

  /** The delivery log, newest first, `take` rows after the cursor (a delivery id). */
  deliveryPage(organizationId: string, take: number, cursor?: string): Promise<DeliveryLogRow[]> {
    return this.db.alertDelivery.findMany({
      where: { organizationId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      include: {
        channel: { select: { name: true, kind: true } },
        event: { select: { ruleKind: true } },
      },
    });
  }

  /** True when the cursor is a delivery of the organisation. */
  async hasDelivery(organizationId: string, id: string): Promise<boolean> {
    return (await this.db.alertDelivery.count({ where: { id, organizationId } })) === 1;
  }

  // ---- inputs of the repeating tick ----

  /** System read: organisations where a rule kind is on, with its settings. */
  enabledRules(kind: AlertRuleKind, take = 1000) {
    return this.db.alertRule.findMany({
      where: { kind, enabled: true },
      select: { organizationId: true, threshold: true, cooldownMinutes: true },
      orderBy: { organizationId: 'asc' },
      take,
    });
  }

  /** Each cluster of the organisation with its newest scan (null: none yet). */
  async clustersLastScan(organizationId: string) {
    const rows = await this.db.cluster.findMany({
      where: { organizationId },
      select: {
        id: true,
        name: true,
        createdAt: true,
        scans: { orderBy: { createdAt: 'desc' }, take: 1, select: { id: true, createdAt: true } },
      },
    });
    return rows.map((c) => ({
      id: c.id,
      name: c.name,
      createdAt: c.createdAt,
      lastScan: c.scans[0] ?? null,
    }));
  }

  /** Risk acceptances (suppressions) of the organisation that expired in (from, to], unrevoked. */
  expiredAcceptances(organizationId: string, from: Date, to: Date) {
    return this.db.riskAcceptance.findMany({
      where: { organizationId, revokedAt: null, expiresAt: { gt: from, lte: to } },
      select: { id: true, title: true, owner: true, expiresAt: true, clusterId: true },
      orderBy: { expiresAt: 'asc' },
      take: 100,
    });
  }

  // ---- report schedules ----

  listSchedules(organizationId: string): Promise<ReportSchedule[]> {
    return this.db.reportSchedule.findMany({
      where: { organizationId },
      orderBy: { createdAt: 'asc' },
    });
  }

  getSchedule(organizationId: string, id: string): Promise<ReportSchedule | null> {
    return this.db.reportSchedule.findFirst({ where: { id, organizationId } });
  }

  createSchedule(s: {
    organizationId: string;
    cadence: ReportCadence;
    recipients: string[];
    paperSize: string;
    enabled: boolean;
    nextRunAt: Date;
    createdById: string | null;
  }): Promise<ReportSchedule> {
    return this.db.reportSchedule.create({ data: s });
  }

  async updateSchedule(
    organizationId: string,
    id: string,
    changes: {
      cadence?: ReportCadence | undefined;
      recipients?: string[] | undefined;
      paperSize?: string | undefined;
      enabled?: boolean | undefined;
      nextRunAt?: Date | undefined;
    },
  ): Promise<ReportSchedule | null> {
    const data: Prisma.ReportScheduleUpdateManyMutationInput = {};
    for (const [k, v] of Object.entries(changes))
      if (v !== undefined) Object.assign(data, { [k]: v });
    const r = await this.db.reportSchedule.updateMany({ where: { id, organizationId }, data });
    return r.count === 1 ? this.getSchedule(organizationId, id) : null;
  }

  async deleteSchedule(organizationId: string, id: string): Promise<boolean> {
    const r = await this.db.reportSchedule.deleteMany({ where: { id, organizationId } });
    return r.count === 1;
  }

  /** System read of the tick: enabled schedules due at `now`. */
  dueSchedules(now: Date, take = 100): Promise<ReportSchedule[]> {
    return this.db.reportSchedule.findMany({
      where: { enabled: true, nextRunAt: { lte: now } },
      orderBy: { nextRunAt: 'asc' },
      take,
    });
  }

  /**
   * Take a due run: moves nextRunAt forward only if it is still `expected` (two ticks cannot both
   * run it). True when this caller took it.
   */
  async claimScheduleRun(
    organizationId: string,
    id: string,
    expected: Date,
    next: Date,
    now = new Date(),
  ): Promise<boolean> {
    const r = await this.db.reportSchedule.updateMany({
      where: { id, organizationId, nextRunAt: expected, enabled: true },
      data: { nextRunAt: next, lastRunAt: now },
    });
    return r.count === 1;
  }
}
