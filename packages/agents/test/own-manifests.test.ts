import { agentsResultSchema, type AgentsResult, type EvidenceUpload } from '@plumbline/contracts';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { assess, evidenceFrom, OWN_EVIDENCE, OWN_MANIFESTS, scanDir } from './helpers.js';

/**
 * Our own LangGraph / AutoGen / CrewAI / OpenAI-Agents style manifests (test/manifests) and
 * evidence uploads (test/evidence): discovery, credential findings, and the promise that no
 * secret value in them ever reaches any output.
 */

const EVIDENCE = [
  'claude_desktop_config.json',
  'research-crew.agent-card.json',
  'traces.otlp.json',
  'decisions.jsonl',
  'attestations.json',
  'answers.json',
];

const snapshot = scanDir(OWN_MANIFESTS);
const evidence: EvidenceUpload[] = EVIDENCE.map((f) =>
  evidenceFrom(f, readFileSync(path.join(OWN_EVIDENCE, f), 'utf8')),
);
const result: AgentsResult = assess(snapshot, evidence);
const item = (ref: string) => {
  const i = result.items.find((x) => x.ref === ref);
  if (!i) throw new Error(`no item ${ref}: ${result.items.map((x) => x.ref).join(', ')}`);
  return i;
};

/** Every fake secret planted in the manifests and uploads. */
function plantedSecrets(): string[] {
  const text = [
    ...readdirSync(OWN_MANIFESTS).map((f) => readFileSync(path.join(OWN_MANIFESTS, f), 'utf8')),
    ...readdirSync(OWN_EVIDENCE).map((f) => readFileSync(path.join(OWN_EVIDENCE, f), 'utf8')),
  ].join('\n');
  return [...new Set(text.match(/(sk-proj-FAKE|ghp_FAKE|FAKEstatic)[A-Za-z0-9]+/g) ?? [])];
}

