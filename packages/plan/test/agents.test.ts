import { assessAgents } from '@plumbline/agents';
import { analyzeWithNetpol } from '@plumbline/analysis';
import { collectOffline } from '@plumbline/collector';
import {
  ACCOUNTABILITY_PILLARS,
  type AccountabilityPillar,
  type ClusterSnapshot,
  evidenceUploadSchema,
  planTargetSchema,
  type EvidenceUpload,
} from '@plumbline/contracts';
import { generateCluster } from '@plumbline/scenarios';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { agentCatalogue, agentLevels, findCollector, leastRbac } from '../src/agent-actions.js';
import {
  applyToSnapshot,
  bundleFiles,
  planAndVerify,
  planFor,
  verifyBundle,
  type PlanOutcome,
} from '../src/index.js';
import { FIXTURES, scenarioSnapshot } from './helpers.js';

// Plans for an AI-agent accountability pillar: generated objects only where the scan shows the
// gap, manual steps for what only the team can do, look-alikes never fixed by a label, no secret
// value in any object, least RBAC, and verification (full re-analysis) equal to the promise.

const KEY = new Uint8Array(32).fill(7);
const AGENT_PLAN = path.resolve(__dirname, 'fixtures/agent-plan');
const GOVERNED = path.resolve(__dirname, '../../../apps/scanner/test/fixtures/governed-agents');

