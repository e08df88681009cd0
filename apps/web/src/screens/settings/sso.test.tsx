import { describe, expect, it } from '@jest/globals';
import type { Member, SsoConfigResponse, SsoDomain } from '@plumbline/contracts';
import {
  emailDomainSchema,
  SSO_MAX_DOMAINS,
  ssoConfigRequestSchema,
  ssoDefaultRoleSchema,
} from '@plumbline/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ME, ORG_ID, USER_ID, type FakeRoute } from '../../../test/fake-api';
import { renderApp } from '../../../test/render-app';
import type { Role } from '../../api';
import { SSO_BOUNDS, SSO_DEFAULT_ROLES } from '../../vocabulary';
import { readDomain, ssoFormProblems, ssoRequestOf, type SsoForm } from './sso-rules';

const org = (p: string) => `/v1/orgs/${ORG_ID}${p}`;
const PAGE = `/o/${ORG_ID}/settings/sso`;
const meAs = (role: Role) => ({ ...ME, organizations: [{ ...ME.organizations[0]!, role }] });
const OWNER_2 = '33333333-3333-4333-8333-333333333333';
const REDIRECT_URI = 'https://plumbline.example.com/v1/auth/sso/callback';

const MEMBERS: Member[] = [
  { userId: USER_ID, email: 'ada@example.com', name: 'Ada', role: 'owner', lastLoginAt: null },
  { userId: OWNER_2, email: 'grace@example.com', name: 'Grace', role: 'owner', lastLoginAt: null },
  {
    userId: '44444444-4444-4444-8444-444444444444',
    email: 'alan@example.com',
    name: 'Alan',
    role: 'admin',
    lastLoginAt: null,
  },
];

const domain = (name: string, verified: boolean): SsoDomain => ({
  domain: name,
  verified,
  verifiedAt: verified ? '2026-03-01T10:00:00Z' : null,
  txtRecordName: `_plumbline-verification.${name}`,
  txtRecordValue: `plumbline-verification=${name.replace(/\W/g, '')}-token`,
});

const NOT_CONFIGURED: SsoConfigResponse = {
  configured: false,
  enabled: false,
  issuer: null,
  clientId: null,
  hasClientSecret: false,
  domains: [],
  defaultRole: 'member',
  ssoRequired: false,
  breakGlassUserId: null,
  redirectUri: REDIRECT_URI,
  updatedAt: null,
};

const CONFIGURED: SsoConfigResponse = {
  configured: true,
  enabled: true,
  issuer: 'https://login.example.com',
  clientId: 'plumbline-web',
  hasClientSecret: true,
  domains: [domain('example.com', true), domain('example.org', false)],
  defaultRole: 'viewer',
  ssoRequired: true,
  breakGlassUserId: OWNER_2,
  redirectUri: REDIRECT_URI,
  updatedAt: '2026-03-02T10:00:00Z',
};

const routes = (role: Role, config: SsoConfigResponse, extra: Record<string, FakeRoute> = {}) => ({
  'GET /v1/me': { status: 200, body: meAs(role) },
  [`GET ${org('/sso')}`]: { status: 200, body: config },
  [`GET ${org('/members')}`]: { status: 200, body: { items: MEMBERS } },
  ...extra,
});

const problem = (status: number, code: string, message: string) => ({
  status,
  body: { error: { code, message } },
});

