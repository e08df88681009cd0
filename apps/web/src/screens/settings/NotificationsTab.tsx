import type {
  AlertChannelKind,
  AlertChannelView,
  AlertDeliveryView,
  AlertRuleView,
  CreatedAlertChannelView,
  ReportCadence,
  ReportScheduleView,
} from '@plumbline/contracts';
import { useState, type FormEvent } from 'react';
import {
  alertChannels,
  alertDeliveries,
  alertRules,
  createAlertChannel,
  createReportSchedule,
  deleteAlertChannel,
  deleteReportSchedule,
  putAlertRules,
  reportSchedules,
  testAlertChannel,
  updateAlertChannel,
} from '../../api/alerts';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Field, FormError } from '../../components/Field';
import { toFormError, type FormErrorValue } from '../../components/formError';
import { EmptyState, ResourceView } from '../../components/states';
import { formatDate } from '../../format';
import { useResource } from '../../hooks/useResource';
import { useCan, useOrg } from '../../session/org';
import { ALERT_KIND_WORDS } from '../../vocabulary';
import { useApi } from '../../session/session';

const CHANNEL_WORDS: Record<AlertChannelKind, string> = {
  email: 'Email',
  webhook: 'Signed webhook',
  slack: 'Slack-compatible webhook',
};

/** Each rule kind: on/off and its threshold; admins change them. */
function Rules() {
  const api = useApi();
  const org = useOrg();
  const canEdit = useCan('admin');
  const [data, reload] = useResource((s) => alertRules(api, org.id, s), [api, org.id]);
  const [error, setError] = useState<FormErrorValue | null>(null);
  const save = async (rule: AlertRuleView, change: Partial<AlertRuleView>) => {
    setError(null);
    try {
      const next = { ...rule, ...change };
      await putAlertRules(api, org.id, {
        rules: [
          {
            kind: next.kind,
            enabled: next.enabled,
            ...(next.thresholdMeaning ? { threshold: next.threshold } : {}),
          },
        ],
      });
      reload();
    } catch (e) {
      setError(toFormError(e));
    }
  };
  return (
    <section aria-labelledby="alert-rules-title">
      <h3 id="alert-rules-title">Alert rules</h3>
      <FormError error={error} />
      <ResourceView resource={data} what="the alert rules" onRetry={reload}>
        {(rules) => (
          <table className="table" data-testid="alert-rules">
            <caption className="visually-hidden">Alert rules</caption>
            <thead>
              <tr>
                <th scope="col">Alert when</th>
                <th scope="col">On</th>
                <th scope="col">Threshold</th>
              </tr>
            </thead>
            <tbody>
              {rules.map((r) => (
                <tr key={r.kind} data-testid={`alert-rule-${r.kind}`}>
                  <td>{r.title}</td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${r.title}: on`}
                      checked={r.enabled}
                      disabled={!canEdit}
                      onChange={(e) => void save(r, { enabled: e.target.checked })}
                    />
                  </td>
                  <td>
                    {r.thresholdMeaning ? (
                      <label>
                        <input
                          type="number"
                          aria-label={`${r.title}: ${r.thresholdMeaning}`}
                          defaultValue={r.threshold ?? ''}
                          disabled={!canEdit}
                          onBlur={(e) => {
                            const v = Number(e.target.value);
                            if (e.target.value !== '' && v !== r.threshold)
                              void save(r, { threshold: v });
                          }}
                        />{' '}
                        {r.thresholdMeaning}
                      </label>
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </ResourceView>
    </section>
  );
}

function NewChannel({ onCreated }: { onCreated: (c: CreatedAlertChannelView) => void }) {
  const api = useApi();
  const org = useOrg();
  const [kind, setKind] = useState<AlertChannelKind>('webhook');
  const [name, setName] = useState('');
  const [target, setTarget] = useState('');
  const [error, setError] = useState<FormErrorValue | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await createAlertChannel(
        api,
        org.id,
        kind === 'email'
          ? {
              kind,
              name,
              emails: target
                .split(/[,\s]+/)
                .map((s) => s.trim())
                .filter(Boolean),
            }
          : { kind, name, url: target },
      );
      setName('');
      setTarget('');
      onCreated(created);
    } catch (err) {
      setError(toFormError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Add a channel" data-testid="new-channel">
      <div className="field">
        <label htmlFor="channel-kind">Kind</label>
        <select
          id="channel-kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as AlertChannelKind)}
        >
          {(['webhook', 'slack', 'email'] as const).map((k) => (
            <option key={k} value={k}>
              {CHANNEL_WORDS[k]}
            </option>
          ))}
        </select>
      </div>
      <Field label="Name" value={name} onChange={(e) => setName(e.target.value)} required />
      <Field
        label={kind === 'email' ? 'Email addresses' : 'URL'}
        hint={
          kind === 'email'
            ? 'Comma-separated.'
            : 'http(s) only; private, loopback and cloud metadata addresses are refused.'
        }
        value={target}
        onChange={(e) => setTarget(e.target.value)}
        required
      />
      <FormError error={error} />
      <button type="submit" disabled={busy}>
        Add channel
      </button>
    </form>
  );
}

/** The signing secret of a new webhook channel: shown this once. */
function SecretOnce({ channel, onDone }: { channel: CreatedAlertChannelView; onDone: () => void }) {
  if (!channel.secret) return null;
  return (
    <div className="callout callout--important" role="status" data-testid="webhook-secret">
      <p>
        <strong>Copy the signing secret of “{channel.name}” now: it is shown only once.</strong>{' '}
        Receivers verify the <code>webhook-signature</code> header with it (Standard Webhooks).
      </p>
      <pre>
        <code>{channel.secret}</code>
      </pre>
      <button type="button" onClick={onDone}>
        I have copied it
      </button>
    </div>
  );
}

function Channels({ onTested }: { onTested: () => void }) {
  const api = useApi();
  const org = useOrg();
  const canEdit = useCan('admin');
  const [data, reload] = useResource((s) => alertChannels(api, org.id, s), [api, org.id]);
  const [created, setCreated] = useState<CreatedAlertChannelView | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<FormErrorValue | null>(null);
  const act = async (what: () => Promise<unknown>, done?: string) => {
    setError(null);
    try {
      await what();
      if (done) setNote(done);
      reload();
    } catch (e) {
      setError(toFormError(e));
    }
  };
  return (
    <section aria-labelledby="alert-channels-title">
      <h3 id="alert-channels-title">Channels</h3>
      {created && <SecretOnce channel={created} onDone={() => setCreated(null)} />}
      {note && (
        <p role="status" data-testid="channel-note">
          {note}
        </p>
      )}
      <FormError error={error} />
      <ResourceView resource={data} what="the channels" onRetry={reload}>
        {(channels: AlertChannelView[]) =>
          channels.length === 0 ? (
            <EmptyState title="No channels yet." testId="channels-empty">
              <p>Alerts fire into the delivery log only until a channel is added.</p>
            </EmptyState>
          ) : (
            <ul className="list" data-testid="alert-channels">
              {channels.map((c) => (
                <li key={c.id} data-testid={`channel-${c.id}`}>
                  <strong>{c.name}</strong> · {CHANNEL_WORDS[c.kind]} ·{' '}
                  {c.kind === 'email' ? c.emails.join(', ') : c.url} · {c.enabled ? 'on' : 'off'}
                  {canEdit && (
                    <>
                      {' '}
                      <button
                        type="button"
                        onClick={() =>
                          void act(async () => {
                            await testAlertChannel(api, org.id, c.id);
                            onTested();
                          }, `Test sent to “${c.name}”: see the delivery log.`)
                        }
                      >
                        Send test
                      </button>{' '}
                      <button
                        type="button"
                        onClick={() =>
                          void act(() =>
                            updateAlertChannel(api, org.id, c.id, { enabled: !c.enabled }),
                          )
                        }
                      >
                        {c.enabled ? 'Disable' : 'Enable'}
                      </button>{' '}
                      <ConfirmButton
                        verb="Delete"
                        target={c.name}
                        consequence="Its delivery log goes with it."
                        action={() => deleteAlertChannel(api, org.id, c.id)}
                        onDone={reload}
                      />
                    </>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </ResourceView>
      {canEdit && (
        <NewChannel
          onCreated={(c) => {
            setCreated(c);
            reload();
          }}
        />
      )}
    </section>
  );
}

function deliveryWords(d: AlertDeliveryView): string {
  const what = d.test ? 'test' : d.ruleKind ? ALERT_KIND_WORDS[d.ruleKind] : 'alert';
  const status =
    d.status === 'delivered'
      ? `delivered${d.responseStatus ? ` (HTTP ${d.responseStatus})` : ''}`
      : d.status === 'failed'
        ? `failed${d.lastError ? `: ${d.lastError}` : ''}`
        : `queued${d.lastError ? ` (retrying: ${d.lastError})` : ''}`;
  return `${what} → ${d.channelName}: ${status}, ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`;
}

function Deliveries({ version }: { version: number }) {
  const api = useApi();
  const org = useOrg();
  const [cursor, setCursor] = useState<string | null>(null);
  const [data, reload] = useResource(
    (signal) => alertDeliveries(api, org.id, { cursor, signal }),
    [api, org.id, cursor, version],
  );
  return (
    <section aria-labelledby="alert-deliveries-title">
      <h3 id="alert-deliveries-title">Delivery log</h3>
      <button type="button" onClick={reload}>
        Refresh
      </button>
      <ResourceView resource={data} what="the delivery log" onRetry={reload}>
        {(page) =>
          page.items.length === 0 ? (
            <EmptyState title="Nothing delivered yet." testId="deliveries-empty">
              <p>Alerts and tests appear here with their attempts.</p>
            </EmptyState>
          ) : (
            <>
              <ul className="list" data-testid="alert-deliveries">
                {page.items.map((d) => (
                  <li key={d.id} data-testid={`delivery-${d.id}`}>
                    {formatDate(d.createdAt)}: {deliveryWords(d)}
                  </li>
                ))}
              </ul>
              {page.nextCursor && (
                <button type="button" onClick={() => setCursor(page.nextCursor)}>
                  Older
                </button>
              )}
            </>
          )
        }
      </ResourceView>
    </section>
  );
}

function Schedules() {
  const api = useApi();
  const org = useOrg();
  const canEdit = useCan('admin');
  const [data, reload] = useResource((s) => reportSchedules(api, org.id, s), [api, org.id]);
  const [cadence, setCadence] = useState<ReportCadence>('weekly');
  const [recipients, setRecipients] = useState('');
  const [error, setError] = useState<FormErrorValue | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await createReportSchedule(api, org.id, {
        cadence,
        recipients: recipients
          .split(/[,\s]+/)
          .map((s) => s.trim())
          .filter(Boolean),
      });
      setRecipients('');
      reload();
    } catch (err) {
      setError(toFormError(err));
    }
  };
  return (
    <section aria-labelledby="report-schedules-title">
      <h3 id="report-schedules-title">Scheduled reports</h3>
      <ResourceView resource={data} what="the report schedules" onRetry={reload}>
        {(items: ReportScheduleView[]) =>
          items.length === 0 ? (
            <EmptyState title="No scheduled reports." testId="schedules-empty">
              <p>Weekly reports go out on Mondays, monthly ones on the 1st.</p>
            </EmptyState>
          ) : (
            <ul className="list" data-testid="report-schedules">
              {items.map((s) => (
                <li key={s.id}>
                  {s.cadence === 'weekly' ? 'Weekly' : 'Monthly'} to {s.recipients.join(', ')} ·
                  next {formatDate(s.nextRunAt)}
                  {canEdit && (
                    <>
                      {' '}
                      <ConfirmButton
                        verb="Delete"
                        target={`the ${s.cadence} report`}
                        consequence="No more reports are mailed on this schedule."
                        action={() => deleteReportSchedule(api, org.id, s.id)}
                        onDone={reload}
                      />
                    </>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </ResourceView>
      {canEdit && (
        <form onSubmit={(e) => void submit(e)} aria-label="Schedule a report">
          <div className="field">
            <label htmlFor="report-cadence">Cadence</label>
            <select
              id="report-cadence"
              value={cadence}
              onChange={(e) => setCadence(e.target.value as ReportCadence)}
            >
              <option value="weekly">Weekly</option>
              <option value="monthly">Monthly</option>
            </select>
          </div>
          <Field
            label="Recipients"
            hint="Comma-separated email addresses."
            value={recipients}
            onChange={(e) => setRecipients(e.target.value)}
            required
          />
          <FormError error={error} />
          <button type="submit">Schedule report</button>
        </form>
      )}
    </section>
  );
}

/** Settings → Notifications: alert rules, channels, the delivery log and scheduled reports. */
export function NotificationsTab() {
  const [version, setVersion] = useState(0);
  return (
    <>
      <p className="muted">
        Alerts are evaluated after each roll-up of the organisation’s results and every 15 minutes
        for silent scanners and expired risk acceptances; each fires once per subject within its
        cool-down.
      </p>
      <Rules />
      <Channels onTested={() => setVersion((v) => v + 1)} />
      <Deliveries version={version} />
      <Schedules />
    </>
  );
}
