import { gzipSync } from 'node:zlib';
import { validateSnapshotBytes } from './validate.js';

const snap = {
  schemaVersion: 1,
  scanner: { name: 'plumbline-scanner', version: '0.1.0' },
  collectedAt: '2026-11-26T10:00:00Z',
  cluster: { name: 'kind-dev' },
};

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
    expect(r).toMatchObject({ ok: false, problems: [{ path: 'cluster.name' }] });
  });
});
