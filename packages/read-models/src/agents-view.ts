import {
  AGENTS_PAGE_MAX,
  AGENTS_PAGE_SIZE,
  SEVERITIES,
  type AgentsList,
  type AgentsOverview,
  type AgentsPage,
  type AgentsPageQuery,
  type AgentsResponse,
  type AgentsViewFinding,
  type AgentsViewItem,
  type AgentsViewPrinciple,
} from '@plumbline/contracts';
import { JsonPage } from './json-page.js';

/**
 * The stored agents view in pages (pure; no I/O). A large fleet's view is megabytes (thousands of
 * findings, hundreds of items and principles), more than a screen shows and too much to send on
 * every read: `GET agents` answers the small parts whole and the first page of each long list,
 * `GET agents/:list` the next pages of the same stored view.
 *
 * Order of each list: items and principles as stored (cluster by cluster); findings worst first
 * (severity, then ASI code, title and id, then as stored), so the first page holds the fleet's
 * most severe gaps and the clusters of one gap are adjacent. The cursor is the offset of the next
 * entry in that order (opaque to clients); pages of one roll-up never overlap or skip.
 *
 * What is derived from a view (the findings' order, filtered lists, the first page's JSON) is
 * kept beside the view's parsed body (a WeakMap keyed by it): computed once per roll-up in a
 * process, and gone with the body when the read models' cache lets it go.
 */

/** The stored view (what the roll-up stores in the `agents` column). */
export type AgentsBody = Omit<AgentsOverview, 'computedAt'>;

/** What a page can be refused for (the read models answer it as a 422 with the reason). */
export interface AgentsPageRefusal {
  refused: string;
}

interface Derived {
  /** The findings in page order. */
  findings: readonly AgentsViewFinding[];
  /** Filtered lists by list and filter, computed on first use (a few dozen at most). */
  filtered: Map<string, readonly unknown[]>;
  /** The `GET agents` answer, serialised, with the roll-up time it is of. */
  firstPage: { computedAt: string; page: JsonPage } | null;
}

const derived = new WeakMap<AgentsBody, Derived>();

const SEVERITY_RANK = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]));
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Worst first: severity, then ASI code (none first), title and id; ties keep stored order. */
export function findingsInPageOrder(
  findings: readonly AgentsViewFinding[],
): readonly AgentsViewFinding[] {
  const rank = (f: AgentsViewFinding) => SEVERITY_RANK.get(f.severity) ?? SEVERITIES.length;
  // Array.prototype.sort is stable: equal keys stay in stored (cluster) order.
  return [...findings].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      byCodeUnits(a.asi ?? '', b.asi ?? '') ||
      byCodeUnits(a.title, b.title) ||
      byCodeUnits(a.id, b.id),
  );
}

function derivedOf(body: AgentsBody): Derived {
  let d = derived.get(body);
  if (!d) {
    d = { findings: findingsInPageOrder(body.findings), filtered: new Map(), firstPage: null };
    derived.set(body, d);
  }
  return d;
}

function memo<T>(d: Derived, key: string, compute: () => readonly T[]): readonly T[] {
  const hit = d.filtered.get(key) as readonly T[] | undefined;
  if (hit) return hit;
  const list = compute();
  d.filtered.set(key, list);
  return list;
}

/** One list of the view in page order, narrowed by the query's filters. */
function itemsOf(body: AgentsBody, q: AgentsPageQuery): readonly AgentsViewItem[] {
  if (q.kind === undefined && q.shadow === undefined) return body.items;
  return memo(derivedOf(body), `items/${q.kind ?? '*'}/${q.shadow ?? '*'}`, () =>
    body.items.filter(
      (i) =>
        (q.kind === undefined || i.kind === q.kind) &&
        (q.shadow === undefined || i.registered !== q.shadow),
    ),
  );
}

function findingsOf(body: AgentsBody, q: AgentsPageQuery): readonly AgentsViewFinding[] {
  const d = derivedOf(body);
  if (q.pillar === undefined) return d.findings;
  return memo(d, `findings/${q.pillar}`, () => d.findings.filter((f) => f.pillar === q.pillar));
}

