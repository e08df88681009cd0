import {
  agentsResultSchema,
  type AccountabilityPillar,
  type AccountabilityPrinciple,
} from '@plumbline/contracts';
import {
  ALL_ATTESTATIONS,
  assess,
  attestations,
  clone,
  decision,
  decisionLog,
  goodDecisions,
  goodSpans,
  otlp,
  passingProbe,
  perfectInput,
  probeReport,
  scenario,
  type Input,
} from './helpers.js';

/**
 * One table per pillar: from an input where every pillar is at Level 4, each row breaks one
 * thing and states the level the pillar must land on (and the principle that caps it, if any).
 */

interface Row {
  name: string;
  mutate: (i: Input) => void;
  level: number;
  cap?: AccountabilityPrinciple;
}

function replace(i: Input, kind: string, next: Input['evidence'][number] | null): void {
  i.evidence = i.evidence.filter((e) => e.kind !== kind);
  if (next) i.evidence.push(next);
}
const agentOf = (i: Input) => i.snapshot.workloads.find((w) => w.name === 'payments-agent')!;

function run(pillar: AccountabilityPillar, rows: Row[]) {
  describe(pillar, () => {
    it.each(rows)('$name -> Level $level', ({ mutate, level, cap }) => {
      const input = perfectInput();
      mutate(input);
      const r = assess(clone(input.snapshot), input.evidence);
      expect(agentsResultSchema.parse(r)).toEqual(r);
      const p = r.pillars.find((x) => x.pillar === pillar)!;
      const why = p.criteria
        .filter((c) => c.status !== 'met')
        .map((c) => `${c.id}: ${c.status}: ${c.reason}`);
      expect({ level: p.level, cap: p.cap?.principle ?? null, why }).toEqual({
        level,
        cap: cap ?? null,
        why: expect.any(Array),
      });
      if (cap) {
        expect(p.criteriaLevel).toBeGreaterThan(level);
        expect(r.principles.find((x) => x.principle === cap)!.status).toBe('failed');
        const gap = r.gaps.find((g) => g.principle === cap)!;
        expect(gap.whatIfLevel).toBe(p.criteriaLevel);
      }
      expect(r.overall.level).toBe(Math.min(...r.pillars.map((x) => x.level!)));
    });
  });
}

run('traceability', [
  { name: 'everything in place', mutate: () => {}, level: 4 },
  {
    name: 'a canary call without traceparent',
    mutate: (i) =>
      replace(
        i,
        'probe-report',
        probeReport([
          scenario('authorised-weather', 'traceability', { traceparent: false }),
          scenario('vault-secret-read', 'authorization-provenance'),
          scenario('cross-tenant-invoice', 'identity-ownership'),
          scenario('unadvertised-tool', 'policy-at-scale', { unadvertised: true }),
          scenario('delete-admin-account', 'human-oversight'),
        ]),
      ),
    level: 3,
  },
  {
    name: 'audit retention not attested',
    mutate: (i) =>
      replace(
        i,
        'attestation',
        attestations(ALL_ATTESTATIONS.filter((a) => a !== 'audit-retention')),
      ),
    level: 2,
  },
  {
    name: 'execute_tool spans without gen_ai.tool.call.id',
    mutate: (i) => {
      const spans = goodSpans();
      delete spans[1]!.attrs['gen_ai.tool.call.id'];
      replace(i, 'otlp-traces', otlp(spans));
    },
    level: 1,
  },
  {
    name: 'no exporter on the agent and no spans',
    mutate: (i) => {
      const c = agentOf(i).containers[0]!;
      c.env = c.env.filter((e) => !e.name.startsWith('OTEL_'));
      replace(i, 'otlp-traces', null);
    },
    level: 0,
  },
  {
    name: 'decision records without trace ids (audit by design fails)',
    mutate: (i) =>
      replace(
        i,
        'decision-log',
        decisionLog(goodDecisions().map((d) => ({ ...d, traceId: null }))),
      ),
    level: 2,
    cap: 'audit-by-design',
  },
]);

run('authorization-provenance', [
  { name: 'everything in place', mutate: () => {}, level: 4 },
  {
    name: 'probe: the vault read executed',
    mutate: (i) =>
      replace(
        i,
        'probe-report',
        probeReport([
          scenario('authorised-weather', 'traceability', { traceparent: true }),
          scenario('vault-secret-read', 'authorization-provenance', { pass: false }),
          scenario('cross-tenant-invoice', 'identity-ownership'),
          scenario('unadvertised-tool', 'policy-at-scale', { unadvertised: true }),
          scenario('delete-admin-account', 'human-oversight'),
        ]),
      ),
    level: 3,
  },
  {
    name: 'decisions without the delegating user',
    mutate: (i) =>
      replace(i, 'decision-log', decisionLog(goodDecisions().map((d) => ({ ...d, sub: null })))),
    level: 2,
  },
  {
    name: 'a second agent uses the same Secret key',
    mutate: (i) => {
      const twin = clone(agentOf(i));
      twin.name = 'refunds-agent';
      twin.serviceAccountName = 'refunds-agent';
      i.snapshot.workloads.push(twin);
    },
    level: 1,
  },
  {
    name: 'a literal key in the manifest',
    mutate: (i) =>
      agentOf(i).containers[0]!.env.push({
        name: 'ANTHROPIC_API_KEY',
        source: 'literal',
        looksLikeCredential: true,
        fingerprint: '0123456789abcdef',
      }),
    level: 0,
  },
]);

