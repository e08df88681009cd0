import {
  ACCOUNTABILITY_PILLARS,
  type AccountabilityPillar,
  type AgentFinding,
  type Attestation,
  type AttestationClaim,
  type DecisionRecord,
  type EvidenceSummary,
  type EvidenceUpload,
  type McpServerConfig,
  type OtlpKeyValue,
  type SelfAssessment,
} from '@plumbline/contracts';
import { isPlaceholder, isStaticCredential, looksLikeSecret } from './credentials.js';
import { AUTH_HEADER, CODE_EXEC, CREDENTIAL_NAME, DESTRUCTIVE_TOOL } from './patterns.js';
import { cmp, hostOf, isInternalHost, schemeOf, sortedUnique } from './util.js';

/**
 * Reading the evidence uploads into facts the criteria use, plus one summary per upload. Every
 * fact is a count, a name or a yes/no: header and env values of MCP configurations are inspected
 * for "is this a literal credential?" and never copied.
 */

export interface McpServerFact {
  source: string;
  name: string;
  transport: 'stdio' | 'remote';
  /** npx, uvx, docker... for stdio servers. */
  launcher: string | null;
  /** Package or image the launcher starts. */
  artifact: string | null;
  artifactType: 'package' | 'image' | null;
  /** Exact version or digest (null: a local command, nothing to pin). */
  pinned: boolean | null;
  /** Names of headers or env vars holding literal credentials. */
  staticCredentials: string[];
  authConfigured: boolean;
  host: string | null;
  local: boolean;
  tls: boolean | null;
  codeExec: boolean;
}

export interface CardFact {
  source: string;
  name: string;
  host: string | null;
  owner: string | null;
  securitySchemes: number;
  securityRequired: boolean;
  signed: boolean;
  skills: string[];
}

export interface TraceFacts {
  sources: string[];
  spans: number;
  traces: number;
  genAiSpans: number;
  toolSpans: number;
  toolSpansComplete: number;
  agentSpans: number;
  agentSpansWithAgent: number;
  agentSpansWithAgentId: number;
  mcpToolCallSpans: number;
  mcpOrphanSpans: number;
  mcpCorrelatedTraces: number;
  userSpans: number;
  /** Traces with agent spans, and those of them carrying a user (enduser.id / user.id). */
  agentTraces: number;
  agentTracesWithUser: number;
  traceIds: Set<string>;
  /** Names that identify agents in spans (gen_ai.agent.id / .name, service.name of GenAI spans). */
  agentKeys: Set<string>;
  /** Tool names per agent key (gen_ai.tool.name under that agent). */
  toolsByAgent: Map<string, Set<string>>;
  toolNames: Set<string>;
  multiAgentTraces: number;
  parallelTraces: number;
}

export interface DecisionFacts {
  sources: string[];
  records: DecisionRecord[];
  withPolicy: number;
  withPolicyId: number;
  withTrace: number;
  withWho: number;
  withTime: number;
  withMatched: number;
  withSub: number;
  withSubAndAct: number;
  allows: number;
  allowsWithoutPolicy: number;
  denies: number;
  approvalRequired: number;
  approvals: number;
  approvalsWithReviewer: number;
  /** Destructive tools seen, and how many of their allowed calls had no approval. */
  destructive: Map<string, { records: number; unapprovedAllows: number; gated: number }>;
  traceIds: Set<string>;
  toolsByActor: Map<string, Set<string>>;
  actors: Set<string>;
  callees: Set<string>;
  gatedActors: Set<string>;
}

export interface ProbePillarFacts {
  total: number;
  passed: number;
  failed: string[];
  inconclusive: string[];
}

export interface ProbeFacts {
  sources: string[];
  byPillar: Record<AccountabilityPillar, ProbePillarFacts>;
  callsWithCanary: number;
  propagated: number;
  unadvertisedExecuted: boolean;
  unadvertisedBlocked: boolean;
}

export interface EvidenceFacts {
  uploads: number;
  mcpServers: McpServerFact[];
  cards: CardFact[];
  traces: TraceFacts | null;
  decisions: DecisionFacts | null;
  probe: ProbeFacts | null;
  attestations: Map<AttestationClaim, (Attestation & { source: string })[]>;
  selfAssessment: (SelfAssessment & { source: string }) | null;
  summaries: EvidenceSummary[];
}

