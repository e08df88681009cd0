import type { MfaEnrolmentResponse, MfaStatusResponse } from '@plumbline/contracts';
import { useState, type FormEvent } from 'react';
import { describeError } from '../../api';
import { Field } from '../../components/Field';
import { ResourceView } from '../../components/states';
import { useResource } from '../../hooks/useResource';
import { useCan, useOrg } from '../../session/org';
import { useApi, useSession } from '../../session/session';

type Message = { kind: 'ok' | 'error'; text: string } | null;

/** The recovery codes, shown once after enrolment or regeneration. */
function RecoveryCodes({ codes }: { codes: string[] }) {
  const download = `data:text/plain;charset=utf-8,${encodeURIComponent(
    `Plumbline recovery codes (each works once)\n\n${codes.join('\n')}\n`,
  )}`;
  return (
    <div className="notice" data-testid="recovery-codes">
      <p>
        <strong>Save these recovery codes now: they are shown only once.</strong> Each one signs you
        in once if you lose your authenticator app. Copy them to a password manager or download
        them.
      </p>
      <ul className="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <a
        className="button button--secondary"
        href={download}
        download="plumbline-recovery-codes.txt"
      >
        Download the codes
      </a>
    </div>
  );
}

/** What the user is confirming with the current second factor while two-factor is on. */
type Action = 'recovery-codes' | 'new-device' | 'disable';

/**
 * The current second factor: a code of the authenticator app, or (toggle) one of the recovery
 * codes, for a user who lost the device.
 */
function SecondFactorField({
  useRecovery,
  value,
  onChange,
  onToggle,
}: {
  useRecovery: boolean;
  value: string;
  onChange: (value: string) => void;
  onToggle: () => void;
}) {
  return (
    <>
      <Field
        label={useRecovery ? 'Recovery code' : 'Code from your current authenticator app'}
        name="second-factor"
        autoComplete="one-time-code"
        inputMode={useRecovery ? 'text' : 'numeric'}
        hint={useRecovery ? 'Each recovery code works once.' : undefined}
        required
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      <p>
        <button type="button" className="button button--link" onClick={onToggle}>
          {useRecovery ? 'Use the authenticator app' : 'Use a recovery code instead'}
        </button>
      </p>
    </>
  );
}

const ACTIONS: Record<Action, { intro: string; submit: string }> = {
  'recovery-codes': {
    intro: 'New recovery codes replace the ones you have (they stop working).',
    submit: 'Get new recovery codes',
  },
  'new-device': {
    intro:
      'Confirm with your current authenticator app (or a recovery code) before setting up a new device. The current app keeps working until the new one is confirmed.',
    submit: 'Continue',
  },
  disable: {
    intro:
      'Turning it off needs your password and your current authenticator app (or a recovery code).',
    submit: 'Turn off',
  },
};

