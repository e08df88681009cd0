import { useEffect, useState } from 'react';
import { FormError } from '../../components/Field';
import { toFormError, type FormErrorValue } from '../../components/formError';
import { ErrorState } from '../../components/states';
import { useLocation } from '../../router/history';
import { Link } from '../../router/Link';
import { paths, tokenFromHash } from '../../router/routes';
import { useSession } from '../../session/session';
import { PublicLayout } from '../../shell/PublicLayout';
import { PageTitle } from '../../shell/page';

/**
 * `/verify-email#token=...`: the link of the verification mail. Confirmed by a click (a mail
 * scanner opening the link does not use it up); the token leaves the address bar at once.
 */
export function VerifyEmail() {
  const { api, state, refresh } = useSession();
  const { hash } = useLocation();
  const [token] = useState(() => tokenFromHash(hash));
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<FormErrorValue | null>(null);

  useEffect(() => {
    if (window.location.hash) window.history.replaceState(null, '', paths.verifyEmail());
  }, []);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.verifyEmail(token);
      setDone(true);
      if (state.status === 'signed-in') await refresh();
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (done) {
    body = (
      <p className="notice" role="status" data-testid="email-verified">
        Your email address is confirmed.{' '}
        {state.status === 'signed-in' ? (
          <Link to={paths.home()}>Continue</Link>
        ) : (
          <Link to={paths.signIn()}>Sign in</Link>
        )}
      </p>
    );
  } else if (!token) {
    body = (
      <ErrorState
        title="This confirmation link is incomplete."
        message="Open the full link from the mail (it ends with a long code after #token=). Signed in, you can have a new one sent."
      />
    );
  } else {
    body = (
      <>
        <p>Confirm that this email address is yours.</p>
        <FormError error={error} />
        <button type="button" className="button" disabled={busy} onClick={() => void confirm()}>
          {busy ? 'Confirming…' : 'Confirm my email address'}
        </button>
      </>
    );
  }

  return (
    <PublicLayout>
      <section className="card auth-card" aria-labelledby="page-title">
        <PageTitle title="Confirm your email address">Confirm your email address</PageTitle>
        {body}
      </section>
    </PublicLayout>
  );
}
