import { describe, expect, it } from '@jest/globals';
import { AUDIT_ACTIONS } from '@plumbline/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ME, ORG_ID, USER_ID } from '../../../test/fake-api';
import { renderApp } from '../../../test/render-app';
import { connectionRequest, scheduleWords } from './AgentlessTab';
import { ACTION_WORDS, actionWords, actorWords, auditDetail } from './AuditTab';
import { evidenceSummary } from './EvidenceTab';
import { inviteState } from './InvitesTab';
import { grantableRoles } from './MembersTab';
import { tokenState } from './TokensTab';

const org = (p: string) => `/v1/orgs/${ORG_ID}${p}`;
const NOW = new Date('2026-03-10T12:00:00Z');

const token = (over: Record<string, unknown> = {}) => ({
  id: 't1',
  organizationId: ORG_ID,
  clusterId: null,
  name: 'demo-scanner',
  displayPrefix: 'plb_AbCd',
  createdById: USER_ID,
  createdAt: '2026-03-01T00:00:00Z',
  expiresAt: null,
  lastUsedAt: null,
  revokedAt: null,
  ...over,
});

describe('scanner tokens', () => {
  it('creates a token, shows it once with the install commands filled in, then hides it', async () => {
    let tokens = [token()];
    const { calls } = renderApp(`/o/${ORG_ID}/settings/tokens`, {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/scanner-tokens')}`]: () => ({ status: 200, body: { items: tokens } }),
      [`GET ${org('/clusters')}`]: { status: 200, body: { items: [] } },
      [`POST ${org('/scanner-tokens')}`]: (call) => {
        const record = token({
          id: 't2',
          name: (call.body as { name: string }).name,
          displayPrefix: 'plb_Zz9x',
        });
        tokens = [record, ...tokens];
        return { status: 201, body: { token: 'plb_Zz9xSECRETVALUE', record } };
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText('Token name'), 'Prod EU');
    await user.selectOptions(screen.getByLabelText('Expires'), 'In 90 days');
    await user.click(screen.getByRole('button', { name: 'Create token' }));

    const created = await screen.findByTestId('created-token');
    expect(created).toHaveTextContent('it is shown only once');
    expect(screen.getByTestId('created-token-value')).toHaveTextContent('plb_Zz9xSECRETVALUE');
    const helm = screen.getByTestId('install-helm');
    expect(helm).toHaveTextContent('--from-literal=token=plb_Zz9xSECRETVALUE');
    expect(helm).toHaveTextContent('--set clusterName=prod-eu');
    expect(helm).toHaveTextContent(`--set apiUrl=${window.location.origin}/v1/snapshots`);
    expect(screen.getByTestId('install-cli')).toHaveTextContent(
      `--upload ${window.location.origin}`,
    );
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({
      body: { name: 'Prod EU', expiresInDays: 90 },
      headers: { 'x-csrf-token': 'csrf-123' },
    });

    const name = screen.getByLabelText('Cluster name (as it will appear in Plumbline)');
    await user.clear(name);
    await user.type(name, 'eu west');
    expect(helm).toHaveTextContent(`--set clusterName='eu west'`);

    expect(await screen.findByTestId('token-row-Prod EU')).toHaveTextContent('plb_Zz9x…');
    await user.click(screen.getByRole('button', { name: 'I have copied the token' }));
    expect(screen.queryByTestId('created-token')).toBeNull();
    expect(screen.queryByText('plb_Zz9xSECRETVALUE')).toBeNull();
    expect(screen.getByRole('button', { name: 'Create token' })).toBeInTheDocument();
  });

  it('revokes after a confirmation', async () => {
    let revoked = false;
    const { calls } = renderApp(`/o/${ORG_ID}/settings/tokens`, {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/scanner-tokens')}`]: () => ({
        status: 200,
        body: { items: [token(revoked ? { revokedAt: '2026-03-10T00:00:00Z' } : {})] },
      }),
      [`GET ${org('/clusters')}`]: { status: 200, body: { items: [] } },
      [`DELETE ${org('/scanner-tokens/t1')}`]: () => {
        revoked = true;
        return { status: 204 };
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Revoke demo-scanner' }));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Confirm revoke demo-scanner' }));
    const row = screen.getByTestId('token-row-demo-scanner');
    await waitFor(() => expect(row).toHaveTextContent('revoked'));
    expect(within(row).queryByRole('button')).toBeNull();
  });

  it('tells a member that tokens are for admins', async () => {
    renderApp(`/o/${ORG_ID}/settings/tokens`, {
      'GET /v1/me': {
        status: 200,
        body: { ...ME, organizations: [{ ...ME.organizations[0]!, role: 'member' }] },
      },
    });
    expect(
      await screen.findByText('Only admins and above can see scanner tokens.'),
    ).toBeInTheDocument();
  });

  it('knows active, revoked and expired tokens apart', () => {
    expect(tokenState(token(), NOW)).toBe('active');
    expect(tokenState(token({ revokedAt: '2026-03-01T00:00:00Z' }), NOW)).toBe('revoked');
    expect(tokenState(token({ expiresAt: '2026-03-09T00:00:00Z' }), NOW)).toBe('expired');
    expect(tokenState(token({ expiresAt: '2026-04-09T00:00:00Z' }), NOW)).toBe('active');
  });
});

