import {
  ACCOUNTABILITY_PILLAR_TITLES,
  COMPONENT_CATEGORIES,
  type AccountabilityGap,
  type AgentsResult,
  type AnalysisResult,
  type ClusterDetail,
  type Finding,
  type MaturityResult,
  type ScanSummary,
  type Severity,
} from '@plumbline/contracts';

/**
 * Read models derived from a stored AnalysisResult: the per-scan digest kept for history, the
 * unified findings list, the cluster detail view and finding diffs. Pure functions: the API and
 * the worker call them; their inputs fully determine their outputs.
 */

const SEVERITY_RANK: Record<Severity, number> = {
  critical: 4,
  high: 3,
  medium: 2,
  low: 1,
  info: 0,
};
export const severityRank = (s: Severity): number => SEVERITY_RANK[s];

/** An accountability gap's severity: failed principles and unmet lower levels weigh most. */
function gapSeverity(g: AccountabilityGap): Severity {
  if (g.severity) return g.severity; // the criterion's own (e.g. critical exposure)
  if (g.status === 'failed') return 'high';
  if (g.status === 'unknown') return 'low';
  return g.level <= 2 ? 'high' : g.level === 3 ? 'medium' : 'low';
}

export function accountabilityFindings(agents: AgentsResult): Finding[] {
  if (agents.status !== 'assessed') return [];
  const levelOf = new Map(agents.pillars.map((p) => [p.pillar, p.level ?? 0]));
  return agents.gaps.map((g) => ({
    id: `accountability/${g.pillar}/${g.criterion ?? g.principle ?? 'gap'}`,
    domain: 'accountability' as const,
    pillar: g.pillar,
    pillarName: ACCOUNTABILITY_PILLAR_TITLES[g.pillar],
    kind: g.status === 'failed' ? 'principle' : g.status === 'unknown' ? 'unknown' : 'gap',
    severity: gapSeverity(g),
    title: g.title,
    detail: `${g.asi} ${g.asiTitle}: blocks level ${g.level} of ${ACCOUNTABILITY_PILLAR_TITLES[g.pillar]}.`,
    remediation: g.remediation,
    evidence: criterionEvidence(agents, g),
    asi: g.asi,
    currentLevel: levelOf.get(g.pillar) ?? 0,
    whatIfLevel: g.whatIfLevel,
  }));
}

function criterionEvidence(agents: AgentsResult, g: AccountabilityGap): string[] {
  if (g.criterion) {
    const c = agents.pillars
      .find((p) => p.pillar === g.pillar)
      ?.criteria.find((x) => x.id === g.criterion);
    return c ? [...c.evidence] : [];
  }
  return [...(agents.principles.find((p) => p.principle === g.principle)?.evidence ?? [])];
}

export function maturityFindings(m: MaturityResult): Finding[] {
  const names = new Map(m.pillars.map((p) => [p.id, p.name]));
  return m.findings.map((f): Finding => ({
    id: `maturity/${f.id}`,
    domain: 'maturity',
    pillar: f.pillar,
    pillarName: names.get(f.pillar) ?? f.pillar,
    kind: f.kind,
    severity: f.severity,
    title: f.title,
    detail: f.detail,
    remediation: f.remediation,
    evidence: [...f.evidence],
    asi: null,
    currentLevel: f.currentLevel,
    whatIfLevel: f.whatIfLevel,
  }));
}

/** Every finding of one analysis (maturity then accountability), most severe first. */
export function findingsOf(result: AnalysisResult): Finding[] {
  const all = [
    ...maturityFindings(result.steps.maturity),
    ...accountabilityFindings(result.steps.agents),
  ];
  // Ids are unique per analysis; keep the first when two gaps share one.
  const seen = new Set<string>();
  return all
    .filter((f) => (seen.has(f.id) ? false : (seen.add(f.id), true)))
    .sort(
      (a, b) =>
        SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
        b.whatIfLevel - b.currentLevel - (a.whatIfLevel - a.currentLevel) ||
        a.id.localeCompare(b.id),
    );
}

