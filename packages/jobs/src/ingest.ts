import { inferEnvironment } from '@plumbline/analysis';
import { parseClusterSnapshot, type ClusterSnapshot } from '@plumbline/contracts';
import type { Database, StoredSnapshot } from '@plumbline/db';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * The one way a snapshot enters the system, whoever brings it (a scanner upload through the
 * API, or an agentless scan in a job): size limits (gzip-bomb safe), nesting limit, JSON, the
 * ClusterSnapshot contract, then the gzip bytes stored under their content hash (idempotent).
 * Nothing is written unless every check passes. The caller queues `snapshot.analyze`.
 */

export const MAX_JSON_DEPTH = 64;

/** Deepest nesting of arrays/objects in JSON text, found in one pass without parsing. */
export function jsonDepth(text: string, stopAt: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) max = depth;
      if (max > stopAt) return max;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** Why a snapshot was refused; `code` names the API error it becomes. */
export class SnapshotRejectedError extends Error {
  constructor(
    public readonly code: 'bad_request' | 'payload_too_large' | 'validation_failed',
    message: string,
    public readonly details?: string[],
  ) {
    super(message);
    this.name = 'SnapshotRejectedError';
  }
}

export interface IngestedSnapshot extends StoredSnapshot {
  snapshot: ClusterSnapshot;
  rawBytes: number;
}

/** Validate and store one snapshot (JSON bytes, optionally gzip). */
export async function ingestSnapshot(
  db: Database,
  organizationId: string,
  input: { body: Buffer; gzipped: boolean },
  limits: { maxDecompressedBytes: number },
): Promise<IngestedSnapshot> {
  const max = limits.maxDecompressedBytes;
  let raw: Buffer;
  try {
    raw = input.gzipped ? gunzipSync(input.body, { maxOutputLength: max }) : input.body;
  } catch (e) {
    const tooBig = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    throw tooBig
      ? new SnapshotRejectedError('payload_too_large', `decompressed snapshot exceeds ${max} bytes`)
      : new SnapshotRejectedError('bad_request', 'body is not valid gzip');
  }
  if (raw.length > max)
    throw new SnapshotRejectedError('payload_too_large', `snapshot exceeds ${max} bytes`);
  const text = raw.toString('utf8');
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    throw new SnapshotRejectedError(
      'bad_request',
      `JSON is nested deeper than ${MAX_JSON_DEPTH} levels`,
    );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SnapshotRejectedError(
      'bad_request',
      `body is not valid JSON: ${(e as Error).message}`,
    );
  }
  const parsed = parseClusterSnapshot(json);
  if (!parsed.ok)
    throw new SnapshotRejectedError(
      'validation_failed',
      'snapshot does not match the contract',
      parsed.issues.map((i) => `${i.path}: ${i.message}`),
    );
  const snapshot = parsed.snapshot;
  const stored = await db.scans.storeSnapshot(organizationId, {
    clusterExternalId: snapshot.cluster.id,
    clusterName: snapshot.cluster.name,
    contentHash: createHash('sha256').update(raw).digest('hex'),
    schemaVersion: snapshot.schemaVersion,
    gzip: new Uint8Array(input.gzipped ? input.body : gzipSync(raw)),
    rawBytes: raw.length,
    // Production or not, from environment labels and the name (an admin's setting wins).
    inferred: inferEnvironment(snapshot),
  });
  return { ...stored, snapshot, rawBytes: raw.length };
}
