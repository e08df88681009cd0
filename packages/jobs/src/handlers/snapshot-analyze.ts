import { analyze, clusterDigest, summarize } from '@plumbline/analysis';
import {
  decodeSnapshot,
  DEFAULT_SNAPSHOT_LIMITS,
  InflateBuffer,
  type ClusterSnapshot,
  type EvidenceUpload,
  type SnapshotLimits,
  type SnapshotTrust,
} from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { loadEvidence } from '@plumbline/read-models';
import {
  PermanentJobError,
  ROLLUP_DEBOUNCE_MS,
  type FollowUp,
  type JobContext,
  type JobHandler,
} from '../port.js';
import { RollupPace } from '../rollup-pace.js';
import { requestRollup } from './org-rollup.js';

/**
 * The memory this process inflates stored snapshots into, reused from one read to the next (a
 * fresh buffer per snapshot costs a full garbage collection on large ones: see InflateBuffer).
 * Reads are synchronous, so jobs running side by side never use it at the same time.
 */
const inflateBuffer = new InflateBuffer();

/**
 * Decompress and parse stored snapshot bytes (a bad blob is a permanent failure). A snapshot
 * was validated once, when it was ingested: stored bytes that still hash to the hash recorded
 * with them (or, for older blobs, JSON that hashes to the scan's `contentHash`) are trusted
 * without a second contract pass; anything else is validated again.
 */
export function readSnapshot(
  gzip: Uint8Array,
  options: SnapshotTrust & { maxDecompressedBytes?: number; buffer?: InflateBuffer } = {},
): ClusterSnapshot {
  const { maxDecompressedBytes, buffer, ...trust } = options;
  const d = decodeSnapshot(
    gzip,
    { maxDecompressedBytes: maxDecompressedBytes ?? DEFAULT_SNAPSHOT_LIMITS.maxDecompressedBytes },
    { ...trust, buffer: buffer ?? inflateBuffer },
  );
  if (d.ok) return d.snapshot;
  if (d.code !== 'validation_failed')
    throw new PermanentJobError(`stored snapshot is unreadable: ${d.message}`);
  const first = (d.issues ?? [])
    .slice(0, 3)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
  throw new PermanentJobError(`stored snapshot does not match the contract: ${first}`);
}

/**
 * How long to hold a job's lock while its stored snapshot is decoded (synchronous gunzip and
 * JSON.parse: a blocked event loop cannot renew the lock, and a job whose lock lapses is handed
 * to another worker mid-run): 30 s plus 1 ms per 100 bytes of gzip (about 1 ms per KB of JSON).
 */
export const decodeLockMs = (gzip: Uint8Array): number => 30_000 + Math.ceil(gzip.byteLength / 100);

/** Objects in a snapshot (every top-level list): what the synchronous work grows with. */
export const objectCount = (snapshot: ClusterSnapshot): number =>
  Object.values(snapshot).reduce((n: number, v) => n + (Array.isArray(v) ? v.length : 0), 0);

/** The organisation's validated evidence uploads, re-read only when one was added or deleted. */
export type EvidenceSource = (organizationId: string) => Promise<readonly EvidenceUpload[]>;

export function evidenceSource(db: Database): EvidenceSource {
  const cache = new Map<string, { stamp: string; uploads: readonly EvidenceUpload[] }>();
  return async (organizationId) => {
    const stamp = await db.evidence.stamp(organizationId);
    const hit = cache.get(organizationId);
    if (hit?.stamp === stamp) return hit.uploads;
    const { uploads } = await loadEvidence(db, organizationId);
    if (cache.size >= 256) cache.delete(cache.keys().next().value!);
    cache.set(organizationId, { stamp, uploads });
    return uploads;
  };
}

/**
 * Analyse one stored scan (scoped by organisation) with the organisation's evidence uploads and
 * store the result, its history summary, its roll-up digest and the new status in one
 * transaction. The result depends only on the snapshot and the evidence (priced with the default
 * assumptions; the organisation's are applied from the digest when shown), so an assumption or
 * self-assessment edit never re-runs it. Re-running it is safe: the result is replaced.
 */
