import { analyze } from '@plumbline/analysis';
import {
  costAssumptionOverridesSchema,
  describeIssues,
  type AnalysisResult,
  type ClusterSnapshot,
  type CostAssumptionOverrides,
  type EvidenceUpload,
} from '@plumbline/contracts';
import { formatAgents } from './agents-table.js';
import { columns } from './columns.js';

/** `scan --analyze`: the same analyze() the SaaS worker runs, printed as JSON or a table. */

export type AnalyzeFormat = 'json' | 'table';

export function isAnalyzeFormat(v: string): v is AnalyzeFormat {
  return v === 'json' || v === 'table';
}

export function analyzeSnapshot(
  snapshot: ClusterSnapshot,
  assumptions: CostAssumptionOverrides = {},
  evidence: readonly EvidenceUpload[] = [],
): AnalysisResult {
  return analyze({ snapshot, assumptions, evidence });
}

/** Read and validate `--assumptions file.json` (partial overrides of the cost defaults). */
export function readAssumptions(
  text: string,
): { ok: true; value: CostAssumptionOverrides } | { ok: false; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [`not valid JSON: ${(e as Error).message}`] };
  }
  const r = costAssumptionOverridesSchema.safeParse(json);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, problems: describeIssues(r.error).map((i) => `${i.path}: ${i.message}`) };
}

/** `--min-level N` (0-4, with --analyze): the level or a usage message; null when not given. */
export function parseMinLevel(opts: {
  minLevel?: string;
  analyze?: boolean;
}): number | null | string {
  if (opts.minLevel === undefined) return null;
  const n = Number(opts.minLevel);
  if (!/^\d$/.test(opts.minLevel.trim()) || n < 0 || n > 4)
    return `--min-level must be a whole number from 0 to 4, got "${opts.minLevel}"`;
  if (!opts.analyze) return '--min-level needs --analyze';
  return n;
}

/** Is the cluster maturity level below --min-level? Says so on stderr when it is. */
export function belowMinLevel(
  r: AnalysisResult,
  minLevel: number | null,
  reporter: { error: (msg: string, fields?: Record<string, unknown>) => void },
): boolean {
  if (minLevel === null || r.steps.maturity.level >= minLevel) return false;
  reporter.error(
    `cluster maturity level ${r.steps.maturity.level} is below --min-level ${minLevel}`,
    {
      pillars: r.steps.maturity.pillars
        .filter((p) => p.level < minLevel)
        .map((p) => `${p.id}: level ${p.level}`),
    },
  );
  return true;
}

