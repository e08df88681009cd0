import { PASSWORD_MIN_LENGTH as MIN_PASSWORD } from '../../vocabulary';
import { useState, type FormEvent } from 'react';
import { Field, FormError } from '../../components/Field';
import { toFormError, type FormErrorValue } from '../../components/formError';
import { navigate } from '../../router/history';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useSession } from '../../session/session';
import { PublicLayout } from '../../shell/PublicLayout';
import { PageTitle } from '../../shell/page';

export function SignUp() {
  const { signUp } = useSession();
  const [form, setForm] = useState({ name: '', email: '', password: '', organizationName: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormErrorValue | null>(null);
  const [notSignedIn, setNotSignedIn] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (form.password.length < MIN_PASSWORD) {
      setError({ message: `The password needs at least ${MIN_PASSWORD} characters.`, details: [] });
      return;
    }
    setBusy(true);
    setError(null);
    setNotSignedIn(false);
    try {
      const { signedIn, organizationId } = await signUp({
        name: form.name.trim(),
        email: form.email.trim(),
        password: form.password,
        organizationName: form.organizationName.trim(),
      });
      if (!signedIn) {
        setNotSignedIn(true);
        return;
      }
      navigate(organizationId ? paths.overview(organizationId) : paths.home(), { replace: true });
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicLayout>
      <section className="card auth-card" aria-labelledby="page-title">
        <PageTitle title="Create an account">Create an account</PageTitle>
        <p className="muted">
          You get a new organisation with you as its owner. Invite your team from Settings.
        </p>
        <form onSubmit={submit} aria-busy={busy}>
          <Field
            label="Your name"
            name="name"
            autoComplete="name"
            required
            value={form.name}
            onChange={set('name')}
          />
          <Field
            label="Work email"
            type="email"
            name="email"
            autoComplete="email"
            required
            value={form.email}
            onChange={set('email')}
          />
          <Field
            label="Password"
            type="password"
            name="password"
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD}
            hint={`At least ${MIN_PASSWORD} characters; not a common password.`}
            value={form.password}
            onChange={set('password')}
          />
          <Field
            label="Organisation name"
            name="organizationName"
            autoComplete="organization"
            required
            minLength={2}
            value={form.organizationName}
            onChange={set('organizationName')}
          />
          <FormError error={error} />
          {notSignedIn && (
            <p className="notice" role="status" data-testid="signup-not-signed-in">
              We could not sign you in with this email and password. If you already have an account
              with this email, <Link to={paths.signIn()}>sign in</Link> with its password instead.
            </p>
          )}
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Creating your account…' : 'Create account'}
          </button>
        </form>
        <p className="auth-card__alt">
          Already have an account? <Link to={paths.signIn()}>Sign in</Link>
        </p>
      </section>
    </PublicLayout>
  );
}
