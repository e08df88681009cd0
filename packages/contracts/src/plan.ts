import { z } from 'zod';
import { MATURITY_PILLARS } from './maturity.js';
import { ACCOUNTABILITY_PILLARS } from './probe-report.js';

/**
 * The plan to a target maturity level (packages/plan): what a caller asks for (the target) and the
 * effort table it may override, like the cost assumptions. Method and defaults:
 * docs/methodology/remediation-plan.md.
 */

/**
 * The pillars a plan can target: the six operational maturity pillars and the five AI-agent
 * accountability pillars (a plan for an accountability pillar plans agent actions only).
 */
export const PLAN_PILLARS = [...MATURITY_PILLARS, ...ACCOUNTABILITY_PILLARS] as const;
export type PlanPillarId = (typeof PLAN_PILLARS)[number];
export const isPlanPillar = (id: string): id is PlanPillarId =>
  (PLAN_PILLARS as readonly string[]).includes(id);

/** An organisation-level target (every maturity pillar) or one pillar's level. */
export const planTargetSchema = z
  .object({
    level: z.number().int().min(1).max(4),
    pillar: z.enum(PLAN_PILLARS).nullable(),
  })
  .strict();
export type PlanTarget = z.infer<typeof planTargetSchema>;

const hours = z.number().min(0).max(10_000);

/** Effort of one action: fixed hours plus hours per unit (namespace, workload, object...). */
export const actionEffortSchema = z.object({ baseHours: hours, perUnitHours: hours }).strict();
export type ActionEffort = z.infer<typeof actionEffortSchema>;

/**
 * Overrides of the effort table: per action id (e.g. `netpol-ingress`, `manual:observability.metrics`),
 * partial efforts; and the team's hours per 30-day phase of the roadmap.
 */
export const planEffortOverridesSchema = z
  .object({
    actions: z
      .record(
        z.string().regex(/^[a-z0-9:.-]{1,120}$/, 'an action id (lowercase, digits, . : -)'),
        actionEffortSchema.partial().strict(),
      )
      .optional(),
    hoursPerPhase: z.number().min(1).max(10_000).optional(),
  })
  .strict();
export type PlanEffortOverrides = z.infer<typeof planEffortOverridesSchema>;

/* ---------------------------------------------------------------------------------------------
 * Plans in the SaaS: requested per cluster (POST .../clusters/:clusterId/plans), computed by the
 * worker (`cluster.plan`) on the cluster's newest analysed scan, stored with their verification
 * and bundle (zip). Shapes mirror packages/plan's PlanResult and Verification (a type test in
 * packages/jobs keeps them in step).
 * ------------------------------------------------------------------------------------------- */

/**
 * What a caller asks for: a level (1-4; omitted: the next level above the scan's) of the whole
 * cluster, or of one pillar.
 */
/**
 * The policy language of the generated network policies: Kubernetes NetworkPolicy (default, any
 * enforcing CNI), or the same rules as Calico or Cilium policies where that CNI enforces them.
 */
export const POLICY_DIALECTS = ['kubernetes', 'calico', 'cilium'] as const;
export type PolicyDialect = (typeof POLICY_DIALECTS)[number];
export const isPolicyDialect = (v: string): v is PolicyDialect =>
  (POLICY_DIALECTS as readonly string[]).includes(v);

export const createPlanRequestSchema = z
  .object({
    level: z.number().int().min(1).max(4).optional(),
    pillar: z.enum(PLAN_PILLARS).nullable().optional(),
    dialect: z.enum(POLICY_DIALECTS).optional(),
  })
  .strict();
export type CreatePlanRequest = z.infer<typeof createPlanRequestSchema>;

/**
 * queued/running: the worker has it; ready: a plan (and, when it has generated steps, a verified
 * bundle); unreachable: the scan's evidence cannot reach the target (reason and blockers);
 * refused: the generated bundle failed its own verification and is not offered; failed: the job
 * failed (reason).
 */
export const PLAN_STATUSES = [
  'queued',
  'running',
  'ready',
  'unreachable',
  'refused',
  'failed',
] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

const count = z.number().int().min(0);
const pillarLevelsSchema = z.object(
  Object.fromEntries(MATURITY_PILLARS.map((p) => [p, z.number().int().min(0).max(4)])) as Record<
    (typeof MATURITY_PILLARS)[number],
    z.ZodNumber
  >,
);
/** Accountability pillar levels (plans for an accountability pillar). */
const agentLevelsSchema = z.object(
  Object.fromEntries(
    ACCOUNTABILITY_PILLARS.map((p) => [p, z.number().int().min(0).max(4)]),
  ) as Record<(typeof ACCOUNTABILITY_PILLARS)[number], z.ZodNumber>,
);
export const levelStateSchema = z
  .object({
    level: z.number().int().min(0).max(4),
    pillars: pillarLevelsSchema,
    taxCents: z.number(),
    /** Accountability pillar levels: only in plans for an accountability pillar. */
    agents: agentLevelsSchema.optional(),
  })
  .strict();
export type PlanLevelState = z.infer<typeof levelStateSchema>;

export const planStepSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    kind: z.enum(['generated', 'manual']),
    addresses: z.array(z.string()),
    confirms: z.array(z.string()),
    findings: z.array(z.string()),
    pillars: z.array(z.enum(PLAN_PILLARS)),
    units: count,
    unit: z.string(),
    hours: z.number().min(0),
    remediation: z.string(),
    after: levelStateSchema,
    taxDeltaCents: z.number(),
  })
  .strict();
