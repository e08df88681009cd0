import type { ClusterSnapshot } from '@plumbline/contracts';
import {
  apiGroup,
  isClusterScoped,
  listManifestFiles,
  readManifests,
  SnapshotReducer,
  summarizeSkipped,
  type FileStats,
  type OfflineOptions,
} from '@plumbline/collector';
import { basename } from 'node:path';

/**
 * `scan --from-dir A --from-dir B ...`: manifests of several folders read as one cluster, the
 * later folders applied over the earlier ones as `kubectl apply` would: an object whose identity
 * (group, kind, namespace, name) is already there is merged into it (maps field by field, lists
 * of named items such as containers by name, other lists replaced), so a plan bundle's partial
 * objects (replicas, namespace labels) change the objects they name. Objects new in a later
 * folder are added. Every folder is read by the collector's reader (`readManifests`: content
 * sniffing, the per-file size limit, the skipped-files summary); with one folder this is exactly
 * the collector's offline read (`collectOffline`). Callers go through `readFolder`
 * (offline-input.ts), which adds `--max-file-size` and the no-usable-input check.
 */

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads raw objects instead of reducing them (readManifests feeds it). */
class Capture extends SnapshotReducer {
  readonly objects: { raw: Obj; source: string }[] = [];
  readonly notes: { source: string; message: string }[] = [];
  override add(raw: Obj, source: string): void {
    this.objects.push({ raw, source });
  }
  override warn(source: string, message: string): void {
    this.notes.push({ source, message });
  }
}

/** group, kind, namespace (defaulted by kind as the collector and kubectl do), name. */
export function identity(raw: Obj): string {
  const apiVersion = typeof raw.apiVersion === 'string' ? raw.apiVersion : '';
  const group = apiGroup(apiVersion);
  const kind = typeof raw.kind === 'string' ? raw.kind : '';
  const meta = isObj(raw.metadata) ? raw.metadata : {};
  const ns = isClusterScoped(group, kind)
    ? ''
    : typeof meta.namespace === 'string'
      ? meta.namespace
      : 'default';
  return `${group}\u0000${kind}\u0000${ns}\u0000${String(meta.name)}`;
}

const named = (xs: unknown[]): xs is Obj[] =>
  xs.length > 0 && xs.every((x) => isObj(x) && typeof x.name === 'string');

/** `patch` merged over `base`, as a strategic merge of a partial manifest (new object). */
export function mergeManifest(base: unknown, patch: unknown): unknown {
  if (isObj(base) && isObj(patch)) {
    const out: Obj = { ...base };
    for (const [k, v] of Object.entries(patch)) out[k] = k in base ? mergeManifest(base[k], v) : v;
    return out;
  }
  if (Array.isArray(base) && Array.isArray(patch) && named(base) && named(patch)) {
    const out: unknown[] = [...base];
    for (const p of patch) {
      const i = out.findIndex((b) => (b as Obj).name === p.name);
      if (i >= 0) out[i] = mergeManifest(out[i], p);
      else out.push(p);
    }
    return out;
  }
  return patch;
}

export function collectOfflineDirs(
  opts: Omit<OfflineOptions, 'dir' | 'paths' | 'reorder'> & { dirs: string[] },
): { snapshot: ClusterSnapshot; stats: FileStats } {
  const reducer = new SnapshotReducer(opts);
  const kept: { raw: Obj; source: string }[] = [];
  const byId = new Map<string, number>();
  const stats: FileStats = {
    files: 0,
    objects: 0,
    templatesSkipped: 0,
    unparseableDocs: 0,
    notKubernetes: 0,
    skipped: [],
  };
  opts.dirs.forEach((dir, d) => {
    const capture = new Capture(opts);
    const s = readManifests(dir, listManifestFiles(dir), capture, {
      maxFileBytes: opts.maxFileBytes,
    });
    const prefix = d === 0 ? '' : `${basename(dir)}:`;
    stats.files += s.files;
    stats.objects += s.objects;
    stats.templatesSkipped += s.templatesSkipped;
    stats.unparseableDocs += s.unparseableDocs;
    stats.notKubernetes += s.notKubernetes;
    stats.skipped.push(...s.skipped.map((k) => ({ ...k, file: prefix + k.file })));
    for (const w of capture.notes) reducer.warn(prefix + w.source, w.message);
    const seenHere = new Set<string>();
    for (const o of capture.objects) {
      const id = identity(o.raw);
      const at = byId.get(id);
      if (d > 0 && at !== undefined && !seenHere.has(id)) {
        kept[at] = { raw: mergeManifest(kept[at]!.raw, o.raw) as Obj, source: kept[at]!.source };
        continue;
      }
      seenHere.add(id);
      if (at === undefined) byId.set(id, kept.length);
      kept.push({ raw: o.raw, source: prefix + o.source });
    }
  });
  for (const o of kept) reducer.add(o.raw, o.source);
  // One summary line for every folder's skipped files, as collectOffline writes for one.
  const first = opts.dirs[0]!;
  const summary = summarizeSkipped(stats.skipped);
  if (summary) reducer.warn(first === '.' ? '.' : basename(first), summary);
  const snapshot = reducer.finish({
    scanner: opts.scanner,
    collectedAt: opts.collectedAt,
    mode: 'offline',
    clusterName: opts.clusterName ?? basename(first),
    declaredClusterId: opts.clusterId,
    declaredNodeCount: opts.nodeCount,
  });
  return { snapshot, stats };
}
