import { inferEnvironment, type InferredEnvironment } from '@plumbline/analysis';
import {
  decodeSnapshot,
  jsonDepth,
  MAX_JSON_DEPTH,
  type SnapshotDecodeError,
  type SnapshotLimits,
} from '@plumbline/contracts';
import type { Database, StoredSnapshot } from '@plumbline/db';
import { gzipSync } from 'node:zlib';

/**
 * The one way a snapshot enters the system, whoever brings it (a scanner upload through the
 * API, or an agentless scan in a job): `decodeSnapshot` (size limit enforced while inflating,
 * nesting limit, JSON, the ClusterSnapshot contract), then the gzip bytes stored under their
 * content hash (idempotent) in one transaction with the Cluster and Scan rows. Nothing is
 * written unless every check passes. The caller queues `snapshot.analyze`.
 *
 * The CPU part (`prepareSnapshot`) is separate from the write so the API can run it in a
 * worker thread (see decode-pool.ts): a big upload never blocks the event loop.
 */

export { jsonDepth, MAX_JSON_DEPTH };

/** Why a snapshot was refused; `code` names the API error it becomes. */
export class SnapshotRejectedError extends Error {
  constructor(
    public readonly code: SnapshotDecodeError,
    message: string,
    public readonly details?: string[],
  ) {
    super(message);
    this.name = 'SnapshotRejectedError';
  }
}

/** What the store needs of a decoded, validated snapshot (small, except the gzip bytes). */
export interface PreparedSnapshot {
  clusterExternalId: string;
  clusterName: string;
  schemaVersion: number;
  contentHash: string;
  rawBytes: number;
  gzip: Uint8Array<ArrayBuffer>;
  /** Production or not, inferred from environment labels and the cluster name. */
  inferred: InferredEnvironment;
}

export type PrepareOutcome =
  | { ok: true; prepared: PreparedSnapshot }
  | { ok: false; code: SnapshotDecodeError; message: string; details?: string[] };

/** Decode and validate one snapshot (JSON bytes, gzip or not) and gzip it for storage. */
export function prepareSnapshot(body: Uint8Array, limits: SnapshotLimits): PrepareOutcome {
  const d = decodeSnapshot(body, limits);
  if (!d.ok)
    return {
      ok: false,
      code: d.code,
      message: d.message,
      ...(d.issues ? { details: d.issues.map((i) => `${i.path}: ${i.message}`) } : {}),
    };
  return {
    ok: true,
    prepared: {
      clusterExternalId: d.snapshot.cluster.id,
      clusterName: d.snapshot.cluster.name,
      schemaVersion: d.snapshot.schemaVersion,
      contentHash: d.contentHash,
      rawBytes: d.rawBytes,
      gzip: new Uint8Array(d.gzipped ? body : gzipSync(body)),
      inferred: inferEnvironment(d.snapshot),
    },
  };
}

/** Runs `prepareSnapshot` somewhere (in this thread, or a worker thread in the API). */
export type SnapshotPreparer = (
  body: Uint8Array,
  limits: SnapshotLimits,
) => Promise<PrepareOutcome>;

export const prepareInThread: SnapshotPreparer = (body, limits) =>
  Promise.resolve(prepareSnapshot(body, limits));

export interface IngestedSnapshot extends StoredSnapshot {
  clusterName: string;
  rawBytes: number;
}

/** Validate and store one snapshot (JSON bytes, optionally gzip). */
export async function ingestSnapshot(
  db: Database,
  organizationId: string,
  body: Uint8Array,
  limits: SnapshotLimits,
  prepare: SnapshotPreparer = prepareInThread,
): Promise<IngestedSnapshot> {
  const outcome = await prepare(body, limits);
  if (!outcome.ok) throw new SnapshotRejectedError(outcome.code, outcome.message, outcome.details);
  return storePrepared(db, organizationId, outcome.prepared);
}

/** Store a prepared snapshot: Cluster, Scan and blob rows in one transaction (or none). */
export async function storePrepared(
  db: Database,
  organizationId: string,
  p: PreparedSnapshot,
): Promise<IngestedSnapshot> {
  const stored = await db.scans.storeSnapshot(organizationId, {
    clusterExternalId: p.clusterExternalId,
    clusterName: p.clusterName,
    contentHash: p.contentHash,
    schemaVersion: p.schemaVersion,
    gzip: p.gzip,
    rawBytes: p.rawBytes,
    // Production or not, from environment labels and the name (an admin's setting wins).
    inferred: p.inferred,
  });
  return { ...stored, clusterName: p.clusterName, rawBytes: p.rawBytes };
}
