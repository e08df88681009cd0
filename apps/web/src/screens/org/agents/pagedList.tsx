import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../../../api';

/** A page of a list as `GET agents/:list` answers it. */
export interface ListPage<T> {
  computedAt: string;
  items: readonly T[];
  total: number;
  nextCursor: string | null;
}

/** A list's first page as `GET agents` answers it. */
export interface FirstPage<T> {
  entries: readonly T[];
  total: number;
  nextCursor: string | null;
}

export interface PagedList<T> {
  entries: readonly T[];
  /** Entries of the whole list (after its filters). */
  total: number;
  /** A next page exists and can be loaded. */
  more: boolean;
  loading: boolean;
  error: string | null;
  /** A page came from a newer roll-up than the screen's: it was not mixed in; reload. */
  changed: boolean;
  loadMore: () => void;
}

interface State<T> {
  entries: readonly T[];
  total: number;
  cursor: string | null;
  loading: boolean;
  error: string | null;
  changed: boolean;
}

/**
 * One long list of the agents view (items, findings, principles), page by page. It starts from
 * `first` (the first page `GET agents` answered) or, when null (filters the first answer does not
 * have), loads the first page itself; `loadMore` appends the next. A page of another roll-up than
 * `computedAt` is not mixed in: `changed` asks for a reload. Give the component using it a `key`
 * of the roll-up and the filters, so another view or filter starts from its first page.
 */
export function usePagedList<T>(
  computedAt: string | null,
  first: FirstPage<T> | null,
  fetchPage: (cursor: string | undefined, signal: AbortSignal) => Promise<ListPage<T>>,
): PagedList<T> {
  const [state, setState] = useState<State<T>>(() =>
    first
      ? {
          entries: first.entries,
          total: first.total,
          cursor: first.nextCursor,
          loading: false,
          error: null,
          changed: false,
        }
      : { entries: [], total: 0, cursor: null, loading: true, error: null, changed: false },
  );
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const inflight = useRef<AbortController | null>(null);

  const load = useCallback(
    (cursor: string | undefined) => {
      inflight.current?.abort();
      const controller = new AbortController();
      inflight.current = controller;
      setState((s) => ({ ...s, loading: true, error: null }));
      fetchRef.current(cursor, controller.signal).then(
        (page) => {
          if (controller.signal.aborted) return;
          setState((s) => {
            if (page.computedAt !== computedAt) return { ...s, loading: false, changed: true };
            return {
              ...s,
              entries: cursor === undefined ? page.items : [...s.entries, ...page.items],
              total: page.total,
              cursor: page.nextCursor,
              loading: false,
            };
          });
        },
        (e: unknown) => {
          if (!controller.signal.aborted)
            setState((s) => ({ ...s, loading: false, error: describeError(e) }));
        },
      );
    },
    [computedAt],
  );

  const needsFirst = first === null;
  useEffect(() => {
    if (needsFirst) load(undefined);
    return () => inflight.current?.abort();
  }, [needsFirst, load]);

  const { cursor } = state;
  const loadMore = useCallback(() => {
    if (cursor !== null) load(cursor);
  }, [cursor, load]);

  return {
    entries: state.entries,
    total: state.total,
    more: state.cursor !== null && !state.changed,
    loading: state.loading,
    error: state.error,
    changed: state.changed,
    loadMore,
  };
}

/** "Showing X of Y", the next page on request, and what went wrong, under a paged list. */
export function PageControls({
  list,
  what,
  onReload,
  testId,
}: {
  list: PagedList<unknown>;
  /** The entries in words, plural ("findings"). */
  what: string;
  /** Reload the screen (the view was recomputed). */
  onReload: () => void;
  testId: string;
}) {
  return (
    <div className="page-controls" data-testid={testId}>
      <p className="muted" role="status">
        Showing {list.entries.length.toLocaleString('en')} of {list.total.toLocaleString('en')}{' '}
        {what}.
      </p>
      {list.error && (
        <p className="form-error" role="alert">
          {list.error}
        </p>
      )}
      {list.changed && (
        <p className="callout" role="status">
          The figures were recomputed since this page was loaded.{' '}
          <button type="button" className="button button--secondary" onClick={onReload}>
            Reload
          </button>
        </p>
      )}
      {list.more && (
        <button
          type="button"
          className="button button--secondary"
          disabled={list.loading}
          onClick={list.loadMore}
        >
          {list.loading ? 'Loading…' : `Show more ${what}`}
        </button>
      )}
    </div>
  );
}