// ---------------------------------------------------------------- MCP client configuration

const LAUNCHERS = /^(npx|uvx|bunx|pnpx|pipx|docker|podman|pnpm|yarn|bun|uv)$/;

/** `@scope/pkg@1.2.3` / `pkg@latest` / `pkg==1.0` / `pkg` -> name, version. */
function splitPackage(spec: string): { name: string; version: string | null } {
  const py = /^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s]+)$/.exec(spec);
  if (py) return { name: py[1]!, version: py[2]! };
  const at = spec.lastIndexOf('@');
  if (at > 0) return { name: spec.slice(0, at), version: spec.slice(at + 1) };
  return { name: spec, version: null };
}
const EXACT = /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;

/** What a stdio command starts, and whether that is pinned. */
export function launchedArtifact(
  command: string,
  args: readonly string[],
): {
  launcher: string | null;
  artifact: string | null;
  type: 'package' | 'image' | null;
  pinned: boolean | null;
} {
  const bin = command.trim().split(/[\\/]/).pop() ?? command;
  const words = [bin, ...args];
  if (!LAUNCHERS.test(bin)) return { launcher: null, artifact: null, type: null, pinned: null };
  let rest = words.slice(1);
  if (/^(pnpm|yarn|bun)$/.test(bin) && rest[0] === 'dlx') rest = rest.slice(1);
  if (bin === 'uv' && rest[0] === 'tool' && rest[1] === 'run') rest = rest.slice(2);
  if (bin === 'docker' || bin === 'podman') {
    if (rest[0] !== 'run') return { launcher: bin, artifact: null, type: null, pinned: null };
    const withValue =
      /^(-e|--env|-v|--volume|--name|--network|-p|--publish|--env-file|-w|--workdir|--user|-u|--entrypoint|--platform|--mount|--label|-l)$/;
    for (let i = 1; i < rest.length; i++) {
      const a = rest[i]!;
      if (withValue.test(a)) {
        i++;
        continue;
      }
      if (a.startsWith('-')) continue;
      return {
        launcher: bin,
        artifact: a,
        type: 'image',
        pinned: /@sha256:[0-9a-f]{64}$/i.test(a),
      };
    }
    return { launcher: bin, artifact: null, type: null, pinned: null };
  }
  let from: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--from' || a === '-p' || a === '--package') {
      from = rest[i + 1] ?? null;
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    const spec = from ?? a;
    const { name, version } = splitPackage(spec);
    const pinned = version !== null && EXACT.test(version);
    return {
      launcher: bin,
      artifact: version ? `${name}@${version}` : name,
      type: 'package',
      pinned,
    };
  }
  return { launcher: bin, artifact: null, type: null, pinned: null };
}

function mcpServerFact(source: string, name: string, s: McpServerConfig): McpServerFact {
  const remote = !s.command && !!s.url;
  const staticCredentials: string[] = [];
  let authConfigured = false;
  for (const [h, v] of Object.entries(s.headers ?? {})) {
    if (!AUTH_HEADER.test(h)) {
      if (looksLikeSecret(v)) staticCredentials.push(`header ${h}`);
      continue;
    }
    authConfigured = true;
    if (isStaticCredential(v)) staticCredentials.push(`header ${h}`);
  }
  for (const [k, v] of Object.entries(s.env ?? {})) {
    if (looksLikeSecret(v) || (CREDENTIAL_NAME.test(k) && !isPlaceholder(v)))
      staticCredentials.push(`env ${k}`);
  }
  const extra = s as Record<string, unknown>;
  if (extra.oauth !== undefined || extra.auth !== undefined || extra.authorization !== undefined)
    authConfigured = true;
  const launched = remote
    ? { launcher: null, artifact: null, type: null, pinned: null }
    : launchedArtifact(s.command ?? '', s.args ?? []);
  const host = s.url ? hostOf(s.url) : null;
  const text = [name, s.command ?? '', ...(s.args ?? []), s.url ?? ''].join(' ');
  return {
    source,
    name,
    transport: remote ? 'remote' : 'stdio',
    launcher: launched.launcher,
    artifact: launched.artifact,
    artifactType: launched.type,
    pinned: launched.pinned,
    staticCredentials: staticCredentials.sort(cmp),
    authConfigured,
    host,
    local: host !== null && isInternalHost(host),
    tls: s.url ? schemeOf(s.url) === 'https' : null,
    codeExec: CODE_EXEC.test(text),
  };
}

