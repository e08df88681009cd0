/** Small deterministic helpers (codepoint order, never locale order). */

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(cmp);
}

/** At most `max` lines, then one line saying how many were left out. */
export function capList(lines: readonly string[], max = 10): string[] {
  if (lines.length <= max) return [...lines];
  return [...lines.slice(0, max), `... and ${lines.length - max} more`];
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export const obj = (v: unknown): Record<string, unknown> => (isObj(v) ? v : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | null =>
  typeof v === 'string' && v.length > 0 ? v : null;

/** `n of m` with a percentage, e.g. `3 of 4 (75%)`. */
export function share(n: number, m: number): string {
  return m ? `${n} of ${m} (${Math.round((100 * n) / m)}%)` : '0 of 0';
}

/** The host of a URL-ish string (scheme optional), lower-cased; null when there is none. */
export function hostOf(url: string): string | null {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^@/\s]*@)?(\[[^\]]+\]|[^:/?#\s]+)/i.exec(url.trim());
  const h = m?.[1]?.toLowerCase() ?? null;
  return h && h !== '' ? h.replace(/^\[|\]$/g, '') : null;
}

export function schemeOf(url: string): string | null {
  return /^([a-z][a-z0-9+.-]*):\/\//i.exec(url.trim())?.[1]?.toLowerCase() ?? null;
}

/** Loopback, RFC 1918 / RFC 4193 private, link-local or an internal-looking name. */
export function isInternalHost(host: string): boolean {
  if (host === 'localhost' || /^127\./.test(host) || host === '::1') return true;
  if (/^10\./.test(host) || /^192\.168\./.test(host) || /^169\.254\./.test(host)) return true;
  const m = /^172\.(\d+)\./.exec(host);
  if (m && Number(m[1]) >= 16 && Number(m[1]) <= 31) return true;
  if (/^f[cd][0-9a-f]{2}:/i.test(host)) return true;
  if (!host.includes('.')) return true;
  return /\.(svc|cluster\.local|internal|local|corp|lan|intranet|home\.arpa)$/.test(host);
}

/**
 * "Does any of these patterns match?" in one pass: the union of the patterns (one regex per flag
 * set), which matches exactly when one of them does. Patterns whose union could mean something
 * else are tested on their own: global or sticky flags (stateful test), backreferences and named
 * groups (numbering and names change in a union). Built once per pattern list, at module load.
 */
export function anyOf(patterns: readonly RegExp[]): (s: string) => boolean {
  const byFlags = new Map<string, RegExp[]>();
  const alone: RegExp[] = [];
  for (const re of patterns) {
    if (/[gy]/.test(re.flags) || /\\[1-9k]|\(\?<[^=!]/.test(re.source)) {
      alone.push(re);
      continue;
    }
    const list = byFlags.get(re.flags);
    if (list) list.push(re);
    else byFlags.set(re.flags, [re]);
  }
  const tests: RegExp[] = [];
  for (const [flags, list] of byFlags) {
    try {
      tests.push(new RegExp(list.map((re) => `(?:${re.source})`).join('|'), flags));
    } catch {
      alone.push(...list);
    }
  }
  tests.push(...alone);
  if (tests.length === 1) {
    const only = tests[0]!;
    return (s) => only.test(s);
  }
  return (s) => tests.some((re) => re.test(s));
}
