import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { minimalSnapshot } from './cluster-snapshot.js';
import { decodeSnapshot, isGzip, jsonDepth, MAX_JSON_DEPTH } from './decode.js';
import { canInflateInto, gunzipWithin, InflateBuffer } from './inflate.js';
import { isStorableText, TEXT_PROBLEM, text, unstorableTextPath } from './text.js';

const limits = { maxDecompressedBytes: 1024 * 1024 };
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('decodeSnapshot', () => {
  const json = Buffer.from(JSON.stringify(minimalSnapshot('dec', { namespaces: ['a'] })));

  it('decodes plain and gzip bytes alike, with the hash of the JSON bytes', () => {
    for (const bytes of [json, gzipSync(json)]) {
      const d = decodeSnapshot(bytes, limits);
      expect(d).toMatchObject({
        ok: true,
        contentHash: sha(json),
        rawBytes: json.length,
        gzipped: isGzip(bytes),
        validated: true,
      });
    }
  });

  it('enforces the limit while inflating: a bomb never expands past it', () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
    expect(decodeSnapshot(bomb, limits)).toMatchObject({ ok: false, code: 'payload_too_large' });
    expect(
      decodeSnapshot(Buffer.alloc(limits.maxDecompressedBytes + 1, 0x20), limits),
    ).toMatchObject({ ok: false, code: 'payload_too_large' });
  });

  it('takes the gzip size trailer as a hint only: a wrong one changes nothing', () => {
    const gz = gzipSync(json);
    const withIsize = (n: number) => {
      const b = Buffer.from(gz);
      b.writeUInt32LE(n >>> 0, b.length - 4);
      return b;
    };
    // zlib checks the trailer after inflating: a lying one is refused as broken gzip, whatever
    // buffer size it suggested, and never gets past the limit.
    for (const n of [0, 1, json.length - 1, json.length + 1, 0xffffffff])
      expect(decodeSnapshot(withIsize(n), limits)).toMatchObject({
        ok: false,
        code: 'bad_request',
      });
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
    const small = Buffer.from(bomb);
    small.writeUInt32LE(16, small.length - 4);
    expect(decodeSnapshot(small, limits)).toMatchObject({ ok: false, code: 'payload_too_large' });
    // Exactly at the limit still decodes (whitespace, then the JSON).
    const atLimit = Buffer.concat([
      Buffer.alloc(limits.maxDecompressedBytes - json.length, 0x20),
      json,
    ]);
    expect(decodeSnapshot(gzipSync(atLimit), limits)).toMatchObject({
      ok: true,
      rawBytes: limits.maxDecompressedBytes,
    });
  });

  it('refuses broken gzip, bad JSON, deep nesting and contract violations with a reason', () => {
    const cut = gzipSync(json).subarray(0, 40);
    expect(decodeSnapshot(cut, limits)).toMatchObject({ ok: false, code: 'bad_request' });
    expect(decodeSnapshot(Buffer.from('{"a":'), limits)).toMatchObject({
      ok: false,
      code: 'bad_request',
      message: expect.stringMatching(/not valid JSON/),
    });
    const deep = Buffer.from('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1));
    expect(decodeSnapshot(deep, limits)).toMatchObject({ ok: false, code: 'bad_request' });
    const bad = Buffer.from(JSON.stringify({ schemaVersion: 1 }));
    const r = decodeSnapshot(bad, limits);
    expect(r).toMatchObject({ ok: false, code: 'validation_failed' });
  });

  it('trusts bytes by their hash (no contract pass) and validates anything else', () => {
    // Contract-violating JSON standing in for a stored snapshot: trusted only under its own hash.
    const odd = Buffer.from(JSON.stringify({ schemaVersion: 1, cluster: { name: 'x' } }));
    const trusted = decodeSnapshot(gzipSync(odd), limits, { trustedHash: sha(odd) });
    expect(trusted).toMatchObject({ ok: true, validated: false });
    const other = decodeSnapshot(gzipSync(odd), limits, { trustedHash: sha(json) });
    expect(other).toMatchObject({ ok: false, code: 'validation_failed' });
    // Another schema version is always validated.
    const v9 = Buffer.from(JSON.stringify({ schemaVersion: 9 }));
    expect(decodeSnapshot(v9, limits, { trustedHash: sha(v9) })).toMatchObject({ ok: false });
  });

  it('trusts stored bytes by the hash recorded with them, without hashing the JSON', () => {
    const odd = Buffer.from(JSON.stringify({ schemaVersion: 1, cluster: { name: 'x' } }));
    const stored = gzipSync(odd);
    // The stored bytes hash to the recorded hash: trusted, and the content hash is the scan's.
    const trusted = decodeSnapshot(stored, limits, {
      trustedHash: sha(odd),
      trustedStoredHash: sha(stored),
    });
    expect(trusted).toMatchObject({ ok: true, validated: false, contentHash: sha(odd) });
    // Other bytes under that recorded hash (same JSON compressed differently, or other JSON):
    // the recorded hash does not vouch for them; the JSON's own hash decides.
    const recompressed = gzipSync(odd, { level: 1 });
    expect(sha(recompressed)).not.toBe(sha(stored));
    expect(
      decodeSnapshot(recompressed, limits, {
        trustedHash: sha(odd),
        trustedStoredHash: sha(stored),
      }),
    ).toMatchObject({ ok: true, validated: false, contentHash: sha(odd) });
    const swapped = gzipSync(Buffer.from(JSON.stringify({ schemaVersion: 1, cluster: {} })));
    expect(
      decodeSnapshot(swapped, limits, { trustedHash: sha(odd), trustedStoredHash: sha(stored) }),
    ).toMatchObject({ ok: false, code: 'validation_failed' });
    // A recorded hash alone, without the content hash it vouches for, trusts nothing.
    expect(decodeSnapshot(stored, limits, { trustedStoredHash: sha(stored) })).toMatchObject({
      ok: false,
      code: 'validation_failed',
    });
    // Nor does a missing one (blobs stored before it was recorded): the JSON's hash decides.
    expect(
      decodeSnapshot(stored, limits, { trustedHash: sha(odd), trustedStoredHash: null }),
    ).toMatchObject({ ok: true, validated: false });
    // A good snapshot under a matching recorded hash decodes to the same object as validated.
    const good = gzipSync(json);
    const viaStored = decodeSnapshot(good, limits, {
      trustedHash: sha(json),
      trustedStoredHash: sha(good),
    });
    const viaContract = decodeSnapshot(good, limits);
    expect(viaStored.ok && viaContract.ok && viaStored.snapshot).toEqual(
      viaContract.ok && viaContract.snapshot,
    );
  });

  it('counts nesting outside strings only', () => {
    expect(jsonDepth('{"a":"[[[[["}', 10)).toBe(1);
    expect(jsonDepth('[[["\\"[["]]]', 10)).toBe(3);
  });
});

