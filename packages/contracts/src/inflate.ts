import { types } from 'node:util';
import { constants, Gunzip, gunzipSync } from 'node:zlib';

/**
 * Gunzip with a size limit, into memory that can be reused from one snapshot to the next.
 *
 * `gunzipSync` returns a fresh buffer each time. For a large snapshot that is tens of MiB of new
 * memory outside the V8 heap: the pages are faulted in as it is written, and V8 answers the
 * external allocation with a full collection of its heap (measured on a 100k-pod snapshot, 70 MiB
 * of JSON: a stored snapshot's read cost about 1.5x its JSON.parse, and without the fresh buffer
 * about 0.85x; bench/ingest.bench.mjs). A process that reads many snapshots (the worker) keeps one
 * InflateBuffer and inflates every snapshot into it.
 */

/** Largest buffer an InflateBuffer keeps between uses unless told otherwise (128 MiB). */
export const INFLATE_BUFFER_KEEP_BYTES = 128 * 1024 * 1024;

/**
 * A reusable output buffer for inflating snapshots, owned by one process or thread. It holds the
 * largest buffer it has handed out, up to `keepBytes` (a larger snapshot gets a buffer of its own,
 * not kept). The bytes it hands out are valid only until its next use: callers copy what they
 * keep (the decoder turns them into a string at once).
 */
export class InflateBuffer {
  private kept: Buffer | null = null;

  constructor(readonly keepBytes: number = INFLATE_BUFFER_KEEP_BYTES) {}

  /** A buffer of at least `size` bytes (its contents are whatever was written last). */
  take(size: number): Buffer {
    if (this.kept && this.kept.length >= size) return this.kept;
    const b = Buffer.allocUnsafe(size);
    if (size <= this.keepBytes) this.kept = b;
    return b;
  }

  /** Bytes held between uses (0 before the first use). */
  get heldBytes(): number {
    return this.kept?.length ?? 0;
  }
}

export type InflateOutcome =
  | { ok: true; raw: Buffer }
  | { ok: false; tooLarge: true }
  | { ok: false; tooLarge: false; message: string };

/**
 * The part of Node's zlib stream object this module drives: its native handle, which inflates
 * synchronously into an output buffer the caller gives (what gunzipSync does inside, into a
 * buffer of its own), and the two counters it writes back (output space left, input left).
 * Not a documented API: when a Node release changes it, `gunzipWithin` falls back to gunzipSync
 * (a decode test checks that this one runs).
 */
interface ZlibHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number,
  ): void;
  onerror: (message: string, errno: number, code?: string) => void;
}
interface DrivableGunzip {
  _handle: ZlibHandle;
  _writeState: Uint32Array;
  close(): void;
}

function drivable(z: Gunzip): DrivableGunzip | null {
  const d = z as unknown as Partial<DrivableGunzip>;
  return d._handle &&
    typeof d._handle.writeSync === 'function' &&
    // Not instanceof: the array comes from Node's own realm, which a test VM context is not.
    types.isUint32Array(d._writeState) &&
    d._writeState.length >= 2
    ? (d as DrivableGunzip)
    : null;
}

/** True when this Node's zlib can inflate into a given buffer (the reusable path). */
export function canInflateInto(): boolean {
  const z = new Gunzip({ chunkSize: 64 });
  const ok = drivable(z) !== null;
  z.close();
  return ok;
}

/**
 * Inflate gzip `bytes` (all members, as gunzipSync does), never past `max` bytes of output.
 * `sizeHint` is the expected output size plus one, at least 64 KiB (the decoder's
 * `inflateChunkSize`). With a `buffer`, into its memory: the output space starts at `sizeHint`
 * (at most max + 1) and doubles when filled, up to max + 1 bytes; filling that means the output
 * exceeds the limit. Without one (or when this Node's handle cannot be driven), gunzipSync with
 * `sizeHint` as its chunk size. The bytes are gunzipSync's either way; errors carry zlib's own messages.
 */
export function gunzipWithin(
  bytes: Uint8Array,
  max: number,
  sizeHint: number,
  buffer?: InflateBuffer,
): InflateOutcome {
  if (!buffer) return inflateFresh(bytes, max, sizeHint);
  const z = new Gunzip({ chunkSize: 64 });
  const d = drivable(z);
  if (!d) {
    z.close();
    return inflateFresh(bytes, max, sizeHint);
  }
  let error: string | null = null;
  // Errors are reported synchronously through the handle; the stream object is only closed.
  d._handle.onerror = (message) => {
    error = message;
  };
  let out = buffer.take(Math.min(Math.max(sizeHint, 1), max + 1));
  let outOff = 0;
  let inOff = 0;
  let inLen = bytes.length;
  try {
    for (;;) {
      const space = out.length - outOff;
      d._handle.writeSync(constants.Z_FINISH, bytes, inOff, inLen, out, outOff, space);
      if (error !== null) return { ok: false, tooLarge: false, message: error };
      const spaceLeft = d._writeState[0]!;
      const inLeft = d._writeState[1]!;
      outOff += space - spaceLeft;
      inOff += inLen - inLeft;
      inLen = inLeft;
      if (outOff > max) return { ok: false, tooLarge: true };
      if (spaceLeft !== 0) break;
      // The output space is full and more may come: a larger buffer, the bytes so far copied.
      const next = buffer.take(Math.min(max + 1, Math.max(out.length * 2, 64 * 1024)));
      if (next !== out) out.copy(next, 0, 0, outOff);
      out = next;
    }
  } finally {
    d.close();
  }
  return { ok: true, raw: out.subarray(0, outOff) };
}

/** gunzipSync into a buffer of its own (the path when the handle cannot be driven). */
function inflateFresh(bytes: Uint8Array, max: number, sizeHint: number): InflateOutcome {
  try {
    return { ok: true, raw: gunzipSync(bytes, { maxOutputLength: max, chunkSize: sizeHint }) };
  } catch (e) {
    const code = (e as { code?: string }).code;
    return code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError
      ? { ok: false, tooLarge: true }
      : { ok: false, tooLarge: false, message: (e as Error).message };
  }
}
