import { z } from 'zod';
import { memberRoleSchema } from './api.js';
import { ingestScanStatusSchema } from './ingest.js';

/**
 * Response bodies of the account and administration routes (auth, organisation, members,
 * invites, scanner tokens, audit log, evidence uploads, clusters and their scans). The web app
 * imports the types; the web end-to-end tests parse real API answers with the schemas, so a
 * change on either side shows up there. Dates travel as ISO-8601 strings. Objects are not
 * strict: the API may add fields without breaking older clients.
 */

const isoDate = z.iso.datetime({ offset: true });
const id = z.string().min(1);

export const sessionUserSchema = z.object({
  id,
  email: z.string(),
  name: z.string(),
  /** Whether the user confirmed their address (the link of the verification mail). */
  emailVerified: z.boolean().optional(),
  /** Whether the user signs in with a second factor (TOTP). */
  mfaEnabled: z.boolean().optional(),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

/** `POST /v1/auth/login`, and an invite accepted by a new account. */
export const signedInResponseSchema = z.object({
  user: sessionUserSchema,
  /** The organisation to open first (the new one, or the first membership); null: none. */
  organizationId: id.nullable(),
  /** Send back in `X-CSRF-Token` on every POST/PUT/PATCH/DELETE. */
  csrfToken: z.string().min(1),
});
export type SignedInResponse = z.infer<typeof signedInResponseSchema>;

/**
 * `POST /v1/auth/signup` (202): the same answer whether or not the email already has an account,
 * so sign-up cannot be used to learn who has one. A new account can then sign in with the
 * password it chose; an existing account is left unchanged.
 */
export const signupResponseSchema = z.object({
  status: z.literal('accepted'),
  /** What to do next, for people (the web app signs in with the same credentials). */
  next: z.literal('sign_in'),
});
export type SignupResponse = z.infer<typeof signupResponseSchema>;

/** `POST /v1/invites/accept`: signed in already (no new session), or a new account (session). */
export const acceptInviteResponseSchema = z.union([
  signedInResponseSchema,
  z.object({ organizationId: id }),
]);
export type AcceptInviteResponse = z.infer<typeof acceptInviteResponseSchema>;

export const organizationMembershipSchema = z.object({
  id,
  name: z.string(),
  slug: z.string(),
  role: memberRoleSchema,
  /** The organisation requires two-factor authentication of its members (`GET /v1/me`). */
  mfaRequired: z.boolean().optional(),
});
export type OrganizationMembership = z.infer<typeof organizationMembershipSchema>;

/** `GET /v1/me`. */
export const meResponseSchema = z.object({
  user: sessionUserSchema,
  organizations: z.array(organizationMembershipSchema),
  csrfToken: z.string().min(1),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

/** `GET /v1/orgs/:orgId`. */
export const organizationResponseSchema = organizationMembershipSchema;

export const memberSchema = z.object({
  userId: id,
  email: z.string(),
  name: z.string(),
  role: memberRoleSchema,
  lastLoginAt: isoDate.nullable(),
});
export type Member = z.infer<typeof memberSchema>;

export const inviteSchema = z.object({
  id,
  organizationId: id,
  email: z.string(),
  role: memberRoleSchema,
  invitedById: id.nullable(),
  createdAt: isoDate,
  expiresAt: isoDate,
  acceptedAt: isoDate.nullable(),
});
export type Invite = z.infer<typeof inviteSchema>;

/** `POST /v1/orgs/:orgId/invites`: `link` is a path (`/invite#<token>`) on the web app. */
export const createdInviteResponseSchema = z.object({
  invite: inviteSchema,
  link: z.string().startsWith('/invite#'),
  token: z.string().min(10),
});
export type CreatedInviteResponse = z.infer<typeof createdInviteResponseSchema>;

export const scannerTokenSchema = z.object({
  id,
  organizationId: id,
  clusterId: id.nullable(),
  name: z.string(),
  /** The first characters of the token, to tell tokens apart; never the token. */
  displayPrefix: z.string(),
  createdById: id.nullable(),
  createdAt: isoDate,
  expiresAt: isoDate.nullable(),
  lastUsedAt: isoDate.nullable(),
  revokedAt: isoDate.nullable(),
});
export type ScannerTokenRecord = z.infer<typeof scannerTokenSchema>;

/** `POST /v1/orgs/:orgId/scanner-tokens`: the only time the token value is ever shown. */
export const createdScannerTokenResponseSchema = z.object({
  token: z.string().startsWith('plb_'),
  record: scannerTokenSchema,
});
export type CreatedScannerTokenResponse = z.infer<typeof createdScannerTokenResponseSchema>;

/**
 * Every action the audit log records, each shown in words by the app (its Settings -> Audit log);
 * the API's audit writers accept only these. A log entry of an older or newer version may hold
 * another code: it is shown as it is.
 */
export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.password_reset_requested',
  'auth.password_reset',
  'auth.email_verified',
  'auth.mfa_enrolment_started',
  'auth.mfa_enabled',
  'auth.mfa_replaced',
  'auth.mfa_disabled',
  'auth.mfa_failed',
  'auth.mfa_recovery_code_used',
  'auth.mfa_recovery_codes_replaced',
  'auth.sso_login',
  'auth.sso_login_failed',
  'org.create',
  'org.delete',
  'org.export',
  'org.retention_change',
  'org.security_change',
  'sso.configured',
  'sso.disabled',
  'sso.domain_verified',
  'member.invite',
  'member.join',
  'member.role_change',
  'membership.jit_created',
  'scanner_token.create',
  'scanner_token.revoke',
  'snapshot.upload',
  'scan.export',
  'cluster.environment_update',
  'cluster_connection.create',
  'cluster_connection.update',
  'cluster_connection.delete',
  'cluster_connection.scan_request',
  'cluster_connection.scan',
  'evidence.upload',
  'evidence.delete',
  'self_assessment.submit',
  'cost.assumptions_update',
  'report.request',
  'report.download',
  'plan.request',
  'plan.download',
  'plan.effort_update',
  'risk.accept',
  'risk.revoke',
  'alert_rules.update',
  'alert_channel.create',
  'alert_channel.update',
  'alert_channel.delete',
  'alert_channel.test',
  'report_schedule.create',
  'report_schedule.update',
  'report_schedule.delete',
  'retention.cleanup',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const auditEventSchema = z.object({
  id,
  organizationId: id.nullable(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  ip: z.string().nullable(),
  requestId: z.string().nullable(),
  at: isoDate,
});
export type AuditEventRecord = z.infer<typeof auditEventSchema>;

export const evidenceUploadRecordSchema = z.object({
  id,
  organizationId: id,
  clusterId: id.nullable(),
  kind: z.string(),
  filename: z.string(),
  contentHash: z.string(),
  /** What the upload was recognised as (e.g. `{ kind }`, or `{ vms, errors }` for an inventory). */
  summary: z.unknown(),
  uploadedById: id.nullable(),
  createdAt: isoDate,
});
export type EvidenceUploadRecord = z.infer<typeof evidenceUploadRecordSchema>;

export const CLUSTER_ENVIRONMENT_VALUES = ['production', 'non-production'] as const;

export const clusterSchema = z.object({
  id,
  organizationId: id,
  name: z.string(),
  externalId: z.string(),
  /** Effective: the environment an admin set, else the one inferred from labels and the name. */
  production: z.boolean(),
  /** Set by an admin (overrides the inference), or null: inferred. */
  environment: z.enum(CLUSTER_ENVIRONMENT_VALUES).nullable(),
  /** Why the environment was inferred as it is (a label, a name token, or nothing). */
  environmentReason: z.string().nullable(),
  createdAt: isoDate,
  /** The collection time of the oldest scan (or when the cluster was registered, if earlier). */
  firstSeenAt: isoDate,
  lastScanAt: isoDate.nullable(),
});
export type ClusterRecord = z.infer<typeof clusterSchema>;

/** PUT /clusters/:clusterId/environment: set it (admin), or null to go back to the inference. */
export const putClusterEnvironmentRequestSchema = z
  .object({ environment: z.enum(CLUSTER_ENVIRONMENT_VALUES).nullable() })
  .strict();
export type PutClusterEnvironmentRequest = z.infer<typeof putClusterEnvironmentRequestSchema>;

export const scanSchema = z.object({
  id,
  organizationId: id,
  clusterId: id,
  status: ingestScanStatusSchema,
  contentHash: z.string(),
  methodologyVersion: z.string().nullable(),
  attempts: z.number().int(),
  error: z.string().nullable(),
  createdAt: isoDate,
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
});
export type ScanRecord = z.infer<typeof scanSchema>;

/** A list answer: `{ items }`, plus `nextCursor` where the route pages. */
export function listResponseSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}
export interface ListResponse<T> {
  items: T[];
}
export interface PagedListResponse<T> extends ListResponse<T> {
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}
export const scansPageResponseSchema = z.object({
  items: z.array(scanSchema),
  nextCursor: id.nullable(),
});

/**
 * An agentless cluster connection (`/v1/orgs/:orgId/cluster-connections`): never its token or CA
 * data, only whether a CA is stored and the token's fingerprint.
 */
export const clusterConnectionSchema = z.object({
  id,
  name: z.string(),
  server: z.string(),
  /** The cluster its scans land in (known after the first scan). */
  clusterId: id.nullable(),
  hasCaData: z.boolean(),
  /** `sha256:` + 12 hex digits of the token's hash: tells tokens apart without revealing them. */
  tokenFingerprint: z.string(),
  /** Minutes between scheduled scans; null: on demand only. */
  scheduleMinutes: z.number().int().nullable(),
  enabled: z.boolean(),
  lastStatus: ingestScanStatusSchema.nullable(),
  /** Why the last scan failed, in words. */
  lastError: z.string().nullable(),
  lastScanId: id.nullable(),
  lastScanAt: isoDate.nullable(),
  scanRequestedAt: isoDate.nullable(),
  createdById: id.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type ClusterConnectionRecord = z.infer<typeof clusterConnectionSchema>;

/** `POST /v1/orgs/:orgId/cluster-connections/:connectionId/scan` (202). */
export const clusterScanRequestedSchema = z.object({
  connectionId: id,
  jobId: z.string(),
  status: z.literal('queued'),
});
export type ClusterScanRequested = z.infer<typeof clusterScanRequestedSchema>;
