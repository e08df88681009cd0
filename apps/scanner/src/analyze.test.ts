import { analysisResultSchema } from '@plumbline/contracts';
import { snapshotFromSpec } from '@plumbline/detection';
import { analyzeSnapshot, renderAnalysis } from './analyze.js';

const snapshot = snapshotFromSpec({
  workloads: [
    {
      kind: 'DaemonSet',
      namespace: 'kube-flannel',
      name: 'kube-flannel-ds',
      images: ['ghcr.io/flannel-io/flannel:v0.26.1'],
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
});

describe('scan --analyze output', () => {
  it('JSON is the contract AnalysisResult', () => {
    const json = JSON.parse(renderAnalysis(analyzeSnapshot(snapshot), 'json'));
    expect(analysisResultSchema.parse(json)).toEqual(json);
    expect(json.steps.detection.network.networkPolicy).toMatchObject({
      enforced: false,
      engines: [],
    });
  });

  it('the table names the stack, the policy gap and the overlaps', () => {
    const table = renderAnalysis(analyzeSnapshot(snapshot), 'table');
    expect(table).toMatch(/Network: CNI flannel \| dataplane iptables/);
    expect(table).toMatch(/NetworkPolicy: NOT enforced: no NetworkPolicy engine: flannel alone/);
    expect(table).toMatch(/cni\s+flannel\s+installed\s+0\.26\.1/);
    expect(table).toMatch(/tracing: jaeger, zipkin/);
  });
});
