import {
  analysisResultSchema,
  METHODOLOGY_VERSION,
  type SnapshotEnvelope,
} from '@plumbline/contracts';
import { analyze } from './pipeline.js';

const snapshot = {
  schemaVersion: 1,
  scanner: { name: 'plumbline-scanner', version: '0.1.0' },
  collectedAt: '2026-11-26T10:00:00Z',
  cluster: { name: 'prod', id: 'uid-1' },
  workloads: [{ name: 'a' }, { name: 'b' }],
  namespaces: [{ name: 'default' }],
  networkPolicies: [],
} as SnapshotEnvelope;

describe('analyze', () => {
  it('counts every top-level resource list', () => {
    const r = analyze({ snapshot });
    expect(r.methodologyVersion).toBe(METHODOLOGY_VERSION);
    expect(r.steps.inventory).toEqual({
      totalObjects: 3,
      resourceCounts: { namespaces: 1, networkPolicies: 0, workloads: 2 },
    });
    expect(analysisResultSchema.parse(r)).toEqual(r);
  });

  it('is byte-identical whatever the key order of the input', () => {
    const reordered = Object.fromEntries(Object.entries(snapshot).reverse()) as SnapshotEnvelope;
    expect(JSON.stringify(analyze({ snapshot: reordered }))).toBe(
      JSON.stringify(analyze({ snapshot })),
    );
  });
});
