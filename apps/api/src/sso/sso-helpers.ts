import { SSO_DNS_RECORD_PREFIX, type SsoErrorCode } from '@plumbline/contracts';

/** Cookie binding an SSO sign-in attempt to the browser that started it (login-CSRF defence). */
export const SSO_ATTEMPT_COOKIE = 'plumbline_sso';

/** The lower-case domain of an email address ('' when there is none). */
export function emailDomain(email: string): string {
  const at = email.lastIndexOf('@');
  return at < 0
    ? ''
    : email
        .slice(at + 1)
        .trim()
        .toLowerCase()
        .replace(/\.$/, '');
}

/** The redirect URI to register at the identity provider (same origin as the web app). */
export function ssoRedirectUri(appUrl: string): string {
  return `${appUrl}/v1/auth/sso/callback`;
}

export function txtRecordName(domain: string): string {
  return `${SSO_DNS_RECORD_PREFIX}.${domain}`;
}

export function txtRecordValue(token: string): string {
  return `plumbline-verification=${token}`;
}

/** Whether any TXT record (its chunks joined) is exactly the expected value. */
export function txtMatches(records: readonly (readonly string[])[], expected: string): boolean {
  return records.some((chunks) => chunks.join('').trim() === expected);
}

/** An app path only: starts with one `/`, no scheme, no `//` or `/\` (another origin). */
export function safeReturnTo(path: string | null | undefined): string | null {
  if (!path || !/^\/(?![/\\])[^\s]*$/.test(path)) return null;
  return path;
}

/** Where a failed sign-in lands: the sign-in page with the reason's code. */
export function failureLocation(appUrl: string, code: SsoErrorCode): string {
  return `${appUrl}/signin?sso_error=${code}`;
}

export function attemptCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${SSO_ATTEMPT_COOKIE}=${encodeURIComponent(value)}`,
    'Path=/v1/auth/sso',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${maxAgeSeconds}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
