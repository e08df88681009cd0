/**
 * Text from the API shown on screen and in the PDF report. Names come from customers' clusters
 * (workloads, namespaces, annotations, tokens): a Unicode bidirectional control character in one
 * (U+202E RIGHT-TO-LEFT OVERRIDE...) would reorder what is displayed around it, so a name could
 * read as another. Every such character is shown as a visible escape (`\u202E`) instead: the
 * web client applies this to every string it receives (api/http.ts), the report page to its data
 * (report/main.tsx).
 */

/** Embeddings and overrides (U+202A-202E), isolates (U+2066-2069), marks (U+200E, U+200F, U+061C). */
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** `a\u202Eb` -> `a\\u202Eb`: bidi controls as visible escapes, everything else unchanged. */
export function escapeBidi(text: string): string {
  return text.replace(
    BIDI_CONTROL,
    (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

/** JSON.parse reviver: every string value (and object key) escaped. */
export function bidiSafeReviver(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return escapeBidi(value);
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const safe = escapeBidi(k);
      if (safe !== k) changed = true;
      out[safe] = v;
    }
    return changed ? out : value;
  }
  return value;
}

/** A deep copy of JSON-like data with every string escaped (the report data). */
export function escapeBidiDeep(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value), bidiSafeReviver) as unknown;
}
