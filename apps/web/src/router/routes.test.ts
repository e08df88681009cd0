import { describe, expect, it } from '@jest/globals';
import { matchRoute, paths, safeNext, sameScreenIn, SETTINGS_TABS, tokenFromHash } from './routes';

const ORG = '11111111-1111-4111-8111-111111111111';

describe('matchRoute', () => {
  it('reads back every path that paths builds', () => {
    expect(matchRoute(paths.home())).toEqual({ name: 'home' });
    expect(matchRoute(paths.signIn())).toEqual({ name: 'signin' });
    // Where the API's single sign-on callback sends a failed attempt.
    expect(matchRoute('/sign-in')).toEqual({ name: 'signin' });
    expect(matchRoute(paths.signUp())).toEqual({ name: 'signup' });
    expect(matchRoute('/invite')).toEqual({ name: 'invite' });
    expect(matchRoute(paths.forgotPassword())).toEqual({ name: 'forgot-password' });
    expect(matchRoute(paths.resetPassword())).toEqual({ name: 'reset-password' });
    expect(matchRoute(paths.verifyEmail())).toEqual({ name: 'verify-email' });
    expect(matchRoute(paths.status())).toEqual({ name: 'status' });
    for (const name of ['overview', 'clusters', 'roadmap', 'agents', 'tax', 'reports'] as const) {
      expect(matchRoute(paths[name](ORG))).toEqual({ name, orgId: ORG });
    }
    expect(matchRoute(paths.cluster(ORG, 'c-1'))).toEqual({
      name: 'cluster',
      orgId: ORG,
      clusterId: 'c-1',
    });
    for (const tab of SETTINGS_TABS) {
      expect(matchRoute(paths.settings(ORG, tab))).toEqual({ name: 'settings', orgId: ORG, tab });
    }
    expect(matchRoute(paths.maturityPillar(ORG, 'observability'))).toEqual({
      name: 'maturity-pillar',
      orgId: ORG,
      pillarId: 'observability',
    });
    expect(matchRoute(paths.agentsPillar(ORG, 'traceability'))).toEqual({
      name: 'agents-pillar',
      orgId: ORG,
      pillarId: 'traceability',
    });
    expect(matchRoute(paths.taxLine(ORG, 'glue'))).toEqual({
      name: 'tax-line',
      orgId: ORG,
      lineId: 'glue',
    });
    expect(matchRoute(paths.clusterCriterion(ORG, 'c-1', 'resilience.pdb'))).toEqual({
      name: 'cluster-criterion',
      orgId: ORG,
      clusterId: 'c-1',
      criterionId: 'resilience.pdb',
    });
    // Finding ids carry slashes and colons: they travel encoded in one segment.
    const finding = 'accountability/human-oversight/oversight.kill-switch';
    expect(paths.clusterFinding(ORG, 'c-1', finding)).toBe(
      `/o/${ORG}/clusters/c-1/findings/accountability%2Fhuman-oversight%2Foversight.kill-switch`,
    );
    expect(matchRoute(paths.clusterFinding(ORG, 'c-1', finding))).toEqual({
      name: 'cluster-finding',
      orgId: ORG,
      clusterId: 'c-1',
      findingId: finding,
    });
  });

  it('puts a cluster section in the fragment, which is not part of the route', () => {
    expect(paths.cluster(ORG, 'c-1', 'pillar-observability')).toBe(
      `/o/${ORG}/clusters/c-1#pillar-observability`,
    );
    expect(matchRoute(new URL(paths.cluster(ORG, 'c-1', 'history'), 'http://x').pathname)).toEqual({
      name: 'cluster',
      orgId: ORG,
      clusterId: 'c-1',
    });
  });

  it('reads back a cluster’s roadmap, with the plan in the query and the step in the fragment', () => {
    expect(paths.clusterRoadmap(ORG, 'c-1')).toBe(`/o/${ORG}/clusters/c-1/roadmap`);
    const url = paths.clusterRoadmap(ORG, 'c-1', { plan: 'p 1', section: 'step-pdb' });
    expect(url).toBe(`/o/${ORG}/clusters/c-1/roadmap?plan=p%201#step-pdb`);
    const parsed = new URL(url, 'http://x');
    expect(matchRoute(parsed.pathname)).toEqual({
      name: 'cluster-roadmap',
      orgId: ORG,
      clusterId: 'c-1',
    });
    expect(parsed.searchParams.get('plan')).toBe('p 1');
    expect(matchRoute(`/o/${ORG}/clusters/c-1/roadmap/x`)).toEqual({ name: 'not-found' });
  });

  it('has defaults for bare organisation paths', () => {
    expect(matchRoute(`/o/${ORG}`)).toEqual({ name: 'org-home', orgId: ORG });
    expect(matchRoute(`/o/${ORG}/settings`)).toEqual({
      name: 'settings',
      orgId: ORG,
      tab: 'members',
    });
    expect(matchRoute(`/o/${ORG}/overview/`)).toEqual({ name: 'overview', orgId: ORG });
  });

  it.each([
    '/nope',
    '/o',
    `/o/${ORG}/nope`,
    `/o/${ORG}/settings/nope`,
    `/o/${ORG}/clusters/a/b`,
    `/o/${ORG}/clusters/a/nope/b`,
    `/o/${ORG}/clusters/a/criteria/b/c`,
    `/o/${ORG}/overview/pillars`,
    `/o/${ORG}/overview/nope/x`,
    `/o/${ORG}/tax/lines/a/b`,
    '/signin/x',
    '/o/%E0%A4%A',
  ])('answers not-found for %s', (path) => {
    expect(matchRoute(path)).toEqual({ name: 'not-found' });
  });

  it('decodes and encodes ids', () => {
    expect(paths.cluster('a b', 'c/d')).toBe('/o/a%20b/clusters/c%2Fd');
    expect(matchRoute('/o/a%20b/clusters/c%2Fd')).toEqual({
      name: 'cluster',
      orgId: 'a b',
      clusterId: 'c/d',
    });
  });
});

