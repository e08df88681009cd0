import { z } from 'zod';

/**
 * Text that PostgreSQL can store (text and jsonb columns): no NUL character and well-formed
 * UTF-16 (no lone surrogate, which has no UTF-8 form). Every contract that carries text from
 * outside (snapshots, evidence, sign-up, tokens, connections) builds its strings from `text()`,
 * so such input is refused at the edge with a 422 naming the field, before anything is written.
 */
export const TEXT_PROBLEM = 'must not contain NUL characters or unpaired UTF-16 surrogates';

/** ES2024 String.prototype.isWellFormed (Node 20+); the repository's TypeScript lib is ES2023. */
type WellFormed = { isWellFormed(): boolean };

/** True when `s` can be stored as PostgreSQL text: no U+0000, no unpaired surrogate. */
export function isStorableText(s: string): boolean {
  return !s.includes('\u0000') && (s as unknown as WellFormed).isWellFormed();
}

/** A string refined to storable text; chain `.min()`, `.max()`, `.trim()` as on `z.string()`. */
export function text(): z.ZodString {
  return z.string().refine(isStorableText, { message: TEXT_PROBLEM });
}

/**
 * The path (e.g. `spec.env.0`) of the first string, object key included, that is not storable
 * text in a JSON value; null when all are. Used by free-form JSON fields of the contracts.
 */
export function unstorableTextPath(value: unknown, path: (string | number)[] = []): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path.join('.');
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = unstorableTextPath(value[i], [...path, i]);
      if (p !== null) return p;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!isStorableText(k)) return [...path, k].join('.') || '(key)';
      const p = unstorableTextPath(v, [...path, k]);
      if (p !== null) return p;
    }
  }
  return null;
}

/** `z.json()` whose strings and keys are all storable text (the issue names the inner path). */
export function storableJson(): ReturnType<typeof z.json> {
  return z.json().superRefine((value, ctx) => {
    const inner = unstorableTextPath(value);
    if (inner !== null)
      ctx.addIssue({
        code: 'custom',
        message: `${inner ? `${inner}: ` : ''}${TEXT_PROBLEM}`,
      });
  });
}