export async function analyzeScan(
  db: Database,
  organizationId: string,
  scanId: string,
  ctx: Pick<JobContext, 'log' | 'extendLock'>,
  evidence: EvidenceSource = evidenceSource(db),
  limits: SnapshotLimits = DEFAULT_SNAPSHOT_LIMITS,
): Promise<void> {
  const run = await db.scans.markRunning(organizationId, scanId);
  if (run === null) throw new PermanentJobError(`scan ${scanId} not found`);
  const scan = await db.scans.get(organizationId, scanId);
  const blob = await db.scans.getSnapshotBlob(organizationId, scanId);
  if (!blob || !scan) throw new PermanentJobError(`snapshot of scan ${scanId} is missing`);
  await ctx.extendLock?.(decodeLockMs(blob.gzip));
  const snapshot = readSnapshot(blob.gzip, {
    trustedHash: scan.contentHash,
    trustedStoredHash: blob.gzipSha256,
    maxDecompressedBytes: limits.maxDecompressedBytes,
  });
  const uploads = await evidence(organizationId);
  // The analysis is synchronous: hold the lock for it (30 s + 1 ms per object), or a big
  // snapshot would be taken for a dead worker's job and analysed twice. Nothing is awaited
  // between the extension and the analysis: the queue's own renewal, which runs whenever this
  // process waits, resets the lock to its base duration.
  await ctx.extendLock?.(30_000 + objectCount(snapshot));
  const result = analyze({ snapshot, evidence: uploads });
  const stored = await db.scans.completeWithResult(
    organizationId,
    scanId,
    {
      methodologyVersion: result.methodologyVersion,
      resultVersion: result.resultVersion,
      body: result,
      summary: summarize(result, snapshot.collectedAt),
      digest: clusterDigest(result, snapshot),
      collectedAt: new Date(snapshot.collectedAt),
    },
    { run },
  );
  ctx.log.info(
    { organizationId, scanId, objects: result.steps.inventory.totalObjects, run },
    stored ? 'scan analysed' : 'scan analysed, result dropped: a later analysis of it has started',
  );
}

/** snapshot.analyze: analyse an uploaded scan, then refresh the organisation's roll-up. */
export function snapshotAnalyzeHandler(
  db: Database,
  followUp?: FollowUp,
  debounceMs = ROLLUP_DEBOUNCE_MS,
  limits: SnapshotLimits = DEFAULT_SNAPSHOT_LIMITS,
  pace: RollupPace = new RollupPace(),
): JobHandler<'snapshot.analyze'> {
  const evidence = evidenceSource(db);
  return {
    name: 'snapshot.analyze',
    async run({ payload, requestId }, ctx) {
      await analyzeScan(db, payload.organizationId, payload.scanId, ctx, evidence, limits);
      await requestRollup(
        followUp,
        payload.organizationId,
        'scan analysed',
        pace.windowMs(payload.organizationId, debounceMs),
        ctx,
        requestId,
      );
    },
    async onFinalFailure({ payload }, error) {
      await db.scans.markFailed(payload.organizationId, payload.scanId, error.message);
    },
  };
}

/** snapshot.reanalyze: re-run the current methodology over stored scans of one organisation. */
export function snapshotReanalyzeHandler(
  db: Database,
  followUp?: FollowUp,
  debounceMs = ROLLUP_DEBOUNCE_MS,
  limits: SnapshotLimits = DEFAULT_SNAPSHOT_LIMITS,
  pace: RollupPace = new RollupPace(),
): JobHandler<'snapshot.reanalyze'> {
  const evidence = evidenceSource(db);
  return {
    name: 'snapshot.reanalyze',
    async run({ payload, requestId }, ctx) {
      for (const scanId of payload.scanIds) {
        try {
          await analyzeScan(db, payload.organizationId, scanId, ctx, evidence, limits);
        } catch (e) {
          if (!(e instanceof PermanentJobError)) throw e;
          await db.scans.markFailed(payload.organizationId, scanId, e.message);
        }
      }
      await requestRollup(
        followUp,
        payload.organizationId,
        'scans re-analysed',
        pace.windowMs(payload.organizationId, debounceMs),
        ctx,
        requestId,
      );
    },
  };
}
