import type { SsoConfigRequest } from '@plumbline/contracts';
import { EMAIL_DOMAIN_PATTERN, SSO_BOUNDS } from '../../vocabulary';

/**
 * The checks of the single sign-on form, by hand: the contracts' schemas (zod) stay out of the
 * browser. `sso.test.tsx` checks that they accept and refuse what the contracts do.
 */

/** What the form holds before it becomes a request. */
export interface SsoForm {
  enabled: boolean;
  issuer: string;
  clientId: string;
  /** '' keeps the stored secret. */
  clientSecret: string;
  domains: string[];
  defaultRole: SsoConfigRequest['defaultRole'];
  ssoRequired: boolean;
  /** '' when no owner is chosen. */
  breakGlassUserId: string;
}

/** A domain as typed ("@Example.com ") as the API stores it, or why it cannot be one. */
export function readDomain(raw: string): { domain: string } | { problem: string } {
  const domain = raw.trim().toLowerCase().replace(/^@/, '');
  if (!domain) return { problem: 'Write a domain first, such as example.com.' };
  if (domain.length > SSO_BOUNDS.domainMax || !EMAIL_DOMAIN_PATTERN.test(domain)) {
    return {
      problem: `“${domain}” is not a domain: write one such as example.com, without https:// or an address.`,
    };
  }
  return { domain };
}

/** Why the issuer URL is refused, or null. */
function issuerProblem(raw: string): string | null {
  const issuer = raw.trim();
  if (!issuer) return 'Issuer URL: write the address of your identity provider.';
  if (issuer.length > SSO_BOUNDS.issuerMax)
    return `Issuer URL: at most ${SSO_BOUNDS.issuerMax} characters.`;
  try {
    new URL(issuer);
  } catch {
    return 'Issuer URL: write a URL such as https://login.example.com.';
  }
  if (!/^https?:\/\//i.test(issuer)) return 'Issuer URL: it starts with https://.';
  return null;
}

/** Everything wrong with the form, in words (empty: it can be saved). */
export function ssoFormProblems(
  form: SsoForm,
  opts: { hasClientSecret: boolean; ownerIds: readonly string[] },
): string[] {
  const problems: string[] = [];
  const issuer = issuerProblem(form.issuer);
  if (issuer) problems.push(issuer);
  const clientId = form.clientId.trim();
  if (!clientId) problems.push('Client ID: copy it from your identity provider.');
  else if (clientId.length > SSO_BOUNDS.clientIdMax)
    problems.push(`Client ID: at most ${SSO_BOUNDS.clientIdMax} characters.`);
  if (!form.clientSecret && !opts.hasClientSecret)
    problems.push('Client secret: copy it from your identity provider.');
  if (form.clientSecret.length > SSO_BOUNDS.clientSecretMax)
    problems.push(
      `Client secret: at most ${SSO_BOUNDS.clientSecretMax.toLocaleString('en-US')} characters.`,
    );
  if (!form.domains.length) problems.push('Email domains: add at least one.');
  if (form.domains.length > SSO_BOUNDS.maxDomains)
    problems.push(`Email domains: at most ${SSO_BOUNDS.maxDomains}.`);
  for (const d of form.domains) {
    const r = readDomain(d);
    if ('problem' in r) problems.push(`Email domains: ${r.problem}`);
  }
  if (form.ssoRequired && !opts.ownerIds.includes(form.breakGlassUserId)) {
    problems.push(
      'Owner who keeps password sign-in: choose one, so someone can still sign in if the identity provider is unavailable.',
    );
  }
  return problems;
}

/** The request the form saves: trimmed, the secret only when a new one was typed. */
export function ssoRequestOf(form: SsoForm): SsoConfigRequest {
  return {
    enabled: form.enabled,
    issuer: form.issuer.trim(),
    clientId: form.clientId.trim(),
    ...(form.clientSecret ? { clientSecret: form.clientSecret } : {}),
    domains: form.domains,
    defaultRole: form.defaultRole,
    ssoRequired: form.ssoRequired,
    breakGlassUserId: form.ssoRequired && form.breakGlassUserId ? form.breakGlassUserId : null,
  };
}
