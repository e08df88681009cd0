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
  'risks',
  'security',
  'sso',
  'notifications',
] as const;
export type SettingsTab = (typeof SETTINGS_TABS)[number];

export type Route =
  | { name: 'home' }
  | { name: 'signin' }
  | { name: 'signup' }
  | { name: 'invite' }
  | { name: 'forgot-password' }
  | { name: 'reset-password' }
  | { name: 'verify-email' }
  | { name: 'status' }
  | { name: 'org-home'; orgId: string }
  | { name: 'overview'; orgId: string }
  | { name: 'maturity-pillar'; orgId: string; pillarId: string }
  | { name: 'clusters'; orgId: string }
  | { name: 'cluster'; orgId: string; clusterId: string }
  | { name: 'cluster-roadmap'; orgId: string; clusterId: string }
  | { name: 'cluster-criterion'; orgId: string; clusterId: string; criterionId: string }
  | { name: 'cluster-finding'; orgId: string; clusterId: string; findingId: string }
  | { name: 'agents'; orgId: string }
  | { name: 'agents-pillar'; orgId: string; pillarId: string }
  | { name: 'tax'; orgId: string }
  | { name: 'tax-line'; orgId: string; lineId: string }
  | { name: 'reports'; orgId: string }
  | { name: 'roadmap'; orgId: string }
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
  forgotPassword: () => '/forgot-password',
  /** The mailed links carry their token in the fragment (`#token=...`): never sent to a server. */
  resetPassword: (token?: string) => (token ? `/reset-password#token=${token}` : '/reset-password'),
  verifyEmail: (token?: string) => (token ? `/verify-email#token=${token}` : '/verify-email'),
  status: () => '/status',
  overview: (orgId: string) => `${o(orgId)}/overview`,
  /** One operational maturity pillar across the fleet: each cluster's level on it. */
  maturityPillar: (orgId: string, pillarId: string) =>
    `${o(orgId)}/overview/pillars/${enc(pillarId)}`,
  clusters: (orgId: string) => `${o(orgId)}/clusters`,
  /** A cluster; `section` is an anchor on the page (`pillar-observability`, `history`...). */
  cluster: (orgId: string, clusterId: string, section?: string) =>
    `${o(orgId)}/clusters/${enc(clusterId)}${section ? `#${section}` : ''}`,
  /**
   * A cluster's roadmap to a target level; `plan` opens an earlier plan (default: the newest),
   * `section` is an anchor on the page (`step-netpol-ingress`, `verification`...).
   */
  clusterRoadmap: (
    orgId: string,
    clusterId: string,
    opts: { plan?: string; section?: string } = {},
  ) =>
    `${o(orgId)}/clusters/${enc(clusterId)}/roadmap${opts.plan ? `?plan=${enc(opts.plan)}` : ''}${
      opts.section ? `#${opts.section}` : ''
    }`,
  /** The evidence view of one maturity criterion in a cluster's newest analysed scan. */
  clusterCriterion: (orgId: string, clusterId: string, criterionId: string) =>
    `${o(orgId)}/clusters/${enc(clusterId)}/criteria/${enc(criterionId)}`,
  /** The evidence view of one finding in a cluster's newest analysed scan. */
  clusterFinding: (orgId: string, clusterId: string, findingId: string) =>
    `${o(orgId)}/clusters/${enc(clusterId)}/findings/${enc(findingId)}`,
  agents: (orgId: string) => `${o(orgId)}/agents`,
  /** One accountability pillar: its criteria with evidence, principles and gaps. */
  agentsPillar: (orgId: string, pillarId: string) => `${o(orgId)}/agents/pillars/${enc(pillarId)}`,
  tax: (orgId: string) => `${o(orgId)}/tax`,
  /** One integration-tax line: formula, inputs and their sources. */
  taxLine: (orgId: string, lineId: string) => `${o(orgId)}/tax/lines/${enc(lineId)}`,
  reports: (orgId: string) => `${o(orgId)}/reports`,
  /** The organisation's roadmap: the plans of the clusters that hold its level. */
  roadmap: (orgId: string) => `${o(orgId)}/roadmap`,
  settings: (orgId: string, tab: SettingsTab = 'members') => `${o(orgId)}/settings/${tab}`,
};

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

const SIMPLE_ORG_SCREENS = ['overview', 'clusters', 'roadmap', 'agents', 'tax', 'reports'] as const;

/** The route for a pathname (query and hash are not part of it). */
export function matchRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean);
  const decoded = parts.map(decode);
  if (decoded.some((p) => p === null)) return { name: 'not-found' };
  const [a, b, c, d, e, f, ...rest] = decoded as string[];
  if (rest.length) return { name: 'not-found' };
  if (a === undefined) return { name: 'home' };
  if (b === undefined) {
    // `/sign-in`: where the API's single sign-on callback sends a failed attempt (`?sso_error=`).
    if (a === 'signin' || a === 'sign-in') return { name: 'signin' };
    if (a === 'signup') return { name: 'signup' };
    if (a === 'invite') return { name: 'invite' };
    if (a === 'forgot-password') return { name: 'forgot-password' };
    if (a === 'reset-password') return { name: 'reset-password' };
    if (a === 'verify-email') return { name: 'verify-email' };
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
  if (e !== undefined) {
    if (c === 'clusters' && e === 'roadmap' && f === undefined)
      return { name: 'cluster-roadmap', orgId, clusterId: d };
    if (c === 'overview' && d === 'pillars' && f === undefined)
      return { name: 'maturity-pillar', orgId, pillarId: e };
    if (c === 'agents' && d === 'pillars' && f === undefined)
      return { name: 'agents-pillar', orgId, pillarId: e };
    if (c === 'tax' && d === 'lines' && f === undefined)
      return { name: 'tax-line', orgId, lineId: e };
    if (c === 'clusters' && f !== undefined) {
      if (e === 'criteria')
        return { name: 'cluster-criterion', orgId, clusterId: d, criterionId: f };
      if (e === 'findings') return { name: 'cluster-finding', orgId, clusterId: d, findingId: f };
    }
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
    case 'cluster-roadmap':
    case 'cluster-criterion':
    case 'cluster-finding':
    case 'clusters':
      // A cluster belongs to one organisation: go to the other organisation's list.
      return paths.clusters(orgId);
    case 'maturity-pillar':
      return paths.maturityPillar(orgId, route.pillarId);
    case 'agents-pillar':
      return paths.agentsPillar(orgId, route.pillarId);
    case 'tax-line':
      return paths.taxLine(orgId, route.lineId);
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

/** The token of a mailed link's fragment (`#token=...`, or a bare `#...`); '' when none. */
export function tokenFromHash(hash: string): string {
  const raw = hash.replace(/^#/, '');
  const value = raw.startsWith('token=') ? raw.slice('token='.length) : raw;
  return /^[A-Za-z0-9_-]{10,200}$/.test(value) ? value : '';
}
