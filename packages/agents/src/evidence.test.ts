import type { EvidenceUpload } from '@plumbline/contracts';
import { isPlaceholder, isStaticCredential, looksLikeSecret } from './credentials.js';
import { identityOnly, launchedArtifact, readEvidence } from './evidence.js';

describe('launchedArtifact', () => {
  it.each([
    [
      'npx',
      ['-y', '@modelcontextprotocol/server-github@latest'],
      '@modelcontextprotocol/server-github@latest',
      false,
    ],
    [
      'npx',
      ['-y', '@modelcontextprotocol/server-github'],
      '@modelcontextprotocol/server-github',
      false,
    ],
    [
      'npx',
      ['-y', '@modelcontextprotocol/server-github@2025.4.8'],
      '@modelcontextprotocol/server-github@2025.4.8',
      true,
    ],
    ['npx', ['-y', 'mcp-remote@^0.1.0', 'https://x'], 'mcp-remote@^0.1.0', false],
    ['uvx', ['mcp-server-fetch==2025.1.17'], 'mcp-server-fetch@2025.1.17', true],
    ['uvx', ['--from', 'mcp-server-git==1.0.0', 'mcp-server-git'], 'mcp-server-git@1.0.0', true],
    ['pnpm', ['dlx', 'some-mcp@1.2.3'], 'some-mcp@1.2.3', true],
    ['docker', ['run', '-i', '--rm', '-e', 'TOKEN', 'mcp/github'], 'mcp/github', false],
    [
      'docker',
      ['run', '-i', `mcp/github@sha256:${'ab'.repeat(32)}`],
      `mcp/github@sha256:${'ab'.repeat(32)}`,
      true,
    ],
    ['/usr/local/bin/npx', ['-y', 'x@1.0.0'], 'x@1.0.0', true],
  ])('%s %j', (command, args, artifact, pinned) => {
    expect(launchedArtifact(command, args)).toMatchObject({ artifact, pinned });
  });

  it('has nothing to pin for a local command', () => {
    expect(launchedArtifact('node', ['server.js'])).toEqual({
      launcher: null,
      artifact: null,
      type: null,
      pinned: null,
    });
  });
});

describe('credential checks', () => {
  it.each([
    ['${input:token}', true],
    ['${env:GITHUB_TOKEN}', true],
    ['$GITHUB_TOKEN', true],
    ['{{ secret }}', true],
    ['<your-token>', true],
    ['', true],
    ['[REDACTED]', false],
    ['abc123', false],
  ])('isPlaceholder(%j) = %s', (v, want) => expect(isPlaceholder(v)).toBe(want));

  it('static bearer tokens and secret-looking values', () => {
    expect(isStaticCredential('Bearer ${input:t}')).toBe(false);
    expect(isStaticCredential('Bearer abcdef')).toBe(true);
    expect(looksLikeSecret('sk-proj-FAKEFAKEFAKEFAKEFAKE00')).toBe(true);
    expect(looksLikeSecret('hello world')).toBe(false);
  });

  it('identity-only matched attributes name agents', () => {
    expect(identityOnly({ agent: 'x', sub: 'y' })).toBe(true);
    expect(identityOnly({ agent: 'x', 'tool.risk': 'high' })).toBe(false);
    expect(identityOnly({})).toBe(false);
  });
});

describe('readEvidence', () => {
  const span = (
    id: string,
    parent: string | undefined,
    attrs: Record<string, string>,
    start: number,
    end: number,
  ) => ({
    traceId: 'ab'.repeat(16),
    spanId: id,
    ...(parent ? { parentSpanId: parent } : {}),
    name: attrs['gen_ai.operation.name'] ?? 'x',
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(end),
    attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: { stringValue: v } })),
  });
  const tool = {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': 't',
    'gen_ai.tool.call.id': 'c',
  };

  it('sees parallel tool calls and multi-agent traces', () => {
    const upload: EvidenceUpload = {
      kind: 'otlp-traces',
      source: 't.json',
      data: {
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  span(
                    '0000000000000001',
                    undefined,
                    { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.id': 'a' },
                    0,
                    100,
                  ),
                  span(
                    '0000000000000002',
                    '0000000000000001',
                    { ...tool, 'gen_ai.agent.id': 'a' },
                    10,
                    50,
                  ),
                  span(
                    '0000000000000003',
                    '0000000000000001',
                    { ...tool, 'gen_ai.agent.id': 'a' },
                    20,
                    60,
                  ),
                  span(
                    '0000000000000004',
                    '0000000000000001',
                    { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.id': 'b' },
                    70,
                    90,
                  ),
                ],
              },
            ],
          },
        ],
      },
    };
    const t = readEvidence([upload]).traces!;
    expect(t).toMatchObject({
      spans: 4,
      traces: 1,
      toolSpans: 2,
      toolSpansComplete: 2,
      parallelTraces: 1,
      multiAgentTraces: 1,
    });
    expect([...t.agentKeys].sort()).toEqual(['a', 'b']);
  });

  it('counts decision-log facts', () => {
    const d = readEvidence([
      {
        kind: 'decision-log',
        source: 'd.jsonl',
        data: {
          records: [
            {
              time: null,
              caller: 'bot',
              callee: null,
              tool: 'delete_user',
              policyId: null,
              policyVersion: null,
              decision: 'allow',
              matchedAttributes: null,
              traceId: null,
              sub: null,
              act: null,
              approvals: [],
              reason: null,
            },
          ],
        },
      },
    ]);
    expect(d.decisions).toMatchObject({
      allows: 1,
      allowsWithoutPolicy: 1,
      withWho: 1,
      withTrace: 0,
    });
    expect(d.decisions!.destructive.get('delete_user')).toEqual({
      records: 1,
      unapprovedAllows: 1,
      gated: 0,
    });
    expect(d.summaries[0]!.findings.map((f) => f.message)).toContain(
      'destructive tool delete_user allowed 1 time(s) without an approval',
    );
  });
});
