import { z } from 'zod';

/** Request bodies of the HTTP API, validated at the edge (controllers), shared with the web app. */

export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export const memberRoleSchema = z.enum(ROLES);

const email = z
  .email()
  .max(254)
  .transform((e) => e.toLowerCase());
const password = z.string().min(10, 'password must have at least 10 characters').max(200);

export const signupRequestSchema = z
  .object({
    email,
    password,
    name: z.string().trim().min(1).max(100),
    organizationName: z.string().trim().min(2).max(100),
  })
  .strict();
export type SignupRequest = z.infer<typeof signupRequestSchema>;

export const loginRequestSchema = z
  .object({ email, password: z.string().min(1).max(200) })
  .strict();
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const inviteRequestSchema = z.object({ email, role: memberRoleSchema }).strict();
export type InviteRequest = z.infer<typeof inviteRequestSchema>;

export const acceptInviteRequestSchema = z
  .object({
    token: z.string().min(10).max(200),
    /** For a new user; an already signed-in user sends only the token. */
    name: z.string().trim().min(1).max(100).optional(),
    password: password.optional(),
  })
  .strict();
export type AcceptInviteRequest = z.infer<typeof acceptInviteRequestSchema>;

export const roleChangeRequestSchema = z.object({ role: memberRoleSchema }).strict();

export const createScannerTokenRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    clusterId: z.uuid().optional(),
    expiresInDays: z.number().int().min(1).max(730).optional(),
  })
  .strict();
export type CreateScannerTokenRequest = z.infer<typeof createScannerTokenRequestSchema>;

/** Snapshot retention of an organisation, in days (the newest analysed scan of each cluster is always kept). */
export const RETENTION_DAYS_MAX = 3650;
export const retentionSettingsSchema = z
  .object({ snapshotRetentionDays: z.number().int().min(1).max(RETENTION_DAYS_MAX) })
  .strict();
export type RetentionSettings = z.infer<typeof retentionSettingsSchema>;

/** Deleting an organisation: the caller types its slug to confirm. */
export const deleteOrganizationRequestSchema = z
  .object({ confirmSlug: z.string().min(1).max(200) })
  .strict();
export type DeleteOrganizationRequest = z.infer<typeof deleteOrganizationRequestSchema>;
