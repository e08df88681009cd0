import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { parseClusterSnapshot } from '@plumbline/contracts';
import { collectOffline } from '../src/offline.js';
import { serializeSnapshot } from '../src/serialize.js';
import { dryRunReport } from '../src/dry-run.js';
import { ALLOWED_VISIBLE, PLANTED, plantedDir } from './planted.js';

function forms(secret: string): string[] {
  return [
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
  ];
}

describe('planted secrets never leave', () => {
  const dir = plantedDir();
  const run = (includeSecretMetadata: boolean) =>
    collectOffline({
      dir,
      scanner: { name: 'plumbline-scanner', version: 'test' },
      collectedAt: '2026-11-26T00:00:00.000Z',
      includeSecretMetadata,
      fingerprintKey: randomBytes(32),
    });

  for (const includeSecretMetadata of [false, true]) {
    it(`in the snapshot, plain and gzip, and the dry run (secret metadata ${includeSecretMetadata ? 'on' : 'off'})`, () => {
      const { snapshot } = run(includeSecretMetadata);
      expect(parseClusterSnapshot(snapshot).ok).toBe(true);
      const outputs = [
        serializeSnapshot(snapshot).toString('utf8'),
        JSON.stringify(dryRunReport(snapshot)),
        JSON.stringify(snapshot.warnings),
      ];
      for (const out of outputs) {
        for (const [label, secret] of Object.entries(PLANTED)) {
          for (const form of forms(secret)) {
            if (out.includes(form)) throw new Error(`planted ${label} leaked as "${form}"`);
          }
        }
      }
      // The gzip file holds the same bytes as the plain one.
      const gz = serializeSnapshot(snapshot, true);
      expect(gunzipSync(gz).toString('utf8')).toBe(outputs[0]);
    });
  }

  it('keeps names, references and allowlisted config', () => {
    const { snapshot } = run(true);
    const text = serializeSnapshot(snapshot).toString('utf8');
    for (const n of ALLOWED_VISIBLE.envNames) expect(text).toContain(`"name": "${n}"`);
    expect(text).toContain(ALLOWED_VISIBLE.otelEndpoint);
    expect(text).toContain(ALLOWED_VISIBLE.proxyMode.replace(/"/g, '\\"'));

    const agent = snapshot.workloads.find((w) => w.name === 'support-agent')!;
    const env = Object.fromEntries(agent.containers[0]!.env.map((e) => [e.name, e]));
    expect(env.OPENAI_API_KEY).toMatchObject({ source: 'literal', looksLikeCredential: true });
    expect(env.OPENAI_API_KEY).not.toHaveProperty('value');
    expect(env.DB_PASSWORD).toEqual({
      name: 'DB_PASSWORD',
      source: 'secretKeyRef',
      secretName: 'db-credentials',
      key: 'password',
    });
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toMatchObject({ value: ALLOWED_VISIBLE.otelEndpoint });
    expect(env.OTEL_EXPORTER_OTLP_HEADERS).not.toHaveProperty('value');
    expect(env.LLM_BASE_URL).toMatchObject({ value: 'https://[REDACTED]@llm.example.com/v1' });
    expect(agent.containers[0]!.args).toEqual([
      '--token=[REDACTED]',
      '--db',
      'postgres://[REDACTED]@db:5432/app',
    ]);
    expect(agent.labels).toEqual({});
    expect(agent.podAnnotations).toEqual({ owner: 'team-support' });
    // The workload object's own annotations: allowlisted keys only; a sensitive key name is
    // withheld whatever its value; the credential-shaped `aws-key` is not on the allowlist.
    expect(agent.annotations).toEqual({
      'agents.example.com/client-secret': '[REDACTED]',
      'plumbline.io/agent': 'support-001',
      team: 'support',
    });
    // Env values are dropped by default: a toggle keeps a boolean, a model name a plain token;
    // a low-entropy GATEWAY_PWD and a toggle holding something else are withheld.
    expect(env.LANGSMITH_TRACING).toMatchObject({ value: ALLOWED_VISIBLE.tracingFlag });
    expect(env.OPENAI_MODEL).toMatchObject({ value: ALLOWED_VISIBLE.modelName });
    expect(env.GATEWAY_PWD).toMatchObject({ source: 'literal', looksLikeCredential: false });
    expect(env.GATEWAY_PWD).not.toHaveProperty('value');
    expect(env.FEATURE_X_ENABLED).not.toHaveProperty('value');

    // The same key pasted into two agents has one fingerprint; different keys differ.
    const billing = snapshot.workloads.find((w) => w.name === 'billing-agent')!;
    const shared = billing.containers[0]!.env[0]!;
    expect(shared.source === 'literal' && shared.fingerprint).toBe(
      env.ANTHROPIC_API_KEY!.source === 'literal' && env.ANTHROPIC_API_KEY!.fingerprint,
    );
    expect(env.OPENAI_API_KEY!.source === 'literal' && env.OPENAI_API_KEY!.fingerprint).not.toBe(
      env.ANTHROPIC_API_KEY!.source === 'literal' && env.ANTHROPIC_API_KEY!.fingerprint,
    );

    const calico = snapshot.workloads.find((w) => w.name === 'calico-node')!;
    expect(calico.containers[0]!.env).toEqual([
      expect.objectContaining({ name: 'FELIX_BPFENABLED', value: 'true' }),
      expect.not.objectContaining({ value: expect.anything() }),
      expect.not.objectContaining({ value: expect.anything() }),
    ]);
    const cilium = snapshot.config.configMaps.find((c) => c.name === 'cilium-config')!;
    expect(cilium).toEqual({
      namespace: 'kube-system',
      name: 'cilium-config',
      data: { tunnel: 'vxlan' },
      withheldKeys: ['clustermesh-token', 'etcdSecretKey', 'kvstore-password'],
    });
    expect(snapshot.secrets).toEqual([
      {
        namespace: 'agents',
        name: 'db-credentials',
        type: 'Opaque',
        keyNames: ['password', 'token'],
      },
    ]);
    const model = snapshot.config.customResources.find((c) => c.kind === 'ModelConfig')!;
    expect(model.spec).toMatchObject({
      apiKeySecret: '[REDACTED]',
      openAI: { clientSecret: '[REDACTED]', baseUrl: 'https://api.openai.com/v1' },
    });
    const inventory = snapshot.config.customResources.find((c) => c.name === 'inventory-model')!;
    expect(inventory.spec).toEqual({
      provider: 'Ollama',
      model: 'llama3',
      dbPassword: '[REDACTED]',
      ollama: { host: 'http://ollama.models:11434', pwd: '[REDACTED]', db_pwd: '[REDACTED]' },
      // A field naming a reference keeps its value: it is the Secret's name, not the secret.
      apiKeySecretRef: 'openai-key',
    });
  });

  it('skips Secrets entirely unless asked, and says so', () => {
    const { snapshot } = run(false);
    expect(snapshot.secrets).toEqual([]);
    expect(snapshot.collection.find((c) => c.resource === 'core/Secret')).toEqual({
      resource: 'core/Secret',
      status: 'skipped',
      count: 1,
      message: expect.stringMatching(/--include-secret-metadata/),
    });
  });

  it('warns about files that are not Kubernetes objects or are templates, without failing', () => {
    const { snapshot, stats } = run(false);
    expect(stats).toMatchObject({ templatesSkipped: 1, notKubernetes: 1 });
    // Files that gave no object are named once, with their reason, in one summary line.
    const summary = snapshot.warnings.filter((w) => /^skipped \d+ files?:/.test(w.message));
    expect(summary).toHaveLength(1);
    expect(summary[0]!.message).toMatch(/template\.yaml \(template placeholders/);
    expect(summary[0]!.message).toMatch(/kustomization\.yaml \(not a Kubernetes object/);
    expect(snapshot.warnings.filter((w) => /template\.yaml|kustomization/.test(w.source))).toEqual(
      [],
    );
    expect(snapshot.workloads.map((w) => w.name)).toEqual([
      'calico-node',
      'billing-agent',
      'support-agent',
    ]);
  });
});
