import { beforeAll, describe, expect, it } from '@jest/globals';
import { createRiskAcceptanceSchema, type RiskAcceptance } from '@plumbline/contracts';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ME, ORG_ID, type FakeRoute, type RecordedCall } from '../../../test/fake-api';
import {
  AGENT_FINDING,
  C1,
  C2,
  CLUSTER_DETAIL,
  FINDING,
  PLAN_MANUAL,
  riskAcceptance,
  RISK_ACTIVE_ID,
  RISKS,
} from '../../../test/read-fixtures';
import { renderApp } from '../../../test/render-app';
import type { Role } from '../../api';
import {
  acceptanceOfRequirement,
  addDays,
  dateInputValue,
  expiryInstant,
  expiryRange,
  findingTargets,
  requirementOfFinding,
  riskStatus,
} from './risks/model';

beforeAll(async () => {
  await import('./ClusterDetail');
  await import('./ClusterEvidence');
  await import('./Roadmap');
});

const org = (p: string) => `/v1/orgs/${ORG_ID}${p}`;
const CLUSTER_PAGE = `/o/${ORG_ID}/clusters/${C1}`;
const meAs = (role: Role) => ({
  ...ME,
  organizations: [{ ...ME.organizations[0]!, role }],
});

function routes(extra: Record<string, FakeRoute> = {}, role: Role = 'owner') {
  return {
    'GET /v1/me': { status: 200, body: meAs(role) },
    [`GET ${org(`/clusters/${C1}`)}`]: { status: 200, body: CLUSTER_DETAIL },
    [`GET ${org(`/clusters/${C1}/history`)}`]: {
      status: 200,
      body: { items: [], nextCursor: null },
    },
    [`GET ${org('/risk-acceptances')}`]: { status: 200, body: RISKS },
    ...extra,
  };
}

const criterionRow = () => screen.getByTestId('criterion-resilience.pdb');
const findingRow = (id: string) => screen.getByTestId(`finding-${id}`);

describe('what a risk acceptance covers', () => {
  it('reads the criterion or cap a maturity finding comes from; accountability findings have none', () => {
    expect(requirementOfFinding('maturity/resilience.pdb:gap')).toBe('resilience.pdb');
    expect(requirementOfFinding('maturity/cap.cluster-admin-sprawl:cap')).toBe(
      'cap.cluster-admin-sprawl',
    );
    expect(requirementOfFinding('maturity/upgrade.k8s-eol:upgrade-risk')).toBe('upgrade.k8s-eol');
    expect(requirementOfFinding(AGENT_FINDING.id)).toBeNull();
    expect(findingTargets(FINDING.id)).toEqual([
      { kind: 'finding', targetId: FINDING.id },
      { kind: 'criterion', targetId: 'resilience.pdb' },
    ]);
    expect(findingTargets(AGENT_FINDING.id)).toEqual([
      { kind: 'finding', targetId: AGENT_FINDING.id },
    ]);
  });

  it('shows an active acceptance of the cluster or of every cluster, else an expired one, never a revoked one', () => {
    const pdb = [{ kind: 'criterion', targetId: 'resilience.pdb' }] as const;
    expect(riskStatus(RISKS.items, C1, pdb)).toMatchObject({
      state: 'active',
      risk: { id: RISK_ACTIVE_ID },
    });
    // Another cluster's acceptance does not apply here.
    expect(riskStatus(RISKS.items, C2, pdb)).toBeNull();
    const agent = findingTargets(AGENT_FINDING.id);
    expect(riskStatus(RISKS.items, C1, agent)?.state).toBe('expired');
    expect(riskStatus(RISKS.items, C2, agent)?.state).toBe('active');
    expect(
      riskStatus(RISKS.items, C1, [{ kind: 'criterion', targetId: 'observability.metrics' }]),
    ).toBeNull();
    // An organisation-wide acceptance applies to every cluster.
    const everywhere = riskAcceptance({ clusterId: null, clusterName: null });
    expect(riskStatus([everywhere], C2, pdb)?.state).toBe('active');
  });

  it('finds the acceptance behind a plan’s accepted requirement, by criterion or by finding', () => {
    expect(acceptanceOfRequirement(RISKS.items, C1, 'resilience.pdb')?.owner).toBe('Platform team');
    const byFinding = riskAcceptance({ kind: 'finding', targetId: FINDING.id, owner: 'Shop' });
    expect(acceptanceOfRequirement([byFinding], C1, 'resilience.pdb')?.owner).toBe('Shop');
    expect(
      acceptanceOfRequirement([riskAcceptance({ state: 'expired' })], C1, 'resilience.pdb'),
    ).toBeNull();
  });

  it('offers end dates from tomorrow to a year ahead, 90 days by default, ending with the day', () => {
    const now = new Date(2026, 2, 10, 15, 0, 0);
    expect(expiryRange(now)).toEqual({
      min: '2026-03-11',
      max: '2027-03-10',
      initial: '2026-06-08',
    });
    const end = expiryInstant('2026-06-08');
    expect(end).toBe(new Date(2026, 5, 8, 23, 59, 59).toISOString());
    expect(Date.parse(end!) - now.getTime()).toBeLessThan(366 * 86_400_000);
    expect(expiryInstant('')).toBeNull();
    expect(expiryInstant('2026-02-30')).toBeNull();
    expect(dateInputValue(addDays(now, 365))).toBe('2027-03-10');
  });
});

