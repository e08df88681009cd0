/**
 * What the leadership report says, derived from the report data (pure functions, unit tested):
 * the headline numbers of the report's scope, the weakest pillars named, the actions with their
 * effects in words, and the evidence grouped for the later sections. The numbers themselves are
 * never recomputed: they come from the read models, as in the API.
 */
import {
  ACCOUNTABILITY_LEVEL_NAMES,
  ASI_TITLES,
  vmAssessmentSchema,
  type Action,
  type AsiCode,
  type ClusterDetail,
  type ReportData,
  type VmAssessmentView,
  type ReportPlan,
} from '@plumbline/contracts';
import { formatMoney } from '../format';
import { categoryWords } from '../vocabulary';

export interface PillarLevel {
  id: string;
  name: string;
  level: number | null;
}

export interface Headline {
  maturity: { level: number | null; pillars: PillarLevel[]; weakest: PillarLevel[] };
  accountability: {
    assessed: boolean;
    level: number | null;
    levelName: string | null;
    pillars: PillarLevel[];
    weakest: PillarLevel[];
    agents: number;
  };
  tax: {
    totalCents: number | null;
    components: { id: string; label: string; cents: number }[];
    hides: string | null;
  };
}

const lowest = (pillars: readonly PillarLevel[]): PillarLevel[] => {
  const known = pillars.filter((p) => p.level !== null);
  if (!known.length) return [];
  const min = Math.min(...known.map((p) => p.level!));
  return known.filter((p) => p.level === min);
};

/** "A", "A and B", "A, B and C". */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

export function isClusterScope(data: ReportData): boolean {
  return data.scope.kind === 'cluster';
}

/** The cluster of a cluster report (null for the organisation's report). */
export function scopeCluster(data: ReportData): ClusterDetail | null {
  return isClusterScope(data) ? (data.clusters[0] ?? null) : null;
}

/** The share of the biggest cost line, in words ("52% of it is glue work"). */
function hidesIn(lines: readonly { label: string; cents: number }[], total: number): string | null {
  if (!lines.length || total <= 0) return null;
  const top = [...lines].sort((a, b) => b.cents - a.cents)[0]!;
  return `${Math.round((top.cents / total) * 100)}% of it is ${top.label.toLowerCase()}`;
}

/** The three headline numbers, for the organisation or for the one cluster of the report. */
export function headline(data: ReportData): Headline {
  const cluster = scopeCluster(data);
  const o = data.overview;
  const accPillars: PillarLevel[] = (o.accountability?.pillars ?? []).map((p) => ({
    id: p.id,
    name: p.name,
    level: p.level,
  }));
  const assessed = data.agents.status === 'assessed';
  if (cluster) {
    const pillars = (cluster.maturity?.pillars ?? []).map((p) => ({
      id: p.id,
      name: p.name,
      level: p.level,
    }));
    const acc = cluster.accountability;
    const level = acc?.status === 'assessed' ? acc.level : null;
    const totalCents = cluster.cost?.totalCents ?? null;
    return {
      maturity: { level: cluster.maturity?.level ?? null, pillars, weakest: lowest(pillars) },
      accountability: {
        assessed: acc?.status === 'assessed',
        level,
        levelName: level === null ? null : (ACCOUNTABILITY_LEVEL_NAMES[level] ?? null),
        pillars: accPillars,
        weakest: acc?.status === 'assessed' ? lowest(accPillars) : [],
        agents: acc?.agents ?? 0,
      },
      tax: {
        totalCents,
        components: (cluster.cost?.lines ?? []).map((l) => ({
          id: l.id,
          label: l.label,
          cents: l.cents,
        })),
        hides: totalCents === null ? null : hidesIn(cluster.cost?.lines ?? [], totalCents),
      },
    };
  }
  const pillars = (o.maturity?.pillars ?? []).map((p) => ({
    id: p.id,
    name: p.name,
    level: p.level,
  }));
  const level = assessed ? (o.accountability?.level ?? null) : null;
  return {
    maturity: { level: o.maturity?.level ?? null, pillars, weakest: lowest(pillars) },
    accountability: {
      assessed,
      level,
      levelName: level === null ? null : (ACCOUNTABILITY_LEVEL_NAMES[level] ?? null),
      pillars: accPillars,
      weakest: assessed
        ? accPillars.filter((p) => o.accountability?.lowest.includes(p.id as never))
        : [],
      agents: o.accountability?.agents ?? 0,
    },
    tax: {
      totalCents: o.integrationTax?.totalCents ?? null,
      components: o.integrationTax?.components ?? [],
      hides: o.integrationTax?.hides ?? null,
    },
  };
}

