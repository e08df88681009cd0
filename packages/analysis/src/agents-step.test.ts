import { analysisResultSchema, type EvidenceUpload } from '@plumbline/contracts';
import { snapshotFromSpec } from '@plumbline/detection';
import { analyze } from './pipeline.js';

const snapshot = snapshotFromSpec({
  workloads: [
    {
      kind: 'DaemonSet',
      namespace: 'kube-system',
      name: 'calico-node',
      images: ['quay.io/calico/node:v3.31.0'],
    },
    {
      kind: 'Deployment',
      namespace: 'bots',
      name: 'helper',
      images: ['ghcr.io/acme/langgraph-helper:1.0.0'],
    },
    {
      kind: 'Deployment',
      namespace: 'bots',
      name: 'writer',
      images: ['ghcr.io/acme/crewai-writer:1.0.0'],
    },
  ],
});

const evidence: EvidenceUpload[] = [
  {
    kind: 'self-assessment',
    source: 'answers.json',
    data: {
      answers: {
        traceability: 2,
        'authorization-provenance': 1,
        'identity-ownership': 1,
        'policy-at-scale': 3,
        'human-oversight': 0,
      },
    },
  },
  {
    kind: 'decision-log',
    source: 'decisions.jsonl',
    data: {
      records: ['allow', 'deny'].map((decision) => ({
        time: '2026-01-01T00:00:00Z',
        caller: 'helper',
        callee: 'writer',
        tool: 'draft',
        policyId: 'p',
        policyVersion: '1',
        decision: decision as 'allow' | 'deny',
        matchedAttributes: { 'tool.risk': 'low' },
        traceId: null,
        sub: null,
        act: null,
        approvals: [],
        reason: null,
      })),
    },
  },
];

describe('the agents step', () => {
  it('assesses the agents with the evidence and the self-assessment', () => {
    const r = analyze({ snapshot, evidence });
    expect(analysisResultSchema.parse(r)).toEqual(r);
    const a = r.steps.agents;
    expect(a.status).toBe('assessed');
    expect(a.items.map((i) => `${i.kind} ${i.ref} ${i.framework}`)).toEqual([
      'agent Deployment bots/helper langgraph',
      'agent Deployment bots/writer crewai',
    ]);
    expect(a.pillars.map((p) => p.claimed)).toEqual([2, 1, 1, 3, 0]);
    expect(a.designPattern).toMatchObject({ pattern: 'multi-agent', basis: 'inferred' });
    expect(a.evidence.map((e) => e.kind)).toEqual(['decision-log', 'self-assessment']);
  });

  it('is byte-identical with the evidence in another order', () => {
    expect(JSON.stringify(analyze({ snapshot, evidence: [...evidence].reverse() }))).toBe(
      JSON.stringify(analyze({ snapshot, evidence })),
    );
  });

  it('reports "no agents found" for a cluster without agents', () => {
    const r = analyze({ snapshot: snapshotFromSpec({}) });
    expect(r.steps.agents.status).toBe('no-agents-found');
    expect(r.steps.agents.overall.level).toBeNull();
  });
});
