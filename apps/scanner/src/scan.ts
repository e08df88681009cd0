import { inventoryStep } from '@plumbline/analysis';
import { INGEST_PATH, type ClusterSnapshot } from '@plumbline/contracts';
import {
  checkSnapshot,
  collectLive,
  ConnectError,
  DEFAULT_BURST,
  DEFAULT_PAGE_SIZE,
  DEFAULT_QPS,
  dryRunReport,
  encodeSnapshot,
  findKubeSource,
  serializeSnapshot,
  UploadError,
  uploadSnapshot,
  writeSnapshotFile,
  writeSnapshotText,
  type KubeSource,
  type Sleep,
} from '@plumbline/collector';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import {
  analyzeSnapshot,
  belowMinLevel,
  isAnalyzeFormat,
  parseMinLevel,
  readAssumptions,
  renderAnalysis,
  type AnalyzeFormat,
} from './analyze.js';
import { readEvidenceFiles } from './evidence.js';
import { EXIT_NO_INPUT, readFolder } from './offline-input.js';
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
  /** The cluster could not be reached, authenticated to, or discovered. */
  cluster: 5,
  /** The upload failed (after its retries) or was refused. */
  upload: 6,
  /** `scan --analyze --min-level N`: the cluster's maturity level is below N. */
  belowMinLevel: 7,
  /** Offline: the folder held no Kubernetes object (empty, or every file skipped). */
  noInput: EXIT_NO_INPUT,
  /** `plan`: the target is out of reach from the scan's evidence (the reason is printed). */
  planUnreachable: 9,
  /** `plan`: the generated bundle failed its own verification: nothing was written. */
  planRefused: 10,
  /** `plan`: the folders hold no workloads: there is nothing to plan for. */
  planNoWorkloads: 11,
} as const;

export interface ScanOptions {
  fromDir?: string;
  /** More --from-dir folders, applied over the first (offline-dirs.ts). */
  extraDirs?: string[];
  /** Offline: per-file size limit (bytes, or 32M / 1G). */
  maxFileSize?: string;
  /** Offline: go on (and report) even when the folder held no Kubernetes object. */
  allowEmpty?: boolean;
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
  /** With --analyze: exit EXIT.belowMinLevel when the cluster maturity level is below this (CI). */
  minLevel?: string;
  /** JSON file of cost assumption overrides for the analysis. */
  assumptions?: string;
  /** Accountability evidence files for the analysis (`[KIND=]FILE`, repeatable). */
  evidence?: string[];
  /** Self-assessment answers (JSON) for the analysis. */
  assessment?: string;
  /** Live mode (no --from-dir). */
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
  pageSize?: string;
  qps?: string;
  burst?: string;
  /** Upload the snapshot to the Plumbline API. */
  upload?: string;
  tokenFile?: string;
  /** The installation's fingerprint key (a Secret in the cluster): stable fingerprints. */
  fingerprintKeyFile?: string;
}

export interface ScanIo {
  reporter: Reporter;
  stdout: (text: string) => void;
  scanner: { name: string; version: string };
  /** Injected for reproducibility in tests; else --fingerprint-key-file, else a fresh random
   *  key per scan. */
  fingerprintKey?: Uint8Array;
  now?: () => Date;
  /** Environment (KUBECONFIG, KUBERNETES_SERVICE_HOST, PLUMBLINE_SCANNER_TOKEN); default none. */
  env?: Record<string, string | undefined>;
  /** Home folder for ~/.kube/config (default: the user's). */
  home?: string;
  /** Test hook for upload backoff waits. */
  sleep?: Sleep;
}

const LIVE_ONLY: (keyof ScanOptions)[] = [
  'kubeconfig',
  'context',
  'inCluster',
  'pageSize',
  'qps',
  'burst',
];
const FLAG: Partial<Record<keyof ScanOptions, string>> = {
  kubeconfig: '--kubeconfig',
  context: '--context',
  inCluster: '--in-cluster',
  pageSize: '--page-size',
  qps: '--qps',
  burst: '--burst',
  clusterId: '--cluster-id',
  nodeCount: '--node-count',
};

type Parsed<T> = { ok: true; value: T } | { ok: false; code: number };

function usage(reporter: Reporter, message: string): { ok: false; code: number } {
  reporter.error(message);
  return { ok: false, code: EXIT.usage };
}

function parseNumber(
  reporter: Reporter,
  flag: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): Parsed<number> {
  if (text === undefined) return { ok: true, value: fallback };
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max || text.trim() === '')
    return usage(reporter, `${flag} must be a number from ${min} to ${max}, got "${text}"`);
  return { ok: true, value: n };
}

