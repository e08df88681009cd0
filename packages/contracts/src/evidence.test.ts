import {
  EVIDENCE_LIMITS,
  detectEvidenceKind,
  evidenceUploadSchema,
  normalizeDecisionRecord,
  parseEvidenceText,
  type EvidenceUpload,
} from './evidence.js';

function ok(text: string, kind?: Parameters<typeof parseEvidenceText>[2]): EvidenceUpload {
  const r = parseEvidenceText(text, 'file', kind);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  expect(evidenceUploadSchema.parse(r.evidence)).toEqual(r.evidence);
  return r.evidence;
}
function problems(text: string, kind?: Parameters<typeof parseEvidenceText>[2]): string[] {
  const r = parseEvidenceText(text, 'file', kind);
  if (r.ok) throw new Error('expected problems');
  return r.issues.map((i) => `${i.path}: ${i.message}`);
}

const span = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  name: 'execute_tool',
  attributes: [{ key: 'gen_ai.operation.name', value: { stringValue: 'execute_tool' } }],
};

describe('detecting the kind of an upload', () => {
  it.each([
    [{ mcpServers: { a: { command: 'npx' } } }, 'mcp-client-config'],
    [{ servers: { a: { url: 'https://x' } } }, 'mcp-client-config'],
    [{ resourceSpans: [] }, 'otlp-traces'],
    [{ reportVersion: 1, tool: { name: 'plumbline-probe' } }, 'probe-report'],
    [{ attestations: [] }, 'attestation'],
    [{ answers: [1, 2, 3, 4, 0] }, 'self-assessment'],
    [{ records: [] }, 'decision-log'],
    [[{ decision: 'allow' }], 'decision-log'],
    [{ verdict: 'deny', tool: 'x' }, 'decision-log'],
    [{ name: 'agent', skills: [] }, 'a2a-agent-card'],
    [{ hello: 'world' }, null],
    ['text', null],
  ])('%j -> %s', (value, kind) => {
    expect(detectEvidenceKind(value)).toBe(kind);
  });
});

