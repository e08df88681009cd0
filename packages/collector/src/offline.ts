import type { ClusterSnapshot } from '@plumbline/contracts';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isObj, obj, str, type Obj } from './k8s.js';
import { SnapshotReducer, type ReducerOptions } from './reduce.js';

/** Reads Kubernetes manifests from a folder into the same snapshot live collection produces. */

export interface OfflineOptions extends ReducerOptions {
  dir: string;
  scanner: { name: string; version: string };
  collectedAt: string;
  clusterName?: string;
  clusterId?: string;
  nodeCount?: number;
  /** Read only these paths (files or folders, relative to `dir`) instead of all of `dir`. */
  paths?: string[];
  /** Test hook: reorder the file list before reading (the output must not change). */
  reorder?: (files: string[]) => string[];
}

const MANIFEST = /\.(ya?ml|json)$/i;
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Manifest files below `dir`, as sorted paths relative to it with `/` separators. */
export function listManifestFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && MANIFEST.test(e.name)) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Files named by `paths` (a folder stands for every manifest below it), sorted, unique. */
export function expandPaths(dir: string, paths: string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const full = join(dir, p);
    if (statSync(full).isDirectory())
      for (const f of listManifestFiles(full)) out.add(`${p.replace(/\/$/, '')}/${f}`);
    else out.add(p);
  }
  return [...out].sort();
}

const TEMPLATE = /\{\{/;

/** Is this parsed document a Kubernetes object (apiVersion, kind, metadata.name)? */
function isK8sObject(v: unknown): v is Obj {
  return (
    isObj(v) &&
    typeof v.apiVersion === 'string' &&
    typeof v.kind === 'string' &&
    typeof obj(v.metadata).name === 'string' &&
    (obj(v.metadata).name as string).length > 0
  );
}

function isTemplate(v: Obj): boolean {
  const m = obj(v.metadata);
  return [v.apiVersion, v.kind, m.name, m.namespace].some(
    (x) => typeof x === 'string' && TEMPLATE.test(x),
  );
}

export interface FileStats {
  files: number;
  objects: number;
  templatesSkipped: number;
  unparseableDocs: number;
  notKubernetes: number;
}

/** Parse one file's documents; returns the values of documents that parsed. */
function parseDocuments(
  text: string,
  file: string,
  warn: (m: string) => void,
  stats: FileStats,
): unknown[] {
  const values: unknown[] = [];
  const docs = parseAllDocuments(text, {
    uniqueKeys: false,
    prettyErrors: false,
    logLevel: 'error',
  });
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, i) => {
    if (doc.errors.length) {
      stats.unparseableDocs++;
      const raw = text.slice(doc.range[0], doc.range[2]);
      warn(
        `${file}#${i}: ${TEMPLATE.test(raw) ? 'template placeholders, ' : ''}not valid YAML (${doc.errors[0]!.message.split('\n')[0]}); skipped`,
      );
      return;
    }
    try {
      values.push(doc.toJS({ maxAliasCount: 10_000 }));
    } catch (e) {
      stats.unparseableDocs++;
      warn(`${file}#${i}: ${(e as Error).message}; skipped`);
    }
  });
  return values;
}

/** Feed every Kubernetes object in the files to the reducer, with warnings for the rest. */
export function readManifests(dir: string, files: string[], reducer: SnapshotReducer): FileStats {
  const stats: FileStats = {
    files: 0,
    objects: 0,
    templatesSkipped: 0,
    unparseableDocs: 0,
    notKubernetes: 0,
  };
  for (const file of files) {
    const path = join(dir, file);
    const size = statSync(path).size;
    if (size > MAX_FILE_BYTES) {
      reducer.warn(file, `file is larger than ${MAX_FILE_BYTES} bytes; skipped`);
      continue;
    }
    stats.files++;
    const text = readFileSync(path, 'utf8');
    let values: unknown[];
    if (/\.json$/i.test(file)) {
      // JSON files are strict JSON, as kubectl reads them (no comments, no trailing commas).
      try {
        values = [JSON.parse(text)];
      } catch (e) {
        stats.unparseableDocs++;
        reducer.warn(file, `not valid JSON (${(e as Error).message}); skipped`);
        values = [];
      }
    } else values = parseDocuments(text, file, (m) => reducer.warn(file, m), stats);
    values.forEach((value, i) => {
      if (value === null || value === undefined) return;
      const source = `${file}#${i}`;
      const isList =
        isObj(value) &&
        typeof value.kind === 'string' &&
        value.kind.endsWith('List') &&
        Array.isArray(value.items);
      const items: unknown[] = isList ? (value.items as unknown[]) : [value];
      items.forEach((item, j) => {
        const src = isList ? `${source}.items[${j}]` : source;
        if (isK8sObject(item)) {
          if (isTemplate(item)) {
            stats.templatesSkipped++;
            reducer.warn(src, 'template placeholders in apiVersion/kind/name/namespace; skipped');
            return;
          }
          stats.objects++;
          reducer.add(item, src);
        } else {
          stats.notKubernetes++;
          const kind = isObj(item) ? str(item.kind) : null;
          reducer.warn(
            src,
            `not a Kubernetes object${kind ? ` (kind ${kind} without metadata.name)` : ''}; skipped`,
          );
        }
      });
    });
  }
  return stats;
}

export function collectOffline(opts: OfflineOptions): {
  snapshot: ClusterSnapshot;
  stats: FileStats;
} {
  const reducer = new SnapshotReducer(opts);
  let files = opts.paths ? expandPaths(opts.dir, opts.paths) : listManifestFiles(opts.dir);
  if (opts.reorder) files = opts.reorder(files);
  const stats = readManifests(opts.dir, files, reducer);
  const snapshot = reducer.finish({
    scanner: opts.scanner,
    collectedAt: opts.collectedAt,
    mode: 'offline',
    clusterName: opts.clusterName ?? basename(opts.dir),
    declaredClusterId: opts.clusterId,
    declaredNodeCount: opts.nodeCount,
  });
  return { snapshot, stats };
}
