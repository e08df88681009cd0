import { useState, type FormEvent } from 'react';
import { Field, FormError } from '../../components/Field';
import { toFormError, type FormErrorValue } from '../../components/formError';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useSession } from '../../session/session';
import { PublicLayout } from '../../shell/PublicLayout';
import { PageTitle } from '../../shell/page';

/** `/forgot-password`: ask for a reset link. The answer never says whether the email has an account. */
export function ForgotPassword() {
  const { api } = useSession();
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<{ email: string; minutes: number } | null>(null);
  const [error, setError] = useState<FormErrorValue | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api.requestPasswordReset(email.trim());
      setSent({ email: email.trim(), minutes: r.expiresInMinutes });
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicLayout>
      <section className="card auth-card" aria-labelledby="page-title">
        <PageTitle title="Reset your password">Reset your password</PageTitle>
        {sent ? (
          <p className="notice" role="status" data-testid="reset-requested">
            If <strong>{sent.email}</strong> has a Plumbline account, a link to choose a new
            password is on its way. It works once, for {sent.minutes} minutes. Nothing arrived?
            Check the spam folder, or ask again.
          </p>
        ) : (
          <form onSubmit={submit} aria-busy={busy}>
            <p>
              Enter the email address of your account: we mail you a link to choose a new password.
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
              {busy ? 'Sending…' : 'Mail me a link'}
            </button>
          </form>
        )}
        <p className="auth-card__alt">
          Remembered it? <Link to={paths.signIn()}>Sign in</Link>
        </p>
      </section>
    </PublicLayout>
  );
}
