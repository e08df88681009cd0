import { z } from 'zod';
import {
  accountabilityCriterionSchema,
  accountabilityPrincipleSchema,
  agentItemSchema,
  ACCOUNTABILITY_LEVEL_NAMES,
  AGENT_ITEM_KINDS,
} from './agents.js';
import {
  costAssumptionOverridesSchema,
  costAssumptionsSchema,
  integrationTaxSchema,
} from './cost.js';
import { detectedComponentSchema, networkFactsSchema, overlapSchema } from './detection.js';
import { criterionResultSchema, MATURITY_PILLARS } from './maturity.js';
import { netpolCoverageSchema, netpolNamespaceSchema } from './netpol.js';
import { ACCOUNTABILITY_PILLARS, ASI_CODES, PROBE_RESULTS } from './probe-report.js';
import { SELF_ASSESSMENT_ANSWERS } from './evidence.js';

/**
 * Responses of the read API (`/v1/orgs/:orgId/...`): what the web app, the exports and the PDF
 * report read. Every number carries the inputs it came from (ids of scans, criteria, evidence
 * refs), so a reader can follow it to its evidence. Shapes are validated in the API tests and
 * described in the generated OpenAPI document (docs/openapi.json).
 */

const level = z.number().int().min(0).max(4);
const percent = z.number().min(0).max(100);
const cents = z.number().int();
const instant = z.string();
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Cursor pagination: pass `nextCursor` back as `cursor` until it is null. */
export const pageQuerySchema = z
  .object({
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .strict();
export type PageQuery = z.infer<typeof pageQuerySchema>;
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).strict();

// ---------------------------------------------------------------- per-scan digest

/** Small digest of one analysis, stored with the scan for history, trends and diffs. */
export const scanSummarySchema = z
  .object({
    methodologyVersion: z.string(),
    collectedAt: instant,
    maturity: z
      .object({
        level,
        score: percent,
        coverage: percent,
        pillars: z.array(
          z.object({ id: z.enum(MATURITY_PILLARS), name: z.string(), level }).strict(),
        ),
      })
      .strict(),
    accountability: z
      .object({
        status: z.enum(['assessed', 'no-agents-found']),
        level: level.nullable(),
        score: percent.nullable(),
        agents: z.number().int().nonnegative(),
        shadowAgents: z.number().int().nonnegative(),
      })
      .strict(),
    taxCents: cents,
    components: z.number().int().nonnegative(),
    replicas: z.number().int().nonnegative(),
    networkPolicy: z.object({ ingress: percent.nullable(), egress: percent.nullable() }).strict(),
    /** Ids of the findings (see findingSchema.id) with their severities. */
    findings: z.record(z.string(), z.enum(SEVERITIES)),
  })
  .strict();
export type ScanSummary = z.infer<typeof scanSummarySchema>;

// ---------------------------------------------------------------- findings and actions

/** A finding from either assessment, in one shape (exports, diffs, actions). */
export const findingSchema = z
  .object({
    /** Stable across scans: `maturity/<finding id>` or `accountability/<pillar>/<criterion|principle>`. */
    id: z.string(),
    domain: z.enum(['maturity', 'accountability']),
    pillar: z.string(),
    pillarName: z.string(),
    kind: z.string(),
    severity: z.enum(SEVERITIES),
    title: z.string(),
    detail: z.string(),
    remediation: z.string(),
    evidence: z.array(z.string()),
    /** OWASP Agentic Security Initiative code (accountability findings). */
    asi: z.enum(ASI_CODES).nullable(),
    currentLevel: level,
    /** The pillar level if this finding alone were fixed. */
    whatIfLevel: level,
  })
  .strict();
export type Finding = z.infer<typeof findingSchema>;

export const actionSchema = z
  .object({
    rank: z.number().int().positive(),
    id: z.string(),
    domain: z.enum(['maturity', 'accountability', 'cost']),
    title: z.string(),
    remediation: z.string(),
    severity: z.enum(SEVERITIES),
    pillar: z.string().nullable(),
    pillarName: z.string().nullable(),
    /** Clusters where the finding was seen (by name). */
    clusters: z.array(z.string()),
    effect: z
      .object({
        /** Organisation level before and after (fix everywhere it appears), or null. */
        level: z
          .object({
            assessment: z.enum(['operational-maturity', 'accountability']),
            from: level,
            to: level,
          })
          .strict()
          .nullable(),
        pillar: z.object({ from: level, to: level }).strict().nullable(),
        /** Yearly integration-tax saving in cents (cost actions). */
        savesCentsPerYear: cents.nullable(),
      })
      .strict(),
    /** In words: why it ranks where it does. */
    why: z.string(),
    evidence: z.array(z.string()),
  })
  .strict();
export type Action = z.infer<typeof actionSchema>;
export const actionsResponseSchema = z
  .object({
    computedAt: instant.nullable(),
    ordering: z.string(),
    items: z.array(actionSchema),
  })
  .strict();
export type ActionsResponse = z.infer<typeof actionsResponseSchema>;

// ---------------------------------------------------------------- organisation overview

export const trendPointSchema = z
  .object({
    at: instant,
    maturityLevel: level.nullable(),
    maturityScore: percent.nullable(),
    accountabilityLevel: level.nullable(),
    taxCents: cents.nullable(),
    /** The methodology the point was computed under (null on points stored before it). */
    methodologyVersion: z.string().nullable().default(null),
    /**
     * What changed in the method rather than in the clusters since the point before: a new
     * methodology or cost model, cost assumptions edited (with the values). Shown on the trends
     * so a step that comes from an edit is never read as the fleet getting better or worse.
     */
    changes: z.array(z.string()).default([]),
  })
  .strict();
export type TrendPoint = z.infer<typeof trendPointSchema>;

export const fleetClusterSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    production: z.boolean(),
    level: level.nullable(),
    score: percent.nullable(),
    lowestPillar: z.object({ id: z.string(), name: z.string(), level }).strict().nullable(),
    /** NetworkPolicy isolation of application replicas (ingress/egress), percent: the figure the maturity criteria judge. */
    coverage: z
      .object({ ingress: percent.nullable(), egress: percent.nullable() })
      .strict()
      .nullable(),
    accountabilityLevel: level.nullable(),
    agents: z.number().int().nonnegative(),
    taxCents: cents.nullable(),
    lastScanAt: instant.nullable(),
    /** Status of the newest scan (it may still be running or have failed). */
    status: z.enum(['never-scanned', 'queued', 'running', 'succeeded', 'failed']),
    /** The scan whose analysis is shown (newest succeeded). */
    scanId: z.string().nullable(),
  })
  .strict();
