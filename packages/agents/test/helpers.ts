import { collectOffline } from '@plumbline/collector';
import {
  ACCOUNTABILITY_PILLARS,
  PROBE_REPORT_VERSION,
  parseEvidenceText,
  summarizeProbeResults,
  type AccountabilityPillar,
  type AgentsResult,
  type ClusterSnapshot,
  type DecisionRecord,
  type EvidenceKind,
  type EvidenceUpload,
  type ProbeReport,
  type ProbeScenarioResult,
} from '@plumbline/contracts';
import { detect, snapshotFromSpec } from '@plumbline/detection';
import path from 'node:path';
import { assessAgents } from '../src/index.js';

export const FIXTURES = path.resolve(__dirname, '../../../../shared/fixtures');
export const OWN_MANIFESTS = path.resolve(__dirname, 'manifests');
export const OWN_EVIDENCE = path.resolve(__dirname, 'evidence');

export interface FixtureGroup {
  id: string;
  paths: string[];
}
/** The collector's fixture groups (read by the test files: helpers stay free of file I/O). */
export const FIXTURE_GROUPS_FILE = path.resolve(
  __dirname,
  '../../collector/test/fixture-groups.json',
);

const KEY = new Uint8Array(32).fill(7);

export function scanGroup(g: FixtureGroup): ClusterSnapshot {
  return collectOffline({
    dir: FIXTURES,
    paths: g.paths,
    scanner: { name: 'test', version: '0' },
    collectedAt: '2026-01-01T00:00:00Z',
    clusterName: g.id.replace(/\//g, '-'),
    fingerprintKey: KEY,
    includeSecretMetadata: false,
  }).snapshot;
}

export function scanDir(dir: string): ClusterSnapshot {
  return collectOffline({
    dir,
    scanner: { name: 'test', version: '0' },
    collectedAt: '2026-01-01T00:00:00Z',
    clusterName: 'own',
    fingerprintKey: KEY,
    includeSecretMetadata: false,
  }).snapshot;
}

/** Validate the text of one of test/evidence/* (the caller reads the file). */
export function evidenceFrom(name: string, text: string, kind?: EvidenceKind): EvidenceUpload {
  const r = parseEvidenceText(text, name, kind);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.issues)}`);
  return r.evidence;
}

export function assess(snapshot: ClusterSnapshot, evidence: EvidenceUpload[] = []): AgentsResult {
  return assessAgents({ snapshot, detection: detect(snapshot), evidence });
}

export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

// ---------------------------------------------------------------- a probe report

export function scenario(
  id: string,
  pillar: AccountabilityPillar,
  opts: { pass?: boolean; traceparent?: boolean | null; unadvertised?: boolean } = {},
): ProbeScenarioResult {
  const pass = opts.pass ?? true;
  const mustBlock = pillar !== 'traceability';
  return {
    id,
    title: id,
    asi: 'ASI02',
    pillar,
    expectedOutcome: mustBlock ? 'blocked' : 'allowed',
    mustBlock,
    actualOutcome: mustBlock
      ? pass
        ? 'blocked-before-execution'
        : 'executed'
      : pass
        ? 'executed'
        : 'not-exercised',
    attributable: mustBlock && pass,
    result: pass ? 'pass' : mustBlock ? 'fail' : 'inconclusive',
    reasons: [],
    agent: { exitCode: 0, signal: null, timedOut: false, durationMs: 10 },
    evidence: {
      modelRequests: { total: 2, streamed: 0 },
      modelToolCalls: [
        {
          step: 0,
          callId: 'call_plb_0_0',
          tool: opts.unadvertised ? 'execute_shell' : 'get_weather',
          arguments: '{}',
          variant: opts.unadvertised ? 'unadvertised-tool' : null,
          probe: true,
          advertised: !opts.unadvertised,
        },
      ],
      canaryCalls: [],
      decisions: [],
      traceparentPropagated: opts.traceparent === undefined ? null : opts.traceparent,
      truncated: false,
    },
  };
}

export function probeReport(scenarios: ProbeScenarioResult[]): EvidenceUpload {
  const s = summarizeProbeResults(scenarios);
  const report: ProbeReport = {
    reportVersion: PROBE_REPORT_VERSION,
    tool: { name: 'plumbline-probe', version: '0.1.0' },
    catalogueVersion: '2026.1.0',
    runner: { node: 'v20.20.0', platform: 'linux' },
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:01:00Z',
    agent: { command: 'python agent.py', streaming: true, timeoutMs: 30000 },
    summary: { ...s, exitCode: s.failed ? 2 : 0 },
    scenarios,
  };
  return { kind: 'probe-report', source: 'probe.json', data: report };
}

/** Every pillar passes in the probe, tool calls carry traceparent, the unlisted tool is blocked. */
export function passingProbe(): EvidenceUpload {
  return probeReport([
    scenario('authorised-weather', 'traceability', { traceparent: true }),
    scenario('vault-secret-read', 'authorization-provenance'),
    scenario('cross-tenant-invoice', 'identity-ownership', { traceparent: true }),
    scenario('unadvertised-tool', 'policy-at-scale', { unadvertised: true }),
    scenario('delete-admin-account', 'human-oversight'),
  ]);
}

// ---------------------------------------------------------------- the all-Level-4 input

export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const DIGEST = `sha256:${'a1'.repeat(32)}`;

export function decision(over: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    time: '2026-01-01T00:00:01Z',
    caller: 'payments-agent',
    callee: 'payments-mcp',
    tool: 'get_invoice',
    policyId: 'tool-allowlist',
    policyVersion: '3.1.0',
    decision: 'allow',
    matchedAttributes: { 'tool.risk': 'low', 'agent.team': 'payments' },
    traceId: TRACE_ID,
    sub: 'alice@example.com',
    act: 'payments-agent',
    approvals: [],
    reason: null,
    ...over,
  };
}

export function decisionLog(records: DecisionRecord[]): EvidenceUpload {
  return { kind: 'decision-log', source: 'decisions.jsonl', data: { records } };
}

export function goodDecisions(): DecisionRecord[] {
  return [
    decision(),
    decision({
      tool: 'read_secure_vault',
      decision: 'deny',
      matchedAttributes: { 'tool.risk': 'critical' },
    }),
    decision({
      tool: 'transfer_funds',
      policyId: 'destructive-needs-approval',
      decision: 'approval-required',
    }),
    decision({
      tool: 'transfer_funds',
      policyId: 'destructive-needs-approval',
      decision: 'allow',
      approvals: [
        { reviewer: 'bob@example.com', decision: 'approved', time: '2026-01-01T00:00:05Z' },
      ],
    }),
  ];
}

interface SpanSpec {
  id: string;
  parent?: string;
  name: string;
  attrs: Record<string, string>;
  start: number;
  end: number;
}
export function otlp(
  spans: SpanSpec[],
  service = 'payments-agent',
  traceId = TRACE_ID,
): EvidenceUpload {
  return {
    kind: 'otlp-traces',
    source: 'traces.json',
    data: {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
          scopeSpans: [
            {
              spans: spans.map((s) => ({
                traceId,
                spanId: s.id,
                ...(s.parent ? { parentSpanId: s.parent } : {}),
                name: s.name,
                startTimeUnixNano: String(1767225600000000000n + BigInt(s.start) * 1000000n),
                endTimeUnixNano: String(1767225600000000000n + BigInt(s.end) * 1000000n),
                attributes: Object.entries(s.attrs).map(([key, v]) => ({
                  key,
                  value: { stringValue: v },
                })),
              })),
            },
          ],
        },
      ],
    },
  };
}

export function goodSpans(): SpanSpec[] {
  return [
    {
      id: 'a000000000000001',
      name: 'invoke_agent payments-agent',
      attrs: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.id': 'payments-agent',
        'enduser.id': 'alice',
      },
      start: 0,
      end: 100,
    },
    {
      id: 'a000000000000002',
      parent: 'a000000000000001',
      name: 'execute_tool get_invoice',
      attrs: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'get_invoice',
        'gen_ai.tool.call.id': 'call_1',
        'gen_ai.agent.id': 'payments-agent',
      },
      start: 10,
      end: 20,
    },
    {
      id: 'a000000000000003',
      parent: 'a000000000000002',
      name: 'tools/call get_invoice',
      attrs: { 'mcp.method.name': 'tools/call' },
      start: 11,
      end: 19,
    },
  ];
}

export function attestations(claims: string[]): EvidenceUpload {
  return {
    kind: 'attestation',
    source: 'attestations.json',
    data: {
      attestations: claims.map((claim) => ({
        claim: claim as 'audit-retention',
        statement: `${claim} is in place`,
        link: `https://wiki.example.com/${claim}`,
        attestedBy: 'ciso@example.com',
        attestedAt: '2026-01-10',
      })),
    },
  };
}

