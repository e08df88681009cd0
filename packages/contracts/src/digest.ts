import { z } from 'zod';
import { agentsResultSchema } from './agents.js';
import { virtualMachineSchema, WORKLOAD_KINDS } from './cluster-snapshot.js';
import { detectionResultSchema } from './detection.js';
import { maturityResultSchema } from './maturity.js';

/**
 * The per-scan digest: everything the organisation roll-up and the pricing need from one
 * analysed scan, small (no snapshot objects beyond the tools' own workloads), so the roll-up is
 * O(clusters) over small records and an assumption edit never decompresses a snapshot. Written
 * with the result (Scan.digest); bump DIGEST_VERSION when its shape changes.
 */
export const DIGEST_VERSION = 1 as const;

/** A workload as the compute-footprint line prices it: kind, copies, container requests. */
export const costWorkloadSchema = z
  .object({
    kind: z.enum(WORKLOAD_KINDS),
    namespace: z.string(),
    name: z.string(),
    replicas: z.number().int().nonnegative().nullable(),
    containers: z.array(
      z
        .object({
          init: z.boolean(),
          resources: z.object({ requests: z.record(z.string(), z.string()) }).strict(),
        })
        .strict(),
    ),
  })
  .strict();
export type CostWorkload = z.infer<typeof costWorkloadSchema>;

export const clusterDigestSchema = z
  .object({
    digestVersion: z.literal(DIGEST_VERSION),
    methodologyVersion: z.string(),
    collectedAt: z.string(),
    /** Desired replicas over all workloads (the maturity score's weight). */
    replicas: z.number().int().nonnegative(),
    coverage: z.object({ ingress: z.number().nullable(), egress: z.number().nullable() }).strict(),
    detection: detectionResultSchema,
    maturity: maturityResultSchema,
    /** The agents assessment with the organisation's evidence uploads (as stored in the result). */
    agents: agentsResultSchema,
    /** What pricing reads from the snapshot: node count and the detected tools' workloads. */
    cost: z
      .object({
        nodeCount: z.number().int().nonnegative().nullable(),
        workloads: z.array(costWorkloadSchema),
      })
      .strict(),
    virtualMachines: z.array(virtualMachineSchema),
  })
  .strict();
export type ClusterDigest = z.infer<typeof clusterDigestSchema>;
