import { describe, expect, it } from '@jest/globals';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ME, ORG_ID } from '../../../test/fake-api';
import { EMPTY_OVERVIEW } from '../../../test/read-fixtures';
import { currentPath, renderApp } from '../../../test/render-app';

const UNAUTHENTICATED = {
  status: 401,
  body: { error: { code: 'unauthenticated', message: 'sign in first' } },
};
const org = (p: string) => `/v1/orgs/${ORG_ID}${p}`;
const CODES = Array.from({ length: 10 }, (_, i) => `AAAA-BBBB-CCCC-000${i}`);

describe('two-factor authentication', () => {
  it('sign-in asks for the code when the API says it is required, then signs in', async () => {
    let signedIn = false;
    const { calls } = renderApp('/signin', {
      'GET /v1/me': () => (signedIn ? { status: 200, body: ME } : UNAUTHENTICATED),
      'POST /v1/auth/login': {
        status: 200,
        body: { status: 'mfa_required', challenge: 'challenge-token-123', expiresInSeconds: 300 },
      },
      'POST /v1/auth/login/mfa': (call) => {
        const body = call.body as { code?: string; recoveryCode?: string };
        if (body.code !== '123456' && body.recoveryCode !== 'AAAA-BBBB-CCCC-DDDD')
          return {
            status: 401,
            body: { error: { code: 'unauthenticated', message: 'wrong code' } },
          };
        signedIn = true;
        return {
          status: 200,
          body: { user: ME.user, organizationId: ORG_ID, csrfToken: 'csrf-123' },
        };
      },
      [`GET ${org('/overview')}`]: { status: 200, body: EMPTY_OVERVIEW },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const step = await screen.findByTestId('mfa-step');
    expect(currentPath()).toBe('/signin');
    await user.type(within(step).getByLabelText('Authentication code'), '000 000');
    await user.click(within(step).getByRole('button', { name: 'Verify' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/wrong code/i);
    // A recovery code instead.
    await user.click(screen.getByRole('button', { name: 'Use a recovery code instead' }));
    await user.type(screen.getByLabelText('Recovery code'), 'AAAA-BBBB-CCCC-DDDD');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    await waitFor(() => expect(currentPath()).not.toBe('/signin'));
    const sent = calls.filter((c) => c.path === '/v1/auth/login/mfa').map((c) => c.body);
    expect(sent).toEqual([
      { challenge: 'challenge-token-123', code: '000000' },
      { challenge: 'challenge-token-123', recoveryCode: 'AAAA-BBBB-CCCC-DDDD' },
    ]);
  });

  it('enrols with the QR code and the key, then shows the recovery codes once', async () => {
    let enabled = false;
    const { calls } = renderApp(`/o/${ORG_ID}/settings/security`, {
      'GET /v1/me': () => ({
        status: 200,
        body: { ...ME, user: { ...ME.user, mfaEnabled: enabled } },
      }),
      'GET /v1/me/mfa': () => ({
        status: 200,
        body: {
          mfaEnabled: enabled,
          enabledAt: null,
          recoveryCodesLeft: enabled ? 10 : 0,
          requiredBy: [],
        },
      }),
      'POST /v1/me/mfa/enrol': {
        status: 200,
        body: {
          otpauthUri: 'otpauth://totp/Plumbline:ada%40example.com?secret=JBSWY3DPEHPK3PXP',
          secret: 'JBSWY3DPEHPK3PXP',
          qrSvgDataUrl: 'data:image/svg+xml;base64,PHN2Zy8+',
          issuer: 'Plumbline',
          digits: 6,
          periodSeconds: 30,
        },
      },
      'POST /v1/me/mfa/confirm': () => {
        enabled = true;
        return { status: 200, body: { mfaEnabled: true, recoveryCodes: CODES } };
      },
      [`PUT ${org('/security')}`]: { status: 200, body: { requireMfa: true } },
    });
    const user = userEvent.setup();
    const section = await screen.findByTestId('two-factor');
    // An admin cannot require it before having it.
    expect(within(screen.getByTestId('require-mfa')).getByRole('checkbox')).toBeDisabled();
    await user.click(
      within(section).getByRole('button', { name: 'Set up two-factor authentication' }),
    );
    expect(await screen.findByTestId('mfa-secret')).toHaveTextContent('JBSWY3DPEHPK3PXP');
    expect(screen.getByAltText(/QR code/)).toHaveAttribute(
      'src',
      'data:image/svg+xml;base64,PHN2Zy8+',
    );
    await user.type(screen.getByLabelText('Code from the app'), '123 456');
    await user.click(screen.getByRole('button', { name: 'Turn on' }));
    const shown = await screen.findByTestId('recovery-codes');
    expect(shown).toHaveTextContent('shown only once');
    for (const c of CODES) expect(shown).toHaveTextContent(c);
    // Off: the enrolment needs no second factor (no body).
    expect(calls.find((c) => c.path === '/v1/me/mfa/enrol')?.body).toBeUndefined();
    expect(calls.find((c) => c.path === '/v1/me/mfa/confirm')?.body).toEqual({ code: '123456' });
    // Now on: the admin may require it for members.
    const checkbox = within(screen.getByTestId('require-mfa')).getByRole('checkbox');
    await waitFor(() => expect(checkbox).toBeEnabled());
    await user.click(checkbox);
    await waitFor(() =>
      expect(calls.find((c) => c.path === org('/security'))?.body).toEqual({ requireMfa: true }),
    );
  });

  it('while on, a new device, new recovery codes and turning off need a current code or a recovery code', async () => {
    let enabled = true;
    const NEW_CODES = CODES.map((c) => c.replace('AAAA', 'ZZZZ'));
    const refused = {
      status: 422,
      body: {
        error: {
          code: 'validation_failed',
          message: 'wrong code',
          details: ['code: wrong code'],
        },
      },
    };
    const right = (body: { code?: string; recoveryCode?: string }) =>
      body.code === '123456' || body.recoveryCode === 'AAAA-BBBB-CCCC-0001';
    const { calls } = renderApp(`/o/${ORG_ID}/settings/security`, {
      'GET /v1/me': () => ({
        status: 200,
        body: { ...ME, user: { ...ME.user, mfaEnabled: enabled } },
      }),
      'GET /v1/me/mfa': () => ({
        status: 200,
        body: {
          mfaEnabled: enabled,
          enabledAt: enabled ? '2026-12-01T00:00:00.000Z' : null,
          recoveryCodesLeft: enabled ? 9 : 0,
          requiredBy: [],
        },
      }),
      'POST /v1/me/mfa/enrol': (call) =>
        right(call.body as { code?: string })
          ? {
              status: 200,
              body: {
                otpauthUri: 'otpauth://totp/Plumbline:ada%40example.com?secret=KRSXG5CTMVRXEZLU',
                secret: 'KRSXG5CTMVRXEZLU',
                qrSvgDataUrl: 'data:image/svg+xml;base64,PHN2Zy8+',
                issuer: 'Plumbline',
                digits: 6,
                periodSeconds: 30,
              },
            }
          : refused,
      'POST /v1/me/mfa/confirm': {
        status: 200,
        body: { mfaEnabled: true, recoveryCodes: CODES },
      },
      'POST /v1/me/mfa/recovery-codes': (call) =>
        right(call.body as { code?: string })
          ? { status: 200, body: { mfaEnabled: true, recoveryCodes: NEW_CODES } }
          : refused,
      'POST /v1/me/mfa/disable': (call) => {
        if (!right(call.body as { code?: string })) return refused;
        enabled = false;
        return { status: 200, body: { mfaEnabled: false } };
      },
    });
    const user = userEvent.setup();
    const section = await screen.findByTestId('two-factor');
    expect(await within(section).findByText(/9 recovery codes left/)).toBeInTheDocument();

    // A new device: the current code first (a wrong one is refused), then the new QR code.
    await user.click(within(section).getByRole('button', { name: 'Set up on a new device' }));
    let form = screen.getByTestId('mfa-action');
    expect(within(form).queryByAltText(/QR code/)).toBeNull();
    await user.type(
      within(form).getByLabelText('Code from your current authenticator app'),
      '000000',
    );
    await user.click(within(form).getByRole('button', { name: 'Continue' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/wrong code/i);
    expect(screen.queryByTestId('mfa-secret')).toBeNull();
    const input = within(form).getByLabelText('Code from your current authenticator app');
    await user.clear(input);
    await user.type(input, '123 456');
    await user.click(within(form).getByRole('button', { name: 'Continue' }));
    expect(await screen.findByTestId('mfa-secret')).toHaveTextContent('KRSXG5CTMVRXEZLU');
    await user.type(screen.getByLabelText('Code from the app'), '654321');
    await user.click(screen.getByRole('button', { name: 'Turn on' }));
    expect(await screen.findByTestId('recovery-codes')).toHaveTextContent(CODES[0]!);

    // New recovery codes with a recovery code (the device is lost).
    await user.click(within(section).getByRole('button', { name: 'New recovery codes' }));
    form = screen.getByTestId('mfa-action');
    await user.click(within(form).getByRole('button', { name: 'Use a recovery code instead' }));
    await user.type(within(form).getByLabelText('Recovery code'), ' AAAA-BBBB-CCCC-0001 ');
    await user.click(within(form).getByRole('button', { name: 'Get new recovery codes' }));
    await waitFor(() =>
      expect(screen.getByTestId('recovery-codes')).toHaveTextContent(NEW_CODES[0]!),
    );

    // Turning off: the password and a recovery code.
    await user.click(within(section).getByRole('button', { name: 'Turn off' }));
    form = screen.getByTestId('mfa-action');
    await user.type(within(form).getByLabelText('Password'), 'correct horse');
    await user.click(within(form).getByRole('button', { name: 'Use a recovery code instead' }));
    await user.type(within(form).getByLabelText('Recovery code'), 'AAAA-BBBB-CCCC-0001');
    await user.click(within(form).getByRole('button', { name: 'Turn off' }));
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Two-factor authentication is off.',
    );

    const sent = (path: string) =>
      calls.filter((c) => c.path === `/v1/me/mfa/${path}`).map((c) => c.body);
    expect(sent('enrol')).toEqual([{ code: '000000' }, { code: '123456' }]);
    expect(sent('confirm')).toEqual([{ code: '654321' }]);
    expect(sent('recovery-codes')).toEqual([{ recoveryCode: 'AAAA-BBBB-CCCC-0001' }]);
    expect(sent('disable')).toEqual([
      { password: 'correct horse', recoveryCode: 'AAAA-BBBB-CCCC-0001' },
    ]);
  });

  it('a member blocked by the requirement sees a banner linking to the set-up', async () => {
    renderApp(`/o/${ORG_ID}/overview`, {
      'GET /v1/me': {
        status: 200,
        body: {
          ...ME,
          user: { ...ME.user, mfaEnabled: false },
          organizations: [{ ...ME.organizations[0]!, role: 'member', mfaRequired: true }],
        },
      },
      [`GET ${org('/overview')}`]: {
        status: 403,
        body: {
          error: {
            code: 'forbidden',
            message:
              'this organisation requires two-factor authentication: set it up in your account settings',
            details: ['mfa_required'],
          },
        },
      },
    });
    const banner = await screen.findByTestId('mfa-required-notice');
    expect(banner).toHaveTextContent('Acme requires two-factor authentication');
    expect(
      within(banner).getByRole('link', { name: 'Set up two-factor authentication' }),
    ).toHaveAttribute('href', `/o/${ORG_ID}/settings/security`);
  });
});
