import { analysisResultSchema } from '@plumbline/contracts';
import { snapshotFromSpec } from '@plumbline/detection';
import { analyzeSnapshot, renderAnalysis } from './analyze.js';
import { columns } from './columns.js';

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

describe('scan --analyze table columns', () => {
  it('widens a column to its longest cell instead of cutting it', () => {
    expect(
      columns(
        [
          ['A', 'B', 'last'],
          ['a long first cell', 'b', 'x'],
        ],
        [4, 4],
      ),
    ).toEqual(['A                  B   last', 'a long first cell  b   x']);
    // Short cells keep the minimum width; the last column is never padded.
    expect(columns([['x', 'y']], [6])).toEqual(['x     y']);
  });

  it('prints every cost line label and agent reference whole', () => {
    // Two agents whose references differ only past the old 52-character cut.
    const prefix = 'support-triage-agent-with-a-deliberately-long-name';
    const agents = snapshotFromSpec({
      workloads: ['-eu', '-us'].map((suffix) => ({
        kind: 'Deployment',
        namespace: 'agents',
        name: `${prefix}${suffix}`,
        images: ['ghcr.io/example/agent:1.0.0'],
        env: { OPENAI_API_KEY: 'placeholder' },
      })),
    });
    const result = analyzeSnapshot(agents, { includeComputeFootprint: true });
    const table = renderAnalysis(result, 'table');
    expect(table).not.toContain('…');
    for (const l of result.steps.cost.lines) expect(table).toContain(`  ${l.label}  `);
    expect(result.steps.agents.items.length).toBeGreaterThanOrEqual(2);
    for (const suffix of ['-eu', '-us'])
      expect(table).toContain(`Deployment agents/${prefix}${suffix}`);
  });
});
