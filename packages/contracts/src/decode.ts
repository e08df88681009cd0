import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import {
  parseClusterSnapshot,
  SNAPSHOT_SCHEMA_VERSION,
  type ClusterSnapshot,
  type ContractIssue,
} from './cluster-snapshot.js';
import { gunzipWithin, type InflateBuffer } from './inflate.js';

/**
 * The one snapshot decoder, used by `plumbline-scanner validate`, by ingest (the API's upload,
 * in a worker thread, and agentless scans) and by the worker reading a stored snapshot back:
 * gzip (detected by its magic bytes) inflated with the size limit enforced while inflating,
 * the content hash of the JSON bytes, a nesting limit, JSON.parse, then the contract. A stored
 * snapshot was validated when it was ingested: given its hash (`trustedHash`), bytes that hash
 * the same are parsed without a second contract pass; given also the hash of the stored bytes
 * (`trustedStoredHash`), those are hashed instead of the inflated JSON (see SnapshotTrust).
 */

/** Deepest nesting of arrays/objects accepted in snapshot JSON. */
export const MAX_JSON_DEPTH = 64;

export interface SnapshotLimits {
  /** Largest decompressed JSON accepted, in bytes (far below V8's ~512 MiB string limit). */
  maxDecompressedBytes: number;
}

/**
 * Default decompressed-size limit in MiB (SNAPSHOT_MAX_DECOMPRESSED_MB, packages/config): about
 * half of V8's largest string (0x1fffffe8 UTF-16 units, ~512 Mi), so JSON.parse never meets it.
 */
export const SNAPSHOT_MAX_DECOMPRESSED_MB_DEFAULT = 256;
/** Highest value SNAPSHOT_MAX_DECOMPRESSED_MB accepts (still well below the V8 string limit). */
export const SNAPSHOT_MAX_DECOMPRESSED_MB_CEILING = 320;
export const DEFAULT_SNAPSHOT_LIMITS: SnapshotLimits = {
  maxDecompressedBytes: SNAPSHOT_MAX_DECOMPRESSED_MB_DEFAULT * 1024 * 1024,
};

export type SnapshotDecodeError = 'bad_request' | 'payload_too_large' | 'validation_failed';

export type DecodedSnapshot =
  | {
      ok: true;
      snapshot: ClusterSnapshot;
      /** sha256 hex of the decompressed JSON bytes. */
      contentHash: string;
      rawBytes: number;
      gzipped: boolean;
      /** False when the bytes matched `trustedHash` and the contract pass was skipped. */
      validated: boolean;
    }
  | { ok: false; code: SnapshotDecodeError; message: string; issues?: ContractIssue[] };

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

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Output buffer size for gunzip: the size the gzip trailer announces (ISIZE: the last member's
 * size mod 2^32, so only a hint) plus one, bounded by the limit and by deflate's largest ratio
 * (1032:1). When the hint is right, the whole output lands in one buffer: no list of 16 KiB chunks
 * and no concatenating copy, so half the off-heap memory, which V8 answers with full garbage
 * collections of the whole heap. A wrong hint only changes the chunking: the limit is enforced
 * while inflating either way.
 */
function inflateChunkSize(bytes: Uint8Array, max: number): number {
  const n = bytes.length;
  const isize =
    (bytes[n - 4]! | (bytes[n - 3]! << 8) | (bytes[n - 2]! << 16) | (bytes[n - 1]! << 24)) >>> 0;
  return Math.max(64 * 1024, Math.min(isize + 1, max + 1, n * 1032 + 1024));
}

/**
 * Inflate (when gzip) within the limit: the inflater stops as soon as the output exceeds it.
 * With a `buffer`, the bytes land in its reusable memory and are valid until its next use.
 */