function scanText(yaml: string, name = 'agents'): ClusterSnapshot {
  const dir = mkdtempSync(path.join(tmpdir(), 'agent-plan-'));
  try {
    writeFileSync(path.join(dir, 'cluster.yaml'), yaml);
    return scanDir(dir, name);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function scanDir(dir: string, name = 'agents', paths?: string[]): ClusterSnapshot {
  return collectOffline({
    dir,
    ...(paths ? { paths } : {}),
    scanner: { name: 'test', version: '0' },
    collectedAt: '2026-01-01T00:00:00Z',
    clusterName: name,
    clusterId: name,
    fingerprintKey: KEY,
    includeSecretMetadata: false,
  }).snapshot;
}

const fixtureText = readFileSync(path.join(AGENT_PLAN, 'cluster.yaml'), 'utf8');
const docs = fixtureText.split(/^---$/m);
/** The fixture without the look-alike agent (tracing and registration switched off). */
const cleanText = docs.filter((d) => !/quiet-agent/.test(d)).join('---');
/** Without the collector and its Service. */
const noCollectorText = cleanText
  .split(/^---$/m)
  .filter((d) => !/otel-collector, namespace: observability/.test(d))
  .join('---');

function plan(
  s: ClusterSnapshot,
  pillar: AccountabilityPillar,
  level: number,
  evidence?: EvidenceUpload[],
) {
  const { result: analysis, netpol } = analyzeWithNetpol({ snapshot: s, evidence });
  return planAndVerify({
    snapshot: s,
    analysis,
    target: { level, pillar },
    netpolEngine: netpol.engine,
    ...(evidence ? { evidence } : {}),
  });
}

const ok = (o: PlanOutcome) => {
  if (o.status !== 'ok') throw new Error(`${o.status}: ${'reason' in o.plan ? o.plan.reason : ''}`);
  return o;
};

const objectsOf = (o: PlanOutcome) => (o.status === 'ok' && o.bundle ? o.bundle.objects : []);
const envOf = (o: PlanOutcome) =>
  objectsOf(o).flatMap((b) => {
    const spec = b.manifest.spec as {
      template?: { spec?: { containers?: { env?: unknown[] }[] } };
    };
    return (spec?.template?.spec?.containers ?? []).flatMap((c) => c.env ?? []) as {
      name: string;
      value?: string;
      valueFrom?: unknown;
    }[];
  });

describe('identity & ownership', () => {
  const s = scanDir(AGENT_PLAN);

  it('level 2: a dedicated ServiceAccount per agent with least RBAC; owner and look-alike registration stay manual', () => {
    const o = ok(plan(s, 'identity-ownership', 2));
    const ids = o.plan.steps.map((x) => `${x.kind}:${x.id}`);
    expect(ids).toContain('generated:agent-service-accounts');
    // Only the team knows the owner: a manual step, never a placeholder value.
    expect(ids).toContain('manual:manual:identity.owner');
    // quiet-agent switched its registration off ("false"): never overridden by an annotation.
    expect(ids).toContain('manual:manual:identity.registered');
    expect(ids).not.toContain('generated:agent-registration');
    expect(o.plan.to.agents!['identity-ownership']).toBeGreaterThanOrEqual(2);
    // The bundle alone does not register or name owners: its promise says so.
    expect(o.plan.agentPromise!['identity-ownership']).toBe(0);
    expect(o.verification!.ok).toBe(true);
    expect(o.verification!.agents!.reached).toEqual(o.verification!.agents!.promised);
    expect(o.verification!.agents!.promised).toEqual(o.plan.agentPromise);
    const objs = objectsOf(o);
    const kinds = objs.map((b) => `${b.manifest.kind} ${b.manifest.metadata.name}`).sort();
    expect(kinds).toEqual([
      'Deployment research-agent',
      'Deployment shadow-agent',
      'Role research-agent-agent-least-privilege',
      'RoleBinding research-agent-agent-least-privilege',
      'ServiceAccount research-agent-agent',
      'ServiceAccount shadow-agent',
    ]);
    // The agent with no API use gets no Role at all and no token.
    const shadowSa = objs.find(
      (b) => b.manifest.kind === 'ServiceAccount' && b.manifest.metadata.name === 'shadow-agent',
    )!;
    expect(shadowSa.manifest.automountServiceAccountToken).toBe(false);
    expect(
      objs.some((b) => b.manifest.kind === 'Role' && /shadow/.test(b.manifest.metadata.name)),
    ).toBe(false);
    // README lists the team's steps.
    const readme = bundleFiles(o).find((f) => f.path === 'README.md')!.text;
    expect(readme).toContain('## What your team must do');
    expect(readme).toContain('AI agent accountability promised');
  });

  it('least RBAC: no wildcard, no Secret read, no cluster-admin, only rules the agent holds today', () => {
    const o = ok(plan(s, 'identity-ownership', 2));
    for (const b of objectsOf(o)) {
      expect(b.manifest.kind).not.toMatch(/^Cluster/);
      if (b.manifest.kind === 'RoleBinding')
        expect((b.manifest.roleRef as { name: string }).name).not.toMatch(
          /cluster-admin|^admin$|^edit$/,
        );
      if (b.manifest.kind !== 'Role') continue;
      for (const r of b.manifest.rules as {
        apiGroups: string[];
        resources: string[];
        verbs: string[];
      }[]) {
        expect(r.verbs).not.toContain('*');
        expect(r.resources).not.toContain('*');
        expect(r.apiGroups).not.toContain('*');
        expect(r.resources).not.toContain('secrets');
      }
      expect(b.manifest.rules).toEqual([
        { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] },
      ]);
    }
    const agents = analyzeWithNetpol({ snapshot: s }).result.steps.agents;
    const research = agents.items.find((i) => i.ref === 'Deployment agents/research-agent')!;
    const w = s.workloads.find((x) => x.name === 'research-agent')!;
    const least = leastRbac(s, research, w);
    expect(least.dropped.join('\n')).toMatch(/wildcard/);
    expect(least.dropped.join('\n')).toMatch(/reads Secrets/);
  });

  it('without look-alikes, level 2 comes from generated objects alone (registration annotation + ServiceAccounts)', () => {
    const clean = scanText(
      cleanText.replace(
        'name: shadow-agent\n  namespace: agents\n',
        'name: shadow-agent\n  namespace: agents\n  labels: { owner: growth-team }\n',
      ),
    );
    const o = ok(plan(clean, 'identity-ownership', 2));
    expect(o.plan.steps.map((x) => x.id).sort()).toEqual([
      'agent-registration',
      'agent-service-accounts',
    ]);
    expect(o.plan.agentPromise!['identity-ownership']).toBe(2);
    expect(o.verification!.agents!.reached['identity-ownership']).toBe(2);
    const reg = objectsOf(o).filter((b) => b.action === 'agent-registration');
    expect(reg.map((b) => b.manifest.metadata.annotations)).toEqual([
      { 'plumbline.io/agent': 'agents/shadow-agent' },
    ]);
  });

  it('a registration key withheld or switched off, or only an owner label, is never "fixed" by an annotation', () => {
    for (const annotation of [
      "plumbline.io/registered: 'false'",
      "agents.example.com/id: 'off'",
      "plumbline.io/agent: 'no'",
    ]) {
      const t = cleanText.replace(
        'name: shadow-agent\n  namespace: agents\n',
        `name: shadow-agent\n  namespace: agents\n  labels: { owner: growth-team }\n  annotations: { ${annotation} }\n`,
      );
      const snap = scanText(t);
      const agents = analyzeWithNetpol({ snapshot: snap }).result.steps.agents;
      const cat = agentCatalogue(snap, agents, 'identity-ownership', 1);
      expect([annotation, cat.some((a) => a.id === 'agent-registration')]).toEqual([
        annotation,
        false,
      ]);
      const o = ok(plan(snap, 'identity-ownership', 1));
      expect(o.plan.steps.map((x) => x.id)).toEqual(['manual:identity.registered']);
      expect(o.bundle).toBeNull();
    }
  });
});

describe('traceability', () => {
  it('level 1: OTel env pointing at the collector the scan found, names and non-secret values only', () => {
    const o = ok(plan(scanText(cleanText), 'traceability', 1));
    expect(o.plan.steps.map((x) => x.id)).toEqual(['agent-trace-export']);
    const env = envOf(o);
    expect(Object.fromEntries(env.map((e) => [e.name, e.value]))).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector.observability:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_SERVICE_NAME: 'shadow-agent',
      OTEL_RESOURCE_ATTRIBUTES: 'gen_ai.agent.id=agents/shadow-agent,k8s.namespace.name=agents',
    });
    expect(o.verification!.agents!.reached.traceability).toBe(1);
  });

  it('no collector in the scan: no env is generated, the step is manual', () => {
    const snap = scanText(noCollectorText);
    expect(findCollector(snap)).toBeNull();
    const o = ok(plan(snap, 'traceability', 1));
    expect(o.plan.steps.map((x) => `${x.kind}:${x.id}`)).toEqual(['manual:manual:trace.exporter']);
    expect(o.bundle).toBeNull();
  });

  it('a tracer switched off on purpose is not overridden (OTEL_SDK_DISABLED, OTEL_TRACES_EXPORTER=none, LANGSMITH_TRACING=false)', () => {
    for (const off of [
      'OTEL_SDK_DISABLED, value: "true"',
      'OTEL_TRACES_EXPORTER, value: none',
      'LANGSMITH_TRACING, value: "false"',
    ]) {
      const t = cleanText.replace(
        'valueFrom: { secretKeyRef: { name: shadow-openai, key: api-key } }\n',
        `valueFrom: { secretKeyRef: { name: shadow-openai, key: api-key } }\n            - { name: ${off} }\n`,
      );
      const snap = scanText(t);
      const agents = analyzeWithNetpol({ snapshot: snap }).result.steps.agents;
      expect(agents.items.find((i) => i.name === 'shadow-agent')!.tracing.exporter).toBe(false);
      expect([
        off,
        agentCatalogue(snap, agents, 'traceability', 1).some((a) => a.id === 'agent-trace-export'),
      ]).toEqual([off, false]);
      const o = ok(plan(snap, 'traceability', 1));
      expect(o.plan.steps.map((x) => x.id)).toEqual(['manual:trace.exporter']);
    }
  });

  it('level 2 needs OTLP uploads: out of reach from a scan, with the criteria named', () => {
    const o = plan(scanText(cleanText), 'traceability', 2);
    expect(o.status).toBe('unreachable');
    if (o.status !== 'unreachable') return;
    expect(o.plan.reason).toMatch(/needs evidence only an upload/);
    expect(o.plan.blockers.map((b) => b.id).sort()).toEqual([
      'trace.agent-id',
      'trace.genai-tool-spans',
    ]);
    expect(o.plan.blockers.every((b) => b.pillar === 'traceability')).toBe(true);
  });
});