export const levelWords = (level: number | null, max = 4): string =>
  level === null ? 'not determined yet' : `level ${level} of ${max}`;

/** "held back by Edge traffic (level 0)". */
export function weakestWords(weakest: readonly PillarLevel[]): string {
  if (!weakest.length) return 'no pillar could be scored yet';
  return `held back by ${joinWords(weakest.map((p) => p.name))} (level ${weakest[0]!.level})`;
}

/** An action's computed what-if effect on the level, in words. */
export function levelEffect(action: Action): string {
  const e = action.effect;
  const what = e.level?.assessment === 'accountability' ? 'Accountability' : 'Operational maturity';
  if (e.level && e.level.to > e.level.from) return `${what}: level ${e.level.from} → ${e.level.to}`;
  if (e.pillar && e.pillar.to > e.pillar.from) {
    const stays = e.level ? `; ${what.toLowerCase()} stays at ${e.level.from}` : '';
    return `${action.pillarName ?? 'Pillar'}: ${e.pillar.from} → ${e.pillar.to}${stays}`;
  }
  if (e.level) return `${what}: stays at ${e.level.from}`;
  return 'No level change';
}

/** An action's computed effect on the yearly integration tax, in words. */
export function costEffect(action: Action): string {
  const saves = action.effect.savesCentsPerYear;
  if (saves && saves > 0) return `saves ${formatMoney(saves)} / year`;
  return 'no change to the tax';
}

export interface ClaimGap {
  pillar: string;
  name: string;
  question: string;
  claimed: number | null;
  evidenced: number | null;
  gap: number | null;
}

/** Claimed vs evidenced, in one sentence. */
export function claimSentence(rows: readonly ClaimGap[]): string {
  const answered = rows.filter((r) => r.claimed !== null);
  if (!answered.length)
    return 'No self-assessment has been answered yet, so there is no claim to compare with the evidence.';
  const over = answered.filter((r) => (r.gap ?? 0) > 0);
  if (!over.length)
    return `The self-assessment matches or understates the evidence in all ${answered.length} answered pillars.`;
  const worst = [...over].sort((a, b) => (b.gap ?? 0) - (a.gap ?? 0))[0]!;
  return `The self-assessment claims more than the evidence shows in ${over.length} of ${answered.length} pillars; the widest gap is ${worst.name} (claimed level ${worst.claimed}, evidenced ${worst.evidenced ?? 'none'}).`;
}

/** The criteria that keep a maturity pillar from its next level, per cluster in scope. */
export interface BlockingCriteria {
  pillarId: string;
  pillarName: string;
  level: number | null;
  clusters: {
    cluster: string;
    level: number;
    nextLevel: number | null;
    cappedBy: string | null;
    criteria: {
      id: string;
      title: string;
      status: string;
      reason: string;
      evidence: string[];
    }[];
  }[];
}

export function blockingCriteria(
  data: ReportData,
  pillars: readonly PillarLevel[],
): BlockingCriteria[] {
  return pillars.map((p) => ({
    pillarId: p.id,
    pillarName: p.name,
    level: p.level,
    clusters: data.clusters.flatMap((c) => {
      const cp = c.maturity?.pillars.find((x) => x.id === p.id);
      if (!cp) return [];
      const next = cp.level < 4 ? cp.level + 1 : null;
      return [
        {
          cluster: c.cluster.name,
          level: cp.level,
          nextLevel: next,
          cappedBy: cp.cappedBy,
          criteria: cp.criteria
            .filter((k) => next !== null && k.level === next && k.status !== 'met')
            .map((k) => ({
              id: k.id,
              title: k.title,
              status: k.status,
              reason: k.reason,
              evidence: k.evidence,
            })),
        },
      ];
    }),
  }));
}

/** At most `n` evidence refs, then "and N more". */
export function firstEvidence(evidence: readonly string[], n = 3): string[] {
  let extra = 0;
  const kept: string[] = [];
  for (const e of evidence) {
    const m = /^\.\.\. (\d+) more$/.exec(e);
    if (m) extra += Number(m[1]);
    else kept.push(e);
  }
  const hidden = Math.max(0, kept.length - n) + extra;
  return hidden ? [...kept.slice(0, n), `and ${hidden} more`] : kept;
}

type AgentItem = ReportData['agents']['items'][number];

