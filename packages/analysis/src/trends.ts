import type { CostAssumptions, TrendPoint } from '@plumbline/contracts';

/** What a trend point was computed with: the method, not the clusters. */
export interface TrendBasis {
  methodologyVersion: string | null;
  costModelVersion: string | null;
  /** The effective cost assumptions (null: no tax computed). */
  assumptions: Readonly<CostAssumptions> | null;
}

function show(v: unknown): string {
  if (typeof v === 'number') return String(Number(v.toPrecision(6)));
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (v && typeof v === 'object') {
    const e = Object.entries(v as Record<string, unknown>);
    return e.length ? e.map(([k, x]) => `${k} ${show(x)}`).join(', ') : 'none';
  }
  return '—';
}

/**
 * The changes of method between two roll-ups, in words: a methodology or cost model version,
 * and every cost assumption whose value changed (before -> after). Empty when nothing changed.
 */
export function methodChanges(prev: TrendBasis | null, next: TrendBasis): string[] {
  if (!prev) return [];
  const out: string[] = [];
  if (
    prev.methodologyVersion &&
    next.methodologyVersion &&
    prev.methodologyVersion !== next.methodologyVersion
  )
    out.push(`methodology ${prev.methodologyVersion} -> ${next.methodologyVersion}`);
  if (
    prev.costModelVersion &&
    next.costModelVersion &&
    prev.costModelVersion !== next.costModelVersion
  )
    out.push(`cost model ${prev.costModelVersion} -> ${next.costModelVersion}`);
  if (prev.assumptions && next.assumptions) {
    const keys = [...new Set([...Object.keys(prev.assumptions), ...Object.keys(next.assumptions)])];
    const edited = keys
      .sort()
      .map((k) => {
        const a = (prev.assumptions as Record<string, unknown>)[k];
        const b = (next.assumptions as Record<string, unknown>)[k];
        return JSON.stringify(a) === JSON.stringify(b) ? null : `${k} ${show(a)} -> ${show(b)}`;
      })
      .filter((x): x is string => x !== null);
    if (edited.length) out.push(`cost assumptions edited: ${edited.join('; ')}`);
  }
  return out;
}

/**
 * Append a point, replacing one at the same time; the changes of a replaced point are kept (an
 * edit after the last scan lands on that scan's point and must stay explained there).
 */
export function appendAnnotatedTrend(
  previous: readonly TrendPoint[],
  point: TrendPoint,
  max = 400,
): TrendPoint[] {
  const replaced = previous.find((p) => p.at === point.at);
  const changes = [...new Set([...(replaced?.changes ?? []), ...point.changes])];
  return [...previous.filter((p) => p.at !== point.at), { ...point, changes }]
    .sort((a, b) => a.at.localeCompare(b.at))
    .slice(-max);
}