run('identity-ownership', [
  { name: 'everything in place', mutate: () => {}, level: 4 },
  {
    name: 'probe: cross-tenant read executed',
    mutate: (i) =>
      replace(
        i,
        'probe-report',
        probeReport([
          scenario('authorised-weather', 'traceability', { traceparent: true }),
          scenario('vault-secret-read', 'authorization-provenance'),
          scenario('cross-tenant-invoice', 'identity-ownership', { pass: false }),
          scenario('unadvertised-tool', 'policy-at-scale', { unadvertised: true }),
          scenario('delete-admin-account', 'human-oversight'),
        ]),
      ),
    level: 3,
  },
  {
    name: 'no mesh or workload identity',
    mutate: (i) => {
      i.snapshot.namespaces.find((n) => n.name === 'payments')!.labels = {};
    },
    level: 2,
  },
  {
    name: 'runs under the default ServiceAccount',
    mutate: (i) => {
      agentOf(i).serviceAccountName = 'default';
    },
    level: 1,
  },
  {
    name: 'not registered (shadow agent)',
    mutate: (i) => {
      agentOf(i).podAnnotations = {};
    },
    level: 0,
  },
  {
    name: 'an MCP client config with a static bearer token',
    mutate: (i) =>
      i.evidence.push({
        kind: 'mcp-client-config',
        source: 'mcp.json',
        data: {
          mcpServers: {
            crm: {
              url: 'https://crm.example.com/mcp',
              headers: { Authorization: 'Bearer FAKEplumblineStatic000000' },
            },
          },
        },
      }),
    level: 1,
    cap: 'zero-trust-identity',
  },
]);

run('policy-at-scale', [
  { name: 'everything in place', mutate: () => {}, level: 4 },
  {
    name: 'probe: out-of-schema arguments reached the tool',
    mutate: (i) =>
      replace(
        i,
        'probe-report',
        probeReport([
          scenario('authorised-weather', 'traceability', { traceparent: true }),
          scenario('vault-secret-read', 'authorization-provenance'),
          scenario('cross-tenant-invoice', 'identity-ownership'),
          scenario('unadvertised-tool', 'policy-at-scale', { unadvertised: true }),
          scenario('out-of-schema-arguments', 'policy-at-scale', { pass: false }),
          scenario('delete-admin-account', 'human-oversight'),
        ]),
      ),
    level: 3,
  },
  {
    name: 'policy as code not attested',
    mutate: (i) =>
      replace(
        i,
        'attestation',
        attestations(ALL_ATTESTATIONS.filter((a) => a !== 'policy-as-code-ci')),
      ),
    level: 2,
  },
  {
    name: 'no egress NetworkPolicy',
    mutate: (i) => {
      i.snapshot.networkPolicies = [];
    },
    level: 1,
  },
  {
    name: 'no policy engine',
    mutate: (i) => {
      i.snapshot.workloads = i.snapshot.workloads.filter((w) => w.name !== 'calico-node');
    },
    level: 0,
  },
  {
    name: 'a call allowed with no policy (default-allow)',
    mutate: (i) =>
      replace(
        i,
        'decision-log',
        decisionLog([...goodDecisions(), decision({ policyId: null, policyVersion: null })]),
      ),
    level: 1,
    cap: 'default-deny',
  },
  {
    name: 'a policy that names an agent',
    mutate: (i) =>
      replace(
        i,
        'decision-log',
        decisionLog([
          ...goodDecisions(),
          decision({
            policyId: 'allow-payments-agent',
            matchedAttributes: { agent: 'payments-agent' },
          }),
        ]),
      ),
    level: 2,
    cap: 'attribute-based-policy',
  },
  {
    name: 'MCP servers started as local stdio processes',
    mutate: (i) =>
      i.evidence.push({
        kind: 'mcp-client-config',
        source: 'mcp.json',
        data: {
          mcpServers: { docs: { command: 'npx', args: ['-y', '@acme/docs-mcp@1.2.3'] } },
        },
      }),
    level: 2,
    cap: 'kubernetes-native',
  },
]);