function principlesOf(body: AgentsBody, q: AgentsPageQuery): readonly AgentsViewPrinciple[] {
  if (q.pillar === undefined) return body.principles;
  return memo(derivedOf(body), `principles/${q.pillar}`, () =>
    body.principles.filter((p) => p.pillar === q.pillar),
  );
}

interface Slice<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

function sliceAt<T>(all: readonly T[], offset: number, limit: number): Slice<T> {
  const end = offset + limit;
  return {
    items: all.slice(offset, end),
    total: all.length,
    nextCursor: end < all.length ? String(end) : null,
  };
}

/** `limit` entries from the cursor's offset; a bad limit or a cursor beyond the list is refused. */
export function slicePage<T>(
  all: readonly T[],
  cursor: string | undefined,
  limit: number,
): Slice<T> | AgentsPageRefusal {
  if (!Number.isInteger(limit) || limit < 1 || limit > AGENTS_PAGE_MAX)
    return { refused: `limit: from 1 to ${AGENTS_PAGE_MAX}` };
  const offset = cursor === undefined ? 0 : Number(cursor);
  if (!/^\d{1,9}$/.test(cursor ?? '0'))
    return { refused: 'cursor: not a cursor of this list; pass back a nextCursor of it' };
  if (offset > 0 && offset >= all.length)
    return {
      refused: `cursor: beyond the end of the list (${all.length} entries); the view may have changed: start again without a cursor`,
    };
  return sliceAt(all, offset, limit);
}

/** Filters that do not apply to the list are refused rather than ignored. */
function misfit(list: AgentsList, q: AgentsPageQuery): AgentsPageRefusal | null {
  if (list === 'items' && q.pillar !== undefined)
    return { refused: 'pillar: filters the findings and principles, not the items' };
  if (list !== 'items' && (q.kind !== undefined || q.shadow !== undefined))
    return { refused: `${q.kind !== undefined ? 'kind' : 'shadow'}: filters the items only` };
  return null;
}

/** One page of one list of the stored view (`computedAt`: the roll-up it is of). */
export function agentsListPage(
  computedAt: string,
  body: AgentsBody,
  list: AgentsList,
  query: AgentsPageQuery,
): AgentsPage | AgentsPageRefusal {
  const wrong = misfit(list, query);
  if (wrong) return wrong;
  const limit = query.limit ?? AGENTS_PAGE_SIZE;
  switch (list) {
    case 'items': {
      const s = slicePage(itemsOf(body, query), query.cursor, limit);
      return 'refused' in s ? s : { computedAt, list, ...s };
    }
    case 'findings': {
      const s = slicePage(findingsOf(body, query), query.cursor, limit);
      return 'refused' in s ? s : { computedAt, list, ...s };
    }
    case 'principles': {
      const s = slicePage(principlesOf(body, query), query.cursor, limit);
      return 'refused' in s ? s : { computedAt, list, ...s };
    }
  }
}

const firstOf = <T>(all: readonly T[]) => sliceAt(all, 0, AGENTS_PAGE_SIZE);

/** `GET agents`: the view's small parts whole, the first page of each long list. */
export function agentsFirstPage(computedAt: string, body: AgentsBody): AgentsResponse {
  const items = firstOf(body.items);
  const findings = firstOf(derivedOf(body).findings);
  const principles = firstOf(body.principles);
  const place = (s: Slice<unknown>) => ({ total: s.total, nextCursor: s.nextCursor });
  return {
    computedAt,
    ...body,
    items: items.items,
    findings: findings.items,
    principles: principles.items,
    pages: { items: place(items), findings: place(findings), principles: place(principles) },
  };
}

/** `agentsFirstPage` as JSON, serialised once per roll-up (a steady read sends this page). */
export function agentsFirstPageJson(computedAt: string, body: AgentsBody): JsonPage {
  const d = derivedOf(body);
  if (d.firstPage?.computedAt !== computedAt)
    d.firstPage = {
      computedAt,
      page: new JsonPage(JSON.stringify(agentsFirstPage(computedAt, body))),
    };
  return d.firstPage.page;
}