describe('policy at scale: gateway routing', () => {
  it('points the agents that call a provider at the detected gateway; the rest stay manual', () => {
    const snap = scanText(cleanText);
    const agents = analyzeWithNetpol({ snapshot: snap }).result.steps.agents;
    const gw = agentCatalogue(snap, agents, 'policy-at-scale', 2).find(
      (a) => a.id === 'agent-gateway-route',
    )!;
    expect(gw.agents.sort()).toEqual([
      'Deployment agents/research-agent',
      'Deployment agents/shadow-agent',
    ]);
    const objs = gw.generate!(snap);
    const after = assessAgents({
      snapshot: applyToSnapshot(snap, objs),
      detection: analyzeWithNetpol({ snapshot: snap }).result.steps.detection,
    });
    for (const i of after.items.filter((x) => x.kind === 'agent'))
      expect([i.ref, i.modelRoute.route]).toEqual([i.ref, 'gateway']);
    const o = ok(plan(snap, 'policy-at-scale', 2));
    const ids = o.plan.steps.map((x) => x.id);
    expect(ids).toContain('agent-gateway-route');
    expect(ids).toContain('manual:policy.engine');
    expect(ids).toContain('manual:policy.egress');
    expect(Object.fromEntries(envOf(o).map((e) => [e.name, e.value]))).toEqual({
      OPENAI_BASE_URL: 'http://litellm.ai-gateway:4000',
    });
    expect(o.verification!.ok).toBe(true);
  });

  it('no gateway in the scan: no routing env is generated', () => {
    const t = cleanText
      .split(/^---$/m)
      .filter((d) => !/litellm/.test(d))
      .join('---');
    const snap = scanText(t);
    const agents = analyzeWithNetpol({ snapshot: snap }).result.steps.agents;
    expect(
      agentCatalogue(snap, agents, 'policy-at-scale', 2).some(
        (a) => a.id === 'agent-gateway-route',
      ),
    ).toBe(false);
  });
});

