import { useState, type FormEvent } from 'react';
import { Field, FormError } from '../../components/Field';
import { toFormError, type FormErrorValue } from '../../components/formError';
import { Loading } from '../../components/states';
import { navigate, useLocation } from '../../router/history';
import { Link } from '../../router/Link';
import { paths, safeNext } from '../../router/routes';
import { useSession } from '../../session/session';
import { PublicLayout } from '../../shell/PublicLayout';
import { PageTitle, Redirect } from '../../shell/page';

export function SignIn() {
  const { state, signIn, signInWithCode } = useSession();
  const { search } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormErrorValue | null>(null);
  /** Set once the password was right for an account with two-factor authentication. */
  const [challenge, setChallenge] = useState<string | null>(null);
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const next = safeNext(search);

  if (state.status === 'signed-in' && !busy) return <Redirect to={next} />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = challenge
        ? await signInWithCode(
            useRecovery
              ? { challenge, recoveryCode: code.trim() }
              : { challenge, code: code.replace(/\s/g, '') },
          )
        : await signIn({ email: email.trim(), password });
      if (me && 'status' in me) {
        setChallenge(me.challenge);
        setPassword('');
      } else if (me) navigate(next, { replace: true });
      else
        setError({
          message: 'Signed in, but the session could not be read. Try again.',
          details: [],
        });
    } catch (err) {
      const e = toFormError(err);
      // An expired or used challenge: back to the password.
      if (challenge && /sign in again/.test(e.message)) {
        setChallenge(null);
        setCode('');
      }
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicLayout>
      <section className="card auth-card" aria-labelledby="page-title">
        <PageTitle title="Sign in">Sign in</PageTitle>
        {state.status === 'loading' && <Loading what="your session" />}
        {state.status === 'signed-out' && state.notice && (
          <p className="notice" role="status">
            {state.notice}
          </p>
        )}
        {challenge ? (
          <form onSubmit={submit} aria-busy={busy} data-testid="mfa-step">
            <p>
              {useRecovery
                ? 'Enter one of your recovery codes (each works once).'
                : 'Enter the 6-digit code of your authenticator app.'}
            </p>
            <Field
              label={useRecovery ? 'Recovery code' : 'Authentication code'}
              name="code"
              autoComplete="one-time-code"
              inputMode={useRecovery ? 'text' : 'numeric'}
              required
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            <FormError error={error} />
            <button type="submit" className="button" disabled={busy}>
              {busy ? 'Checking…' : 'Verify'}
            </button>
            <p className="auth-card__alt">
              <button
                type="button"
                className="button button--link"
                onClick={() => {
                  setUseRecovery(!useRecovery);
                  setCode('');
                  setError(null);
                }}
              >
                {useRecovery ? 'Use the authenticator app' : 'Use a recovery code instead'}
              </button>
            </p>
          </form>
        ) : (
          <form onSubmit={submit} aria-busy={busy}>
            <Field
              label="Email"
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <Field
              label="Password"
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <FormError error={error} />
            <button type="submit" className="button" disabled={busy}>
              {busy ? 'Signing in…' : 'Sign in'}
            </button>
          </form>
        )}
        <p className="auth-card__alt">
          <Link to={paths.forgotPassword()}>Forgot your password?</Link>
        </p>
        <p className="auth-card__alt">
          New to Plumbline? <Link to={paths.signUp()}>Create an account</Link>
        </p>
      </section>
      <section className="about" aria-labelledby="about-title">
        <h2 id="about-title">What Plumbline measures</h2>
        <p>
          How ready your organisation really is to run Kubernetes and AI agents in production:{' '}
          <strong>Kubernetes operational maturity</strong> (how clusters are built, upgraded,
          observed and recovered), <strong>AI agent accountability</strong> (whether every agent
          action can be attributed, limited and audited), and the <strong>integration tax</strong>{' '}
          of a do-it-yourself networking and security stack. Every number comes with the evidence
          behind it.
        </p>
      </section>
    </PublicLayout>
  );
}
