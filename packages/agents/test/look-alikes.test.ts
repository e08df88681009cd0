import type { AgentsResult, CriterionStatus } from '@plumbline/contracts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assess, scanDir } from './helpers.js';

/**
 * Issue 18 items 1-3: verdicts a look-alike must not win and real governance must not lose. Each
 * case is a folder of manifests read by the real collector (reducer, allowlists, redaction), then
 * assessed: what the scanner keeps is exactly what the verdict can use.
 */

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function scanYaml(...docs: string[]): AgentsResult {
  const dir = mkdtempSync(path.join(tmpdir(), 'plumbline-lookalike-'));
  dirs.push(dir);
  writeFileSync(path.join(dir, 'all.yaml'), docs.join('\n---\n'));
  return assess(scanDir(dir));
}

interface AgentOpts {
  name?: string;
  ns?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  podAnnotations?: Record<string, string>;
  podLabels?: Record<string, string>;
  env?: string;
  sa?: string;
  automount?: boolean;
  image?: string;
  hostNetwork?: boolean;
  hostPort?: number;
}

const map = (m: Record<string, string> = {}) =>
  `{ ${Object.entries(m)
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(', ')} }`;

function agent(o: AgentOpts = {}): string {
  const name = o.name ?? 'support-agent';
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${o.ns ?? 'agents'}
  labels: ${map(o.labels)}
  annotations: ${map(o.annotations)}
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata:
      labels: ${map({ app: name, ...o.podLabels })}
      annotations: ${map(o.podAnnotations)}
    spec:
      serviceAccountName: ${o.sa ?? name}
      ${o.automount === undefined ? '' : `automountServiceAccountToken: ${o.automount}`}
      hostNetwork: ${o.hostNetwork ?? false}
      containers:
        - name: agent
          image: ${o.image ?? 'ghcr.io/example/langgraph-agent@sha256:' + 'a'.repeat(64)}
          ports: [{ containerPort: 8080${o.hostPort ? `, hostPort: ${o.hostPort}` : ''} }]
          env:
            - name: OPENAI_API_KEY
              valueFrom: { secretKeyRef: { name: ${name}-openai, key: api-key } }
            - { name: OPENAI_BASE_URL, value: "http://litellm.ai-gateway:4000" }
${o.env ?? ''}`;
}

const GATEWAY = `apiVersion: apps/v1
kind: Deployment
metadata: { name: litellm, namespace: ai-gateway }
spec:
  selector: { matchLabels: { app: litellm } }
  template:
    metadata: { labels: { app: litellm } }
    spec:
      containers:
        - name: litellm
          image: ghcr.io/berriai/litellm:main-latest
---
apiVersion: v1
kind: Service
metadata: { name: litellm, namespace: ai-gateway }
spec:
  selector: { app: litellm }
  ports: [{ port: 4000 }]`;

const SPIRE = `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: spire-server, namespace: spire }
spec:
  selector: { matchLabels: { app: spire-server } }
  template:
    metadata: { labels: { app: spire-server } }
    spec:
      containers: [{ name: server, image: ghcr.io/spiffe/spire-server:1.13.0 }]`;

const SA = (name: string, ns = 'agents') =>
  `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: ${name}, namespace: ${ns} }`;

const clusterAdmin = (sa: string, ns = 'agents') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: ${sa}-admin }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: ServiceAccount, name: ${sa}, namespace: ${ns} }]`;

const status = (r: AgentsResult, id: string): CriterionStatus | undefined =>
  r.pillars.flatMap((p) => p.criteria).find((c) => c.id === id)?.status;
const itemOf = (r: AgentsResult, ref: string) => {
  const i = r.items.find((x) => x.ref === ref);
  if (!i) throw new Error(`no ${ref} in ${r.items.map((x) => x.ref).join(', ')}`);
  return i;
};
const AGENT = 'Deployment agents/support-agent';

// The governed-looking agent of the issue: owner annotation, component label, dedicated
// ServiceAccount, gateway in front (with an unpinned image), but no registration signal.
const governedLooking = {
  annotations: { owner: 'support-team' },
  labels: { component: 'ai-agent' },
};