describe('Settings → Single sign-on', () => {
  it('owners set it up: the form checks itself, then sends the settings and shows each domain’s record', async () => {
    const saved: SsoConfigResponse = {
      ...CONFIGURED,
      domains: [domain('example.com', false), domain('corp.example.com', false)],
    };
    const { calls } = renderApp(
      PAGE,
      routes('owner', NOT_CONFIGURED, { [`PUT ${org('/sso')}`]: { status: 200, body: saved } }),
    );
    const user = userEvent.setup();
    expect(await screen.findByTestId('sso-status')).toHaveTextContent(
      'Single sign-on is not set up yet.',
    );
    expect(screen.getByRole('link', { name: 'Single sign-on' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    expect(screen.queryByTestId('sso-read-only')).toBeNull();
    // Nothing stored yet: no "stored" placeholder.
    expect(screen.getByLabelText('Client secret')).not.toHaveAttribute('placeholder');
    // The redirect URI to register, with a copy button.
    expect(screen.getByTestId('sso-redirect-uri')).toHaveTextContent(REDIRECT_URI);
    await user.click(screen.getByRole('button', { name: 'Copy Redirect URI' }));
    expect(await navigator.clipboard.readText()).toBe(REDIRECT_URI);
    expect(screen.getByText('Copied.')).toBeInTheDocument();

    // Saving an empty form says what is missing and sends nothing.
    await user.click(screen.getByRole('button', { name: 'Save single sign-on settings' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Check these, then save again:');
    expect(alert).toHaveTextContent('Issuer URL: write the address of your identity provider.');
    expect(alert).toHaveTextContent('Client ID: copy it from your identity provider.');
    expect(alert).toHaveTextContent('Client secret: copy it from your identity provider.');
    expect(alert).toHaveTextContent('Email domains: add at least one.');

    await user.type(screen.getByLabelText('Issuer URL'), ' https://login.example.com ');
    await user.type(screen.getByLabelText('Client ID'), 'plumbline-web');
    await user.type(screen.getByLabelText('Client secret'), 's3cret-value');
    // Domains: refused when not a domain or already listed; Enter adds.
    const add = screen.getByLabelText('Add an email domain');
    await user.type(add, 'https://example.com');
    await user.click(screen.getByRole('button', { name: 'Add domain' }));
    expect(
      screen.getByText(/“https:\/\/example.com” is not a domain: write one such as example.com/),
    ).toHaveAttribute('role', 'alert');
    await user.clear(add);
    await user.type(add, '@Example.COM{Enter}');
    await user.type(add, 'corp.example.com');
    await user.click(screen.getByRole('button', { name: 'Add domain' }));
    await user.type(add, 'example.com{Enter}');
    expect(screen.getByText('example.com is in the list already.')).toHaveAttribute(
      'role',
      'alert',
    );
    await user.clear(add);
    await user.type(add, 'old.example.net{Enter}');
    await user.click(screen.getByRole('button', { name: 'Remove old.example.net' }));
    expect(screen.getByTestId('sso-domain-example.com')).toHaveTextContent(
      'Save to get the DNS record that proves this domain is yours.',
    );
    await user.selectOptions(
      screen.getByLabelText('Role of people who join by single sign-on'),
      'viewer',
    );
    // Requiring single sign-on needs an owner who keeps a password.
    await user.click(screen.getByLabelText('Require single sign-on'));
    const breakGlass = screen.getByLabelText('Owner who can still sign in with a password');
    expect(
      within(breakGlass)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Choose an owner', 'Ada (ada@example.com)', 'Grace (grace@example.com)']);
    await user.click(screen.getByRole('button', { name: 'Save single sign-on settings' }));
    expect(
      await screen.findByText(/Owner who keeps password sign-in: choose one/),
    ).toBeInTheDocument();
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);

    await user.selectOptions(breakGlass, OWNER_2);
    await user.click(screen.getByRole('button', { name: 'Save single sign-on settings' }));
    expect(await screen.findByText('Saved.')).toBeInTheDocument();
    const put = calls.find((c) => c.method === 'PUT' && c.path === org('/sso'));
    expect(put?.body).toEqual({
      enabled: true,
      issuer: 'https://login.example.com',
      clientId: 'plumbline-web',
      clientSecret: 's3cret-value',
      domains: ['example.com', 'corp.example.com'],
      defaultRole: 'viewer',
      ssoRequired: true,
      breakGlassUserId: OWNER_2,
    });
    expect(ssoConfigRequestSchema.safeParse(put?.body).success).toBe(true);
    // The saved domains show the record to publish.
    const row = screen.getByTestId('sso-domain-corp.example.com');
    expect(row).toHaveTextContent('Not verified yet. Publish this TXT record');
    expect(row).toHaveTextContent('_plumbline-verification.corp.example.com');
    expect(row).toHaveTextContent('plumbline-verification=corpexamplecom-token');
    // The secret is stored now: the field is empty again and says so.
    expect(screen.getByLabelText('Client secret')).toHaveValue('');
    expect(screen.getByLabelText('Client secret')).toHaveAttribute(
      'placeholder',
      'stored — leave empty to keep',
    );
  });

  it('keeps the stored secret when the field stays empty, and checks a domain’s record now', async () => {
    let checks = 0;
    const { calls } = renderApp(
      PAGE,
      routes('owner', CONFIGURED, {
        [`PUT ${org('/sso')}`]: { status: 200, body: { ...CONFIGURED, enabled: false } },
        [`POST ${org('/sso/domains/example.org/verify')}`]: () => {
          checks += 1;
          return { status: 200, body: domain('example.org', checks > 1) };
        },
      }),
    );
    const user = userEvent.setup();
    expect(await screen.findByTestId('sso-status')).toHaveTextContent(
      'Single sign-on is on, and required.',
    );
    expect(screen.getByLabelText('Client secret')).toHaveAttribute(
      'placeholder',
      'stored — leave empty to keep',
    );
    expect(screen.getByLabelText('Issuer URL')).toHaveValue('https://login.example.com');
    expect(screen.getByLabelText('Owner who can still sign in with a password')).toHaveValue(
      OWNER_2,
    );
    expect(screen.getByTestId('sso-domain-example.com')).toHaveTextContent(
      'example.com · Verified on Mar 1, 2026',
    );
    expect(screen.queryByRole('button', { name: 'Check now example.com' })).toBeNull();

    // Not there yet, then there.
    await user.click(screen.getByRole('button', { name: 'Check now example.org' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The record is not there yet.');
    await user.click(screen.getByRole('button', { name: 'Check now example.org' }));
    await waitFor(() =>
      expect(screen.getByTestId('sso-domain-example.org')).toHaveTextContent(
        'example.org · Verified on Mar 1, 2026',
      ),
    );
    expect(screen.getByTestId('sso-domain-example.org')).toHaveTextContent(
      'example.org is verified.',
    );
    expect(
      calls.filter((c) => c.method === 'POST' && c.path === org('/sso/domains/example.org/verify')),
    ).toHaveLength(2);

    await user.click(screen.getByLabelText('Single sign-on is on'));
    await user.click(screen.getByRole('button', { name: 'Save single sign-on settings' }));
    expect(await screen.findByText('Saved.')).toBeInTheDocument();
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.body).not.toHaveProperty('clientSecret');
    expect(put?.body).toMatchObject({ enabled: false, breakGlassUserId: OWNER_2 });
    expect(screen.getByTestId('sso-status')).toHaveTextContent(
      'Single sign-on is set up, but off.',
    );
  });

  it('shows why the API refused: a domain taken by another organisation, an unreachable issuer', async () => {
    let answer = problem(409, 'conflict', 'example.com is used by another organisation');
    renderApp(PAGE, routes('owner', CONFIGURED, { [`PUT ${org('/sso')}`]: () => answer }));
    const user = userEvent.setup();
    const save = await screen.findByRole('button', { name: 'Save single sign-on settings' });
    await user.click(save);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Example.com is used by another organisation.',
    );
    answer = problem(
      422,
      'validation_failed',
      'the identity provider at https://login.example.com could not be reached (HTTP 404 from its discovery document)',
    );
    await user.click(save);
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'The identity provider at https://login.example.com could not be reached',
      ),
    );
    expect(screen.queryByText('Saved.')).toBeNull();
  });

  it('owners remove it: passwords work again', async () => {
    let removed = false;
    const { calls } = renderApp(PAGE, {
      ...routes('owner', CONFIGURED),
      [`GET ${org('/sso')}`]: () => ({
        status: 200,
        body: removed ? NOT_CONFIGURED : CONFIGURED,
      }),
      [`DELETE ${org('/sso')}`]: () => {
        removed = true;
        return { status: 204 };
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Remove single sign-on' }));
    await user.click(screen.getByRole('button', { name: 'Confirm remove single sign-on' }));
    await waitFor(() =>
      expect(screen.getByTestId('sso-status')).toHaveTextContent(
        'Single sign-on is not set up yet.',
      ),
    );
    expect(calls.some((c) => c.method === 'DELETE' && c.path === org('/sso'))).toBe(true);
    expect(screen.queryByRole('button', { name: 'Remove single sign-on' })).toBeNull();
    expect(screen.getByLabelText('Issuer URL')).toHaveValue('');
  });

  it('admins see the settings but change nothing', async () => {
    const { calls } = renderApp(PAGE, routes('admin', CONFIGURED));
    expect(await screen.findByTestId('sso-read-only')).toHaveTextContent(
      'Only owners can change single sign-on.',
    );
    expect(screen.getByLabelText('Issuer URL')).toBeDisabled();
    expect(screen.getByLabelText('Issuer URL')).toHaveValue('https://login.example.com');
    expect(screen.getByLabelText('Require single sign-on')).toBeDisabled();
    expect(screen.getByLabelText('Owner who can still sign in with a password')).toBeDisabled();
    expect(screen.getByTestId('sso-domain-example.org')).toHaveTextContent(
      '_plumbline-verification.example.org',
    );
    for (const name of [
      'Save single sign-on settings',
      'Remove single sign-on',
      'Check now example.org',
      'Add domain',
    ]) {
      expect(screen.queryByRole('button', { name })).toBeNull();
    }
    // The redirect URI can still be copied.
    expect(screen.getByRole('button', { name: 'Copy Redirect URI' })).toBeEnabled();
    expect(calls.every((c) => c.method === 'GET')).toBe(true);
  });

  it('members and viewers do not see it', async () => {
    const { calls } = renderApp(PAGE, routes('member', CONFIGURED));
    expect(
      await screen.findByText('Only admins and above can see the single sign-on settings.'),
    ).toBeInTheDocument();
    expect(calls.some((c) => c.path === org('/sso'))).toBe(false);
  });
});

describe('the single sign-on form’s checks', () => {
  const form = (over: Partial<SsoForm> = {}): SsoForm => ({
    enabled: true,
    issuer: 'https://login.example.com',
    clientId: 'plumbline-web',
    clientSecret: 'secret',
    domains: ['example.com'],
    defaultRole: 'member',
    ssoRequired: false,
    breakGlassUserId: '',
    ...over,
  });
  const opts = { hasClientSecret: true, ownerIds: [USER_ID] };

  it('holds the contracts’ roles and bounds', () => {
    expect([...SSO_DEFAULT_ROLES]).toEqual([...ssoDefaultRoleSchema.options]);
    expect(SSO_BOUNDS.maxDomains).toBe(SSO_MAX_DOMAINS);
  });

  it('reads domains as the contracts do', () => {
    for (const d of [
      'example.com',
      'Example.COM',
      ' corp.example.co.uk ',
      'a-b.example',
      'x'.repeat(63) + '.com',
      'example',
      '-example.com',
      'example-.com',
      'exa_mple.com',
      '*.example.com',
      'example.com:443',
      'https://example.com',
      'x'.repeat(64) + '.com',
      `${'a.'.repeat(126)}com`,
      '',
    ]) {
      const mine = readDomain(d);
      const theirs = emailDomainSchema.safeParse(d);
      expect({ d, ok: 'domain' in mine }).toEqual({ d, ok: theirs.success });
      if ('domain' in mine && theirs.success) expect(mine.domain).toBe(theirs.data);
    }
    // A leading @ (pasted from an address) is dropped.
    expect(readDomain('@example.com')).toEqual({ domain: 'example.com' });
  });

  it('accepts what the contracts accept and refuses what they refuse', () => {
    const cases: [Partial<SsoForm>, boolean][] = [
      [{}, true],
      [{ clientSecret: '' }, true],
      [{ issuer: 'http://localhost:8080/realms/acme' }, true],
      [{ issuer: 'login.example.com' }, false],
      [{ issuer: 'ftp://login.example.com' }, false],
      [{ issuer: `https://login.example.com/${'x'.repeat(480)}` }, false],
      [{ clientId: '  ' }, false],
      [{ clientId: 'x'.repeat(255) }, true],
      [{ clientId: 'x'.repeat(256) }, false],
      [{ clientSecret: 'x'.repeat(1000) }, true],
      [{ clientSecret: 'x'.repeat(1001) }, false],
      [{ domains: [] }, false],
      [{ domains: Array.from({ length: 20 }, (_, i) => `d${i}.example.com`) }, true],
      [{ domains: Array.from({ length: 21 }, (_, i) => `d${i}.example.com`) }, false],
      [{ ssoRequired: true, breakGlassUserId: USER_ID }, true],
      [{ defaultRole: 'admin' }, true],
    ];
    for (const [over, ok] of cases) {
      const f = form(over);
      expect({ over, problems: ssoFormProblems(f, opts).length === 0 }).toEqual({
        over,
        problems: ok,
      });
      expect({ over, contract: ssoConfigRequestSchema.safeParse(ssoRequestOf(f)).success }).toEqual(
        { over, contract: ok },
      );
    }
    // Stricter than the contracts where the API needs more: a first secret, a break-glass owner.
    expect(
      ssoFormProblems(form({ clientSecret: '' }), { ...opts, hasClientSecret: false }),
    ).toEqual(['Client secret: copy it from your identity provider.']);
    expect(ssoFormProblems(form({ ssoRequired: true }), opts)).toHaveLength(1);
    expect(
      ssoFormProblems(form({ ssoRequired: true, breakGlassUserId: OWNER_2 }), opts),
    ).toHaveLength(1);
    // Not required: no break-glass owner is sent.
    expect(ssoRequestOf(form({ breakGlassUserId: USER_ID })).breakGlassUserId).toBeNull();
  });
});