function mcpFindings(f: McpServerFact): AgentFinding[] {
  const out: AgentFinding[] = [];
  const at = `${f.source}#${f.name}`;
  if (f.artifact && f.pinned === false)
    out.push({
      asi: 'ASI04',
      message: `${at}: ${f.launcher} starts ${f.artifact}, not pinned to an exact version${f.artifactType === 'image' ? ' (digest)' : ''}`,
    });
  for (const c of f.staticCredentials)
    out.push({ asi: 'ASI03', message: `${at}: ${c} holds a static credential (value not shown)` });
  if (f.transport === 'remote' && !f.local && !f.authConfigured)
    out.push({
      asi: 'ASI04',
      message: `${at}: remote server ${f.host ?? ''} has no authentication configured (no auth header, no OAuth setting)`,
    });
  if (f.transport === 'remote' && !f.local && f.tls === false)
    out.push({ asi: 'ASI04', message: `${at}: remote server over plain http` });
  return out;
}

// ---------------------------------------------------------------- OTLP traces

function attrValue(kv: OtlpKeyValue): string | null {
  const v = kv.value;
  if (!v) return null;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return String(v.intValue);
  if (v.boolValue !== undefined) return String(v.boolValue);
  if (v.doubleValue !== undefined) return String(v.doubleValue);
  return null;
}
function attrs(list: readonly OtlpKeyValue[] | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const kv of list ?? []) {
    const v = attrValue(kv);
    if (v !== null && !m.has(kv.key)) m.set(kv.key, v);
  }
  return m;
}
const nano = (v: string | number | undefined): bigint | null => {
  if (v === undefined) return null;
  try {
    return BigInt(v);
  } catch {
    return null;
  }
};

interface FlatSpan {
  traceId: string;
  spanId: string;
  parent: string;
  start: bigint | null;
  end: bigint | null;
  a: Map<string, string>;
  name: string;
  service: string | null;
}

const AGENT_OPS = new Set(['invoke_agent', 'execute_tool', 'create_agent']);
const USER_ATTRS = ['enduser.id', 'user.id', 'enduser.pseudo.id'];

