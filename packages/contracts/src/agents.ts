import { z } from 'zod';
import { text } from './text.js';
import { ATTESTATION_CLAIMS, DESIGN_PATTERNS, EVIDENCE_KINDS } from './evidence.js';
import { ACCOUNTABILITY_PILLARS, ASI_CODES, type AccountabilityPillar } from './probe-report.js';

/**
 * What the AI-agent accountability assessment reports (packages/agents; `steps.agents` of the
 * AnalysisResult): the agents, MCP servers, model servers and gateways found, the evidence
 * uploads read, five pillars scored 0-4 with every criterion's status and evidence, the five
 * principles as level caps, gaps with OWASP Agentic Top 10 codes, remediations and what-if
 * levels, and the self-assessment beside the evidenced levels. Secret values never appear:
 * credentials are named by where they come from (Secret and key, or a literal's per-scan
 * fingerprint).
 */

export const AGENT_ITEM_KINDS = ['agent', 'mcp-server', 'model-server', 'gateway'] as const;
export type AgentItemKind = (typeof AGENT_ITEM_KINDS)[number];

/** Level names (Plumbline's): 0 Invisible, 1 Inventoried, 2 Attributable, 3 Enforced, 4 Verified. */
export const ACCOUNTABILITY_LEVEL_NAMES = [
  'Invisible',
  'Inventoried',
  'Attributable',
  'Enforced',
  'Verified',
] as const;

export const ACCOUNTABILITY_PILLAR_TITLES: Record<AccountabilityPillar, string> = {
  traceability: 'Traceability',
  'authorization-provenance': 'Authorization provenance',
  'identity-ownership': 'Identity & ownership',
  'policy-at-scale': 'Policy at scale',
  'human-oversight': 'Human oversight',
};

/** Tigera's five evaluation principles; each one's fail test caps a pillar. */
export const ACCOUNTABILITY_PRINCIPLES = [
  'default-deny',
  'attribute-based-policy',
  'zero-trust-identity',
  'audit-by-design',
  'kubernetes-native',
] as const;
export type AccountabilityPrinciple = (typeof ACCOUNTABILITY_PRINCIPLES)[number];

export const CRITERION_STATUSES = ['met', 'not-met', 'unknown'] as const;
export type CriterionStatus = (typeof CRITERION_STATUSES)[number];
/** How a met criterion is known: seen in the scan or an upload, or only attested. */
export const CRITERION_BASES = ['observed', 'attested'] as const;
export type CriterionBasis = (typeof CRITERION_BASES)[number];

const level = z.number().int().min(0).max(4);
const percent = z.number().min(0).max(100);
const count = z.number().int().nonnegative();

export const agentFindingSchema = z.object({ asi: z.enum(ASI_CODES), message: text() }).strict();
export type AgentFinding = z.infer<typeof agentFindingSchema>;

export const agentCredentialSchema = z
  .object({
    /** Env var or spec field that carries it, e.g. `OPENAI_API_KEY`, `spec.apiKeySecretRef`. */
    name: text(),
    source: z.enum([
      'secretKeyRef',
      'envFrom-secret',
      'secret-reference',
      'literal',
      'mcp-config-env',
      'mcp-config-header',
    ]),
    /** `namespace/name` of the Secret (null for literals). */
    secret: text().nullable(),
    key: text().nullable(),
    /** A literal value matched a credential pattern or sits in a credential-named variable. */
    looksLikeCredential: z.boolean(),
    /** Model provider the name points at (openai, anthropic, ...), when it does. */
    provider: text().nullable(),
    /** Stable label to compare credentials: `Secret ns/name[key]`, `literal fingerprint 1a2b...`. */
    id: text(),
  })
  .strict();
export type AgentCredential = z.infer<typeof agentCredentialSchema>;

export const MODEL_ROUTES = [
  'gateway',
  'in-cluster-model',
  'direct-provider',
  'internal-endpoint',
  'external-endpoint',
  'unknown',
  'none',
] as const;
export type ModelRoute = (typeof MODEL_ROUTES)[number];