describe("18.1 registration: the fix text's advice changes the verdict", () => {
  it('without a registration signal the agent is shadow', () => {
    const r = scanYaml(agent(governedLooking), SA('support-agent'), GATEWAY);
    expect(itemOf(r, AGENT)).toMatchObject({ registered: false, owner: 'support-team' });
    expect(status(r, 'identity.registered')).toBe('not-met');
    expect(itemOf(r, AGENT).findings.map((f) => f.message)).toContain(
      'shadow agent: not declared to an agent platform, registry or annotation',
    );
  });

  it("plumbline.io/agent on the Deployment (the remediation's own advice) registers it", () => {
    const r = scanYaml(
      agent({
        ...governedLooking,
        annotations: { ...governedLooking.annotations, 'plumbline.io/agent': 'support-001' },
      }),
      SA('support-agent'),
      GATEWAY,
    );
    expect(itemOf(r, AGENT)).toMatchObject({
      registered: true,
      registration: 'annotation plumbline.io/agent=support-001',
    });
    expect(status(r, 'identity.registered')).toBe('met');
    expect(status(r, 'identity.owner')).toBe('met');
    const identity = r.pillars.find((p) => p.pillar === 'identity-ownership')!;
    expect(identity.level).toBeGreaterThanOrEqual(1);
  });

  it.each([
    ['annotation on the Deployment', { annotations: { 'agents.example.com/registry-id': 'a-7' } }],
    ['label on the Deployment', { labels: { 'plumbline.io/registry-id': 'a-7' } }],
    ['pod-template annotation', { podAnnotations: { 'plumbline.io/agent': 'a-7' } }],
    ['pod-template label', { podLabels: { 'plumbline.io/registered': 'true' } }],
  ])('registers through a %s', (_n, meta) => {
    const r = scanYaml(agent(meta), SA('support-agent'));
    expect(itemOf(r, AGENT).registered).toBe(true);
  });

  it.each([
    ['plumbline.io/registered: "false"', { annotations: { 'plumbline.io/registered': 'false' } }],
    ['plumbline.io/agent: "none"', { podAnnotations: { 'plumbline.io/agent': 'none' } }],
    ['an unknown annotation (not collected)', { annotations: { 'example.com/agent': 'x' } }],
    ['a component label', { labels: { component: 'ai-agent', 'app.kubernetes.io/part-of': 'ai' } }],
  ])('does not register through %s', (_n, meta) => {
    const r = scanYaml(agent(meta), SA('support-agent'));
    expect(itemOf(r, AGENT).registered).toBe(false);
  });

  it('an AgentRegistration entry (registry CR) naming the workload registers it', () => {
    const entry = (ref: string) => `apiVersion: plumbline.io/v1alpha1
kind: AgentRegistration
metadata: { name: support, namespace: agents }
spec: ${ref}`;
    const byRef = scanYaml(
      agent(),
      entry('{ workloadRef: { kind: Deployment, name: support-agent } }'),
    );
    expect(itemOf(byRef, AGENT)).toMatchObject({
      registered: true,
      registration: 'registry entry AgentRegistration agents/support',
    });
    const bySel = scanYaml(agent(), entry('{ selector: { matchLabels: { app: support-agent } } }'));
    expect(itemOf(bySel, AGENT).registered).toBe(true);
    const other = scanYaml(agent(), entry('{ workloadRef: { kind: Deployment, name: other } }'));
    expect(itemOf(other, AGENT).registered).toBe(false);
    const emptySel = scanYaml(agent(), entry('{ selector: {} }'));
    expect(itemOf(emptySel, AGENT).registered).toBe(false);
  });
});

describe('18.1 SPIFFE/SPIRE identity from annotations and ClusterSPIFFEID, not only labels', () => {
  const cspiffe = (selector: string) => `apiVersion: spire.spiffe.io/v1alpha1
kind: ClusterSPIFFEID
metadata: { name: agents }
spec:
  spiffeIDTemplate: "spiffe://example.org/ns/{{ .PodMeta.Namespace }}/sa/{{ .PodSpec.ServiceAccountName }}"
  podSelector: ${selector}`;

  it.each([
    [
      'a pod-template annotation spiffe.io/spiffe-id',
      [SPIRE, agent({ podAnnotations: { 'spiffe.io/spiffe-id': 'spiffe://example.org/agent' } })],
    ],
    [
      'a Deployment annotation spiffe.io/spire-managed-identity',
      [SPIRE, agent({ annotations: { 'spiffe.io/spire-managed-identity': 'true' } })],
    ],
    [
      'a ClusterSPIFFEID selecting its pods',
      [SPIRE, agent(), cspiffe('{ matchLabels: { app: support-agent } }')],
    ],
  ])('credits %s', (_n, docs) => {
    const r = scanYaml(...docs);
    expect(itemOf(r, AGENT).workloadIdentity).toMatch(/^SPIFFE\/SPIRE/);
  });

  it.each([
    [
      'spiffe.io/spire-managed-identity: "false"',
      [SPIRE, agent({ podLabels: { 'spiffe.io/spire-managed-identity': 'false' } })],
    ],
    [
      'a ClusterSPIFFEID selecting other pods',
      [SPIRE, agent(), cspiffe('{ matchLabels: { app: other } }')],
    ],
    [
      'SPIFFE annotations without SPIRE running',
      [agent({ podAnnotations: { 'spiffe.io/spiffe-id': 'spiffe://x/y' } })],
    ],
  ])('does not credit %s', (_n, docs) => {
    const r = scanYaml(...docs);
    expect(itemOf(r, AGENT).workloadIdentity).toBeNull();
  });
});

