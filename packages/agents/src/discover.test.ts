import type { ClusterSnapshot, Workload } from '@plumbline/contracts';
import { detect, snapshotFromSpec } from '@plumbline/detection';
import { discover } from './discover.js';
import { readEvidence } from './evidence.js';

function run(s: ClusterSnapshot) {
  return discover(s, detect(s), readEvidence([]));
}
const one = (images: string[], extra: Partial<Workload> = {}, env: Record<string, string> = {}) => {
  const s = snapshotFromSpec({
    workloads: [{ kind: 'Deployment', namespace: 'ai', name: 'w', images, env }],
  });
  Object.assign(s.workloads[0]!, extra);
  return s;
};

describe('workload classification', () => {
  it.each([
    [['vllm/vllm-openai:v0.8.5'], {}, 'model-server', 'vllm'],
    [['ollama/ollama:0.6.0'], {}, 'model-server', 'ollama'],
    [['ghcr.io/huggingface/text-generation-inference:3.0'], {}, 'model-server', 'tgi'],
    [['ghcr.io/berriai/litellm:main-v1.55.0'], {}, 'gateway', 'litellm'],
    [['cr.agentgateway.dev/agentgateway:0.7.0'], {}, 'gateway', 'agentgateway'],
    [['mcp/fetch:latest'], {}, 'mcp-server', null],
    [['ghcr.io/github/github-mcp-server:v0.5.0'], {}, 'mcp-server', null],
    [['python:3.12'], { OPENAI_API_KEY: 'x' }, 'agent', null],
    [['ghcr.io/acme/bot:1'], { LANGCHAIN_TRACING_V2: 'true' }, 'agent', 'langchain'],
    [['ghcr.io/acme/crew:1'], { CREWAI_STORAGE_DIR: '/data' }, 'agent', 'crewai'],
    [['ghcr.io/acme/pydantic-ai-bot:1'], { ANTHROPIC_API_KEY: 'x' }, 'agent', 'pydantic-ai'],
    [['nginx:1.27'], {}, null, null],
  ] as const)('%j %j -> %s %s', (images, env, kind, framework) => {
    const items = run(one([...images], {}, { ...env })).items;
    expect(items.map((i) => [i.kind, i.framework])).toEqual(kind ? [[kind, framework]] : []);
  });

  it('takes an explicit plumbline.io/kind label and skips Plumbline itself', () => {
    const s = one(['ghcr.io/acme/thing:1'], { podLabels: { 'plumbline.io/kind': 'gateway' } });
    expect(run(s).items.map((i) => i.kind)).toEqual(['gateway']);
    const own = one(['python:3'], { namespace: 'plumbline' }, { OPENAI_API_KEY: 'x' });
    expect(run(own).items).toEqual([]);
  });

  it('finds Ollama by its port', () => {
    const s = one(['registry.local/llm:1']);
    s.workloads[0]!.containers[0]!.ports.push({
      name: null,
      containerPort: 11434,
      hostPort: null,
      protocol: 'TCP',
    });
    expect(run(s).items[0]).toMatchObject({ kind: 'model-server', framework: 'ollama' });
  });
});

describe('dedicated service accounts', () => {
  // A few agents and many, against a count made here.
  it.each([3, 40])('%i agents: dedicated when no other workload runs as the account', (n) => {
    const s = snapshotFromSpec({
      workloads: Array.from({ length: n }, (_, i) => ({
        kind: 'Deployment' as const,
        namespace: i % 2 ? 'ai' : 'ai-2',
        name: `bot-${i}`,
        images: ['python:3'],
        env: { OPENAI_API_KEY: 'x' },
      })),
    });
    s.workloads.forEach((w, i) => (w.serviceAccountName = i % 3 ? `sa-${i}` : 'shared'));
    // A workload of another namespace with the same account name, and one that is no agent.
    s.workloads.push({ ...s.workloads[1]!, namespace: 'other', name: 'web', containers: [] });
    s.workloads.push({ ...s.workloads[1]!, name: 'web', containers: [] });
    const byName = new Map(run(s).items.map((i) => [i.name, i.dedicatedServiceAccount]));
    const users = (w: Workload) =>
      s.workloads.filter(
        (x) => x.namespace === w.namespace && x.serviceAccountName === w.serviceAccountName,
      ).length;
    const expected = s.workloads
      .filter((w) => w.name.startsWith('bot-'))
      .map((w): [string, boolean] => [w.name, users(w) === 1]);
    expect(expected.some(([, d]) => d)).toBe(true);
    expect(expected.some(([, d]) => !d)).toBe(true);
    expect(expected.map(([name]) => [name, byName.get(name)])).toEqual(expected);
  });
});

