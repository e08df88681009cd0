import { createHmac } from 'node:crypto';
import {
  NOT_SENSITIVE_ALONE,
  REFERENCE_LAST_WORD,
  SENSITIVE_FRAGMENT,
  SENSITIVE_WORDS,
} from './rules.js';

/**
 * Credential detection and redaction. The collector never keeps a secret value: it keeps names,
 * references, a yes/no "looks like a credential" flag and an HMAC fingerprint under the
 * installation's key (or a per-scan key when none is given).
 */

export const REDACTED = '[REDACTED]';

const PATTERNS: readonly RegExp[] = [
  /sk-(?:proj-|ant-|live-)?[A-Za-z0-9_-]{16,}/, // OpenAI / Anthropic style keys
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, // AWS access key ids
  /AIza[0-9A-Za-z_-]{30,}/, // Google API keys
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, // JWTs
  /\bgh[pousr]_[A-Za-z0-9]{30,}/, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{30,}/,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/, // Slack tokens
  /\bglpat-[A-Za-z0-9_-]{20,}/, // GitLab tokens
  /\b[rs]k_live_[A-Za-z0-9]{16,}/, // Stripe
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /[a-z][a-z0-9+.-]*:\/\/[^\s:@/]+:[^\s@/]+@/i, // URL with user:password
];

function entropy(s: string): number {
  const freq = new Map<string, number>();
  for (const c of s) freq.set(c, (freq.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of freq.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A long, random-looking token (base64/hex-like, mixed character classes, high entropy). */
function highEntropyWord(word: string): boolean {
  if (word.length < 24 || !/^[A-Za-z0-9+/=_-]+$/.test(word)) return false;
  if (/^[a-f0-9]+$/i.test(word)) return word.length >= 32 && entropy(word) >= 3.5;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(word)).length;
  return classes >= 3 && entropy(word) >= 4.0;
}

export function looksLikeCredential(value: string): boolean {
  if (PATTERNS.some((p) => p.test(value))) return true;
  return value.split(/[\s"'=:,;@/?&]+/).some(highEntropyWord);
}

/** The words of a key name: `dbPassword` -> db, password; `KVSTORE-PASSWORD` -> kvstore, password. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Is a value under this key name a secret whatever it looks like? True when a word of the name is
 * password/passwd/pwd/secret/token/key/credential (or such a word written together). `references`
 * (configuration and custom resources): a name ending in name/ref/file/path... is a reference.
 */
export function isSensitiveName(name: string, references = false): boolean {
  const words = nameWords(name);
  if (!words.length) return false;
  if (words.length === 1 && NOT_SENSITIVE_ALONE.test(words[0]!)) return false;
  const hit = words.some((w) => SENSITIVE_WORDS.test(w) || SENSITIVE_FRAGMENT.test(w));
  if (!hit) return false;
  if (references && words.length > 1) {
    const last = words[words.length - 1]!;
    if (REFERENCE_LAST_WORD.test(last)) return false;
  }
  return true;
}

/**
 * HMAC-SHA256 of a value under the installation's fingerprint key (or a per-scan key), shortened:
 * recognises equal values across scans of one installation, no more.
 */
export function fingerprint(key: Uint8Array, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, 16);
}

/** Remove user:password from URLs and secret-looking query parameters. */
export function stripUrlCredentials(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, `$1${REDACTED}@`)
    .replace(
      /([?&](?:[a-z0-9_-]*(?:token|key|secret|password|sig|signature|auth)[a-z0-9_-]*)=)[^&\s#]+/gi,
      `$1${REDACTED}`,
    );
}

const SENSITIVE_ASSIGNMENT =
  /((?:^|[\s"'{,;(-])-{0,2}[A-Za-z0-9_.-]*(?:token|password|passwd|secret|api[_-]?key|apikey|credential|private[_-]?key|access[_-]?key)[A-Za-z0-9_.-]*["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&|'"}]+)/gi;
const AUTH_HEADER = /\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;

/**
 * Redact secrets inside free text (a command-line argument, a config file): URL credentials,
 * `name=value` pairs with sensitive names, Authorization schemes and credential-looking words.
 */
export function scrubText(text: string): string {
  let out = stripUrlCredentials(text)
    .replace(SENSITIVE_ASSIGNMENT, (_m, lhs: string) => `${lhs}${REDACTED}`)
    .replace(AUTH_HEADER, (_m, scheme: string) => `${scheme} ${REDACTED}`);
  for (const p of PATTERNS) out = out.replace(new RegExp(p.source, p.flags + 'g'), REDACTED);
  out = out.replace(/[A-Za-z0-9+/=_-]{24,}/g, (w) => (highEntropyWord(w) ? REDACTED : w));
  return out;
}

const SENSITIVE_FLAG =
  /^-{1,2}[A-Za-z0-9_.-]*(token|password|passwd|secret|api[_-]?key|apikey|credential|private[_-]?key|access[_-]?key)[A-Za-z0-9_.-]*$/i;

/** Redact a command or args list: `--token=x`, `--token x`, and secrets anywhere in the text. */
export function scrubArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    out.push(scrubText(arg));
    // `--password value`: the next element is the value.
    if (SENSITIVE_FLAG.test(arg) && i + 1 < args.length && !args[i + 1]!.startsWith('-')) {
      out.push(REDACTED);
      i++;
    }
  }
  return out;
}

/** True when free text holds anything scrubText would redact. */
export function containsCredential(text: string): boolean {
  return scrubText(text) !== text;
}

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * Deep copy of a JSON value with every string checked: values under sensitive keys (any key whose
 * name has a word like password, pwd, secret, token, key or credential: see isSensitiveName) and values
 * that look like credentials become [REDACTED]; URLs lose their credentials.
 */
export function scrubJson(value: unknown, key = ''): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    if (isSensitiveName(key, true)) return REDACTED;
    return containsCredential(value) ? REDACTED : value;
  }
  if (typeof value === 'number') {
    if (isSensitiveName(key, true)) return REDACTED; // a PIN or numeric password is a secret too
    return Number.isFinite(value) ? value : null;
  }
  if (typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, key));
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const out: { [k: string]: Json } = {};
    for (const k of Object.keys(value as object)) {
      out[k] = scrubJson((value as Record<string, unknown>)[k], k);
    }
    return out;
  }
  return null;
}
