import type { Member, SsoConfigResponse, SsoDomain } from '@plumbline/contracts';
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { describeError, ROLE_HELP, ROLE_LABELS } from '../../api';
import { deleteSsoConfig, putSsoConfig, ssoConfig, verifySsoDomain } from '../../api/sso';
import { CommandBlock } from '../../components/CommandBlock';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Field, FormError } from '../../components/Field';
import { toFormError, type FormErrorValue } from '../../components/formError';
import { ResourceView } from '../../components/states';
import { formatDate } from '../../format';
import { useResource } from '../../hooks/useResource';
import { useCan, useOrg } from '../../session/org';
import { useApi } from '../../session/session';
import { SSO_BOUNDS, SSO_DEFAULT_ROLES } from '../../vocabulary';
import { NeedsRole } from './NeedsRole';
import { readDomain, ssoFormProblems, ssoRequestOf, type SsoForm } from './sso-rules';

type Message = { kind: 'ok' | 'error'; text: string } | null;

function formOf(c: SsoConfigResponse): SsoForm {
  return {
    enabled: c.configured ? c.enabled : true,
    issuer: c.issuer ?? '',
    clientId: c.clientId ?? '',
    clientSecret: '',
    domains: c.domains.map((d) => d.domain),
    defaultRole: c.defaultRole,
    ssoRequired: c.ssoRequired,
    breakGlassUserId: c.breakGlassUserId ?? '',
  };
}

/** "Ada Lovelace (ada@example.com)". */
const memberWords = (m: Member) => (m.name ? `${m.name} (${m.email})` : m.email);

/** Settings → Single sign-on: owners change it, admins see it. */
export function SsoTab() {
  return (
    <NeedsRole role="admin" what="the single sign-on settings">
      <Sso />
    </NeedsRole>
  );
}

function Sso() {
  const api = useApi();
  const org = useOrg();
  const [data, reload] = useResource(
    async (signal) => {
      const [config, members] = await Promise.all([
        ssoConfig(api, org.id, signal),
        api.members(org.id, signal),
      ]);
      return { config, owners: members.items.filter((m) => m.role === 'owner') };
    },
    [api, org.id],
  );
  return (
    <ResourceView resource={data} what="the single sign-on settings" onRetry={reload}>
      {(d) => (
        // A removal reloads: start again from what the API says.
        <SsoSettings
          key={`${d.config.configured}-${d.config.updatedAt}`}
          initial={d.config}
          owners={d.owners}
          onRemoved={reload}
        />
      )}
    </ResourceView>
  );
}