/** Two-factor authentication of the signed-in user's own account. */
function TwoFactor({ status, reload }: { status: MfaStatusResponse; reload: () => void }) {
  const api = useApi();
  const { refresh } = useSession();
  const [enrolment, setEnrolment] = useState<MfaEnrolmentResponse | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  /** The code of the app being enrolled. */
  const [code, setCode] = useState('');
  const [action, setAction] = useState<Action | null>(null);
  /** The current second factor (a code of the active app, or a recovery code). */
  const [factor, setFactor] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setMessage(null);
    try {
      await work();
    } catch (e) {
      setMessage({ kind: 'error', text: describeError(e) });
    } finally {
      setBusy(false);
    }
  };
  const secondFactor = () =>
    useRecovery ? { recoveryCode: factor.trim() } : { code: factor.replace(/\s/g, '') };
  const open = (next: Action | null) => {
    setAction(next);
    setFactor('');
    setUseRecovery(false);
    setPassword('');
    setMessage(null);
  };
  const start = () => run(async () => setEnrolment(await api.mfaEnrol()));
  const confirm = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      const r = await api.mfaConfirm(code.replace(/\s/g, ''));
      setCodes(r.recoveryCodes);
      setEnrolment(null);
      setCode('');
      await refresh();
      reload();
    });
  };
  const submitAction = (e: FormEvent) => {
    e.preventDefault();
    void run(async () => {
      if (action === 'recovery-codes') {
        setCodes((await api.mfaRecoveryCodes(secondFactor())).recoveryCodes);
        open(null);
        reload();
      } else if (action === 'new-device') {
        const next = await api.mfaEnrol(secondFactor());
        setCodes(null);
        setEnrolment(next);
        open(null);
        // A recovery code may have been spent.
        reload();
      } else if (action === 'disable') {
        await api.mfaDisable({ password, ...secondFactor() });
        setCodes(null);
        open(null);
        setMessage({ kind: 'ok', text: 'Two-factor authentication is off.' });
        await refresh();
        reload();
      }
    });
  };

  return (
    <section aria-labelledby="mfa-title" data-testid="two-factor">
      <h3 id="mfa-title">Two-factor authentication</h3>
      {codes && <RecoveryCodes codes={codes} />}
      {enrolment ? (
        <form onSubmit={confirm} aria-busy={busy}>
          <p>
            Scan this QR code with an authenticator app (or type the key), then enter the code it
            shows.
          </p>
          <img
            src={enrolment.qrSvgDataUrl}
            alt="QR code to scan with an authenticator app"
            width={200}
            height={200}
          />
          <p>
            Key: <code data-testid="mfa-secret">{enrolment.secret}</code>
          </p>
          <Field
            label="Code from the app"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <button type="submit" className="button" disabled={busy}>
            Turn on
          </button>{' '}
          <button
            type="button"
            className="button button--secondary"
            disabled={busy}
            onClick={() => {
              setEnrolment(null);
              setCode('');
            }}
          >
            Cancel
          </button>
        </form>
      ) : status.mfaEnabled ? (
        <>
          <p>
            On. {status.recoveryCodesLeft} recovery code{status.recoveryCodesLeft === 1 ? '' : 's'}{' '}
            left.
          </p>
          {action ? (
            <form onSubmit={submitAction} aria-busy={busy} data-testid="mfa-action">
              <p>{ACTIONS[action].intro}</p>
              {action === 'disable' && (
                <Field
                  label="Password"
                  type="password"
                  name="password"
                  autoComplete="current-password"
                  required
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                />
              )}
              <SecondFactorField
                useRecovery={useRecovery}
                value={factor}
                onChange={setFactor}
                onToggle={() => {
                  setUseRecovery(!useRecovery);
                  setFactor('');
                  setMessage(null);
                }}
              />
              <button type="submit" className="button" disabled={busy}>
                {ACTIONS[action].submit}
              </button>{' '}
              <button
                type="button"
                className="button button--secondary"
                disabled={busy}
                onClick={() => open(null)}
              >
                Cancel
              </button>
            </form>
          ) : (
            <p>
              <button
                type="button"
                className="button button--secondary"
                onClick={() => open('recovery-codes')}
              >
                New recovery codes
              </button>{' '}
              <button
                type="button"
                className="button button--secondary"
                onClick={() => open('new-device')}
              >
                Set up on a new device
              </button>{' '}
              {!status.requiredBy.length && (
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => open('disable')}
                >
                  Turn off
                </button>
              )}
            </p>
          )}
          {status.requiredBy.length > 0 && (
            <p>
              An organisation you belong to requires it, so it cannot be turned off. To move to a
              new device, set it up again.
            </p>
          )}
        </>
      ) : (
        <>
          <p>Off. Sign-in asks only for your password.</p>
          <button type="button" className="button" disabled={busy} onClick={() => void start()}>
            Set up two-factor authentication
          </button>
        </>
      )}
      {message && (
        <p
          role={message.kind === 'error' ? 'alert' : 'status'}
          className={message.kind === 'error' ? 'account__error' : undefined}
        >
          {message.text}
        </p>
      )}
    </section>
  );
}

/** Admins: require two-factor authentication of every member of the organisation. */
function RequireMfa({ mfaEnabled }: { mfaEnabled: boolean }) {
  const api = useApi();
  const org = useOrg();
  const { refresh } = useSession();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const required = org.mfaRequired === true;

  const toggle = async () => {
    setBusy(true);
    setMessage(null);
    try {
      await api.setOrgSecurity(org.id, { requireMfa: !required });
      await refresh();
      setMessage({ kind: 'ok', text: !required ? 'Now required.' : 'No longer required.' });
    } catch (e) {
      setMessage({ kind: 'error', text: describeError(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="require-mfa-title" data-testid="require-mfa">
      <h3 id="require-mfa-title">Require two-factor authentication for members</h3>
      <label>
        <input
          type="checkbox"
          checked={required}
          disabled={busy || (!required && !mfaEnabled)}
          onChange={() => void toggle()}
        />{' '}
        Members without two-factor authentication cannot open {org.name} until they set it up
      </label>
      {!required && !mfaEnabled && <p>Set up two-factor authentication for yourself first.</p>}
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</p>}
    </section>
  );
}

export function SecurityTab() {
  const api = useApi();
  const isAdmin = useCan('admin');
  const [status, reload] = useResource(
    (signal) => {
      void signal;
      return api.mfaStatus();
    },
    [api],
  );
  return (
    <ResourceView resource={status} what="two-factor authentication" onRetry={reload}>
      {(s) => (
        <>
          <TwoFactor status={s} reload={reload} />
          {isAdmin && <RequireMfa mfaEnabled={s.mfaEnabled} />}
        </>
      )}
    </ResourceView>
  );
}
