import { z } from 'zod';
import { storableJson, text } from './text.js';
import { type ContractIssue, describeIssues } from './cluster-snapshot.js';

/**
 * ProbeReport: what `plumbline-probe run` proves about an agent's governance, and the evidence.
 *
 * The probe replaces only the model with a deterministic stub that asks for scripted (including
 * malicious) tool calls, runs the agent's real harness, and records with a canary MCP server
 * which tools actually ran. One report per run; the SaaS accepts it later as accountability
 * evidence, so it is strict, versioned by `reportVersion` and bounded in size. The runner supplies
 * every time stamp (this package reads no clock).
 */
export const PROBE_REPORT_VERSION = 1 as const;

/** OWASP Top 10 for Agentic Applications (2026). */
export const ASI_CODES = [
  'ASI01',
  'ASI02',
  'ASI03',
  'ASI04',
  'ASI05',
  'ASI06',
  'ASI07',
  'ASI08',
  'ASI09',
  'ASI10',
] as const;
export type AsiCode = (typeof ASI_CODES)[number];
export const ASI_TITLES: Record<AsiCode, string> = {
  ASI01: 'Agent Goal Hijack',
  ASI02: 'Tool Misuse and Exploitation',
  ASI03: 'Identity and Privilege Abuse',
  ASI04: 'Agentic Supply Chain Vulnerabilities',
  ASI05: 'Unexpected Code Execution',
  ASI06: 'Memory and Context Poisoning',
  ASI07: 'Insecure Inter-Agent Communication',
  ASI08: 'Cascading Failures',
  ASI09: 'Human-Agent Trust Exploitation',
  ASI10: 'Rogue Agents',
};

/** The five AI-agent accountability pillars. */
export const ACCOUNTABILITY_PILLARS = [
  'traceability',
  'authorization-provenance',
  'identity-ownership',
  'policy-at-scale',
  'human-oversight',
] as const;
export type AccountabilityPillar = (typeof ACCOUNTABILITY_PILLARS)[number];

/** Whether a string (a stored or typed pillar id) is one of the five accountability pillars. */
export const isAccountabilityPillar = (id: string): id is AccountabilityPillar =>
  (ACCOUNTABILITY_PILLARS as readonly string[]).includes(id);

/** What a governed agent should do with a scenario's probe call(s). */
export const PROBE_EXPECTED_OUTCOMES = ['blocked', 'approval-required', 'allowed'] as const;
export type ProbeExpectedOutcome = (typeof PROBE_EXPECTED_OUTCOMES)[number];

/** What the evidence shows the agent did. */
export const PROBE_ACTUAL_OUTCOMES = [
  /** A probe call reached the tool server (the canary recorded it). */
  'executed',
  /** The model asked for the probe call, the tool never ran, and no approval was requested. */
  'blocked-before-execution',
  /** The tool never ran and the agent recorded that it waits for (or was refused) approval. */
  'approval-requested',
  /** The model never got to ask for the probe call (agent failed early, tool not offered...). */
  'not-exercised',
] as const;
export type ProbeActualOutcome = (typeof PROBE_ACTUAL_OUTCOMES)[number];

export const PROBE_RESULTS = ['pass', 'fail', 'inconclusive'] as const;
export type ProbeResult = (typeof PROBE_RESULTS)[number];

export const PROBE_DECISIONS = ['allow', 'deny', 'approval-required'] as const;
export type ProbeDecision = (typeof PROBE_DECISIONS)[number];

export const PROBE_DECISION_SOURCES = ['stdout', 'stderr', 'decision-log', 'tool-result'] as const;

export const PROBE_CALL_VARIANTS = [
  'unadvertised-tool',
  'out-of-schema-arguments',
  'cross-tenant-object',
  'injection-in-arguments',
] as const;
export type ProbeCallVariant = (typeof PROBE_CALL_VARIANTS)[number];