describe('own agent manifests', () => {
  it('matches the result contract', () => {
    expect(agentsResultSchema.parse(result)).toEqual(result);
    expect(result.status).toBe('assessed');
  });

  it('classifies agents, the gateway and MCP servers, with a framework guess', () => {
    const kinds = Object.fromEntries(
      result.items
        .filter((i) => i.source === 'workload')
        .map((i) => [i.ref, [i.kind, i.framework]]),
    );
    expect(kinds).toEqual({
      'Deployment billing/billing-agent': ['agent', 'openai-agents'],
      'Deployment billing/invoice-agent': ['agent', 'langchain'],
      'Deployment research/research-crew': ['agent', 'crewai'],
      'Deployment support/support-agent': ['agent', 'langgraph'],
      'Deployment support/triage-agent': ['agent', 'autogen'],
      'Deployment ai-gateway/litellm': ['gateway', 'litellm'],
      'Deployment ai-gateway/github-mcp-server': ['mcp-server', null],
    });
    expect(result.summary).toMatchObject({
      agents: 5,
      gateways: 1,
      shadowAgents: 4,
      sharedCredentials: 2,
    });
  });

  it('flags the literal sk- key without its value, and the key shared by two agents', () => {
    const support = item('Deployment support/support-agent');
    expect(support.credentials).toEqual([
      expect.objectContaining({
        name: 'OPENAI_API_KEY',
        source: 'literal',
        looksLikeCredential: true,
        secret: null,
      }),
    ]);
    expect(support.credentials[0]!.id).toMatch(/^literal value, fingerprint [0-9a-f]{16}$/);
    const literal = result.sharedCredentials.find((s) => s.credential.startsWith('literal'))!;
    expect(literal.items).toEqual([
      'Deployment support/support-agent',
      'Deployment support/triage-agent',
    ]);
    const secret = result.sharedCredentials.find((s) => s.credential.startsWith('Secret'))!;
    expect(secret).toEqual({
      credential: 'Secret billing/billing-env (all keys)',
      items: ['Deployment billing/billing-agent', 'Deployment billing/invoice-agent'],
    });
    expect(item('Deployment research/research-crew').credentials).toEqual([
      expect.objectContaining({
        source: 'secretKeyRef',
        secret: 'research/shared-openai',
        key: 'api-key',
      }),
    ]);
  });

  it('never lets a planted secret reach any output', () => {
    const secrets = plantedSecrets();
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    const outputs = [JSON.stringify(snapshot), JSON.stringify(result)];
    for (const s of secrets)
      for (const out of outputs) {
        expect(out).not.toContain(s);
        expect(out).not.toContain(s.slice(0, 20));
        expect(out).not.toContain(Buffer.from(s).toString('base64').slice(0, 20));
      }
  });

  it('reads owner, registration, ServiceAccount, RBAC reach and image pinning', () => {
    const crew = item('Deployment research/research-crew');
    expect(crew).toMatchObject({
      owner: 'research-platform',
      registered: true,
      registration: 'pod annotation plumbline.io/agent=research-crew-001',
      serviceAccount: 'research-crew',
      dedicatedServiceAccount: true,
      automountToken: false,
      artifacts: [expect.objectContaining({ type: 'image', pinned: true })],
    });
    const billing = item('Deployment billing/billing-agent');
    expect(billing.dedicatedServiceAccount).toBe(false);
    expect(billing.rbac).toMatchObject({ wildcard: true, secretsRead: true, clusterAdmin: false });
    expect(billing.rbac!.bindings).toEqual([
      'ClusterRoleBinding billing-agent -> ClusterRole billing-agent',
    ]);
    const support = item('Deployment support/support-agent');
    expect([support.registered, support.owner, support.serviceAccount]).toEqual([
      false,
      null,
      'default',
    ]);
    expect(item('Deployment support/triage-agent').owner).toBe('support-ops');
  });

  it('follows the model route and the egress controls', () => {
    expect(item('Deployment research/research-crew').modelRoute).toEqual({
      route: 'gateway',
      detail: 'through gateway Deployment ai-gateway/litellm (Service ai-gateway/litellm)',
    });
    expect(item('Deployment research/research-crew').egress).toMatchObject({
      isolated: true,
      internetBlocked: true,
      enforced: true,
      by: ['NetworkPolicy research/egress-gateway-only'],
    });
    expect(item('Deployment support/support-agent').modelRoute.route).toBe('direct-provider');
    expect(item('Deployment support/support-agent').egress).toMatchObject({
      isolated: false,
      internetBlocked: false,
    });
  });

  it('finds code execution without a sandbox', () => {
    const triage = item('Deployment support/triage-agent');
    expect([triage.codeExecution, triage.sandbox.sandboxed]).toEqual([true, false]);
    expect(triage.findings.map((f) => f.asi)).toContain('ASI05');
  });

  it('reads the MCP client config: unpinned packages, static tokens, unauthenticated remotes', () => {
    const summary = result.evidence.find((e) => e.kind === 'mcp-client-config')!;
    expect(summary.facts).toEqual({
      servers: 6,
      stdio: 3,
      remote: 3,
      unpinned: 2,
      staticCredentials: 2,
      unauthenticatedRemote: 1,
    });
    const messages = summary.findings.map((f) => `${f.asi} ${f.message}`);
    expect(messages).toEqual([
      'ASI04 claude_desktop_config.json#fetch: docker starts mcp/fetch, not pinned to an exact version (digest)',
      'ASI04 claude_desktop_config.json#github: npx starts @modelcontextprotocol/server-github@latest, not pinned to an exact version',
      'ASI03 claude_desktop_config.json#github: env GITHUB_PERSONAL_ACCESS_TOKEN holds a static credential (value not shown)',
      'ASI03 claude_desktop_config.json#tickets: header Authorization holds a static credential (value not shown)',
      'ASI04 claude_desktop_config.json#weather: remote server weather-mcp.example.net has no authentication configured (no auth header, no OAuth setting)',
    ]);
    // the placeholder bearer (${input:crm-token}) is not a static credential
    expect(item('mcp-client-config claude_desktop_config.json#crm').credentials).toEqual([]);
  });

  it('links uploads to the agents they describe', () => {
    const crew = item('Deployment research/research-crew');
    expect(crew.tracing.signals).toContain('spans in OTLP sample (traces.otlp.json)');
    expect(crew.tools).toEqual([
      'delete_contact',
      'read_secret',
      'search_web',
      'skill market-research',
    ]);
    // the card and the spans name a known agent: no extra agent items
    expect(result.items.filter((i) => i.kind === 'agent' && i.source === 'evidence')).toEqual([]);
  });

  it('scores the pillars and shows claimed vs evidenced', () => {
    expect(result.pillars.map((p) => [p.pillar, p.level, p.claimed, p.gap])).toEqual([
      ['traceability', 0, 3, 3],
      ['authorization-provenance', 0, 2, 2],
      ['identity-ownership', 0, 3, 3],
      ['policy-at-scale', 1, 2, 1],
      ['human-oversight', 0, 1, 1],
    ]);
    expect(result.overall).toEqual({
      level: 0,
      levelName: 'Invisible',
      score: 5,
      weakest: [
        'traceability',
        'authorization-provenance',
        'identity-ownership',
        'human-oversight',
      ],
    });
    expect(result.selfAssessment.rows[0]!.statement).toBe(
      'You answered Level 3 (Enforced); evidence supports Level 0 (Invisible): 3 level(s) above the evidence.',
    );
    expect(result.designPattern).toEqual({
      pattern: 'multi-agent',
      basis: 'declared',
      evidence: [
        'multi-agent: declared in self-assessment answers.json',
        'sequential: declared on Deployment research/research-crew (plumbline.io/design-pattern)',
      ],
    });
    const retention = result.pillars[0]!.criteria.find((c) => c.id === 'trace.retention')!;
    expect([retention.status, retention.basis]).toEqual(['met', 'attested']);
  });

  it('labels every gap with an OWASP code, a remediation and a what-if level', () => {
    expect(result.gaps.length).toBeGreaterThan(10);
    for (const g of result.gaps) {
      expect(g.asi).toMatch(/^ASI(0[1-9]|10)$/);
      expect(g.remediation.length).toBeGreaterThan(20);
      expect(g.whatIfLevel).toBeGreaterThanOrEqual(
        result.pillars.find((p) => p.pillar === g.pillar)!.level!,
      );
    }
    expect(result.gaps.find((g) => g.criterion === 'trace.exporter')).toMatchObject({
      whatIfLevel: 3,
      asi: 'ASI10',
    });
  });
});
