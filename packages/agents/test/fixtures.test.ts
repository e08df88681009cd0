import { agentsResultSchema, type AgentsResult } from '@plumbline/contracts';
import { readFileSync } from 'node:fs';
import { assess, FIXTURE_GROUPS_FILE, scanGroup, type FixtureGroup } from './helpers.js';

const groups = (JSON.parse(readFileSync(FIXTURE_GROUPS_FILE, 'utf8')) as { groups: FixtureGroup[] })
  .groups;
const fixtureGroups = (prefix: string) => groups.filter((g) => g.id.startsWith(prefix));

/** Discovery on the shared real-world fixtures (../shared/fixtures, grouped by the collector). */

const results = new Map<string, AgentsResult>();
function result(id: string): AgentsResult {
  if (!results.has(id)) results.set(id, assess(scanGroup(groups.find((g) => g.id === id)!)));
  return results.get(id)!;
}
const kinds = (r: AgentsResult) => r.items.map((i) => `${i.kind} ${i.ref}`);

describe.each(
  [
    ...fixtureGroups('kagent/'),
    ...fixtureGroups('k8sgpt-operator/'),
    ...fixtureGroups('ollama/'),
    ...fixtureGroups('lws-llm-serving/'),
  ].map((g) => g.id),
)('%s', (id) => {
  it('gives a valid, secret-free result', () => {
    const r = result(id);
    expect(agentsResultSchema.parse(r)).toEqual(r);
    expect(JSON.stringify(r)).not.toMatch(
      /sk-[A-Za-z0-9]{16}|ghp_[A-Za-z0-9]{20}|eyJ[A-Za-z0-9_-]{10}\./,
    );
  });
});

describe('kagent', () => {
  it('k8sgpt MCP server: the RemoteMCPServer registers the Deployment behind its URL', () => {
    const r = result('kagent/k8sgpt-mcp-server');
    expect(kinds(r)).toEqual([
      'agent SandboxAgent kagent/k8sgpt-agent',
      'mcp-server Deployment kagent/k8sgpt-mcp-server',
    ]);
    const server = r.items[1]!;
    expect(server).toMatchObject({
      registered: true,
      registration: 'kagent.dev RemoteMCPServer kagent/k8sgpt-mcp-server',
      serviceAccount: 'k8sgpt-mcp-server',
      rbac: { wildcard: true, secretsRead: true, clusterAdmin: false },
    });
    expect(server.signals).toContain('name k8sgpt-mcp-server');
    const agent = r.items[0]!;
    expect(agent).toMatchObject({ framework: 'kagent', registered: true, tools: ['analyze'] });
    expect(agent.modelRoute).toEqual({
      route: 'unknown',
      detail: 'ModelConfig default-model-config is not in the snapshot',
    });
    expect(r.platforms).toContainEqual({ id: 'kagent', status: expect.any(String) });
  });

  it('custom resources: agents, their ModelConfig keys and routes, MCP servers and packages', () => {
    const r = result('kagent/custom-resources');
    expect(kinds(r)).toEqual([
      'agent SandboxAgent kagent/internal-assistant',
      'agent SandboxAgent kagent/server-everything-agent',
      'mcp-server MCPServer kagent/everything-mcp-server',
      'mcp-server RemoteMCPServer kagent/server-everything',
      'mcp-server ToolServer default/context7-mcp-latest',
    ]);
    const assistant = r.items[0]!;
    expect(assistant.credentials).toEqual([
      expect.objectContaining({
        source: 'secret-reference',
        secret: 'kagent/litellm-api-key',
        // `apiKeySecretKey` is a sensitive field name: the scanner withholds its value.
        key: null,
      }),
    ]);
    expect(assistant.modelRoute).toEqual({
      route: 'gateway',
      detail: 'through gateway host litellm.internal.corp',
    });
    expect(r.items[1]!.tools).toEqual([
      'echo',
      'get-structured-content',
      'get-sum',
      'get-tiny-image',
      'show-weather-dashboard',
    ]);
    expect(r.items[2]!.artifacts).toEqual([
      { type: 'package', ref: '@modelcontextprotocol/server-everything@2026.1.14', pinned: true },
    ]);
    expect(r.items[3]!.findings).toEqual([
      {
        asi: 'ASI04',
        message:
          'remote MCP server servereverything.dev is called without credentials (no headersFrom)',
      },
    ]);
    expect(r.items[4]!.artifacts).toEqual([
      { type: 'package', ref: '@upstash/context7-mcp@latest', pinned: false },
    ]);
    const pinned = r.pillars
      .find((p) => p.pillar === 'identity-ownership')!
      .criteria.find((c) => c.id === 'identity.pinned')!;
    expect(pinned.status).toBe('not-met');
    expect(pinned.evidence).toContain(
      'ToolServer default/context7-mcp-latest: package @upstash/context7-mcp@latest',
    );
  });
});

