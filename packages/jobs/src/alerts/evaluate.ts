import type { OrgRollupResult } from '@plumbline/analysis';
import {
  ALERT_RULE_DEFAULTS,
  ALERT_RULE_KINDS,
  DEFAULT_ALERT_COOLDOWN_MINUTES,
  type AlertRuleKind,
} from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import type { FollowUp, JobLogger } from '../port.js';
import { alertDeliveryJobId, type AlertMessage } from './deliver.js';

/**
 * Alert evaluation, run by the organisation roll-up after it stored the new views. It compares
 * what the new roll-up shows with the state the previous evaluation stored (AlertState: levels,
 * agent, MCP server and finding ids, the tax), fires the enabled rules whose condition holds,
 * and stores the new state. An event is recorded once per stable key (rule + subject) within the
 * rule's cool-down, with one delivery per enabled channel; the deliveries are queued as
 * `alert.deliver` jobs. The first evaluation of an organisation only stores the state (nothing
 * is "new" before there is something to compare with).
 */

export const ALERT_STATE_VERSION = 1;

/** What one evaluation compares with the next. */
export interface AlertState {
  v: typeof ALERT_STATE_VERSION;
  orgLevel: number | null;
  /** Maturity pillars (`maturity/<id>`) and accountability pillars (`agents/<pillar>`). */
  pillars: Record<string, { name: string; level: number }>;
  shadowAgents: string[];
  mcpServers: string[];
  exposedAgents: string[];
  criticalFindings: string[];
  taxCents: number | null;
}

/** Most events one evaluation records per rule (a first scan of a big fleet is not a storm). */
const MAX_EVENTS_PER_RULE = 20;

export function alertStateOf(rollup: OrgRollupResult): AlertState {
  const pillars: AlertState['pillars'] = {};
  for (const p of rollup.maturity?.pillars ?? [])
    pillars[`maturity/${p.id}`] = { name: p.name, level: p.level };
  for (const p of rollup.agents.pillars)
    if (p.level !== null) pillars[`agents/${p.pillar}`] = { name: p.name, level: p.level };
  const items = rollup.agents.items;
  const key = (i: { cluster: string; ref: string }) => `${i.cluster}/${i.ref}`;
  return {
    v: ALERT_STATE_VERSION,
    orgLevel: rollup.maturity?.level ?? null,
    pillars,
    shadowAgents: items
      .filter((i) => i.kind === 'agent' && !i.registered)
      .map(key)
      .sort(),
    mcpServers: items
      .filter((i) => i.kind === 'mcp-server')
      .map(key)
      .sort(),
    exposedAgents: items
      .filter((i) => i.kind === 'agent' && (i.exposure?.paths.length ?? 0) > 0)
      .map(key)
      .sort(),
    criticalFindings: rollup.agents.findings
      .filter((f) => f.severity === 'critical')
      .map((f) => `${f.cluster}/${f.id}`)
      .sort(),
    taxCents: rollup.integrationTax?.totalCents ?? null,
  };
}

function parseState(raw: unknown): AlertState | null {
  if (!raw || typeof raw !== 'object') return null;
  const s = raw as Partial<AlertState>;
  if (s.v !== ALERT_STATE_VERSION || !s.pillars || !Array.isArray(s.shadowAgents)) return null;
  return s as AlertState;
}

export interface FiredAlert {
  kind: AlertRuleKind;
  dedupeKey: string;
  message: AlertMessage;
}

export interface EffectiveRule {
  kind: AlertRuleKind;
  enabled: boolean;
  threshold: number | null;
  cooldownMinutes: number;
}

/** Every kind, with the stored rule or the default (off). */
export async function effectiveRules(
  db: Database,
  organizationId: string,
): Promise<Map<AlertRuleKind, EffectiveRule>> {
  const stored = new Map((await db.alerts.listRules(organizationId)).map((r) => [r.kind, r]));
  return new Map(
    ALERT_RULE_KINDS.map((kind) => {
      const r = stored.get(kind);
      return [
        kind,
        {
          kind,
          enabled: r?.enabled ?? false,
          threshold: r?.threshold ?? ALERT_RULE_DEFAULTS[kind].threshold?.default ?? null,
          cooldownMinutes: r?.cooldownMinutes ?? DEFAULT_ALERT_COOLDOWN_MINUTES,
        },
      ];
    }),
  );
}

const added = (prev: readonly string[], next: readonly string[]) => {
  const had = new Set(prev);
  return next.filter((x) => !had.has(x));
};

