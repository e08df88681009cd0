import type { OrgRollupResult } from '@plumbline/analysis';
import type { Database } from '@plumbline/db';
import { OrgRollups } from '@plumbline/read-models';
import { evaluateAlerts } from '../alerts/evaluate.js';
import type { RollupPace } from '../rollup-pace.js';
import {
  rollupJobOptions,
  type FollowUp,
  type JobContext,
  type JobHandler,
  type JobLogger,
} from '../port.js';

/**
 * Recompute and store the organisation's roll-up and its read models from each cluster's newest
 * digest (O(clusters) over small records: no snapshot is read). See `OrgRollups`.
 */
export async function computeOrgRollup(
  db: Database,
  organizationId: string,
  reason: string,
  log?: JobLogger,
  store: OrgRollups = new OrgRollups(db),
): Promise<OrgRollupResult> {
  return (await store.refresh(organizationId, reason, log)).rollup;
}

/**
 * Ask for the organisation roll-up, debounced (one job per organisation per window). The data it
 * rolls up is already stored: failing to queue it must not fail (and retry) the caller's job.
 */
export async function requestRollup(
  followUp: FollowUp | undefined,
  organizationId: string,
  reason: string,
  debounceMs: number,
  ctx: Pick<JobContext, 'log'>,
  requestId?: string,
): Promise<void> {
  try {
    await followUp?.(
      'org.rollup',
      { organizationId, reason },
      requestId,
      rollupJobOptions(organizationId, debounceMs, Date.now()),
    );
  } catch (e) {
    ctx.log.warn({ organizationId, err: (e as Error).message }, 'organisation roll-up not queued');
  }
}

/**
 * org.rollup: recompute organisation-level results after scans, uploads and edits. When it fails
 * for good, the organisation's roll-up is marked failed with the reason (shown on the overview
 * and counted by /readyz); the last good views stay.
 */
export function orgRollupHandler(
  db: Database,
  followUp?: FollowUp,
  pace?: RollupPace,
): JobHandler<'org.rollup'> {
  // One store per process: it caches parsed digests (immutable per scan and analysis time).
  const store = new OrgRollups(db);
  return {
    name: 'org.rollup',
    async run({ payload }, ctx) {
      // The organisation was deleted after the job was queued: nothing to roll up.
      if (!(await db.organizations.get(payload.organizationId))) {
        ctx.log.info(
          { organizationId: payload.organizationId },
          'organisation gone; roll-up skipped',
        );
        return;
      }
      const started = performance.now();
      const rollup = await computeOrgRollup(
        db,
        payload.organizationId,
        payload.reason,
        ctx.log,
        store,
      );
      pace?.record(payload.organizationId, performance.now() - started);
      // Alerts compare this roll-up with the state the last evaluation stored. A failure here
      // must not retry the roll-up (already stored): it is logged, and the next change evaluates.
      try {
        await evaluateAlerts(db, payload.organizationId, rollup, followUp, ctx.log);
      } catch (e) {
        ctx.log.error(
          { organizationId: payload.organizationId, err: (e as Error).message },
          'alert evaluation failed',
        );
      }
    },
    async onFinalFailure({ payload }, error) {
      if (!(await db.organizations.get(payload.organizationId))) return;
      await db.rollups.markFailed(payload.organizationId, error.message);
    },
  };
}