describe('unreachable targets answer with a reason, never an empty bundle', () => {
  it('no agents in the scan', () => {
    const t = cleanText
      .split(/^---$/m)
      .filter((d) => !/-agent/.test(d))
      .join('---');
    const o = plan(scanText(t), 'identity-ownership', 1);
    expect(o.status).toBe('unreachable');
    if (o.status === 'unreachable') expect(o.plan.reason).toMatch(/no AI agents were found/);
  });

  it('levels 4 need probe reports', () => {
    for (const p of ACCOUNTABILITY_PILLARS) {
      const o = plan(scanDir(AGENT_PLAN), p, 4);
      expect([p, o.status]).toEqual([p, 'unreachable']);
    }
  });

  it('an analysis made with uploads the plan was not given', () => {
    const snap = scanText(cleanText);
    const evidence: EvidenceUpload[] = [
      evidenceUploadSchema.parse({
        kind: 'self-assessment',
        source: 'self-assessment.json',
        data: { respondent: 'x', answers: [1, 1, 1, 1, 1] },
      }),
    ];
    const { result: analysis } = analyzeWithNetpol({ snapshot: snap, evidence });
    expect(analysis.steps.agents.evidence.length).toBeGreaterThan(0);
    const p = planFor({ snapshot: snap, analysis, target: { level: 1, pillar: 'traceability' } });
    expect(p.reachable).toBe(false);
    // With the same uploads it plans.
    const q = planFor({
      snapshot: snap,
      analysis,
      evidence,
      target: { level: 1, pillar: 'traceability' },
    });
    expect(q.reachable).toBe(true);
  });
});

