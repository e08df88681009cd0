import { z } from 'zod';
import { storableJson, text, TEXT_PROBLEM, unstorableTextPath } from './text.js';
import { type ContractIssue, describeIssues } from './cluster-snapshot.js';
import {
  ACCOUNTABILITY_PILLARS,
  type AccountabilityPillar,
  probeReportSchema,
} from './probe-report.js';

/**
 * Evidence uploads for the AI-agent accountability assessment (packages/agents). Each upload is
 * validated here before anything reads it: by `plumbline-scanner scan --analyze --evidence FILE`
 * today and by the API later. Every upload travels as `{ kind, source, data }`, where `source`
 * names the file (never its contents) and `data` is the validated, bounded payload.
 *
 * Kinds: MCP client configurations, A2A agent cards, OTLP JSON trace samples, decision-log samples
 * (JSON Lines from a gateway or policy engine), `plumbline-probe` reports, attestations (facts that
 * are configuration rather than observation, each with a link) and the five-question
 * self-assessment. Values that may be secrets (MCP headers and env) are validated but never copied
 * into any result.
 */

export const EVIDENCE_KINDS = [
  'mcp-client-config',
  'a2a-agent-card',
  'otlp-traces',
  'decision-log',
  'probe-report',
  'attestation',
  'self-assessment',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** Bounds that keep an upload small enough to store and analyse. */
export const EVIDENCE_LIMITS = {
  /** Largest file accepted, in bytes (as read, before parsing). */
  bytes: 32 * 1024 * 1024,
  mcpServers: 500,
  args: 200,
  skills: 500,
  spans: 50_000,
  attributesPerSpan: 256,
  decisionRecords: 10_000,
  approvalsPerRecord: 20,
  attestations: 100,
  text: 4000,
  url: 2000,
} as const;
const L = EVIDENCE_LIMITS;

/** Agent design patterns, in rising order of stakes (Tigera, "AI Agent Design Patterns"). */
export const DESIGN_PATTERNS = [
  'single',
  'sequential',
  'parallel',
  'planning',
  'multi-agent',
] as const;
export type DesignPattern = (typeof DESIGN_PATTERNS)[number];

const freeText = text().max(L.text);
const shortText = text().max(500);

// ---------------------------------------------------------------- MCP client configuration

/** One server of an MCP client configuration: stdio (`command`) or remote (`url`). */
export const mcpServerConfigSchema = z
  .object({
    type: text().max(50).optional(),
    transport: text().max(50).optional(),
    command: freeText.optional(),
    args: z.array(freeText).max(L.args).optional(),
    /** Validated, never copied into results (values may be secrets). */
    env: z.record(text().max(200), freeText).optional(),
    url: text().max(L.url).optional(),
    /** Validated, never copied into results (values may be bearer tokens). */
    headers: z.record(text().max(200), freeText).optional(),
    disabled: z.boolean().optional(),
  })
  .loose()
  .refine((s) => !!s.command || !!s.url, {
    message: 'a server needs a command (stdio) or a url (remote)',
  });
export type McpServerConfig = z.infer<typeof mcpServerConfigSchema>;

const serverMap = z
  .record(text().min(1).max(200), mcpServerConfigSchema)
  .refine((m) => Object.keys(m).length <= L.mcpServers, {
    message: `at most ${L.mcpServers} servers`,
  });

/** `mcpServers` (Claude Desktop, Cursor, kagent...) or `servers` (VS Code `mcp.json`). */
export const mcpClientConfigSchema = z
  .object({ mcpServers: serverMap.optional(), servers: serverMap.optional() })
  .loose()
  .refine((c) => !!c.mcpServers || !!c.servers, {
    message: 'an MCP client configuration has an `mcpServers` (or `servers`) object',
  });
export type McpClientConfig = z.infer<typeof mcpClientConfigSchema>;

// ---------------------------------------------------------------- A2A agent card

/** An A2A agent card (`/.well-known/agent-card.json`); only the fields the assessment reads. */
export const a2aAgentCardSchema = z
  .object({
    name: text().min(1).max(200),
    description: freeText.optional(),
    url: text().max(L.url).optional(),
    version: text().max(100).optional(),
    protocolVersion: text().max(50).optional(),
    provider: z
      .object({ organization: text().max(200), url: text().max(L.url).optional() })
      .loose()
      .optional(),
    capabilities: z.record(text(), storableJson()).optional(),
    securitySchemes: z.record(text().max(200), z.record(text(), storableJson())).optional(),
    security: z
      .array(z.record(text(), z.array(text())))
      .max(50)
      .optional(),
    skills: z
      .array(
        z
          .object({
            id: text().max(200),
            name: text().max(200),
            description: freeText.optional(),
            tags: z.array(text().max(200)).max(100).optional(),
          })
          .loose(),
      )
      .max(L.skills),
    /** JWS signatures over the card (A2A 0.3). */
    signatures: z
      .array(z.object({ protected: text(), signature: text() }).loose())
      .max(20)
      .optional(),
  })
  .loose();
export type A2aAgentCard = z.infer<typeof a2aAgentCardSchema>;

// ---------------------------------------------------------------- OTLP JSON traces

/** OTLP AnyValue; arrays and maps are kept as JSON (only scalars are read). */
export const otlpAnyValueSchema = z
  .object({
    stringValue: text().max(L.text).optional(),
    boolValue: z.boolean().optional(),
    intValue: z.union([text().max(40), z.number()]).optional(),
    doubleValue: z.union([z.number(), text().max(40)]).optional(),
    bytesValue: text().max(L.text).optional(),
    arrayValue: storableJson().optional(),
    kvlistValue: storableJson().optional(),
  })
  .loose();
export const otlpKeyValueSchema = z
  .object({ key: text().min(1).max(256), value: otlpAnyValueSchema.optional() })
  .loose();
export type OtlpKeyValue = z.infer<typeof otlpKeyValueSchema>;

const hexId = (n: number) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-fA-F]{${n}}$`), `must be ${n} hexadecimal characters (OTLP JSON)`);
const nanos = z.union([text().regex(/^\d{1,20}$/), z.number().int().nonnegative()]);

export const otlpSpanSchema = z
  .object({
    traceId: hexId(32),
    spanId: hexId(16),
    parentSpanId: z.union([hexId(16), z.literal('')]).optional(),
    name: text().max(500),
    kind: z.union([z.number().int(), text().max(50)]).optional(),
    startTimeUnixNano: nanos.optional(),
    endTimeUnixNano: nanos.optional(),
    attributes: z.array(otlpKeyValueSchema).max(L.attributesPerSpan).optional(),
  })
  .loose();
export type OtlpSpan = z.infer<typeof otlpSpanSchema>;

export const otlpTracesSchema = z
  .object({
    resourceSpans: z.array(
      z
        .object({
          resource: z
            .object({ attributes: z.array(otlpKeyValueSchema).max(L.attributesPerSpan).optional() })
            .loose()
            .optional(),
          scopeSpans: z
            .array(z.object({ spans: z.array(otlpSpanSchema).optional() }).loose())
            .optional(),
        })
        .loose(),
    ),
  })
  .loose()
  .superRefine((t, ctx) => {
    let n = 0;
    for (const r of t.resourceSpans) for (const s of r.scopeSpans ?? []) n += s.spans?.length ?? 0;
    if (n === 0)
      ctx.addIssue({ code: 'custom', path: ['resourceSpans'], message: 'the sample has no spans' });
    if (n > L.spans)
      ctx.addIssue({
        code: 'custom',
        path: ['resourceSpans'],
        message: `the sample has ${n} spans; at most ${L.spans}`,
      });
  });
export type OtlpTraces = z.infer<typeof otlpTracesSchema>;

// ---------------------------------------------------------------- decision log

export const DECISION_LOG_DECISIONS = ['allow', 'deny', 'approval-required'] as const;
export type DecisionLogDecision = (typeof DECISION_LOG_DECISIONS)[number];

const DECISION_WORDS: Record<string, DecisionLogDecision> = {
  allow: 'allow',
  allowed: 'allow',
  permit: 'allow',
  permitted: 'allow',
  accept: 'allow',
  accepted: 'allow',
  deny: 'deny',
  denied: 'deny',
  block: 'deny',
  blocked: 'deny',
  reject: 'deny',
  rejected: 'deny',
  refused: 'deny',
  forbid: 'deny',
  forbidden: 'deny',
  'approval-required': 'approval-required',
  approval_required: 'approval-required',
  'require-approval': 'approval-required',
  'requires-approval': 'approval-required',
  'needs-approval': 'approval-required',
  'pending-approval': 'approval-required',
  pending: 'approval-required',
  escalate: 'approval-required',
  escalated: 'approval-required',
};

const APPROVAL_WORDS: Record<string, 'approved' | 'rejected'> = {
  approved: 'approved',
  approve: 'approved',
  granted: 'approved',
  allow: 'approved',
  allowed: 'approved',
  rejected: 'rejected',
  reject: 'rejected',
  denied: 'rejected',
  deny: 'rejected',
  declined: 'rejected',
};

export const decisionApprovalSchema = z
  .object({
    /** Who reviewed: a user id, e-mail or subject (null: the log does not say). */
    reviewer: text().min(1).max(500).nullable(),
    decision: z.enum(['approved', 'rejected']),
    time: text().max(64).nullable(),
  })
  .strict();

/** One decision record, normalised (field aliases are mapped; other fields are dropped). */
export const decisionRecordSchema = z
  .object({
    time: text().max(64).nullable(),
    /** Who called: the agent or service making the call. */
    caller: shortText.nullable(),
    /** What was called: an MCP server, API, model or another agent. */
    callee: shortText.nullable(),
    tool: text().max(200).nullable(),
    policyId: text().max(200).nullable(),
    policyVersion: text().max(100).nullable(),
    decision: z.enum(DECISION_LOG_DECISIONS, {
      error: 'decision must be allow, deny or approval-required (or a known synonym)',
    }),
    /** Attributes the policy matched on (their names are what the assessment reads). */
    matchedAttributes: z.record(text().max(200), storableJson()).nullable(),
    traceId: text().max(64).nullable(),
    /** The user the action was taken for (token `sub`). */
    sub: shortText.nullable(),
    /** The agent acting for the user (RFC 8693 `act`). */
    act: shortText.nullable(),
    approvals: z.array(decisionApprovalSchema).max(L.approvalsPerRecord),
    reason: text().max(2000).nullable(),
  })
  .strict();
export type DecisionRecord = z.infer<typeof decisionRecordSchema>;

type Raw = Record<string, unknown>;
const isRaw = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const first = (o: Raw, keys: readonly string[]): unknown => {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null && o[k] !== '') return o[k];
  return undefined;
};
/** A string, or the identifying string inside a subject object ({ sub }, { id }, { name }...). */
function ident(v: unknown): unknown {
  if (typeof v === 'string' || v === undefined) return v;
  if (typeof v === 'number') return String(v);
  if (isRaw(v)) {
    const s = first(v, ['sub', 'id', 'name', 'email', 'user', 'spiffeId', 'spiffe_id']);
    return typeof s === 'string' || typeof s === 'number' ? String(s) : v;
  }
  return v;
}
const orNull = (v: unknown) => (v === undefined ? null : v);
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/i;

function normalizeApproval(a: unknown): unknown {
  if (typeof a === 'string') return { reviewer: a || null, decision: 'approved', time: null };
  if (!isRaw(a)) return a;
  const word = first(a, ['decision', 'status', 'outcome', 'result']);
  return {
    reviewer: orNull(ident(first(a, ['reviewer', 'approver', 'approvedBy', 'by', 'user', 'sub']))),
    decision: typeof word === 'string' ? (APPROVAL_WORDS[word.toLowerCase()] ?? word) : 'approved',
    time: orNull(first(a, ['time', 'at', 'timestamp', 'decidedAt'])),
  };
}

/** Map the field names gateways and policy engines use onto the record above. */
export function normalizeDecisionRecord(input: unknown): unknown {
  if (!isRaw(input)) return input;
  const o = input;
  const word = first(o, ['decision', 'verdict', 'effect', 'outcome', 'result']);
  const policy = o.policy;
  let policyId = first(o, ['policyId', 'policy_id', 'policyID']);
  let policyVersion = first(o, ['policyVersion', 'policy_version']);
  if (policyId === undefined && typeof policy === 'string') policyId = policy;
  if (isRaw(policy)) {
    policyId ??= first(policy, ['id', 'name']);
    policyVersion ??= first(policy, ['version', 'revision']);
  }
  if (typeof policyId === 'string' && policyVersion === undefined) {
    const at = /^(.+)@([\w.+-]+)$/.exec(policyId);
    if (at) {
      policyId = at[1];
      policyVersion = at[2];
    }
  }
  let traceId = first(o, ['traceId', 'trace_id', 'traceID', 'trace.id']);
  const traceparent = first(o, ['traceparent']);
  if (traceId === undefined && typeof traceparent === 'string')
    traceId = TRACEPARENT.exec(traceparent)?.[1];
  let matched = first(o, ['matchedAttributes', 'matched_attributes', 'matched', 'attributes']);
  if (Array.isArray(matched) && matched.every((m) => typeof m === 'string'))
    matched = Object.fromEntries((matched as string[]).map((k) => [k, true]));
  let approvals: unknown = first(o, ['approvals']);
  if (approvals === undefined) {
    const single = first(o, ['approval', 'approvedBy', 'approved_by']);
    approvals = single === undefined ? [] : [single];
  }
  return {
    time: orNull(first(o, ['time', 'timestamp', 'ts', '@timestamp'])),
    caller: orNull(ident(first(o, ['caller', 'source', 'from', 'client']))),
    callee: orNull(ident(first(o, ['callee', 'target', 'to', 'destination', 'server']))),
    tool: orNull(first(o, ['tool', 'toolName', 'tool_name'])),
    policyId: orNull(policyId),
    policyVersion: orNull(
      typeof policyVersion === 'number' ? String(policyVersion) : policyVersion,
    ),
    decision: typeof word === 'string' ? (DECISION_WORDS[word.toLowerCase()] ?? word) : word,
    matchedAttributes: orNull(matched),
    traceId: orNull(traceId),
    sub: orNull(ident(first(o, ['sub', 'user', 'userId', 'user_id', 'subject', 'principal']))),
    act: orNull(ident(first(o, ['act', 'agent', 'agentId', 'agent_id', 'actor']))),
    approvals: Array.isArray(approvals) ? approvals.map(normalizeApproval) : approvals,
    reason: orNull(first(o, ['reason', 'message'])),
  };
}

export const decisionLogSchema = z
  .object({
    records: z
      .array(z.preprocess(normalizeDecisionRecord, decisionRecordSchema))
      .min(1, 'the sample has no records')
      .max(L.decisionRecords),
  })
  .strict();
export type DecisionLog = z.infer<typeof decisionLogSchema>;

// ---------------------------------------------------------------- attestations

/** Facts that are configuration, not observation: they may be attested with a link. */
export const ATTESTATION_CLAIMS = [
  /** Audit records are kept at least six months and are tamper-evident. */
  'audit-retention',
  /** A documented, tested kill switch (runbook) stops or quarantines an agent. */
  'kill-switch-runbook',
  /** A written approval policy puts destructive tools behind human approval. */
  'approval-policy',
  /** Agent policies live in version control and are tested in CI before rollout. */
  'policy-as-code-ci',
  /** Approval load (queue length, time to decision, rubber-stamping) is monitored. */
  'approval-load-monitoring',
] as const;
export type AttestationClaim = (typeof ATTESTATION_CLAIMS)[number];

export const attestationSchema = z
  .object({
    claim: z.enum(ATTESTATION_CLAIMS),
    statement: text().min(1).max(2000),
    /** Where the proof lives (runbook, retention setting, CI pipeline). */
    link: z.url({ protocol: /^https?$/, error: 'link must be an http(s) URL' }).max(L.url),
    attestedBy: text().min(1).max(200),
    attestedAt: z.union([z.iso.date(), z.iso.datetime({ offset: true })]),
  })
  .strict();
export type Attestation = z.infer<typeof attestationSchema>;

export const attestationsSchema = z
  .object({ attestations: z.array(attestationSchema).min(1).max(L.attestations) })
  .strict();
export type Attestations = z.infer<typeof attestationsSchema>;

// ---------------------------------------------------------------- self-assessment

/** The five questions (one per pillar); answers 0 can't / 1 days / 2 hours / 3 minutes / 4 proven. */
export const SELF_ASSESSMENT_QUESTIONS: Record<AccountabilityPillar, string> = {
  traceability: 'For an agent action last quarter, can you produce its end-to-end chain of events?',
  'authorization-provenance': 'Can you name the exact policy and version that permitted it?',
  'identity-ownership':
    "Can you name the agent's verified identity, the user it acted for, and its accountable owner?",
  'policy-at-scale':
    'If 100 agents were added tomorrow, would existing policy govern them unedited, default-deny?',
  'human-oversight':
    'Can a human block, approve or quarantine a high-stakes action before it executes?',
};
export const SELF_ASSESSMENT_ANSWERS = [
  "can't",
  'days of manual work',
  'hours',
  'minutes, automatically',
  'continuously proven',
] as const;

const answer = z.number().int().min(0).max(4);
export const selfAssessmentSchema = z
  .object({
    /** By pillar id, or an array of five answers in question order. */
    answers: z.preprocess(
      (v) =>
        Array.isArray(v) && v.length === ACCOUNTABILITY_PILLARS.length
          ? Object.fromEntries(ACCOUNTABILITY_PILLARS.map((p, i) => [p, v[i]]))
          : v,
      z
        .object({
          traceability: answer,
          'authorization-provenance': answer,
          'identity-ownership': answer,
          'policy-at-scale': answer,
          'human-oversight': answer,
        })
        .strict(),
    ),
    designPattern: z.enum(DESIGN_PATTERNS).optional(),
    respondent: text().min(1).max(200).optional(),
  })
  .strict();
export type SelfAssessment = z.infer<typeof selfAssessmentSchema>;

// ---------------------------------------------------------------- the upload envelope

const source = text().min(1).max(500);
const upload = <K extends EvidenceKind, S extends z.ZodType>(kind: K, data: S) =>
  z.object({ kind: z.literal(kind), source, data }).strict();

export const evidenceUploadSchema = z.discriminatedUnion('kind', [
  upload('mcp-client-config', mcpClientConfigSchema),
  upload('a2a-agent-card', a2aAgentCardSchema),
  upload('otlp-traces', otlpTracesSchema),
  upload('decision-log', decisionLogSchema),
  upload('probe-report', probeReportSchema),
  upload('attestation', attestationsSchema),
  upload('self-assessment', selfAssessmentSchema),
]);
export type EvidenceUpload = z.infer<typeof evidenceUploadSchema>;

const DATA_SCHEMAS: Record<EvidenceKind, z.ZodType> = {
  'mcp-client-config': mcpClientConfigSchema,
  'a2a-agent-card': a2aAgentCardSchema,
  'otlp-traces': otlpTracesSchema,
  'decision-log': decisionLogSchema,
  'probe-report': probeReportSchema,
  attestation: attestationsSchema,
  'self-assessment': selfAssessmentSchema,
};

export function isEvidenceKind(v: string): v is EvidenceKind {
  return (EVIDENCE_KINDS as readonly string[]).includes(v);
}

/** What kind of upload a parsed JSON value looks like (null: cannot tell). */
export function detectEvidenceKind(value: unknown): EvidenceKind | null {
  if (Array.isArray(value)) return value.length && value.every(isRaw) ? 'decision-log' : null;
  if (!isRaw(value)) return null;
  if (isRaw(value.mcpServers) || isRaw(value.servers)) return 'mcp-client-config';
  if (Array.isArray(value.resourceSpans)) return 'otlp-traces';
  if (
    value.reportVersion !== undefined &&
    isRaw(value.tool) &&
    value.tool.name === 'plumbline-probe'
  )
    return 'probe-report';
  if (Array.isArray(value.attestations)) return 'attestation';
  if (value.answers !== undefined) return 'self-assessment';
  if (Array.isArray(value.records)) return 'decision-log';
  if (['decision', 'verdict', 'effect', 'outcome'].some((k) => typeof value[k] === 'string'))
    return 'decision-log';
  if (typeof value.name === 'string' && Array.isArray(value.skills)) return 'a2a-agent-card';
  return null;
}

export type EvidenceParseResult =
  { ok: true; evidence: EvidenceUpload } | { ok: false; issues: ContractIssue[] };

/** Validate an already-parsed value as an upload of `kind`. */
export function parseEvidenceValue(
  kind: EvidenceKind,
  value: unknown,
  sourceName: string,
): EvidenceParseResult {
  let data = value;
  if (kind === 'decision-log' && Array.isArray(value)) data = { records: value };
  else if (kind === 'decision-log' && isRaw(value) && value.records === undefined)
    data = { records: [value] };
  const r = DATA_SCHEMAS[kind].safeParse(data);
  if (!r.success) return { ok: false, issues: describeIssues(r.error) };
  const env = evidenceUploadSchema.safeParse({ kind, source: sourceName, data: r.data });
  return env.success
    ? { ok: true, evidence: env.data }
    : { ok: false, issues: describeIssues(env.error) };
}

/**
 * Parse and validate the text of an evidence file: JSON, or JSON Lines for decision logs (one
 * record per line; blank lines ignored). The kind is detected unless given.
 */
export function parseEvidenceText(
  textIn: string,
  sourceName: string,
  kind?: EvidenceKind,
): EvidenceParseResult {
  const fail = (message: string, path = '(root)'): EvidenceParseResult => ({
    ok: false,
    issues: [{ path, message }],
  });
  if (textIn.length > L.bytes) return fail(`larger than ${L.bytes} bytes`);
  const body = textIn.replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    const lines = body.split(/\r?\n/).filter((l) => l.trim() !== '');
    if (lines.length < 2 && kind !== 'decision-log')
      return fail(`not valid JSON: ${(e as Error).message}`);
    const records: unknown[] = [];
    for (const [i, line] of body.split(/\r?\n/).entries()) {
      if (line.trim() === '') continue;
      try {
        records.push(JSON.parse(line));
      } catch (err) {
        return fail(`line ${i + 1} is not valid JSON: ${(err as Error).message}`);
      }
    }
    if (kind && kind !== 'decision-log')
      return fail(`JSON Lines are only accepted for decision-log evidence, not ${kind}`);
    value = records;
    kind = 'decision-log';
  }
  // Unknown keys of loose records are kept: every string in the file must be storable text.
  const bad = unstorableTextPath(value);
  if (bad !== null) return fail(TEXT_PROBLEM, bad || '(root)');
  const k = kind ?? detectEvidenceKind(value);
  if (!k)
    return fail(
      `cannot tell what kind of evidence this is; name it as KIND=FILE with KIND one of ${EVIDENCE_KINDS.join(', ')}`,
    );
  return parseEvidenceValue(k, value, sourceName);
}