export const agentItemSchema = z
  .object({
    kind: z.enum(AGENT_ITEM_KINDS),
    /** `Deployment ns/name`, `SandboxAgent ns/name`, `mcp-client-config claude.json#github`... */
    ref: text(),
    namespace: text().nullable(),
    name: text(),
    source: z.enum(['workload', 'custom-resource', 'evidence']),
    /** Framework or engine guess: langgraph, crewai, openai-agents, kagent, k8sgpt, vllm... */
    framework: text().nullable(),
    /** Why it was classified so (signal descriptions, never values). */
    signals: z.array(text()),
    serviceAccount: text().nullable(),
    /** Runs under its own ServiceAccount (not `default`, not shared with another workload). */
    dedicatedServiceAccount: z.boolean().nullable(),
    /** Effective token automount (pod spec, else ServiceAccount, else Kubernetes' default true). */
    automountToken: z.boolean().nullable(),
    credentials: z.array(agentCredentialSchema),
    /** Credential ids this item shares with another item. */
    sharedCredentials: z.array(text()),
    owner: text().nullable(),
    ownerSource: text().nullable(),
    /** False: a shadow agent (not declared to an agent platform, registry or annotation). */
    registered: z.boolean(),
    registration: text().nullable(),
    modelRoute: z.object({ route: z.enum(MODEL_ROUTES), detail: text() }).strict(),
    /** NetworkPolicy egress controls on its pods (null: no pods in the snapshot). */
    egress: z
      .object({
        isolated: z.boolean().nullable(),
        /** A public address on TCP 443 is not reachable (null: not evaluable). */
        internetBlocked: z.boolean().nullable(),
        /** Does a policy engine enforce these policies (from detection)? */
        enforced: z.boolean().nullable(),
        by: z.array(text()),
        detail: text(),
      })
      .strict()
      .nullable(),
    sandbox: z
      .object({
        sandboxed: z.boolean(),
        runtimeClassName: text().nullable(),
        via: text().nullable(),
      })
      .strict(),
    /** RBAC reach of its ServiceAccount (null: no ServiceAccount known). */
    /** Reachable from outside the cluster (LoadBalancer / NodePort Service, Ingress, Gateway
     *  API route, Istio gateway route, host network or host port): how, and what its mounted
     *  identity may do there. Null when not exposed or not a workload. Absent in results from
     *  before exposure analysis. */
    exposure: z
      .object({
        paths: z.array(z.string()),
        /** cluster-admin, wildcard rules, Secret reads, high-stakes writes (empty: none). */
        power: z.array(z.string()),
      })
      .strict()
      .nullable()
      .optional(),
    rbac: z
      .object({
        /** False when RBAC objects could not be collected. */
        known: z.boolean(),
        bindings: z.array(text()),
        clusterAdmin: z.boolean(),
        wildcard: z.boolean(),
        secretsRead: z.boolean(),
        /** High-stakes write reach, e.g. `delete deployments (cluster-wide)`. */
        writes: z.array(text()),
      })
      .strict()
      .nullable(),
    /** Images and MCP packages, and whether each is pinned (digest / exact version). */
    artifacts: z.array(
      z
        .object({
          type: z.enum(['image', 'package']),
          ref: text(),
          pinned: z.boolean(),
        })
        .strict(),
    ),
    tracing: z.object({ exporter: z.boolean().nullable(), signals: z.array(text()) }).strict(),
    /** Cryptographic or short-lived workload identity (mesh mTLS, SPIFFE, cloud workload identity). */
    workloadIdentity: text().nullable(),
    codeExecution: z.boolean(),
    autoRemediation: z.boolean(),
    tools: z.array(text()),
    findings: z.array(agentFindingSchema),
  })
  .strict();
export type AgentItem = z.infer<typeof agentItemSchema>;

export const evidenceSummarySchema = z
  .object({
    kind: z.enum(EVIDENCE_KINDS),
    source: text(),
    /** observed: uploads of what happened (traces, logs, probe runs, configs); attested: claims
     *  with a link; declared: the self-assessment. */
    basis: z.enum(['observed', 'attested', 'declared']),
    facts: z.record(text(), z.union([z.number(), text(), z.boolean(), z.null()])),
    findings: z.array(agentFindingSchema),
  })
  .strict();
export type EvidenceSummary = z.infer<typeof evidenceSummarySchema>;

export const accountabilityCriterionSchema = z
  .object({
    id: text(),
    pillar: z.enum(ACCOUNTABILITY_PILLARS),
    level: z.number().int().min(1).max(4),
    title: text(),
    status: z.enum(CRITERION_STATUSES),
    /** How a met criterion is known (null unless met). */
    basis: z.enum(CRITERION_BASES).nullable(),
    /** The scan signal or upload that can prove it. */
    proof: text(),
    /** Object refs, counts and upload names behind the status. */
    evidence: z.array(text()),
    reason: text(),
    asi: z.enum(ASI_CODES),
    /** An attestation of this claim can meet it (it is then shown as attested). */
    attestable: z.enum(ATTESTATION_CLAIMS).nullable(),
  })
  .strict();
export type AccountabilityCriterion = z.infer<typeof accountabilityCriterionSchema>;