export type FleetCluster = z.infer<typeof fleetClusterSchema>;

export const rollupStatusSchema = z
  .object({
    status: z.enum(['ok', 'failed', 'pending']),
    error: z.string().nullable(),
    failedAt: instant.nullable(),
    skippedEvidence: z.array(
      z.object({ id: z.string(), filename: z.string(), reason: z.string() }).strict(),
    ),
  })
  .strict();
export type RollupStatus = z.infer<typeof rollupStatusSchema>;

const pillarLevelSchema = z.object({ id: z.string(), name: z.string(), level }).strict();

export const overviewSchema = z
  .object({
    organization: z.object({ id: z.string(), name: z.string() }).strict(),
    computedAt: instant.nullable(),
    methodologyVersion: z.string(),
    maturity: z
      .object({
        level,
        score: percent,
        basis: z.string(),
        pillars: z.array(pillarLevelSchema),
        lowest: z.array(pillarLevelSchema),
      })
      .strict()
      .nullable(),
    accountability: z
      .object({
        status: z.enum(['assessed', 'no-agents-found']),
        agents: z.number().int().nonnegative(),
        level: level.nullable(),
        pillars: z.array(
          z
            .object({
              id: z.enum(ACCOUNTABILITY_PILLARS),
              name: z.string(),
              level: level.nullable(),
            })
            .strict(),
        ),
        lowest: z.array(z.enum(ACCOUNTABILITY_PILLARS)),
      })
      .strict()
      .nullable(),
    integrationTax: z
      .object({
        totalCents: cents,
        components: z.array(z.object({ id: z.string(), label: z.string(), cents }).strict()),
        tools: z.number().int().nonnegative(),
        seams: z.number().int().nonnegative(),
        /** The biggest component, in words: where the tax hides. */
        hides: z.string(),
      })
      .strict()
      .nullable(),
    clusters: z.array(fleetClusterSchema),
    trends: z.array(trendPointSchema),
    topActions: z.array(actionSchema),
    /**
     * How the organisation roll-up stands: `failed` with the reason when the last one failed
     * (the figures shown are from the last good one), and the evidence uploads it left out.
     */
    rollup: rollupStatusSchema.optional(),
  })
  .strict();
export type Overview = z.infer<typeof overviewSchema>;

// ---------------------------------------------------------------- cluster detail

