import { analyze } from '@plumbline/analysis';
import { parseClusterSnapshot } from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { gunzipSync } from 'node:zlib';
import { PermanentJobError, type JobHandler } from '../port.js';

/** Hard cap on a snapshot's decompressed size when the worker reads it back. */
const MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024;

/**
 * snapshot.analyze: load the stored snapshot (scoped by organisation), run the analysis
 * pipeline, and store the result and the scan's new status in one transaction. Re-running it is
 * safe: the result is replaced, never duplicated.
 */
export function snapshotAnalyzeHandler(db: Database): JobHandler<'snapshot.analyze'> {
  return {
    name: 'snapshot.analyze',
    async run({ payload }, ctx) {
      const { organizationId, scanId } = payload;
      if (!(await db.scans.markRunning(organizationId, scanId))) {
        throw new PermanentJobError(`scan ${scanId} not found`);
      }
      const gzip = await db.scans.getSnapshotGzip(organizationId, scanId);
      if (!gzip) throw new PermanentJobError(`snapshot of scan ${scanId} is missing`);

      let json: unknown;
      try {
        const raw = gunzipSync(gzip, { maxOutputLength: MAX_SNAPSHOT_BYTES });
        json = JSON.parse(raw.toString('utf8'));
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
      const result = analyze({ snapshot: parsed.snapshot });
      await db.scans.completeWithResult(organizationId, scanId, {
        methodologyVersion: result.methodologyVersion,
        resultVersion: result.resultVersion,
        body: result,
      });
      ctx.log.info(
        { organizationId, scanId, objects: result.steps.inventory.totalObjects },
        'scan analysed',
      );
    },
    async onFinalFailure({ payload }, error) {
      await db.scans.markFailed(payload.organizationId, payload.scanId, error.message);
    },
  };
}
