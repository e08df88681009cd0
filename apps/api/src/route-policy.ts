/**
 * Every route that is NOT scoped to an organisation, with why. All other routes live under
 * /v1/orgs/:orgId and are swept by the tenancy test (tenancy.int.test.ts): the owning
 * organisation's member gets 2xx, a foreign member 404/403 without data, anonymous 401.
 * The test fails when a registered route is neither swept nor listed here.
 */
export const PUBLIC_ROUTES: Record<string, string> = {
  'GET /healthz': 'liveness probe; version only',
  'GET /readyz': 'readiness probe; service checks only',
  'POST /v1/auth/signup': 'creates a new organisation and its owner',
  'POST /v1/auth/login': 'starts a session for the caller only',
  'POST /v1/auth/login/mfa':
    'the single-use sign-in challenge itself identifies the account; starts a session for it only',
  'POST /v1/invites/accept': 'the invite token itself identifies the organisation',
  'POST /v1/auth/password-reset':
    'mails a link to the account of that email, if any; the same answer either way',
  'POST /v1/auth/password-reset/confirm': 'the mailed token itself identifies the account',
  'POST /v1/auth/verify-email': 'the mailed token itself identifies the account',
  'POST /v1/auth/sso/start':
    'finds the organisation of a verified email domain only; answers with its identity provider URL (no organisation data)',
  'GET /v1/auth/sso/callback':
    'the single-use attempt (state + browser cookie) identifies the organisation; starts a session for the signed-in identity only',
  'GET /v1/dev/mailbox':
    'development only: registered without SMTP_URL and with NODE_ENV other than production (the local demo outbox)',
};

export const SCANNER_TOKEN_ROUTES: Record<string, string> = {
  'POST /v1/snapshots': 'the scanner token is bound to one organisation; upload only',
};

/** Signed-in routes about the caller, not about an organisation. */
export const SESSION_ROUTES: Record<string, string> = {
  'GET /v1/me': "the caller's own profile and memberships",
  'POST /v1/auth/logout': "ends the caller's own session",
  'POST /v1/auth/verify-email/resend': "mails the caller's own address",
  'GET /v1/me/mfa': "the caller's own two-factor authentication state",
  'POST /v1/me/mfa/enrol':
    "the caller's own authenticator enrolment (open to members of organisations requiring it)",
  'POST /v1/me/mfa/confirm': "turns on the caller's own two-factor authentication",
  'POST /v1/me/mfa/disable': "turns off the caller's own two-factor authentication",
  'POST /v1/me/mfa/recovery-codes': "replaces the caller's own recovery codes",
};

/**
 * Operator routes: no organisation data, for the platform's own monitoring. Bearer
 * METRICS_TOKEN when configured; keep them off the public ingress either way.
 */
export const OPERATOR_ROUTES: Record<string, string> = {
  'GET /metrics':
    'Prometheus metrics: aggregates labelled by route template, job and queue names only',
};