function traceFacts(uploads: Extract<EvidenceUpload, { kind: 'otlp-traces' }>[]): TraceFacts {
  const spans: FlatSpan[] = [];
  for (const u of uploads)
    for (const r of u.data.resourceSpans) {
      const service = attrs(r.resource?.attributes).get('service.name') ?? null;
      for (const ss of r.scopeSpans ?? [])
        for (const s of ss.spans ?? [])
          spans.push({
            traceId: s.traceId.toLowerCase(),
            spanId: s.spanId.toLowerCase(),
            parent: (s.parentSpanId ?? '').toLowerCase(),
            start: nano(s.startTimeUnixNano),
            end: nano(s.endTimeUnixNano),
            a: attrs(s.attributes),
            name: s.name,
            service,
          });
    }
  const f: TraceFacts = {
    sources: sortedUnique(uploads.map((u) => u.source)),
    spans: spans.length,
    traces: 0,
    genAiSpans: 0,
    toolSpans: 0,
    toolSpansComplete: 0,
    agentSpans: 0,
    agentSpansWithAgent: 0,
    agentSpansWithAgentId: 0,
    mcpToolCallSpans: 0,
    mcpOrphanSpans: 0,
    mcpCorrelatedTraces: 0,
    userSpans: 0,
    agentTraces: 0,
    agentTracesWithUser: 0,
    traceIds: new Set(),
    agentKeys: new Set(),
    toolsByAgent: new Map(),
    toolNames: new Set(),
    multiAgentTraces: 0,
    parallelTraces: 0,
  };
  const byTrace = new Map<string, FlatSpan[]>();
  for (const s of spans) {
    f.traceIds.add(s.traceId);
    byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
  }
  f.traces = byTrace.size;
  for (const list of byTrace.values()) {
    let genAi = false;
    const mcp: FlatSpan[] = [];
    const agentsHere = new Set<string>();
    const toolSpansHere: FlatSpan[] = [];
    let agentHere = false;
    let userHere = false;
    for (const s of list) {
      const op = s.a.get('gen_ai.operation.name');
      if (op) {
        genAi = true;
        f.genAiSpans++;
      }
      const agent = s.a.get('gen_ai.agent.id') ?? s.a.get('gen_ai.agent.name') ?? null;
      if (op && AGENT_OPS.has(op)) {
        agentHere = true;
        f.agentSpans++;
        if (agent) f.agentSpansWithAgent++;
        if (s.a.has('gen_ai.agent.id')) f.agentSpansWithAgentId++;
      }
      for (const k of ['gen_ai.agent.id', 'gen_ai.agent.name']) {
        const v = s.a.get(k);
        if (v) {
          f.agentKeys.add(v);
          agentsHere.add(s.a.get('gen_ai.agent.id') ?? v);
        }
      }
      if (op && s.service) f.agentKeys.add(s.service);
      if (op === 'execute_tool') {
        f.toolSpans++;
        toolSpansHere.push(s);
        const tool = s.a.get('gen_ai.tool.name');
        if (tool && s.a.get('gen_ai.tool.call.id')) f.toolSpansComplete++;
        if (tool) {
          f.toolNames.add(tool);
          for (const key of [agent, s.service]) {
            if (!key) continue;
            const set = f.toolsByAgent.get(key) ?? new Set<string>();
            set.add(tool);
            f.toolsByAgent.set(key, set);
          }
        }
      }
      if (USER_ATTRS.some((k) => s.a.has(k))) {
        f.userSpans++;
        userHere = true;
      }
      if (s.a.get('mcp.method.name') === 'tools/call' || /^tools\/call(\s|$)/.test(s.name))
        mcp.push(s);
    }
    f.mcpToolCallSpans += mcp.length;
    if (mcp.length) {
      if (genAi) f.mcpCorrelatedTraces++;
      else f.mcpOrphanSpans += mcp.length;
    }
    if (agentHere) {
      f.agentTraces++;
      if (userHere) f.agentTracesWithUser++;
    }
    if (agentsHere.size >= 2) f.multiAgentTraces++;
    // Parallel tool calls: two execute_tool spans under one parent overlapping in time.
    const byParent = new Map<string, FlatSpan[]>();
    for (const s of toolSpansHere) byParent.set(s.parent, [...(byParent.get(s.parent) ?? []), s]);
    let parallel = false;
    for (const group of byParent.values()) {
      const timed = group.filter((s) => s.start !== null && s.end !== null);
      for (let i = 0; i < timed.length && !parallel; i++)
        for (let j = i + 1; j < timed.length && !parallel; j++) {
          const x = timed[i]!;
          const y = timed[j]!;
          if (x.start! < y.end! && y.start! < x.end!) parallel = true;
        }
    }
    if (parallel) f.parallelTraces++;
  }
  return f;
}

// ---------------------------------------------------------------- decision logs

const IDENTITY_ATTRS =
  /^(agent|agent[._-]?(id|name)|caller|act|sub|user|user[._-]?id|subject|principal|spiffe[._-]?id|service[._-]?account|serviceaccount|client[._-]?id|workload)$/i;

/** Are the matched attributes only identities (a policy that names agents)? */
export function identityOnly(matched: Record<string, unknown>): boolean {
  const keys = Object.keys(matched);
  return keys.length > 0 && keys.every((k) => IDENTITY_ATTRS.test(k));
}

