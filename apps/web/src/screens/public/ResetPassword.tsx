import { useEffect, useState, type FormEvent } from 'react';
import { Field, FormError } from '../../components/Field';
import { toFormError, type FormErrorValue } from '../../components/formError';
import { ErrorState } from '../../components/states';
import { useLocation } from '../../router/history';
import { Link } from '../../router/Link';
import { paths, tokenFromHash } from '../../router/routes';
import { useSession } from '../../session/session';
import { PublicLayout } from '../../shell/PublicLayout';
import { PageTitle } from '../../shell/page';
import { PASSWORD_MIN_LENGTH } from '../../vocabulary';

/**
 * `/reset-password#token=...`: the mailed link. The token is read from the fragment (never sent
 * to a server), kept in memory and taken out of the address bar and history.
 */
export function ResetPassword() {
  const { api } = useSession();
  const { hash } = useLocation();
  const [token] = useState(() => tokenFromHash(hash));
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<FormErrorValue | null>(null);

  useEffect(() => {
    if (window.location.hash) window.history.replaceState(null, '', paths.resetPassword());
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password !== repeat) {
      setError({ message: 'The two passwords differ.', details: [] });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.confirmPasswordReset({ token, password });
      setDone(true);
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (done) {
    body = (
      <p className="notice" role="status" data-testid="password-reset-done">
        Your password is changed and every session of the account was signed out.{' '}
        <Link to={paths.signIn()}>Sign in with the new password</Link>.
      </p>
    );
  } else if (!token) {
    body = (
      <ErrorState
        title="This reset link is incomplete."
        message="Open the full link from the mail (it ends with a long code after #token=), or ask for a new one."
      >
        <p>
          <Link to={paths.forgotPassword()}>Ask for a new link</Link>
        </p>
      </ErrorState>
    );
  } else {
    body = (
      <form onSubmit={submit} aria-busy={busy}>
        <Field
          label="New password"
          type="password"
          name="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters; not a common password.`}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <Field
          label="New password, again"
          type="password"
          name="repeat"
          autoComplete="new-password"
          required
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
        />
        <FormError error={error} />
        {error && (
          <p className="auth-card__alt">
            Link used or expired? <Link to={paths.forgotPassword()}>Ask for a new one</Link>.
          </p>
        )}
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Saving…' : 'Set the new password'}
        </button>
      </form>
    );
  }

  return (
    <PublicLayout>
      <section className="card auth-card" aria-labelledby="page-title">
        <PageTitle title="Choose a new password">Choose a new password</PageTitle>
        {body}
      </section>
    </PublicLayout>
  );
}