run('human-oversight', [
  { name: 'everything in place', mutate: () => {}, level: 4 },
  {
    name: 'approval load not monitored',
    mutate: (i) =>
      replace(
        i,
        'attestation',
        attestations(ALL_ATTESTATIONS.filter((a) => a !== 'approval-load-monitoring')),
      ),
    level: 3,
  },
  {
    name: 'approvals without a reviewer',
    mutate: (i) =>
      replace(
        i,
        'decision-log',
        decisionLog(
          goodDecisions().map((d) => ({
            ...d,
            approvals: d.approvals.map((a) => ({ ...a, reviewer: null })),
          })),
        ),
      ),
    level: 2,
  },
  {
    name: 'a destructive tool allowed without approval',
    mutate: (i) =>
      replace(
        i,
        'decision-log',
        decisionLog([
          ...goodDecisions(),
          decision({ tool: 'delete_user_account', policyId: 'tool-allowlist' }),
        ]),
      ),
    level: 1,
  },
  {
    name: 'cluster-wide delete rights, nothing gated',
    mutate: (i) => {
      i.snapshot.roles.push({
        kind: 'ClusterRole',
        namespace: null,
        name: 'agent-ops',
        aggregated: false,
        rules: [
          {
            apiGroups: ['apps'],
            resources: ['deployments'],
            verbs: ['delete'],
            resourceNames: [],
            nonResourceURLs: [],
          },
        ],
      });
      i.snapshot.roleBindings.push({
        kind: 'ClusterRoleBinding',
        namespace: null,
        name: 'agent-ops',
        roleRef: { kind: 'ClusterRole', name: 'agent-ops' },
        subjects: [{ kind: 'ServiceAccount', name: 'payments-agent', namespace: 'payments' }],
      });
      replace(i, 'decision-log', decisionLog([decision()]));
    },
    level: 0,
  },
]);

describe('attestations', () => {
  it('lift a pillar to Level 2 at most, and are shown as attested', () => {
    const input = perfectInput();
    input.evidence = [
      attestations(['approval-policy', 'kill-switch-runbook', 'approval-load-monitoring']),
    ];
    const r = assess(input.snapshot, input.evidence);
    const p = r.pillars.find((x) => x.pillar === 'human-oversight')!;
    expect(p.level).toBe(2);
    const gates = p.criteria.find((c) => c.id === 'oversight.approval-gates')!;
    expect([gates.status, gates.basis]).toEqual(['met', 'attested']);
    expect(p.criteria.filter((c) => c.basis === 'attested').map((c) => c.id)).toEqual([
      'oversight.approval-gates',
      'oversight.kill-switch',
      'oversight.approval-load',
    ]);
    expect(p.criteria.find((c) => c.id === 'oversight.reviewer-identity')!.status).toBe('unknown');
  });

  it('never override an observed failure', () => {
    const input = perfectInput();
    replace(input, 'decision-log', decisionLog([decision({ tool: 'delete_user_account' })]));
    input.evidence.push(attestations(['approval-policy']));
    const r = assess(input.snapshot, input.evidence);
    const gates = r.pillars
      .find((x) => x.pillar === 'human-oversight')!
      .criteria.find((c) => c.id === 'oversight.approval-gates')!;
    expect(gates.status).toBe('not-met');
  });
});

describe('what-if levels', () => {
  it('are computed by re-running the criteria with the gap fixed', () => {
    const input = perfectInput();
    input.snapshot.networkPolicies = [];
    const r = assess(input.snapshot, input.evidence);
    const gap = r.gaps.find((g) => g.criterion === 'policy.egress')!;
    expect(gap).toMatchObject({
      pillar: 'policy-at-scale',
      status: 'not-met',
      asi: 'ASI02',
      whatIfLevel: 4,
    });
    expect(gap.asiTitle).toBe('Tool Misuse and Exploitation');
    expect(gap.remediation).toMatch(/default-deny egress NetworkPolicy/);
    expect(r.overall.level).toBe(1);
    expect(gap.whatIfOverall).toBe(4);
  });

  it('stay at the current level when other gaps block the way', () => {
    const input = perfectInput();
    input.snapshot.networkPolicies = [];
    input.evidence = input.evidence.filter((e) => e.kind !== 'probe-report');
    const r = assess(input.snapshot, input.evidence);
    expect(r.gaps.find((g) => g.criterion === 'policy.egress')!.whatIfLevel).toBe(3);
    expect(r.gaps.find((g) => g.criterion === 'policy.probe')!.whatIfLevel).toBe(1);
  });
});

describe('probe reports', () => {
  it('give the Level 4 evidence: without one, no pillar passes Level 3', () => {
    const input = perfectInput();
    input.evidence = input.evidence.filter((e) => e.kind !== 'probe-report');
    const r = assess(input.snapshot, input.evidence);
    expect(r.pillars.map((p) => p.level)).toEqual([3, 3, 3, 3, 3]);
    for (const p of r.pillars)
      expect(
        p.criteria.filter((c) => c.level === 4 && c.status === 'unknown').map((c) => c.id),
      ).not.toEqual([]);
    expect(passingProbe().kind).toBe('probe-report');
  });
});