function parseCollectedAt(opts: ScanOptions, io: ScanIo): Parsed<string> {
  if (!opts.collectedAt) return { ok: true, value: (io.now ?? (() => new Date()))().toISOString() };
  const t = Date.parse(opts.collectedAt);
  if (Number.isNaN(t))
    return usage(io.reporter, `--collected-at must be an ISO 8601 time, got "${opts.collectedAt}"`);
  return { ok: true, value: new Date(t).toISOString() };
}

/** The scanner token for --upload: --token-file, else $PLUMBLINE_SCANNER_TOKEN. */
function uploadToken(opts: ScanOptions, io: ScanIo): Parsed<string | null> {
  if (!opts.upload) {
    if (opts.tokenFile) return usage(io.reporter, '--token-file only applies with --upload URL');
    return { ok: true, value: null };
  }
  let token: string | undefined;
  if (opts.tokenFile) {
    try {
      token = readFileSync(opts.tokenFile, 'utf8').trim();
    } catch (e) {
      io.reporter.error(
        `cannot read --token-file ${opts.tokenFile}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
      );
      return { ok: false, code: EXIT.input };
    }
  } else token = io.env?.PLUMBLINE_SCANNER_TOKEN?.trim();
  if (!token)
    return usage(
      io.reporter,
      '--upload needs a scanner token: --token-file FILE or the PLUMBLINE_SCANNER_TOKEN environment variable',
    );
  return { ok: true, value: token };
}

interface AnalysisSettings {
  format: AnalyzeFormat;
  assumptions: Parameters<typeof analyzeSnapshot>[1];
  minLevel: number | null;
  evidence: NonNullable<Parameters<typeof analyzeSnapshot>[2]>;
}

/** The shortest fingerprint key accepted (bytes): 32, e.g. `openssl rand -hex 32`. */
export const MIN_FINGERPRINT_KEY_BYTES = 32;

/**
 * The HMAC key for literal-value fingerprints: --fingerprint-key-file (the installation's key,
 * kept as a Secret by the chart: fingerprints are stable across scans of one organisation and
 * useless to anyone without the key), else a random key for this scan only.
 */
export function fingerprintKeyOf(opts: ScanOptions, io: ScanIo): Parsed<Uint8Array> {
  if (io.fingerprintKey) return { ok: true, value: io.fingerprintKey };
  if (!opts.fingerprintKeyFile) return { ok: true, value: randomBytes(32) };
  let bytes: Buffer;
  try {
    bytes = readFileSync(opts.fingerprintKeyFile);
  } catch (e) {
    io.reporter.error(
      `cannot read --fingerprint-key-file ${opts.fingerprintKeyFile}: ${(e as Error).message}`,
    );
    return { ok: false, code: EXIT.input };
  }
  // A trailing newline (echo, kubectl create secret --from-file) is not part of the key.
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
  const key = bytes.subarray(0, end);
  if (key.length < MIN_FINGERPRINT_KEY_BYTES)
    return usage(
      io.reporter,
      `--fingerprint-key-file ${opts.fingerprintKeyFile} holds ${key.length} bytes; a key needs at least ${MIN_FINGERPRINT_KEY_BYTES} (create one with: openssl rand -hex 32)`,
    );
  return { ok: true, value: new Uint8Array(key) };
}

/** --format and --assumptions (checked even without --analyze, as before live mode). */
function analysisSettings(opts: ScanOptions, io: ScanIo): Parsed<AnalysisSettings> {
  const format = opts.format ?? 'table';
  if (!isAnalyzeFormat(format))
    return usage(io.reporter, `--format must be json or table, got "${format}"`);
  const minLevel = parseMinLevel(opts);
  if (typeof minLevel === 'string') return usage(io.reporter, minLevel);
  if ((opts.evidence?.length || opts.assessment) && !opts.analyze)
    return usage(io.reporter, '--evidence and --assessment need --analyze');
  const read = readEvidenceFiles(opts.evidence ?? [], opts.assessment);
  if (!read.ok) {
    io.reporter.error(read.message, read.problems ? { problems: read.problems } : {});
    return { ok: false, code: read.reason === 'input' ? EXIT.input : EXIT.usage };
  }
  const evidence = read.value;
  if (!opts.assumptions)
    return { ok: true, value: { format, assumptions: {}, minLevel, evidence } };
  let text: string;
  try {
    text = readFileSync(opts.assumptions, 'utf8');
  } catch (e) {
    io.reporter.error(`cannot read --assumptions ${opts.assumptions}: ${(e as Error).message}`);
    return { ok: false, code: EXIT.input };
  }
  const parsed = readAssumptions(text);
  if (!parsed.ok) {
    io.reporter.error(`--assumptions ${opts.assumptions} is invalid`, {
      problems: parsed.problems,
    });
    return { ok: false, code: EXIT.usage };
  }
  return { ok: true, value: { format, assumptions: parsed.value, minLevel, evidence } };
}

/** Where the snapshot goes: --out FILE, --out -, --upload URL, --analyze, or --dry-run. */
function checkDestination(opts: ScanOptions, io: ScanIo, live: boolean): Parsed<null> {
  if (opts.dryRun && opts.upload)
    return usage(io.reporter, '--dry-run sends nothing: drop --upload (or --dry-run)');
  if (!opts.dryRun && !opts.out && !opts.upload && !opts.analyze) {
    return usage(
      io.reporter,
      live
        ? 'say where the snapshot goes: --out FILE(.json|.json.gz), --out - for stdout, --upload URL, or --analyze; or use --from-dir DIR to scan manifest files instead of a cluster'
        : 'say where the snapshot goes: --out FILE(.json|.json.gz), or --out - for stdout',
    );
  }
  if (opts.analyze && opts.out === '-') {
    return usage(
      io.reporter,
      '--analyze prints the analysis to stdout; write the snapshot to a file with --out FILE',
    );
  }
  if (opts.upload) {
    try {
      const u = new URL(opts.upload);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('not http');
    } catch {
      return usage(io.reporter, `--upload must be an http(s) URL, got "${opts.upload}"`);
    }
  }
  return { ok: true, value: null };
}

/**
 * `scan`: offline (--from-dir) or live (a kubeconfig or the pod's service account). Returns the
 * exit code; live scans and uploads return it asynchronously.
 */
export function runScan(opts: ScanOptions, io: ScanIo): number | Promise<number> {
  return opts.fromDir ? runOffline(opts, io) : runLive(opts, io);
}

function runOffline(opts: ScanOptions, io: ScanIo): number | Promise<number> {
  const { reporter } = io;
  const fromDir = opts.fromDir!;
  const liveOnly = LIVE_ONLY.filter((k) => opts[k] !== undefined && opts[k] !== false);
  if (liveOnly.length) {
    reporter.error(
      `${liveOnly.map((k) => FLAG[k]).join(', ')} only apply to live collection (without --from-dir)`,
    );
    return EXIT.usage;
  }
  for (const dir of [fromDir, ...(opts.extraDirs ?? [])])
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      reporter.error(`--from-dir ${dir} is not a readable folder`);
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
  const collectedAt = parseCollectedAt(opts, io);
  if (!collectedAt.ok) return collectedAt.code;
  const analysis = analysisSettings(opts, io);
  if (!analysis.ok) return analysis.code;
  const destination = checkDestination(opts, io, false);
  if (!destination.ok) return destination.code;
  const token = uploadToken(opts, io);
  if (!token.ok) return token.code;
  const key = fingerprintKeyOf(opts, io);
  if (!key.ok) return key.code;

  const read = readFolder(
    {
      dir: fromDir,
      extraDirs: opts.extraDirs,
      scanner: io.scanner,
      collectedAt: collectedAt.value,
      clusterName: opts.clusterName,
      clusterId: opts.clusterId,
      nodeCount,
      includeSecretMetadata: opts.includeSecretMetadata === true,
      fingerprintKey: key.value,
      maxFileSize: opts.maxFileSize,
      allowEmpty: opts.allowEmpty,
    },
    reporter,
  );
  if ('code' in read) return read.code;
  const { snapshot, stats } = read;
  return emit(snapshot, opts, io, token.value, analysis.value, {
    files: stats.files,
    objectsRead: stats.objects,
  });
}

function runLive(opts: ScanOptions, io: ScanIo): number | Promise<number> {
  const { reporter } = io;
  const offlineOnly = (['maxFileSize', 'allowEmpty'] as const).filter(
    (k) => opts[k] !== undefined && opts[k] !== false,
  );
  if (offlineOnly.length) {
    reporter.error(
      `${offlineOnly.map((k) => (k === 'maxFileSize' ? '--max-file-size' : '--allow-empty')).join(', ')} only apply to --from-dir`,
    );
    return EXIT.usage;
  }
  for (const k of ['clusterId', 'nodeCount'] as const) {
    if (opts[k] !== undefined) {
      reporter.error(
        `${FLAG[k]} only applies to --from-dir: live scans read the cluster id (kube-system namespace uid) and count the nodes`,
      );
      return EXIT.usage;
    }
  }
  const destination = checkDestination(opts, io, true);
  if (!destination.ok) return destination.code;
  const analysis = analysisSettings(opts, io);
  if (!analysis.ok) return analysis.code;
  const pageSize = parseNumber(
    reporter,
    '--page-size',
    opts.pageSize,
    DEFAULT_PAGE_SIZE,
    1,
    10_000,
  );
  if (!pageSize.ok) return pageSize.code;
  if (!Number.isInteger(pageSize.value)) {
    reporter.error(`--page-size must be a whole number, got "${opts.pageSize}"`);
    return EXIT.usage;
  }
  const qps = parseNumber(reporter, '--qps', opts.qps, DEFAULT_QPS, 0, 10_000);
  if (!qps.ok) return qps.code;
  const burst = parseNumber(reporter, '--burst', opts.burst, DEFAULT_BURST, 1, 10_000);
  if (!burst.ok) return burst.code;
  const collectedAt = parseCollectedAt(opts, io);
  if (!collectedAt.ok) return collectedAt.code;
  if (opts.inCluster && (opts.kubeconfig || opts.context)) {
    reporter.error('--in-cluster uses the pod service account: drop --kubeconfig and --context');
    return EXIT.usage;
  }
  if (opts.kubeconfig && !existsSync(opts.kubeconfig)) {
    reporter.error(`cannot read --kubeconfig ${opts.kubeconfig}`);
    return EXIT.input;
  }
  const source = findKubeSource(
    { kubeconfig: opts.kubeconfig, context: opts.context, inCluster: opts.inCluster },
    io.env ?? {},
    io.home,
  );
  if (!source) {
    reporter.error(
      'no cluster to scan: no kubeconfig (--kubeconfig, $KUBECONFIG, ~/.kube/config) and not running in a pod; use --from-dir DIR to scan manifest files',
    );
    return EXIT.usage;
  }
  const token = uploadToken(opts, io);
  if (!token.ok) return token.code;
  const key = fingerprintKeyOf(opts, io);
  if (!key.ok) return key.code;
  return live(opts, io, source, {
    fingerprintKey: key.value,
    pageSize: pageSize.value,
    qps: qps.value,
    burst: burst.value,
    collectedAt: collectedAt.value,
    token: token.value,
    analysis: analysis.value,
  });
}

async function live(
  opts: ScanOptions,
  io: ScanIo,
  source: KubeSource,
  s: {
    fingerprintKey: Uint8Array;
    pageSize: number;
    qps: number;
    burst: number;
    collectedAt: string;
    token: string | null;
    analysis: AnalysisSettings;
  },
): Promise<number> {
  const { reporter } = io;
  const context = 'context' in source ? source.context : undefined;
  reporter.info(
    source.kind === 'in-cluster'
      ? 'scanning the cluster of this pod (in-cluster service account)'
      : `scanning the cluster of kubeconfig ${source.kind === 'kubeconfig' ? source.files.join(':') : ''}${context ? ` (context ${context})` : ''}`,
  );
  let result;
  try {
    result = await collectLive({
      source,
      scanner: io.scanner,
      collectedAt: s.collectedAt,
      clusterName: opts.clusterName,
      pageSize: s.pageSize,
      qps: s.qps,
      burst: s.burst,
      includeSecretMetadata: opts.includeSecretMetadata === true,
      fingerprintKey: s.fingerprintKey,
      log: (level, message, fields) =>
        level === 'warn' ? reporter.warn(message, fields) : reporter.info(message, fields),
    });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    reporter.error(e instanceof ConnectError ? why : `cannot scan the cluster: ${why}`);
    return EXIT.cluster;
  }
  const { snapshot, stats } = result;
  for (const w of snapshot.warnings) reporter.warn(w.message, { source: w.source });
  return emit(snapshot, opts, io, s.token, s.analysis, {
    objectsRead: stats.objects,
    requests: stats.requests,
    retries: stats.retries,
  });
}

/** Check the contract, then dry-run, write and/or upload. */
function emit(
  snapshot: ClusterSnapshot,
  opts: ScanOptions,
  io: ScanIo,
  token: string | null,
  analysis: AnalysisSettings,
  counts: Record<string, number>,
): number | Promise<number> {
  const { reporter } = io;
  // The contract is checked before anything is written: never emit what the API would refuse.
  // (Element by element: a validated copy of a 100k-pod snapshot would double its memory.)
  const checked = checkSnapshot(snapshot);
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

  const written = opts.out ? writeOut(snapshot, opts.out, io, counts) : EXIT.ok;
  if (typeof written !== 'number')
    return written.then((code) =>
      code === EXIT.ok ? afterOut(snapshot, opts, io, token, analysis, counts) : code,
    );
  if (written !== EXIT.ok) return written;
  return afterOut(snapshot, opts, io, token, analysis, counts);
}

/**
 * --out: offline snapshots are written in one piece (synchronously); live ones, which can be
 * large, are streamed so the scanner never holds the whole document in memory.
 */
function writeOut(
  snapshot: ClusterSnapshot,
  out: string,
  io: ScanIo,
  counts: Record<string, number>,
): number | Promise<number> {
  const done = () => {
    summarize(snapshot, counts, io.reporter, `written to ${out}`);
    return EXIT.ok;
  };
  const failed = (e: unknown) => {
    io.reporter.error(`cannot write ${out}: ${(e as Error).message}`);
    return EXIT.output;
  };
  if (snapshot.mode === 'live') {
    if (out === '-') {
      writeSnapshotText(snapshot, io.stdout);
      return done();
    }
    return writeSnapshotFile(snapshot, out).then(done, failed);
  }
  const bytes = serializeSnapshot(snapshot, /\.gz$/i.test(out));
  if (out === '-') io.stdout(bytes.toString('utf8'));
  else {
    try {
      writeFileSync(out, bytes);
    } catch (e) {
      return failed(e);
    }
  }
  return done();
}

/** --analyze and --upload, once the snapshot is written (if it was asked for). */
function afterOut(
  snapshot: ClusterSnapshot,
  opts: ScanOptions,
  io: ScanIo,
  token: string | null,
  analysis: AnalysisSettings,
  counts: Record<string, number>,
): number | Promise<number> {
  const { reporter } = io;
  let belowMin = false;
  if (opts.analyze) {
    const result = analyzeSnapshot(snapshot, analysis.assumptions, analysis.evidence);
    io.stdout(renderAnalysis(result, analysis.format));
    belowMin = belowMinLevel(result, analysis.minLevel, reporter);
  }
  const done = (code: number) => (code === EXIT.ok && belowMin ? EXIT.belowMinLevel : code);
  if (opts.upload && token) return upload(snapshot, opts.upload, token, io, counts).then(done);
  return done(EXIT.ok);
}

async function upload(
  snapshot: ClusterSnapshot,
  target: string,
  token: string,
  io: ScanIo,
  counts: Record<string, number>,
): Promise<number> {
  const url = new URL(target);
  if (url.pathname === '/' || url.pathname === '') url.pathname = INGEST_PATH;
  try {
    const encoded = await encodeSnapshot(snapshot);
    const r = await uploadSnapshot(
      { gzip: encoded.gzip, idempotencyKey: encoded.sha256 },
      {
        url: url.toString(),
        token,
        userAgent: `${io.scanner.name}/${io.scanner.version}`,
        sleep: io.sleep,
        log: (level, message, fields) =>
          level === 'warn' ? io.reporter.warn(message, fields) : io.reporter.info(message, fields),
      },
    );
    summarize(
      snapshot,
      { ...counts, attempts: r.attempts },
      io.reporter,
      `uploaded as scan ${r.scanId}${r.duplicate ? ' (already uploaded before)' : ''}`,
    );
    return EXIT.ok;
  } catch (e) {
    io.reporter.error(e instanceof UploadError ? e.message : `upload failed: ${String(e)}`);
    return EXIT.upload;
  }
}

/** The objects kept in the snapshot: the analysis's own inventory count (one computation). */
export function objectsInSnapshot(s: ClusterSnapshot): number {
  return inventoryStep.run({ snapshot: s }, {}).totalObjects;
}

function summarize(
  s: ClusterSnapshot,
  counts: Record<string, number>,
  reporter: Reporter,
  what: string,
): void {
  const notOk = s.collection.filter((c) => c.status === 'forbidden' || c.status === 'error');
  reporter.info(`snapshot of cluster "${s.cluster.name}" ${what}`, {
    mode: s.mode,
    ...counts,
    // Objects kept in the snapshot: the same figure as "Objects kept in the snapshot" of
    // --analyze (objectsRead counts every object read, kept or not).
    objectsInSnapshot: objectsInSnapshot(s),
    workloads: s.workloads.length,
    networkPolicies: s.networkPolicies.length,
    policyObjects: s.policyObjects.length,
    crds: s.crds.length,
    warnings: s.warnings.length,
    provider: s.cluster.provider,
    ...(notOk.length ? { notCollected: notOk.map((c) => `${c.resource} (${c.status})`) } : {}),
  });
}