const usd = (cents: number) =>
  `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** A terminal-friendly rendering; the JSON output is the stable interface (docs/cli.md). */
export function formatTable(r: AnalysisResult): string {
  const d = r.steps.detection;
  const n = d.network;
  const lines: string[] = [];
  lines.push(`Cluster ${r.cluster.name} (${r.cluster.id})  methodology ${r.methodologyVersion}`);
  // Objects kept in the snapshot (the kinds Plumbline reads); the scan log's objectsRead counts
  // every Kubernetes object read from the files or the API, kept or not.
  lines.push(`Objects kept in the snapshot: ${r.steps.inventory.totalObjects}`);
  const cni = d.components.find((c) => c.id === n.cni);
  const variant =
    cni && Object.keys(cni.attributes).length
      ? ` (${Object.values(cni.attributes).join(', ')})`
      : '';
  lines.push(
    `Network: CNI ${n.cni ?? 'unknown'}${variant} | dataplane ${n.dataplane} | encapsulation ${n.encapsulation} | kube-proxy ${n.kubeProxyMode}`,
  );
  const enforced =
    n.networkPolicy.enforced === null
      ? 'unknown'
      : n.networkPolicy.enforced
        ? 'enforced'
        : 'NOT enforced';
  lines.push(`NetworkPolicy: ${enforced}: ${n.networkPolicy.reason}`);
  lines.push(
    `Encryption in transit: ${n.encryption.methods.length ? n.encryption.methods.join(', ') : 'none'}: ${n.encryption.reason}`,
  );
  lines.push('');
  lines.push(
    ...columns(
      [
        ['CATEGORY', 'COMPONENT', 'STATUS', 'VERSION', 'CONFIDENCE', 'EVIDENCE'],
        ...d.components.map((c) => [
          c.category,
          c.id,
          c.status,
          c.version ?? '-',
          c.confidence,
          `${c.evidence[0]?.ref ?? ''}${c.evidence.length > 1 ? ` (+${c.evidence.length - 1} more)` : ''}`,
        ]),
      ],
      [18, 26, 11, 14, 11],
    ),
  );
  if (!d.components.length) lines.push('(no known components detected)');
  lines.push('');
  if (d.overlaps.length) {
    lines.push('Overlaps:');
    for (const o of d.overlaps)
      lines.push(`  ${o.capability}: ${o.components.join(', ')}: ${o.detail}`);
  } else lines.push('Overlaps: none');
  lines.push('');
  lines.push(...formatNetpol(r));
  lines.push('');
  lines.push(...formatMaturity(r));
  lines.push('');
  lines.push(...formatAgents(r));
  const tax = r.steps.cost;
  lines.push('');
  lines.push(
    `Integration tax: ${usd(tax.totalCents)} a year (${tax.tools.length} tool(s), ${tax.seamCount} seam(s), ${tax.clusters} cluster(s); defaults unless --assumptions)`,
  );
  lines.push(
    ...columns(
      tax.lines.map((l) => [l.label, usd(l.cents), l.formula]),
      [30, 16],
    ).map((row) => `  ${row}`),
  );
  if (tax.whatIfs.length) {
    for (const w of tax.whatIfs)
      lines.push(`  what-if: ${w.action} saves ${usd(w.savesCents)} a year`);
  }
  return lines.join('\n') + '\n';
}

function formatNetpol(r: AnalysisResult): string[] {
  const p = r.steps.netpol;
  const c = p.coverage;
  const pct = (v: number | null) => (v === null ? 'n/a' : `${v}%`);
  const deny = (d: 'ingress' | 'egress') =>
    p.namespaces.filter((n) => n.workloads && n.defaultDeny[d]).length;
  const withWorkloads = p.namespaces.filter((n) => n.workloads).length;
  const lines = [
    `NetworkPolicy coverage (replica-weighted): ingress ${pct(c.ingress.percent)}, egress ${pct(c.egress.percent)} of ${c.totalReplicas} replicas in ${c.workloads} workloads; default-deny ingress in ${deny('ingress')}/${withWorkloads} namespaces, egress in ${deny('egress')}/${withWorkloads}`,
    `Policy objects: ${p.objects.evaluated} of ${p.objects.total} evaluated`,
  ];
  for (const k of p.objects.byKind)
    if (k.reason)
      lines.push(`  ${k.group}/${k.kind} x${k.count}: ${k.evaluated} evaluated; ${k.reason}`);
  return lines;
}

function formatMaturity(r: AnalysisResult): string[] {
  const m = r.steps.maturity;
  const lines = [
    `Operational maturity: level ${m.level} (${m.cncfStage}), score ${m.score}/100, criteria evaluated ${m.coverage}%`,
    ...columns(
      [
        ['PILLAR', 'LEVEL', 'SCORE', 'COVERAGE', 'NEXT'],
        ...m.pillars.map((p) => [
          p.name,
          String(p.level),
          String(p.score),
          `${p.coverage}%`,
          p.cappedBy
            ? `capped by ${p.cappedBy}`
            : (p.criteria.find((c) => c.level === p.level + 1 && c.status !== 'met')?.title ??
              (p.level === 4 ? '-' : '')),
        ]),
      ],
      [34, 7, 7, 10],
    ),
  ];
  const top = m.findings.filter((f) => f.kind !== 'unknown' && f.whatIfLevel > f.currentLevel);
  if (top.length) {
    lines.push('Findings that raise a level when fixed:');
    for (const f of top.slice(0, 10))
      lines.push(
        `  [${f.severity}] ${f.title} -> ${f.pillar} level ${f.currentLevel} to ${f.whatIfLevel}`,
      );
  }
  for (const f of m.findings.filter((x) => x.kind === 'upgrade-risk'))
    lines.push(`  upgrade risk: ${f.title}: ${f.remediation}`);
  return lines;
}

export function renderAnalysis(r: AnalysisResult, format: AnalyzeFormat): string {
  return format === 'json' ? JSON.stringify(r, null, 2) + '\n' : formatTable(r);
}