export function inflateSnapshot(
  bytes: Uint8Array,
  limits: SnapshotLimits,
  buffer?: InflateBuffer,
):
  | { ok: true; raw: Buffer; gzipped: boolean }
  | { ok: false; code: SnapshotDecodeError; message: string } {
  const max = limits.maxDecompressedBytes;
  const gzipped = isGzip(bytes);
  let raw: Buffer;
  if (gzipped) {
    const out = gunzipWithin(bytes, max, inflateChunkSize(bytes, max), buffer);
    if (!out.ok)
      return out.tooLarge
        ? {
            ok: false,
            code: 'payload_too_large',
            message: `decompressed snapshot exceeds ${max} bytes`,
          }
        : { ok: false, code: 'bad_request', message: 'body is not valid gzip' };
    raw = out.raw;
  } else raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (raw.length > max)
    return { ok: false, code: 'payload_too_large', message: `snapshot exceeds ${max} bytes` };
  return { ok: true, raw, gzipped };
}

/**
 * Above this size the JSON is decoded as UTF-8 whatever it holds (see jsonText).
 */
const LATIN1_TEXT_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The JSON bytes as text. Snapshots are almost always pure ASCII, whose UTF-8 and Latin-1
 * decodings are the same string; Latin-1 decoding skips UTF-8 validation and is several times
 * faster on small and mid-sized snapshots (the ASCII check is one vectorised pass). But Node keeps
 * a large Latin-1 string off the V8 heap (a copy V8 counts as external memory, on top of the
 * inflated bytes): past a few tens of MiB that triggers a full collection of the whole heap,
 * which costs more than UTF-8 decoding, whose ASCII fast path builds an ordinary heap string.
 */
function jsonText(raw: Buffer): string {
  return raw.length <= LATIN1_TEXT_MAX_BYTES && isAscii(raw)
    ? raw.toString('latin1')
    : raw.toString('utf8');
}

export interface SnapshotTrust {
  /**
   * sha256 hex of the JSON bytes validated at ingest (the scan's content hash): decoded bytes
   * with this hash are not validated again.
   */
  trustedHash?: string;
  /**
   * sha256 hex of the stored bytes as they were written after that validation (gzip, about a
   * tenth of the JSON). With `trustedHash`: input bytes with this hash are what was validated,
   * so the JSON is neither hashed nor validated again and its content hash is `trustedHash`.
   * Other bytes fall back to the `trustedHash` check.
   */
  trustedStoredHash?: string | null;
}

export interface DecodeOptions extends SnapshotTrust {
  /**
   * Reusable memory to inflate into (a process that reads many snapshots keeps one: see
   * InflateBuffer). Without it, each gzip snapshot is inflated into a buffer of its own.
   */
  buffer?: InflateBuffer;
}

export function decodeSnapshot(
  bytes: Uint8Array,
  limits: SnapshotLimits,
  options: DecodeOptions = {},
): DecodedSnapshot {
  const storedMatch =
    options.trustedHash !== undefined &&
    typeof options.trustedStoredHash === 'string' &&
    createHash('sha256').update(bytes).digest('hex') === options.trustedStoredHash;
  const inflated = inflateSnapshot(bytes, limits, options.buffer);
  if (!inflated.ok) return inflated;
  const { raw, gzipped } = inflated;
  const contentHash = storedMatch
    ? options.trustedHash!
    : createHash('sha256').update(raw).digest('hex');
  const trusted = options.trustedHash !== undefined && options.trustedHash === contentHash;
  const text = jsonText(raw);
  if (!trusted && jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH)
    return {
      ok: false,
      code: 'bad_request',
      message: `JSON is nested deeper than ${MAX_JSON_DEPTH} levels`,
    };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      code: 'bad_request',
      message: `body is not valid JSON: ${(e as Error).message}`,
    };
  }
  const base = { contentHash, rawBytes: raw.length, gzipped };
  if (
    trusted &&
    json !== null &&
    typeof json === 'object' &&
    (json as { schemaVersion?: unknown }).schemaVersion === SNAPSHOT_SCHEMA_VERSION
  )
    return { ok: true, snapshot: json as ClusterSnapshot, ...base, validated: false };
  const parsed = parseClusterSnapshot(json);
  if (!parsed.ok)
    return {
      ok: false,
      code: 'validation_failed',
      message: 'snapshot does not match the contract',
      issues: parsed.issues,
    };
  return { ok: true, snapshot: parsed.snapshot, ...base, validated: true };
}
