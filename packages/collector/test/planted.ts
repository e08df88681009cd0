/**
 * A folder of manifests with secrets planted everywhere a careless scanner could leak them.
 * Values are obviously fake but have real credential shapes.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PLANTED = {
  envKey: 'sk-proj-PLANTEDfakeKEY0000000000001',
  sharedKey: 'sk-ant-PLANTEDsharedKEY00000000002',
  secretData: 'planted-secret-data-value-0003',
  stringData: 'planted-string-data-value-0004',
  lastApplied: 'planted-last-applied-password-0005',
  argToken: 'planted-arg-token-0006',
  urlPassword: 'plantedUrlPassw0rd0007',
  configMapToken: 'ghp_PLANTEDfakeGithubToken000000000008',
  crSecret: 'planted-cr-client-secret-0009',
  annotationKey: 'AKIAPLANTEDFAKE00010',
  headerValue: 'Bearer plantedOtelHeader0011abc',
  // Low-entropy values: only their key names say they are secrets (issue 17 item 14).
  gatewayPwd: 'hunter2gw',
  kvstorePassword: 'kvpass12',
  dbPassword: 'dbpw2024',
  settingPassword: 'felixpw77',
  annotationSecret: 'plainsecret9',
  configToken: 'tok3nvalue',
  numericPin: '482913',
};

export const ALLOWED_VISIBLE = {
  envNames: ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'DB_PASSWORD', 'FELIX_BPFENABLED'],
  felixValue: 'true',
  tracingFlag: 'false',
  modelName: 'gpt-4.1-mini',
  otelEndpoint: 'http://otel-collector.observability:4317',
  proxyMode: 'mode: "ipvs"',
};

export function plantedDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plumbline-planted-'));
  mkdirSync(join(dir, 'nested', 'deeper'), { recursive: true });
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  writeFileSync(
    join(dir, 'agent.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: support-agent
  namespace: agents
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"password":"${PLANTED.lastApplied}"}'
    team: support
    aws-key: ${PLANTED.annotationKey}
    plumbline.io/agent: support-001
    agents.example.com/client-secret: ${PLANTED.annotationSecret}
spec:
  replicas: 2
  selector: { matchLabels: { app: support-agent } }
  template:
    metadata:
      labels: { app: support-agent }
      annotations:
        owner: team-support
        kubectl.kubernetes.io/last-applied-configuration: '{"token":"${PLANTED.lastApplied}"}'
    spec:
      containers:
        - name: agent
          image: ghcr.io/example/langgraph-agent:1.2
          args: ["--token=${PLANTED.argToken}", "--db", "postgres://app:${PLANTED.urlPassword}@db:5432/app"]
          env:
            - { name: OPENAI_API_KEY, value: "${PLANTED.envKey}" }
            - { name: ANTHROPIC_API_KEY, value: "${PLANTED.sharedKey}" }
            - name: DB_PASSWORD
              valueFrom: { secretKeyRef: { name: db-credentials, key: password } }
            - { name: OTEL_EXPORTER_OTLP_ENDPOINT, value: "${ALLOWED_VISIBLE.otelEndpoint}" }
            - { name: OTEL_EXPORTER_OTLP_HEADERS, value: "authorization=${PLANTED.headerValue}" }
            - { name: LLM_BASE_URL, value: "https://user:${PLANTED.urlPassword}@llm.example.com/v1" }
            - { name: GATEWAY_PWD, value: "${PLANTED.gatewayPwd}" }
            - { name: LANGSMITH_TRACING, value: "${ALLOWED_VISIBLE.tracingFlag}" }
            - { name: OPENAI_MODEL, value: "${ALLOWED_VISIBLE.modelName}" }
            - { name: FEATURE_X_ENABLED, value: "not a boolean ${PLANTED.configToken}" }
---
apiVersion: v1
kind: Secret
metadata: { name: db-credentials, namespace: agents }
type: Opaque
data:
  password: ${b64(PLANTED.secretData)}
stringData:
  token: ${PLANTED.stringData}
`,
  );
  writeFileSync(
    join(dir, 'nested', 'second-agent.json'),
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'billing-agent', namespace: 'agents' },
          spec: {
            selector: { matchLabels: { app: 'billing-agent' } },
            template: {
              metadata: { labels: { app: 'billing-agent' } },
              spec: {
                containers: [
                  {
                    name: 'agent',
                    image: 'python:3.12',
                    command: ['python', '-m', 'crewai_app'],
                    env: [{ name: 'ANTHROPIC_API_KEY', value: PLANTED.sharedKey }],
                  },
                ],
              },
            },
          },
        },
      ],
    }),
  );
  writeFileSync(
    join(dir, 'nested', 'deeper', 'calico.yml'),
    `apiVersion: apps/v1
kind: DaemonSet
metadata: { name: calico-node, namespace: kube-system }
spec:
  selector: { matchLabels: { k8s-app: calico-node } }
  template:
    metadata: { labels: { k8s-app: calico-node } }
    spec:
      hostNetwork: true
      containers:
        - name: calico-node
          image: quay.io/calico/node:v3.31.0
          env:
            - { name: FELIX_BPFENABLED, value: "${ALLOWED_VISIBLE.felixValue}" }
            - { name: CALICO_API_TOKEN, value: "${PLANTED.configMapToken}" }
            - { name: CALICO_DATASTORE_PASSWORD, value: "${PLANTED.settingPassword}" }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: kube-proxy, namespace: kube-system }
data:
  config.conf: |
    ${ALLOWED_VISIBLE.proxyMode}
    clientConnection:
      kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
---
apiVersion: v1
kind: ConfigMap
metadata: { name: cilium-config, namespace: kube-system }
data:
  tunnel: vxlan
  clustermesh-token: ${PLANTED.configMapToken}
  kvstore-password: ${PLANTED.kvstorePassword}
  etcdSecretKey: ${PLANTED.configToken}
---
apiVersion: kagent.dev/v1alpha2
kind: ModelConfig
metadata: { name: default-model, namespace: kagent }
spec:
  provider: OpenAI
  model: gpt-4.1
  apiKeySecret: openai-key
  openAI: { clientSecret: ${PLANTED.crSecret}, baseUrl: "https://api.openai.com/v1" }
---
apiVersion: kagent.dev/v1alpha2
kind: ModelConfig
metadata: { name: inventory-model, namespace: kagent }
spec:
  provider: Ollama
  model: llama3
  dbPassword: ${PLANTED.dbPassword}
  ollama: { host: "http://ollama.models:11434", pwd: ${PLANTED.numericPin}, db_pwd: "${PLANTED.dbPassword}" }
  apiKeySecretRef: openai-key
`,
  );
  writeFileSync(join(dir, 'README.md'), '# not a manifest');
  writeFileSync(
    join(dir, 'template.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "{{ .Name }}"\n',
  );
  writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n  - agent.yaml\n');
  return dir;
}
