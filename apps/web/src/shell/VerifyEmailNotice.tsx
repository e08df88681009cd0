import type { MeResponse } from '@plumbline/contracts';
import { useState } from 'react';
import { describeError } from '../api';
import { useSession } from '../session/session';

/**
 * A small notice while the signed-in user's address is unconfirmed (sign-in is not blocked),
 * with a button that mails a new confirmation link.
 */
export function VerifyEmailNotice({ me }: { me: MeResponse }) {
  const { api } = useSession();
  const [state, setState] = useState<
    { kind: 'idle' } | { kind: 'busy' } | { kind: 'sent' } | { kind: 'error'; message: string }
  >({ kind: 'idle' });
  if (me.user.emailVerified !== false) return null;

  const resend = async () => {
    setState({ kind: 'busy' });
    try {
      await api.resendVerification();
      setState({ kind: 'sent' });
    } catch (e) {
      setState({ kind: 'error', message: describeError(e) });
    }
  };

  return (
    <div className="notice verify-notice" data-testid="verify-email-notice">
      <p>
        Please confirm your email address, <strong>{me.user.email}</strong>: open the link of the
        mail we sent when you signed up.
      </p>
      {state.kind === 'sent' ? (
        <p role="status">A new link is on its way; earlier links no longer work.</p>
      ) : (
        <button
          type="button"
          className="button button--secondary"
          disabled={state.kind === 'busy'}
          onClick={() => void resend()}
        >
          {state.kind === 'busy' ? 'Sending…' : 'Send the link again'}
        </button>
      )}
      {state.kind === 'error' && (
        <p role="alert" className="account__error">
          {state.message}
        </p>
      )}
    </div>
  );
}
