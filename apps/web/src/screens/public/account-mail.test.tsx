import { describe, expect, it } from '@jest/globals';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EMPTY_OVERVIEW } from '../../../test/read-fixtures';
import { ME, ORG_ID } from '../../../test/fake-api';
import { currentPath, renderApp } from '../../../test/render-app';

const UNAUTHENTICATED = {
  status: 401,
  body: { error: { code: 'unauthenticated', message: 'sign in first' } },
};
const TOKEN = 'AbC-123_xyzAbC-123_xyzAbC-123_xyzAbC-123_x';

describe('forgotten password', () => {
  it('sign-in links to the request form, which answers without saying whether the account exists', async () => {
    const { calls } = renderApp('/signin', {
      'GET /v1/me': UNAUTHENTICATED,
      'POST /v1/auth/password-reset': {
        status: 202,
        body: { status: 'accepted', expiresInMinutes: 30 },
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('link', { name: 'Forgot your password?' }));
    await screen.findByRole('heading', { level: 1, name: 'Reset your password' });
    expect(currentPath()).toBe('/forgot-password');
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.click(screen.getByRole('button', { name: 'Mail me a link' }));
    expect(await screen.findByTestId('reset-requested')).toHaveTextContent(
      'If ada@example.com has a Plumbline account, a link to choose a new password is on its way. It works once, for 30 minutes.',
    );
    expect(calls.find((c) => c.path === '/v1/auth/password-reset')?.body).toEqual({
      email: 'ada@example.com',
    });
  });

  it('the reset page takes the token from the fragment, out of the address bar, and sets the password', async () => {
    const { calls } = renderApp(`/reset-password#token=${TOKEN}`, {
      'GET /v1/me': UNAUTHENTICATED,
      'POST /v1/auth/password-reset/confirm': {
        status: 200,
        body: { status: 'reset', next: 'sign_in' },
      },
    });
    await screen.findByRole('heading', { level: 1, name: 'Choose a new password' });
    expect(currentPath()).toBe('/reset-password');
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('New password'), 'a new passphrase 42');
    await user.type(screen.getByLabelText('New password, again'), 'a new passphrase 42');
    await user.click(screen.getByRole('button', { name: 'Set the new password' }));
    expect(await screen.findByTestId('password-reset-done')).toHaveTextContent(
      'every session of the account was signed out',
    );
    expect(calls.find((c) => c.path === '/v1/auth/password-reset/confirm')?.body).toEqual({
      token: TOKEN,
      password: 'a new passphrase 42',
    });
  });

  it('shows why a used link is refused, with a way to ask for a new one', async () => {
    renderApp(`/reset-password#token=${TOKEN}`, {
      'GET /v1/me': UNAUTHENTICATED,
      'POST /v1/auth/password-reset/confirm': {
        status: 409,
        body: {
          error: {
            code: 'conflict',
            message: 'this password reset link was used already; ask for a new one',
          },
        },
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('New password'), 'a new passphrase 42');
    await user.type(screen.getByLabelText('New password, again'), 'a new passphrase 42');
    await user.click(screen.getByRole('button', { name: 'Set the new password' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('used already');
    expect(screen.getByRole('link', { name: 'Ask for a new one' })).toHaveAttribute(
      'href',
      '/forgot-password',
    );
  });

  it('an incomplete link says so instead of showing the form', async () => {
    renderApp('/reset-password', { 'GET /v1/me': UNAUTHENTICATED });
    expect(await screen.findByRole('alert')).toHaveTextContent('This reset link is incomplete.');
    expect(screen.queryByLabelText('New password')).toBeNull();
  });
});

describe('email verification', () => {
  it('the verify page confirms the address with the token of the fragment, on a click', async () => {
    const { calls } = renderApp(`/verify-email#token=${TOKEN}`, {
      'GET /v1/me': UNAUTHENTICATED,
      'POST /v1/auth/verify-email': { status: 200, body: { status: 'verified' } },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Confirm my email address' }));
    expect(await screen.findByTestId('email-verified')).toHaveTextContent(
      'Your email address is confirmed.',
    );
    expect(calls.filter((c) => c.path === '/v1/auth/verify-email').map((c) => c.body)).toEqual([
      { token: TOKEN },
    ]);
    expect(currentPath()).toBe('/verify-email');
  });

  it('a signed-in user with an unconfirmed address sees a notice and can have the link resent', async () => {
    const { calls } = renderApp(`/o/${ORG_ID}/overview`, {
      'GET /v1/me': { status: 200, body: { ...ME, user: { ...ME.user, emailVerified: false } } },
      [`GET /v1/orgs/${ORG_ID}/overview`]: { status: 200, body: EMPTY_OVERVIEW },
      'POST /v1/auth/verify-email/resend': { status: 202, body: { status: 'sent' } },
    });
    const notice = await screen.findByTestId('verify-email-notice');
    expect(notice).toHaveTextContent('Please confirm your email address');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Send the link again' }));
    expect(await screen.findByText(/A new link is on its way/)).toBeInTheDocument();
    expect(calls.some((c) => c.path === '/v1/auth/verify-email/resend')).toBe(true);
  });

  it('no notice once the address is confirmed', async () => {
    renderApp(`/o/${ORG_ID}/overview`, {
      'GET /v1/me': { status: 200, body: { ...ME, user: { ...ME.user, emailVerified: true } } },
      [`GET /v1/orgs/${ORG_ID}/overview`]: { status: 200, body: EMPTY_OVERVIEW },
    });
    await screen.findByTestId('empty-overview');
    expect(screen.queryByTestId('verify-email-notice')).toBeNull();
  });
});