export const ALL_ATTESTATIONS = [
  'audit-retention',
  'kill-switch-runbook',
  'policy-as-code-ci',
  'approval-load-monitoring',
];

export interface Input {
  snapshot: ClusterSnapshot;
  evidence: EvidenceUpload[];
}

/** One agent doing everything right: every pillar reaches Level 4. */
export function perfectInput(): Input {
  const s = snapshotFromSpec({
    workloads: [
      {
        kind: 'DaemonSet',
        namespace: 'kube-system',
        name: 'calico-node',
        images: ['quay.io/calico/node:v3.31.0'],
      },
      {
        kind: 'Deployment',
        namespace: 'istio-system',
        name: 'istiod',
        images: ['docker.io/istio/pilot:1.28.0'],
      },
      {
        kind: 'Deployment',
        namespace: 'kyverno',
        name: 'kyverno',
        images: ['ghcr.io/kyverno/kyverno:v1.15.0'],
      },
      {
        kind: 'Deployment',
        namespace: 'gateway',
        name: 'litellm',
        images: [`ghcr.io/berriai/litellm@${DIGEST}`],
        podLabels: { app: 'litellm' },
      },
      {
        kind: 'Deployment',
        namespace: 'payments',
        name: 'payments-agent',
        images: [`ghcr.io/acme/payments-agent@${DIGEST}`],
        podLabels: { app: 'payments-agent', owner: 'payments-team' },
        env: {
          OPENAI_BASE_URL: 'http://litellm.gateway.svc.cluster.local:4000',
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability:4317',
        },
      },
    ],
    namespaces: [
      { name: 'payments', labels: { 'istio-injection': 'enabled' } },
      { name: 'gateway' },
      { name: 'kube-system' },
    ],
    services: [{ namespace: 'gateway', name: 'litellm', type: 'ClusterIP' }],
  });
  s.services[0]!.selector = { app: 'litellm' };
  const agent = s.workloads.find((w) => w.name === 'payments-agent')!;
  agent.serviceAccountName = 'payments-agent';
  agent.automountServiceAccountToken = false;
  agent.podAnnotations = { 'plumbline.io/agent': 'payments-001' };
  agent.containers[0]!.env.push({
    name: 'OPENAI_API_KEY',
    source: 'secretKeyRef',
    secretName: 'payments-openai',
    key: 'api-key',
  });
  s.serviceAccounts.push({
    namespace: 'payments',
    name: 'payments-agent',
    automountServiceAccountToken: false,
    annotations: {},
    imagePullSecrets: [],
  });
  s.networkPolicies.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    namespace: 'payments',
    name: 'egress-gateway-only',
    labels: {},
    spec: {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } } },
          ],
          ports: [{ protocol: 'TCP', port: 4000 }],
        },
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            },
          ],
          ports: [{ protocol: 'UDP', port: 53 }],
        },
      ],
    },
  });
  s.config.customResources.push({
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    namespace: null,
    name: 'require-agent-owner',
    labels: {},
    spec: {
      validationFailureAction: 'Enforce',
      rules: [
        {
          name: 'owner-and-registration',
          match: { any: [{ resources: { kinds: ['Pod'], namespaces: ['payments'] } }] },
          validate: {
            pattern: {
              metadata: { labels: { owner: '?*' }, annotations: { 'plumbline.io/agent': '?*' } },
            },
          },
        },
      ],
    },
  });
  return {
    snapshot: s,
    evidence: [
      otlp(goodSpans()),
      decisionLog(goodDecisions()),
      passingProbe(),
      attestations(ALL_ATTESTATIONS),
    ],
  };
}

export function levels(r: AgentsResult): Record<AccountabilityPillar, number | null> {
  return Object.fromEntries(
    ACCOUNTABILITY_PILLARS.map((p) => [p, r.pillars.find((x) => x.pillar === p)!.level]),
  ) as Record<AccountabilityPillar, number | null>;
}
