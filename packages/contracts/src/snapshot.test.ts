import { describeIssues, snapshotEnvelopeSchema } from './snapshot.js';

const valid = {
  schemaVersion: 1,
  scanner: { name: 'plumbline-scanner', version: '0.1.0' },
  collectedAt: '2026-11-26T10:00:00Z',
  cluster: { name: 'prod-eu-1', id: 'b6f0c3e2' },
  workloads: [],
};

describe('snapshot envelope', () => {
  it('accepts a valid envelope and keeps the body', () => {
    const parsed = snapshotEnvelopeSchema.parse(valid);
    expect(parsed.cluster.name).toBe('prod-eu-1');
    expect((parsed as Record<string, unknown>).workloads).toEqual([]);
  });

  it('rejects a wrong schema version with a readable message', () => {
    const r = snapshotEnvelopeSchema.safeParse({ ...valid, schemaVersion: 99 });
    expect(r.success).toBe(false);
    if (!r.success) {
      expect(describeIssues(r.error)).toEqual([
        { path: 'schemaVersion', message: 'schemaVersion must be 1' },
      ]);
    }
  });

  it('names every missing field', () => {
    const r = snapshotEnvelopeSchema.safeParse({ schemaVersion: 1 });
    expect(r.success).toBe(false);
    if (!r.success) {
      const paths = describeIssues(r.error).map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['scanner', 'collectedAt', 'cluster']));
    }
  });
});
