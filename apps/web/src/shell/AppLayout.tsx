import type { MeResponse } from '@plumbline/contracts';
import { useState, type ReactNode } from 'react';
import { describeError } from '../api';
import { navigate, useLocation } from '../router/history';
import { Link, NavLink } from '../router/Link';
import { matchRoute, paths, sameScreenIn, type OrgRoute } from '../router/routes';
import { useSession } from '../session/session';
import { MfaRequiredNotice } from './MfaRequiredNotice';
import { VerifyEmailNotice } from './VerifyEmailNotice';

const NAV: { label: string; to: (orgId: string) => string; section: string }[] = [
  { label: 'Overview', to: paths.overview, section: 'overview' },
  { label: 'Clusters', to: paths.clusters, section: 'clusters' },
  { label: 'Roadmap', to: paths.roadmap, section: 'roadmap' },
  { label: 'AI agents', to: paths.agents, section: 'agents' },
  { label: 'Integration tax', to: paths.tax, section: 'tax' },
  { label: 'Reports', to: paths.reports, section: 'reports' },
  { label: 'Settings', to: (orgId) => paths.settings(orgId), section: 'settings' },
];

/** Switch organisation, staying on the same kind of screen. */
export function OrgSwitcher({ me, orgId }: { me: MeResponse; orgId: string | null }) {
  const { pathname } = useLocation();
  const current = me.organizations.find((o) => o.id === orgId);
  if (me.organizations.length <= 1 && current) {
    return (
      <div className="org-switcher">
        <span className="org-switcher__label">Organisation</span>
        <span className="org-switcher__name" data-testid="current-org">
          {current.name}
        </span>
      </div>
    );
  }
  return (
    <div className="org-switcher">
      <label htmlFor="org-switcher" className="org-switcher__label">
        Organisation
      </label>
      <select
        id="org-switcher"
        value={orgId ?? ''}
        data-testid="org-switcher"
        onChange={(e) => {
          const next = e.target.value;
          const route = matchRoute(pathname);
          navigate('orgId' in route ? sameScreenIn(route as OrgRoute, next) : paths.overview(next));
        }}
      >
        {!current && <option value="">Choose an organisation</option>}
        {me.organizations.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name} ({o.role})
          </option>
        ))}
      </select>
    </div>
  );
}

/** The signed-in layout: header with organisation and account, navigation, main content. */
export function AppLayout({
  me,
  orgId,
  children,
}: {
  me: MeResponse;
  /** The organisation shown; null on pages outside any organisation. */
  orgId: string | null;
  children: ReactNode;
}) {
  const { signOut } = useSession();
  const [signOutError, setSignOutError] = useState<string | null>(null);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="app-header">
        <Link to={orgId ? paths.overview(orgId) : paths.home()} className="brand">
          <span className="brand__mark" aria-hidden="true">
            ⊥
          </span>
          Plumbline
        </Link>
        <OrgSwitcher me={me} orgId={orgId} />
        <div className="account">
          <span className="account__name" data-testid="signed-in-user">
            {me.user.name}
            <span className="account__email">{me.user.email}</span>
          </span>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => {
              setSignOutError(null);
              signOut().catch((e: unknown) => setSignOutError(describeError(e)));
            }}
          >
            Sign out
          </button>
          {signOutError && (
            <span role="alert" className="account__error">
              {signOutError}
            </span>
          )}
        </div>
      </header>
      <div className="app-body">
        {orgId && (
          <nav className="app-nav" aria-label="Main">
            <ul>
              {NAV.map((item) => (
                <li key={item.section}>
                  <NavLink
                    to={item.to(orgId)}
                    matchPrefix={`/o/${encodeURIComponent(orgId)}/${item.section}`}
                  >
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <main id="main" tabIndex={-1} className="app-main">
          <VerifyEmailNotice me={me} />
          <MfaRequiredNotice me={me} orgId={orgId} />
          {children}
        </main>
      </div>
      <footer className="site-footer app-footer">
        <p>
          Plumbline · readiness assessment · <Link to={paths.status()}>System status</Link>
        </p>
      </footer>
    </div>
  );
}