describe('inflating into reusable memory', () => {
  const json = Buffer.from(JSON.stringify(minimalSnapshot('reuse', { namespaces: ['a', 'b'] })));
  const noise = (n: number, seed: number) => {
    // Incompressible-ish bytes (a linear congruential sequence): gzip of them is about as large.
    const b = Buffer.alloc(n);
    let x = seed;
    for (let i = 0; i < n; i++) b[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    return b;
  };
  const gz = gzipSync(json);
  const withIsize = (b: Buffer, n: number) => {
    const c = Buffer.from(b);
    c.writeUInt32LE(n >>> 0, c.length - 4);
    return c;
  };
  const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
  const padded = (n: number) => Buffer.concat([Buffer.alloc(n, 0x20), json]);
  // What a stored blob can be: well-formed, several gzip members (ISIZE names the last one
  // only), a short last member (the hint is far too small, so the output space grows), trailing
  // bytes, a lying or cut trailer, corrupt data, a bomb, exactly at and just past the limit.
  const inputs: Record<string, Buffer> = {
    plain: gz,
    members: Buffer.concat([gzipSync(padded(300_000)), gzipSync(Buffer.from(' '))]),
    shortLastMember: Buffer.concat([gzipSync(noise(200_000, 7)), gzipSync(json)]),
    trailingBytes: Buffer.concat([gz, Buffer.from('trailing')]),
    isizeZero: withIsize(gz, 0),
    isizeHuge: withIsize(gz, 0xffffffff),
    cut: gz.subarray(0, gz.length - 9),
    corrupt: Buffer.concat([gz.subarray(0, 12), Buffer.alloc(20, 0xff), gz.subarray(32)]),
    bomb,
    bombSmallHint: withIsize(bomb, 16),
    atLimit: gzipSync(padded(limits.maxDecompressedBytes - json.length)),
    pastLimit: gzipSync(padded(limits.maxDecompressedBytes - json.length + 1)),
  };

  it('runs on this Node: its zlib handle can be driven (else every read takes the fresh path)', () => {
    expect(canInflateInto()).toBe(true);
  });

  it('gives the bytes and errors gunzipSync gives, for every kind of stored blob', () => {
    const reused = new InflateBuffer();
    for (const [name, bytes] of Object.entries(inputs)) {
      let expected: string;
      try {
        const out = gunzipSync(bytes, { maxOutputLength: limits.maxDecompressedBytes });
        expected = `ok ${sha(out)}`;
      } catch (e) {
        expected = (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too large' : 'bad';
      }
      for (const buffer of [undefined, reused, new InflateBuffer()]) {
        const got = gunzipWithin(bytes, limits.maxDecompressedBytes, 64 * 1024, buffer);
        const seen = got.ok ? `ok ${sha(got.raw)}` : got.tooLarge ? 'too large' : 'bad';
        expect(`${name}: ${seen}`).toBe(`${name}: ${expected}`);
      }
      const a = decodeSnapshot(bytes, limits);
      const b = decodeSnapshot(bytes, limits, { buffer: reused });
      expect(b).toEqual(a);
    }
    // Never more memory than the limit allows, bombs included.
    expect(reused.heldBytes).toBeLessThanOrEqual(limits.maxDecompressedBytes + 1);
    expect(reused.heldBytes).toBeGreaterThan(0);
  });

  it('reuses one buffer across snapshots of any size, and keeps none past its cap', () => {
    const buffer = new InflateBuffer(512 * 1024);
    const small = decodeSnapshot(gz, limits, { buffer });
    const held = buffer.heldBytes;
    const big = decodeSnapshot(gzipSync(padded(400_000)), limits, { buffer });
    expect(buffer.heldBytes).toBeGreaterThan(held);
    const again = decodeSnapshot(gz, limits, { buffer });
    // The snapshot decoded first is untouched by the later reads into the same memory.
    expect(small).toEqual(again);
    expect(big).toMatchObject({ ok: true, rawBytes: 400_000 + json.length });
    const kept = buffer.heldBytes;
    expect(decodeSnapshot(gzipSync(padded(900_000)), limits, { buffer })).toMatchObject({
      ok: true,
    });
    expect(buffer.heldBytes).toBe(kept);
  });
});

describe('storable text', () => {
  const bad = ['\u0000', 'a\u0000', '\ud800', 'x\udfff', '\udc00\ud800', 'end\ud83d'];
  const good = ['', 'plain', 'emoji \ud83d\ude00', 'ünïcödé', '\u0001\u001f', '\ufffd'];

  it('refuses NUL and unpaired surrogates, anything else passes', () => {
    for (const s of bad) expect(isStorableText(s)).toBe(false);
    for (const s of good) expect(isStorableText(s)).toBe(true);
    for (const s of bad) expect(text().safeParse(s).success).toBe(false);
    expect(text().safeParse('a\u0000').error?.issues[0]?.message).toBe(TEXT_PROBLEM);
  });

  it('finds the first unstorable string or key in free-form JSON, by path', () => {
    expect(unstorableTextPath({ a: [{ b: 'ok' }, { c: 'x\u0000' }] })).toBe('a.1.c');
    expect(unstorableTextPath({ ['k\ud800']: 1 })).toBe('k\ud800');
    expect(unstorableTextPath({ a: [1, true, null, 'fine'] })).toBeNull();
  });
});
