import type { Database } from '@plumbline/db';
import type { FollowUp, JobHandler } from '../port.js';

/**
 * org.retention: delete the organisation's scans (with snapshots and analysis results) older
 * than its `snapshotRetentionDays`, always keeping the newest succeeded scan of each cluster;
 * audited as a system action, then the roll-up is refreshed when anything went. Idempotent: a
 * second run finds nothing left to delete.
 */
export function orgRetentionHandler(
  db: Database,
  followUp?: FollowUp,
  now: () => Date = () => new Date(),
): JobHandler<'org.retention'> {
  return {
    name: 'org.retention',
    async run({ payload, requestId }, ctx) {
      const { organizationId } = payload;
      const days = await db.lifecycle.retentionDays(organizationId);
      if (days === null) {
        ctx.log.info({ organizationId }, 'organisation gone; retention skipped');
        return;
      }
      const deleted = await db.lifecycle.purgeExpiredScans(organizationId, now());
      ctx.log.info({ organizationId, retentionDays: days, deleted }, 'retention applied');
      if (!deleted.scans) return;
      await db.audit.record({
        organizationId,
        actorType: 'system',
        action: 'retention.cleanup',
        targetType: 'organization',
        targetId: organizationId,
        metadata: { retentionDays: days, deleted },
        requestId,
      });
      await followUp?.('org.rollup', { organizationId, reason: 'retention cleanup' }, requestId);
    },
  };
}

/** retention.sweep (daily, system): one org.retention job per organisation with expired scans. */
export function retentionSweepHandler(
  db: Database,
  followUp?: FollowUp,
  now: () => Date = () => new Date(),
): JobHandler<'retention.sweep'> {
  return {
    name: 'retention.sweep',
    async run({ requestId }, ctx) {
      const orgs = await db.lifecycle.organizationsWithExpiredScans(now());
      for (const organizationId of orgs)
        await followUp?.('org.retention', { organizationId }, requestId);
      ctx.log.info({ organizations: orgs.length }, 'retention sweep queued');
    },
  };
}

/** The daily retention sweep's schedule, shared by every process that registers it. */
export const RETENTION_SWEEP = { schedulerId: 'retention-daily', hourUtc: 3 } as const;
