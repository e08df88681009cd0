import { analyze, summarize } from '@plumbline/analysis';
import {
  costAssumptionOverridesSchema,
  parseClusterSnapshot,
  type ClusterSnapshot,
} from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { gunzipSync } from 'node:zlib';
import { PermanentJobError, type FollowUp, type JobContext, type JobHandler } from '../port.js';

/** Hard cap on a snapshot's decompressed size when the worker reads it back. */
const MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024;

/** Decompress, parse and validate stored snapshot bytes (a bad blob is a permanent failure). */
export function readSnapshot(gzip: Uint8Array): ClusterSnapshot {
  let json: unknown;
  try {
    json = JSON.parse(gunzipSync(gzip, { maxOutputLength: MAX_SNAPSHOT_BYTES }).toString('utf8'));
  } catch (e) {
    throw new PermanentJobError(`stored snapshot is unreadable: ${(e as Error).message}`);
  }
  const parsed = parseClusterSnapshot(json);
  if (!parsed.ok) {
    const first = parsed.issues
      .slice(0, 3)
      .map((i) => `${i.path}: ${i.message}`)
      .join('; ');
    throw new PermanentJobError(`stored snapshot does not match the contract: ${first}`);
  }
  return parsed.snapshot;
}

/**
 * Analyse one stored scan (scoped by organisation) and store the result and the new status in
 * one transaction. Re-running it is safe: the result is replaced, never duplicated.
 */
export async function analyzeScan(
  db: Database,
  organizationId: string,
  scanId: string,
  ctx: JobContext,
): Promise<void> {
  if (!(await db.scans.markRunning(organizationId, scanId))) {
    throw new PermanentJobError(`scan ${scanId} not found`);
  }
  const gzip = await db.scans.getSnapshotGzip(organizationId, scanId);
  if (!gzip) throw new PermanentJobError(`snapshot of scan ${scanId} is missing`);
  const snapshot = readSnapshot(gzip);
  // The analysis is synchronous: hold the lock for it (30 s + 1 ms per object), or a big
  // snapshot would be taken for a dead worker's job and analysed twice.
  const objects = Object.values(snapshot).reduce(
    (n: number, v) => n + (Array.isArray(v) ? v.length : 0),
    0,
  );
  await ctx.extendLock?.(30_000 + objects);
  // The cluster-level cost uses the organisation's saved assumptions, like the fleet roll-up.
  const saved = costAssumptionOverridesSchema.safeParse(
    await db.rollups.costAssumptions(organizationId),
  );
  const result = analyze({ snapshot, assumptions: saved.success ? saved.data : {} });
  await db.scans.completeWithResult(organizationId, scanId, {
    methodologyVersion: result.methodologyVersion,
    resultVersion: result.resultVersion,
    body: result,
    summary: summarize(result, snapshot.collectedAt),
    collectedAt: new Date(snapshot.collectedAt),
  });
  ctx.log.info(
    { organizationId, scanId, objects: result.steps.inventory.totalObjects },
    'scan analysed',
  );
}

/**
 * Ask for the organisation roll-up. The analysis is already stored: failing to queue the
 * roll-up must not fail (and retry) the analysis; the next scan refreshes it.
 */
async function requestRollup(
  followUp: FollowUp | undefined,
  organizationId: string,
  reason: string,
  ctx: JobContext,
  requestId?: string,
): Promise<void> {
  try {
    await followUp?.('org.rollup', { organizationId, reason }, requestId);
  } catch (e) {
    ctx.log.warn({ organizationId, err: (e as Error).message }, 'organisation roll-up not queued');
  }
}

/** snapshot.analyze: analyse an uploaded scan, then refresh the organisation's roll-up. */
export function snapshotAnalyzeHandler(
  db: Database,
  followUp?: FollowUp,
): JobHandler<'snapshot.analyze'> {
  return {
    name: 'snapshot.analyze',
    async run({ payload, requestId }, ctx) {
      await analyzeScan(db, payload.organizationId, payload.scanId, ctx);
      await requestRollup(followUp, payload.organizationId, 'scan analysed', ctx, requestId);
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
): JobHandler<'snapshot.reanalyze'> {
  return {
    name: 'snapshot.reanalyze',
    async run({ payload, requestId }, ctx) {
      for (const scanId of payload.scanIds) {
        try {
          await analyzeScan(db, payload.organizationId, scanId, ctx);
        } catch (e) {
          if (!(e instanceof PermanentJobError)) throw e;
          await db.scans.markFailed(payload.organizationId, scanId, e.message);
        }
      }
      await requestRollup(followUp, payload.organizationId, 'methodology changed', ctx, requestId);
    },
  };
}