export const clusterDetailSchema = z
  .object({
    cluster: z
      .object({
        id: z.string(),
        name: z.string(),
        production: z.boolean(),
        lastScanAt: instant.nullable(),
      })
      .strict(),
    /** The newest scan, whatever its status. */
    latestScan: z
      .object({
        id: z.string(),
        status: z.string(),
        createdAt: instant,
        error: z.string().nullable(),
      })
      .strict()
      .nullable(),
    /** The scan shown below (newest succeeded); null until one succeeds. */
    scan: z
      .object({
        id: z.string(),
        collectedAt: instant.nullable(),
        createdAt: instant,
        methodologyVersion: z.string().nullable(),
      })
      .strict()
      .nullable(),
    stack: z
      .object({
        layers: z.array(
          z
            .object({
              category: z.string(),
              components: z.array(
                detectedComponentSchema.extend({ overlapsWith: z.array(z.string()) }),
              ),
            })
            .strict(),
        ),
        overlaps: z.array(overlapSchema),
        network: networkFactsSchema,
      })
      .strict()
      .nullable(),
    networkPolicy: z
      .object({
        enforcement: z
          .object({
            enforced: z.boolean().nullable(),
            engines: z.array(z.string()),
            reason: z.string(),
          })
          .strict(),
        coverage: netpolCoverageSchema,
        namespaces: z.array(netpolNamespaceSchema),
      })
      .strict()
      .nullable(),
    maturity: z
      .object({
        level,
        score: percent,
        coverage: percent,
        cncfStage: z.string(),
        pillars: z.array(
          z
            .object({
              id: z.enum(MATURITY_PILLARS),
              name: z.string(),
              level,
              score: percent,
              coverage: percent,
              cappedBy: z.string().nullable(),
              criteria: z.array(criterionResultSchema),
            })
            .strict(),
        ),
      })
      .strict()
      .nullable(),
    accountability: z
      .object({
        status: z.enum(['assessed', 'no-agents-found']),
        level: level.nullable(),
        agents: z.number().int().nonnegative(),
        shadowAgents: z.number().int().nonnegative(),
      })
      .strict()
      .nullable(),
    cost: z
      .object({
        totalCents: cents,
        lines: z.array(
          z.object({ id: z.string(), label: z.string(), cents, formula: z.string() }).strict(),
        ),
      })
      .strict()
      .nullable(),
    findings: z.array(findingSchema),
  })
  .strict();
export type ClusterDetail = z.infer<typeof clusterDetailSchema>;

export const historyEntrySchema = z
  .object({
    scanId: z.string(),
    status: z.string(),
    createdAt: instant,
    collectedAt: instant.nullable(),
    summary: scanSummarySchema.nullable(),
  })
  .strict();
export type HistoryEntry = z.infer<typeof historyEntrySchema>;
export const historyPageSchema = pageOf(historyEntrySchema);

export const scanDiffSchema = z
  .object({
    /** scanId null: the cluster's first analysed scan (everything in it is new). */
    from: z.object({ scanId: z.string().nullable(), collectedAt: instant.nullable() }).strict(),
    to: z.object({ scanId: z.string(), collectedAt: instant.nullable() }).strict(),
    /** In `to`, not in `from`, and never seen before `from`. */
    new: z.array(findingSchema),
    /** In `from`, not in `to`. */
    fixed: z.array(findingSchema),
    /** In `to`, not in `from`, but seen in an earlier scan (it came back), or worse in severity. */
    regressed: z.array(findingSchema.extend({ reason: z.string() })),
    unchanged: z.number().int().nonnegative(),
    levels: z
      .object({
        maturity: z.object({ from: level.nullable(), to: level }).strict(),
        accountability: z.object({ from: level.nullable(), to: level.nullable() }).strict(),
        taxCents: z.object({ from: cents.nullable(), to: cents }).strict(),
      })
      .strict(),
  })
  .strict();
export type ScanDiff = z.infer<typeof scanDiffSchema>;

// ---------------------------------------------------------------- agents

export const probeRunSchema = z
  .object({
    evidenceId: z.string(),
    filename: z.string(),
    uploadedAt: instant,
    passed: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    inconclusive: z.number().int().nonnegative(),
    scenarios: z.array(
      z
        .object({
          id: z.string(),
          title: z.string(),
          asi: z.enum(ASI_CODES),
          pillar: z.enum(ACCOUNTABILITY_PILLARS),
          mustBlock: z.boolean(),
          actualOutcome: z.string(),
          attributable: z.boolean(),
          result: z.enum(PROBE_RESULTS),
          reasons: z.array(z.string()),
        })
        .strict(),
    ),
  })
  .strict();
export type ProbeRun = z.infer<typeof probeRunSchema>;

