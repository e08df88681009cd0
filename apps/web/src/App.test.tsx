import { describe, expect, it } from '@jest/globals';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ME, ORG_ID, USER_ID } from '../test/fake-api';
import {
  CLUSTER_DETAIL,
  diffOf,
  EMPTY_OVERVIEW,
  HISTORY,
  OVERVIEW,
  SCAN_NEW,
} from '../test/read-fixtures';
import { formatDateTime } from './format';
import { currentPath, renderApp } from '../test/render-app';

const UNAUTHENTICATED = {
  status: 401,
  body: { error: { code: 'unauthenticated', message: 'sign in first' } },
};
const org = (p: string) => `/v1/orgs/${ORG_ID}${p}`;

describe('signing in', () => {
  it('sends a signed-out visitor to sign in, then back to the page they asked for', async () => {
    let signedIn = false;
    const { calls } = renderApp(`/o/${ORG_ID}/overview`, {
      'GET /v1/me': () => (signedIn ? { status: 200, body: ME } : UNAUTHENTICATED),
      'POST /v1/auth/login': () => {
        signedIn = true;
        return {
          status: 200,
          body: { user: ME.user, organizationId: ORG_ID, csrfToken: 'csrf-123' },
        };
      },
      [`GET ${org('/overview')}`]: { status: 200, body: EMPTY_OVERVIEW },
    });
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    expect(currentPath()).toBe(`/signin?next=${encodeURIComponent(`/o/${ORG_ID}/overview`)}`);

    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await screen.findByText('No clusters yet: install the scanner like this.');
    expect(currentPath()).toBe(`/o/${ORG_ID}/overview`);
    expect(calls.find((c) => c.path === '/v1/auth/login')?.body).toEqual({
      email: 'ada@example.com',
      password: 'correct horse',
    });
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByTestId('signed-in-user')).toHaveTextContent('Ada');
    expect(document.title).toBe('Overview · Acme · Plumbline');
  });

  it('says what went wrong when the password is wrong', async () => {
    renderApp('/signin', {
      'GET /v1/me': UNAUTHENTICATED,
      'POST /v1/auth/login': {
        status: 401,
        body: { error: { code: 'unauthenticated', message: 'wrong email or password' } },
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password.');
    expect(currentPath()).toBe('/signin');
  });

  it('shows an error in words, with a retry, when the API cannot be reached', async () => {
    renderApp(`/o/${ORG_ID}/overview`, {
      'GET /v1/me': { status: 502, body: 'Bad Gateway' },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Plumbline could not check your session.The API is not reachable behind its proxy.',
    );
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });

  it('returns to sign-in with a notice when the session ends while browsing', async () => {
    renderApp(`/o/${ORG_ID}/clusters`, {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/clusters')}`]: UNAUTHENTICATED,
    });
    await screen.findByRole('heading', { level: 1, name: 'Sign in' });
    expect(screen.getByRole('status')).toHaveTextContent('Your session ended');
    expect(currentPath()).toContain('/signin?next=');
  });
});

describe('signing up', () => {
  it('creates the account, signs in with it and opens the new organisation’s empty overview', async () => {
    let signedIn = false;
    const { calls } = renderApp('/signup', {
      'GET /v1/me': () => (signedIn ? { status: 200, body: ME } : UNAUTHENTICATED),
      'POST /v1/auth/signup': { status: 202, body: { status: 'accepted', next: 'sign_in' } },
      'POST /v1/auth/login': () => {
        signedIn = true;
        return { status: 200, body: { user: ME.user, organizationId: ORG_ID, csrfToken: 'c' } };
      },
      [`GET ${org('/overview')}`]: { status: 200, body: EMPTY_OVERVIEW },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Your name'), 'Ada');
    await user.type(screen.getByLabelText('Work email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'long enough pw');
    await user.type(screen.getByLabelText('Organisation name'), 'Acme');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByTestId('empty-overview')).toHaveTextContent('install the scanner');
    expect(calls.find((c) => c.path === '/v1/auth/signup')?.body).toEqual({
      name: 'Ada',
      email: 'ada@example.com',
      password: 'long enough pw',
      organizationName: 'Acme',
    });
    expect(calls.find((c) => c.path === '/v1/auth/login')?.body).toEqual({
      email: 'ada@example.com',
      password: 'long enough pw',
    });
  });

  it('an email that already has an account: no error about it, a hint to sign in instead', async () => {
    renderApp('/signup', {
      'GET /v1/me': UNAUTHENTICATED,
      'POST /v1/auth/signup': { status: 202, body: { status: 'accepted', next: 'sign_in' } },
      'POST /v1/auth/login': {
        status: 401,
        body: { error: { code: 'unauthenticated', message: 'wrong email or password' } },
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Your name'), 'Ada');
    await user.type(screen.getByLabelText('Work email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'long enough pw');
    await user.type(screen.getByLabelText('Organisation name'), 'Acme');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    const hint = await screen.findByTestId('signup-not-signed-in');
    expect(hint).toHaveTextContent('If you already have an account with this email');
    expect(currentPath()).toBe('/signup');
  });

  it('refuses a short password before asking the API', async () => {
    const { calls } = renderApp('/signup', { 'GET /v1/me': UNAUTHENTICATED });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Your name'), 'Ada');
    await user.type(screen.getByLabelText('Work email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.type(screen.getByLabelText('Organisation name'), 'Acme');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('at least 12 characters');
    expect(calls.some((c) => c.path === '/v1/auth/signup')).toBe(false);
  });
});

describe('invite acceptance', () => {
  it('creates the invited account from the link’s token', async () => {
    let joined = false;
    const { calls } = renderApp('/invite#tok_0123456789abcdef', {
      'GET /v1/me': () => (joined ? { status: 200, body: ME } : UNAUTHENTICATED),
      'POST /v1/invites/accept': () => {
        joined = true;
        return { status: 200, body: { user: ME.user, organizationId: ORG_ID, csrfToken: 'c' } };
      },
      [`GET ${org('/overview')}`]: { status: 200, body: EMPTY_OVERVIEW },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Your name'), 'Bob');
    await user.type(screen.getByLabelText('Choose a password'), 'long enough pw');
    await user.click(screen.getByRole('button', { name: 'Create account and join' }));
    await screen.findByTestId('empty-overview');
    expect(calls.find((c) => c.path === '/v1/invites/accept')?.body).toEqual({
      token: 'tok_0123456789abcdef',
      name: 'Bob',
      password: 'long enough pw',
    });
  });

  it('lets a signed-in user accept with one click, and shows why it failed', async () => {
    const { calls } = renderApp('/invite#tok_0123456789abcdef', {
      'GET /v1/me': { status: 200, body: ME },
      'POST /v1/invites/accept': {
        status: 403,
        body: {
          error: {
            code: 'forbidden',
            message: 'this invite is for bob@example.com; sign in with that account',
          },
        },
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Accept invitation' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This invite is for bob@example.com',
    );
    const accept = calls.find((c) => c.path === '/v1/invites/accept');
    expect(accept?.body).toEqual({ token: 'tok_0123456789abcdef' });
    expect(accept?.headers['x-csrf-token']).toBe('csrf-123');
  });

  it('explains a link without its token', async () => {
    renderApp('/invite', { 'GET /v1/me': UNAUTHENTICATED });
    expect(await screen.findByRole('alert')).toHaveTextContent('This invite link is incomplete.');
  });
});

describe('organisations', () => {
  const TWO = {
    ...ME,
    organizations: [
      ...ME.organizations,
      {
        id: '33333333-3333-4333-8333-333333333333',
        name: 'Beta',
        slug: 'beta',
        role: 'viewer' as const,
      },
    ],
  };

  it('switches organisation and stays on the same settings section', async () => {
    renderApp(`/o/${ORG_ID}/settings/audit`, {
      'GET /v1/me': { status: 200, body: TWO },
      [`GET ${org('/audit')}`]: { status: 200, body: { items: [] } },
      [`GET ${org('/members')}`]: { status: 200, body: { items: [] } },
    });
    const user = userEvent.setup();
    await screen.findByText('Nothing recorded yet.');
    await user.selectOptions(screen.getByLabelText('Organisation'), 'Beta (viewer)');
    expect(currentPath()).toBe('/o/33333333-3333-4333-8333-333333333333/settings/audit');
    expect(
      await screen.findByText('Only admins and above can see the audit log.'),
    ).toBeInTheDocument();
  });

  it('says when the organisation in the link is not one of yours', async () => {
    renderApp('/o/44444444-4444-4444-8444-444444444444/overview', {
      'GET /v1/me': { status: 200, body: ME },
    });
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Organisation not found' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Acme' })).toHaveAttribute(
      'href',
      `/o/${ORG_ID}/overview`,
    );
  });

  it('answers unknown paths with a page in words', async () => {
    renderApp('/nowhere', { 'GET /v1/me': { status: 200, body: ME } });
    expect(await screen.findByTestId('not-found')).toHaveTextContent(
      'There is no page at this address.',
    );
  });
});

describe('clusters', () => {
  it('lists clusters and opens one with its analysis and scan history', async () => {
    const cluster = {
      id: CLUSTER_DETAIL.cluster.id,
      organizationId: ORG_ID,
      name: 'shop-prod-eu',
      externalId: 'x',
      production: true,
      environment: null,
      environmentReason: 'the cluster name "shop-prod-eu" marks production',
      createdAt: '2026-03-01T00:00:00Z',
      firstSeenAt: '2026-03-01T00:00:00Z',
      lastScanAt: '2026-03-09T00:00:00Z',
    };
    const c = (p: string) => org(`/clusters/${cluster.id}${p}`);
    renderApp(`/o/${ORG_ID}/clusters`, {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/clusters')}`]: { status: 200, body: { items: [cluster] } },
      [`GET ${c('')}`]: { status: 200, body: CLUSTER_DETAIL },
      [`GET ${c('/history')}`]: { status: 200, body: { items: HISTORY, nextCursor: null } },
      [`GET ${c('/diff')}`]: { status: 200, body: diffOf(null, SCAN_NEW) },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('link', { name: 'shop-prod-eu' }));
    expect(
      await screen.findByRole('heading', { level: 1, name: /shop-prod-eu/ }, { timeout: 5000 }),
    ).toHaveFocus();
    const history = await screen.findByTestId('scan-history');
    const rows = within(history).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('Last scan failed');
    expect(rows[1]).toHaveTextContent('shown aboveAnalysedL125L075% / 25%1$200,000');
    expect(screen.queryByTestId('coming-next')).toBeNull();
    expect(await screen.findByTestId('diff-summary')).toHaveTextContent(
      'the first analysed scan: everything in it is new',
    );
  });
});

describe('clusters list (18.10)', () => {
  const cluster = {
    id: CLUSTER_DETAIL.cluster.id,
    organizationId: ORG_ID,
    name: 'shop-prod-eu',
    externalId: 'x',
    production: true,
    environment: null,
    environmentReason: 'the cluster name "shop-prod-eu" marks production',
    createdAt: '2026-12-05T08:00:00Z',
    firstSeenAt: '2026-11-21T08:00:00Z',
    lastScanAt: '2026-12-05T08:00:00Z',
  };

  it('shows the level, the inferred environment and why, and first seen from the history; an admin sets the environment', async () => {
    let environment: string | null = null;
    const { calls } = renderApp(`/o/${ORG_ID}/clusters`, {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/clusters')}`]: { status: 200, body: { items: [cluster] } },
      [`GET ${org('/overview')}`]: {
        status: 200,
        body: {
          ...OVERVIEW,
          clusters: [{ ...OVERVIEW.clusters[0]!, id: cluster.id, level: 2 }],
        },
      },
      [`PUT ${org(`/clusters/${cluster.id}/environment`)}`]: (call) => {
        environment = (call.body as { environment: string | null }).environment;
        return {
          status: 200,
          body: { ...cluster, environment, production: environment === 'production' },
        };
      },
    });
    const row = await screen.findByTestId('cluster-row-shop-prod-eu');
    expect(
      within(screen.getByTestId('clusters-table'))
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Cluster', 'Maturity level', 'Environment', 'Last scan', 'First seen']);
    expect(await within(row).findByTitle('Level 2 of 4')).toBeInTheDocument();
    expect(row).toHaveTextContent('inferred: the cluster name "shop-prod-eu" marks production');
    expect(row).toHaveTextContent(formatDateTime('2026-11-21T08:00:00Z'));
    const user = userEvent.setup();
    await user.selectOptions(
      within(row).getByLabelText('Environment of shop-prod-eu'),
      'non-production',
    );
    await waitFor(() => expect(row).toHaveTextContent('(set by an admin)'));
    expect(environment).toBe('non-production');
    expect(calls.some((c) => c.method === 'PUT')).toBe(true);
  });
});

describe('members and roles', () => {
  const members = {
    items: [
      { userId: USER_ID, email: 'ada@example.com', name: 'Ada', role: 'owner', lastLoginAt: null },
      {
        userId: 'u2',
        email: 'bob@example.com',
        name: 'Bob',
        role: 'viewer',
        lastLoginAt: '2026-03-01T10:00:00Z',
      },
    ],
  };

  it('lets an owner change a role, with the CSRF token', async () => {
    let role = 'viewer';
    const { calls } = renderApp(`/o/${ORG_ID}/settings/members`, {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/members')}`]: () => ({
        status: 200,
        body: { items: [members.items[0], { ...members.items[1], role }] },
      }),
      [`PATCH ${org('/members/u2')}`]: (call) => {
        role = (call.body as { role: string }).role;
        return { status: 200, body: { userId: 'u2', role } };
      },
    });
    const user = userEvent.setup();
    await user.selectOptions(await screen.findByLabelText('Role of Bob'), 'Admin');
    await user.click(screen.getByRole('button', { name: 'Change role of Bob' }));
    expect(await screen.findByText('Now admin.')).toBeInTheDocument();
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch).toMatchObject({
      body: { role: 'admin' },
      headers: { 'x-csrf-token': 'csrf-123' },
    });
  });

  it('shows roles read-only to a viewer', async () => {
    renderApp(`/o/${ORG_ID}/settings/members`, {
      'GET /v1/me': {
        status: 200,
        body: { ...ME, organizations: [{ ...ME.organizations[0]!, role: 'viewer' }] },
      },
      [`GET ${org('/members')}`]: { status: 200, body: members },
    });
    const table = await screen.findByTestId('members-table');
    expect(within(table).queryByRole('combobox')).toBeNull();
    expect(table).toHaveTextContent('Owner');
  });
});
