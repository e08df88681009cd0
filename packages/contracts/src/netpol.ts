import { z } from 'zod';

/**
 * What the NetworkPolicy analysis reports (packages/netpol): which workloads are isolated, by
 * what, what they allow, per-namespace default-deny, and replica-weighted coverage. Part of the
 * AnalysisResult (`steps.netpol`).
 */

const count = z.number().int().nonnegative();
const percent = z.number().min(0).max(100).nullable();

export const netpolAllowedSchema = z
  .object({
    /** The rule, e.g. `NetworkPolicy shop/web ingress[0]`. */
    rule: z.string(),
    /** Who, e.g. `pods app=frontend in namespace shop`, `ipBlock 10.0.0.0/8`. */
    peer: z.string(),
    /** What, e.g. `TCP 8080`, `all ports`. */
    ports: z.string(),
    /** Workloads the peer matches (null when it depends on the subject or is external only). */
    workloads: count.nullable(),
  })
  .strict();

export const netpolDirectionSchema = z
  .object({
    /** Traffic no rule allows is denied (some policy selects the workload in this direction). */
    isolated: z.boolean(),
    /** Policies or deny-all rules that isolate it. */
    isolatedBy: z.array(z.string()),
    /** Allow rules that apply (first 25). */
    allowed: z.array(netpolAllowedSchema),
    allowedTruncated: count,
  })
  .strict();

export const netpolWorkloadSchema = z
  .object({
    /** `namespace/name[Kind]` (the connlist form). */
    ref: z.string(),
    namespace: z.string(),
    name: z.string(),
    kind: z.string(),
    replicas: count,
    /** Host-network pods are outside NetworkPolicy (and outside coverage). */
    hostNetwork: z.boolean(),
    ingress: netpolDirectionSchema,
    egress: netpolDirectionSchema,
  })
  .strict();

export const netpolNamespaceSchema = z
  .object({
    name: z.string(),
    /** False when the namespace is only referenced (its labels are unknown). */
    declared: z.boolean(),
    workloads: count,
    replicas: count,
    /** A deny-all policy covers every pod of the namespace (and future ones). */
    defaultDeny: z.object({ ingress: z.boolean(), egress: z.boolean() }).strict(),
    defaultDenyBy: z.object({ ingress: z.array(z.string()), egress: z.array(z.string()) }).strict(),
    /** Replica-weighted share of isolated pods. */
    isolatedPercent: z.object({ ingress: percent, egress: percent }).strict(),
  })
  .strict();

export const netpolCoverageSchema = z
  .object({
    weighting: z.literal('replicas'),
    workloads: count,
    totalReplicas: count,
    hostNetworkReplicas: count,
    ingress: z.object({ isolatedReplicas: count, isolatedWorkloads: count, percent }).strict(),
    egress: z.object({ isolatedReplicas: count, isolatedWorkloads: count, percent }).strict(),
    /**
     * The same, over application workloads only (platform namespaces and namespaces holding only
     * detected components excluded): the figure the maturity criteria judge and every screen
     * shows first. One computation (packages/maturity `applicationCoverage`); null in results
     * analysed before it existed.
     */
    applications: z
      .object({
        namespaces: count,
        workloads: count,
        totalReplicas: count,
        ingress: z
          .object({
            isolatedReplicas: count,
            isolatedWorkloads: count,
            percent: percent.nullable(),
          })
          .strict(),
        egress: z
          .object({
            isolatedReplicas: count,
            isolatedWorkloads: count,
            percent: percent.nullable(),
          })
          .strict(),
      })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();
export type NetpolCoverage = z.infer<typeof netpolCoverageSchema>;
export type ApplicationCoverage = NonNullable<NetpolCoverage['applications']>;

export const netpolObjectKindSchema = z
  .object({
    group: z.string(),
    kind: z.string(),
    count,
    evaluated: count,
    /** Why objects of this kind are not evaluated (null when all are). */
    reason: z.string().nullable(),
  })
  .strict();

export const netpolResultSchema = z
  .object({
    /** From detection: does a NetworkPolicy engine enforce what is analysed here? */
    enforcement: z
      .object({
        enforced: z.boolean().nullable(),
        engines: z.array(z.string()),
        reason: z.string(),
      })
      .strict(),
    objects: z
      .object({ total: count, evaluated: count, byKind: z.array(netpolObjectKindSchema) })
      .strict(),
    coverage: netpolCoverageSchema,
    namespaces: z.array(netpolNamespaceSchema),
    workloads: z.array(netpolWorkloadSchema),
    warnings: z.array(z.object({ ref: z.string(), message: z.string() }).strict()),
  })
  .strict();
export type NetpolResult = z.infer<typeof netpolResultSchema>;
export type NetpolWorkload = z.infer<typeof netpolWorkloadSchema>;
export type NetpolNamespace = z.infer<typeof netpolNamespaceSchema>;