/** Bounds that keep a report small enough to upload as evidence. */
export const PROBE_REPORT_LIMITS = {
  scenarios: 200,
  callsPerScenario: 100,
  decisionsPerScenario: 200,
  reasonsPerScenario: 20,
  text: 2000,
  arguments: 16_000,
} as const;

const L = PROBE_REPORT_LIMITS;
const id = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes');
const toolName = text().min(1).max(128);
const freeText = text().max(L.text);
const instant = z.iso.datetime({ offset: true });
const count = z.number().int().nonnegative();

/** A tool call the stub model asked the agent to make (`arguments` exactly as sent: a JSON string). */
export const probeModelToolCallSchema = z
  .object({
    step: count,
    callId: text().min(1).max(128),
    tool: toolName,
    arguments: text().max(L.arguments),
    variant: z.enum(PROBE_CALL_VARIANTS).nullable(),
    /** False for the benign set-up calls of a scenario (their outcome is not judged). */
    probe: z.boolean(),
    /** Whether the agent had offered this tool to the model. */
    advertised: z.boolean(),
  })
  .strict();
export type ProbeModelToolCall = z.infer<typeof probeModelToolCallSchema>;

/** A `tools/call` the canary MCP server received (`arguments` is an object, as in MCP). */
export const probeCanaryCallSchema = z
  .object({
    tool: toolName,
    arguments: z.record(text(), storableJson()),
    /** W3C trace context header received with the call, if any. */
    traceparent: text().max(256).nullable(),
    sessionId: text().max(256).nullable(),
    at: instant,
    /** False when the canary had no such tool (it still records the attempt). */
    knownTool: z.boolean(),
    /** Whether the arguments matched the tool's input schema (the canary runs it anyway). */
    schemaValid: z.boolean(),
    /** Whether this call matched one of the scenario's probe calls. */
    probe: z.boolean(),
  })
  .strict();
export type ProbeCanaryCall = z.infer<typeof probeCanaryCallSchema>;

/** A governance decision the agent reported (decision log, output, or tool result). */
export const probeDecisionRecordSchema = z
  .object({
    source: z.enum(PROBE_DECISION_SOURCES),
    decision: z.enum(PROBE_DECISIONS),
    tool: toolName.nullable(),
    policyId: text().min(1).max(200).nullable(),
    policyVersion: text().min(1).max(100).nullable(),
    reason: freeText.nullable(),
  })
  .strict();
export type ProbeDecisionRecord = z.infer<typeof probeDecisionRecordSchema>;

export const probeScenarioResultSchema = z
  .object({
    id,
    title: text().min(1).max(200),
    asi: z.enum(ASI_CODES),
    pillar: z.enum(ACCOUNTABILITY_PILLARS),
    expectedOutcome: z.enum(PROBE_EXPECTED_OUTCOMES),
    /** True when the expected outcome is not `allowed`: executing it is a governance failure. */
    mustBlock: z.boolean(),
    actualOutcome: z.enum(PROBE_ACTUAL_OUTCOMES),
    /** A non-allow decision naming a policy id was recorded for the probe tool. */
    attributable: z.boolean(),
    result: z.enum(PROBE_RESULTS),
    /** Why the result is what it is, in plain words. */
    reasons: z.array(freeText).max(L.reasonsPerScenario),
    agent: z
      .object({
        exitCode: z.number().int().nullable(),
        signal: text().max(32).nullable(),
        timedOut: z.boolean(),
        durationMs: count,
      })
      .strict(),
    evidence: z
      .object({
        modelRequests: z.object({ total: count, streamed: count }).strict(),
        modelToolCalls: z.array(probeModelToolCallSchema).max(L.callsPerScenario),
        canaryCalls: z.array(probeCanaryCallSchema).max(L.callsPerScenario),
        decisions: z.array(probeDecisionRecordSchema).max(L.decisionsPerScenario),
        /** Whether every canary call carried a `traceparent` (null: no canary call). */
        traceparentPropagated: z.boolean().nullable(),
        /** Evidence lists were cut to the limits above. */
        truncated: z.boolean(),
      })
      .strict(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.mustBlock !== (s.expectedOutcome !== 'allowed')) {
      ctx.addIssue({
        code: 'custom',
        path: ['mustBlock'],
        message: 'mustBlock must be true exactly when expectedOutcome is not "allowed"',
      });
    }
    if (s.mustBlock && s.actualOutcome === 'executed' && s.result !== 'fail') {
      ctx.addIssue({
        code: 'custom',
        path: ['result'],
        message: 'a must-block scenario that executed cannot pass',
      });
    }
  });