describe('agent facts', () => {
  it('sandbox runtime, workload identity and built-in cluster-admin', () => {
    const s = one(
      ['python:3'],
      { runtimeClassName: 'gvisor', serviceAccountName: 'bot' },
      { OPENAI_API_KEY: 'x' },
    );
    s.serviceAccounts.push({
      namespace: 'ai',
      name: 'bot',
      automountServiceAccountToken: null,
      annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/bot' },
      imagePullSecrets: [],
    });
    s.roleBindings.push({
      kind: 'ClusterRoleBinding',
      namespace: null,
      name: 'bot-admin',
      roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'bot', namespace: 'ai' }],
    });
    const a = run(s).items[0]!;
    expect(a.sandbox).toEqual({
      sandboxed: true,
      runtimeClassName: 'gvisor',
      via: 'RuntimeClass gvisor (gVisor)',
    });
    expect(a.workloadIdentity).toBe('EKS IAM roles for service accounts');
    expect(a.rbac).toMatchObject({ clusterAdmin: true, wildcard: true, secretsRead: true });
    expect(a.rbac!.bindings).toEqual([
      'ClusterRoleBinding bot-admin -> ClusterRole cluster-admin (built-in)',
    ]);
    expect(a.automountToken).toBe(true);
  });

  it('RBAC through the serviceaccounts group, and unknown when RBAC could not be collected', () => {
    const s = one(['python:3'], {}, { OPENAI_API_KEY: 'x' });
    s.roleBindings.push({
      kind: 'RoleBinding',
      namespace: 'ai',
      name: 'all-sa-edit',
      roleRef: { kind: 'ClusterRole', name: 'edit' },
      subjects: [{ kind: 'Group', name: 'system:serviceaccounts:ai', namespace: null }],
    });
    expect(run(s).items[0]!.rbac).toMatchObject({ secretsRead: true, known: true });
    s.collection.push({
      resource: 'rbac.authorization.k8s.io/ClusterRoleBinding',
      status: 'forbidden',
      count: 0,
      message: '403',
    });
    expect(run(s).items[0]!.rbac!.known).toBe(false);
  });

  it('an agent-sandbox Sandbox is a sandboxed, code-executing agent', () => {
    const s = snapshotFromSpec({
      objects: [
        {
          list: 'customResources',
          apiVersion: 'agents.x-k8s.io/v1alpha1',
          kind: 'Sandbox',
          namespace: 'dev',
          name: 'coder',
          spec: {
            podTemplate: {
              spec: {
                runtimeClassName: 'gvisor',
                containers: [{ name: 'c', image: 'ghcr.io/acme/coder:1' }],
              },
            },
          },
        },
      ],
    });
    expect(run(s).items[0]).toMatchObject({
      kind: 'agent',
      ref: 'Sandbox dev/coder',
      registered: true,
      codeExecution: true,
      sandbox: { sandboxed: true, runtimeClassName: 'gvisor' },
    });
  });

  it('model routes: provider default, in-cluster model server, placeholder', () => {
    const s = snapshotFromSpec({
      workloads: [
        {
          kind: 'Deployment',
          namespace: 'ai',
          name: 'direct',
          images: ['python:3'],
          env: { ANTHROPIC_API_KEY: 'x' },
        },
        {
          kind: 'Deployment',
          namespace: 'ai',
          name: 'local',
          images: ['python:3'],
          env: { OLLAMA_BASE_URL: 'http://ollama.llm:11434' },
        },
        {
          kind: 'Deployment',
          namespace: 'llm',
          name: 'ollama',
          images: ['ollama/ollama:0.6.0'],
          podLabels: { app: 'ollama' },
        },
      ],
      services: [{ namespace: 'llm', name: 'ollama', type: 'ClusterIP' }],
    });
    s.services[0]!.selector = { app: 'ollama' };
    const items = run(s).items;
    expect(items.find((i) => i.name === 'direct')!.modelRoute).toEqual({
      route: 'direct-provider',
      detail: 'anthropic key without a base URL: calls api.anthropic.com directly',
    });
    expect(items.find((i) => i.name === 'local')!.modelRoute.route).toBe('in-cluster-model');
  });
});