export interface AgentFacts {
  shadow: AgentItem[];
  unowned: AgentItem[];
  shared: { credential: string; holders: string[] }[];
}

/** The agents a leader asks about, for the clusters in scope. */
export function agentFacts(data: ReportData): AgentFacts {
  const cluster = scopeCluster(data);
  const items = data.agents.items.filter((i) => !cluster || i.cluster === cluster.cluster.name);
  const agents = items.filter((i) => i.kind === 'agent');
  const byCredential = new Map<string, Set<string>>();
  for (const i of items)
    for (const id of i.sharedCredentials) {
      const holders = byCredential.get(id) ?? new Set<string>();
      holders.add(`${i.ref} (${i.cluster})`);
      byCredential.set(id, holders);
    }
  return {
    shadow: agents.filter((i) => !i.registered),
    unowned: agents.filter((i) => i.owner === null),
    shared: [...byCredential.entries()]
      .map(([credential, holders]) => ({ credential, holders: [...holders].sort() }))
      .sort((a, b) => a.credential.localeCompare(b.credential)),
  };
}

export interface AsiGap {
  asi: AsiCode;
  asiTitle: string;
  gaps: { title: string; pillarName: string; severity: string; clusters: string[] }[];
}

/** Accountability gaps grouped by OWASP Agentic Security Initiative code. */
export function asiGaps(data: ReportData): AsiGap[] {
  const cluster = scopeCluster(data);
  const byCode = new Map<AsiCode, Map<string, AsiGap['gaps'][number]>>();
  for (const f of data.agents.findings) {
    if (!f.asi || (cluster && f.cluster !== cluster.cluster.name)) continue;
    const gaps = byCode.get(f.asi) ?? new Map<string, AsiGap['gaps'][number]>();
    const g = gaps.get(f.id) ?? {
      title: f.title,
      pillarName: f.pillarName,
      severity: f.severity,
      clusters: [],
    };
    if (!g.clusters.includes(f.cluster)) g.clusters.push(f.cluster);
    gaps.set(f.id, g);
    byCode.set(f.asi, gaps);
  }
  return [...byCode.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([asi, gaps]) => ({ asi, asiTitle: ASI_TITLES[asi], gaps: [...gaps.values()] }));
}

/** The VM migration assessment, when the cost read model has one. */
export function vmAssessment(data: ReportData): VmAssessmentView | null {
  if (!data.cost.vms) return null;
  const parsed = vmAssessmentSchema.safeParse(data.cost.vms);
  return parsed.success && parsed.data.vms.length ? parsed.data : null;
}

/** Assumption keys in words (the cost model's inputs). */
export const ASSUMPTION_LABELS: Record<string, string> = {
  engineers: 'Platform engineers',
  loadedSalary: 'Loaded cost per engineer (USD / year)',
  glueShare: 'Share of time on integration glue',
  seamReference: 'Reference number of seams',
  seamCounting: 'How seams are counted',
  incidentsPerYear: 'Incidents per year',
  extraMttrHours: 'Extra hours to restore per incident',
  engineersPerIncident: 'Engineers per incident',
  customerImpactingFraction: 'Share of incidents that affect customers',
  downtimeCostPerHour: 'Downtime cost per hour (USD)',
  licencePerTool: 'Licence per tool (USD / year)',
  licenceByTool: 'Licence by tool',
  overlapShare: 'Share of licences that overlap',
  hiresPerYear: 'Hires per year',
  rampWeeksPerExtraTool: 'Ramp-up weeks per extra tool',
  upgradesPerToolPerYear: 'Upgrades per tool per year',
  hoursPerClusterPerUpgrade: 'Hours per cluster per upgrade',
  coordinationHoursPerUpgrade: 'Coordination hours per upgrade',
  cpuPricePerVcpuHour: 'CPU price per vCPU-hour (USD)',
  memoryPricePerGibHour: 'Memory price per GiB-hour (USD)',
  complianceEvidenceHours: 'Compliance evidence hours per year',
  includeComputeFootprint: 'Count the tools’ compute footprint',
  consolidatedTools: 'Tools after consolidation',
  consolidatedPlatformLicence: 'Consolidated platform licence (USD / year)',
  migrationCost: 'One-off migration cost (USD)',
  vmPlatformFtes: 'Engineers for a second (VM) platform',
  hypervisorLicencePerVm: 'Hypervisor licence per VM (USD / year)',
};

export const assumptionLabel = (key: string): string => ASSUMPTION_LABELS[key] ?? key;

