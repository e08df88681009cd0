import type { ClusterSnapshot } from '@plumbline/contracts';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

/**
 * The same bytes as serializeSnapshot(), produced piece by piece: a large snapshot (100k pods)
 * is never held as one string and one buffer, only as the objects it already is. Used by live
 * scans for --out and --upload.
 */

const CHUNK = 64 * 1024;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON.stringify(v, null, 2) placed at `indent` (its inner lines shifted by it). */
function leaf(v: unknown, indent: string): string | undefined {
  const s = JSON.stringify(v, null, 2) as string | undefined;
  return s === undefined ? undefined : s.replace(/\n/g, `\n${indent}`);
}

function* pieces(value: unknown, indent: string, depth: number): Generator<string> {
  if (depth <= 1 && Array.isArray(value) && value.length > 0) {
    const inner = `${indent}  `;
    for (let i = 0; i < value.length; i++) {
      yield `${i === 0 ? '[\n' : ',\n'}${inner}`;
      yield* depth + 1 <= 1
        ? pieces(value[i], inner, depth + 1)
        : [leaf(value[i], inner) ?? 'null'];
    }
    yield `\n${indent}]`;
    return;
  }
  if (depth <= 1 && isPlainObject(value)) {
    const inner = `${indent}  `;
    // As JSON.stringify: keys whose value has no JSON form are left out.
    const keys = Object.keys(value).filter(
      (k) => !['undefined', 'function', 'symbol'].includes(typeof value[k]),
    );
    if (keys.length === 0) {
      yield '{}';
      return;
    }
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      yield `${i === 0 ? '{\n' : ',\n'}${inner}${JSON.stringify(k)}: `;
      yield* pieces(value[k], inner, depth + 1);
    }
    yield `\n${indent}}`;
    return;
  }
  yield leaf(value, indent) ?? 'null';
}

/** The snapshot's pretty JSON (with the final newline) in pieces of about 64 KiB. */
export function* snapshotChunks(snapshot: ClusterSnapshot): Generator<string> {
  let buffered: string[] = [];
  let size = 0;
  for (const p of pieces(snapshot, '', 0)) {
    buffered.push(p);
    size += p.length;
    if (size >= CHUNK) {
      yield buffered.join('');
      buffered = [];
      size = 0;
    }
  }
  buffered.push('\n');
  yield buffered.join('');
}

function source(snapshot: ClusterSnapshot): Readable {
  return Readable.from(snapshotChunks(snapshot), { objectMode: false });
}

/** Write the snapshot to a file (gzip when the name ends in .gz), as serializeSnapshot would. */
export async function writeSnapshotFile(snapshot: ClusterSnapshot, path: string): Promise<void> {
  const out = createWriteStream(path);
  if (/\.gz$/i.test(path)) await pipeline(source(snapshot), createGzip({ level: 9 }), out);
  else await pipeline(source(snapshot), out);
}

/** Write the snapshot's JSON to a text sink (stdout), piece by piece. */
export function writeSnapshotText(snapshot: ClusterSnapshot, write: (text: string) => void): void {
  for (const chunk of snapshotChunks(snapshot)) write(chunk);
}

export interface EncodedSnapshot {
  /** gzip of the snapshot JSON. */
  gzip: Buffer;
  /** sha256 hex of the uncompressed JSON (the upload's idempotency key). */
  sha256: string;
  /** Size of the uncompressed JSON. */
  rawBytes: number;
}

/** gzip and hash the snapshot JSON in one pass, holding only the compressed bytes. */
export async function encodeSnapshot(snapshot: ClusterSnapshot): Promise<EncodedSnapshot> {
  const hash = createHash('sha256');
  let rawBytes = 0;
  const tee = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      rawBytes += chunk.length;
      done(null, chunk);
    },
  });
  const parts: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      parts.push(chunk);
      done();
    },
  });
  await pipeline(source(snapshot), tee, createGzip({ level: 9 }), sink);
  return { gzip: Buffer.concat(parts), sha256: hash.digest('hex'), rawBytes };
}