describe('every agent plan on every agent fixture: never refused, promise == re-analysis, no secret', () => {
  const kagent = path.join(FIXTURES, 'kagent');
  const sets: [string, () => ClusterSnapshot, string[]][] = [
    ['agent-plan', () => scanDir(AGENT_PLAN), []],
    ['agent-plan-clean', () => scanText(cleanText), []],
    ['governed-agents', () => scanDir(GOVERNED, 'governed'), ['hunter2gw']],
    ['kagent', () => scanDir(kagent, 'kagent'), []],
  ];
  for (const seed of ['agents-a', 'agents-b', 'agents-c']) {
    const cluster = generateCluster({ seed, pods: 60 });
    sets.push([`generated ${seed}`, () => scenarioSnapshot(seed, 60), cluster.landmarks.fakeKeys]);
  }
  const totals = { plans: 0, bundles: 0, objects: 0, unreachable: 0 };

  it.each(sets)('%s', (_name, make, secrets) => {
    const s = make();
    const { result: analysis, netpol } = analyzeWithNetpol({ snapshot: s });
    if (analysis.steps.agents.status !== 'assessed') return;
    // The model of the levels is the assessment's own.
    const levels = agentLevels(analysis.steps.agents);
    for (const p of analysis.steps.agents.pillars) expect(levels[p.pillar]).toBe(p.level);
    for (const pillar of ACCOUNTABILITY_PILLARS)
      for (const level of [1, 2, 3]) {
        const o = planAndVerify({
          snapshot: s,
          analysis,
          target: { level, pillar },
          netpolEngine: netpol.engine,
        });
        totals.plans++;
        expect([pillar, level, o.status]).not.toEqual([pillar, level, 'refused']);
        if (o.status === 'unreachable') {
          totals.unreachable++;
          expect(o.plan.reason.length).toBeGreaterThan(20);
          continue;
        }
        if (o.status !== 'ok') continue;
        expect(o.plan.to.agents![pillar]).toBeGreaterThanOrEqual(level);
        if (!o.bundle || !o.verification) {
          expect(o.plan.steps.every((x) => x.kind === 'manual')).toBe(true);
          continue;
        }
        totals.bundles++;
        totals.objects += o.bundle.objects.length;
        expect(o.bundle.objects.length).toBeGreaterThan(0);
        expect(o.verification.ok).toBe(true);
        expect(o.verification.agents!.reached).toEqual(o.plan.agentPromise);
        expect(o.verification.reached).toEqual(o.plan.bundlePromise);
        // No secret value, no Secret, no secret reference in any object.
        const text = o.bundle.objects.map((b) => stringify(b.manifest)).join('\n');
        for (const secret of secrets) expect(text).not.toContain(secret);
        expect(text).not.toMatch(/kind: Secret|secretKeyRef|valueFrom|sk-[A-Za-z0-9]/);
        for (const e of envOf(o)) {
          expect(e.name).toMatch(/^(OTEL_[A-Z_]+|[A-Z]+_BASE_URL)$/);
          expect(e.value).toMatch(
            /^(http:\/\/[a-z0-9.-]+:\d+|http\/protobuf|grpc|[a-z0-9-]+|gen_ai\.agent\.id=[a-z0-9/-]+,k8s\.namespace\.name=[a-z0-9-]+)$/,
          );
        }
        // Never a wildcard or cluster-wide grant.
        for (const b of o.bundle.objects) {
          expect(b.manifest.kind).not.toMatch(/^Cluster(Role|RoleBinding)$/);
          if (b.manifest.kind === 'Role')
            for (const r of b.manifest.rules as { resources: string[]; verbs: string[] }[]) {
              expect(r.verbs).not.toContain('*');
              expect(r.resources).not.toContain('*');
            }
        }
      }
  });

  afterAll(() => {
    expect(totals.plans).toBeGreaterThan(0);
    // 7 scans x 5 pillars x 3 levels; at least one bundle per generated action kind.
    expect(totals.plans).toBe(105);
    expect(totals.bundles).toBeGreaterThanOrEqual(10);
    expect(totals.unreachable).toBeGreaterThanOrEqual(35);
  });
});

test('maturity targets are unchanged: no agent action in an org-level or maturity-pillar plan', () => {
  const s = scanDir(AGENT_PLAN);
  const { result: analysis } = analyzeWithNetpol({ snapshot: s });
  for (const target of [
    { level: 1, pillar: null },
    { level: 2, pillar: 'resilience' as const },
  ]) {
    const p = planFor({ snapshot: s, analysis, target });
    if (!p.reachable) continue;
    expect(p.steps.some((x) => x.id.startsWith('agent-'))).toBe(false);
    expect(p.agentPromise).toBeUndefined();
    expect(p.from.agents).toBeUndefined();
  }
});

test('verification: a promise the re-analysis does not reach makes it fail (the bundle is refused)', () => {
  const s = scanText(cleanText);
  const { result: analysis } = analyzeWithNetpol({ snapshot: s });
  const o = ok(plan(s, 'traceability', 1));
  const wrong = { ...o.plan.agentPromise!, traceability: 2 };
  const v = verifyBundle({
    snapshot: s,
    analysis,
    patched: o.bundle!.patched,
    objects: o.bundle!.objects,
    promised: o.plan.bundlePromise,
    agentPromise: wrong,
  });
  expect(v.ok).toBe(false);
  expect(v.problems.join('\n')).toMatch(
    /traceability: the plan promised accountability level 2, re-analysis reached 1/,
  );
  // The same objects with their own promise pass.
  expect(
    verifyBundle({
      snapshot: s,
      analysis,
      patched: o.bundle!.patched,
      objects: o.bundle!.objects,
      promised: o.plan.bundlePromise,
      agentPromise: o.plan.agentPromise!,
    }).ok,
  ).toBe(true);
});

