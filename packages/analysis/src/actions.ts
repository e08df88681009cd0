import type {
  Action,
  AgentsResult,
  Finding,
  IntegrationTax,
  MaturityResult,
  Severity,
} from '@plumbline/contracts';
import { accountabilityFindings, maturityFindings, severityRank } from './views.js';

/** One cluster as the ranking sees it: its maturity and its accountability (with evidence). */
export interface ActionCluster {
  name: string;
  production: boolean;
  maturity: MaturityResult;
  agents: AgentsResult;
}

export const ACTION_ORDERING =
  'organisation level gained (fixing it everywhere it appears), then severity, then pillar level gained, then yearly integration-tax saving, then clusters affected; an action ranked above a more severe one says why';

interface Group {
  finding: Finding;
  clusters: string[];
}

function group(
  clusters: readonly ActionCluster[],
  findings: (c: ActionCluster) => Finding[],
): Map<string, Group> {
  const out = new Map<string, Group>();
  for (const c of clusters) {
    for (const f of findings(c)) {
      const g = out.get(f.id);
      if (!g) out.set(f.id, { finding: f, clusters: [c.name] });
      else {
        g.clusters.push(c.name);
        if (severityRank(f.severity) > severityRank(g.finding.severity)) g.finding = { ...f };
      }
    }
  }
  return out;
}

/**
 * Level effect at organisation scope: each cluster's pillar levels, with the finding's pillar
 * raised to its what-if level where the finding appears; the organisation takes the lowest.
 */
function orgEffect(
  basis: readonly { name: string; pillars: Map<string, number> }[],
  pillar: string,
  whatIf: Map<string, number>,
): { level: { from: number; to: number }; pillar: { from: number; to: number } } | null {
  if (!basis.length) return null;
  const pillars = [...new Set(basis.flatMap((c) => [...c.pillars.keys()]))];
  const lvl = (after: boolean) =>
    Math.min(
      ...pillars.map((p) =>
        Math.min(
          ...basis.map((c) => {
            const cur = c.pillars.get(p) ?? 0;
            return after && p === pillar && whatIf.has(c.name)
              ? Math.max(cur, whatIf.get(c.name)!)
              : cur;
          }),
        ),
      ),
    );
  const pl = (after: boolean) =>
    Math.min(
      ...basis.map((c) => {
        const cur = c.pillars.get(pillar) ?? 0;
        return after && whatIf.has(c.name) ? Math.max(cur, whatIf.get(c.name)!) : cur;
      }),
    );
  return { level: { from: lvl(false), to: lvl(true) }, pillar: { from: pl(false), to: pl(true) } };
}

/**
 * When fixing a level-N criterion alone leaves the pillar below N, say what else level N needs
 * (so "Level 3 not met" beside "0 -> 2" reads as one story, not a contradiction).
 */
