import { describe, expect, it } from '@jest/globals';
import type {
  AlertChannelView,
  AlertDeliveryPage,
  AlertRuleView,
  ReportScheduleView,
} from '@plumbline/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ME, ORG_ID } from '../../../test/fake-api';
import { renderApp } from '../../../test/render-app';
import type { Role } from '../../api';

const org = (p: string) => `/v1/orgs/${ORG_ID}${p}`;
const PAGE = `/o/${ORG_ID}/settings/notifications`;
const meAs = (role: Role) => ({ ...ME, organizations: [{ ...ME.organizations[0]!, role }] });
const CHANNEL_ID = '33333333-3333-4333-8333-333333333333';

const RULES: AlertRuleView[] = [
  {
    kind: 'level_drop',
    title: 'A pillar or the organisation level drops',
    enabled: true,
    threshold: 1,
    thresholdMeaning: 'levels dropped (at least)',
    cooldownMinutes: 1440,
  },
  {
    kind: 'new_shadow_agent',
    title: 'A new shadow agent appears',
    enabled: false,
    threshold: null,
    thresholdMeaning: null,
    cooldownMinutes: 1440,
  },
];
const CHANNEL: AlertChannelView = {
  id: CHANNEL_ID,
  kind: 'webhook',
  name: 'ops hook',
  emails: [],
  url: 'https://hooks.example.com/plumbline',
  enabled: true,
  createdAt: '2026-03-01T10:00:00Z',
  updatedAt: '2026-03-01T10:00:00Z',
};
const DELIVERIES: AlertDeliveryPage = {
  items: [
    {
      id: '44444444-4444-4444-8444-444444444444',
      channelId: CHANNEL_ID,
      channelName: 'ops hook',
      channelKind: 'webhook',
      eventId: null,
      ruleKind: null,
      test: true,
      status: 'delivered',
      attempts: 2,
      lastError: null,
      responseStatus: 200,
      createdAt: '2026-03-02T10:00:00Z',
      deliveredAt: '2026-03-02T10:00:05Z',
    },
    {
      id: '46666666-4444-4444-8444-444444444444',
      channelId: CHANNEL_ID,
      channelName: 'ops hook',
      channelKind: 'webhook',
      eventId: '47777777-4444-4444-8444-444444444444',
      ruleKind: 'scanner_silent',
      test: false,
      status: 'failed',
      attempts: 5,
      lastError: 'HTTP 500',
      responseStatus: 500,
      createdAt: '2026-03-02T09:00:00Z',
      deliveredAt: null,
    },
  ],
  nextCursor: null,
};
const SCHEDULES: ReportScheduleView[] = [
  {
    id: '55555555-5555-4555-8555-555555555555',
    cadence: 'weekly',
    recipients: ['cto@example.com'],
    paperSize: 'A4',
    enabled: true,
    lastRunAt: null,
    nextRunAt: '2026-03-09T06:00:00Z',
    createdAt: '2026-03-01T10:00:00Z',
  },
];

const routes = (role: Role = 'admin') => ({
  'GET /v1/me': { status: 200, body: meAs(role) },
  [`GET ${org('/alert-rules')}`]: { status: 200, body: RULES },
  [`PUT ${org('/alert-rules')}`]: { status: 200, body: RULES },
  [`GET ${org('/alert-channels')}`]: { status: 200, body: [CHANNEL] },
  [`POST ${org('/alert-channels')}`]: {
    status: 201,
    body: { ...CHANNEL, id: 'new', name: 'new hook', secret: 'whsec_c2VjcmV0c2VjcmV0' },
  },
  [`POST ${org(`/alert-channels/${CHANNEL_ID}/test`)}`]: {
    status: 202,
    body: { deliveryId: 'd' },
  },
  [`GET ${org('/alert-deliveries')}`]: { status: 200, body: DELIVERIES },
  [`GET ${org('/report-schedules')}`]: { status: 200, body: SCHEDULES },
});

describe('Settings → Notifications', () => {
  it('shows rules, channels, the delivery log with attempts, and scheduled reports', async () => {
    renderApp(PAGE, routes('viewer'));
    expect(await screen.findByTestId('alert-rule-level_drop')).toHaveTextContent(
      'levels dropped (at least)',
    );
    expect(await screen.findByTestId(`channel-${CHANNEL_ID}`)).toHaveTextContent(
      'ops hook · Signed webhook · https://hooks.example.com/plumbline · on',
    );
    expect(await screen.findByTestId('alert-deliveries')).toHaveTextContent(
      'test → ops hook: delivered (HTTP 200), 2 attempts',
    );
    // What fired an alert is named in words, never by its code.
    expect(screen.getByTestId('alert-deliveries')).toHaveTextContent(
      'silent scanner → ops hook: failed: HTTP 500, 5 attempts',
    );
    expect(screen.getByTestId('alert-deliveries')).not.toHaveTextContent('scanner_silent');
    expect(await screen.findByTestId('report-schedules')).toHaveTextContent(
      'Weekly to cto@example.com',
    );
    // Viewers change nothing.
    expect(screen.queryByRole('button', { name: 'Send test' })).toBeNull();
    expect(screen.queryByTestId('new-channel')).toBeNull();
  });

  it('admins add a webhook channel and see its secret once; send a test; switch a rule on', async () => {
    const { calls } = renderApp(PAGE, routes());
    const form = await screen.findByTestId('new-channel');
    await userEvent.type(within(form).getByLabelText('Name'), 'new hook');
    await userEvent.type(within(form).getByLabelText('URL'), 'https://hooks.example.com/x');
    await userEvent.click(within(form).getByRole('button', { name: 'Add channel' }));
    expect(await screen.findByTestId('webhook-secret')).toHaveTextContent('whsec_c2VjcmV0c2VjcmV0');
    const post = calls.find((c) => c.method === 'POST' && c.path === org('/alert-channels'));
    expect(post?.body).toEqual({
      kind: 'webhook',
      name: 'new hook',
      url: 'https://hooks.example.com/x',
    });
    await userEvent.click(screen.getByRole('button', { name: 'I have copied it' }));
    expect(screen.queryByTestId('webhook-secret')).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Send test' }));
    expect(await screen.findByTestId('channel-note')).toHaveTextContent(
      'Test sent to “ops hook”: see the delivery log.',
    );

    await userEvent.click(screen.getByLabelText('A new shadow agent appears: on'));
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({
        rules: [{ kind: 'new_shadow_agent', enabled: true }],
      }),
    );
  });
});
