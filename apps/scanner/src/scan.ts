import { parseClusterSnapshot, type ClusterSnapshot } from '@plumbline/contracts';
import { collectOffline, dryRunReport, serializeSnapshot } from '@plumbline/collector';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { analyzeSnapshot, isAnalyzeFormat, readAssumptions, renderAnalysis } from './analyze.js';
import type { Reporter } from './output.js';

/** Exit codes of `plumbline-scanner` (documented in docs/cli.md). */
export const EXIT = {
  ok: 0,
  /** The snapshot or input failed validation, or an unexpected error. */
  failed: 1,
  usage: 2,
  /** The input folder or file could not be read. */
  input: 3,
  /** The output could not be written. */
  output: 4,
} as const;

export interface ScanOptions {
  fromDir?: string;
  clusterName?: string;
  clusterId?: string;
  nodeCount?: string;
  out?: string;
  dryRun?: boolean;
  includeSecretMetadata?: boolean;
  collectedAt?: string;
  /** Print the analysis (the same analyze() the SaaS worker runs) to stdout. */
  analyze?: boolean;
  format?: string;
  /** JSON file of cost assumption overrides for the analysis. */
  assumptions?: string;
}

export interface ScanIo {
  reporter: Reporter;
  stdout: (text: string) => void;
  scanner: { name: string; version: string };
  /** Injected for reproducibility in tests; defaults to a fresh random key per scan. */
  fingerprintKey?: Uint8Array;
  now?: () => Date;
}

export function runScan(opts: ScanOptions, io: ScanIo): number {
  const { reporter } = io;
  if (!opts.fromDir) {
    reporter.error(
      'live collection is not available in this version; use --from-dir DIR to scan manifests',
    );
    return EXIT.usage;
  }
  if (!existsSync(opts.fromDir) || !statSync(opts.fromDir).isDirectory()) {
    reporter.error(`--from-dir ${opts.fromDir} is not a readable folder`);
    return EXIT.input;
  }
  let nodeCount: number | undefined;
  if (opts.nodeCount !== undefined) {
    nodeCount = Number(opts.nodeCount);
    if (!Number.isInteger(nodeCount) || nodeCount < 0) {
      reporter.error(`--node-count must be a whole number, got "${opts.nodeCount}"`);
      return EXIT.usage;
    }
  }
  let collectedAt = (io.now ?? (() => new Date()))().toISOString();
  if (opts.collectedAt) {
    const t = Date.parse(opts.collectedAt);
    if (Number.isNaN(t)) {
      reporter.error(`--collected-at must be an ISO 8601 time, got "${opts.collectedAt}"`);
      return EXIT.usage;
    }
    collectedAt = new Date(t).toISOString();
  }
  const format = opts.format ?? 'table';
  if (!isAnalyzeFormat(format)) {
    reporter.error(`--format must be json or table, got "${format}"`);
    return EXIT.usage;
  }
  if (!opts.dryRun && !opts.out && !opts.analyze) {
    reporter.error(
      'say where the snapshot goes: --out FILE(.json|.json.gz), or --out - for stdout',
    );
    return EXIT.usage;
  }
  let assumptions = {};
  if (opts.assumptions) {
    let text: string;
    try {
      text = readFileSync(opts.assumptions, 'utf8');
    } catch (e) {
      reporter.error(`cannot read --assumptions ${opts.assumptions}: ${(e as Error).message}`);
      return EXIT.input;
    }
    const parsed = readAssumptions(text);
    if (!parsed.ok) {
      reporter.error(`--assumptions ${opts.assumptions} is invalid`, { problems: parsed.problems });
      return EXIT.usage;
    }
    assumptions = parsed.value;
  }
  if (opts.analyze && opts.out === '-') {
    reporter.error(
      '--analyze prints the analysis to stdout; write the snapshot to a file with --out FILE',
    );
    return EXIT.usage;
  }

  const { snapshot, stats } = collectOffline({
    dir: opts.fromDir,
    scanner: io.scanner,
    collectedAt,
    clusterName: opts.clusterName,
    clusterId: opts.clusterId,
    nodeCount,
    includeSecretMetadata: opts.includeSecretMetadata === true,
    fingerprintKey: io.fingerprintKey ?? randomBytes(32),
  });
  for (const w of snapshot.warnings) reporter.warn(w.message, { source: w.source });

  // The contract is checked before anything is written: never emit what the API would refuse.
  const checked = parseClusterSnapshot(snapshot);
  if (!checked.ok) {
    reporter.error('internal error: the snapshot does not match the contract', {
      issues: checked.issues,
    });
    return EXIT.failed;
  }

  if (opts.dryRun) {
    io.stdout(JSON.stringify({ dryRun: true, sections: dryRunReport(snapshot) }, null, 2) + '\n');
    reporter.info(
      'dry run: nothing was written; the fields above are all that would leave the cluster',
    );
    return EXIT.ok;
  }

  if (opts.out) {
    const bytes = serializeSnapshot(snapshot, /\.gz$/i.test(opts.out));
    if (opts.out === '-') io.stdout(bytes.toString('utf8'));
    else {
      try {
        writeFileSync(opts.out, bytes);
      } catch (e) {
        reporter.error(`cannot write ${opts.out}: ${(e as Error).message}`);
        return EXIT.output;
      }
    }
    summarize(snapshot, stats, reporter, opts.out);
  }
  if (opts.analyze) io.stdout(renderAnalysis(analyzeSnapshot(snapshot, assumptions), format));
  return EXIT.ok;
}

function summarize(
  s: ClusterSnapshot,
  stats: { files: number; objects: number },
  reporter: Reporter,
  out: string,
): void {
  reporter.info(`snapshot of cluster "${s.cluster.name}" written to ${out}`, {
    files: stats.files,
    objects: stats.objects,
    workloads: s.workloads.length,
    networkPolicies: s.networkPolicies.length,
    policyObjects: s.policyObjects.length,
    crds: s.crds.length,
    warnings: s.warnings.length,
    provider: s.cluster.provider,
  });
}
