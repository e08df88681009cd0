import { z } from 'zod';
import { MATURITY_PILLARS } from './maturity.js';

/**
 * The plan to a target maturity level (packages/plan): what a caller asks for (the target) and the
 * effort table it may override, like the cost assumptions. Method and defaults:
 * docs/methodology/remediation-plan.md.
 */

/** An organisation-level target (every pillar) or one pillar's level. */
export const planTargetSchema = z
  .object({
    level: z.number().int().min(1).max(4),
    pillar: z.enum(MATURITY_PILLARS).nullable(),
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
