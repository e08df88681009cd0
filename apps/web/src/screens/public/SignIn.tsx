import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../api';
import { startSso } from '../../api/sso';
import { Field, FormError } from '../../components/Field';
import { toFormError, type FormErrorValue } from '../../components/formError';
import { Loading } from '../../components/states';
import { externalPage, navigate, useLocation } from '../../router/history';
import { Link } from '../../router/Link';
import { paths, safeNext } from '../../router/routes';
import { useSession } from '../../session/session';
import { PublicLayout } from '../../shell/PublicLayout';
import { PageTitle, Redirect } from '../../shell/page';
import { SSO_REQUIRED_MESSAGE, ssoErrorWords } from '../../vocabulary';

/** Roughly an email address (the API checks it properly). */
const looksLikeEmail = (s: string) => s.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);

/** The API's answer to a password sign-in of a member of an organisation that requires SSO. */
const isSsoRequired = (e: unknown) =>
  e instanceof ApiError && e.status === 403 && e.message === SSO_REQUIRED_MESSAGE;

/** Where to land after single sign-on: the page asked for, when the API can take it back. */
function returnToOf(next: string): string | undefined {
  if (next === paths.home() || next.length > 500 || /\s/.test(next)) return undefined;
  return next;
}

export function SignIn() {
  const { api, state, signIn, signInWithCode } = useSession();
  const { search } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormErrorValue | null>(null);
  /** Single sign-on: only the email address, then the organisation's identity provider. */
  const [sso, setSso] = useState(false);
  /** Why the last single sign-on failed (`?sso_error=`), until the next attempt. */
  const [ssoError, setSsoError] = useState(() => new URLSearchParams(search).get('sso_error'));
  const ssoForm = useRef<HTMLFormElement>(null);
  /** Set once the password was right for an account with two-factor authentication. */
  const [challenge, setChallenge] = useState<string | null>(null);
  const [useRecovery, setUseRecovery] = useState(false);
  const [code, setCode] = useState('');
  const next = safeNext(search);

  // The email field of the single sign-on step takes the focus when it opens.
  useEffect(() => {
    if (sso) ssoForm.current?.querySelector('input')?.focus();
  }, [sso]);

  if (state.status === 'signed-in' && !busy) return <Redirect to={next} />;

  /** Off to the identity provider of the email's organisation (the browser leaves the app). */
  const continueWithSso = async () => {
    const address = email.trim();
    setSsoError(null);
    if (!looksLikeEmail(address)) {
      setSso(true);
      setError(
        address
          ? { message: 'Enter your work email address, such as ada@example.com.', details: [] }
          : null,
      );
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const returnTo = returnToOf(next);
      const { redirectUrl } = await startSso(api, {
        email: address,
        ...(returnTo ? { returnTo } : {}),
      });
      if (!/^https?:\/\//i.test(redirectUrl)) {
        throw new Error('The sign-in page of your identity provider has an unusable address.');
      }
      // Stays busy: the page unloads.
      externalPage.assign(redirectUrl);
    } catch (err) {
      setSso(true);
      setError(toFormError(err));
      setBusy(false);
    }
  };

  const submitSso = (e: FormEvent) => {
    e.preventDefault();
    void continueWithSso();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSsoError(null);
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
      // The organisation signs in with single sign-on: offer it, with the email filled in.
      if (isSsoRequired(err)) {
        setSso(true);
        setPassword('');
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
        {ssoError && (
          <div className="form-error" role="alert" data-testid="sso-error">
            <p>{ssoErrorWords(ssoError)}</p>
          </div>
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
        ) : sso ? (
          <form ref={ssoForm} onSubmit={submitSso} aria-busy={busy} data-testid="sso-step">
            <p>
              Enter your work email address: Plumbline sends you to your organisation’s sign-in
              page, then back here.
            </p>
            <Field
              label="Email"
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
            <FormError error={error} />
            <button type="submit" className="button" disabled={busy}>
              {busy ? 'Opening your sign-in page…' : 'Continue with SSO'}
            </button>
            <p className="auth-card__alt">
              <button
                type="button"
                className="button button--link"
                disabled={busy}
                onClick={() => {
                  setSso(false);
                  setError(null);
                }}
              >
                Sign in with a password instead
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
            <p className="auth-card__sso">
              <span>Does your organisation sign in with single sign-on?</span>{' '}
              <button
                type="button"
                className="button button--secondary"
                disabled={busy}
                onClick={() => void continueWithSso()}
              >
                Continue with SSO
              </button>
            </p>
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
