import {
  analysisResultSchema,
  emptySnapshot,
  METHODOLOGY_VERSION,
  type ClusterSnapshot,
} from '@plumbline/contracts';
import { analyze } from './pipeline.js';

function snapshot(): ClusterSnapshot {
  const s = emptySnapshot({
    scanner: { name: 'plumbline-scanner', version: '0.1.0' },
    collectedAt: '2026-11-26T10:00:00Z',
    mode: 'offline',
    cluster: {
      name: 'prod',
      id: 'uid-1',
      idSource: 'declared',
      kubernetesVersion: null,
      provider: 'unknown',
      providerEvidence: [],
      nodeCount: null,
      nodeCountSource: 'unknown',
    },
  });
  s.namespaces.push({ name: 'default', uid: null, labels: {}, annotations: {} });
  s.crds.push({
    name: 'a.b',
    group: 'b',
    kind: 'A',
    plural: 'a',
    scope: 'Namespaced',
    versions: ['v1'],
  });
  s.crds.push({
    name: 'c.d',
    group: 'd',
    kind: 'C',
    plural: 'c',
    scope: 'Cluster',
    versions: ['v1'],
  });
  return s;
}

describe('analyze', () => {
  it('counts every object list of the snapshot', () => {
    const r = analyze({ snapshot: snapshot() });
    expect(r.methodologyVersion).toBe(METHODOLOGY_VERSION);
    expect(r.cluster).toEqual({ name: 'prod', id: 'uid-1' });
    expect(r.steps.inventory.totalObjects).toBe(3);
    expect(r.steps.inventory.resourceCounts).toMatchObject({
      crds: 2,
      namespaces: 1,
      workloads: 0,
    });
    expect(Object.keys(r.steps.inventory.resourceCounts)).toEqual(
      [...Object.keys(r.steps.inventory.resourceCounts)].sort(),
    );
    expect(analysisResultSchema.parse(r)).toEqual(r);
  });

  it('is byte-identical whatever the key order of the input', () => {
    const s = snapshot();
    const reordered = Object.fromEntries(Object.entries(s).reverse()) as ClusterSnapshot;
    expect(JSON.stringify(analyze({ snapshot: reordered }))).toBe(
      JSON.stringify(analyze({ snapshot: s })),
    );
  });
});
