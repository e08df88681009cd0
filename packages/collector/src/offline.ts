import type { ClusterSnapshot } from '@plumbline/contracts';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import * as jsyaml from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { cmp, isObj, obj, str, type Obj } from './k8s.js';
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
  /** Per-file size limit in bytes (default DEFAULT_MAX_FILE_BYTES). */
  maxFileBytes?: number;
  /** Test hook: reorder the file list before reading (the output must not change). */
  reorder?: (files: string[]) => string[];
}

const MANIFEST = /\.(ya?ml|json)$/i;

/** Files larger than this are skipped unless raised (`scan --max-file-size`). */
export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;

/**
 * YAML aliases are expanded when a document is read: one document may not grow beyond this many
 * times its own text (plus a floor), however few or many aliases it takes to get there. A count of
 * aliases says nothing about the output: 5,000 nested aliases in a 300 KB file expand to gigabytes.
 */
export const ALIAS_EXPANSION_FACTOR = 10;
export const ALIAS_EXPANSION_FLOOR = 1024 * 1024;

/**
 * Candidate files below `dir` (every regular file but hidden ones and node_modules), as sorted
 * paths relative to it with `/` separators. Whether a file is a manifest is decided by its
 * content (see readManifests), not its extension: installs rendered to `.golden` files or to
 * files without an extension are read like `.yaml`.
 */
export function listManifestFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Files named by `paths` (a folder stands for every file below it), sorted, unique. */
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

/** A mapping that says what it is (apiVersion and kind): the content sniff for any file. */
function looksKubernetes(v: unknown): boolean {
  return isObj(v) && typeof v.apiVersion === 'string' && typeof v.kind === 'string';
}

function isTemplate(v: Obj): boolean {
  const m = obj(v.metadata);
  return [v.apiVersion, v.kind, m.name, m.namespace].some(
    (x) => typeof x === 'string' && TEMPLATE.test(x),
  );
}

/** Why a whole file contributed nothing. */
export type SkipReason =
  'too-large' | 'binary' | 'not-kubernetes' | 'invalid' | 'alias-expansion' | 'empty';

export interface SkippedFile {
  file: string;
  reason: SkipReason;
  detail: string;
}

export interface FileStats {
  /** Files read as manifests. */
  files: number;
  objects: number;
  templatesSkipped: number;
  unparseableDocs: number;
  notKubernetes: number;
  /** Files that gave no object, with the reason (summarized in one line: summarizeSkipped). */
  skipped: SkippedFile[];
}

const REASON_TEXT: Record<SkipReason, string> = {
  'too-large': 'over the size limit',
  binary: 'binary',
  'not-kubernetes': 'no Kubernetes document (apiVersion and kind)',
  invalid: 'not valid YAML/JSON',
  'alias-expansion': 'YAML aliases expand beyond the limit',
  empty: 'empty',
};

/**
 * One line naming every skipped file by reason, e.g.
 * `skipped 3 files: 2 no Kubernetes document (apiVersion and kind): README.md, notes.txt; 1 over
 * the size limit: big.yaml (20.0 MiB > 16.0 MiB, raise with --max-file-size)`. At most `perReason`
 * names per reason, then `and N more`. Empty string when nothing was skipped.
 */
export function summarizeSkipped(skipped: readonly SkippedFile[], perReason = 5): string {
  if (!skipped.length) return '';
  const by = new Map<SkipReason, SkippedFile[]>();
  for (const s of skipped) by.set(s.reason, [...(by.get(s.reason) ?? []), s]);
  const parts = [...by.entries()]
    .sort((a, b) => b[1].length - a[1].length || cmp(a[0], b[0]))
    .map(([reason, list]) => {
      const names = list
        .slice(0, perReason)
        .map((s) => (s.detail ? `${s.file} (${s.detail})` : s.file));
      const more = list.length > perReason ? `, and ${list.length - perReason} more` : '';
      return `${list.length} ${REASON_TEXT[reason]}: ${names.join(', ')}${more}`;
    });
  return `skipped ${skipped.length} file${skipped.length === 1 ? '' : 's'}: ${parts.join('; ')}`;
}

