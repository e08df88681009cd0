import { minimalSnapshot } from '@plumbline/contracts';
import { gzipSync } from 'node:zlib';
import { validateSnapshotBytes } from './validate.js';

const snap = minimalSnapshot('kind-dev');

describe('validateSnapshotBytes', () => {
  it('accepts plain and gzip JSON', () => {
    const json = Buffer.from(JSON.stringify(snap));
    expect(validateSnapshotBytes(json)).toEqual({
      ok: true,
      cluster: 'kind-dev',
      schemaVersion: 1,
    });
    expect(validateSnapshotBytes(gzipSync(json))).toEqual({
      ok: true,
      cluster: 'kind-dev',
      schemaVersion: 1,
    });
  });

  it('explains what is wrong', () => {
    expect(validateSnapshotBytes(Buffer.from('{nope'))).toMatchObject({
      ok: false,
      problems: [{ path: '(file)', message: expect.stringMatching(/not valid JSON/) }],
    });
    const r = validateSnapshotBytes(Buffer.from(JSON.stringify({ ...snap, cluster: {} })));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.path)).toContain('cluster.name');
  });
});

describe('validateSnapshotBytes uses the API decoder (decodeSnapshot)', () => {
  it('applies the same decompressed limit, while inflating', () => {
    const bomb = gzipSync(Buffer.alloc(3 * 1024 * 1024, 0x20));
    const r = validateSnapshotBytes(bomb, { maxDecompressedBytes: 1024 * 1024 });
    expect(r).toEqual({
      ok: false,
      problems: [{ path: '(file)', message: expect.stringMatching(/exceeds 1048576 bytes/) }],
    });
  });

  it('refuses unstorable text like the API, naming the field', () => {
    for (const bad of ['kind\u0000dev', 'kind\ud800dev']) {
      const r = validateSnapshotBytes(
        Buffer.from(JSON.stringify({ ...snap, cluster: { ...snap.cluster, name: bad } })),
      );
      expect(r.ok).toBe(false);
      if (!r.ok)
        expect(r.problems).toEqual([
          { path: 'cluster.name', message: expect.stringMatching(/NUL characters or unpaired/) },
        ]);
    }
  });
});
