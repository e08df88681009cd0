import { z } from 'zod';

/**
 * Background job definitions shared by the API (producer) and the worker (consumer).
 *
 * Payloads carry identifiers only, never snapshots or other bulk data: the worker loads
 * what it needs from PostgreSQL, scoped by organisation. Every payload is wrapped in a
 * versioned envelope and validated on both ends (enqueue and process).
 */

const id = z.string().min(1).max(64);

export const jobPayloadSchemas = {
  'snapshot.analyze': z
    .object({ organizationId: id, scanId: id })
    .strict()
    .describe('Run the analysis pipeline on one stored snapshot'),
  'snapshot.reanalyze': z
    .object({ organizationId: id, scanIds: z.array(id).min(1).max(1000) })
    .strict()
    .describe('Re-run analysis for stored snapshots after a methodology change'),
  'org.rollup': z
    .object({ organizationId: id, reason: z.string().max(200) })
    .strict()
    .describe('Recompute organisation-level results'),
  'cluster.scan': z
    .object({ organizationId: id, connectionId: id })
    .strict()
    .describe('Agentless scan of a registered cluster API endpoint (ClusterConnection)'),
  'report.render': z
    .object({ organizationId: id, reportId: id })
    .strict()
    .describe('Render a leadership PDF report'),
  'cluster.plan': z
    .object({ organizationId: id, planId: id })
    .strict()
    .describe("Compute a stored plan on its cluster's scan: plan, verified bundle, zip"),
  'org.retention': z
    .object({ organizationId: id })
    .strict()
    .describe("Delete the organisation's scans older than its snapshot retention setting"),
  'retention.sweep': z
    .object({})
    .strict()
    .describe('System job (daily): queue org.retention for organisations with expired scans'),
  'email.send': z
    .object({ emailId: id })
    .strict()
    .describe('Deliver one outbox mail (OutboxEmail) through SMTP, or the console locally'),
  'alert.deliver': z
    .object({ organizationId: id, deliveryId: id })
    .strict()
    .describe('Deliver one alert (or a test) to one channel: signed webhook, Slack or email'),
  'alerts.tick': z
    .object({})
    .strict()
    .describe(
      'System job (every 15 minutes): scheduled reports due, silent scanners, expired suppressions',
    ),
} as const;

export type JobName = keyof typeof jobPayloadSchemas;
export type JobPayload<N extends JobName> = z.infer<(typeof jobPayloadSchemas)[N]>;

export const JOB_NAMES = Object.keys(jobPayloadSchemas) as JobName[];

/** Bump when a payload shape changes incompatibly; the worker rejects other versions. */
export const JOB_ENVELOPE_VERSION = 1 as const;

export interface JobEnvelope<N extends JobName = JobName> {
  v: typeof JOB_ENVELOPE_VERSION;
  name: N;
  payload: JobPayload<N>;
  /** Request id of the HTTP request that caused the job, for log correlation. */
  requestId?: string | undefined;
}

const envelopeBase = z
  .object({
    v: z.literal(JOB_ENVELOPE_VERSION),
    name: z.enum(JOB_NAMES as [JobName, ...JobName[]]),
    payload: z.unknown(),
    requestId: z.string().max(128).optional(),
  })
  .strict();

export class JobValidationError extends Error {
  constructor(
    message: string,
    public readonly issues: string[],
  ) {
    super(message);
    this.name = 'JobValidationError';
  }
}

function formatIssues(error: z.ZodError): string[] {
  return error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}

/** Build a validated envelope (producer side). Throws JobValidationError on bad input. */
export function makeJobEnvelope<N extends JobName>(
  name: N,
  payload: JobPayload<N>,
  requestId?: string,
): JobEnvelope<N> {
  const schema = jobPayloadSchemas[name];
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    throw new JobValidationError(`invalid payload for job ${name}`, formatIssues(parsed.error));
  }
  return { v: JOB_ENVELOPE_VERSION, name, payload: parsed.data as JobPayload<N>, requestId };
}

/** Validate raw job data (consumer side). Throws JobValidationError on bad input. */
export function parseJobEnvelope<N extends JobName>(expected: N, data: unknown): JobEnvelope<N> {
  const env = envelopeBase.safeParse(data);
  if (!env.success) {
    throw new JobValidationError(`invalid job envelope for ${expected}`, formatIssues(env.error));
  }
  if (env.data.name !== expected) {
    throw new JobValidationError(`job name mismatch`, [
      `expected ${expected}, got ${env.data.name}`,
    ]);
  }
  const payload = jobPayloadSchemas[expected].safeParse(env.data.payload);
  if (!payload.success) {
    throw new JobValidationError(
      `invalid payload for job ${expected}`,
      formatIssues(payload.error),
    );
  }
  return {
    v: JOB_ENVELOPE_VERSION,
    name: expected,
    payload: payload.data as JobPayload<N>,
    requestId: env.data.requestId,
  };
}