export const accountabilityPrincipleSchema = z
  .object({
    principle: z.enum(ACCOUNTABILITY_PRINCIPLES),
    number: z.number().int().min(1).max(5),
    title: text(),
    failTest: text(),
    pillar: z.enum(ACCOUNTABILITY_PILLARS),
    /** The pillar's level cannot exceed this while the principle fails. */
    capLevel: level,
    status: z.enum(['passed', 'failed', 'unknown']),
    evidence: z.array(text()),
    reason: text(),
  })
  .strict();
export type AccountabilityPrincipleResult = z.infer<typeof accountabilityPrincipleSchema>;

export const accountabilityPillarSchema = z
  .object({
    pillar: z.enum(ACCOUNTABILITY_PILLARS),
    title: text(),
    /** Null when no agents were found. */
    level: level.nullable(),
    levelName: z.enum(ACCOUNTABILITY_LEVEL_NAMES).nullable(),
    /** The level from the criteria alone, before caps. */
    criteriaLevel: level.nullable(),
    cap: z
      .object({ principle: z.enum(ACCOUNTABILITY_PRINCIPLES), level, reason: text() })
      .strict()
      .nullable(),
    /** Share of criteria that could be evaluated (not unknown), in percent. */
    coverage: percent.nullable(),
    criteria: z.array(accountabilityCriterionSchema),
    /** Self-assessment answer for this pillar (null: not answered). */
    claimed: level.nullable(),
    /** claimed - level (positive: the claim exceeds the evidence). */
    gap: z.number().int().min(-4).max(4).nullable(),
  })
  .strict();
export type AccountabilityPillarResult = z.infer<typeof accountabilityPillarSchema>;

export const accountabilityGapSchema = z
  .object({
    pillar: z.enum(ACCOUNTABILITY_PILLARS),
    /** The criterion not met (or unknown), or null for a failed principle. */
    criterion: text().nullable(),
    principle: z.enum(ACCOUNTABILITY_PRINCIPLES).nullable(),
    level: z.number().int().min(1).max(4),
    status: z.enum(['not-met', 'unknown', 'failed']),
    title: text(),
    asi: z.enum(ASI_CODES),
    asiTitle: text(),
    remediation: text(),
    /** Set when the criterion fixes its own severity (an exposed, powerful agent is critical);
     *  otherwise read models derive it from status and level. */
    severity: z.enum(['critical', 'high']).optional(),
    /** The pillar's level if this gap alone were fixed (criteria re-run). */
    whatIfLevel: level,
    /** The overall level if this gap alone were fixed. */
    whatIfOverall: level,
  })
  .strict();
export type AccountabilityGap = z.infer<typeof accountabilityGapSchema>;

export const agentsResultSchema = z
  .object({
    status: z.enum(['assessed', 'no-agents-found']),
    message: text(),
    summary: z
      .object({
        agents: count,
        mcpServers: count,
        modelServers: count,
        gateways: count,
        shadowAgents: count,
        unownedAgents: count,
        literalCredentials: count,
        sharedCredentials: count,
      })
      .strict(),
    /** Agent platforms and model-serving components detection found. */
    platforms: z.array(z.object({ id: text(), status: text() }).strict()),
    items: z.array(agentItemSchema),
    sharedCredentials: z.array(z.object({ credential: text(), items: z.array(text()) }).strict()),
    evidence: z.array(evidenceSummarySchema),
    designPattern: z
      .object({
        pattern: z.enum(DESIGN_PATTERNS).nullable(),
        basis: z.enum(['declared', 'inferred']).nullable(),
        evidence: z.array(text()),
      })
      .strict(),
    pillars: z.array(accountabilityPillarSchema),
    principles: z.array(accountabilityPrincipleSchema),
    overall: z
      .object({
        /** The lowest pillar (null when no agents were found). */
        level: level.nullable(),
        levelName: z.enum(ACCOUNTABILITY_LEVEL_NAMES).nullable(),
        /** 25 x mean pillar level, for trends. */
        score: percent.nullable(),
        weakest: z.array(z.enum(ACCOUNTABILITY_PILLARS)),
      })
      .strict(),
    gaps: z.array(accountabilityGapSchema),
    selfAssessment: z
      .object({
        provided: z.boolean(),
        respondent: text().nullable(),
        rows: z.array(
          z
            .object({
              pillar: z.enum(ACCOUNTABILITY_PILLARS),
              question: text(),
              claimed: level.nullable(),
              evidenced: level.nullable(),
              gap: z.number().int().min(-4).max(4).nullable(),
              statement: text(),
            })
            .strict(),
        ),
      })
      .strict(),
  })
  .strict();
export type AgentsResult = z.infer<typeof agentsResultSchema>;
