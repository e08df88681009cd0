import type { MeResponse } from '@plumbline/contracts';
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { ErrorState, Loading } from './components/states';
import { interceptLinkClicks, useLocation } from './router/history';
import { Link } from './router/Link';
import { matchRoute, paths, sameScreenIn, type OrgRoute } from './router/routes';
import { OrgProvider } from './session/org';
import { membershipOf, useSession } from './session/session';
import { AppLayout } from './shell/AppLayout';
import { PageTitle, Redirect } from './shell/page';
import { PublicLayout } from './shell/PublicLayout';
import { AcceptInvite } from './screens/public/AcceptInvite';
import { ForgotPassword } from './screens/public/ForgotPassword';
import { ResetPassword } from './screens/public/ResetPassword';
import { VerifyEmail } from './screens/public/VerifyEmail';
import { NotFound } from './screens/public/NotFound';
import { SignIn } from './screens/public/SignIn';
import { SignUp } from './screens/public/SignUp';
import { Status } from './screens/public/Status';

// Organisation screens load on demand: the sign-in page stays small, and the charts (Recharts)
// only load with the screens that draw them.
const Overview = lazy(() => import('./screens/org/Overview'));
const MaturityPillar = lazy(() => import('./screens/org/MaturityPillar'));
const Clusters = lazy(() => import('./screens/org/Clusters'));
const ClusterDetail = lazy(() => import('./screens/org/ClusterDetail'));
const Roadmap = lazy(() => import('./screens/org/Roadmap'));
const OrgRoadmap = lazy(() => import('./screens/org/OrgRoadmap'));
const ClusterEvidence = lazy(() => import('./screens/org/ClusterEvidence'));
const Agents = lazy(() => import('./screens/org/Agents'));
const AgentsPillar = lazy(() => import('./screens/org/AgentsPillar'));
const IntegrationTax = lazy(() => import('./screens/org/IntegrationTax'));
const TaxLine = lazy(() => import('./screens/org/TaxLine'));
const Reports = lazy(() => import('./screens/org/Reports'));
const Settings = lazy(() => import('./screens/settings/Settings'));

/** Signed-in screens: waits for the session, sends signed-out visitors to sign in. */
function RequireSession({ children }: { children: (me: MeResponse) => ReactNode }) {
  const { state, refresh } = useSession();
  const { pathname, search, hash } = useLocation();
  if (state.status === 'loading') {
    return (
      <PublicLayout>
        <Loading what="your session" />
      </PublicLayout>
    );
  }
  if (state.status === 'error') {
    return (
      <PublicLayout>
        <ErrorState
          title="Plumbline could not check your session."
          message={state.message}
          onRetry={() => void refresh()}
        />
      </PublicLayout>
    );
  }
  if (state.status === 'signed-out')
    return <Redirect to={paths.signIn(pathname + search + hash)} />;
  return <>{children(state.me)}</>;
}

function orgScreen(route: OrgRoute): ReactNode {
  switch (route.name) {
    case 'org-home':
      return <Redirect to={paths.overview(route.orgId)} />;
    case 'overview':
      return <Overview />;
    case 'maturity-pillar':
      return <MaturityPillar pillarId={route.pillarId} />;
    case 'clusters':
      return <Clusters />;
    case 'cluster':
      return <ClusterDetail clusterId={route.clusterId} />;
    case 'cluster-roadmap':
      return <Roadmap clusterId={route.clusterId} />;
    case 'cluster-criterion':
      return <ClusterEvidence clusterId={route.clusterId} criterionId={route.criterionId} />;
    case 'cluster-finding':
      return <ClusterEvidence clusterId={route.clusterId} findingId={route.findingId} />;
    case 'agents':
      return <Agents />;
    case 'agents-pillar':
      return <AgentsPillar pillarId={route.pillarId} />;
    case 'tax':
      return <IntegrationTax />;
    case 'tax-line':
      return <TaxLine lineId={route.lineId} />;
    case 'reports':
      return <Reports />;
    case 'roadmap':
      return <OrgRoadmap />;
    case 'settings':
      return <Settings tab={route.tab} />;
  }
}

function OrgScreens({ route }: { route: OrgRoute }) {
  const { pathname } = useLocation();
  return (
    <RequireSession>
      {(me) => {
        const org = membershipOf(me, route.orgId);
        // `/o/<slug>` (where single sign-on lands): the same screen under the organisation's id.
        const bySlug = org ? null : me.organizations.find((o) => o.slug === route.orgId);
        if (bySlug) return <Redirect to={sameScreenIn(route, bySlug.id)} />;
        if (!org) {
          return (
            <AppLayout me={me} orgId={null}>
              <PageTitle title="Organisation not found">Organisation not found</PageTitle>
              <ErrorState
                title="You are not a member of this organisation, or it does not exist."
                message="Choose one of your organisations instead."
              >
                <ul>
                  {me.organizations.map((o) => (
                    <li key={o.id}>
                      <Link to={paths.overview(o.id)}>{o.name}</Link>
                    </li>
                  ))}
                </ul>
              </ErrorState>
            </AppLayout>
          );
        }
        return (
          <OrgProvider value={org}>
            <AppLayout me={me} orgId={org.id}>
              <Suspense fallback={<Loading what="the page" />}>
                {/* key: another page (organisation, screen, cluster, finding...) starts with
                    fresh state, and its heading takes the focus; the query and the fragment
                    (a diff's scans, a section) are state within the page */}
                <div key={pathname}>{orgScreen(route)}</div>
              </Suspense>
            </AppLayout>
          </OrgProvider>
        );
      }}
    </RequireSession>
  );
}

/** `/`: your first organisation's overview, or sign in. */
function Home() {
  return (
    <RequireSession>
      {(me) => {
        const first = me.organizations[0];
        if (first) return <Redirect to={paths.overview(first.id)} />;
        return (
          <AppLayout me={me} orgId={null}>
            <PageTitle title="No organisation">You are not in any organisation</PageTitle>
            <p>
              Ask an admin of your organisation for an invite link, or{' '}
              <Link to={paths.signUp()}>create a new account with its own organisation</Link>.
            </p>
          </AppLayout>
        );
      }}
    </RequireSession>
  );
}

export function App() {
  const { pathname } = useLocation();
  useEffect(() => interceptLinkClicks(), []);
  const route = matchRoute(pathname);
  switch (route.name) {
    case 'home':
      return <Home />;
    case 'signin':
      return <SignIn />;
    case 'signup':
      return <SignUp />;
    case 'invite':
      return <AcceptInvite />;
    case 'forgot-password':
      return <ForgotPassword />;
    case 'reset-password':
      return <ResetPassword />;
    case 'verify-email':
      return <VerifyEmail />;
    case 'status':
      return <Status />;
    case 'not-found':
      return <NotFound />;
    default:
      return <OrgScreens route={route} />;
  }
}
