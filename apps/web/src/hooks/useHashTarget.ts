import { useEffect } from 'react';
import { useLocation } from '../router/history';

/**
 * Bring the element the URL's fragment names into view once the page has its data: a
 * `<details>` opens, and the element takes the focus (it needs `tabIndex={-1}`), so a link to
 * `/o/x/clusters/c#pillar-observability` lands on that pillar, also after a client-side move.
 */
export function useHashTarget(ready: boolean): void {
  const { hash } = useLocation();
  useEffect(() => {
    if (!ready || hash.length < 2) return;
    let id: string;
    try {
      id = decodeURIComponent(hash.slice(1));
    } catch {
      return;
    }
    const el = document.getElementById(id);
    if (!el) return;
    if (el instanceof HTMLDetailsElement) el.open = true;
    el.scrollIntoView?.({ block: 'start' });
    if (el.tabIndex >= 0 || el.hasAttribute('tabindex')) el.focus({ preventScroll: true });
  }, [ready, hash]);
}
