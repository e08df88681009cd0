import { z } from 'zod';

/**
 * The snapshot envelope: the fields every uploaded cluster snapshot must carry.
 * The full, versioned ClusterSnapshot contract (workloads, policies, config...) extends it;
 * anything beyond the envelope is kept as-is and analysed by the pipeline.
 */
export const SNAPSHOT_SCHEMA_VERSION = 1 as const;

export const snapshotEnvelopeSchema = z
  .object({
    schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION, {
      error: `schemaVersion must be ${SNAPSHOT_SCHEMA_VERSION}`,
    }),
    scanner: z.object({ name: z.string().min(1).max(100), version: z.string().min(1).max(50) }),
    collectedAt: z.iso.datetime({ offset: true }),
    cluster: z.object({
      name: z.string().min(1).max(253),
      id: z.string().min(1).max(128).optional(),
    }),
  })
  .loose();
export type SnapshotEnvelope = z.infer<typeof snapshotEnvelopeSchema>;

export interface ContractIssue {
  path: string;
  message: string;
}

/** Readable list of the first problems found by a zod schema. */
export function describeIssues(error: z.ZodError, max = 20): ContractIssue[] {
  return error.issues.slice(0, max).map((i) => ({
    path: i.path.length ? i.path.map(String).join('.') : '(root)',
    message: i.message,
  }));
}
