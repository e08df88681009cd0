import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../api';

export type Resource<T> =
  | { status: 'loading' }
  | { status: 'error'; error: unknown; message: string }
  | { status: 'loaded'; data: T; refreshing: boolean };

function sameDeps(a: readonly unknown[] | null, b: readonly unknown[]): boolean {
  return a !== null && a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

/**
 * Load data for a screen: loading, then loaded or an error in words. `reload()` refreshes in
 * place (the data stays on screen meanwhile); new `deps` (another organisation, another cluster)
 * start from loading, so nothing of the previous one is shown. A newer load or unmounting aborts
 * the older one.
 */
export function useResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): [Resource<T>, () => void] {
  const [state, setState] = useState<Resource<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const lastDeps = useRef<readonly unknown[] | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const keep = sameDeps(lastDeps.current, deps);
    lastDeps.current = deps;
    setState((s) =>
      keep && s.status === 'loaded' ? { ...s, refreshing: true } : { status: 'loading' },
    );
    loadRef.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'loaded', data, refreshing: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ status: 'error', error, message: describeError(error) });
      },
    );
    return () => controller.abort();
  }, [...deps, attempt]); // the caller lists what `load` reads

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return [state, reload];
}
