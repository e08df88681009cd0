import { z } from 'zod';

/**
 * The snapshot ingest contract between the scanner's upload client and `POST /v1/snapshots`.
 *
 * Request: `Authorization: Bearer <scanner token>`, `Content-Type: application/json`, the
 * snapshot JSON as the body, gzip-compressed with `Content-Encoding: gzip` (recommended), and
 * `Idempotency-Key: <sha256 hex of the uncompressed JSON bytes>`: the same snapshot uploaded
 * twice (a retry after a lost answer) is stored once. The API derives the same hash from the
 * body it receives, so the key is advisory.
 *
 * Response: 202 with `duplicate: false` when the snapshot is new and queued for analysis;
 * 200 with `duplicate: true` when the same bytes were already received (the earlier scan is
 * returned). Errors use the common `{ error: { code, message, details?, requestId? } }` shape:
 * 400 bad body, 401 bad token, 413 too large, 415 wrong media type, 422 contract violation,
 * 429/5xx transient (retry with backoff).
 */

export const INGEST_PATH = '/v1/snapshots';
export const INGEST_IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** Statuses of a successful upload. */
export const INGEST_ACCEPTED = 202;
export const INGEST_DUPLICATE = 200;

/** Statuses worth retrying (with backoff and a bounded number of attempts). */
export const INGEST_RETRYABLE_STATUSES: readonly number[] = [408, 425, 429, 500, 502, 503, 504];

export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase sha256 hex digest');

export const ingestRequestHeadersSchema = z.object({
  authorization: z.string().regex(/^Bearer \S+$/, 'Authorization: Bearer <scanner token>'),
  'content-type': z.literal('application/json'),
  'content-encoding': z.enum(['gzip', 'identity']).optional(),
  'idempotency-key': sha256HexSchema.optional(),
});
export type IngestRequestHeaders = z.infer<typeof ingestRequestHeadersSchema>;

export const ingestScanStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed']);
export type IngestScanStatus = z.infer<typeof ingestScanStatusSchema>;

export const ingestResponseSchema = z.object({
  scanId: z.string().min(1),
  clusterId: z.string().min(1),
  status: ingestScanStatusSchema,
  duplicate: z.boolean(),
});
export type IngestResponse = z.infer<typeof ingestResponseSchema>;