export type PlanStepView = z.infer<typeof planStepSchema>;

export const roadmapPhaseSchema = z
  .object({
    byDay: z.union([z.literal(30), z.literal(60), z.literal(90), z.null()]),
    steps: z.array(z.string()),
    hours: z.number().min(0),
    after: levelStateSchema,
  })
  .strict();
export type RoadmapPhaseView = z.infer<typeof roadmapPhaseSchema>;

export const planBlockerSchema = z
  .object({ id: z.string(), pillar: z.enum(PLAN_PILLARS), reason: z.string() })
  .strict();

/** The plan itself (PlanResult of packages/plan). */
export const planBodySchema = z.discriminatedUnion('reachable', [
  z
    .object({
      reachable: z.literal(true),
      target: planTargetSchema,
      from: levelStateSchema,
      to: levelStateSchema,
      bundlePromise: pillarLevelsSchema,
      /** Accountability levels the generated objects alone reach (accountability targets). */
      agentPromise: agentLevelsSchema.optional(),
      steps: z.array(planStepSchema),
      hours: z.number().min(0),
      roadmap: z.array(roadmapPhaseSchema),
      hoursPerPhase: z.number().min(0),
      alreadyMet: z.boolean(),
      /** Unmet requirements whose risk is accepted: out of scope, counted as met in the levels. */
      accepted: z.array(z.string()).default([]),
    })
    .strict(),
  z
    .object({
      reachable: z.literal(false),
      target: planTargetSchema,
      from: levelStateSchema,
      reason: z.string(),
      blockers: z.array(planBlockerSchema),
      accepted: z.array(z.string()).default([]),
    })
    .strict(),
]);
export type PlanBody = z.infer<typeof planBodySchema>;

/** The bundle's verification (Verification of packages/plan without its re-analysis). */
export const planVerificationSchema = z
  .object({
    ok: z.boolean(),
    promised: pillarLevelsSchema,
    reached: pillarLevelsSchema,
    level: z.object({ promised: z.number().int(), reached: z.number().int() }).strict(),
    /** Accountability levels promised and reached (plans for an accountability pillar). */
    agents: z
      .object({ promised: agentLevelsSchema, reached: agentLevelsSchema })
      .strict()
      .optional(),
    taxCents: z.object({ before: z.number(), after: z.number() }).strict(),
    connectivity: z
      .object({
        checked: count,
        cut: z.array(
          z
            .object({ service: z.string(), src: z.string(), dst: z.string(), port: z.string() })
            .strict(),
        ),
        newlyIsolated: z.object({ ingress: count, egress: count }).strict(),
        newlyDenied: z.array(z.string()),
      })
      .strict(),
    problems: z.array(z.string()),
  })
  .strict();
export type PlanVerification = z.infer<typeof planVerificationSchema>;

export const planRecordSchema = z
  .object({
    id: z.string(),
    clusterId: z.string(),
    clusterName: z.string(),
    /** The scan the plan was computed on (the cluster's newest analysed scan when requested). */
    scanId: z.string(),
    scanCollectedAt: z.string().nullable(),
    /** What was asked: the level (resolved: never omitted here) and pillar. */
    target: planTargetSchema,
    /** The language of the generated network policies. */
    dialect: z.enum(POLICY_DIALECTS),
    status: z.enum(PLAN_STATUSES),
    /** Why the plan is unreachable, refused or failed, in words (null otherwise). */
    reason: z.string().nullable(),
    /** Version of the organisation's effort overrides used (0: the defaults). */
    effortVersion: z.number().int().min(0),
    plan: planBodySchema.nullable(),
    verification: planVerificationSchema.nullable(),
    /** The downloadable bundle (zip), null until ready or when there is nothing to download. */
    bundle: z
      .object({ bytes: count, files: count, objects: count, sha256: z.string() })
      .strict()
      .nullable(),
    requestedById: z.string().nullable(),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .strict();
export type PlanRecord = z.infer<typeof planRecordSchema>;
export const planListSchema = z
  .object({ items: z.array(planRecordSchema), nextCursor: z.string().nullable() })
  .strict();
export type PlanList = z.infer<typeof planListSchema>;

/** The organisation's effort table: every action's effort, its default, and the overrides. */
export const planEffortResponseSchema = z
  .object({
    version: z.number().int().min(0),
    overrides: planEffortOverridesSchema,
    hoursPerPhase: z.object({ value: z.number(), default: z.number() }).strict(),
    /** Every action with a row of its own (generated actions and named manual ones). */
    actions: z.array(
      z
        .object({
          id: z.string(),
          kind: z.enum(['generated', 'manual']),
          unit: z.string(),
          default: actionEffortSchema,
          effective: actionEffortSchema,
          overridden: z.boolean(),
        })
        .strict(),
    ),
    /** Other manual actions (one per criterion, id `manual:<criterion>`): hours by level. */
    manualByLevel: z.array(
      z.object({ level: z.number().int().min(1).max(4), baseHours: z.number() }).strict(),
    ),
    source: z.string(),
  })
  .strict();
export type PlanEffortResponse = z.infer<typeof planEffortResponseSchema>;

export const putPlanEffortRequestSchema = z
  .object({
    /** The full set of overrides (replaces the previous ones); {} resets to the defaults. */
    overrides: planEffortOverridesSchema,
  })
  .strict();
export type PutPlanEffortRequest = z.infer<typeof putPlanEffortRequestSchema>;
