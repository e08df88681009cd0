import {
  ACCOUNTABILITY_LEVEL_NAMES,
  ACCOUNTABILITY_PILLAR_TITLES,
  ACCOUNTABILITY_PILLARS,
  SELF_ASSESSMENT_QUESTIONS,
  type AccountabilityPillar,
  type AgentsOverview,
  type AgentsResult,
  type ProbeRun,
  type TrendPoint,
} from '@plumbline/contracts';
import { accountabilityFindings } from './views.js';

/**
 * Organisation-level aggregation of per-cluster results, following the methodology's roll-up
 * rules: maturity per pillar is the lowest among production clusters (all clusters when none is
 * marked production), the score replica-weighted; accountability per pillar is the lowest among
 * clusters that run agents. Pure: the worker passes what it loaded.
 */

export interface OrgCluster {
  name: string;
  production: boolean;
  replicas: number;
  maturity: {
    level: number;
    score: number;
    pillars: readonly { id: string; name: string; level: number }[];
  } | null;
}

export interface OrgMaturity {
  basis: string;
  level: number;
  score: number;
  pillars: { id: string; name: string; level: number }[];
  lowest: { id: string; name: string; level: number }[];
}

export function organisationMaturity(clusters: readonly OrgCluster[]): OrgMaturity | null {
  const scored = clusters.filter(
    (c): c is OrgCluster & { maturity: NonNullable<OrgCluster['maturity']> } => c.maturity !== null,
  );
  if (!scored.length) return null;
  const production = scored.filter((c) => c.production);
  const basis = production.length ? production : scored;
  const ids = [...new Set(basis.flatMap((c) => c.maturity.pillars.map((p) => p.id)))];
  const pillars = ids.map((id) => {
    const levels = basis.map((c) => c.maturity.pillars.find((p) => p.id === id)?.level ?? 0);
    const name = basis[0]!.maturity.pillars.find((p) => p.id === id)?.name ?? id;
    return { id, name, level: Math.min(...levels) };
  });
  const weight = scored.reduce((n, c) => n + Math.max(c.replicas, 1), 0);
  const score = Math.round(
    scored.reduce((n, c) => n + c.maturity.score * Math.max(c.replicas, 1), 0) / weight,
  );
  const level = Math.min(...pillars.map((p) => p.level));
  return {
    basis: production.length ? 'production clusters' : 'all clusters (none marked production)',
    level,
    score,
    pillars,
    lowest: pillars.filter((p) => p.level === level),
  };
}

export type Answers = Record<AccountabilityPillar, number>;

/** The organisation's accountability view from each cluster's assessment (with evidence). */
export function organisationAgents(
  perCluster: readonly { cluster: string; result: AgentsResult }[],
  answers: Answers | null,
  probes: readonly ProbeRun[],
): Omit<AgentsOverview, 'computedAt'> {
  const assessed = perCluster.filter((c) => c.result.status === 'assessed');
  const sum = (k: keyof AgentsResult['summary']) =>
    assessed.reduce((n, c) => n + c.result.summary[k], 0);
  const pillars = ACCOUNTABILITY_PILLARS.map((pillar) => {
    let weakest: { cluster: string; level: number; result: AgentsResult } | null = null;
    for (const c of assessed) {
      const l = c.result.pillars.find((p) => p.pillar === pillar)?.level;
      if (typeof l === 'number' && (weakest === null || l < weakest.level))
        weakest = { cluster: c.cluster, level: l, result: c.result };
    }
    return {
      pillar,
      name: ACCOUNTABILITY_PILLAR_TITLES[pillar],
      level: weakest?.level ?? null,
      cluster: weakest?.cluster ?? null,
      criteria: weakest?.result.pillars.find((p) => p.pillar === pillar)?.criteria ?? [],
    };
  });
  const known = pillars.map((p) => p.level).filter((l): l is number => l !== null);
  const overall = known.length === pillars.length ? Math.min(...known) : null;
  return {
    status: assessed.length ? 'assessed' : 'no-agents-found',
    summary: {
      agents: sum('agents'),
      mcpServers: sum('mcpServers'),
      modelServers: sum('modelServers'),
      gateways: sum('gateways'),
      shadowAgents: sum('shadowAgents'),
      unownedAgents: sum('unownedAgents'),
      sharedCredentials: assessed.reduce((n, c) => n + c.result.sharedCredentials.length, 0),
    },
    overall: {
      level: overall,
      levelName: overall === null ? null : ACCOUNTABILITY_LEVEL_NAMES[overall]!,
      weakest:
        overall === null ? [] : pillars.filter((p) => p.level === overall).map((p) => p.pillar),
    },
    pillars,
    principles: assessed.flatMap((c) =>
      c.result.principles.map((p) => ({ ...p, cluster: c.cluster })),
    ),
    items: perCluster.flatMap((c) => c.result.items.map((i) => ({ ...i, cluster: c.cluster }))),
    findings: assessed.flatMap((c) =>
      accountabilityFindings(c.result).map((f) => ({ ...f, cluster: c.cluster })),
    ),
    claimedVsEvidenced: ACCOUNTABILITY_PILLARS.map((pillar) => {
      const claimed = answers ? answers[pillar] : null;
      const evidenced = pillars.find((p) => p.pillar === pillar)!.level;
      return {
        pillar,
        name: ACCOUNTABILITY_PILLAR_TITLES[pillar],
        question: SELF_ASSESSMENT_QUESTIONS[pillar],
        claimed,
        evidenced,
        gap: claimed !== null && evidenced !== null ? claimed - evidenced : null,
      };
    }),
    probes: [...probes],
  };
}

/** Add or replace (same instant) a trend point, oldest first, keeping the newest `max`. */
export function appendTrend(
  previous: readonly TrendPoint[],
  point: TrendPoint,
  max = 400,
): TrendPoint[] {
  return [...previous.filter((p) => p.at !== point.at), point]
    .sort((a, b) => a.at.localeCompare(b.at))
    .slice(-max);
}
