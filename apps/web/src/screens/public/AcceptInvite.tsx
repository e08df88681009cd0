import { useState, type FormEvent } from 'react';
import { PASSWORD_MIN_LENGTH } from '../../vocabulary';
import { Field, FormError } from '../../components/Field';
import { toFormError, type FormErrorValue } from '../../components/formError';
import { ErrorState, Loading } from '../../components/states';
import { navigate, useLocation } from '../../router/history';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useSession } from '../../session/session';
import { PublicLayout } from '../../shell/PublicLayout';
import { PageTitle } from '../../shell/page';

/** `/invite#<token>`: the token stays in the fragment, so it never reaches a server log. */
export function AcceptInvite() {
  const { state, api, refresh } = useSession();
  const { hash } = useLocation();
  const token = hash.replace(/^#/, '');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormErrorValue | null>(null);

  const accept = async (body: { token: string; name?: string; password?: string }) => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.acceptInvite(body);
      await refresh();
      navigate(r.organizationId ? paths.overview(r.organizationId) : paths.home(), {
        replace: true,
      });
    } catch (err) {
      setError(toFormError(err));
      setBusy(false);
    }
  };

  const submitNewAccount = (e: FormEvent) => {
    e.preventDefault();
    void accept({ token, name: name.trim(), password });
  };

  let body;
  if (token.length < 10) {
    body = (
      <ErrorState
        title="This invite link is incomplete."
        message="Open the full link you were sent (it ends with a long code after #), or ask the person who invited you for a new one."
      />
    );
  } else if (state.status === 'loading') {
    body = <Loading what="your session" />;
  } else if (state.status === 'signed-in') {
    body = (
      <>
        <p>
          You are signed in as <strong>{state.me.user.name}</strong> ({state.me.user.email}). Accept
          the invitation to join its organisation with this account.
        </p>
        <FormError error={error} />
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => void accept({ token })}
        >
          {busy ? 'Joining…' : 'Accept invitation'}
        </button>
      </>
    );
  } else {
    body = (
      <>
        <p>Create your account to join the organisation that invited you.</p>
        <form onSubmit={submitNewAccount} aria-busy={busy}>
          <Field
            label="Your name"
            name="name"
            autoComplete="name"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <Field
            label="Choose a password"
            type="password"
            name="password"
            autoComplete="new-password"
            required
            minLength={PASSWORD_MIN_LENGTH}
            hint={`At least ${PASSWORD_MIN_LENGTH} characters; not a common password.`}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <FormError error={error} />
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Joining…' : 'Create account and join'}
          </button>
        </form>
        <p className="auth-card__alt">
          Already have a Plumbline account?{' '}
          <Link to={paths.signIn(paths.invite(token))}>Sign in first</Link>, then accept.
        </p>
      </>
    );
  }

  return (
    <PublicLayout>
      <section className="card auth-card" aria-labelledby="page-title">
        <PageTitle title="Accept invitation">Accept your invitation</PageTitle>
        {body}
      </section>
    </PublicLayout>
  );
}