const connection = (over: Record<string, unknown> = {}) => ({
  id: 'k1',
  name: 'edge',
  server: 'https://203.0.113.10:6443',
  clusterId: null,
  hasCaData: false,
  tokenFingerprint: 'sha256:3f1c0e9a7b22',
  scheduleMinutes: 60,
  enabled: true,
  lastStatus: null,
  lastError: null,
  lastScanId: null,
  lastScanAt: null,
  scanRequestedAt: null,
  createdById: USER_ID,
  createdAt: '2026-03-10T00:00:00Z',
  updatedAt: '2026-03-10T00:00:00Z',
  ...over,
});

describe('agentless clusters', () => {
  it('words schedules', () => {
    expect([null, 15, 60, 360, 1440, 10080].map(scheduleWords)).toEqual([
      'on demand',
      'every 15 min',
      'every hour',
      'every 6 hours',
      'every day',
      'every 7 days',
    ]);
  });

  it('checks the form before asking the API', () => {
    const ok = {
      name: 'edge',
      server: 'https://203.0.113.10:6443',
      token: 'eyJhbGciOi',
      caData: '',
      scheduleMinutes: '',
    };
    expect(connectionRequest(ok)).toEqual({
      ok: true,
      body: { name: 'edge', server: 'https://203.0.113.10:6443', token: 'eyJhbGciOi' },
    });
    expect(connectionRequest({ ...ok, caData: ' PEM ', scheduleMinutes: '1440' })).toEqual({
      ok: true,
      body: {
        name: 'edge',
        server: 'https://203.0.113.10:6443',
        token: 'eyJhbGciOi',
        caData: 'PEM',
        scheduleMinutes: 1440,
      },
    });
    const bad = connectionRequest({
      name: ' ',
      server: 'http://203.0.113.10',
      token: 'has spaces',
      caData: '',
      scheduleMinutes: '5',
    });
    expect(bad).toEqual({
      ok: false,
      problems: [
        'Name: give the cluster a name.',
        'API server URL: only https is accepted (TLS is always verified).',
        'Token: a bearer token has no spaces or line breaks.',
        'Scan every: a whole number of minutes from 15 to 10080 (a week).',
      ],
    });
  });

  it('connects a cluster, scans it and shows the outcome, disables and removes it', async () => {
    let items: ReturnType<typeof connection>[] = [];
    const { calls } = renderApp(`/o/${ORG_ID}/settings/agentless`, {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/cluster-connections')}`]: () => ({ status: 200, body: { items } }),
      [`POST ${org('/cluster-connections')}`]: (call) => {
        const b = call.body as { name: string; server: string };
        items = [connection({ name: b.name, server: b.server })];
        return { status: 201, body: items[0] };
      },
      [`POST ${org('/cluster-connections/k1/scan')}`]: () => {
        items = [
          connection({
            lastStatus: 'failed',
            lastError: 'the API server did not answer within 10 s',
            lastScanAt: '2026-03-10T00:01:00Z',
          }),
        ];
        return { status: 202, body: { connectionId: 'k1', jobId: 'j', status: 'queued' } };
      },
      [`PATCH ${org('/cluster-connections/k1')}`]: (call) => {
        items = [{ ...items[0]!, ...(call.body as object) }];
        return { status: 200, body: items[0] };
      },
      [`DELETE ${org('/cluster-connections/k1')}`]: () => {
        items = [];
        return { status: 204 };
      },
    });
    const user = userEvent.setup();
    await screen.findByText('No agentless clusters yet.');
    await user.type(screen.getByLabelText('Name'), 'edge');
    await user.type(screen.getByLabelText('API server URL'), 'https://203.0.113.10:6443');
    await user.type(screen.getByLabelText('Read-only ServiceAccount token'), 'eyJhbGciOi');
    await user.type(screen.getByLabelText('Scan every (minutes, optional)'), '60');
    await user.click(screen.getByRole('button', { name: 'Connect cluster' }));
    const row = await screen.findByTestId('connection-row-edge');
    expect(row).toHaveTextContent('edge');
    expect(row).toHaveTextContent('token sha256:3f1c0e9a7b22 · system trust store');
    expect(row).toHaveTextContent('https://203.0.113.10:6443every hournever scanned');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'edge',
      server: 'https://203.0.113.10:6443',
      token: 'eyJhbGciOi',
      scheduleMinutes: 60,
    });
    await user.click(screen.getByRole('button', { name: 'Scan now edge' }));
    await within(screen.getByTestId('connection-status-edge')).findByText('Last scan failed');
    // Once the scan has its outcome, the status column says it: "Scan queued." is gone.
    await waitFor(() => expect(screen.queryByText('Scan queued.')).toBeNull());
    expect(calls.filter((c) => c.path.endsWith('/scan'))).toHaveLength(1);
    expect(screen.getByTestId('connection-status-edge')).toHaveTextContent(
      'the API server did not answer within 10 s',
    );

    await user.click(screen.getByRole('button', { name: 'Disable edge' }));
    await within(await screen.findByTestId('connection-row-edge')).findByText('disabled');
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ enabled: false });
    expect(screen.getByRole('button', { name: 'Scan now edge' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Remove edge' }));
    await user.click(screen.getByRole('button', { name: 'Confirm remove edge' }));
    await screen.findByText('No agentless clusters yet.');
    expect(calls.some((c) => c.method === 'DELETE')).toBe(true);
  });

  it('shows the API’s reasons when it refuses a connection', async () => {
    renderApp(`/o/${ORG_ID}/settings/agentless`, {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/cluster-connections')}`]: { status: 200, body: { items: [] } },
      [`POST ${org('/cluster-connections')}`]: {
        status: 422,
        body: {
          error: {
            code: 'validation_failed',
            message: 'the API server address is not allowed',
            details: ['10.0.0.1 is in a private range (10.0.0.0/8)'],
          },
        },
      },
    });
    const user = userEvent.setup();
    await screen.findByText('No agentless clusters yet.');
    await user.type(screen.getByLabelText('Name'), 'inside');
    await user.type(screen.getByLabelText('API server URL'), 'https://10.0.0.1:6443');
    await user.type(screen.getByLabelText('Read-only ServiceAccount token'), 'eyJhbGciOi');
    await user.click(screen.getByRole('button', { name: 'Connect cluster' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The API server address is not allowed.');
    expect(alert).toHaveTextContent('10.0.0.1 is in a private range (10.0.0.0/8)');
  });

  it('tells a member that admins connect clusters, without asking the API', async () => {
    const { calls } = renderApp(`/o/${ORG_ID}/settings/agentless`, {
      'GET /v1/me': {
        status: 200,
        body: { ...ME, organizations: [{ ...ME.organizations[0]!, role: 'member' }] },
      },
    });
    expect(
      await screen.findByText('Only admins and above can see and connect agentless clusters.'),
    ).toBeInTheDocument();
    expect(calls.some((c) => c.path.includes('cluster-connections'))).toBe(false);
  });
});

describe('evidence uploads', () => {
  it('uploads a file with its name and content, and lists it', async () => {
    let items: unknown[] = [];
    const { calls } = renderApp(`/o/${ORG_ID}/settings/evidence`, {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/evidence')}`]: () => ({ status: 200, body: { items } }),
      [`POST ${org('/evidence')}`]: (call) => {
        const b = call.body as { filename: string; kind: string };
        const record = {
          id: 'e1',
          organizationId: ORG_ID,
          clusterId: null,
          kind: b.kind,
          filename: b.filename,
          contentHash: 'h',
          summary: { vms: 2, errors: [] },
          uploadedById: USER_ID,
          createdAt: '2026-03-10T00:00:00Z',
        };
        items = [record];
        return { status: 201, body: record };
      },
    });
    const user = userEvent.setup();
    await screen.findByText('No evidence uploaded yet.');
    const csv = 'vm,ip\na,10.0.0.1\nb,10.0.0.2\n';
    await user.upload(
      screen.getByLabelText('File'),
      new File([csv], 'vms.csv', { type: 'text/csv' }),
    );
    await user.selectOptions(screen.getByLabelText('Kind'), 'VM inventory (CSV)');
    await user.click(screen.getByRole('button', { name: 'Upload' }));
    expect(await screen.findByTestId('evidence-uploaded')).toHaveTextContent(
      'Uploaded vms.csv as VM inventory (CSV).',
    );
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      filename: 'vms.csv',
      kind: 'vm-inventory',
      content: csv,
    });
    expect(await screen.findByTestId('evidence-table')).toHaveTextContent('2 VMs');
  });

  it('an admin deletes an upload after confirming; the list follows', async () => {
    let items: unknown[] = [
      {
        id: 'e1',
        organizationId: ORG_ID,
        clusterId: null,
        kind: 'attestation',
        filename: 'attest.json',
        contentHash: 'h',
        summary: { kind: 'attestation' },
        uploadedById: USER_ID,
        createdAt: '2026-03-10T00:00:00Z',
      },
    ];
    const { calls } = renderApp(`/o/${ORG_ID}/settings/evidence`, {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/evidence')}`]: () => ({ status: 200, body: { items } }),
      [`DELETE ${org('/evidence/e1')}`]: () => {
        items = [];
        return { status: 204, body: null };
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Delete attest.json' }));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Confirm delete attest.json' }));
    expect(await screen.findByText('No evidence uploaded yet.')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual([
      org('/evidence/e1'),
    ]);
  });

  it('lists the problems the API found in a file', async () => {
    renderApp(`/o/${ORG_ID}/settings/evidence`, {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/evidence')}`]: { status: 200, body: { items: [] } },
      [`POST ${org('/evidence')}`]: {
        status: 422,
        body: {
          error: {
            code: 'validation_failed',
            message: 'evidence does not match its contract',
            details: ['mcpServers: expected object'],
          },
        },
      },
    });
    const user = userEvent.setup();
    await screen.findByText('No evidence uploaded yet.');
    await user.upload(
      screen.getByLabelText('File'),
      new File(['{}'], 'mcp.json', { type: 'application/json' }),
    );
    await user.click(screen.getByRole('button', { name: 'Upload' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Evidence does not match its contract.');
    expect(alert).toHaveTextContent('mcpServers: expected object');
  });

  it('words what was recognised', () => {
    const base = {
      id: 'e',
      organizationId: ORG_ID,
      clusterId: null,
      kind: 'vm-inventory',
      filename: 'f',
      contentHash: 'h',
      uploadedById: null,
      createdAt: '',
    };
    expect(evidenceSummary({ ...base, summary: { vms: 1, errors: [{ line: 3 }] } })).toBe(
      '1 VM, 1 line skipped',
    );
    expect(evidenceSummary({ ...base, summary: { kind: 'attestation' } })).toBe('validated');
  });
});

describe('invites', () => {
  it('creates an invite link on this site and lists the invite', async () => {
    let items: unknown[] = [];
    renderApp(`/o/${ORG_ID}/settings/invites`, {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/invites')}`]: () => ({ status: 200, body: { items } }),
      [`POST ${org('/invites')}`]: (call) => {
        const b = call.body as { email: string; role: string };
        const invite = {
          id: 'i1',
          organizationId: ORG_ID,
          email: b.email,
          role: b.role,
          invitedById: USER_ID,
          createdAt: '2026-03-10T00:00:00Z',
          expiresAt: '2099-03-17T00:00:00Z',
          acceptedAt: null,
        };
        items = [invite];
        return {
          status: 201,
          body: { invite, link: '/invite#tok_abcdefghijkl', token: 'tok_abcdefghijkl' },
        };
      },
    });
    const user = userEvent.setup();
    await screen.findByText('No invites yet.');
    await user.type(screen.getByLabelText('Email'), 'bob@example.com');
    await user.selectOptions(screen.getByLabelText('Role'), 'Viewer');
    await user.click(screen.getByRole('button', { name: 'Create invite link' }));
    expect(await screen.findByTestId('invite-link')).toHaveTextContent(
      `${window.location.origin}/invite#tok_abcdefghijkl`,
    );
    expect(await screen.findByRole('row', { name: /bob@example.com/ })).toHaveTextContent('Viewer');
  });

  it('knows open, accepted and expired invites apart', () => {
    const i = {
      id: 'i',
      organizationId: ORG_ID,
      email: 'e',
      role: 'member' as const,
      invitedById: null,
      createdAt: '',
      expiresAt: '2026-03-11T00:00:00Z',
      acceptedAt: null,
    };
    expect(inviteState(i, NOW)).toBe('open');
    expect(inviteState({ ...i, expiresAt: '2026-03-01T00:00:00Z' }, NOW)).toBe('expired');
    expect(inviteState({ ...i, acceptedAt: '2026-03-02T00:00:00Z' }, NOW)).toBe('accepted');
  });
});

describe('roles and the audit log', () => {
  it('grants the owner role only as an owner, and never below admin', () => {
    expect(grantableRoles('owner', 'viewer')).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(grantableRoles('admin', 'viewer')).toEqual(['admin', 'member', 'viewer']);
    expect(grantableRoles('admin', 'owner')).toEqual([]);
    expect(grantableRoles('member', 'viewer')).toEqual([]);
  });

  it('words audit events', () => {
    const e = {
      id: 'a',
      organizationId: ORG_ID,
      actorType: 'user',
      actorId: USER_ID,
      action: 'member.role_change',
      targetType: 'user',
      targetId: 'u2',
      metadata: { from: 'viewer', to: 'admin' },
      ip: '127.0.0.1',
      requestId: null,
      at: '2026-03-10T00:00:00Z',
    };
    expect(actionWords(e.action)).toBe('Changed a role');
    expect(actionWords('future.thing')).toBe('future.thing');
    // Every action the API writes reads as words, never as its code.
    for (const a of AUDIT_ACTIONS) {
      expect(actionWords(a)).not.toBe(a);
      expect(actionWords(a)).not.toMatch(/[._]/);
    }
    expect(Object.keys(ACTION_WORDS).sort()).toEqual([...AUDIT_ACTIONS].sort());
    expect(actionWords('toString')).toBe('toString');
    expect(auditDetail(e)).toBe('viewer → admin');
    expect(
      auditDetail({ ...e, action: 'member.invite', metadata: { email: 'b@x.io', role: 'viewer' } }),
    ).toBe('b@x.io · as viewer');
    const members = [
      {
        userId: USER_ID,
        email: 'ada@example.com',
        name: 'Ada',
        role: 'owner' as const,
        lastLoginAt: null,
      },
    ];
    expect(actorWords(e, members)).toBe('Ada');
    expect(actorWords({ ...e, actorType: 'system', actorId: null }, members)).toBe('Plumbline');
    expect(actorWords({ ...e, actorId: 'gone' }, members)).toBe('A former member');
  });
});