describe('parseEvidenceText', () => {
  it('reads an MCP client configuration', () => {
    const e = ok(
      JSON.stringify({ mcpServers: { gh: { command: 'npx', args: ['-y', 'x@1.0.0'] } }, other: 1 }),
    );
    expect(e.kind).toBe('mcp-client-config');
  });

  it('refuses an MCP server with neither command nor url', () => {
    expect(problems(JSON.stringify({ mcpServers: { gh: { args: [] } } }))).toEqual([
      'mcpServers.gh: a server needs a command (stdio) or a url (remote)',
    ]);
  });

  it('reads OTLP JSON and checks ids', () => {
    const traces = { resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] };
    expect(ok(JSON.stringify(traces)).kind).toBe('otlp-traces');
    const bad = { resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, traceId: 'xyz' }] }] }] };
    expect(problems(JSON.stringify(bad))[0]).toMatch(/traceId: must be 32 hexadecimal characters/);
    expect(problems(JSON.stringify({ resourceSpans: [] }))).toEqual([
      'resourceSpans: the sample has no spans',
    ]);
  });

  it('reads decision logs as JSON Lines (blank lines ignored), mapping field aliases', () => {
    const text = [
      JSON.stringify({
        timestamp: '2026-01-01T00:00:00Z',
        agent: { sub: 'billing-bot' },
        user: 'alice',
        tool_name: 'transfer_funds',
        policy: 'payments@2.1.0',
        verdict: 'pending',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        matched: ['tool.risk'],
        approvals: [
          { approver: { email: 'bob@example.com' }, status: 'granted', at: '2026-01-01T00:01:00Z' },
        ],
      }),
      '',
      JSON.stringify({
        decision: 'Blocked',
        policy_id: 'allowlist',
        policy_version: 3,
        caller: 'x',
      }),
    ].join('\n');
    const e = ok(text);
    if (e.kind !== 'decision-log') throw new Error(e.kind);
    expect(e.data.records).toEqual([
      {
        time: '2026-01-01T00:00:00Z',
        caller: null,
        callee: null,
        tool: 'transfer_funds',
        policyId: 'payments',
        policyVersion: '2.1.0',
        decision: 'approval-required',
        matchedAttributes: { 'tool.risk': true },
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        sub: 'alice',
        act: 'billing-bot',
        approvals: [
          { reviewer: 'bob@example.com', decision: 'approved', time: '2026-01-01T00:01:00Z' },
        ],
        reason: null,
      },
      expect.objectContaining({
        decision: 'deny',
        policyId: 'allowlist',
        policyVersion: '3',
        caller: 'x',
      }),
    ]);
  });

  it('accepts one decision record, a JSON array or { records }', () => {
    expect(ok(JSON.stringify({ decision: 'allow' })).kind).toBe('decision-log');
    expect(ok(JSON.stringify([{ decision: 'allow' }, { decision: 'deny' }])).kind).toBe(
      'decision-log',
    );
  });

  it('says which line is broken and which decision is unknown', () => {
    expect(problems('{"decision":"allow"}\n{not json}\n')[0]).toMatch(
      /^\(root\): line 2 is not valid JSON/,
    );
    expect(problems('{"decision":"maybe"}\n{"decision":"allow"}')).toEqual([
      'records.0.decision: decision must be allow, deny or approval-required (or a known synonym)',
    ]);
  });

  it('validates attestations: claim, link, date', () => {
    const a = {
      claim: 'audit-retention',
      statement: 'kept 400 days',
      link: 'https://wiki.example.com/retention',
      attestedBy: 'ciso',
      attestedAt: '2026-01-10',
    };
    expect(ok(JSON.stringify({ attestations: [a] })).kind).toBe('attestation');
    expect(
      problems(JSON.stringify({ attestations: [{ ...a, link: 'file:///etc/passwd' }] })),
    ).toEqual(['attestations.0.link: link must be an http(s) URL']);
    expect(problems(JSON.stringify({ attestations: [{ ...a, claim: 'we-are-fine' }] }))[0]).toMatch(
      /^attestations\.0\.claim:/,
    );
  });

  it('reads self-assessment answers keyed by pillar or as five numbers', () => {
    const e = ok(JSON.stringify({ answers: [3, 2, 1, 0, 4], designPattern: 'planning' }));
    if (e.kind !== 'self-assessment') throw new Error(e.kind);
    expect(e.data.answers).toEqual({
      traceability: 3,
      'authorization-provenance': 2,
      'identity-ownership': 1,
      'policy-at-scale': 0,
      'human-oversight': 4,
    });
    expect(problems(JSON.stringify({ answers: { traceability: 5 } }))).toEqual(
      expect.arrayContaining(['answers.traceability: Too big: expected number to be <=4']),
    );
  });

  it('reads an A2A agent card', () => {
    expect(
      ok(JSON.stringify({ name: 'helper', url: 'https://a', skills: [{ id: 's', name: 'S' }] }))
        .kind,
    ).toBe('a2a-agent-card');
  });

  it('takes the kind when given, and refuses what it cannot tell', () => {
    expect(problems(JSON.stringify({ hello: 1 }))[0]).toMatch(/cannot tell what kind of evidence/);
    expect(problems(JSON.stringify({ hello: 1 }), 'attestation')[0]).toMatch(/^attestations:/);
    expect(problems('{"a":1}\n{"b":2}', 'otlp-traces')).toEqual([
      '(root): JSON Lines are only accepted for decision-log evidence, not otlp-traces',
    ]);
    expect(problems('x'.repeat(EVIDENCE_LIMITS.bytes + 1))[0]).toMatch(/larger than/);
  });

  it('normalizeDecisionRecord leaves non-objects alone', () => {
    expect(normalizeDecisionRecord('x')).toBe('x');
  });
});