const mib = (n: number) =>
  n < 1024
    ? `${n} B`
    : n < 1024 * 1024
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${(n / (1024 * 1024)).toFixed(1)} MiB`;

/**
 * The size of a value once written out, counting what aliases share as often as it is referenced
 * (a YAML alias is the same JS object twice). Stops early at `limit`; a cycle counts as infinite.
 */
export function expandedSize(value: unknown, limit: number): number {
  const memo = new Map<object, number>();
  const active = new Set<object>();
  const size = (v: unknown): number => {
    if (typeof v === 'string') return v.length + 2;
    if (v === null || typeof v !== 'object') return 5;
    const known = memo.get(v);
    if (known !== undefined) return known;
    if (active.has(v)) return Infinity;
    active.add(v);
    let n = 2;
    if (Array.isArray(v)) {
      for (const x of v) {
        n += size(x) + 1;
        if (n > limit) break;
      }
    } else {
      for (const [k, x] of Object.entries(v as Obj)) {
        n += k.length + 4 + size(x);
        if (n > limit) break;
      }
    }
    active.delete(v);
    memo.set(v, n);
    return n;
  };
  return size(value);
}

/** Split YAML text into documents at `---` / `...` marker lines (directives go with the next). */
function splitDocuments(text: string): string[] {
  const out: string[] = [];
  const marker = /^(---|\.\.\.)(?:[ \t]|$)/;
  let start = 0;
  let body = false; // the current chunk has content besides directives, comments and blanks
  let pos = 0;
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    const line = text.slice(pos, end);
    if (line.startsWith('---') && marker.test(line) && body) {
      out.push(text.slice(start, pos));
      start = pos;
      body = line.slice(3).trim().length > 0 && !line.slice(3).trim().startsWith('#');
    } else if (line.startsWith('...') && marker.test(line)) {
      out.push(text.slice(start, end));
      start = end;
      body = false;
    } else if (!/^\s*(#.*)?\r?$/.test(line) && !line.startsWith('%') && !line.startsWith('---'))
      body = true;
    if (nl === -1) break;
    pos = nl + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

interface Parsed {
  values: unknown[];
  errors: number;
}

const YAML_OPTIONS = { json: true };

/**
 * Parse one file's YAML documents. The fast path reads the whole text with js-yaml (the
 * reference-sharing parser: aliases are not copied, so an alias bomb costs nothing until it is
 * measured). When that fails, each document is read on its own, so one bad document costs only
 * itself; a document js-yaml refuses (unknown `!` tags, collection keys from unquoted templates)
 * gets a second chance with the `yaml` package, which accepts them as kubectl does.
 */
function parseYaml(text: string, file: string, warn: (m: string) => void): Parsed {
  try {
    return { values: jsyaml.loadAll(text, YAML_OPTIONS), errors: 0 };
  } catch {
    // fall through: document by document
  }
  const values: unknown[] = [];
  let errors = 0;
  splitDocuments(text).forEach((chunk, i) => {
    try {
      values.push(...jsyaml.loadAll(chunk, YAML_OPTIONS));
      return;
    } catch {
      // second chance below
    }
    const docs = parseAllDocuments(chunk, {
      uniqueKeys: false,
      prettyErrors: false,
      logLevel: 'error',
    });
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      if (doc.errors.length) {
        errors++;
        warn(
          `${file}#${i}: ${TEMPLATE.test(chunk) ? 'template placeholders, ' : ''}not valid YAML (${doc.errors[0]!.message.split('\n')[0]}); skipped`,
        );
        continue;
      }
      try {
        // Rare path: keep aliases tightly bounded here (the yaml package copies them).
        values.push(doc.toJS({ maxAliasCount: 100 }));
      } catch (e) {
        errors++;
        warn(`${file}#${i}: ${(e as Error).message}; skipped`);
      }
    }
  });
  return { values, errors };
}

/** Core kinds a List without apiVersion may hold (a bare `kubectl get --raw` of the core API). */
const LIST_ITEM_API: Record<string, string> = {
  NetworkPolicy: 'networking.k8s.io/v1',
  Deployment: 'apps/v1',
  DaemonSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
};

/**
 * The items of a List document. A typed list (`PodList`, `NamespaceList`, `NetworkPolicyList`,
 * what the API server returns for a LIST) carries no `kind`/`apiVersion` on its items: they are
 * the List's kind without `List` and the List's apiVersion. A generic `kind: List` says nothing,
 * so its items must say it themselves.
 */
function listItems(list: Obj): unknown[] {
  const items = list.items as unknown[];
  const kind = str(list.kind)!;
  if (kind === 'List') return items;
  const itemKind = kind.slice(0, -'List'.length);
  const apiVersion = str(list.apiVersion) ?? LIST_ITEM_API[itemKind] ?? 'v1';
  return items.map((it) =>
    isObj(it) && it.kind === undefined && it.apiVersion === undefined
      ? { apiVersion, kind: itemKind, ...it }
      : it,
  );
}

/** Is the start of this buffer text (no NUL byte, valid enough UTF-8)? */
function isText(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 8192);
  return !head.includes(0);
}

