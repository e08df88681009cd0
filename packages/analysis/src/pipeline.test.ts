import {
  analysisResultSchema,
  emptySnapshot,
  METHODOLOGY_VERSION,
  type ClusterSnapshot,
} from '@plumbline/contracts';
import { snapshotFromSpec } from '@plumbline/detection';
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

describe('analyze determinism with shuffled arrays', () => {
  const base = snapshotFromSpec({
    workloads: [
      {
        kind: 'DaemonSet',
        namespace: 'kube-system',
        name: 'calico-node',
        images: ['quay.io/calico/node:v3.31.0'],
        env: { FELIX_BPFENABLED: 'true' },
      },
      {
        kind: 'Deployment',
        namespace: 'istio-system',
        name: 'istiod',
        images: ['docker.io/istio/pilot:1.28.0'],
      },
      {
        kind: 'Deployment',
        namespace: 'istio-system',
        name: 'prometheus',
        images: ['prom/prometheus:v3.5.0'],
      },
      {
        kind: 'Deployment',
        namespace: 'monitoring',
        name: 'prometheus',
        images: ['prom/prometheus:v3.4.0'],
      },
      {
        kind: 'Deployment',
        namespace: 'tracing',
        name: 'jaeger',
        images: ['jaegertracing/all-in-one:1.67.0'],
      },
      {
        kind: 'Deployment',
        namespace: 'tracing',
        name: 'zipkin',
        images: ['openzipkin/zipkin:3.4.3'],
      },
    ],
    crds: [
      'crd.projectcalico.org/FelixConfiguration',
      'networking.istio.io/Gateway',
      'monitoring.coreos.com/ServiceMonitor',
    ],
    namespaces: [
      { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
      { name: 'ops' },
    ],
  });

  function shuffled<T>(list: readonly T[], seed: number): T[] {
    const out = [...list];
    let s = seed;
    for (let i = out.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      const j = s % (i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  it('gives byte-identical output for any order of the snapshot lists', () => {
    const want = JSON.stringify(analyze({ snapshot: base }));
    expect(JSON.parse(want).steps.detection.components.length).toBeGreaterThan(3);
    for (const seed of [3, 7, 11, 19]) {
      const s = {
        ...base,
        workloads: shuffled(base.workloads, seed),
        crds: shuffled(base.crds, seed),
        namespaces: shuffled(base.namespaces, seed),
      };
      expect(s.workloads.map((w) => w.name)).not.toEqual(base.workloads.map((w) => w.name));
      expect(JSON.stringify(analyze({ snapshot: s }))).toBe(want);
    }
  });

  it('reports the detected stack with overlaps', () => {
    const r = analyze({ snapshot: base });
    const ids = r.steps.detection.components.map((c) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'calico',
        'istio',
        'prometheus',
        'jaeger',
        'zipkin',
        'pod-security-admission',
      ]),
    );
    expect(r.steps.detection.network).toMatchObject({ cni: 'calico', dataplane: 'ebpf' });
    expect(r.steps.detection.overlaps.map((o) => o.capability)).toEqual(['tracing']);
  });
});
