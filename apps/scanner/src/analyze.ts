import { analyze } from '@plumbline/analysis';
import {
  costAssumptionOverridesSchema,
  describeIssues,
  type AnalysisResult,
  type ClusterSnapshot,
  type CostAssumptionOverrides,
} from '@plumbline/contracts';

/** `scan --analyze`: the same analyze() the SaaS worker runs, printed as JSON or a table. */

export type AnalyzeFormat = 'json' | 'table';

export function isAnalyzeFormat(v: string): v is AnalyzeFormat {
  return v === 'json' || v === 'table';
}

export function analyzeSnapshot(
  snapshot: ClusterSnapshot,
  assumptions: CostAssumptionOverrides = {},
): AnalysisResult {
  return analyze({ snapshot, assumptions });
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

const usd = (cents: number) =>
  `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

function pad(s: string, n: number): string {
  return s.length >= n ? `${s.slice(0, n - 1)}…` : s + ' '.repeat(n - s.length);
}

/** A terminal-friendly rendering; the JSON output is the stable interface (docs/cli.md). */
export function formatTable(r: AnalysisResult): string {
  const d = r.steps.detection;
  const n = d.network;
  const lines: string[] = [];
  lines.push(`Cluster ${r.cluster.name} (${r.cluster.id})  methodology ${r.methodologyVersion}`);
  lines.push(`Objects: ${r.steps.inventory.totalObjects}`);
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
    `${pad('CATEGORY', 18)}${pad('COMPONENT', 26)}${pad('STATUS', 11)}${pad('VERSION', 14)}${pad('CONFIDENCE', 11)}EVIDENCE`,
  );
  for (const c of d.components) {
    const more = c.evidence.length > 1 ? ` (+${c.evidence.length - 1} more)` : '';
    lines.push(
      `${pad(c.category, 18)}${pad(c.id, 26)}${pad(c.status, 11)}${pad(c.version ?? '-', 14)}${pad(c.confidence, 11)}${c.evidence[0]?.ref ?? ''}${more}`,
    );
  }
  if (!d.components.length) lines.push('(no known components detected)');
  lines.push('');
  if (d.overlaps.length) {
    lines.push('Overlaps:');
    for (const o of d.overlaps)
      lines.push(`  ${o.capability}: ${o.components.join(', ')}: ${o.detail}`);
  } else lines.push('Overlaps: none');
  const tax = r.steps.cost;
  lines.push('');
  lines.push(
    `Integration tax: ${usd(tax.totalCents)} a year (${tax.tools.length} tool(s), ${tax.seamCount} seam(s), ${tax.clusters} cluster(s); defaults unless --assumptions)`,
  );
  for (const l of tax.lines)
    lines.push(`  ${pad(l.label, 30)}${pad(usd(l.cents), 16)}${l.formula}`);
  if (tax.whatIfs.length) {
    for (const w of tax.whatIfs)
      lines.push(`  what-if: ${w.action} saves ${usd(w.savesCents)} a year`);
  }
  return lines.join('\n') + '\n';
}

export function renderAnalysis(r: AnalysisResult, format: AnalyzeFormat): string {
  return format === 'json' ? JSON.stringify(r, null, 2) + '\n' : formatTable(r);
}
