import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { navigate, useLocation } from './history';

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  to: string;
  /** Replace the current history entry instead of adding one. */
  replace?: boolean;
};

function isPlainLeftClick(e: MouseEvent<HTMLAnchorElement>): boolean {
  return e.button === 0 && !e.metaKey && !e.altKey && !e.ctrlKey && !e.shiftKey;
}

/** An ordinary link (it works opened in a new tab) that navigates without a page load. */
export function Link({ to, replace, onClick, target, ...rest }: LinkProps) {
  return (
    <a
      {...rest}
      href={to}
      target={target}
      onClick={(e) => {
        onClick?.(e);
        if (e.defaultPrevented || !isPlainLeftClick(e) || (target && target !== '_self')) return;
        e.preventDefault();
        navigate(to, { replace });
      }}
    />
  );
}

/** A navigation link marked `aria-current="page"` while its section is shown. */
export function NavLink({
  to,
  matchPrefix,
  ...rest
}: LinkProps & {
  /** Mark as current for every path under this prefix (default: `to` itself). */
  matchPrefix?: string;
}) {
  const { pathname } = useLocation();
  const prefix = matchPrefix ?? to;
  const current = pathname === prefix || pathname.startsWith(`${prefix}/`);
  return <Link to={to} aria-current={current ? 'page' : undefined} {...rest} />;
}