/** One email domain: verified, or the DNS record that proves it and a way to check it now. */
function DomainRow({
  domain,
  info,
  canEdit,
  onVerified,
  onRemove,
}: {
  domain: string;
  /** Null until the domain is saved. */
  info: SsoDomain | null;
  canEdit: boolean;
  onVerified: (d: SsoDomain) => void;
  onRemove: () => void;
}) {
  const api = useApi();
  const org = useOrg();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const check = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const d = await verifySsoDomain(api, org.id, domain);
      onVerified(d);
      setMessage(
        d.verified
          ? { kind: 'ok', text: `${domain} is verified.` }
          : {
              kind: 'error',
              text: 'The record is not there yet. DNS changes can take a while to show: check again later.',
            },
      );
    } catch (e) {
      setMessage({ kind: 'error', text: describeError(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <li data-testid={`sso-domain-${domain}`}>
      <strong>{domain}</strong>
      {' · '}
      {!info ? (
        <span>Save to get the DNS record that proves this domain is yours.</span>
      ) : info.verified ? (
        <span>Verified{info.verifiedAt ? ` on ${formatDate(info.verifiedAt)}` : ''}</span>
      ) : (
        <>
          <span>Not verified yet. Publish this TXT record in the domain’s DNS:</span>
          <dl className="sso-record">
            <dt>Name</dt>
            <dd>
              <code>{info.txtRecordName}</code>
            </dd>
            <dt>Value</dt>
            <dd>
              <code>{info.txtRecordValue}</code>
            </dd>
          </dl>
        </>
      )}
      {canEdit && (
        <span className="row-actions">
          {info && !info.verified && (
            <button
              type="button"
              className="button button--small button--secondary"
              disabled={busy}
              onClick={() => void check()}
            >
              {busy ? 'Checking…' : 'Check now'}
              <span className="visually-hidden"> {domain}</span>
            </button>
          )}
          <button
            type="button"
            className="button button--small button--danger-outline"
            onClick={onRemove}
          >
            Remove<span className="visually-hidden"> {domain}</span>
          </button>
        </span>
      )}
      {message && (
        <span
          role={message.kind === 'error' ? 'alert' : 'status'}
          className={`inline-message inline-message--${message.kind}`}
        >
          {' '}
          {message.text}
        </span>
      )}
    </li>
  );
}

function SsoSettings({
  initial,
  owners,
  onRemoved,
}: {
  initial: SsoConfigResponse;
  owners: Member[];
  onRemoved: () => void;
}) {
  const api = useApi();
  const org = useOrg();
  const canEdit = useCan('owner');
  const [config, setConfig] = useState(initial);
  const [form, setForm] = useState<SsoForm>(() => formOf(initial));
  /** The saved domains as the API last described them (a check updates one). */
  const [domainInfo, setDomainInfo] = useState<Record<string, SsoDomain>>(() =>
    Object.fromEntries(initial.domains.map((d) => [d.domain, d])),
  );
  const [newDomain, setNewDomain] = useState('');
  const [domainProblem, setDomainProblem] = useState<string | null>(null);
  const [error, setError] = useState<FormErrorValue | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const ownerIds = owners.map((o) => o.userId);
  const set = (change: Partial<SsoForm>) => {
    setForm((f) => ({ ...f, ...change }));
    setSaved(false);
  };

  const addDomain = () => {
    const r = readDomain(newDomain);
    if ('problem' in r) return setDomainProblem(r.problem);
    if (form.domains.includes(r.domain))
      return setDomainProblem(`${r.domain} is in the list already.`);
    if (form.domains.length >= SSO_BOUNDS.maxDomains)
      return setDomainProblem(`At most ${SSO_BOUNDS.maxDomains} domains.`);
    set({ domains: [...form.domains, r.domain] });
    setNewDomain('');
    setDomainProblem(null);
  };
  const onDomainKey = (e: KeyboardEvent<HTMLInputElement>) => {
    // Enter adds the domain rather than saving the whole form.
    if (e.key === 'Enter') {
      e.preventDefault();
      addDomain();
    }
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const problems = ssoFormProblems(form, { hasClientSecret: config.hasClientSecret, ownerIds });
    if (problems.length) {
      setError({ message: 'Check these, then save again:', details: problems });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const next = await putSsoConfig(api, org.id, ssoRequestOf(form));
      setConfig(next);
      setForm(formOf(next));
      setDomainInfo(Object.fromEntries(next.domains.map((d) => [d.domain, d])));
      setSaved(true);
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setBusy(false);
    }
  };

  const status = !config.configured
    ? 'Single sign-on is not set up yet.'
    : config.enabled
      ? `Single sign-on is on${config.ssoRequired ? ', and required' : ''}.`
      : 'Single sign-on is set up, but off.';

  return (
    <div className="sso-settings" data-testid="sso-settings">
      <p>
        Members sign in with your organisation’s identity provider (any that supports OpenID
        Connect, such as Okta, Microsoft Entra ID or Google Workspace). They start with their email
        address: its domain tells Plumbline which organisation they belong to.
      </p>
      <p data-testid="sso-status">
        <strong>{status}</strong>
        {config.updatedAt ? ` Last changed ${formatDate(config.updatedAt)}.` : ''}
      </p>
      {!canEdit && (
        <p className="notice" data-testid="sso-read-only">
          Only owners can change single sign-on. You can see how it is set up.
        </p>
      )}

      <h3>Register Plumbline at your identity provider</h3>
      <p>
        Create an application (a web app, with the authorization code flow) at your identity
        provider and allow this redirect URI. It gives you a client ID and a client secret for the
        form below.
      </p>
      <CommandBlock label="Redirect URI" command={config.redirectUri} testId="sso-redirect-uri" />

      <form onSubmit={(e) => void save(e)} aria-busy={busy} aria-label="Single sign-on settings">
        <fieldset disabled={!canEdit || busy}>
          <legend className="visually-hidden">Single sign-on settings</legend>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={form.enabled}
              onChange={(e) => set({ enabled: e.target.checked })}
            />
            Single sign-on is on
          </label>
          <Field
            label="Issuer URL"
            type="url"
            hint="The address of your identity provider, such as https://login.example.com."
            value={form.issuer}
            onChange={(e) => set({ issuer: e.target.value })}
          />
          <Field
            label="Client ID"
            autoComplete="off"
            value={form.clientId}
            onChange={(e) => set({ clientId: e.target.value })}
          />
          <Field
            label="Client secret"
            type="password"
            autoComplete="new-password"
            placeholder={config.hasClientSecret ? 'stored — leave empty to keep' : undefined}
            hint={
              config.hasClientSecret
                ? 'A secret is stored (it is never shown). Type a new one only to replace it.'
                : 'Kept encrypted; it is never shown again.'
            }
            value={form.clientSecret}
            onChange={(e) => set({ clientSecret: e.target.value })}
          />

          <div role="group" aria-labelledby="sso-domains-title" className="sso-domains">
            <h3 id="sso-domains-title">Email domains</h3>
            <p className="field__hint">
              People whose email address is at one of these domains sign in with your identity
              provider. Each domain is proven by a DNS TXT record (or by your own verified address
              at that domain).
            </p>
            {form.domains.length === 0 ? (
              <p className="muted">No domains yet.</p>
            ) : (
              <ul className="list" data-testid="sso-domains">
                {form.domains.map((d) => (
                  <DomainRow
                    key={d}
                    domain={d}
                    info={domainInfo[d] ?? null}
                    canEdit={canEdit}
                    onVerified={(info) => setDomainInfo((m) => ({ ...m, [d]: info }))}
                    onRemove={() => set({ domains: form.domains.filter((x) => x !== d) })}
                  />
                ))}
              </ul>
            )}
            {canEdit && (
              <div className="inline-form">
                <Field
                  label="Add an email domain"
                  placeholder="example.com"
                  value={newDomain}
                  onChange={(e) => {
                    setNewDomain(e.target.value);
                    setDomainProblem(null);
                  }}
                  onKeyDown={onDomainKey}
                />
                <button type="button" className="button button--secondary" onClick={addDomain}>
                  Add domain
                </button>
                {domainProblem && (
                  <p role="alert" className="inline-message inline-message--error">
                    {domainProblem}
                  </p>
                )}
              </div>
            )}
          </div>

          <div className="field">
            <label htmlFor="sso-default-role">Role of people who join by single sign-on</label>
            <select
              id="sso-default-role"
              aria-describedby="sso-default-role-hint"
              value={form.defaultRole}
              onChange={(e) => set({ defaultRole: e.target.value as SsoForm['defaultRole'] })}
            >
              {SSO_DEFAULT_ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}: {ROLE_HELP[r]}
                </option>
              ))}
            </select>
            <p className="field__hint" id="sso-default-role-hint">
              Someone at one of your domains who is not a member yet joins {org.name} with this role
              the first time they sign in. Owners can change it later.
            </p>
          </div>

          <label className="checkbox">
            <input
              type="checkbox"
              aria-describedby="sso-required-hint"
              checked={form.ssoRequired}
              onChange={(e) => set({ ssoRequired: e.target.checked })}
            />
            Require single sign-on
          </label>
          <p className="field__hint" id="sso-required-hint">
            Members can no longer sign in to {org.name} with a password, except the one owner you
            choose, who keeps a way in if the identity provider is unavailable.
          </p>
          {form.ssoRequired && (
            <div className="field">
              <label htmlFor="sso-break-glass">Owner who can still sign in with a password</label>
              <select
                id="sso-break-glass"
                aria-describedby="sso-break-glass-hint"
                value={form.breakGlassUserId}
                onChange={(e) => set({ breakGlassUserId: e.target.value })}
              >
                <option value="">Choose an owner</option>
                {owners.map((o) => (
                  <option key={o.userId} value={o.userId}>
                    {memberWords(o)}
                  </option>
                ))}
              </select>
              <p className="field__hint" id="sso-break-glass-hint">
                Required while single sign-on is required. This owner can still use their password
                (and two-factor authentication, when set up), for instance to fix these settings
                when the identity provider is down.
              </p>
            </div>
          )}
        </fieldset>
        <FormError error={error} />
        {canEdit && (
          <p>
            <button type="submit" className="button" disabled={busy}>
              {busy ? 'Saving…' : 'Save single sign-on settings'}
            </button>{' '}
            {saved && (
              <span role="status" className="inline-message inline-message--ok">
                Saved.
              </span>
            )}
          </p>
        )}
      </form>

      {canEdit && config.configured && (
        <section aria-labelledby="sso-remove-title">
          <h3 id="sso-remove-title">Remove single sign-on</h3>
          <p>
            Members sign in with their passwords again (those who never set one use “Forgot your
            password?”). The settings and the stored client secret are deleted.
          </p>
          <ConfirmButton
            verb="Remove"
            target="single sign-on"
            consequence="Passwords work again for everyone."
            action={() => deleteSsoConfig(api, org.id)}
            onDone={onRemoved}
          />
        </section>
      )}
    </div>
  );
}
