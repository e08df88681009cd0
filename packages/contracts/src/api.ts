import { z } from 'zod';
import { text } from './text.js';

/** Request bodies of the HTTP API, validated at the edge (controllers), shared with the web app. */

export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export const memberRoleSchema = z.enum(ROLES);

const email = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());
/** New passwords (sign-up, invite): 12+ characters; the API also refuses common passwords. */
export const PASSWORD_MIN_LENGTH = 12;
const password = text()
  .min(PASSWORD_MIN_LENGTH, `password must have at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(200);

export const signupRequestSchema = z
  .object({
    email,
    password,
    name: text().trim().min(1).max(100),
    organizationName: text().trim().min(2).max(100),
  })
  .strict();
export type SignupRequest = z.infer<typeof signupRequestSchema>;

export const loginRequestSchema = z.object({ email, password: text().min(1).max(200) }).strict();
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const inviteRequestSchema = z.object({ email, role: memberRoleSchema }).strict();
export type InviteRequest = z.infer<typeof inviteRequestSchema>;

export const acceptInviteRequestSchema = z
  .object({
    token: text().min(10).max(200),
    /** For a new user; an already signed-in user sends only the token. */
    name: text().trim().min(1).max(100).optional(),
    password: password.optional(),
  })
  .strict();
export type AcceptInviteRequest = z.infer<typeof acceptInviteRequestSchema>;

export const roleChangeRequestSchema = z.object({ role: memberRoleSchema }).strict();

export const createScannerTokenRequestSchema = z
  .object({
    name: text().trim().min(1).max(100),
    clusterId: z.uuid().optional(),
    expiresInDays: z.number().int().min(1).max(730).optional(),
  })
  .strict();
export type CreateScannerTokenRequest = z.infer<typeof createScannerTokenRequestSchema>;

/** A bearer token as RFC 6750 allows it (ServiceAccount tokens are JWTs): no spaces, no CR/LF. */
const bearerToken = z
  .string()
  .trim()
  .min(8, 'the token is too short')
  .max(16_384)
  .regex(/^[A-Za-z0-9\-._~+/]+=*$/, 'the token must be a bearer token (no spaces or line breaks)');
/** PEM, or base64 of PEM as in a kubeconfig's certificate-authority-data. */
const caData = text().trim().min(1).max(65_536);
/** Minutes between scheduled scans (15 minutes to a week); null: on demand only. */
const scheduleMinutes = z.number().int().min(15).max(10_080).nullable();
const connectionName = text().trim().min(1).max(100);
const serverUrl = text().trim().min(1).max(2048);

export const createClusterConnectionRequestSchema = z
  .object({
    name: connectionName,
    /** https URL of the cluster's API server. */
    server: serverUrl,
    /** A read-only ServiceAccount token; stored encrypted, never returned. */
    token: bearerToken,
    /** The API server's CA; without it the system trust store is used. Stored encrypted. */
    caData: caData.optional(),
    scheduleMinutes: scheduleMinutes.optional(),
    enabled: z.boolean().optional(),
  })
  .strict();
export type CreateClusterConnectionRequest = z.infer<typeof createClusterConnectionRequestSchema>;

export const updateClusterConnectionRequestSchema = z
  .object({
    name: connectionName.optional(),
    /** A new server needs the token again (a stored token is never sent to a new address). */
    server: serverUrl.optional(),
    /** Rotate the token. */
    token: bearerToken.optional(),
    /** Replace the CA data; null removes it (system trust store). */
    caData: caData.nullable().optional(),
    scheduleMinutes: scheduleMinutes.optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'nothing to change')
  .refine((b) => b.server === undefined || b.token !== undefined, {
    message: 'changing the server needs the token again',
    path: ['token'],
  });
export type UpdateClusterConnectionRequest = z.infer<typeof updateClusterConnectionRequestSchema>;

/** Snapshot retention of an organisation, in days (the newest analysed scan of each cluster is always kept). */
export const RETENTION_DAYS_MAX = 3650;
export const retentionSettingsSchema = z
  .object({ snapshotRetentionDays: z.number().int().min(1).max(RETENTION_DAYS_MAX) })
  .strict();
export type RetentionSettings = z.infer<typeof retentionSettingsSchema>;

/** Deleting an organisation: the caller types its slug to confirm. */
export const deleteOrganizationRequestSchema = z
  .object({ confirmSlug: text().min(1).max(200) })
  .strict();
export type DeleteOrganizationRequest = z.infer<typeof deleteOrganizationRequestSchema>;