describe("18.1 a gateway's unpinned image is not charged to the agent behind it", () => {
  it('identity.pinned looks at agents and MCP servers only', () => {
    const r = scanYaml(agent(), SA('support-agent'), GATEWAY);
    const gw = itemOf(r, 'Deployment ai-gateway/litellm');
    expect(gw.findings.map((f) => f.message)).toContain(
      'image ghcr.io/berriai/litellm:main-latest is not pinned by digest',
    );
    expect(status(r, 'identity.pinned')).toBe('met');
    const unpinned = scanYaml(agent({ image: 'ghcr.io/example/agent:1.0' }), GATEWAY);
    expect(status(unpinned, 'identity.pinned')).toBe('not-met');
  });
});

describe('18.3 tracing is read from values, not names', () => {
  const env = (lines: string[]) => lines.map((l) => `            - ${l}`).join('\n');
  it.each([
    ['LANGSMITH_TRACING=true', ['{ name: LANGSMITH_TRACING, value: "true" }']],
    ['LANGCHAIN_TRACING_V2=1', ['{ name: LANGCHAIN_TRACING_V2, value: "1" }']],
    ['an OTLP endpoint', ['{ name: OTEL_EXPORTER_OTLP_ENDPOINT, value: "http://otel:4317" }']],
    ['OTEL_TRACES_EXPORTER=otlp', ['{ name: OTEL_TRACES_EXPORTER, value: otlp }']],
  ])('counts %s', (_n, lines) => {
    const r = scanYaml(agent({ env: env(lines) }));
    expect(itemOf(r, AGENT).tracing.exporter).toBe(true);
    expect(status(r, 'trace.exporter')).toBe('met');
  });

  it.each([
    ['LANGSMITH_TRACING=false', ['{ name: LANGSMITH_TRACING, value: "false" }']],
    ['LANGCHAIN_TRACING_V2=off', ['{ name: LANGCHAIN_TRACING_V2, value: "off" }']],
    ['LANGSMITH_TRACING=0', ['{ name: LANGSMITH_TRACING, value: "0" }']],
    [
      'a LangSmith toggle whose value is not visible',
      [
        'name: LANGSMITH_TRACING\n              valueFrom: { configMapKeyRef: { name: cfg, key: t } }',
      ],
    ],
    [
      'an OTLP endpoint with OTEL_SDK_DISABLED=true',
      [
        '{ name: OTEL_EXPORTER_OTLP_ENDPOINT, value: "http://otel:4317" }',
        '{ name: OTEL_SDK_DISABLED, value: "true" }',
      ],
    ],
    [
      'an OTLP endpoint with OTEL_TRACES_EXPORTER=none',
      [
        '{ name: OTEL_EXPORTER_OTLP_ENDPOINT, value: "http://otel:4317" }',
        '{ name: OTEL_TRACES_EXPORTER, value: none }',
      ],
    ],
    [
      'a Langfuse host with LANGFUSE_TRACING_ENABLED=false',
      [
        '{ name: LANGFUSE_HOST, value: "http://langfuse:3000" }',
        '{ name: LANGFUSE_TRACING_ENABLED, value: "false" }',
      ],
    ],
  ])('does not count %s', (_n, lines) => {
    const r = scanYaml(agent({ env: env(lines) }));
    expect(itemOf(r, AGENT).tracing.exporter).toBe(false);
    expect(status(r, 'trace.exporter')).toBe('not-met');
  });
});