/** The digest stored with each scan. */
export function summarize(result: AnalysisResult, collectedAt: string): ScanSummary {
  const m = result.steps.maturity;
  const a = result.steps.agents;
  const np = result.steps.netpol.coverage;
  return {
    methodologyVersion: result.methodologyVersion,
    collectedAt,
    maturity: {
      level: m.level,
      score: m.score,
      coverage: m.coverage,
      pillars: m.pillars.map((p) => ({ id: p.id, name: p.name, level: p.level })),
    },
    accountability: {
      status: a.status,
      level: a.overall.level,
      score: a.overall.score,
      agents: a.summary.agents,
      shadowAgents: a.summary.shadowAgents,
    },
    taxCents: result.steps.cost.totalCents,
    components: result.steps.detection.components.filter((c) => c.status !== 'remnant').length,
    replicas: np.totalReplicas,
    // Application replicas, as the criteria and the cluster page count them (one figure).
    networkPolicy: np.applications
      ? { ingress: np.applications.ingress.percent, egress: np.applications.egress.percent }
      : { ingress: np.ingress.percent, egress: np.egress.percent },
    findings: Object.fromEntries(findingsOf(result).map((f) => [f.id, f.severity])),
  };
}

type DetailParts = Pick<
  ClusterDetail,
  'stack' | 'networkPolicy' | 'maturity' | 'accountability' | 'cost' | 'findings'
>;

/** The analysis parts of the cluster detail view (the API adds cluster and scan metadata). */
export function clusterDetailParts(result: AnalysisResult): DetailParts {
  const d = result.steps.detection;
  const overlapsOf = (id: string) =>
    [
      ...new Set(
        d.overlaps.filter((o) => o.components.includes(id as never)).flatMap((o) => o.components),
      ),
    ]
      .filter((c) => c !== id)
      .sort();
  const layers = COMPONENT_CATEGORIES.map((category) => ({
    category,
    components: d.components
      .filter((c) => c.category === category)
      .map((c) => ({ ...c, overlapsWith: overlapsOf(c.id) })),
  })).filter((l) => l.components.length > 0);
  const m = result.steps.maturity;
  const np = result.steps.netpol;
  const a = result.steps.agents;
  const cost = result.steps.cost;
  return {
    stack: { layers, overlaps: d.overlaps, network: d.network },
    networkPolicy: {
      enforcement: np.enforcement,
      coverage: np.coverage,
      namespaces: np.namespaces,
    },
    maturity: {
      level: m.level,
      score: m.score,
      coverage: m.coverage,
      cncfStage: m.cncfStage,
      pillars: m.pillars.map((p) => ({
        id: p.id,
        name: p.name,
        level: p.level,
        score: p.score,
        coverage: p.coverage,
        cappedBy: p.cappedBy,
        criteria: p.criteria,
      })),
    },
    accountability: {
      status: a.status,
      level: a.overall.level,
      agents: a.summary.agents,
      shadowAgents: a.summary.shadowAgents,
    },
    cost: {
      totalCents: cost.totalCents,
      lines: cost.lines.map((l) => ({
        id: l.id,
        label: l.label,
        cents: l.cents,
        formula: l.formula,
      })),
    },
    findings: findingsOf(result),
  };
}

export interface FindingDiff {
  new: Finding[];
  fixed: Finding[];
  regressed: (Finding & { reason: string })[];
  unchanged: number;
}

/**
 * Findings between two scans of one cluster. `earlier` holds the finding ids of scans before
 * `from`: a finding absent in `from` but present earlier came back (regressed), and one present
 * in both whose severity rose is regressed too.
 */
export function diffFindings(
  from: readonly Finding[],
  to: readonly Finding[],
  earlier: ReadonlySet<string>,
): FindingDiff {
  const before = new Map(from.map((f) => [f.id, f]));
  const after = new Map(to.map((f) => [f.id, f]));
  const out: FindingDiff = { new: [], fixed: [], regressed: [], unchanged: 0 };
  for (const f of to) {
    const prev = before.get(f.id);
    if (!prev) {
      if (earlier.has(f.id))
        out.regressed.push({ ...f, reason: 'fixed in an earlier scan, present again' });
      else out.new.push(f);
    } else if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[prev.severity]) {
      out.regressed.push({ ...f, reason: `severity rose from ${prev.severity} to ${f.severity}` });
    } else out.unchanged++;
  }
  for (const f of from) if (!after.has(f.id)) out.fixed.push(f);
  return out;
}