describe('k8sgpt-operator', () => {
  it('the operator alone is no agent: "no agents found", never Level 4', () => {
    const r = result('k8sgpt-operator/rendered');
    expect(r.status).toBe('no-agents-found');
    expect(r.overall).toEqual({ level: null, levelName: null, score: null, weakest: [] });
    expect(r.pillars.every((p) => p.level === null && p.criteria.length === 0)).toBe(true);
    expect(r.message).toMatch(/not a Level 4 result/);
    expect(r.platforms).toContainEqual({ id: 'k8sgpt-operator', status: 'installed' });
  });

  it('K8sGPT resources are agents: shared Secret, auto-remediation, direct vs local backends', () => {
    const r = result('k8sgpt-operator/samples');
    expect(r.summary.agents).toBe(4);
    expect(r.sharedCredentials).toEqual([
      {
        credential: 'Secret default/k8sgpt-sample-secret[openai-api-key]',
        items: ['K8sGPT default/k8sgpt-auto-remediation-sample', 'K8sGPT default/k8sgpt-sample'],
      },
    ]);
    const auto = r.items.find((i) => i.name === 'k8sgpt-auto-remediation-sample')!;
    expect(auto.autoRemediation).toBe(true);
    expect(auto.modelRoute.route).toBe('direct-provider');
    expect(r.items.find((i) => i.name === 'k8sgpt-sample-localai')!.modelRoute.route).toBe(
      'in-cluster-model',
    );
    const oversight = r.pillars.find((p) => p.pillar === 'human-oversight')!;
    expect(oversight.criteria.find((c) => c.id === 'oversight.no-unattended-writes')!.status).toBe(
      'not-met',
    );
    expect(r.pillars.find((p) => p.pillar === 'authorization-provenance')!.level).toBe(1);
  });
});

describe('model servers alone', () => {
  it.each([
    ['ollama/cpu', 'Deployment ollama/ollama', 'ollama'],
    ['ollama/gpu', 'Deployment ollama/ollama', 'ollama'],
    ['lws-llm-serving/vllm', 'LeaderWorkerSet default/vllm', 'vllm'],
    ['lws-llm-serving/sglang', 'LeaderWorkerSet default/sglang', 'sglang'],
    [
      'lws-llm-serving/llamacpp',
      'LeaderWorkerSet default/llamacpp-llama3-8b-instruct-bartowski-q5km',
      'llama-cpp',
    ],
  ])('%s: one model server, no agents', (id, ref, engine) => {
    const r = result(id);
    expect(r.status).toBe('no-agents-found');
    expect(r.items.map((i) => [i.kind, i.ref, i.framework])).toEqual([
      ['model-server', ref, engine],
    ]);
    expect(r.message).toMatch(/1 model server/);
    // `$HF_TOKEN` in the LWS templates is a placeholder, not a literal credential
    expect(r.items[0]!.credentials).toEqual([]);
  });
});
