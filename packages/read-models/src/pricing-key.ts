/**
 * The effective cost assumptions as one string, whatever the key order: a stored figure was
 * priced with the current assumptions exactly when the keys are equal.
 */
export function pricingKey(effective: unknown): string {
  return canonical(effective);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}
