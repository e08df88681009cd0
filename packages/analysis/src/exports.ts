import type { AnalysisResult, Finding, Severity } from '@plumbline/contracts';
import { findingsOf } from './views.js';

/**
 * Findings exports: CSV for spreadsheets, SARIF 2.1.0 for code-scanning tools, and a Kubernetes
 * Policy WG PolicyReport (wgpolicyk8s.io/v1alpha2) for policy dashboards. Pure: the caller passes
 * the tool version and where the scan came from.
 */

export interface ExportMeta {
  cluster: string;
  scanId: string;
  collectedAt: string | null;
  toolVersion: string;
}

const CSV_COLUMNS = [
  'id',
  'domain',
  'pillar',
  'severity',
  'kind',
  'title',
  'current_level',
  'what_if_level',
  'asi',
  'remediation',
  'evidence',
] as const;

/** RFC 4180 quoting; cells that a spreadsheet would run as a formula are prefixed with '. */
export function csvCell(value: string | number | null): string {
  let s = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function findingsCsv(findings: readonly Finding[]): string {
  const rows = findings.map((f) =>
    [
      f.id,
      f.domain,
      f.pillar,
      f.severity,
      f.kind,
      f.title,
      f.currentLevel,
      f.whatIfLevel,
      f.asi,
      f.remediation,
      f.evidence.join('; '),
    ]
      .map(csvCell)
      .join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
/** GitHub code scanning reads security-severity (0-10) from rule properties. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

/** A Kubernetes object reference in evidence text, e.g. `Deployment shop/checkout`. */
const OBJECT_REF = /^([A-Z][A-Za-z]+) (?:([a-z0-9.-]+)\/)?([a-z0-9.:-]+)/;

export function findingsSarif(findings: readonly Finding[], meta: ExportMeta): object {
  const rules = [...new Map(findings.map((f) => [f.id, f])).values()].map((f) => ({
    id: f.id,
    name: f.title,
    shortDescription: { text: f.title },
    fullDescription: { text: f.detail },
    help: { text: f.remediation },
    properties: {
      tags: [f.domain, f.pillar, ...(f.asi ? [f.asi] : [])],
      'security-severity': SECURITY_SEVERITY[f.severity],
    },
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Plumbline',
            version: meta.toolVersion,
            informationUri: 'https://plumbline.dev/docs/methodology',
            rules,
          },
        },
        automationDetails: { id: `plumbline/${meta.cluster}/${meta.scanId}` },
        properties: { cluster: meta.cluster, scanId: meta.scanId, collectedAt: meta.collectedAt },
        results: findings.map((f) => ({
          ruleId: f.id,
          level: SARIF_LEVEL[f.severity],
          message: {
            text: `${f.title}. ${f.detail} Fix: ${f.remediation} (level ${f.currentLevel} -> ${f.whatIfLevel} if fixed)`,
          },
          locations: [
            {
              logicalLocations: (f.evidence.length ? f.evidence.slice(0, 10) : [meta.cluster]).map(
                (e) => ({ name: e, kind: 'resource', fullyQualifiedName: `${meta.cluster}/${e}` }),
              ),
            },
          ],
          partialFingerprints: { plumblineFindingId: `${meta.cluster}/${f.id}` },
          properties: { severity: f.severity, pillar: f.pillar, asi: f.asi },
        })),
      },
    ],
  };
}

type ReportResult = 'pass' | 'fail' | 'warn' | 'error' | 'skip';

/**
 * A ClusterPolicyReport: every criterion of both assessments as a result (met: pass, not met:
 * fail, unknown: skip) plus findings that are not criteria (caps, principles) as fail; objects
 * named in the evidence become the result's resources.
 */
export function policyReport(result: AnalysisResult, meta: ExportMeta): object {
  const results: Record<string, unknown>[] = [];
  const findings = new Map(findingsOf(result).map((f) => [f.id, f]));
  const status: Record<string, ReportResult> = { met: 'pass', 'not-met': 'fail', unknown: 'skip' };
  const resources = (evidence: readonly string[]) =>
    evidence
      .map((e) => OBJECT_REF.exec(e))
      .filter((m): m is RegExpExecArray => m !== null)
      .slice(0, 20)
      .map((m) => ({ kind: m[1]!, ...(m[2] ? { namespace: m[2] } : {}), name: m[3]! }));
  const attached = new Set<string>();
  for (const p of result.steps.maturity.pillars) {
    for (const c of p.criteria) {
      const mf = result.steps.maturity.findings.find((f) => f.source === c.id);
      const finding = mf ? findings.get(`maturity/${mf.id}`) : undefined;
      if (finding) attached.add(finding.id);
      results.push({
        source: 'plumbline',
        policy: `maturity/${p.id}`,
        rule: c.id,
        category: p.name,
        result: status[c.status],
        severity: finding?.severity ?? 'info',
        message: `${c.title}: ${c.reason}`,
        resources: resources(c.evidence),
        properties: { level: String(c.level), methodology: result.methodologyVersion },
      });
    }
  }
  const agents = result.steps.agents;
  if (agents.status === 'assessed') {
    for (const p of agents.pillars) {
      for (const c of p.criteria) {
        const f = findings.get(`accountability/${p.pillar}/${c.id}`);
        if (f) attached.add(f.id);
        results.push({
          source: 'plumbline',
          policy: `accountability/${p.pillar}`,
          rule: c.id,
          category: p.title,
          result: status[c.status],
          severity: f?.severity ?? 'info',
          message: `${c.title}: ${c.reason}`,
          resources: resources(c.evidence),
          properties: { level: String(c.level), asi: c.asi },
        });
      }
    }
  }
  for (const f of findings.values()) {
    if (attached.has(f.id)) continue;
    results.push({
      source: 'plumbline',
      policy: `${f.domain}/${f.pillar}`,
      rule: f.id.split('/').at(-1)!,
      category: f.pillarName,
      result: 'fail' satisfies ReportResult,
      severity: f.severity,
      message: `${f.title}: ${f.detail}`,
      resources: resources(f.evidence),
      properties: { kind: f.kind },
    });
  }
  const count = (r: ReportResult) => results.filter((x) => x.result === r).length;
  return {
    apiVersion: 'wgpolicyk8s.io/v1alpha2',
    kind: 'ClusterPolicyReport',
    metadata: {
      name: `plumbline-${meta.scanId.slice(0, 8)}`,
      labels: { 'app.kubernetes.io/managed-by': 'plumbline' },
      annotations: {
        'plumbline.dev/cluster': meta.cluster,
        'plumbline.dev/scan-id': meta.scanId,
        ...(meta.collectedAt ? { 'plumbline.dev/collected-at': meta.collectedAt } : {}),
      },
    },
    scope: { kind: 'Cluster', name: meta.cluster },
    summary: {
      pass: count('pass'),
      fail: count('fail'),
      warn: count('warn'),
      error: count('error'),
      skip: count('skip'),
    },
    results,
  };
}