describe('18.3 "API token mounted only when needed" fails for powerful tokens', () => {
  it('a mounted cluster-admin token is not "needed"', () => {
    const r = scanYaml(agent(), SA('support-agent'), clusterAdmin('support-agent'));
    expect(status(r, 'identity.token-automount')).toBe('not-met');
    const c = r.pillars
      .flatMap((p) => p.criteria)
      .find((x) => x.id === 'identity.token-automount')!;
    expect(c.evidence.join('\n')).toMatch(/token mounted and it grants cluster-admin/);
  });
  it('the same agent with the token not mounted passes', () => {
    const r = scanYaml(
      agent({ automount: false }),
      SA('support-agent'),
      clusterAdmin('support-agent'),
    );
    expect(status(r, 'identity.token-automount')).toBe('met');
  });
});

describe('18.2 exposure: reachable from outside x what the identity may do', () => {
  const mcp = (extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: { name: k8s-mcp-server, namespace: tools }
spec:
  selector: { matchLabels: { app: k8s-mcp } }
  template:
    metadata: { labels: { app: k8s-mcp } }
    spec:
      serviceAccountName: k8s-mcp
      containers:
        - name: mcp
          image: ghcr.io/example/k8s-mcp-server@sha256:${'b'.repeat(64)}
          ports: [{ containerPort: 8080 }]
${extra}`;
  const svc = (type: string) => `apiVersion: v1
kind: Service
metadata: { name: k8s-mcp, namespace: tools }
spec:
  type: ${type}
  selector: { app: k8s-mcp }
  ports: [{ port: 80, targetPort: 8080 }]`;
  const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: mcp, namespace: tools }
spec:
  rules:
    - host: mcp.example.com
      http:
        paths:
          - { path: /, pathType: Prefix, backend: { service: { name: k8s-mcp, port: { number: 80 } } } }`;
  const route = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: mcp, namespace: tools }
spec:
  parentRefs: [{ name: public, namespace: gateways }]
  rules: [{ backendRefs: [{ name: k8s-mcp, port: 80 }] }]`;
  const MCP = 'Deployment tools/k8s-mcp-server';
  const base = [SA('k8s-mcp', 'tools'), clusterAdmin('k8s-mcp', 'tools'), agent()];

  it.each([
    ['a LoadBalancer Service', [svc('LoadBalancer')], 'LoadBalancer Service tools/k8s-mcp'],
    ['a NodePort Service', [svc('NodePort')], 'NodePort Service tools/k8s-mcp'],
    ['an Ingress to a ClusterIP Service', [svc('ClusterIP'), ingress], 'Ingress tools/mcp'],
    ['a Gateway API HTTPRoute', [svc('ClusterIP'), route], 'HTTPRoute tools/mcp'],
  ])('%s with a cluster-admin identity is a critical finding', (_n, docs, path) => {
    const r = scanYaml(mcp(), ...docs, ...base);
    const item = itemOf(r, MCP);
    expect(item.exposure).toEqual({
      paths: [path],
      power: expect.arrayContaining(['cluster-admin', 'Secret reads']),
    });
    expect(item.findings.map((f) => f.message).join('\n')).toMatch(/^CRITICAL exposure/m);
    expect(status(r, 'identity.exposed-power')).toBe('not-met');
    const gap = r.gaps.find((g) => g.criterion === 'identity.exposed-power')!;
    expect(gap.severity).toBe('critical');
  });

  it('hostNetwork and hostPort are outside paths too', () => {
    const r = scanYaml(
      agent({ hostNetwork: true, hostPort: 8080 }),
      SA('support-agent'),
      clusterAdmin('support-agent'),
    );
    expect(itemOf(r, AGENT).exposure?.paths).toEqual(['hostNetwork', 'hostPort 8080 (agent)']);
    expect(status(r, 'identity.exposed-power')).toBe('not-met');
  });

  it.each([
    ['a ClusterIP Service nothing routes to', [svc('ClusterIP'), ...base]],
    [
      'exposed, but its ServiceAccount has no rights',
      [svc('LoadBalancer'), SA('k8s-mcp', 'tools'), agent()],
    ],
  ])('is not critical: %s', (_n, docs) => {
    const r = scanYaml(mcp(), ...docs);
    expect(status(r, 'identity.exposed-power')).toBe('met');
    expect(r.gaps.some((g) => g.severity === 'critical')).toBe(false);
  });

  it('exposed with its token not mounted is listed, not critical', () => {
    const r = scanYaml(
      mcp('      automountServiceAccountToken: false'),
      svc('LoadBalancer'),
      ...base,
    );
    expect(itemOf(r, MCP).exposure).toEqual({
      paths: ['LoadBalancer Service tools/k8s-mcp'],
      power: [],
    });
    expect(status(r, 'identity.exposed-power')).toBe('met');
  });
});
