import type { RiskAcceptance, RiskTargetKind } from '@plumbline/contracts';
import { RISK_ACCEPTANCE_BOUNDS } from '../../../vocabulary';

/** Something a risk can be accepted for: a criterion (or cap) id, or a finding id. */
export interface RiskTarget {
  kind: RiskTargetKind;
  targetId: string;
}

/** The acceptance that applies to a row: an active one, or else one that expired. */
export interface RiskStatus {
  state: 'active' | 'expired';
  risk: RiskAcceptance;
}

/**
 * The criterion or cap a maturity finding comes from: its id is `maturity/<requirement>:<kind>`
 * (as the planner reads it). Null for accountability findings.
 */
export function requirementOfFinding(findingId: string): string | null {
  const m = /^maturity\/(.+):[a-z-]+$/.exec(findingId);
  return m ? m[1]! : null;
}

/** What a finding's acceptance can be: the finding itself, or the criterion or cap it comes from. */
export function findingTargets(findingId: string): RiskTarget[] {
  const requirement = requirementOfFinding(findingId);
  return [
    { kind: 'finding', targetId: findingId },
    ...(requirement ? [{ kind: 'criterion' as const, targetId: requirement }] : []),
  ];
}

/** Whether an acceptance is about this cluster: its own, or the organisation's (every cluster). */
export function appliesTo(r: RiskAcceptance, clusterId: string): boolean {
  return r.clusterId === null || r.clusterId === clusterId;
}

const latestFirst = (a: RiskAcceptance, b: RiskAcceptance) =>
  Date.parse(b.expiresAt) - Date.parse(a.expiresAt);

/**
 * The acceptance a row of `clusterId` shows: the active one that runs longest; with none active,
 * the one that expired last (the risk applies again, and says so). Revoked ones show nothing.
 */
export function riskStatus(
  risks: readonly RiskAcceptance[],
  clusterId: string,
  targets: readonly RiskTarget[],
): RiskStatus | null {
  const mine = risks.filter(
    (r) =>
      appliesTo(r, clusterId) &&
      targets.some((t) => t.kind === r.kind && t.targetId === r.targetId),
  );
  const active = mine.filter((r) => r.state === 'active').sort(latestFirst)[0];
  if (active) return { state: 'active', risk: active };
  const expired = mine.filter((r) => r.state === 'expired').sort(latestFirst)[0];
  return expired ? { state: 'expired', risk: expired } : null;
}

/**
 * The active acceptance behind a plan's accepted requirement (criterion or cap id): one of the
 * requirement itself, or of a maturity finding that comes from it.
 */
export function acceptanceOfRequirement(
  risks: readonly RiskAcceptance[],
  clusterId: string,
  requirementId: string,
): RiskAcceptance | null {
  return (
    risks
      .filter(
        (r) =>
          r.state === 'active' &&
          appliesTo(r, clusterId) &&
          (r.kind === 'criterion'
            ? r.targetId === requirementId
            : requirementOfFinding(r.targetId) === requirementId),
      )
      .sort(latestFirst)[0] ?? null
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A day as a date input holds it (`2026-06-08`), in the browser's time zone. */
export function dateInputValue(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `days` days after `from`, on the calendar. */
export function addDays(from: Date, days: number): Date {
  const d = new Date(from.getTime());
  d.setDate(d.getDate() + days);
  return d;
}

/** The days the expiry picker offers: from tomorrow to a year ahead (within the API's bound). */
export function expiryRange(now: Date): { min: string; max: string; initial: string } {
  return {
    min: dateInputValue(addDays(now, 1)),
    max: dateInputValue(addDays(now, RISK_ACCEPTANCE_BOUNDS.maxDays - 1)),
    initial: dateInputValue(addDays(now, RISK_ACCEPTANCE_BOUNDS.defaultDays)),
  };
}

/**
 * The chosen day as the API takes it: the end of that day in the browser's time zone, as an ISO
 * instant. Null when it is not a day.
 */
export function expiryInstant(day: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59);
  return Number.isNaN(d.getTime()) || dateInputValue(d) !== day ? null : d.toISOString();
}

/** What a cluster's sections need to show and accept risks. */
export interface ClusterRisks {
  cluster: { id: string; name: string };
  /** The organisation's acceptances (none until they are read, or when they cannot be). */
  list: readonly RiskAcceptance[];
  /** Admins accept risks; others only see them. */
  canAccept: boolean;
  /** An acceptance was made: read the list again. */
  onAccepted: (risk: RiskAcceptance) => void;
}

/** Active acceptances that apply to a cluster (its own and every cluster's). */
export function activeFor(risks: readonly RiskAcceptance[], clusterId: string): RiskAcceptance[] {
  return risks.filter((r) => r.state === 'active' && appliesTo(r, clusterId));
}
