/**
 * Recognising credentials inside evidence uploads (MCP client configurations), which the
 * collector's redaction never saw. Only yes/no answers leave this file: never a value.
 * The patterns follow the collector's credential check (packages/collector/src/credentials.ts).
 */

const PATTERNS: readonly RegExp[] = [
  /sk-(?:proj-|ant-|live-)?[A-Za-z0-9_-]{16,}/,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/,
  /AIza[0-9A-Za-z_-]{30,}/,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/,
  /\bgh[pousr]_[A-Za-z0-9]{30,}/,
  /\bgithub_pat_[A-Za-z0-9_]{30,}/,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/,
  /\bglpat-[A-Za-z0-9_-]{20,}/,
  /\b[rs]k_live_[A-Za-z0-9]{16,}/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:[^\s@/]+@/i,
];

/** Does the value contain something that looks like a credential? */
export function looksLikeSecret(value: string): boolean {
  return PATTERNS.some((p) => p.test(value));
}

/**
 * A reference resolved at run time rather than a value: `${VAR}`, `${env:VAR}`, `${input:id}`,
 * `{{ secret }}`, `$VAR`, `<your-token>`, or empty.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  if (v === '[REDACTED]') return false;
  return /^(\$\{[^}]+\}|\{\{[^}]+\}\}|\$[A-Za-z_][A-Za-z0-9_]*|<[^>]+>|%[A-Za-z_][A-Za-z0-9_]*%)$/.test(
    v,
  );
}

/** The credential part of a header value (`Bearer xyz` -> `xyz`). */
export function credentialPart(value: string): string {
  return value.replace(/^\s*(bearer|basic|token|apikey|api-key)\s+/i, '').trim();
}

/** A header or env value that is a literal credential (not a placeholder). */
export function isStaticCredential(value: string): boolean {
  const part = credentialPart(value);
  return part !== '' && !isPlaceholder(part);
}
