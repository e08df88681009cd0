import type { ClusterDetail, Finding, Severity } from '@plumbline/contracts';
import { severityRank } from '../words';

const KIND_WORDS: Record<string, string> = {
  gap: 'Criterion not met',
  unknown: 'Not evaluable: data missing',
  cap: 'Level cap',
  'upgrade-risk': 'Upgrade risk',
  principle: 'Principle failed',
};

/** What kind of finding this is, in words. */
export function findingKindWords(kind: string): string {
  return KIND_WORDS[kind] ?? kind;
}

/**
 * The maturity criterion a finding is about: `maturity/<criterion id>:<kind>` names it (caps and
 * upgrade risks are not criteria). Null when the finding is not about a criterion of this scan.
 */
export function criterionOfFinding(detail: ClusterDetail, finding: Finding): string | null {
  if (finding.domain !== 'maturity') return null;
  const m = /^maturity\/(.+):[a-z-]+$/.exec(finding.id);
  if (!m) return null;
  const id = m[1]!;
  const exists = detail.maturity?.pillars.some((p) => p.criteria.some((c) => c.id === id));
  return exists ? id : null;
}

/** Findings about one criterion. */
export function findingsOfCriterion(findings: readonly Finding[], criterionId: string): Finding[] {
  return findings.filter((f) => f.id.startsWith(`maturity/${criterionId}:`));
}

/** The what-if in words: what fixing this one finding would do to its pillar. */
export function whatIfWords(f: Pick<Finding, 'pillarName' | 'currentLevel' | 'whatIfLevel'>) {
  return f.whatIfLevel > f.currentLevel
    ? `Fixing this alone raises ${f.pillarName} from level ${f.currentLevel} to ${f.whatIfLevel}.`
    : `Fixing this alone keeps ${f.pillarName} at level ${f.currentLevel}: other gaps hold it there too.`;
}

export interface FindingFilter {
  domain: 'all' | 'maturity' | 'accountability';
  /** Show this severity and worse. */
  minSeverity: Severity;
}

/** Filtered, worst first, then by pillar and title. */
export function filterFindings<T extends Finding>(
  findings: readonly T[],
  filter: FindingFilter,
): T[] {
  const max = severityRank(filter.minSeverity);
  return findings
    .filter((f) => filter.domain === 'all' || f.domain === filter.domain)
    .filter((f) => severityRank(f.severity) <= max)
    .sort(
      (a, b) =>
        severityRank(a.severity) - severityRank(b.severity) ||
        a.pillarName.localeCompare(b.pillarName) ||
        a.title.localeCompare(b.title),
    );
}
