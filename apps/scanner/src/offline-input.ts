import {
  collectOffline,
  DEFAULT_MAX_FILE_BYTES,
  summarizeSkipped,
  type FileStats,
  type OfflineOptions,
} from '@plumbline/collector';
import type { ClusterSnapshot } from '@plumbline/contracts';
import { collectOfflineDirs } from './offline-dirs.js';
import type { Reporter } from './output.js';

/** Exit code when a folder held no usable Kubernetes object (see EXIT in scan.ts). */
export const EXIT_NO_INPUT = 8;

/**
 * `--max-file-size`: bytes, or a number with K/M/G (binary units, optional `iB`/`B`), e.g. `64M`.
 * Returns null when the text is not a positive size.
 */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMG])?(?:i?B)?\s*$/i.exec(text);
  if (!m) return null;
  const unit = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(m[2] ?? '').toUpperCase()] ?? 1;
  const n = Math.floor(Number(m[1]) * unit);
  return n > 0 ? n : null;
}

export interface FolderRead {
  snapshot: ClusterSnapshot;
  stats: FileStats;
}

/**
 * Read a folder of manifests and refuse to go on when it held no Kubernetes object (an empty
 * folder, or every file skipped): a report on nothing would look like a clean cluster. Returns
 * the exit code instead of the snapshot in that case, unless `allowEmpty`. Warnings (one summary
 * line for skipped files, one line per bad document of a read file) go to the reporter.
 * `extraDirs` (a repeated `--from-dir`) are read the same way and applied over `dir` as
 * `kubectl apply` would (offline-dirs.ts); the check then applies to all folders together.
 */
export function readFolder(
  opts: Omit<OfflineOptions, 'maxFileBytes'> & {
    extraDirs?: string[];
    maxFileSize?: string;
    allowEmpty?: boolean;
  },
  reporter: Reporter,
): FolderRead | { code: number } {
  let maxFileBytes = DEFAULT_MAX_FILE_BYTES;
  if (opts.maxFileSize !== undefined) {
    const n = parseSize(opts.maxFileSize);
    if (n === null) {
      reporter.error(
        `--max-file-size must be a size such as 33554432, 32M or 1G, got "${opts.maxFileSize}"`,
      );
      return { code: 2 };
    }
    maxFileBytes = n;
  }
  const { extraDirs, ...one } = opts;
  const dirs = [opts.dir, ...(extraDirs ?? [])];
  const read = extraDirs?.length
    ? collectOfflineDirs({ ...one, dirs, maxFileBytes })
    : collectOffline({ ...one, maxFileBytes });
  const empty = read.stats.objects === 0 && !opts.allowEmpty;
  const skipped = summarizeSkipped(read.stats.skipped);
  for (const w of read.snapshot.warnings)
    if (!(empty && w.message === skipped)) reporter.warn(w.message, { source: w.source });
  if (empty) {
    reporter.error(
      `no Kubernetes object found in ${dirs.join(', ')}${skipped ? ` (${skipped})` : dirs.length > 1 ? ' (the folders hold no file)' : ' (the folder holds no file)'}; nothing to report. Use --allow-empty to go on anyway`,
    );
    return { code: EXIT_NO_INPUT };
  }
  return read;
}
