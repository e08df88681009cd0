import {
  decodeSnapshot,
  DEFAULT_SNAPSHOT_LIMITS,
  type ClusterSnapshot,
} from '@plumbline/contracts';
import { collectOffline } from '@plumbline/collector';
import { detect } from '@plumbline/detection';
import { NetpolEngine, engineOptionsFor, modelFromSnapshot } from '@plumbline/netpol';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Reporter } from './output.js';
import { EXIT } from './scan.js';

/**
 * `plumbline-scanner connectivity`: every connection the policies allow, one per line, sorted, in
 * np-guard netpol-analyzer's connlist form `SRC => DST : CONNS` (docs/connectivity.md).
 */

export interface ConnectivityOptions {
  fromDir?: string;
  /** A snapshot file written by `scan --out` (.json or .json.gz), e.g. of a live cluster. */
  snapshot?: string;
  format?: string;
  /** Print ports grouped per protocol as np-guard does (`TCP 80,8080`) instead of `TCP 80,TCP 8080`. */
  groupPorts?: boolean;
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

/** Every allowed connection, sorted by source then destination. */
export function connlist(
  snapshot: ClusterSnapshot,
  groupPorts = false,
): { rows: ConnRow[]; engine: NetpolEngine } {
  const detection = detect(snapshot);
  const engine = new NetpolEngine(modelFromSnapshot(snapshot), engineOptionsFor(detection));
  const style = groupPorts ? 'np-guard' : 'plumbline';
  const rows = engine
    .connectivity()
    .map((c) => ({ src: c.src, dst: c.dst, conn: c.conns.toString(style) }));
  return { rows, engine };
}

export function runConnectivity(opts: ConnectivityOptions, io: ConnectivityIo): number {
  const { reporter } = io;
  const format = opts.format ?? 'txt';
  if (format !== 'txt' && format !== 'json') {
    reporter.error(`--format must be txt or json, got "${format}"`);
    return EXIT.usage;
  }
  if (!!opts.fromDir === !!opts.snapshot) {
    reporter.error('give exactly one of --from-dir DIR or --snapshot FILE');
    return EXIT.usage;
  }
  let snapshot: ClusterSnapshot;
  if (opts.snapshot) {
    const s = readSnapshot(opts.snapshot);
    if (typeof s === 'string') {
      reporter.error(s);
      return existsSync(opts.snapshot) ? EXIT.failed : EXIT.input;
    }
    snapshot = s;
  } else {
    if (!existsSync(opts.fromDir!) || !statSync(opts.fromDir!).isDirectory()) {
      reporter.error(`--from-dir ${opts.fromDir} is not a readable folder`);
      return EXIT.input;
    }
    snapshot = collectOffline({
      dir: opts.fromDir!,
      scanner: io.scanner,
      collectedAt: '1970-01-01T00:00:00.000Z',
      includeSecretMetadata: false,
      fingerprintKey: randomBytes(32),
    }).snapshot;
    for (const w of snapshot.warnings) reporter.warn(w.message, { source: w.source });
  }
  const { rows, engine } = connlist(snapshot, opts.groupPorts === true);
  for (const w of engine.warnings) reporter.warn(w.message, { source: w.ref });
  const counted = engine.objects.filter((o) => o.outcome.status === 'counted');
  if (counted.length)
    reporter.info(`${counted.length} policy objects counted but not evaluated`, {
      objects: counted
        .slice(0, 20)
        .map((o) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`),
    });
  if (format === 'json') io.stdout(JSON.stringify(rows, null, 2) + '\n');
  else io.stdout(rows.map((r) => `${r.src} => ${r.dst} : ${r.conn}\n`).join(''));
  return EXIT.ok;
}