/** The alerts the change from `prev` to `next` fires under `rules` (pure). */
export function compareStates(
  prev: AlertState,
  next: AlertState,
  rules: Map<AlertRuleKind, EffectiveRule>,
): FiredAlert[] {
  const out: FiredAlert[] = [];
  const on = (k: AlertRuleKind) => rules.get(k)?.enabled === true;
  const threshold = (k: AlertRuleKind) => rules.get(k)?.threshold ?? 0;
  if (on('level_drop')) {
    const min = Math.max(1, threshold('level_drop'));
    if (prev.orgLevel !== null && next.orgLevel !== null && prev.orgLevel - next.orgLevel >= min)
      out.push({
        kind: 'level_drop',
        dedupeKey: 'level_drop:org',
        message: {
          title: `Organisation maturity dropped to level ${next.orgLevel}`,
          summary: `The organisation's maturity level went from ${prev.orgLevel} to ${next.orgLevel}.`,
          details: { subject: 'organisation', from: prev.orgLevel, to: next.orgLevel },
        },
      });
    for (const [id, p] of Object.entries(next.pillars)) {
      const before = prev.pillars[id];
      if (before && before.level - p.level >= min)
        out.push({
          kind: 'level_drop',
          dedupeKey: `level_drop:${id}`,
          message: {
            title: `${p.name} dropped to level ${p.level}`,
            summary: `The ${p.name} pillar went from level ${before.level} to ${p.level}.`,
            details: { subject: id, from: before.level, to: p.level },
          },
        });
    }
  }
  const appeared = (
    kind: AlertRuleKind,
    prevIds: readonly string[],
    nextIds: readonly string[],
    what: string,
  ) => {
    if (!on(kind)) return;
    for (const id of added(prevIds, nextIds).slice(0, MAX_EVENTS_PER_RULE))
      out.push({
        kind,
        dedupeKey: `${kind}:${id}`,
        message: {
          title: `New ${what}: ${id}`,
          summary: `The latest scan found a new ${what}: ${id}.`,
          details: { subject: id },
        },
      });
  };
  appeared('new_shadow_agent', prev.shadowAgents, next.shadowAgents, 'shadow agent');
  appeared('new_mcp_server', prev.mcpServers, next.mcpServers, 'MCP server');
  appeared('new_exposed_agent', prev.exposedAgents, next.exposedAgents, 'exposed agent');
  appeared('critical_finding', prev.criticalFindings, next.criticalFindings, 'critical finding');
  if (on('tax_rise') && prev.taxCents !== null && next.taxCents !== null && prev.taxCents > 0) {
    const pct = ((next.taxCents - prev.taxCents) / prev.taxCents) * 100;
    if (pct > threshold('tax_rise'))
      out.push({
        kind: 'tax_rise',
        dedupeKey: 'tax_rise:org',
        message: {
          title: `The integration tax rose ${pct.toFixed(1)}%`,
          summary: `The yearly integration tax went from ${(prev.taxCents / 100).toFixed(0)} to ${(next.taxCents / 100).toFixed(0)} (more than ${threshold('tax_rise')}%).`,
          details: { fromCents: prev.taxCents, toCents: next.taxCents, percent: pct },
        },
      });
  }
  return out;
}

/**
 * Record one fired alert (unless de-duplicated by its key within the cool-down) and queue its
 * deliveries. Returns the event id, or null when de-duplicated.
 */
export async function fireAlert(
  db: Database,
  organizationId: string,
  alert: FiredAlert,
  cooldownMinutes: number,
  followUp: FollowUp | undefined,
  log: JobLogger,
  now = new Date(),
): Promise<string | null> {
  const rec = await db.alerts.recordEvent(
    organizationId,
    {
      ruleKind: alert.kind,
      dedupeKey: alert.dedupeKey,
      payload: {
        title: alert.message.title,
        summary: alert.message.summary,
        details: JSON.parse(JSON.stringify(alert.message.details)) as Record<string, never>,
      },
    },
    cooldownMinutes * 60_000,
    now,
  );
  if (!rec) return null;
  for (const deliveryId of rec.deliveryIds) {
    try {
      await followUp?.('alert.deliver', { organizationId, deliveryId }, undefined, {
        jobId: alertDeliveryJobId(deliveryId),
      });
    } catch (e) {
      log.warn({ deliveryId, err: (e as Error).message }, 'alert delivery not queued');
    }
  }
  log.info(
    { organizationId, rule: alert.kind, eventId: rec.eventId, deliveries: rec.deliveryIds.length },
    'alert fired',
  );
  return rec.eventId;
}

/** Evaluate the rules against a new roll-up (see the file comment). Returns the event ids. */
export async function evaluateAlerts(
  db: Database,
  organizationId: string,
  rollup: OrgRollupResult,
  followUp: FollowUp | undefined,
  log: JobLogger,
  now = new Date(),
): Promise<string[]> {
  const next = alertStateOf(rollup);
  const prev = parseState(await db.alerts.getState(organizationId));
  await db.alerts.setState(organizationId, JSON.parse(JSON.stringify(next)) as object, now);
  if (!prev) return [];
  const rules = await effectiveRules(db, organizationId);
  const events: string[] = [];
  for (const alert of compareStates(prev, next, rules)) {
    const id = await fireAlert(
      db,
      organizationId,
      alert,
      rules.get(alert.kind)!.cooldownMinutes,
      followUp,
      log,
      now,
    );
    if (id) events.push(id);
  }
  return events;
}
