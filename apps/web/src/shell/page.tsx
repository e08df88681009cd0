import { useEffect, useRef, type ReactNode } from 'react';
import { navigate, takeFocusRequest } from '../router/history';

/** Sets the window title: "Members · Settings · Plumbline". */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Plumbline` : 'Plumbline';
  }, [title]);
}

/**
 * The page's one h1. After a client-side navigation it takes the focus, so keyboard and screen
 * reader users land on the new page's title.
 */
export function PageTitle({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useTitle(title);
  useEffect(() => {
    if (takeFocusRequest()) ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-title" id="page-title">
      {children}
    </h1>
  );
}

/** Go elsewhere as soon as this renders (redirects). */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
