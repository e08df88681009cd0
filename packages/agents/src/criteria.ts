import type {
  AccountabilityPillar,
  AccountabilityPrinciple,
  AgentItem,
  AsiCode,
  AttestationClaim,
  ClusterSnapshot,
  CriterionBasis,
  CriterionStatus,
  DetectionResult,
} from '@plumbline/contracts';
import type { ItemExtra } from './discover.js';
import { identityOnly, type EvidenceFacts, type ProbePillarFacts } from './evidence.js';
import { CODE_EXEC } from './patterns.js';
import { capList, cmp, share, sortedUnique } from './util.js';

/**
 * The accountability criteria and the five principles, as data: for every pillar at least one
 * machine-checkable criterion per level 1-4, each with what proves it, its OWASP Agentic Top 10
 * code and a concrete remediation; and Tigera's five evaluation principles, whose fail tests cap
 * a pillar. `evaluate` reads only the facts (discovery + evidence); scoring is in score.ts.
 */

export interface Facts {
  snapshot: ClusterSnapshot;
  detection: DetectionResult;
  items: AgentItem[];
  agents: AgentItem[];
  extra: Map<string, ItemExtra>;
  shared: { credential: string; items: string[] }[];
  evidence: EvidenceFacts;
}

export interface Outcome {
  status: CriterionStatus;
  basis: CriterionBasis | null;
  evidence: string[];
  reason: string;
}

export interface Criterion {
  id: string;
  pillar: AccountabilityPillar;
  level: 1 | 2 | 3 | 4;
  title: string;
  /** The scan signal or upload that can prove it. */
  proof: string;
  asi: AsiCode;
  remediation: string;
  /** An attestation of this claim meets it (shown as attested). */
  attestable: AttestationClaim | null;
  /** Look-alikes that do not meet it (documented in the methodology table). */
  doesNotCount?: string;
  /** A severity of its own when not met (read models otherwise derive it from the level). */
  severity?: 'critical';
  evaluate(f: Facts): Outcome;
}

export interface PrincipleOutcome {
  status: 'passed' | 'failed' | 'unknown';
  evidence: string[];
  reason: string;
}

export interface Principle {
  id: AccountabilityPrinciple;
  number: 1 | 2 | 3 | 4 | 5;
  title: string;
  failTest: string;
  pillar: AccountabilityPillar;
  capLevel: 0 | 1 | 2 | 3;
  asi: AsiCode;
  remediation: string;
  evaluate(f: Facts): PrincipleOutcome;
}

// ---------------------------------------------------------------- outcome helpers

const met = (reason: string, evidence: string[] = []): Outcome => ({
  status: 'met',
  basis: 'observed',
  evidence: capList(evidence),
  reason,
});
const notMet = (reason: string, evidence: string[] = []): Outcome => ({
  status: 'not-met',
  basis: null,
  evidence: capList(evidence),
  reason,
});
const unknown = (reason: string, evidence: string[] = []): Outcome => ({
  status: 'unknown',
  basis: null,
  evidence: capList(evidence),
  reason,
});

/** Per agent: true (ok), false (fails) or null (cannot tell), each with a note. */
function perAgent(
  f: Facts,
  check: (a: AgentItem) => { ok: boolean | null; note: string },
  what: string,
): Outcome {
  const rows = f.agents.map((a) => ({ a, ...check(a) }));
  const bad = rows.filter((r) => r.ok === false);
  const unk = rows.filter((r) => r.ok === null);
  const good = rows.filter((r) => r.ok === true);
  const line = (r: (typeof rows)[number]) => `${r.a.ref}: ${r.note}`;
  if (bad.length)
    return notMet(
      `${share(bad.length, rows.length)} agents fail: ${what}`,
      [...bad, ...unk].map(line),
    );
  if (unk.length)
    return unknown(
      `${share(unk.length, rows.length)} agents cannot be checked: ${what}`,
      [...unk, ...good].map(line),
    );
  return met(`all ${rows.length} agents: ${what}`, good.map(line));
}

function attested(f: Facts, claim: AttestationClaim): Outcome | null {
  const list = f.evidence.attestations.get(claim);
  if (!list?.length) return null;
  return {
    status: 'met',
    basis: 'attested',
    evidence: capList(
      [...list]
        .sort((a, b) => cmp(a.source, b.source) || cmp(a.link, b.link))
        .map(
          (a) =>
            `attested by ${a.attestedBy} on ${a.attestedAt} (${a.source}): ${a.statement} <${a.link}>`,
        ),
    ),
    reason: `attested, not observed (${claim})`,
  };
}

const noUpload = (what: string) => unknown(`no ${what} uploaded`);

function probePillar(f: Facts, pillar: AccountabilityPillar, what: string): Outcome {
  const p = f.evidence.probe;
  if (!p) return noUpload('probe report (plumbline-probe run --out)');
  const s: ProbePillarFacts = p.byPillar[pillar];
  const src = `probe ${p.sources.join(', ')}`;
  if (!s.total) return unknown(`the probe report has no ${pillar} scenario`, [src]);
  if (s.failed.length)
    return notMet(`${s.failed.length} of ${s.total} ${pillar} probe scenario(s) failed: ${what}`, [
      src,
      ...s.failed,
    ]);
  if (s.inconclusive.length)
    return unknown(
      `${s.inconclusive.length} of ${s.total} ${pillar} probe scenario(s) inconclusive`,
      [src, ...s.inconclusive],
    );
  return met(`all ${s.total} ${pillar} probe scenario(s) passed: ${what}`, [src]);
}

const decisionsOf = (f: Facts) => f.evidence.decisions;
const tracesOf = (f: Facts) => f.evidence.traces;
const srcs = (list: readonly string[]) => list.join(', ');

// ---------------------------------------------------------------- criteria

