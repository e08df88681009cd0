import { useMemo, useSyncExternalStore } from 'react';

/** A tiny client-side router store over the History API (no dependency, a few hundred bytes). */

export interface AppLocation {
  pathname: string;
  search: string;
  hash: string;
}

const listeners = new Set<() => void>();

function notify(): void {
  for (const l of listeners) l();
}

function onPopState(): void {
  focusPending = true;
  notify();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) window.addEventListener('popstate', onPopState);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('popstate', onPopState);
  };
}

/**
 * Same-origin links anywhere in the page (including the presentational components, which render
 * plain `<a href>`) navigate without a page load. Modified clicks, other targets, downloads,
 * in-page anchors and other origins keep the browser's behaviour.
 */
export function interceptLinkClicks(root: Document = document): () => void {
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) {
      return;
    }
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || !a.hasAttribute('href') || a.hasAttribute('download')) return;
    const raw = a.getAttribute('href') ?? '';
    if (
      raw.startsWith('#') ||
      (a.target && a.target !== '_self') ||
      a.dataset.reload !== undefined
    ) {
      return;
    }
    const url = new URL(a.href, window.location.href);
    if (url.origin !== window.location.origin) return;
    if (/^\/(v1|healthz|readyz|metrics)(\/|$)/.test(url.pathname)) return; // API answers
    e.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  };
  root.addEventListener('click', onClick);
  return () => root.removeEventListener('click', onClick);
}

const href = () => window.location.pathname + window.location.search + window.location.hash;

let focusPending = false;

/**
 * True once after a navigation: the next page heading takes the focus, so keyboard and screen
 * reader users start at the new page's title (not on the first page load).
 */
export function takeFocusRequest(): boolean {
  const pending = focusPending;
  focusPending = false;
  return pending;
}

/** Go to a path on this site; `replace` keeps the current entry out of the back history. */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === href()) return;
  focusPending = true;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
}

/**
 * Leave the app for another site (an identity provider's sign-in page): a full page load. An
 * object, so tests can replace `assign` (jsdom does not navigate).
 */
export const externalPage = {
  assign(url: string): void {
    window.location.assign(url);
  },
};

/** The current location; re-renders on navigate() and on back/forward. */
export function useLocation(): AppLocation {
  const current = useSyncExternalStore(subscribe, href, () => '/');
  return useMemo(() => {
    const url = new URL(current, 'http://local');
    return { pathname: url.pathname, search: url.search, hash: url.hash };
  }, [current]);
}