test('targets: an accountability pillar is a valid plan target', () => {
  expect(planTargetSchema.safeParse({ level: 2, pillar: 'identity-ownership' }).success).toBe(true);
  expect(planTargetSchema.safeParse({ level: 2, pillar: 'identity' }).success).toBe(false);
});

describe('generated variations of the identity action', () => {
  const agent = (name: string, extra: string, kind = 'Deployment') => `
apiVersion: apps/v1
kind: ${kind}
metadata: { name: ${name}, namespace: agents, labels: { owner: team-a }, annotations: { plumbline.io/agent: ${name} } }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
${extra}      containers:
        - name: agent
          image: ghcr.io/example/agent@sha256:${'4'.repeat(64)}
          env:
            - name: OPENAI_API_KEY
              valueFrom: { secretKeyRef: { name: ${name}-key, key: k } }
`;
  const ns = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: agents }\n';

  it('two agents sharing a ServiceAccount each get their own, with the rules they hold today (token mounted)', () => {
    const yaml = [
      ns,
      agent('alpha', '      serviceAccountName: shared\n'),
      agent('beta', '      serviceAccountName: shared\n'),
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: shared, namespace: agents }\n',
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: { name: cm-reader, namespace: agents }\nrules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch'] }]\n",
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: { name: cm-reader, namespace: agents }\nroleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: cm-reader }\nsubjects: [{ kind: ServiceAccount, name: shared, namespace: agents }]\n',
    ].join('---\n');
    const o = ok(plan(scanText(yaml), 'identity-ownership', 2));
    expect(o.plan.steps.map((x) => x.id)).toEqual(['agent-service-accounts']);
    const objs = objectsOf(o);
    const sas = objs.filter((b) => b.manifest.kind === 'ServiceAccount');
    expect(
      sas.map((b) => [b.manifest.metadata.name, b.manifest.automountServiceAccountToken]),
    ).toEqual([
      ['alpha', true],
      ['beta', true],
    ]);
    for (const r of objs.filter((b) => b.manifest.kind === 'Role'))
      expect(r.manifest.rules).toEqual([
        { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch'] },
      ]);
    expect(o.verification!.agents!.reached['identity-ownership']).toBe(2);
  });

  it('a dedicated ServiceAccount without bindings and a mounted token: only the token is switched off', () => {
    const yaml = [
      ns,
      agent('solo', '      serviceAccountName: solo\n      automountServiceAccountToken: true\n'),
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: solo, namespace: agents }\n',
    ].join('---\n');
    const o = ok(plan(scanText(yaml), 'identity-ownership', 2));
    const objs = objectsOf(o);
    expect(objs.map((b) => b.manifest.kind)).toEqual(['Deployment']);
    expect(objs[0]!.manifest.spec).toEqual({
      template: { spec: { automountServiceAccountToken: false } },
    });
    expect(o.verification!.agents!.reached['identity-ownership']).toBe(2);
  });

  it('an agent DaemonSet is not patched: its ServiceAccount is a manual step', () => {
    const yaml = [ns, agent('node-agent', '', 'DaemonSet')].join('---\n');
    const o = ok(plan(scanText(yaml), 'identity-ownership', 2));
    expect(o.plan.steps.map((x) => x.id)).toContain('manual:identity.service-account');
    expect(objectsOf(o).some((b) => b.manifest.kind === 'DaemonSet')).toBe(false);
  });

  it('tools that act on the Kubernetes API keep the token mounted (and say which verbs to grant)', () => {
    const s = scanDir(AGENT_PLAN);
    const agents = analyzeWithNetpol({ snapshot: s }).result.steps.agents;
    const shadow = agents.items.find((i) => i.name === 'shadow-agent')!;
    const w = s.workloads.find((x) => x.name === 'shadow-agent')!;
    expect(leastRbac(s, shadow, w).kubeTools).toEqual([]);
    const withTools = { ...shadow, tools: ['kubectl_get_pods', 'search_web'] };
    expect(leastRbac(s, withTools, w)).toMatchObject({
      rules: [],
      kubeTools: ['kubectl_get_pods'],
    });
  });
});
