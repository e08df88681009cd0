/**
 * Every screen's URL, in one place: `paths` builds them, `matchRoute` reads them back. Screens of
 * an organisation live under `/o/:orgId/...`, so a link names the organisation it shows.
 */

export const SETTINGS_TABS = [
  'members',
  'invites',
  'tokens',
  'audit',
  'evidence',
  'agentless',
] as const;
export type SettingsTab = (typeof SETTINGS_TABS)[number];

export type Route =
  | { name: 'home' }
  | { name: 'signin' }
  | { name: 'signup' }
  | { name: 'invite' }
  | { name: 'status' }
  | { name: 'org-home'; orgId: string }
  | { name: 'overview'; orgId: string }
  | { name: 'clusters'; orgId: string }
  | { name: 'cluster'; orgId: string; clusterId: string }
  | { name: 'agents'; orgId: string }
  | { name: 'tax'; orgId: string }
  | { name: 'reports'; orgId: string }
  | { name: 'settings'; orgId: string; tab: SettingsTab }
  | { name: 'not-found' };

export type OrgRoute = Extract<Route, { orgId: string }>;

const enc = encodeURIComponent;
const o = (orgId: string) => `/o/${enc(orgId)}`;

export const paths = {
  home: () => '/',
  signIn: (next?: string) => (next ? `/signin?next=${enc(next)}` : '/signin'),
  signUp: () => '/signup',
  invite: (token: string) => `/invite#${token}`,
  status: () => '/status',
  overview: (orgId: string) => `${o(orgId)}/overview`,
  clusters: (orgId: string) => `${o(orgId)}/clusters`,
  cluster: (orgId: string, clusterId: string) => `${o(orgId)}/clusters/${enc(clusterId)}`,
  agents: (orgId: string) => `${o(orgId)}/agents`,
  tax: (orgId: string) => `${o(orgId)}/tax`,
  reports: (orgId: string) => `${o(orgId)}/reports`,
  settings: (orgId: string, tab: SettingsTab = 'members') => `${o(orgId)}/settings/${tab}`,
};

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

const SIMPLE_ORG_SCREENS = ['overview', 'clusters', 'agents', 'tax', 'reports'] as const;

/** The route for a pathname (query and hash are not part of it). */
export function matchRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean);
  const decoded = parts.map(decode);
  if (decoded.some((p) => p === null)) return { name: 'not-found' };
  const [a, b, c, d, ...rest] = decoded as string[];
  if (rest.length) return { name: 'not-found' };
  if (a === undefined) return { name: 'home' };
  if (b === undefined) {
    if (a === 'signin') return { name: 'signin' };
    if (a === 'signup') return { name: 'signup' };
    if (a === 'invite') return { name: 'invite' };
    if (a === 'status') return { name: 'status' };
    return { name: 'not-found' };
  }
  if (a !== 'o') return { name: 'not-found' };
  const orgId = b;
  if (c === undefined) return { name: 'org-home', orgId };
  if (d === undefined) {
    const simple = SIMPLE_ORG_SCREENS.find((s) => s === c);
    if (simple) return { name: simple, orgId };
    if (c === 'settings') return { name: 'settings', orgId, tab: 'members' };
    return { name: 'not-found' };
  }
  if (c === 'clusters') return { name: 'cluster', orgId, clusterId: d };
  if (c === 'settings') {
    const tab = SETTINGS_TABS.find((t) => t === d);
    return tab ? { name: 'settings', orgId, tab } : { name: 'not-found' };
  }
  return { name: 'not-found' };
}

/** The same screen in another organisation (for the organisation switcher). */
export function sameScreenIn(route: OrgRoute, orgId: string): string {
  switch (route.name) {
    case 'settings':
      return paths.settings(orgId, route.tab);
    case 'cluster':
    case 'clusters':
      // A cluster belongs to one organisation: go to the other organisation's list.
      return paths.clusters(orgId);
    case 'org-home':
      return paths.overview(orgId);
    default:
      return paths[route.name](orgId);
  }
}

/**
 * Where to go after signing in: the `next` parameter when it is a path on this site, otherwise
 * home. Anything else (another origin, `//host`, a scheme) is ignored: no open redirects.
 */
export function safeNext(search: string): string {
  const next = new URLSearchParams(search).get('next');
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) {
    return paths.home();
  }
  return next;
}