export const CRITERIA: readonly Criterion[] = [
  // ------------------------------------------------------------ traceability
  {
    id: 'trace.exporter',
    pillar: 'traceability',
    level: 1,
    title: 'Every agent exports traces automatically',
    proof:
      'scan: OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT / OTEL_TRACES_EXPORTER (or LangSmith, Langfuse, OpenLLMetry, Phoenix env) on the agent pods; upload: OTLP spans naming the agent',
    asi: 'ASI10',
    remediation:
      "Set OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME on every agent pod (or enable the framework's OpenTelemetry instrumentation) so each run produces a trace without anyone asking.",
    attestable: null,
    doesNotCount:
      'a tracing toggle set to false/0/off (LANGSMITH_TRACING=false) or whose value is not visible; OTEL_TRACES_EXPORTER=none; any signal of a tracer switched off in the same container (OTEL_SDK_DISABLED=true, LANGFUSE_TRACING_ENABLED=false)',
    evaluate: (f) =>
      perAgent(
        f,
        (a) =>
          a.tracing.exporter === true
            ? { ok: true, note: a.tracing.signals.join(', ') }
            : a.tracing.exporter === false
              ? { ok: false, note: 'no tracing exporter configured' }
              : { ok: null, note: 'pod spec not in the snapshot and no spans from it uploaded' },
        'a tracing exporter is configured',
      ),
  },
  {
    id: 'trace.genai-tool-spans',
    pillar: 'traceability',
    level: 2,
    title: 'Tool calls are GenAI spans with tool name and call id',
    proof:
      'upload: OTLP JSON traces with gen_ai.operation.name=execute_tool spans carrying gen_ai.tool.name and gen_ai.tool.call.id',
    asi: 'ASI02',
    remediation:
      'Instrument tool execution with the OpenTelemetry GenAI semantic conventions: an execute_tool span per call with gen_ai.tool.name and gen_ai.tool.call.id (the call id the model returned).',
    attestable: null,
    evaluate: (f) => {
      const t = tracesOf(f);
      if (!t) return noUpload('OTLP trace sample');
      const ev = [`OTLP ${srcs(t.sources)}: ${t.spans} spans, ${t.traces} traces`];
      if (!t.toolSpans)
        return notMet('the sample has no execute_tool spans (gen_ai.operation.name)', ev);
      if (t.toolSpansComplete < t.toolSpans)
        return notMet(
          `${share(t.toolSpans - t.toolSpansComplete, t.toolSpans)} execute_tool spans lack gen_ai.tool.name or gen_ai.tool.call.id`,
          ev,
        );
      return met(
        `${t.toolSpans} execute_tool spans, all with gen_ai.tool.name and gen_ai.tool.call.id`,
        ev,
      );
    },
  },
  {
    id: 'trace.agent-id',
    pillar: 'traceability',
    level: 2,
    title: 'Agent spans say which agent acted',
    proof:
      'upload: OTLP JSON traces whose invoke_agent / execute_tool spans carry gen_ai.agent.id (or gen_ai.agent.name)',
    asi: 'ASI10',
    remediation:
      'Set gen_ai.agent.id (and gen_ai.agent.name) on invoke_agent and execute_tool spans so every recorded action names the agent that took it.',
    attestable: null,
    evaluate: (f) => {
      const t = tracesOf(f);
      if (!t) return noUpload('OTLP trace sample');
      const ev = [
        `OTLP ${srcs(t.sources)}: ${t.agentSpansWithAgentId} agent spans with gen_ai.agent.id`,
      ];
      if (!t.agentSpans) return notMet('the sample has no invoke_agent or execute_tool spans', ev);
      if (t.agentSpansWithAgent < t.agentSpans)
        return notMet(
          `${share(t.agentSpans - t.agentSpansWithAgent, t.agentSpans)} agent spans name no agent`,
          ev,
        );
      return met(`all ${t.agentSpans} agent spans name their agent`, ev);
    },
  },
  {
    id: 'trace.mcp-correlated',
    pillar: 'traceability',
    level: 3,
    title: 'MCP tool calls are in the same trace as the agent',
    proof:
      "upload: OTLP JSON traces where MCP tools/call spans (mcp.method.name) share the trace id of the agent's GenAI spans",
    asi: 'ASI08',
    remediation:
      "Propagate W3C trace context (traceparent) on every MCP request and instrument the MCP servers, so the tools/call span joins the agent's trace end to end.",
    attestable: null,
    evaluate: (f) => {
      const t = tracesOf(f);
      if (!t) return noUpload('OTLP trace sample');
      const ev = [
        `OTLP ${srcs(t.sources)}: ${t.mcpToolCallSpans} MCP tools/call spans in ${t.mcpCorrelatedTraces} agent traces`,
      ];
      if (!t.mcpToolCallSpans)
        return notMet(
          "no MCP tools/call spans in the sample: the record ends at the agent's side of each tool call",
          ev,
        );
      if (t.mcpOrphanSpans)
        return notMet(
          `${share(t.mcpOrphanSpans, t.mcpToolCallSpans)} MCP tools/call spans are in traces without the agent's spans (context lost)`,
          ev,
        );
      return met('every MCP tools/call span shares its trace with the calling agent', ev);
    },
  },
  {
    id: 'trace.retention',
    pillar: 'traceability',
    level: 3,
    title: 'Audit records are kept six months or more, tamper-evident',
    proof:
      'attestation audit-retention with a link to the retention setting (configuration, not observable in a scan)',
    asi: 'ASI10',
    remediation:
      'Keep traces and decision records at least six months in write-once (object lock / WORM) storage, and attest it with a link to the setting.',
    attestable: 'audit-retention',
    evaluate: (f) =>
      attested(f, 'audit-retention') ??
      unknown(
        'not attested: upload an attestation "audit-retention" with a link to the retention setting',
      ),
  },
  {
    id: 'trace.propagation-proven',
    pillar: 'traceability',
    level: 4,
    title: 'A stub test proves trace context reaches the tools',
    proof:
      'upload: plumbline-probe report in which every tool call reaching the canary carried a W3C traceparent',
    asi: 'ASI08',
    remediation:
      'Run plumbline-probe against the agent in CI and fix the tool client until every canary call carries a traceparent.',
    attestable: null,
    evaluate: (f) => {
      const p = f.evidence.probe;
      if (!p) return noUpload('probe report');
      const ev = [
        `probe ${srcs(p.sources)}: ${p.propagated} of ${p.callsWithCanary} scenarios with canary calls propagated traceparent`,
      ];
      if (!p.callsWithCanary)
        return notMet('no tool call reached the canary, so propagation is not proven', ev);
      if (p.propagated < p.callsWithCanary)
        return notMet('some canary calls carried no traceparent', ev);
      return met('every canary tool call carried a W3C traceparent', ev);
    },
  },
  {
    id: 'trace.decisions-correlated',
    pillar: 'traceability',
    level: 4,
    title: 'Policy decisions join the traces (audit by design)',
    proof:
      'uploads: decision-log records whose trace ids are found in the OTLP sample, every record with a trace id',
    asi: 'ASI10',
    remediation:
      'Have the gateway or policy engine write the trace id of the request into every decision record, so the decision and the chain of events are one record.',
    attestable: null,
    evaluate: (f) => {
      const d = decisionsOf(f);
      const t = tracesOf(f);
      if (!d) return noUpload('decision-log sample');
      if (!t) return noUpload('OTLP trace sample');
      const joined = [...d.traceIds].filter((id) => t.traceIds.has(id)).length;
      const ev = [
        `decision log ${srcs(d.sources)}: ${share(d.withTrace, d.records.length)} records with a trace id`,
        `${joined} decision trace id(s) found in OTLP ${srcs(t.sources)}`,
      ];
      if (d.withTrace < d.records.length)
        return notMet('some decision records carry no trace id', ev);
      if (!joined) return notMet('no decision record points at a trace in the sample', ev);
      return met('decision records and traces share trace ids', ev);
    },
  },

  // ------------------------------------------------------------ authorization provenance
  {
    id: 'authz.no-literal-credentials',
    pillar: 'authorization-provenance',
    level: 1,
    title: 'No literal credentials: keys come from Secrets or workload identity',
    proof:
      'scan: env vars of agents, MCP servers, gateways and model servers are secretKeyRef / envFrom Secrets, never literal values matching sk-, AKIA, AIza, eyJ...; upload: MCP client configs without static tokens',
    asi: 'ASI03',
    remediation:
      'Move every literal key into a Secret (env valueFrom.secretKeyRef) or, better, workload identity; rotate the exposed keys; use ${input:...} / ${env:...} placeholders in MCP client configs.',
    attestable: null,
    evaluate: (f) => {
      const bad: string[] = [];
      let fromSecrets = 0;
      for (const it of f.items)
        for (const c of it.credentials) {
          if (
            c.source === 'literal' ||
            c.source === 'mcp-config-env' ||
            c.source === 'mcp-config-header'
          )
            bad.push(`${it.ref}: ${c.name} is a literal credential (value not shown)`);
          else fromSecrets++;
        }
      if (bad.length) return notMet(`${bad.length} literal credential(s) found`, bad.sort(cmp));
      return met(`no literal credentials; ${fromSecrets} credential reference(s) to Secrets`);
    },
  },
  {
    id: 'authz.credential-per-agent',
    pillar: 'authorization-provenance',
    level: 2,
    title: 'One credential per agent, never shared',
    proof:
      'scan: no Secret key (secretKeyRef, envFrom, kagent ModelConfig, K8sGPT secret) or literal fingerprint used by two agents, MCP servers or gateways',
    asi: 'ASI03',
    remediation:
      'Issue each agent its own key (or identity) so every call is attributable to one agent and can be revoked alone; split shared ModelConfigs and Secrets.',
    attestable: null,
    evaluate: (f) => {
      if (f.shared.length)
        return notMet(
          `${f.shared.length} credential(s) shared`,
          f.shared.map((s) => `${s.credential}: ${s.items.join(', ')}`),
        );
      const unresolved = f.agents.filter((a) => !f.extra.get(a.ref)?.credentialsKnown);
      if (unresolved.length)
        return unknown(
          `${unresolved.length} agent(s) whose credentials are not visible`,
          unresolved.map(
            (a) => `${a.ref}: ${a.modelRoute.detail || 'credential source not in the snapshot'}`,
          ),
        );
      return met('no credential is used by more than one item');
    },
  },
  {
    id: 'authz.policy-decisions',
    pillar: 'authorization-provenance',
    level: 3,
    title: 'Every decision names its policy and version',
    proof:
      'upload: decision-log JSON Lines in which every record has policy id, policy version and decision',
    asi: 'ASI02',
    remediation:
      'Put a policy decision point (gateway or policy engine) in the path of every tool and model call and log policy id and version with each decision.',
    attestable: null,
    evaluate: (f) => {
      const d = decisionsOf(f);
      if (!d) return noUpload('decision-log sample');
      const ev = [
        `decision log ${srcs(d.sources)}: ${share(d.withPolicy, d.records.length)} records with policy id and version`,
      ];
      if (d.withPolicy < d.records.length)
        return notMet('some decisions do not name a policy and version', ev);
      return met('every decision names a policy and version', ev);
    },
  },
  {
    id: 'authz.delegation',
    pillar: 'authorization-provenance',
    level: 3,
    title: 'Delegation is explicit: user sub and agent act',
    proof:
      'upload: decision-log records carrying the user (sub) and the acting agent (act), as in RFC 8693 token exchange',
    asi: 'ASI03',
    remediation:
      "Exchange the user's token for a delegated one (RFC 8693: sub = user, act = agent) at the gateway and log both in each decision.",
    attestable: null,
    evaluate: (f) => {
      const d = decisionsOf(f);
      if (!d) return noUpload('decision-log sample');
      const ev = [
        `decision log ${srcs(d.sources)}: ${share(d.withSubAndAct, d.records.length)} records with sub and act`,
      ];
      if (d.withSubAndAct < d.records.length)
        return notMet('some decisions do not say which user the agent acted for', ev);
      return met('every decision carries the user and the acting agent', ev);
    },
  },
  {
    id: 'authz.probe',
    pillar: 'authorization-provenance',
    level: 4,
    title: 'A stub test proves unauthorised calls are refused with a named policy',
    proof:
      'upload: plumbline-probe report, every authorization-provenance scenario passed (blocked, attributable)',
    asi: 'ASI03',
    remediation:
      'Run plumbline-probe in CI; make the policy layer refuse read_secure_vault-style calls and log the policy id with each refusal.',
    attestable: null,
    evaluate: (f) =>
      probePillar(f, 'authorization-provenance', 'refusals are attributable to a policy'),
  },

  // ------------------------------------------------------------ identity & ownership
  {
    id: 'identity.registered',
    pillar: 'identity-ownership',
    level: 1,
    title: 'No shadow agents: every agent is registered',
    proof:
      'scan: agent declared by an agent platform CR (kagent Agent, agent-sandbox Sandbox, K8sGPT), named by an agent registry entry (plumbline.io AgentRegistration), or labelled/annotated plumbline.io/agent, agents.*/id, kagent.dev/* on the workload object or its pod template; upload: an A2A agent card',
    asi: 'ASI10',
    remediation:
      'Register every agent: declare it through the agent platform or annotate its workload (plumbline.io/agent: <registry id>) and publish an agent card.',
    attestable: null,
    doesNotCount:
      'a registration key whose value switches it off (plumbline.io/registered: "false"), a value the scanner withheld, an owner or component label alone, a dedicated ServiceAccount, a gateway in front',
    evaluate: (f) =>
      perAgent(
        f,
        (a) =>
          a.registered
            ? { ok: true, note: a.registration ?? 'registered' }
            : { ok: false, note: 'shadow agent' },
        'registered',
      ),
  },
  {
    id: 'identity.owner',
    pillar: 'identity-ownership',
    level: 1,
    title: 'Every agent has a named accountable owner',
    proof:
      'scan: owner / team label or annotation on the agent, its pods or its namespace; upload: agent card provider.organization',
    asi: 'ASI10',
    remediation:
      'Label every agent with its accountable owner and team (e.g. owner: payments-team) and keep it in the registry.',
    attestable: null,
    evaluate: (f) =>
      perAgent(
        f,
        (a) =>
          a.owner
            ? { ok: true, note: `${a.owner} (${a.ownerSource})` }
            : { ok: false, note: 'no owner or team label' },
        'an owner is named',
      ),
  },
  {
    id: 'identity.service-account',
    pillar: 'identity-ownership',
    level: 2,
    title: 'Each agent runs under its own ServiceAccount',
    proof: 'scan: serviceAccountName is not `default` and no other workload uses it',
    asi: 'ASI03',
    remediation:
      'Give each agent a dedicated ServiceAccount so its Kubernetes identity is its own.',
    attestable: null,
    evaluate: (f) =>
      perAgent(
        f,
        (a) =>
          a.dedicatedServiceAccount === true
            ? { ok: true, note: `ServiceAccount ${a.serviceAccount}` }
            : a.dedicatedServiceAccount === false
              ? {
                  ok: false,
                  note: `ServiceAccount ${a.serviceAccount} is ${a.serviceAccount === 'default' ? 'the namespace default' : 'shared with other workloads'}`,
                }
              : { ok: null, note: 'pod spec not in the snapshot' },
        'a dedicated ServiceAccount',
      ),
  },
  {
    id: 'identity.least-privilege',
    pillar: 'identity-ownership',
    level: 2,
    title: 'No cluster-admin, wildcard or Secret-reading RBAC',
    proof: "scan: RoleBindings / ClusterRoleBindings of the agent's ServiceAccount and their rules",
    asi: 'ASI03',
    remediation:
      'Replace wildcard and cluster-admin bindings with a Role listing the exact resources and verbs the agent needs; never grant Secret reads to an agent.',
    attestable: null,
    evaluate: (f) =>
      perAgent(
        f,
        (a) => {
          const r = a.rbac;
          if (!r) return { ok: null, note: 'ServiceAccount not in the snapshot' };
          if (!r.known) return { ok: null, note: 'RBAC objects could not be collected' };
          const why = [
            r.clusterAdmin ? 'cluster-admin' : '',
            r.wildcard ? 'wildcard rules' : '',
            r.secretsRead ? 'can read Secrets' : '',
          ].filter(Boolean);
          return why.length
            ? { ok: false, note: `${why.join(', ')} via ${r.bindings.join('; ')}` }
            : {
                ok: true,
                note: r.bindings.length ? `bound to ${r.bindings.join('; ')}` : 'no RBAC bindings',
              };
        },
        'least-privilege RBAC',
      ),
  },
  {
    id: 'identity.exposed-power',
    pillar: 'identity-ownership',
    level: 2,
    title:
      'No agent, MCP server or model server is reachable from outside with a powerful identity',
    proof:
      'scan: a LoadBalancer or NodePort Service, an Ingress, a Gateway API route or an Istio gateway route reaching the item, or hostNetwork / hostPort, while its mounted ServiceAccount token grants cluster-admin, wildcard rules, Secret reads or high-stakes writes',
    asi: 'ASI03',
    severity: 'critical',
    remediation:
      'Take the item off the outside path (ClusterIP behind an authenticating gateway, no hostNetwork/hostPort) and give it a ServiceAccount without cluster-admin, wildcard, Secret or high-stakes write rights (or automountServiceAccountToken: false).',
    attestable: null,
    doesNotCount:
      'an exposed item whose token is not mounted or whose ServiceAccount has no such rights (it is listed, not critical); a ClusterIP Service no Ingress or route reaches',
    evaluate: (f) => {
      const scope = f.items.filter(
        (i) => i.kind === 'agent' || i.kind === 'mcp-server' || i.kind === 'model-server',
      );
      const exposed = scope.filter((i) => i.exposure);
      const critical = exposed.filter((i) => i.exposure!.power.length > 0);
      const line = (i: AgentItem) =>
        `${i.ref}: reachable via ${i.exposure!.paths.join(', ')}; ${i.exposure!.power.length ? `identity holds ${i.exposure!.power.join(', ')}` : 'identity holds no dangerous rights'}`;
      if (critical.length)
        return notMet(
          `${critical.length} exposed item(s) run with a powerful identity`,
          critical.map(line),
        );
      const unknownRbac = exposed.filter((i) => i.rbac && !i.rbac.known);
      if (unknownRbac.length)
        return unknown('exposed items whose RBAC could not be collected', unknownRbac.map(line));
      return met(
        exposed.length
          ? `${exposed.length} exposed item(s), none with a powerful identity`
          : 'no agent, MCP server or model server is exposed outside the cluster',
        exposed.map(line),
      );
    },
  },
  {
    id: 'identity.token-automount',
    pillar: 'identity-ownership',
    level: 2,
    title: 'API token mounted only when the agent uses the API',
    proof:
      'scan: automountServiceAccountToken (pod, then ServiceAccount) is false unless the ServiceAccount has RBAC bindings that are not cluster-admin, wildcard or Secret reads',
    asi: 'ASI03',
    remediation:
      'Set automountServiceAccountToken: false on agents that do not call the Kubernetes API, and never mount a cluster-admin, wildcard or Secret-reading token into an agent.',
    attestable: null,
    doesNotCount:
      'a mounted token whose ServiceAccount has bindings when those bindings grant cluster-admin, wildcard rules or Secret reads',
    evaluate: (f) =>
      perAgent(
        f,
        (a) => {
          if (a.automountToken === null || !a.rbac)
            return { ok: null, note: 'pod spec not in the snapshot' };
          if (!a.automountToken) return { ok: true, note: 'token not mounted' };
          // A mounted token that grants cluster-admin, wildcard or Secret reads is never "needed":
          // whoever takes over the agent holds it.
          const power = [
            a.rbac.clusterAdmin ? 'cluster-admin' : '',
            a.rbac.wildcard ? 'wildcard rules' : '',
            a.rbac.secretsRead ? 'Secret reads' : '',
          ].filter(Boolean);
          if (power.length)
            return { ok: false, note: `token mounted and it grants ${power.join(', ')}` };
          if (a.rbac.bindings.length)
            return { ok: true, note: 'token mounted and used (ServiceAccount has bindings)' };
          return { ok: false, note: 'token mounted but its ServiceAccount has no RBAC bindings' };
        },
        'no unneeded API token',
      ),
  },
  {
    id: 'identity.pinned',
    pillar: 'identity-ownership',
    level: 2,
    title: 'Images pinned by digest, MCP packages to exact versions',
    proof:
      'scan: agent and MCP server images with @sha256 digests; kagent MCPServer/ToolServer packages; upload: MCP client configs (npx/uvx packages, docker images)',
    asi: 'ASI04',
    remediation:
      'Pin images by digest (image@sha256:...) and MCP packages to exact versions (npx -y pkg@1.2.3, never @latest or unversioned).',
    attestable: null,
    doesNotCount:
      'a tag (even a version tag) without a digest; a gateway or model server image is reported on that item, not charged to the agents behind it',
    evaluate: (f) => {
      // Agents and MCP servers only: a gateway's or model server's image is its own finding,
      // never charged to the agents behind it.
      const scope = f.items.filter((i) => i.kind === 'agent' || i.kind === 'mcp-server');
      const all = scope.flatMap((i) => i.artifacts.map((a) => ({ i, a })));
      if (!all.length) return unknown('no agent or MCP server image or package is visible');
      const bad = all.filter((x) => !x.a.pinned);
      if (bad.length)
        return notMet(
          `${share(bad.length, all.length)} images or packages unpinned`,
          bad.map((x) => `${x.i.ref}: ${x.a.type} ${x.a.ref}`),
        );
      return met(`all ${all.length} images and packages pinned`);
    },
  },
  {
    id: 'identity.workload-identity',
    pillar: 'identity-ownership',
    level: 3,
    title: 'Cryptographic workload identity for every agent',
    proof:
      'scan: agent pods in an Istio (sidecar or ambient) or Linkerd mesh, SPIRE-managed (spiffe.io labels or annotations, or a matching ClusterSPIFFEID, with SPIRE installed), or cloud workload identity on their ServiceAccount',
    asi: 'ASI03',
    remediation:
      'Give agents short-lived cryptographic identities: enrol their pods in the mesh (mTLS) or SPIRE, or use cloud workload identity instead of static keys.',
    attestable: null,
    doesNotCount:
      'sidecar.istio.io/inject: "false", linkerd.io/inject other than enabled, spiffe.io/spire-managed-identity: "false", spiffe.io labels or a ClusterSPIFFEID without SPIRE running',
    evaluate: (f) =>
      perAgent(
        f,
        (a) =>
          a.workloadIdentity
            ? { ok: true, note: a.workloadIdentity }
            : a.source === 'workload'
              ? { ok: false, note: 'no mesh, SPIFFE or cloud workload identity' }
              : { ok: null, note: 'pods not in the snapshot' },
        'cryptographic workload identity',
      ),
  },
  {
    id: 'identity.user-context',
    pillar: 'identity-ownership',
    level: 3,
    title: 'Each action carries the user it was taken for',
    proof:
      'uploads: decision-log records with the user (sub), or OTLP agent spans with enduser.id / user.id',
    asi: 'ASI03',
    remediation:
      "Propagate the end user's identity with every agent request (token sub, enduser.id on spans) so actions are tied to a user as well as an agent.",
    attestable: null,
    evaluate: (f) => {
      const d = decisionsOf(f);
      const t = tracesOf(f);
      if (!d && !t) return unknown('no decision-log or OTLP trace sample uploaded');
      const ev: string[] = [];
      let ok = false;
      let bad = false;
      if (d) {
        ev.push(
          `decision log ${srcs(d.sources)}: ${share(d.withSub, d.records.length)} records with the user`,
        );
        if (d.withSub === d.records.length) ok = true;
        else bad = true;
      }
      if (t) {
        ev.push(
          `OTLP ${srcs(t.sources)}: ${share(t.agentTracesWithUser, t.agentTraces)} agent traces with enduser.id / user.id`,
        );
        if (t.agentTraces > 0 && t.agentTracesWithUser === t.agentTraces) ok = true;
        else if (t.agentTracesWithUser > 0) bad = true;
      }
      if (bad) return notMet('some actions do not carry the user they were taken for', ev);
      return ok ? met('actions carry the user', ev) : notMet('no user identity in the uploads', ev);
    },
  },
  {
    id: 'identity.probe',
    pillar: 'identity-ownership',
    level: 4,
    title: 'A stub test proves cross-tenant and privilege-escalation calls are refused',
    proof: 'upload: plumbline-probe report, every identity-ownership scenario passed',
    asi: 'ASI03',
    remediation:
      'Run plumbline-probe in CI; enforce tenant ownership of objects and refuse role changes in the policy layer, with a policy id on each refusal.',
    attestable: null,
    evaluate: (f) =>
      probePillar(f, 'identity-ownership', 'user context and privileges are enforced'),
  },

  // ------------------------------------------------------------ policy at scale
  {
    id: 'policy.engine',
    pillar: 'policy-at-scale',
    level: 1,
    title: 'A policy engine enforces in the cluster',
    proof:
      'scan: detection finds a NetworkPolicy engine (Calico, Cilium, Antrea, ...) that enforces',
    asi: 'ASI02',
    remediation:
      'Run a CNI or policy engine that enforces NetworkPolicy (plain flannel does not), so agent policy can apply at all.',
    attestable: null,
    evaluate: (f) => {
      const np = f.detection.network.networkPolicy;
      const ev = [`engines: ${np.engines.join(', ') || 'none'}`, np.reason];
      if (np.enforced === true) return met('NetworkPolicy is enforced', ev);
      if (np.enforced === false)
        return notMet('NetworkPolicy is not enforced: policies are decoration', ev);
      return unknown('no policy engine visible in the snapshot', ev);
    },
  },
  {
    id: 'policy.egress',
    pillar: 'policy-at-scale',
    level: 2,
    title: 'Agent egress is isolated; direct internet egress is blocked',
    proof:
      'scan: NetworkPolicy engine (packages/netpol): agent pods are egress-isolated and TCP 443 to a public address is denied',
    asi: 'ASI02',
    remediation:
      'Apply a default-deny egress NetworkPolicy to agent namespaces and allow only DNS and the gateway; provider endpoints are then reachable only through the gateway.',
    attestable: null,
    evaluate: (f) =>
      perAgent(
        f,
        (a) => {
          const e = a.egress;
          if (!e) return { ok: null, note: 'pods not in the snapshot' };
          if (!e.isolated || e.internetBlocked === false) return { ok: false, note: e.detail };
          if (e.internetBlocked === null) return { ok: null, note: e.detail };
          if (e.enforced === false)
            return { ok: false, note: `${e.detail}, but NetworkPolicy is not enforced` };
          if (e.enforced === null)
            return { ok: null, note: `${e.detail}; no enforcing engine detected` };
          return { ok: true, note: e.detail };
        },
        'egress isolated, internet blocked',
      ),
  },
  {
    id: 'policy.gateway',
    pillar: 'policy-at-scale',
    level: 2,
    title: 'Model calls go through a gateway or an in-cluster model',
    proof:
      "scan: the agent's base URL (OPENAI_BASE_URL..., kagent ModelConfig, K8sGPT baseUrl) points at a gateway workload (LiteLLM, agentgateway, Envoy AI Gateway...) or an in-cluster model server, not a provider",
    asi: 'ASI02',
    remediation:
      'Route every model call through an LLM gateway (set the base URL to the gateway Service) so one enforcement point sees and governs all traffic.',
    attestable: null,
    evaluate: (f) =>
      perAgent(
        f,
        (a) => {
          const r = a.modelRoute.route;
          if (r === 'gateway' || r === 'in-cluster-model')
            return { ok: true, note: a.modelRoute.detail };
          if (r === 'direct-provider' || r === 'external-endpoint')
            return { ok: false, note: a.modelRoute.detail };
          return { ok: null, note: a.modelRoute.detail || 'model endpoint not visible' };
        },
        'an enforcement point in the model path',
      ),
  },
  {
    id: 'policy.default-deny-tools',
    pillar: 'policy-at-scale',
    level: 3,
    title: 'Tool policy is default-deny with full coverage',
    proof:
      "upload: decision-log where every decision names a policy (coverage 100%), no call is allowed by default, and denials occur (or the probe's unadvertised-tool scenario is blocked)",
    asi: 'ASI02',
    remediation:
      'Make the tool policy deny anything not explicitly allowed and put every tool call through it; aim for 100% of calls decided by a named policy.',
    attestable: null,
    evaluate: (f) => {
      const d = decisionsOf(f);
      if (!d) return noUpload('decision-log sample');
      const n = d.records.length;
      const ev = [
        `decision log ${srcs(d.sources)}: policy coverage ${share(d.withPolicyId, n)}, ${d.denies} deny, ${d.allowsWithoutPolicy} allowed without a policy`,
      ];
      if (d.allowsWithoutPolicy)
        return notMet('calls were allowed by default (no policy matched)', ev);
      if (d.withPolicyId < n) return notMet('not every decision is made by a named policy', ev);
      if (!d.denies && !f.evidence.probe?.unadvertisedBlocked)
        return notMet('no denial in the sample: default-deny cannot be told from allow-all', ev);
      return met('every call is decided by a named policy and unlisted calls are denied', ev);
    },
  },
  {
    id: 'policy.sandbox',
    pillar: 'policy-at-scale',
    level: 3,
    title: 'Code-executing agents are sandboxed',
    proof:
      'scan: runtimeClassName gVisor/Kata on code-executing agents, or agent-sandbox Sandboxes; code execution from images, args, env and tool names (kagent tools, MCP configs, spans, decision logs)',
    asi: 'ASI05',
    remediation:
      'Run agents that execute code under a sandbox runtime (RuntimeClass gVisor or Kata) or in agent-sandbox Sandboxes.',
    attestable: null,
    evaluate: (f) => {
      const exec = f.agents.filter((a) => a.codeExecution);
      const known = new Set(f.agents.flatMap((a) => a.tools));
      const unattributed = sortedUnique([
        ...[...(f.evidence.traces?.toolNames ?? [])].filter(
          (t) => CODE_EXEC.test(t) && !known.has(t),
        ),
        ...f.evidence.mcpServers.filter((s) => s.codeExec).map((s) => `${s.source}#${s.name}`),
      ]);
      if (unattributed.length && f.agents.some((a) => !a.sandbox.sandboxed))
        return notMet(
          'code execution seen in uploads without knowing which agent runs it, and not every agent is sandboxed',
          unattributed,
        );
      const bad = exec.filter((a) => !a.sandbox.sandboxed);
      if (bad.length)
        return notMet(
          `${share(bad.length, exec.length)} code-executing agents unsandboxed`,
          bad.map((a) => `${a.ref}: runs code, no sandbox runtime`),
        );
      if (exec.length)
        return met(
          `all ${exec.length} code-executing agents sandboxed`,
          exec.map((a) => `${a.ref}: ${a.sandbox.via ?? ''}`),
        );
      const toolEvidence =
        known.size > 0 ||
        !!f.evidence.traces?.toolNames.size ||
        !!f.evidence.decisions ||
        f.evidence.mcpServers.length > 0;
      return toolEvidence
        ? met('no agent executes code (from the tools and settings visible)')
        : unknown('no tool inventory visible: cannot tell which agents execute code');
    },
  },
  {
    id: 'policy.admission',
    pillar: 'policy-at-scale',
    level: 3,
    title: 'Admission control requires registration and owner',
    proof:
      'scan: an enforcing Kyverno policy, Gatekeeper constraint or ValidatingAdmissionPolicy that requires an owner/team or agent-registration label, with its engine installed',
    asi: 'ASI10',
    remediation:
      'Add an admission policy (Kyverno Enforce, Gatekeeper deny, ValidatingAdmissionPolicy Deny) that rejects agent pods without an owner and registration label, so new agents are governed on arrival.',
    attestable: null,
    evaluate: (f) => {
      const installed = (id: string) =>
        f.detection.components.some((c) => c.id === id && c.status !== 'remnant');
      const found: string[] = [];
      const audit: string[] = [];
      const bindings = f.snapshot.config.customResources.filter(
        (o) => o.kind === 'ValidatingAdmissionPolicyBinding',
      );
      for (const o of f.snapshot.config.customResources) {
        const spec = JSON.stringify(o.spec);
        if (!/owner|team|plumbline\.io\/agent|agents?\.[a-z0-9.-]+\/(id|registry)/i.test(spec))
          continue;
        const ref = `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
        const group = o.apiVersion.split('/')[0] ?? '';
        if (/kyverno\.io$/.test(group)) {
          if (!installed('kyverno')) continue;
          (/"(validationFailureAction|failureAction)":"Enforce"/i.test(spec) ? found : audit).push(
            ref,
          );
        } else if (group === 'constraints.gatekeeper.sh') {
          if (!installed('gatekeeper')) continue;
          (/"enforcementAction":"(dryrun|warn)"/i.test(spec) ? audit : found).push(ref);
        } else if (o.kind === 'ValidatingAdmissionPolicy') {
          const b = bindings.find((x) =>
            JSON.stringify(x.spec).includes(`"policyName":"${o.name}"`),
          );
          (b && /"Deny"/.test(JSON.stringify(b.spec)) ? found : audit).push(ref);
        }
      }
      if (found.length)
        return met(
          'an enforcing admission policy requires owner or registration labels',
          found.sort(cmp),
        );
      if (audit.length) return notMet('admission policies only audit or warn', audit.sort(cmp));
      return notMet('no admission policy requires an owner or registration on agent pods');
    },
  },
  {
    id: 'policy.as-code',
    pillar: 'policy-at-scale',
    level: 3,
    title: 'Policy is code, tested in CI',
    proof:
      'attestation policy-as-code-ci with a link to the pipeline (configuration, not observable in a scan)',
    asi: 'ASI02',
    remediation:
      'Keep agent policies in version control, test them in CI (e.g. with plumbline-probe) before rollout, and attest it with a link.',
    attestable: 'policy-as-code-ci',
    evaluate: (f) =>
      attested(f, 'policy-as-code-ci') ??
      unknown(
        'not attested: upload an attestation "policy-as-code-ci" with a link to the pipeline',
      ),
  },
  {
    id: 'policy.probe',
    pillar: 'policy-at-scale',
    level: 4,
    title: 'A stub test proves unlisted, malformed and injected calls are refused',
    proof:
      'upload: plumbline-probe report, every policy-at-scale scenario passed (unadvertised tool, out-of-schema and injected arguments)',
    asi: 'ASI01',
    remediation:
      'Run plumbline-probe in CI; refuse tools the agent never offered, validate arguments against the tool schema and screen them for injected instructions.',
    attestable: null,
    evaluate: (f) =>
      probePillar(f, 'policy-at-scale', 'policy holds against unlisted and malicious calls'),
  },

  // ------------------------------------------------------------ human oversight
  {
    id: 'oversight.no-unattended-writes',
    pillar: 'human-oversight',
    level: 1,
    title: 'No agent changes the cluster unattended',
    proof:
      'scan: no K8sGPT auto-remediation and no agent ServiceAccount with write access to workloads, Secrets or RBAC, unless the decision log shows its actions gated by approvals',
    asi: 'ASI08',
    remediation:
      'Turn off auto-remediation and remove write verbs from agent roles, or route those actions through an approval step that the decision log records.',
    attestable: null,
    evaluate: (f) => {
      const gated = f.evidence.decisions?.gatedActors ?? new Set<string>();
      return perAgent(
        f,
        (a) => {
          const keys = f.extra.get(a.ref)?.keys ?? [a.name];
          const isGated = keys.some((k) => gated.has(k));
          if (a.autoRemediation && !isGated) return { ok: false, note: 'auto-remediation enabled' };
          if (a.rbac?.writes.length && !isGated)
            return { ok: false, note: `can ${a.rbac.writes.slice(0, 3).join('; ')}` };
          if (!a.rbac) return { ok: null, note: 'ServiceAccount not in the snapshot' };
          if (!a.rbac.known) return { ok: null, note: 'RBAC objects could not be collected' };
          return {
            ok: true,
            note: isGated ? 'writes gated by approvals' : 'no high-stakes write access',
          };
        },
        'no unattended high-stakes changes',
      );
    },
  },
  {
    id: 'oversight.approval-gates',
    pillar: 'human-oversight',
    level: 2,
    title: 'Destructive tools wait for human approval',
    proof:
      'upload: decision-log records where destructive tools are approval-required or carry approvals (none allowed without); or probe human-oversight scenarios passed; or attestation approval-policy',
    asi: 'ASI02',
    remediation:
      'Put destructive tools (delete, transfer, role changes) behind an approval step in the policy layer; the call waits until a named human approves.',
    attestable: 'approval-policy',
    evaluate: (f) => {
      const d = decisionsOf(f);
      const p = f.evidence.probe?.byPillar['human-oversight'];
      const destructive = d ? [...d.destructive.entries()].sort(([a], [b]) => cmp(a, b)) : [];
      const unapproved = destructive.filter(([, x]) => x.unapprovedAllows > 0);
      if (unapproved.length)
        return notMet(
          'destructive tools were allowed without approval',
          unapproved.map(
            ([t, x]) =>
              `${t}: ${x.unapprovedAllows} call(s) allowed without approval (decision log)`,
          ),
        );
      if (p?.failed.length)
        return notMet('probe: destructive actions did not wait for approval', p.failed);
      if (destructive.length)
        return met(
          'destructive tools in the decision log are gated',
          destructive.map(([t, x]) => `${t}: ${x.gated} gated of ${x.records}`),
        );
      if (p && p.total && p.passed === p.total)
        return met('probe: destructive actions waited for approval', [
          `probe ${srcs(f.evidence.probe!.sources)}`,
        ]);
      return (
        attested(f, 'approval-policy') ??
        unknown('no destructive tool call in the uploads and no approval-policy attestation')
      );
    },
  },
  {
    id: 'oversight.kill-switch',
    pillar: 'human-oversight',
    level: 2,
    title: 'A documented kill switch stops or quarantines an agent',
    proof:
      'attestation kill-switch-runbook with a link to the runbook (configuration, not observable in a scan)',
    asi: 'ASI10',
    remediation:
      'Write and test a runbook that stops or quarantines an agent in minutes (scale to zero, deny-all NetworkPolicy, revoke its key) and attest it with a link.',
    attestable: 'kill-switch-runbook',
    evaluate: (f) =>
      attested(f, 'kill-switch-runbook') ??
      unknown(
        'not attested: upload an attestation "kill-switch-runbook" with a link to the runbook',
      ),
  },
  {
    id: 'oversight.reviewer-identity',
    pillar: 'human-oversight',
    level: 3,
    title: "Approvals are logged with the reviewer's identity",
    proof: 'upload: decision-log records with approvals, each naming its reviewer',
    asi: 'ASI09',
    remediation:
      "Log every approval or rejection with the reviewer's identity and time, in the same record as the decision.",
    attestable: null,
    evaluate: (f) => {
      const d = decisionsOf(f);
      if (!d) return noUpload('decision-log sample');
      const ev = [
        `decision log ${srcs(d.sources)}: ${d.approvals} approval(s), ${d.approvalsWithReviewer} naming the reviewer, ${d.approvalRequired} approval request(s)`,
      ];
      if (!d.approvals) return notMet('no approval events in the sample', ev);
      if (d.approvalsWithReviewer < d.approvals)
        return notMet('some approvals do not name the reviewer', ev);
      return met('every approval names its reviewer', ev);
    },
  },
  {
    id: 'oversight.probe',
    pillar: 'human-oversight',
    level: 4,
    title: 'A stub test proves destructive calls wait for a human',
    proof:
      'upload: plumbline-probe report, every human-oversight scenario passed (approval requested, attributable)',
    asi: 'ASI02',
    remediation:
      'Run plumbline-probe in CI; delete_user_account and transfer_funds must end as approval-requested with a policy id.',
    attestable: null,
    evaluate: (f) => probePillar(f, 'human-oversight', 'destructive calls wait for approval'),
  },
  {
    id: 'oversight.approval-load',
    pillar: 'human-oversight',
    level: 4,
    title: 'Approval load is monitored',
    proof:
      'attestation approval-load-monitoring with a link to the dashboard (queue length, time to decision, approval rate)',
    asi: 'ASI09',
    remediation:
      'Monitor approval queue length, time to decision and approve-everything rates so oversight does not decay into rubber-stamping.',
    attestable: 'approval-load-monitoring',
    evaluate: (f) =>
      attested(f, 'approval-load-monitoring') ??
      unknown(
        'not attested: upload an attestation "approval-load-monitoring" with a link to the dashboard',
      ),
  },
];

// ---------------------------------------------------------------- principles (caps)

export const PRINCIPLES: readonly Principle[] = [
  {
    id: 'default-deny',
    number: 1,
    title: 'Default-deny',
    failTest: 'default-allow: a call no policy matched is allowed',
    pillar: 'policy-at-scale',
    capLevel: 1,
    asi: 'ASI02',
    remediation:
      'End every policy chain in deny: calls no rule allows must be refused, never allowed by default.',
    evaluate: (f) => {
      const d = decisionsOf(f);
      const p = f.evidence.probe;
      const ev: string[] = [];
      let failed = false;
      if (d?.allowsWithoutPolicy) {
        failed = true;
        ev.push(
          `decision log ${srcs(d.sources)}: ${d.allowsWithoutPolicy} call(s) allowed with no policy`,
        );
      }
      const defaultAllow =
        d?.records.filter(
          (r) =>
            r.decision === 'allow' && /default[-_ ]?allow|allow[-_ ]?all/i.test(r.policyId ?? ''),
        ).length ?? 0;
      if (defaultAllow) {
        failed = true;
        ev.push(
          `decision log ${srcs(d!.sources)}: ${defaultAllow} call(s) allowed by a default-allow policy`,
        );
      }
      if (p?.unadvertisedExecuted) {
        failed = true;
        ev.push(`probe ${srcs(p.sources)}: a tool the agent never offered was executed`);
      }
      if (failed)
        return { status: 'failed', evidence: ev, reason: 'calls were allowed by default' };
      if (d?.denies || p?.unadvertisedBlocked)
        return { status: 'passed', evidence: ev, reason: 'unmatched calls are denied' };
      return {
        status: 'unknown',
        evidence: ev,
        reason: 'no decision log with denials or probe run to tell',
      };
    },
  },
  {
    id: 'attribute-based-policy',
    number: 2,
    title: 'Attribute-based policy',
    failTest: 'policies name agents instead of matching attributes',
    pillar: 'policy-at-scale',
    capLevel: 2,
    asi: 'ASI02',
    remediation:
      'Write policies over attributes (agent team, tool risk, data class, user role) so new agents are governed unedited; never one policy per agent name.',
    evaluate: (f) => {
      const d = decisionsOf(f);
      if (!d) return { status: 'unknown', evidence: [], reason: 'no decision-log sample uploaded' };
      const names = sortedUnique(
        f.agents.map((a) => a.name.toLowerCase()).filter((n) => n.length >= 4),
      );
      const byPolicy = new Map<string, { identity: number; attrs: number }>();
      for (const r of d.records) {
        if (!r.policyId) continue;
        const s = byPolicy.get(r.policyId) ?? { identity: 0, attrs: 0 };
        if (r.matchedAttributes && Object.keys(r.matchedAttributes).length) {
          if (identityOnly(r.matchedAttributes)) s.identity++;
          else s.attrs++;
        }
        byPolicy.set(r.policyId, s);
      }
      const naming = [...byPolicy.entries()]
        .filter(
          ([id, s]) =>
            (s.identity > 0 && s.attrs === 0) || names.some((n) => id.toLowerCase().includes(n)),
        )
        .map(([id]) => id)
        .sort(cmp);
      if (naming.length)
        return {
          status: 'failed',
          evidence: capList(
            naming.map(
              (id) => `policy ${id} matches agent identities only (or is named after an agent)`,
            ),
          ),
          reason: `${naming.length} polic(ies) name agents`,
        };
      const attributeBased = [...byPolicy.values()].some((s) => s.attrs > 0);
      return attributeBased
        ? {
            status: 'passed',
            evidence: [`decision log ${srcs(d.sources)}: decisions match attributes`],
            reason: 'policies match attributes',
          }
        : {
            status: 'unknown',
            evidence: [],
            reason: 'decision records do not list matched attributes',
          };
    },
  },
  {
    id: 'zero-trust-identity',
    number: 3,
    title: 'Zero-trust identity (workload + user, short-lived)',
    failTest: 'static API keys or long-lived tokens in plain text',
    pillar: 'identity-ownership',
    capLevel: 1,
    asi: 'ASI03',
    remediation:
      'Remove static keys from manifests and client configs; give agents short-lived workload identities (mesh mTLS, SPIFFE, cloud workload identity) and delegated user tokens.',
    evaluate: (f) => {
      const stat: string[] = [];
      for (const it of f.items)
        for (const c of it.credentials)
          if (
            c.source === 'literal' ||
            c.source === 'mcp-config-env' ||
            c.source === 'mcp-config-header'
          )
            stat.push(`${it.ref}: ${c.name}`);
      if (stat.length)
        return {
          status: 'failed',
          evidence: capList(stat.sort(cmp)),
          reason: `${stat.length} static credential(s) in plain text`,
        };
      if (f.agents.length && f.agents.every((a) => a.workloadIdentity))
        return {
          status: 'passed',
          evidence: [],
          reason: 'every agent has a short-lived workload identity',
        };
      return {
        status: 'unknown',
        evidence: [],
        reason:
          'no plain-text keys, but API keys held in Secrets are long-lived too; short-lived identity not shown for every agent',
      };
    },
  },
  {
    id: 'audit-by-design',
    number: 4,
    title: 'Audit by design',
    failTest: 'no automatic, correlated trail: decision records lack who, policy, time or trace id',
    pillar: 'traceability',
    capLevel: 2,
    asi: 'ASI10',
    remediation:
      'Make the policy evaluation the audit record: each decision logs caller, callee, policy id and version, decision, matched attributes, time and trace id.',
    evaluate: (f) => {
      const d = decisionsOf(f);
      if (!d) return { status: 'unknown', evidence: [], reason: 'no decision-log sample uploaded' };
      const n = d.records.length;
      const gaps = [
        d.withWho < n ? `${n - d.withWho} without caller or agent` : '',
        d.withPolicyId < n ? `${n - d.withPolicyId} without policy id` : '',
        d.withTime < n ? `${n - d.withTime} without time` : '',
        d.withTrace < n ? `${n - d.withTrace} without trace id` : '',
      ].filter(Boolean);
      const ev = [`decision log ${srcs(d.sources)}: ${n} records`];
      if (gaps.length)
        return {
          status: 'failed',
          evidence: [...ev, ...gaps],
          reason: 'decision records are not a complete, correlated audit record',
        };
      return {
        status: 'passed',
        evidence: ev,
        reason: 'every decision record is a correlated audit record',
      };
    },
  },
  {
    id: 'kubernetes-native',
    number: 5,
    title: 'Kubernetes-native',
    failTest: 'agent tools run outside the cluster, out of reach of cluster policy',
    pillar: 'policy-at-scale',
    capLevel: 2,
    asi: 'ASI04',
    remediation:
      'Run MCP servers in the cluster (kagent MCPServer, Deployments behind the gateway) instead of as local stdio processes on client machines, so cluster policy, identity and telemetry apply.',
    evaluate: (f) => {
      const local = f.evidence.mcpServers.filter((s) => s.transport === 'stdio');
      if (local.length)
        return {
          status: 'failed',
          evidence: capList(
            local.map(
              (s) =>
                `${s.source}#${s.name}: stdio server started on the client (${s.launcher ?? 'local command'})`,
            ),
          ),
          reason: `${local.length} MCP server(s) run as local processes outside the cluster`,
        };
      const outside = f.agents.filter((a) => a.source === 'evidence');
      if (!outside.length && f.agents.length)
        return {
          status: 'passed',
          evidence: [],
          reason: 'every agent is a Kubernetes workload or custom resource',
        };
      return {
        status: 'unknown',
        evidence: capList(outside.map((a) => `${a.ref}: known only from uploads`)),
        reason: 'some agents are known only from uploads',
      };
    },
  },
];
