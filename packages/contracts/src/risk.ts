import { z } from 'zod';
import { text } from './text.js';

/**
 * Risk acceptance: an admin accepts the risk of a maturity criterion (or cap) or of one finding,
 * for one cluster or every cluster, with an owner, a reason and an expiry. Accepted risks are
 * shown with who and until when, are out of a plan's scope (its levels are then labelled "with
 * accepted risks"), and come back, reported, when they expire or are revoked.
 */

export const RISK_TARGET_KINDS = ['criterion', 'finding'] as const;
export type RiskTargetKind = (typeof RISK_TARGET_KINDS)[number];
export const RISK_STATES = ['active', 'expired', 'revoked'] as const;
export type RiskState = (typeof RISK_STATES)[number];

/** The longest an acceptance may run before it must be looked at again. */
export const MAX_RISK_ACCEPTANCE_DAYS = 366;

export const createRiskAcceptanceSchema = z
  .object({
    /** Omitted or null: every cluster of the organisation. */
    clusterId: z.uuid().nullable().optional(),
    kind: z.enum(RISK_TARGET_KINDS),
    /**
     * A criterion or cap id (`resilience.pdb`, `cap.cluster-admin-sprawl`) or a finding id as the
     * read API shows it (`maturity/...`, `accountability/...`).
     */
    targetId: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9:._/-]{0,199}$/,
        'a criterion or finding id (lowercase, digits, : . _ / -)',
      ),
    /** Who owns the accepted risk (a person or team), in words. */
    owner: text().trim().min(1).max(200),
    reason: text().trim().min(10, 'say why the risk is accepted (10 characters or more)').max(2000),
    /** When it stops applying (ISO 8601, in the future, at most MAX_RISK_ACCEPTANCE_DAYS ahead). */
    expiresAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type CreateRiskAcceptanceRequest = z.infer<typeof createRiskAcceptanceSchema>;

export const riskAcceptanceSchema = z
  .object({
    id: z.string(),
    clusterId: z.string().nullable(),
    /** The cluster's name, or null for every cluster. */
    clusterName: z.string().nullable(),
    kind: z.enum(RISK_TARGET_KINDS),
    targetId: z.string(),
    /** What is accepted, in words (the criterion's title; for a finding, its id). */
    title: z.string(),
    owner: z.string(),
    reason: z.string(),
    expiresAt: z.string(),
    state: z.enum(RISK_STATES),
    createdById: z.string().nullable(),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
    revokedById: z.string().nullable(),
  })
  .strict();
export type RiskAcceptance = z.infer<typeof riskAcceptanceSchema>;

export const riskAcceptanceListSchema = z
  .object({
    items: z.array(riskAcceptanceSchema),
    /** Counts by state, so expired ones are reported even when not listed. */
    counts: z.object({ active: z.number(), expired: z.number(), revoked: z.number() }).strict(),
  })
  .strict();
export type RiskAcceptanceList = z.infer<typeof riskAcceptanceListSchema>;