export const claimedVsEvidencedSchema = z
  .object({
    pillar: z.enum(ACCOUNTABILITY_PILLARS),
    name: z.string(),
    question: z.string(),
    claimed: level.nullable(),
    evidenced: level.nullable(),
    /** claimed - evidenced; positive: the claim exceeds the evidence. */
    gap: z.number().int().min(-4).max(4).nullable(),
  })
  .strict();

export const agentsViewItemSchema = agentItemSchema.extend({ cluster: z.string() });
export type AgentsViewItem = z.infer<typeof agentsViewItemSchema>;
export const agentsViewPrincipleSchema = accountabilityPrincipleSchema.extend({
  cluster: z.string(),
});
export type AgentsViewPrinciple = z.infer<typeof agentsViewPrincipleSchema>;
export const agentsViewFindingSchema = findingSchema.extend({ cluster: z.string() });
export type AgentsViewFinding = z.infer<typeof agentsViewFindingSchema>;

/**
 * The whole agents view as the roll-up stores it (every item, principle and finding of the
 * fleet): what the PDF report prints. The API serves it in pages: `GET agents` answers
 * `agentsResponseSchema` (the first page of each list), `GET agents/:list` the next ones
 * (`agentsPageSchema`).
 */
export const agentsOverviewSchema = z
  .object({
    computedAt: instant.nullable(),
    status: z.enum(['assessed', 'no-agents-found']),
    summary: z
      .object({
        agents: z.number().int().nonnegative(),
        mcpServers: z.number().int().nonnegative(),
        modelServers: z.number().int().nonnegative(),
        gateways: z.number().int().nonnegative(),
        shadowAgents: z.number().int().nonnegative(),
        unownedAgents: z.number().int().nonnegative(),
        sharedCredentials: z.number().int().nonnegative(),
      })
      .strict(),
    overall: z
      .object({
        level: level.nullable(),
        levelName: z.enum(ACCOUNTABILITY_LEVEL_NAMES).nullable(),
        weakest: z.array(z.enum(ACCOUNTABILITY_PILLARS)),
      })
      .strict(),
    pillars: z.array(
      z
        .object({
          pillar: z.enum(ACCOUNTABILITY_PILLARS),
          name: z.string(),
          level: level.nullable(),
          /** The cluster whose level this is (the weakest one). */
          cluster: z.string().nullable(),
          criteria: z.array(accountabilityCriterionSchema),
        })
        .strict(),
    ),
    principles: z.array(agentsViewPrincipleSchema),
    items: z.array(agentsViewItemSchema),
    findings: z.array(agentsViewFindingSchema),
    claimedVsEvidenced: z.array(claimedVsEvidencedSchema),
    probes: z.array(probeRunSchema),
  })
  .strict();
export type AgentsOverview = z.infer<typeof agentsOverviewSchema>;

/** The agents view's long lists, served in pages (`GET agents/:list`). */
export const AGENTS_LISTS = ['items', 'findings', 'principles'] as const;
export type AgentsList = (typeof AGENTS_LISTS)[number];
/** Entries of each list in `GET agents`, and the default `limit` of `GET agents/:list`. */
export const AGENTS_PAGE_SIZE = 50;
/** The largest `limit` of `GET agents/:list`. */
export const AGENTS_PAGE_MAX = 200;

const listTotal = z.number().int().nonnegative();
/** A page's place in its list: all entries (after filters) and the cursor of the next page. */
const agentsListPlaceSchema = z
  .object({
    total: listTotal,
    /** Pass back as `cursor` to `GET agents/:list` for the next page; null: no more. */
    nextCursor: z.string().nullable(),
  })
  .strict();

/**
 * `GET agents`: the agents view with only the first page (`AGENTS_PAGE_SIZE` entries at most) of
 * each long list (`items`, `findings`, `principles`), and in `pages` each list's total and the
 * cursor of its second page. The small parts (summary, levels, pillars with their criteria,
 * claimed vs evidenced, probe runs) are whole. Order: items and principles as stored (cluster by
 * cluster); findings worst first (severity, then ASI code, title and id, then as stored), so the
 * first page holds the fleet's most severe gaps and one gap's clusters are adjacent.
 */
export const agentsResponseSchema = agentsOverviewSchema.extend({
  pages: z
    .object({
      items: agentsListPlaceSchema,
      findings: agentsListPlaceSchema,
      principles: agentsListPlaceSchema,
    })
    .strict(),
});
export type AgentsResponse = z.infer<typeof agentsResponseSchema>;

/** An opaque cursor: the `nextCursor` of the page before. */
const agentsCursor = z
  .string()
  .regex(/^\d{1,9}$/, 'not a cursor of this list: pass back a nextCursor of it');

