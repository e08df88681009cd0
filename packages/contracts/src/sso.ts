import { z } from 'zod';
import { text } from './text.js';

/**
 * OpenID Connect single sign-on per organisation: the configuration an owner saves (the client
 * secret is write-only and sealed at rest), the email domains that route to the organisation
 * (each proven by a DNS TXT record, or by the owner's own verified address at that domain), and
 * the sign-in start (`POST /v1/auth/sso/start`, by email address). The IdP sends the browser
 * back to `GET /v1/auth/sso/callback`, which signs the user in and redirects to the app.
 */

/** Minutes a sign-in attempt (state, nonce, PKCE verifier) stays usable. */
export const SSO_ATTEMPT_TTL_MINUTES = 10;
/** Most email domains one organisation may route to its identity provider. */
export const SSO_MAX_DOMAINS = 20;
/** Host name of the DNS TXT record proving a domain: `<prefix>.<domain>`. */
export const SSO_DNS_RECORD_PREFIX = '_plumbline-verification';
/** What a member of an SSO-required organisation is told when signing in with a password. */
export const SSO_REQUIRED_MESSAGE =
  'your organisation signs in with single sign-on: use "Continue with SSO"';

/** Roles a just-in-time member may get (never owner). */
export const ssoDefaultRoleSchema = z.enum(['admin', 'member', 'viewer']);

/** A lower-case DNS name with at least one dot (no scheme, no port, no wildcard). */
export const emailDomainSchema = text()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/,
    'a domain such as example.com',
  );

/** `https://` issuer URL (`http://` only where the API allows insecure issuers, i.e. tests/demo). */
export const issuerUrlSchema = text()
  .trim()
  .max(500)
  .url('the issuer is a URL such as https://login.example.com')
  .refine((u) => /^https?:\/\//i.test(u), 'the issuer URL starts with https://');

/** `PUT /v1/orgs/:orgId/sso` (owners). Omit `clientSecret` to keep the stored one. */
export const ssoConfigRequestSchema = z
  .object({
    enabled: z.boolean(),
    issuer: issuerUrlSchema,
    clientId: text().trim().min(1).max(255),
    clientSecret: text().min(1).max(1000).optional(),
    domains: z.array(emailDomainSchema).min(1).max(SSO_MAX_DOMAINS),
    defaultRole: ssoDefaultRoleSchema,
    /** Passwords stop working for the organisation's members, except the break-glass owner. */
    ssoRequired: z.boolean(),
    /** An owner who keeps password sign-in when SSO is required (required then). */
    breakGlassUserId: z.uuid().nullable(),
  })
  .strict();
export type SsoConfigRequest = z.infer<typeof ssoConfigRequestSchema>;

export const ssoDomainSchema = z.object({
  domain: z.string(),
  verified: z.boolean(),
  verifiedAt: z.string().nullable(),
  /** The TXT record to publish: host `_plumbline-verification.<domain>`, this value. */
  txtRecordName: z.string(),
  txtRecordValue: z.string(),
});
export type SsoDomain = z.infer<typeof ssoDomainSchema>;

/** `GET /v1/orgs/:orgId/sso` (owners and admins); `configured: false` before the first save. */
export const ssoConfigResponseSchema = z.object({
  configured: z.boolean(),
  enabled: z.boolean(),
  issuer: z.string().nullable(),
  clientId: z.string().nullable(),
  /** True when a client secret is stored; the secret itself is never returned. */
  hasClientSecret: z.boolean(),
  domains: z.array(ssoDomainSchema),
  defaultRole: ssoDefaultRoleSchema,
  ssoRequired: z.boolean(),
  breakGlassUserId: z.string().nullable(),
  /** The redirect URI to register at the identity provider. */
  redirectUri: z.string(),
  updatedAt: z.string().nullable(),
});
export type SsoConfigResponse = z.infer<typeof ssoConfigResponseSchema>;

/** `POST /v1/orgs/:orgId/sso/domains/:domain/verify`: checks the TXT record now. */
export const ssoDomainVerifyResponseSchema = ssoDomainSchema;

/** `POST /v1/auth/sso/start`. */
export const ssoStartRequestSchema = z
  .object({
    email: z
      .email()
      .max(254)
      .transform((e) => e.toLowerCase()),
    /** Where to land after sign-in: an app path such as `/o/acme` (never another origin). */
    returnTo: text()
      .max(500)
      .regex(/^\/(?![/\\])[^\s]*$/, 'an app path starting with /')
      .optional(),
  })
  .strict();
export type SsoStartRequest = z.infer<typeof ssoStartRequestSchema>;

/** The browser goes to `redirectUrl` (the identity provider's authorization endpoint). */
export const ssoStartResponseSchema = z.object({ redirectUrl: z.string() });
export type SsoStartResponse = z.infer<typeof ssoStartResponseSchema>;

/**
 * Why an SSO sign-in failed, passed to the app as `/signin?sso_error=<code>` by the callback
 * (the app shows words for each code).
 */
export const SSO_ERROR_CODES = [
  'state_invalid',
  'idp_error',
  'token_invalid',
  'email_unverified',
  'domain_not_allowed',
  'sso_disabled',
] as const;
export type SsoErrorCode = (typeof SSO_ERROR_CODES)[number];
