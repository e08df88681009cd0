import {
  decodeSnapshot,
  DEFAULT_SNAPSHOT_LIMITS,
  type ClusterSnapshot,
} from '@plumbline/contracts';
import { detect } from '@plumbline/detection';
import {
  NetpolEngine,
  endpointRef,
  engineOptionsFor,
  explainPair,
  formatExplanation,
  modelFromSnapshot,
  type Peer,
} from '@plumbline/netpol';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFolder } from './offline-input.js';
import type { Reporter } from './output.js';
import { EXIT } from './scan.js';

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * `plumbline-scanner connectivity`: every connection the policies allow, one per line, sorted, in
 * np-guard netpol-analyzer's connlist form `SRC => DST : CONNS` (docs/connectivity.md).
 */

export interface ConnectivityOptions {
  fromDir?: string;
  /** A snapshot file written by `scan --out` (.json or .json.gz), e.g. of a live cluster. */
  snapshot?: string;
  format?: string;
  /** Deprecated, no effect: ports are always grouped per protocol as np-guard prints them. */
  groupPorts?: boolean;
  /** Explain one pair: which policy and rule allow or deny each port range. */
  explain?: boolean;
  src?: string;
  dst?: string;
  maxFileSize?: string;
  allowEmpty?: boolean;
}

export interface ConnectivityIo {
  reporter: Reporter;
  stdout: (text: string) => void;
  scanner: { name: string; version: string };
}

function readSnapshot(file: string): ClusterSnapshot | string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    return `cannot read ${file}: ${(e as Error).message}`;
  }
  const d = decodeSnapshot(bytes, DEFAULT_SNAPSHOT_LIMITS);
  if (d.ok) return d.snapshot;
  const why = d.issues ? d.issues.map((i) => `${i.path}: ${i.message}`).join('; ') : d.message;
  return `${file} is not a valid snapshot: ${why}`;
}

export interface ConnRow {
  src: string;
  dst: string;
  conn: string;
}

/** Every allowed connection, sorted by source then destination, in np-guard's connlist form. */
export function connlist(snapshot: ClusterSnapshot): { rows: ConnRow[]; engine: NetpolEngine } {
  const engine = engineFor(snapshot);
  const rows = engine
    .connectivity()
    .map((c) => ({ src: c.src, dst: c.dst, conn: c.conns.toString() }));
  return { rows, engine };
}

function engineFor(snapshot: ClusterSnapshot): NetpolEngine {
  const detection = detect(snapshot);
  return new NetpolEngine(modelFromSnapshot(snapshot), engineOptionsFor(detection));
}

/** Read the input named by --from-dir or --snapshot; an exit code when it cannot be used. */
function loadInput(
  from: { fromDir?: string; snapshot?: string; maxFileSize?: string; allowEmpty?: boolean },
  io: ConnectivityIo,
  names = { dir: '--from-dir', snapshot: '--snapshot' },
): ClusterSnapshot | number {
  const { reporter } = io;
  if (!!from.fromDir === !!from.snapshot) {
    reporter.error(`give exactly one of ${names.dir} DIR or ${names.snapshot} FILE`);
    return EXIT.usage;
  }
  if (from.snapshot) {
    const s = readSnapshot(from.snapshot);
    if (typeof s === 'string') {
      reporter.error(s);
      return existsSync(from.snapshot) ? EXIT.failed : EXIT.input;
    }
    return s;
  }
  if (!existsSync(from.fromDir!) || !statSync(from.fromDir!).isDirectory()) {
    reporter.error(`${names.dir} ${from.fromDir} is not a readable folder`);
    return EXIT.input;
  }
  const read = readFolder(
    {
      dir: from.fromDir!,
      scanner: io.scanner,
      collectedAt: '1970-01-01T00:00:00.000Z',
      includeSecretMetadata: false,
      fingerprintKey: randomBytes(32),
      maxFileSize: from.maxFileSize,
      allowEmpty: from.allowEmpty,
    },
    reporter,
  );
  return 'code' in read ? read.code : read.snapshot;
}