export type ProbeScenarioResult = z.infer<typeof probeScenarioResultSchema>;

export const probeReportSchema = z
  .object({
    reportVersion: z.literal(PROBE_REPORT_VERSION, {
      error: `reportVersion must be ${PROBE_REPORT_VERSION}`,
    }),
    tool: z.object({ name: z.literal('plumbline-probe'), version: text().min(1).max(50) }).strict(),
    /** Version of the scenario catalogue the run used. */
    catalogueVersion: text().min(1).max(50),
    runner: z.object({ node: text().min(1).max(50), platform: text().min(1).max(50) }).strict(),
    startedAt: instant,
    finishedAt: instant,
    agent: z
      .object({
        command: text().min(1).max(L.text),
        /** Whether the agent was asked to stream (PLUMBLINE_PROBE_STREAMING). */
        streaming: z.boolean(),
        timeoutMs: z.number().int().positive(),
      })
      .strict(),
    summary: z
      .object({
        total: count,
        passed: count,
        failed: count,
        inconclusive: count,
        /** Scenarios that must be blocked but executed: any makes the run fail. */
        mustBlockExecuted: count,
        exitCode: z.number().int().nonnegative(),
      })
      .strict(),
    scenarios: z.array(probeScenarioResultSchema).min(1).max(L.scenarios),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (Date.parse(r.finishedAt) < Date.parse(r.startedAt)) {
      ctx.addIssue({
        code: 'custom',
        path: ['finishedAt'],
        message: 'finishedAt is before startedAt',
      });
    }
    const seen = new Set<string>();
    r.scenarios.forEach((s, i) => {
      if (seen.has(s.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['scenarios', i, 'id'],
          message: `duplicate scenario ${s.id}`,
        });
      }
      seen.add(s.id);
    });
    const expected = summarizeProbeResults(r.scenarios);
    for (const key of ['total', 'passed', 'failed', 'inconclusive', 'mustBlockExecuted'] as const) {
      if (r.summary[key] !== expected[key]) {
        ctx.addIssue({
          code: 'custom',
          path: ['summary', key],
          message: `summary.${key} is ${r.summary[key]} but the scenarios give ${expected[key]}`,
        });
      }
    }
  });
export type ProbeReport = z.infer<typeof probeReportSchema>;

/** Counts of a list of scenario results (the report's summary without the exit code). */
export function summarizeProbeResults(
  scenarios: readonly Pick<ProbeScenarioResult, 'result' | 'mustBlock' | 'actualOutcome'>[],
): Omit<ProbeReport['summary'], 'exitCode'> {
  return {
    total: scenarios.length,
    passed: scenarios.filter((s) => s.result === 'pass').length,
    failed: scenarios.filter((s) => s.result === 'fail').length,
    inconclusive: scenarios.filter((s) => s.result === 'inconclusive').length,
    mustBlockExecuted: scenarios.filter((s) => s.mustBlock && s.actualOutcome === 'executed')
      .length,
  };
}

/** Validate a probe report; on failure, a readable list of the first problems. */
export function parseProbeReport(
  input: unknown,
): { ok: true; report: ProbeReport } | { ok: false; issues: ContractIssue[] } {
  const r = probeReportSchema.safeParse(input);
  return r.success ? { ok: true, report: r.data } : { ok: false, issues: describeIssues(r.error) };
}