describe('safeNext', () => {
  it('follows a path on this site, with its query and fragment', () => {
    expect(safeNext(`?next=${encodeURIComponent('/o/x/settings/tokens?a=1')}`)).toBe(
      '/o/x/settings/tokens?a=1',
    );
    expect(safeNext(`?next=${encodeURIComponent('/invite#abc')}`)).toBe('/invite#abc');
  });

  it.each([
    '?next=https://evil.example',
    '?next=//evil.example/x',
    '?next=/\\evil.example',
    '?next=javascript:alert(1)',
    '',
  ])('ignores %s (no open redirect)', (search) => {
    expect(safeNext(search)).toBe('/');
  });
});

describe('sameScreenIn', () => {
  it('keeps the screen when switching organisation, but not a cluster of the other one', () => {
    expect(sameScreenIn({ name: 'settings', orgId: 'a', tab: 'tokens' }, 'b')).toBe(
      '/o/b/settings/tokens',
    );
    expect(sameScreenIn({ name: 'tax', orgId: 'a' }, 'b')).toBe('/o/b/tax');
    expect(sameScreenIn({ name: 'cluster', orgId: 'a', clusterId: 'c' }, 'b')).toBe(
      '/o/b/clusters',
    );
    expect(sameScreenIn({ name: 'cluster-roadmap', orgId: 'a', clusterId: 'c' }, 'b')).toBe(
      '/o/b/clusters',
    );
    expect(sameScreenIn({ name: 'org-home', orgId: 'a' }, 'b')).toBe('/o/b/overview');
    expect(
      sameScreenIn({ name: 'cluster-finding', orgId: 'a', clusterId: 'c', findingId: 'f' }, 'b'),
    ).toBe('/o/b/clusters');
    expect(sameScreenIn({ name: 'tax-line', orgId: 'a', lineId: 'glue' }, 'b')).toBe(
      '/o/b/tax/lines/glue',
    );
  });
});

describe('tokenFromHash', () => {
  it('reads the token of a mailed link and nothing else', () => {
    const token = 'AbC-123_xyzAbC-123_xyzAbC-123_xyzAbC-123_x';
    const url = new URL(paths.resetPassword(token), 'http://x');
    expect(url.pathname).toBe('/reset-password');
    expect(tokenFromHash(url.hash)).toBe(token);
    expect(tokenFromHash(`#${token}`)).toBe(token);
    expect(tokenFromHash('')).toBe('');
    expect(tokenFromHash('#token=short')).toBe('');
    expect(tokenFromHash('#token=<script>alert(1)</script>')).toBe('');
  });
});
