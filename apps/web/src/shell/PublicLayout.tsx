import type { ReactNode } from 'react';
import { Link } from '../router/Link';
import { paths } from '../router/routes';

/** Pages for signed-out visitors: sign in, sign up, invite, system status. */
export function PublicLayout({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  return (
    <div className="public">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="public__header">
        <Link to={paths.home()} className="brand">
          <span className="brand__mark" aria-hidden="true">
            ⊥
          </span>
          Plumbline
        </Link>
        <p className="tagline">How ready is your organisation to run Kubernetes and AI agents?</p>
      </header>
      <main
        id="main"
        tabIndex={-1}
        className={wide ? 'public__main public__main--wide' : 'public__main'}
      >
        {children}
      </main>
      <footer className="site-footer">
        <p>
          Plumbline · readiness assessment · <Link to={paths.status()}>System status</Link>
        </p>
      </footer>
    </div>
  );
}
