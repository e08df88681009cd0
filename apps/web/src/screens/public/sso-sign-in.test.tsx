import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  SSO_ERROR_CODES,
  SSO_REQUIRED_MESSAGE as CONTRACT_SSO_REQUIRED_MESSAGE,
  ssoStartRequestSchema,
} from '@plumbline/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ME, ORG_ID } from '../../../test/fake-api';
import { EMPTY_OVERVIEW } from '../../../test/read-fixtures';
import { currentPath, renderApp } from '../../../test/render-app';
import { externalPage } from '../../router/history';
import { SSO_ERROR_WORDS, SSO_REQUIRED_MESSAGE, ssoErrorWords } from '../../vocabulary';

const UNAUTHENTICATED = {
  status: 401,
  body: { error: { code: 'unauthenticated', message: 'sign in first' } },
};
const IDP = 'https://login.example.com/authorize?client_id=plumbline-web&state=abc';

let leftTo: string[] = [];
beforeEach(() => {
  leftTo = [];
  jest.spyOn(externalPage, 'assign').mockImplementation((url: string) => {
    leftTo.push(url);
  });
});
afterEach(() => {
  jest.restoreAllMocks();
});

const starts = (calls: { path: string; body: unknown }[]) =>
  calls.filter((c) => c.path === '/v1/auth/sso/start').map((c) => c.body);

describe('the words of single sign-on', () => {
  it('has plain words for every reason the API gives, and the API’s message', () => {
    expect(Object.keys(SSO_ERROR_WORDS).sort()).toEqual([...SSO_ERROR_CODES].sort());
    for (const code of SSO_ERROR_CODES) {
      expect(ssoErrorWords(code)).toBe(SSO_ERROR_WORDS[code]);
      expect(ssoErrorWords(code)).not.toContain(code);
      expect(ssoErrorWords(code)).toMatch(/^[A-Z].*\.$/);
    }
    expect(ssoErrorWords('something_new')).toBe(
      'Single sign-on did not work. Try again, or ask your administrator.',
    );
    expect(ssoErrorWords('toString')).toBe(ssoErrorWords('something_new'));
    expect(SSO_REQUIRED_MESSAGE).toBe(CONTRACT_SSO_REQUIRED_MESSAGE);
  });
});

describe('sign in with single sign-on', () => {
  it.each([...SSO_ERROR_CODES])(
    'says why an attempt failed (sso_error=%s), where the API sends it back',
    async (code) => {
      renderApp(`/sign-in?sso_error=${code}`, { 'GET /v1/me': UNAUTHENTICATED });
      await screen.findByRole('heading', { level: 1, name: 'Sign in' });
      expect(screen.getByTestId('sso-error')).toHaveAttribute('role', 'alert');
      expect(screen.getByTestId('sso-error')).toHaveTextContent(SSO_ERROR_WORDS[code]);
    },
  );

  it('asks for the email, starts, and sends the browser to the identity provider', async () => {
    const { calls } = renderApp(`/signin?next=${encodeURIComponent('/o/acme/clusters')}`, {
      'GET /v1/me': UNAUTHENTICATED,
      'POST /v1/auth/sso/start': { status: 200, body: { redirectUrl: IDP } },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Continue with SSO' }));
    // Only the email field now, with the focus.
    const step = screen.getByTestId('sso-step');
    expect(screen.queryByLabelText('Password')).toBeNull();
    const email = screen.getByLabelText('Email');
    expect(email).toHaveFocus();
    expect(starts(calls)).toEqual([]);
    await user.type(email, ' Ada@Example.com ');
    await user.click(screen.getByRole('button', { name: 'Continue with SSO' }));
    await waitFor(() => expect(leftTo).toEqual([IDP]));
    expect(step).toHaveAttribute('aria-busy', 'true');
    expect(starts(calls)).toEqual([{ email: 'Ada@Example.com', returnTo: '/o/acme/clusters' }]);
    expect(ssoStartRequestSchema.safeParse(starts(calls)[0]).success).toBe(true);
  });

  it('uses the email already typed, and says when no single sign-on is set up for it', async () => {
    let answer = {
      status: 404,
      body: {
        error: { code: 'not_found', message: 'no single sign-on is set up for example.net' },
      },
    };
    const { calls } = renderApp('/signin', {
      'GET /v1/me': UNAUTHENTICATED,
      'POST /v1/auth/sso/start': () => answer,
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Email'), 'ada@example.net');
    await user.click(screen.getByRole('button', { name: 'Continue with SSO' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'No single sign-on is set up for example.net.',
    );
    expect(starts(calls)).toEqual([{ email: 'ada@example.net' }]);
    expect(leftTo).toEqual([]);
    expect(screen.getByLabelText('Email')).toHaveValue('ada@example.net');
    // Rate limited.
    answer = {
      status: 429,
      body: {
        error: { code: 'rate_limited', message: 'too many attempts; try again in a minute' },
      },
    };
    await user.click(screen.getByRole('button', { name: 'Continue with SSO' }));
    await waitFor(() =>
      expect(screen.getByRole('alert')).toHaveTextContent(
        'Too many attempts; try again in a minute.',
      ),
    );
    // Back to the password.
    await user.click(screen.getByRole('button', { name: 'Sign in with a password instead' }));
    expect(screen.getByLabelText('Password')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('a password sign-in where single sign-on is required offers it, with the email filled in', async () => {
    const { calls } = renderApp('/signin', {
      'GET /v1/me': UNAUTHENTICATED,
      'POST /v1/auth/login': {
        status: 403,
        body: { error: { code: 'forbidden', message: CONTRACT_SSO_REQUIRED_MESSAGE } },
      },
      'POST /v1/auth/sso/start': { status: 200, body: { redirectUrl: IDP } },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Your organisation signs in with single sign-on: use "Continue with SSO".',
    );
    expect(screen.getByTestId('sso-step')).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveValue('ada@example.com');
    await user.click(screen.getByRole('button', { name: 'Continue with SSO' }));
    await waitFor(() => expect(leftTo).toEqual([IDP]));
    expect(starts(calls)).toEqual([{ email: 'ada@example.com' }]);
  });

  it('an unrelated 403 keeps the password form', async () => {
    renderApp('/signin', {
      'GET /v1/me': UNAUTHENTICATED,
      'POST /v1/auth/login': {
        status: 403,
        body: { error: { code: 'forbidden', message: 'this account is disabled' } },
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This account is disabled.');
    expect(screen.queryByTestId('sso-step')).toBeNull();
  });

  it('does not follow an answer that is not a web address', async () => {
    renderApp('/signin', {
      'GET /v1/me': UNAUTHENTICATED,
      'POST /v1/auth/sso/start': { status: 200, body: { redirectUrl: 'javascript:alert(1)' } },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.click(screen.getByRole('button', { name: 'Continue with SSO' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('unusable address');
    expect(leftTo).toEqual([]);
  });

  it('lands on the organisation by its short name after signing in', async () => {
    renderApp('/o/acme', {
      'GET /v1/me': { status: 200, body: ME },
      [`GET /v1/orgs/${ORG_ID}/overview`]: { status: 200, body: EMPTY_OVERVIEW },
    });
    await waitFor(() => expect(currentPath()).toBe(`/o/${ORG_ID}/overview`));
  });
});
