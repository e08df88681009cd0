import {
  clusterSnapshotSchema,
  type ClusterSnapshot,
  type ContractIssue,
} from '@plumbline/contracts';
import { z } from 'zod';

/**
 * The contract check of parseClusterSnapshot(), in small steps: the top level with its lists
 * emptied, then every list element on its own. Same verdict, but it never builds a validated
 * copy of a whole large snapshot (a live scan of 100k pods would double its memory otherwise).
 */

type Path = (string | number)[];

function issuesOf(error: z.ZodError, prefix: Path): ContractIssue[] {
  return error.issues.map((i) => {
    const path = [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    return { path: path.length ? path.map(String).join('.') : '(root)', message: i.message };
  });
}

/** Arrays (of this object and of its object fields) whose elements are checked one by one. */
function listsOf(schema: z.ZodObject, value: Record<string, unknown>, prefix: Path) {
  const lists: { path: Path; element: z.ZodType; items: unknown[] }[] = [];
  const emptied: Record<string, unknown> = { ...value };
  for (const [key, sub] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const v = value[key];
    if (sub instanceof z.ZodArray && Array.isArray(v)) {
      emptied[key] = [];
      lists.push({ path: [...prefix, key], element: sub.element as z.ZodType, items: v });
    } else if (
      sub instanceof z.ZodObject &&
      typeof v === 'object' &&
      v !== null &&
      !Array.isArray(v)
    ) {
      const inner = listsOf(sub, v as Record<string, unknown>, [...prefix, key]);
      emptied[key] = inner.emptied;
      lists.push(...inner.lists);
    }
  }
  return { emptied, lists };
}

/** Does the snapshot match the contract? The first problems when it does not. */
export function checkSnapshot(
  snapshot: ClusterSnapshot,
  max = 20,
): { ok: true } | { ok: false; issues: ContractIssue[] } {
  const issues: ContractIssue[] = [];
  const { emptied, lists } = listsOf(
    clusterSnapshotSchema,
    snapshot as unknown as Record<string, unknown>,
    [],
  );
  const top = clusterSnapshotSchema.safeParse(emptied);
  if (!top.success) issues.push(...issuesOf(top.error, []));
  for (const list of lists) {
    for (let i = 0; i < list.items.length && issues.length < max; i++) {
      const r = list.element.safeParse(list.items[i]);
      if (!r.success) issues.push(...issuesOf(r.error, [...list.path, i]));
    }
  }
  return issues.length ? { ok: false, issues: issues.slice(0, max) } : { ok: true };
}