function reportEngine(engine: NetpolEngine, reporter: Reporter): void {
  for (const w of engine.warnings) reporter.warn(w.message, { source: w.ref });
  const counted = engine.objects.filter((o) => o.outcome.status === 'counted');
  if (counted.length)
    reporter.info(`${counted.length} policy objects counted but not evaluated`, {
      objects: counted
        .slice(0, 20)
        .map((o) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`),
    });
}

export function runConnectivity(opts: ConnectivityOptions, io: ConnectivityIo): number {
  const { reporter } = io;
  const format = opts.format ?? 'txt';
  if (format !== 'txt' && format !== 'json') {
    reporter.error(`--format must be txt or json, got "${format}"`);
    return EXIT.usage;
  }
  if (opts.explain && (!opts.src || !opts.dst)) {
    reporter.error('--explain needs --src and --dst (a workload ns/name[Kind] or an IP address)');
    return EXIT.usage;
  }
  if (!opts.explain && (opts.src || opts.dst)) {
    reporter.error('--src and --dst only apply with --explain');
    return EXIT.usage;
  }
  const snapshot = loadInput(opts, io);
  if (typeof snapshot === 'number') return snapshot;
  if (opts.explain) {
    const engine = engineFor(snapshot);
    reportEngine(engine, reporter);
    const src = engine.resolvePeer(opts.src!);
    const dst = engine.resolvePeer(opts.dst!);
    for (const p of [src, dst])
      if (typeof p === 'string') {
        reporter.error(p);
        return EXIT.usage;
      }
    const x = explainPair(engine, src as Peer, dst as Peer);
    if (format === 'json')
      io.stdout(
        JSON.stringify(
          { ...x, segments: x.segments.map(({ set: _set, ...rest }) => rest) },
          null,
          2,
        ) + '\n',
      );
    else io.stdout(formatExplanation(x) + '\n');
    return EXIT.ok;
  }
  const { rows, engine } = connlist(snapshot);
  reportEngine(engine, reporter);
  if (format === 'json') io.stdout(JSON.stringify(rows, null, 2) + '\n');
  else io.stdout(rows.map((r) => `${r.src} => ${r.dst} : ${r.conn}\n`).join(''));
  return EXIT.ok;
}

export interface DiffOptions {
  fromDir?: string;
  toDir?: string;
  fromSnapshot?: string;
  toSnapshot?: string;
  format?: string;
  maxFileSize?: string;
  allowEmpty?: boolean;
}

export interface DiffRow {
  diffType: 'changed' | 'added' | 'removed';
  src: string;
  dst: string;
  ref1: string;
  ref2: string;
  /** When a side of the pair exists in only one input: `workload ns/x[Deployment] added`. */
  workloadsDiffInfo: string | null;
}

/**
 * Connections that differ between two inputs (np-guard's `diff`): changed, then added, then
 * removed, each sorted by source and destination. ref1 is the first input, ref2 the second.
 */
export function connDiff(a: ClusterSnapshot, b: ClusterSnapshot): DiffRow[] {
  const one = connlist(a);
  const two = connlist(b);
  const key = (r: ConnRow) => `${r.src}\u0000${r.dst}`;
  const m1 = new Map(one.rows.map((r) => [key(r), r]));
  const m2 = new Map(two.rows.map((r) => [key(r), r]));
  const peers = (e: NetpolEngine) => new Set(e.endpoints.map((x) => endpointRef(x)));
  const p1 = peers(one.engine);
  const p2 = peers(two.engine);
  const info = (src: string, dst: string): string | null => {
    const notes: string[] = [];
    for (const p of [src, dst]) {
      if (p.endsWith('[External]')) continue;
      if (p2.has(p) && !p1.has(p)) notes.push(`workload ${p} added`);
      if (p1.has(p) && !p2.has(p)) notes.push(`workload ${p} removed`);
    }
    return notes.length ? notes.join(', ') : null;
  };
  const out: DiffRow[] = [];
  for (const [k, r] of m1) {
    const s = m2.get(k);
    if (!s)
      out.push({
        diffType: 'removed',
        src: r.src,
        dst: r.dst,
        ref1: r.conn,
        ref2: 'No Connections',
        workloadsDiffInfo: info(r.src, r.dst),
      });
    else if (s.conn !== r.conn)
      out.push({
        diffType: 'changed',
        src: r.src,
        dst: r.dst,
        ref1: r.conn,
        ref2: s.conn,
        workloadsDiffInfo: null,
      });
  }
  for (const [k, s] of m2)
    if (!m1.has(k))
      out.push({
        diffType: 'added',
        src: s.src,
        dst: s.dst,
        ref1: 'No Connections',
        ref2: s.conn,
        workloadsDiffInfo: info(s.src, s.dst),
      });
  const order = { changed: 0, added: 1, removed: 2 };
  return out.sort(
    (x, y) => order[x.diffType] - order[y.diffType] || cmp(x.src, y.src) || cmp(x.dst, y.dst),
  );
}

export function formatDiff(rows: DiffRow[]): string {
  return [
    'Connectivity diff:',
    ...rows.map(
      (r) =>
        `diff-type: ${r.diffType}, source: ${r.src}, destination: ${r.dst}, ref1: ${r.ref1}, ref2: ${r.ref2}${r.workloadsDiffInfo ? `, workloads-diff-info: ${r.workloadsDiffInfo}` : ''}`,
    ),
  ].join('\n');
}

export function runConnectivityDiff(opts: DiffOptions, io: ConnectivityIo): number {
  const format = opts.format ?? 'txt';
  if (format !== 'txt' && format !== 'json') {
    io.reporter.error(`--format must be txt or json, got "${format}"`);
    return EXIT.usage;
  }
  const common = { maxFileSize: opts.maxFileSize, allowEmpty: opts.allowEmpty };
  const a = loadInput({ fromDir: opts.fromDir, snapshot: opts.fromSnapshot, ...common }, io, {
    dir: '--from-dir',
    snapshot: '--from-snapshot',
  });
  if (typeof a === 'number') return a;
  const b = loadInput({ fromDir: opts.toDir, snapshot: opts.toSnapshot, ...common }, io, {
    dir: '--to-dir',
    snapshot: '--to-snapshot',
  });
  if (typeof b === 'number') return b;
  const rows = connDiff(a, b);
  if (format === 'json') io.stdout(JSON.stringify(rows, null, 2) + '\n');
  else io.stdout(formatDiff(rows) + '\n');
  return EXIT.ok;
}