/** An assumption value for the table (shares as percent, money as dollars). */
export function assumptionValue(key: string, value: unknown): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') {
    if (/Share|Fraction/.test(key)) return `${Math.round(value * 100)}%`;
    if (/Salary|Cost|Licence|licence|Price/.test(key))
      return value !== 0 && value < 1
        ? `$${Number(value.toPrecision(4))}` // a price per hour keeps its significant digits
        : value < 10
          ? new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(value)
          : formatMoney(value * 100);
    return new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(value);
  }
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length ? entries.map(([k, v]) => `${k}: ${String(v)}`).join(', ') : 'none';
  }
  return '—';
}

/** Severity order for sorting (critical first). */
export const SEVERITY_RANK: Record<string, number> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
  info: 4,
};

/**
 * "Who authorised that agent's action?", answered from the authorization-provenance pillar
 * (levels: 0 Invisible, 1 Inventoried, 2 Attributable, 3 Enforced, 4 Verified).
 */
export function authorisationAnswer(level: number | null): string {
  switch (level) {
    case null:
      return 'There is no agent action to answer for yet.';
    case 0:
      return 'Today nobody can say: agent actions leave no record of a policy that allowed them.';
    case 1:
      return 'Only partly: the agents are known, but their actions are not tied to a policy decision.';
    case 2:
      return 'Yes, after the fact: decisions name the agent and the policy that allowed the action.';
    case 3:
      return 'Yes: a policy is enforced before each action and its decision is recorded.';
    default:
      return 'Yes, and it is proven continuously: enforced, recorded and tested with probes.';
  }
}

/** Detected-stack layers in words: the screens' words (src/vocabulary.ts). */
export const categoryLabel = (category: string): string => categoryWords(category);

/** An assumption's name without its unit, for chart axes ("Loaded cost per engineer"). */
export const shortAssumptionLabel = (key: string): string =>
  assumptionLabel(key).replace(/\s*\([^)]*\)$/, '');

// ---------------------------------------------------------------- the plan to the next level

/**
 * The plans "What to do first" shows: a cluster report's own; an organisation's, those of the
 * clusters at the organisation's level (they hold it back), reachable ones first, least effort
 * first.
 */
export function firstPlans(data: ReportData, h: Headline): ReportPlan[] {
  const orgLevel = h.maturity.level;
  const hours = (p: ReportPlan) => (p.plan?.reachable ? p.plan.hours : Infinity);
  return data.plans
    .filter((p) => isClusterScope(data) || orgLevel === null || p.plan?.from.level === orgLevel)
    .sort(
      (a, b) =>
        Number(a.status !== 'ready') - Number(b.status !== 'ready') ||
        hours(a) - hours(b) ||
        a.clusterName.localeCompare(b.clusterName),
    );
}

/** A step's title from its id (the roadmap's phases list ids). */
export function stepTitle(plan: ReportPlan, id: string): string {
  return plan.plan?.reachable ? (plan.plan.steps.find((s) => s.id === id)?.title ?? id) : id;
}

/** A change of the yearly tax in words: "no change", "+$1,200", "−$800". */
export function taxChange(cents: number): string {
  if (Math.round(cents / 100) === 0) return 'no change';
  return `${cents > 0 ? '+' : '−'}${formatMoney(Math.abs(cents))}`;
}

/** Hours as people say them: "29.5 hours", "1 hour". */
export function hoursWords(h: number): string {
  return `${Number(h.toFixed(2))} hour${h === 1 ? '' : 's'}`;
}

/** The verification of a plan's generated objects, in one sentence. */
export function verificationSentence(p: ReportPlan): string {
  const v = p.verification;
  if (!p.plan?.reachable) return '';
  if (!v)
    return 'Every step is manual (install or configure something): no manifests are generated for this level.';
  const promise = v.levelsAsPromised
    ? 'reaches the levels the plan promises'
    : 'does not reach the levels the plan promises';
  return `Plumbline generated ${v.objects} Kubernetes object${v.objects === 1 ? '' : 's'} for the generated steps, applied them to the scanned cluster and re-ran the whole analysis: the result ${promise}, and ${v.cut === 0 ? 'none' : v.cut} of the ${v.checked} connection${v.checked === 1 ? '' : 's'} the cluster's Services expose ${v.cut === 1 ? 'is' : 'are'} cut.`;
}

/** A sentence's first letter in capitals (reasons are written to follow a colon). */
export const capitalise = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