describe('accepted risks on the cluster page', () => {
  it('marks active ones with owner and end date, expired ones as expired, revoked ones not at all', async () => {
    renderApp(CLUSTER_PAGE, routes());
    await screen.findByRole('heading', { level: 1, name: /shop-prod-eu/ });
    // Active, on the criterion and on the finding that comes from it.
    const badge = await within(criterionRow()).findByTestId('risk-badge');
    expect(badge).toHaveAttribute('data-state', 'active');
    expect(badge).toHaveTextContent('Risk accepted by Platform team until Jun 30, 2026');
    expect(within(badge).getByText(/^Risk accepted by/)).toHaveAttribute(
      'title',
      'Why: Single-replica batch workloads; a PDB would block node drains.',
    );
    expect(badge).toHaveTextContent(
      'Single-replica batch workloads; a PDB would block node drains.',
    );
    expect(within(findingRow(FINDING.id)).getByTestId('risk-badge')).toHaveTextContent(
      'Risk accepted by Platform team until Jun 30, 2026',
    );
    // Expired (every cluster): the finding is shown as usual, with the note; the acceptance of
    // another cluster does not apply here.
    const agent = findingRow(AGENT_FINDING.id);
    expect(within(agent).getByRole('link', { name: AGENT_FINDING.title })).toBeInTheDocument();
    expect(within(agent).getByTestId('risk-badge')).toHaveAttribute('data-state', 'expired');
    expect(within(agent).getByTestId('risk-badge')).toHaveTextContent(
      'Accepted risk expired on Mar 1, 2026',
    );
    expect(agent).not.toHaveTextContent('Staging owners');
    expect(agent).not.toHaveTextContent('Risk accepted by');
    // Revoked: nothing.
    expect(
      within(screen.getByTestId('criterion-observability.metrics')).queryByTestId('risk-badge'),
    ).toBeNull();
    expect(screen.getAllByTestId('risk-badge')).toHaveLength(3);
    // The level stays the level as assessed, and says so.
    expect(screen.getByTestId('level-as-assessed')).toHaveTextContent(
      'Level 1 is the level as assessed: accepted risks do not change it. 1 accepted risk applies to this cluster',
    );
  });

  it('shows the results alone when the accepted risks cannot be read', async () => {
    renderApp(
      CLUSTER_PAGE,
      routes({
        [`GET ${org('/risk-acceptances')}`]: {
          status: 500,
          body: { error: { code: 'internal', message: 'boom' } },
        },
      }),
    );
    await screen.findByTestId('findings-table');
    expect(screen.queryByTestId('risk-badge')).toBeNull();
    expect(screen.queryByTestId('level-as-assessed')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('lets an admin accept the risk of a finding for every cluster, then marks it', async () => {
    let items: RiskAcceptance[] = [];
    const { calls } = renderApp(
      CLUSTER_PAGE,
      routes(
        {
          [`GET ${org('/risk-acceptances')}`]: () => ({
            status: 200,
            body: { items, counts: { active: items.length, expired: 0, revoked: 0 } },
          }),
          [`POST ${org('/risk-acceptances')}`]: (call: RecordedCall) => {
            const body = createRiskAcceptanceSchema.parse(call.body);
            const created = riskAcceptance({
              id: 'ac000000-0000-4000-8000-000000000009',
              clusterId: body.clusterId ?? null,
              clusterName: null,
              kind: body.kind,
              targetId: body.targetId,
              title: body.targetId,
              owner: body.owner,
              reason: body.reason,
              expiresAt: body.expiresAt,
            });
            items = [created];
            return { status: 201, body: created };
          },
        },
        'admin',
      ),
    );
    const user = userEvent.setup();
    const before = Date.now();
    await user.click(
      await screen.findByRole('button', { name: `Accept risk of ${AGENT_FINDING.title}` }),
    );
    const form = screen.getByRole('form', { name: `Accept the risk of ${AGENT_FINDING.title}` });
    expect(within(form).getByLabelText('Accepted until')).toHaveValue(
      dateInputValue(addDays(new Date(), 90)),
    );
    expect(within(form).getByRole('radio', { name: 'This cluster (shop-prod-eu)' })).toBeChecked();
    await user.type(within(form).getByLabelText('Owner (a person or team)'), '  AI platform ');
    await user.type(
      within(form).getByLabelText('Why the risk is accepted'),
      'The gateway exports the traces until the agents are upgraded in Q3.',
    );
    await user.click(
      within(form).getByRole('radio', { name: 'Every cluster of the organisation' }),
    );
    await user.click(within(form).getByRole('button', { name: 'Accept the risk' }));

    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.path).toBe(org('/risk-acceptances'));
    expect(post.headers['x-csrf-token']).toBe('csrf-123');
    expect(post.body).toMatchObject({
      clusterId: null,
      kind: 'finding',
      targetId: AGENT_FINDING.id,
      owner: 'AI platform',
      reason: 'The gateway exports the traces until the agents are upgraded in Q3.',
    });
    // The end of the chosen day, about 90 days ahead: what the API accepts.
    expect(createRiskAcceptanceSchema.safeParse(post.body).success).toBe(true);
    const expiresAt = Date.parse((post.body as { expiresAt: string }).expiresAt);
    expect(expiresAt).toBeGreaterThan(before + 89 * 86_400_000);
    expect(expiresAt).toBeLessThan(before + 91 * 86_400_000);

    // The form closes and the finding is marked.
    await waitFor(() => expect(screen.queryByTestId('accept-risk-form')).toBeNull());
    const badge = await within(findingRow(AGENT_FINDING.id)).findByTestId('risk-badge');
    expect(badge).toHaveTextContent('Risk accepted by AI platform until');
    expect(
      within(findingRow(AGENT_FINDING.id)).queryByRole('button', { name: /^Accept risk/ }),
    ).toBeNull();
  });

  it('shows the API’s reason when it refuses, and keeps what was typed', async () => {
    const { calls } = renderApp(
      CLUSTER_PAGE,
      routes({
        [`GET ${org('/risk-acceptances')}`]: {
          status: 200,
          body: { items: [], counts: { active: 0, expired: 0, revoked: 0 } },
        },
        [`POST ${org('/risk-acceptances')}`]: {
          status: 422,
          body: {
            error: {
              code: 'validation_failed',
              message:
                'no finding "maturity/resilience.pdb:gap" in the newest scan of this cluster',
            },
          },
        },
      }),
    );
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('button', { name: `Accept risk of ${FINDING.title}` }),
    );
    // Not met criteria offer it; met ones do not.
    expect(
      within(screen.getByTestId('criterion-observability.metrics')).queryByRole('button'),
    ).toBeNull();
    const form = screen.getByTestId('accept-risk-form');
    await user.type(within(form).getByLabelText('Owner (a person or team)'), 'Shop team');
    await user.type(
      within(form).getByLabelText('Why the risk is accepted'),
      'Batch jobs run one replica by design.',
    );
    await user.click(within(form).getByRole('button', { name: 'Accept the risk' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'No finding "maturity/resilience.pdb:gap" in the newest scan of this cluster.',
    );
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toMatchObject({ clusterId: C1, kind: 'finding', targetId: FINDING.id });
    expect(within(form).getByLabelText('Owner (a person or team)')).toHaveValue('Shop team');
    expect(screen.queryAllByTestId('risk-badge')).toHaveLength(0);

    // Cancel closes the form; the criterion offers the same.
    await user.click(within(form).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('accept-risk-form')).toBeNull();
    await user.click(
      within(criterionRow()).getByRole('button', {
        name: 'Accept risk of PodDisruptionBudgets protect workloads',
      }),
    );
    expect(
      screen.getByRole('form', {
        name: 'Accept the risk of PodDisruptionBudgets protect workloads',
      }),
    ).toBeInTheDocument();
  });

  it('offers no action to members and viewers, who still see the accepted risks', async () => {
    for (const role of ['member', 'viewer'] as const) {
      const { unmount } = renderApp(CLUSTER_PAGE, routes({}, role));
      await screen.findByTestId('findings-table');
      expect(await within(criterionRow()).findByTestId('risk-badge')).toHaveTextContent(
        'Risk accepted by Platform team',
      );
      expect(screen.queryByRole('button', { name: /^Accept risk/ })).toBeNull();
      expect(screen.queryByTestId('accept-risk-form')).toBeNull();
      unmount();
    }
  });
});

describe('accepted risks on the evidence pages', () => {
  it('mark the criterion and the finding they cover, and nothing else', async () => {
    const criterion = renderApp(`${CLUSTER_PAGE}/criteria/resilience.pdb`, routes());
    await screen.findByTestId('evidence-view');
    expect(await screen.findByTestId('risk-badge')).toHaveTextContent(
      'Risk accepted by Platform team until Jun 30, 2026',
    );
    criterion.unmount();

    const finding = renderApp(
      `${CLUSTER_PAGE}/findings/${encodeURIComponent(AGENT_FINDING.id)}`,
      routes(),
    );
    expect(await screen.findByTestId('risk-badge')).toHaveTextContent(
      'Accepted risk expired on Mar 1, 2026',
    );
    finding.unmount();

    // Revoked: nothing, once the list has been read.
    const { calls } = renderApp(`${CLUSTER_PAGE}/criteria/observability.metrics`, routes());
    await screen.findByTestId('evidence-view');
    await waitFor(() => expect(calls.some((c) => c.path === org('/risk-acceptances'))).toBe(true));
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(screen.queryByTestId('risk-badge')).toBeNull();
  });
});

describe('accepted risks in a plan', () => {
  it('name their owner and end date beside the requirement the plan leaves out', async () => {
    renderApp(`/o/${ORG_ID}/clusters/${C1}/roadmap`, {
      ...routes(),
      [`GET ${org(`/clusters/${C1}/plans`)}`]: {
        status: 200,
        body: { items: [PLAN_MANUAL], nextCursor: null },
      },
    });
    const accepted = await screen.findByTestId('plan-accepted', {}, { timeout: 10_000 });
    await waitFor(() =>
      expect(accepted).toHaveTextContent(
        'counted as met and left out of the plan: PodDisruptionBudgets protect workloads (accepted by Platform team until Jun 30, 2026).',
      ),
    );
  });
});