function shortOfLevel(
  clusters: readonly ActionCluster[],
  g: Group,
  reached: number,
): string | null {
  if (g.finding.domain !== 'maturity') return null;
  const source = g.finding.id.replace(/^maturity\//, '').replace(/:(gap|unknown)$/, '');
  for (const c of clusters) {
    if (!g.clusters.includes(c.name)) continue;
    const pillar = c.maturity.pillars.find((p) => p.id === g.finding.pillar);
    const criterion = pillar?.criteria.find((x) => x.id === source);
    if (!pillar || !criterion || reached >= criterion.level) continue;
    const others = pillar.criteria
      .filter((x) => x.id !== source && x.level <= criterion.level && x.status !== 'met')
      .sort((a, b) => a.level - b.level || a.id.localeCompare(b.id));
    const listed = others
      .slice(0, 3)
      .map((x) => `"${x.title}" (level ${x.level})`)
      .join(', ');
    const more = others.length > 3 ? ` and ${others.length - 3} more` : '';
    return others.length
      ? `this level-${criterion.level} criterion alone brings ${g.finding.pillarName} to ${reached}, not ${criterion.level}: level ${criterion.level} also needs ${listed}${more}`
      : null;
  }
  return null;
}

/**
 * Ranked actions for an organisation: maturity findings and accountability gaps grouped across
 * clusters (fixing one everywhere it appears), with the organisation-level effect computed by
 * the methodology's roll-up rules, plus the integration-tax what-ifs with their yearly saving.
 */
export function rankActions(
  clusters: readonly ActionCluster[],
  tax: Pick<IntegrationTax, 'whatIfs'> | null,
  limit = 50,
): Action[] {
  const production = clusters.filter((c) => c.production);
  const matBasis = (production.length ? production : clusters).map((c) => ({
    name: c.name,
    pillars: new Map(c.maturity.pillars.map((p) => [p.id as string, p.level])),
  }));
  const accBasis = clusters
    .filter((c) => c.agents.status === 'assessed')
    .map((c) => ({
      name: c.name,
      pillars: new Map(c.agents.pillars.map((p) => [p.pillar as string, p.level ?? 0])),
    }));

  const candidates: Omit<Action, 'rank'>[] = [];
  const add = (g: Group, assessment: 'operational-maturity' | 'accountability') => {
    const basis = assessment === 'accountability' ? accBasis : matBasis;
    const inBasis = basis.filter((b) => g.clusters.includes(b.name));
    const whatIf = new Map(inBasis.map((b) => [b.name, g.finding.whatIfLevel]));
    const eff = inBasis.length ? orgEffect(basis, g.finding.pillar, whatIf) : null;
    const pillar = eff?.pillar ?? { from: g.finding.currentLevel, to: g.finding.whatIfLevel };
    const where =
      g.clusters.length === 1 ? `cluster ${g.clusters[0]}` : `${g.clusters.length} clusters`;
    const why = eff
      ? eff.level.to > eff.level.from
        ? `raises the organisation's ${assessment === 'accountability' ? 'accountability' : 'operational maturity'} level from ${eff.level.from} to ${eff.level.to}`
        : pillar.to > pillar.from
          ? `raises ${g.finding.pillarName} from ${pillar.from} to ${pillar.to}; another gap still holds the organisation level at ${eff.level.from}`
          : `a ${g.finding.severity} finding; fixing it alone does not change a level`
      : `a ${g.finding.severity} finding in ${where}, outside the clusters the organisation level is computed from`;
    const short = shortOfLevel(clusters, g, pillar.to);
    candidates.push({
      id: g.finding.id,
      domain: g.finding.domain,
      title: g.finding.title,
      remediation: g.finding.remediation,
      severity: g.finding.severity,
      pillar: g.finding.pillar,
      pillarName: g.finding.pillarName,
      clusters: [...g.clusters].sort(),
      effect: {
        level: eff ? { assessment, ...eff.level } : null,
        pillar,
        savesCentsPerYear: null,
      },
      why: `${why}${short ? `; ${short}` : ''} (seen in ${where})`,
      evidence: g.finding.evidence.slice(0, 20),
    });
  };
  for (const g of group(clusters, (c) => maturityFindings(c.maturity)).values())
    add(g, 'operational-maturity');
  for (const g of group(clusters, (c) => accountabilityFindings(c.agents)).values())
    add(g, 'accountability');
  for (const w of tax?.whatIfs ?? []) {
    candidates.push({
      id: `cost/${w.removesTool}`,
      domain: 'cost',
      title: w.action,
      remediation: w.action,
      severity: 'medium',
      pillar: null,
      pillarName: null,
      clusters: [],
      effect: { level: null, pillar: null, savesCentsPerYear: w.savesCents },
      why: `saves an estimated ${formatUsd(w.savesCents)} a year of integration tax (the cost model re-run without ${w.removesTool})`,
      evidence: [`tool ${w.removesTool}`],
    });
  }
  const gain = (a: Omit<Action, 'rank'>) =>
    a.effect.level ? a.effect.level.to - a.effect.level.from : 0;
  const pgain = (a: Omit<Action, 'rank'>) =>
    a.effect.pillar ? a.effect.pillar.to - a.effect.pillar.from : 0;
  const sev = (a: Omit<Action, 'rank'>) => severityRank(a.severity as Severity);
  const ranked = candidates
    .sort(
      (a, b) =>
        gain(b) - gain(a) ||
        sev(b) - sev(a) ||
        pgain(b) - pgain(a) ||
        (b.effect.savesCentsPerYear ?? 0) - (a.effect.savesCentsPerYear ?? 0) ||
        b.clusters.length - a.clusters.length ||
        a.id.localeCompare(b.id),
    )
    .slice(0, limit);
  // Never a more severe action below a less severe one without saying why.
  return ranked.map((a, i) => {
    const above = ranked.slice(i + 1).filter((b) => sev(b) > sev(a)).length;
    const level = a.effect.level;
    const why =
      above > 0 && level
        ? `${a.why}; ranked above ${above} more severe action${above === 1 ? '' : 's'} because it raises the organisation level (${level.from} -> ${level.to}) and they do not`
        : a.why;
    return { rank: i + 1, ...a, why };
  });
}

function formatUsd(cents: number): string {
  return `$${Math.round(cents / 100).toLocaleString('en-US')}`;
}