function decisionFacts(
  uploads: Extract<EvidenceUpload, { kind: 'decision-log' }>[],
): DecisionFacts {
  const records = uploads.flatMap((u) => u.data.records);
  const f: DecisionFacts = {
    sources: sortedUnique(uploads.map((u) => u.source)),
    records,
    withPolicy: 0,
    withPolicyId: 0,
    withTrace: 0,
    withWho: 0,
    withTime: 0,
    withMatched: 0,
    withSub: 0,
    withSubAndAct: 0,
    allows: 0,
    allowsWithoutPolicy: 0,
    denies: 0,
    approvalRequired: 0,
    approvals: 0,
    approvalsWithReviewer: 0,
    destructive: new Map(),
    traceIds: new Set(),
    toolsByActor: new Map(),
    actors: new Set(),
    callees: new Set(),
    gatedActors: new Set(),
  };
  for (const r of records) {
    if (r.policyId) f.withPolicyId++;
    if (r.policyId && r.policyVersion) f.withPolicy++;
    if (r.traceId) {
      f.withTrace++;
      f.traceIds.add(r.traceId.toLowerCase());
    }
    if (r.caller || r.act) f.withWho++;
    if (r.time) f.withTime++;
    if (r.matchedAttributes && Object.keys(r.matchedAttributes).length) f.withMatched++;
    if (r.sub) f.withSub++;
    if (r.sub && r.act) f.withSubAndAct++;
    if (r.decision === 'allow') {
      f.allows++;
      if (!r.policyId) f.allowsWithoutPolicy++;
    }
    if (r.decision === 'deny') f.denies++;
    if (r.decision === 'approval-required') f.approvalRequired++;
    f.approvals += r.approvals.length;
    f.approvalsWithReviewer += r.approvals.filter((a) => a.reviewer).length;
    const actor = r.act ?? r.caller;
    if (actor) {
      f.actors.add(actor);
      if (r.decision === 'approval-required' || r.approvals.length) f.gatedActors.add(actor);
    }
    if (r.callee) f.callees.add(r.callee);
    if (r.tool) {
      if (actor) {
        const set = f.toolsByActor.get(actor) ?? new Set<string>();
        set.add(r.tool);
        f.toolsByActor.set(actor, set);
      }
      if (DESTRUCTIVE_TOOL.test(r.tool)) {
        const d = f.destructive.get(r.tool) ?? { records: 0, unapprovedAllows: 0, gated: 0 };
        d.records++;
        const approved = r.approvals.some((a) => a.decision === 'approved');
        if (r.decision === 'allow' && !approved) d.unapprovedAllows++;
        if (r.decision === 'approval-required' || r.approvals.length) d.gated++;
        f.destructive.set(r.tool, d);
      }
    }
  }
  return f;
}

// ---------------------------------------------------------------- probe reports

function probeFacts(uploads: Extract<EvidenceUpload, { kind: 'probe-report' }>[]): ProbeFacts {
  const byPillar = Object.fromEntries(
    ACCOUNTABILITY_PILLARS.map((p) => [p, { total: 0, passed: 0, failed: [], inconclusive: [] }]),
  ) as unknown as Record<AccountabilityPillar, ProbePillarFacts>;
  const f: ProbeFacts = {
    sources: sortedUnique(uploads.map((u) => u.source)),
    byPillar,
    callsWithCanary: 0,
    propagated: 0,
    unadvertisedExecuted: false,
    unadvertisedBlocked: false,
  };
  for (const u of uploads)
    for (const s of u.data.scenarios) {
      const p = byPillar[s.pillar];
      p.total++;
      const label = `${s.id} (${u.source})`;
      if (s.result === 'pass') p.passed++;
      else if (s.result === 'fail') p.failed.push(`${label}: ${s.actualOutcome}`);
      else p.inconclusive.push(`${label}: ${s.actualOutcome}`);
      if (s.evidence.traceparentPropagated !== null) {
        f.callsWithCanary++;
        if (s.evidence.traceparentPropagated) f.propagated++;
      }
      const unadvertised = s.evidence.modelToolCalls.some(
        (c) => c.probe && (c.variant === 'unadvertised-tool' || !c.advertised),
      );
      if (unadvertised && s.mustBlock) {
        if (s.actualOutcome === 'executed') f.unadvertisedExecuted = true;
        else if (s.result === 'pass') f.unadvertisedBlocked = true;
      }
    }
  for (const p of Object.values(byPillar)) {
    p.failed.sort(cmp);
    p.inconclusive.sort(cmp);
  }
  return f;
}

// ---------------------------------------------------------------- all uploads