export interface ReadOptions {
  /** Per-file size limit in bytes (default DEFAULT_MAX_FILE_BYTES). */
  maxFileBytes?: number;
}

/** Feed every Kubernetes object in the files to the reducer, with warnings for the rest. */
export function readManifests(
  dir: string,
  files: string[],
  reducer: SnapshotReducer,
  opts: ReadOptions = {},
): FileStats {
  const maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const stats: FileStats = {
    files: 0,
    objects: 0,
    templatesSkipped: 0,
    unparseableDocs: 0,
    notKubernetes: 0,
    skipped: [],
  };
  const skip = (file: string, reason: SkipReason, detail = '') =>
    stats.skipped.push({ file, reason, detail });
  for (const file of files) {
    const path = join(dir, file);
    const size = statSync(path).size;
    const known = MANIFEST.test(file);
    if (size > maxFileBytes) {
      skip(
        file,
        'too-large',
        `${mib(size)} > ${mib(maxFileBytes)}, raise the limit with --max-file-size`,
      );
      continue;
    }
    const bytes = readFileSync(path);
    if (!isText(bytes)) {
      skip(file, 'binary');
      continue;
    }
    const text = bytes.toString('utf8');
    if (known) stats.files++;
    if (!text.trim()) {
      skip(file, 'empty');
      continue;
    }
    // Documents are warned about only once the file is known to be a manifest.
    const pending: string[] = [];
    const warn = (m: string) => pending.push(m);
    let parsed: Parsed;
    const json = /\.json$/i.test(file) || (!known && /^\s*[{[]/.test(text));
    if (json) {
      // JSON files are strict JSON, as kubectl reads them (no comments, no trailing commas).
      try {
        parsed = { values: [JSON.parse(text)], errors: 0 };
      } catch (e) {
        if (!known) parsed = parseYaml(text, file, warn);
        else {
          parsed = { values: [], errors: 1 };
          warn(`not valid JSON (${(e as Error).message}); skipped`);
        }
      }
    } else parsed = parseYaml(text, file, warn);
    const values = parsed.values;
    if (!known && !values.some((v) => looksKubernetes(v))) {
      // Not named as a manifest and not one by content (prose, values files, test outputs).
      skip(file, 'not-kubernetes');
      continue;
    }
    const limit = Math.max(ALIAS_EXPANSION_FLOOR, ALIAS_EXPANSION_FACTOR * text.length);
    if (values.some((v) => v !== null && typeof v === 'object' && expandedSize(v, limit) > limit)) {
      skip(file, 'alias-expansion', `over ${mib(limit)}, ${ALIAS_EXPANSION_FACTOR}x the file`);
      continue;
    }
    if (!known) stats.files++;
    stats.unparseableDocs += parsed.errors;
    // Document warnings are kept only for files that gave objects: a file that gave none is one
    // entry of the skipped-files summary instead of a line per document.
    const notes: [string, string][] = pending.map((m) => [file, m]);
    const before = stats.objects;
    values.forEach((value, i) => {
      if (value === null || value === undefined) return;
      const source = `${file}#${i}`;
      const isList =
        isObj(value) &&
        typeof value.kind === 'string' &&
        value.kind.endsWith('List') &&
        Array.isArray(value.items);
      const items: unknown[] = isList ? listItems(value) : [value];
      items.forEach((item, j) => {
        const src = isList ? `${source}.items[${j}]` : source;
        if (isK8sObject(item)) {
          if (isTemplate(item)) {
            stats.templatesSkipped++;
            notes.push([src, 'template placeholders in apiVersion/kind/name/namespace; skipped']);
            return;
          }
          stats.objects++;
          reducer.add(item, src);
        } else {
          stats.notKubernetes++;
          const kind = isObj(item) ? str(item.kind) : null;
          notes.push([
            src,
            `not a Kubernetes object${kind ? ` (kind ${kind} without metadata.name)` : ''}; skipped`,
          ]);
        }
      });
    });
    if (stats.objects > before) for (const [src, m] of notes) reducer.warn(src, m);
    else
      skip(
        file,
        parsed.errors && !values.length ? 'invalid' : 'not-kubernetes',
        notes.length
          ? `${notes[0]![1].replace(/; skipped$/, '')}${notes.length > 1 ? ` (+${notes.length - 1})` : ''}`
          : '',
      );
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
  const stats = readManifests(opts.dir, files, reducer, { maxFileBytes: opts.maxFileBytes });
  const summary = summarizeSkipped(stats.skipped);
  if (summary) reducer.warn(opts.dir === '.' ? '.' : basename(opts.dir), summary);
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
