import { z } from 'zod';

/**
 * Kubernetes operational maturity (packages/maturity): six pillars, cumulative levels 0-4, every
 * criterion met / not met / unknown with its evidence, caps, findings with what-ifs. Part of the
 * AnalysisResult (`steps.maturity`). Method: docs/methodology/operational-maturity.md.
 */

export const MATURITY_PILLARS = [
  'workload-isolation',
  'observability',
  'multi-cluster',
  'edge-traffic',
  'resilience',
  'compliance',
] as const;
export type MaturityPillarId = (typeof MATURITY_PILLARS)[number];

/** Whether a string (a stored or typed pillar id) is one of the six maturity pillars. */
export const isMaturityPillar = (id: string): id is MaturityPillarId =>
  (MATURITY_PILLARS as readonly string[]).includes(id);

const level = z.number().int().min(0).max(4);
const percent = z.number().min(0).max(100);

export const criterionResultSchema = z
  .object({
    id: z.string(),
    level: z.number().int().min(1).max(4),
    title: z.string(),
    /** unknown never counts as met (data not collected or not determinable). */
    status: z.enum(['met', 'not-met', 'unknown']),
    /** Object refs, counts, config values the status was decided on. */
    evidence: z.array(z.string()),
    reason: z.string(),
  })
  .strict();
export type CriterionResult = z.infer<typeof criterionResultSchema>;

export const capResultSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    /** The highest level the pillar can reach while the cap applies. */
    maxLevel: level,
    /** true: the cap applies; false: it does not; null: unknown (does not cap). */
    applies: z.boolean().nullable(),
    evidence: z.array(z.string()),
    reason: z.string(),
  })
  .strict();
export type CapResult = z.infer<typeof capResultSchema>;

export const pillarResultSchema = z
  .object({
    id: z.enum(MATURITY_PILLARS),
    name: z.string(),
    level,
    /** 25 x level, plus the share of the next level's criteria already met (0-100). */
    score: percent,
    /** Share of criteria that could be evaluated (met or not met), in percent. */
    coverage: percent,
    /** The cap that holds the level down, when one does. */
    cappedBy: z.string().nullable(),
    criteria: z.array(criterionResultSchema),
    caps: z.array(capResultSchema),
  })
  .strict();
export type PillarResult = z.infer<typeof pillarResultSchema>;

export const maturityFindingSchema = z
  .object({
    id: z.string(),
    pillar: z.enum(MATURITY_PILLARS),
    /** gap: a criterion not met; unknown: not evaluable; cap / upgrade-risk: a cap applies. */
    kind: z.enum(['gap', 'unknown', 'cap', 'upgrade-risk']),
    severity: z.enum(['critical', 'high', 'medium', 'low', 'info']),
    title: z.string(),
    detail: z.string(),
    remediation: z.string(),
    /** The criterion or cap this finding is about. */
    source: z.string(),
    evidence: z.array(z.string()),
    currentLevel: level,
    /** The pillar level if this finding alone were fixed, from re-running the criteria. */
    whatIfLevel: level,
  })
  .strict();
export type MaturityFinding = z.infer<typeof maturityFindingSchema>;

export const maturityResultSchema = z
  .object({
    /** The lowest pillar level. */
    level,
    /** 25 x mean pillar level, rounded (0-100), for trends. */
    score: percent,
    /** Share of all criteria that could be evaluated, in percent. */
    coverage: percent,
    /** CNCF Cloud Native Maturity Model orientation: 0/1 Build, 2 Operate, 3 Scale, 4 Improve. */
    cncfStage: z.enum(['Build', 'Operate', 'Scale', 'Improve']),
    pillars: z.array(pillarResultSchema),
    findings: z.array(maturityFindingSchema),
  })
  .strict();
export type MaturityResult = z.infer<typeof maturityResultSchema>;