/**
 * `GET agents/:list?limit=&cursor=`: filters narrow the list (and its total): `pillar` the
 * findings and principles, `kind` and `shadow` (true: not declared to any agent platform) the
 * items.
 */
export const agentsPageQuerySchema = z
  .object({
    cursor: agentsCursor.optional(),
    limit: z.coerce.number().int().min(1).max(AGENTS_PAGE_MAX).optional(),
    pillar: z.enum(ACCOUNTABILITY_PILLARS).optional(),
    kind: z.enum(AGENT_ITEM_KINDS).optional(),
    shadow: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  })
  .strict();
export type AgentsPageQuery = z.infer<typeof agentsPageQuerySchema>;

const pageOfList = <L extends AgentsList, T extends z.ZodType>(list: L, entry: T) =>
  z
    .object({
      /** The roll-up the page is of: a different one than the page before's means the view changed. */
      computedAt: instant,
      list: z.literal(list),
      items: z.array(entry),
      total: listTotal,
      nextCursor: z.string().nullable(),
    })
    .strict();

/** One page of one of the agents view's lists, in the order of `GET agents`. */
export const agentsPageSchema = z.discriminatedUnion('list', [
  pageOfList('items', agentsViewItemSchema),
  pageOfList('findings', agentsViewFindingSchema),
  pageOfList('principles', agentsViewPrincipleSchema),
]);
export type AgentsPage = z.infer<typeof agentsPageSchema>;
/** A page of one list, by its name. */
export type AgentsPageOf<L extends AgentsList> = Extract<AgentsPage, { list: L }>;
/** An entry of each list, by the list's name. */
export interface AgentsListEntry {
  items: AgentsViewItem;
  findings: AgentsViewFinding;
  principles: AgentsViewPrinciple;
}

// ---------------------------------------------------------------- self-assessment

export const selfAssessmentAnswersSchema = z
  .object({
    traceability: level,
    'authorization-provenance': level,
    'identity-ownership': level,
    'policy-at-scale': level,
    'human-oversight': level,
  })
  .strict();
export const putSelfAssessmentRequestSchema = z
  .object({
    answers: selfAssessmentAnswersSchema,
  })
  .strict();
export type PutSelfAssessmentRequest = z.infer<typeof putSelfAssessmentRequestSchema>;

export const selfAssessmentRecordSchema = z
  .object({
    id: z.string(),
    answers: selfAssessmentAnswersSchema,
    /** User id of who answered. */
    answeredBy: z.string().nullable(),
    createdAt: instant,
  })
  .strict();

export const selfAssessmentResponseSchema = z
  .object({
    questions: z.array(
      z
        .object({ pillar: z.enum(ACCOUNTABILITY_PILLARS), name: z.string(), question: z.string() })
        .strict(),
    ),
    answerScale: z.array(
      z.object({ value: level, label: z.enum(SELF_ASSESSMENT_ANSWERS) }).strict(),
    ),
    current: selfAssessmentRecordSchema.nullable(),
    claimedVsEvidenced: z.array(claimedVsEvidencedSchema),
  })
  .strict();
export type SelfAssessmentResponse = z.infer<typeof selfAssessmentResponseSchema>;
export const selfAssessmentHistorySchema = pageOf(selfAssessmentRecordSchema);

// ---------------------------------------------------------------- cost

export const putCostAssumptionsRequestSchema = z
  .object({
    /** The full set of overrides (replaces the previous ones); {} resets to the defaults. */
    overrides: costAssumptionOverridesSchema,
  })
  .strict();
export type PutCostAssumptionsRequest = z.infer<typeof putCostAssumptionsRequestSchema>;

export const costResponseSchema = z
  .object({
    computedAt: instant.nullable(),
    /** null until the organisation has an analysed scan. */
    integrationTax: integrationTaxSchema.nullable(),
    assumptions: z
      .object({
        version: z.number().int().nonnegative(),
        updatedAt: instant.nullable(),
        overrides: costAssumptionOverridesSchema,
        effective: costAssumptionsSchema,
        defaults: z.array(
          z
            .object({
              key: z.string(),
              default: z.union([
                z.number(),
                z.string(),
                z.boolean(),
                z.record(z.string(), z.number()),
              ]),
              source: z.string(),
              overridden: z.boolean(),
            })
            .strict(),
        ),
      })
      .strict(),
    vms: z.unknown().nullable(),
  })
  .strict();
export type CostResponse = z.infer<typeof costResponseSchema>;

export const EXPORT_FORMATS = ['json', 'csv', 'sarif', 'policyreport'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const exportQuerySchema = z.object({ format: z.enum(EXPORT_FORMATS) }).strict();
