import { z } from 'zod';
import {
  actionSchema,
  agentsOverviewSchema,
  clusterDetailSchema,
  costResponseSchema,
  overviewSchema,
  scanDiffSchema,
} from './read-api.js';
import { planBodySchema, planTargetSchema } from './plan.js';
import { riskAcceptanceSchema } from './risk.js';

/**
 * The leadership PDF report: what is requested through the API, and the data the worker injects
 * into the report page of the web app before printing it (`report.render` job). The data is read
 * through the same read models as the API, so the PDF and the app show the same numbers.
 */

export const PAPER_SIZES = ['A4', 'Letter'] as const;
export type PaperSize = (typeof PAPER_SIZES)[number];
export const REPORT_STATUSES = ['queued', 'rendering', 'ready', 'failed'] as const;

export const createReportRequestSchema = z
  .object({
    /** Omitted: the whole organisation. */
    clusterId: z.uuid().optional(),
    paperSize: z.enum(PAPER_SIZES).default('A4'),
  })
  .strict();
export type CreateReportRequest = z.infer<typeof createReportRequestSchema>;

export const reportRecordSchema = z
  .object({
    id: z.string(),
    clusterId: z.string().nullable(),
    scope: z.string(),
    status: z.enum(REPORT_STATUSES),
    paperSize: z.enum(PAPER_SIZES),
    pageCount: z.number().int().nullable(),
    /** Why it failed, in words (null unless failed). */
    error: z.string().nullable(),
    requestedById: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .strict();
export type ReportRecord = z.infer<typeof reportRecordSchema>;
export const reportListSchema = z
  .object({ items: z.array(reportRecordSchema), nextCursor: z.string().nullable() })
  .strict();

export const REPORT_DATA_VERSION = 1 as const;

/** One cluster's plan to its next level, as the report prints it. */
export const reportPlanSchema = z
  .object({
    clusterId: z.string(),
    clusterName: z.string(),
    planId: z.string(),
    /** ready: a plan; unreachable: why the next level is out of reach from the scan. */
    status: z.enum(['ready', 'unreachable']),
    reason: z.string().nullable(),
    target: planTargetSchema,
    plan: planBodySchema.nullable(),
    /** The generated objects' verification, in numbers (null: every step is manual). */
    verification: z
      .object({
        objects: z.number().int().min(0),
        levelsAsPromised: z.boolean(),
        checked: z.number().int().min(0),
        cut: z.number().int().min(0),
      })
      .strict()
      .nullable(),
  })
  .strict();
export type ReportPlan = z.infer<typeof reportPlanSchema>;

export const reportDataSchema = z
  .object({
    reportVersion: z.literal(REPORT_DATA_VERSION),
    reportId: z.string(),
    generatedAt: z.string(),
    paperSize: z.enum(PAPER_SIZES),
    organization: z.object({ id: z.string(), name: z.string() }).strict(),
    /** The whole organisation, or one cluster. */
    scope: z
      .object({
        kind: z.enum(['organization', 'cluster']),
        clusterId: z.string().nullable(),
        label: z.string(),
      })
      .strict(),
    coverage: z
      .object({
        clusters: z.number().int().nonnegative(),
        analysed: z.number().int().nonnegative(),
        newestScanAt: z.string().nullable(),
        oldestScanAt: z.string().nullable(),
        evidenceUploads: z.number().int().nonnegative(),
      })
      .strict(),
    methodologyVersion: z.string(),
    overview: overviewSchema,
    /** Three to five, from the ranked actions (fewer only when fewer exist). */
    topActions: z.array(actionSchema),
    agents: agentsOverviewSchema,
    cost: costResponseSchema,
    clusters: z.array(clusterDetailSchema),
    /** Since the previous ready report of the same scope (null: this is the first). */
    sincePrevious: z
      .object({
        previousReportId: z.string(),
        previousAt: z.string(),
        maturityLevel: z
          .object({ from: z.number().nullable(), to: z.number().nullable() })
          .strict(),
        accountabilityLevel: z
          .object({ from: z.number().nullable(), to: z.number().nullable() })
          .strict(),
        taxCents: z.object({ from: z.number().nullable(), to: z.number().nullable() }).strict(),
        clusters: z.array(z.object({ cluster: z.string(), diff: scanDiffSchema }).strict()),
      })
      .strict()
      .nullable(),
    /**
     * Per cluster in scope with an analysed scan that holds workloads and is below level 4: the
     * plan from its newest scan to the next level of the cluster (the "What to do first" and the
     * roadmap page). Reports printed before plans existed have none.
     */
    plans: z.array(reportPlanSchema).default([]),
    /**
     * Risk acceptances in scope (the cluster's and organisation-wide ones) that are active, or
     * expired (they apply again, and are reported); revoked ones are not printed.
     */
    riskAcceptances: z.array(riskAcceptanceSchema).default([]),
  })
  .strict();
export type ReportData = z.infer<typeof reportDataSchema>;

/**
 * How the worker and the report page (apps/web/src/report, built as `report.html`) talk: the
 * worker sets the data on `window[REPORT_PAGE.dataGlobal]` before the page's scripts run; the page
 * sets `window[REPORT_PAGE.statusGlobal]` to `{ state: 'ready' }` once every chart is drawn (or
 * `{ state: 'error', message }`), and the worker prints it.
 */
export const REPORT_PAGE = {
  entry: 'report.html',
  dataGlobal: '__PLUMBLINE_REPORT__',
  statusGlobal: '__PLUMBLINE_REPORT_STATUS__',
} as const;
export type ReportPageStatus =
  { state: 'rendering' } | { state: 'ready'; charts: number } | { state: 'error'; message: string };

/** VM migration assessment (cost read model `vms`, present when VMs or an inventory exist). */
export const vmAssessmentSchema = z
  .object({
    vms: z.array(
      z
        .object({
          vm: z.string(),
          source: z.enum(['inventory', 'cluster']),
          dependencies: z.number(),
          riskScore: z.number(),
          teamsL2: z.array(z.string()),
          teamsL3: z.array(z.string()),
          keepsIpWithL2: z.boolean(),
          reasons: z.array(z.string()),
        })
        .loose(),
    ),
    approvalQuestions: z.array(
      z.object({ question: z.string(), answer: z.string(), vms: z.array(z.string()) }).loose(),
    ),
    dualPlatformCents: z.number(),
    dualPlatformFormula: z.string(),
  })
  .loose();
export type VmAssessmentView = z.infer<typeof vmAssessmentSchema>;
