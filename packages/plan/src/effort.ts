import type { ActionEffort, PlanEffortOverrides } from '@plumbline/contracts';

/**
 * The effort table: hours per action, as fixed hours plus hours per unit (a namespace, a workload,
 * an object). Plumbline's own estimates for one engineer who knows the cluster, documented with
 * their reasoning in docs/methodology/remediation-plan.md; an organisation overrides them like the
 * cost assumptions (`planEffortOverridesSchema` in packages/contracts).
 */

export interface EffortRow extends ActionEffort {
  /** What one unit is, for the plan's words ("3 namespaces"). */
  unit: string;
}

/** Generated actions (the bundle holds their objects). */
export const GENERATED_EFFORT: Readonly<Record<string, EffortRow>> = {
  'netpol-ingress': { baseHours: 4, perUnitHours: 1, unit: 'namespace' },
  'netpol-egress': { baseHours: 6, perUnitHours: 1.5, unit: 'namespace' },
  replicas: { baseHours: 1, perUnitHours: 0.5, unit: 'workload' },
  'dns-replicas': { baseHours: 0.5, perUnitHours: 0, unit: 'cluster' },
  pdb: { baseHours: 1, perUnitHours: 0.25, unit: 'workload' },
  'pod-security-labels': { baseHours: 2, perUnitHours: 1, unit: 'namespace' },
  'admission-policies': { baseHours: 4, perUnitHours: 0, unit: 'cluster' },
  // AI-agent accountability (agent-actions.ts).
  'agent-service-accounts': { baseHours: 0.5, perUnitHours: 1, unit: 'agent' },
  'agent-registration': { baseHours: 0.5, perUnitHours: 0.25, unit: 'agent' },
  'agent-trace-export': { baseHours: 1, perUnitHours: 0.5, unit: 'agent' },
  'agent-gateway-route': { baseHours: 2, perUnitHours: 1, unit: 'agent' },
};

/**
 * Manual actions (install or reconfigure something; no manifest is generated): hours by the level
 * of the criterion they meet (higher levels are bigger projects), unless a row names the action.
 */
export const MANUAL_EFFORT_BY_LEVEL: Readonly<Record<1 | 2 | 3 | 4, EffortRow>> = {
  1: { baseHours: 8, perUnitHours: 0, unit: 'cluster' },
  2: { baseHours: 16, perUnitHours: 0, unit: 'cluster' },
  3: { baseHours: 40, perUnitHours: 0, unit: 'cluster' },
  4: { baseHours: 80, perUnitHours: 0, unit: 'cluster' },
};

export const MANUAL_EFFORT: Readonly<Record<string, EffortRow>> = {
  'manual:multicluster.stable-identity': { baseHours: 0.5, perUnitHours: 0, unit: 'cluster' },
  'manual:isolation.engine-enforces': { baseHours: 24, perUnitHours: 0, unit: 'cluster' },
  'manual:observability.metrics': { baseHours: 8, perUnitHours: 0, unit: 'cluster' },
  'manual:observability.cluster-state': { baseHours: 2, perUnitHours: 0, unit: 'cluster' },
  'manual:observability.dashboards': { baseHours: 4, perUnitHours: 0, unit: 'cluster' },
  'manual:cap.cluster-admin-sprawl': { baseHours: 4, perUnitHours: 0, unit: 'cluster' },
  'manual:cap.allow-any-ingress': { baseHours: 4, perUnitHours: 0, unit: 'cluster' },
  // AI-agent accountability: per agent that fails the criterion.
  'manual:identity.owner': { baseHours: 0.5, perUnitHours: 0.25, unit: 'agent' },
  'manual:identity.registered': { baseHours: 1, perUnitHours: 0.5, unit: 'agent' },
  'manual:identity.service-account': { baseHours: 2, perUnitHours: 1.5, unit: 'agent' },
  'manual:identity.token-automount': { baseHours: 1, perUnitHours: 1, unit: 'agent' },
  'manual:identity.pinned': { baseHours: 1, perUnitHours: 0.5, unit: 'agent' },
  'manual:trace.exporter': { baseHours: 8, perUnitHours: 1, unit: 'agent' },
  'manual:policy.gateway': { baseHours: 16, perUnitHours: 1, unit: 'agent' },
};

/** The team's hours available per 30-day phase of the roadmap (Plumbline default). */
export const DEFAULT_HOURS_PER_PHASE = 60;

/** The effort row of an action after the organisation's overrides. */
export function effortOf(
  id: string,
  fallback: EffortRow,
  overrides: PlanEffortOverrides | undefined,
): EffortRow {
  const o = overrides?.actions?.[id];
  return {
    unit: fallback.unit,
    baseHours: o?.baseHours ?? fallback.baseHours,
    perUnitHours: o?.perUnitHours ?? fallback.perUnitHours,
  };
}

/** Hours rounded to a quarter hour. */
export const hoursFor = (row: EffortRow, units: number): number =>
  Math.round(4 * (row.baseHours + row.perUnitHours * units)) / 4;
