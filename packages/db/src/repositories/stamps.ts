/**
 * Read stamps of organisation $1 as scalar subqueries, so that a statement can read several at
 * once (each is also read alone by its repository).
 */

/**
 * The clusters' stamp: count and newest of the clusters' read stamps (kept by database triggers;
 * moves whenever a cluster, any of its scans or any scan's result is written or deleted).
 */
export const FLEET_STAMP_SQL = `(SELECT count(*)::text || '/' || coalesce(max("stamp"), 0)::text
  FROM "ClusterReadStamp" WHERE "organizationId" = $1::uuid)`;

/** The evidence stamp: count and newest upload (ISO time); moves with every upload and deletion. */
export const EVIDENCE_STAMP_SQL = `(SELECT count(*)::text || '/' || coalesce(to_char(
    max("createdAt") AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '-')
  FROM "EvidenceUpload" WHERE "organizationId" = $1::uuid)`;