function sortKey(u: EvidenceUpload): string {
  return `${u.kind}\u0000${u.source}\u0000${JSON.stringify(u.data)}`;
}

/** Facts from every upload (order-independent: uploads are sorted first). */
export function readEvidence(evidenceIn: readonly EvidenceUpload[]): EvidenceFacts {
  const keyed = evidenceIn.map((u) => ({ u, k: sortKey(u) }));
  keyed.sort((a, b) => cmp(a.k, b.k));
  const evidence = keyed.map((x) => x.u);
  const of = <K extends EvidenceUpload['kind']>(kind: K) =>
    evidence.filter((u): u is Extract<EvidenceUpload, { kind: K }> => u.kind === kind);

  const summaries: EvidenceSummary[] = [];
  const mcpServers: McpServerFact[] = [];
  for (const u of of('mcp-client-config')) {
    const servers = { ...(u.data.servers ?? {}), ...(u.data.mcpServers ?? {}) };
    const facts = Object.keys(servers)
      .sort(cmp)
      .filter((n) => servers[n]?.disabled !== true)
      .map((n) => mcpServerFact(u.source, n, servers[n]!));
    mcpServers.push(...facts);
    summaries.push({
      kind: u.kind,
      source: u.source,
      basis: 'observed',
      facts: {
        servers: facts.length,
        stdio: facts.filter((s) => s.transport === 'stdio').length,
        remote: facts.filter((s) => s.transport === 'remote').length,
        unpinned: facts.filter((s) => s.pinned === false).length,
        staticCredentials: facts.reduce((n, s) => n + s.staticCredentials.length, 0),
        unauthenticatedRemote: facts.filter(
          (s) => s.transport === 'remote' && !s.local && !s.authConfigured,
        ).length,
      },
      findings: facts.flatMap(mcpFindings),
    });
  }

  const cards: CardFact[] = [];
  for (const u of of('a2a-agent-card')) {
    const c = u.data;
    const card: CardFact = {
      source: u.source,
      name: c.name,
      host: c.url ? hostOf(c.url) : null,
      owner: c.provider?.organization ?? null,
      securitySchemes: Object.keys(c.securitySchemes ?? {}).length,
      securityRequired: (c.security ?? []).length > 0,
      signed: (c.signatures ?? []).length > 0,
      skills: sortedUnique(c.skills.map((s) => s.id)),
    };
    cards.push(card);
    const findings: AgentFinding[] = [];
    if (!card.securitySchemes)
      findings.push({
        asi: 'ASI07',
        message: `agent card ${c.name}: no securitySchemes: callers are not authenticated`,
      });
    if (!card.owner)
      findings.push({
        asi: 'ASI10',
        message: `agent card ${c.name}: no provider.organization (owner)`,
      });
    if (c.url && schemeOf(c.url) === 'http' && !isInternalHost(card.host ?? ''))
      findings.push({ asi: 'ASI07', message: `agent card ${c.name}: served over plain http` });
    summaries.push({
      kind: u.kind,
      source: u.source,
      basis: 'observed',
      facts: {
        name: c.name,
        owner: card.owner,
        skills: card.skills.length,
        securitySchemes: card.securitySchemes,
        securityRequired: card.securityRequired,
        signed: card.signed,
      },
      findings,
    });
  }

  const traceUploads = of('otlp-traces');
  const traces = traceUploads.length ? traceFacts(traceUploads) : null;
  for (const u of traceUploads) {
    const one = traceFacts([u]);
    const findings: AgentFinding[] = [];
    if (one.mcpOrphanSpans)
      findings.push({
        asi: 'ASI08',
        message: `${one.mcpOrphanSpans} MCP tools/call span(s) in traces without the agent's GenAI spans (trace context lost at the tool hop)`,
      });
    if (one.toolSpans > one.toolSpansComplete)
      findings.push({
        asi: 'ASI02',
        message: `${one.toolSpans - one.toolSpansComplete} execute_tool span(s) without gen_ai.tool.name and gen_ai.tool.call.id`,
      });
    summaries.push({
      kind: u.kind,
      source: u.source,
      basis: 'observed',
      facts: {
        spans: one.spans,
        traces: one.traces,
        genAiSpans: one.genAiSpans,
        executeToolSpans: one.toolSpans,
        executeToolSpansWithCallId: one.toolSpansComplete,
        agentSpansWithAgentId: one.agentSpansWithAgentId,
        mcpToolCallSpans: one.mcpToolCallSpans,
        mcpCorrelatedTraces: one.mcpCorrelatedTraces,
        spansWithUser: one.userSpans,
      },
      findings,
    });
  }

  const decisionUploads = of('decision-log');
  const decisions = decisionUploads.length ? decisionFacts(decisionUploads) : null;
  for (const u of decisionUploads) {
    const one = decisionFacts([u]);
    const n = one.records.length;
    const findings: AgentFinding[] = [];
    if (one.allowsWithoutPolicy)
      findings.push({
        asi: 'ASI02',
        message: `${one.allowsWithoutPolicy} call(s) allowed without a named policy (default-allow)`,
      });
    if (n - one.withPolicy)
      findings.push({
        asi: 'ASI02',
        message: `${n - one.withPolicy} record(s) lack policy id or version`,
      });
    if (n - one.withTrace)
      findings.push({ asi: 'ASI10', message: `${n - one.withTrace} record(s) carry no trace id` });
    for (const [tool, d] of [...one.destructive.entries()].sort(([a], [b]) => cmp(a, b)))
      if (d.unapprovedAllows)
        findings.push({
          asi: 'ASI02',
          message: `destructive tool ${tool} allowed ${d.unapprovedAllows} time(s) without an approval`,
        });
    summaries.push({
      kind: u.kind,
      source: u.source,
      basis: 'observed',
      facts: {
        records: n,
        withPolicyIdAndVersion: one.withPolicy,
        withTraceId: one.withTrace,
        withMatchedAttributes: one.withMatched,
        withUserAndAgent: one.withSubAndAct,
        allow: one.allows,
        deny: one.denies,
        approvalRequired: one.approvalRequired,
        approvals: one.approvals,
        approvalsWithReviewer: one.approvalsWithReviewer,
      },
      findings,
    });
  }

  const probeUploads = of('probe-report');
  const probe = probeUploads.length ? probeFacts(probeUploads) : null;
  for (const u of probeUploads) {
    const r = u.data;
    summaries.push({
      kind: u.kind,
      source: u.source,
      basis: 'observed',
      facts: {
        scenarios: r.summary.total,
        passed: r.summary.passed,
        failed: r.summary.failed,
        inconclusive: r.summary.inconclusive,
        mustBlockExecuted: r.summary.mustBlockExecuted,
        catalogueVersion: r.catalogueVersion,
      },
      findings: r.scenarios
        .filter((s) => s.result !== 'pass')
        .map((s) => ({
          asi: s.asi,
          message: `probe scenario ${s.id}: ${s.result} (${s.actualOutcome})`,
        }))
        .sort((a, b) => cmp(a.message, b.message)),
    });
  }

  const attestations = new Map<AttestationClaim, (Attestation & { source: string })[]>();
  for (const u of of('attestation')) {
    for (const a of u.data.attestations) {
      const list = attestations.get(a.claim) ?? [];
      list.push({ ...a, source: u.source });
      attestations.set(a.claim, list);
    }
    summaries.push({
      kind: u.kind,
      source: u.source,
      basis: 'attested',
      facts: {
        attestations: u.data.attestations.length,
        claims: sortedUnique(u.data.attestations.map((a) => a.claim)).join(', '),
      },
      findings: [],
    });
  }

  const assessments = of('self-assessment');
  const last = assessments[assessments.length - 1];
  for (const u of assessments)
    summaries.push({
      kind: u.kind,
      source: u.source,
      basis: 'declared',
      facts: {
        ...Object.fromEntries(ACCOUNTABILITY_PILLARS.map((p) => [p, u.data.answers[p]])),
        designPattern: u.data.designPattern ?? null,
        used: u === last,
      },
      findings: [],
    });

  return {
    uploads: evidence.length,
    mcpServers,
    cards,
    traces,
    decisions,
    probe,
    attestations,
    selfAssessment: last ? { ...last.data, source: last.source } : null,
    summaries,
  };
}
