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
