import { describe, expect, it } from '@jest/globals';
import type { RiskAcceptance } from '@plumbline/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ME, ORG_ID, USER_ID } from '../../../test/fake-api';
import {
  AGENT_FINDING,
  C1,
  RISK_ACTIVE_ID,
  RISK_EXPIRED_ID,
  RISK_OTHER_CLUSTER_ID,
  RISK_REVOKED_ID,
  riskAcceptance,
  RISKS,
} from '../../../test/read-fixtures';
import { renderApp } from '../../../test/render-app';
import type { Role } from '../../api';
import { riskCountsWords, riskUntilWords } from './RisksTab';

const org = (p: string) => `/v1/orgs/${ORG_ID}${p}`;
const PAGE = `/o/${ORG_ID}/settings/risks`;
const meAs = (role: Role) => ({ ...ME, organizations: [{ ...ME.organizations[0]!, role }] });
const row = (id: string) => screen.getByTestId(`risk-row-${id}`);

describe('the organisation’s accepted risks', () => {
  it('words counts and end dates', () => {
    expect(riskCountsWords(RISKS.counts)).toBe('2 active · 1 expired · 1 revoked');
    expect(riskUntilWords(riskAcceptance())).toBe('until Jun 30, 2026');
    expect(riskUntilWords(riskAcceptance({ state: 'expired' }))).toBe('expired on Jun 30, 2026');
    expect(
      riskUntilWords(riskAcceptance({ state: 'revoked', revokedAt: '2026-03-05T12:00:00Z' })),
    ).toBe('revoked on Mar 5, 2026 (was until Jun 30, 2026)');
  });

  it('lists every acceptance with its state, owner, reason, scope and end date; expired ones first and loud', async () => {
    const { calls } = renderApp(PAGE, {
      'GET /v1/me': { status: 200, body: meAs('viewer') },
      [`GET ${org('/risk-acceptances')}`]: { status: 200, body: RISKS },
    });
    expect(await screen.findByRole('link', { name: 'Risk acceptances' })).toHaveAttribute(
      'href',
      PAGE,
    );
    expect(await screen.findByTestId('risk-counts')).toHaveTextContent(
      '4 acceptances: 2 active · 1 expired · 1 revoked',
    );
    const expired = screen.getByTestId('risks-expired');
    expect(expired).toHaveTextContent('1 accepted risk has expired: it applies again');
    expect(expired).toHaveTextContent(
      `${AGENT_FINDING.id} (every cluster), owned by AI platform, expired on Mar 1, 2026`,
    );

    const active = row(RISK_ACTIVE_ID);
    expect(active).toHaveTextContent('PodDisruptionBudgets protect workloads');
    expect(active).toHaveTextContent('criterion resilience.pdb');
    expect(active).toHaveTextContent('Platform team');
    expect(active).toHaveTextContent(
      'Single-replica batch workloads; a PDB would block node drains.',
    );
    expect(active).toHaveTextContent('until Jun 30, 2026');
    expect(active).toHaveTextContent('Active');
    expect(within(active).getByRole('link', { name: 'shop-prod-eu' })).toHaveAttribute(
      'href',
      `/o/${ORG_ID}/clusters/${C1}`,
    );
    expect(row(RISK_EXPIRED_ID)).toHaveTextContent('every cluster');
    expect(row(RISK_EXPIRED_ID)).toHaveTextContent('expired on Mar 1, 2026');
    expect(row(RISK_EXPIRED_ID)).toHaveTextContent('Expired');
    expect(row(RISK_REVOKED_ID)).toHaveTextContent('revoked on Mar 5, 2026');
    expect(row(RISK_OTHER_CLUSTER_ID)).toHaveTextContent('fresh-dev');
    // Viewers read; nothing to revoke.
    expect(screen.queryByRole('button', { name: /^Revoke/ })).toBeNull();
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);
  });

  it('says so when there are none', async () => {
    renderApp(PAGE, {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/risk-acceptances')}`]: {
        status: 200,
        body: { items: [], counts: { active: 0, expired: 0, revoked: 0 } },
      },
    });
    expect(await screen.findByTestId('risks-empty')).toHaveTextContent('No accepted risks.');
    expect(screen.queryByTestId('risks-expired')).toBeNull();
  });

  it('lets an admin revoke an active one after a confirmation; the list follows', async () => {
    let items: RiskAcceptance[] = RISKS.items;
    const { calls } = renderApp(PAGE, {
      'GET /v1/me': { status: 200, body: meAs('admin') },
      [`GET ${org('/risk-acceptances')}`]: () => ({
        status: 200,
        body: {
          items,
          counts: {
            active: items.filter((r) => r.state === 'active').length,
            expired: items.filter((r) => r.state === 'expired').length,
            revoked: items.filter((r) => r.state === 'revoked').length,
          },
        },
      }),
      [`DELETE ${org(`/risk-acceptances/${RISK_ACTIVE_ID}`)}`]: () => {
        const revoked = riskAcceptance({
          state: 'revoked',
          revokedAt: '2026-03-10T12:00:00.000Z',
          revokedById: USER_ID,
        });
        items = items.map((r) => (r.id === RISK_ACTIVE_ID ? revoked : r));
        return { status: 200, body: revoked };
      },
    });
    const user = userEvent.setup();
    await screen.findByTestId('risks-table');
    // Only active ones can be revoked.
    expect(within(row(RISK_EXPIRED_ID)).queryByRole('button')).toBeNull();
    expect(within(row(RISK_REVOKED_ID)).queryByRole('button')).toBeNull();
    expect(within(row(RISK_OTHER_CLUSTER_ID)).getByRole('button')).toHaveAccessibleName(
      'Revoke accountability/traceability/trace.exporter (fresh-dev)',
    );

    await user.click(
      within(row(RISK_ACTIVE_ID)).getByRole('button', {
        name: 'Revoke PodDisruptionBudgets protect workloads (shop-prod-eu)',
      }),
    );
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    expect(row(RISK_ACTIVE_ID)).toHaveTextContent('It applies again at once.');
    await user.click(
      screen.getByRole('button', {
        name: 'Confirm revoke PodDisruptionBudgets protect workloads (shop-prod-eu)',
      }),
    );
    const del = calls.find((c) => c.method === 'DELETE');
    expect(del?.path).toBe(org(`/risk-acceptances/${RISK_ACTIVE_ID}`));
    expect(del?.headers['x-csrf-token']).toBe('csrf-123');
    await waitFor(() => expect(row(RISK_ACTIVE_ID)).toHaveTextContent('Revoked'));
    expect(within(row(RISK_ACTIVE_ID)).queryByRole('button')).toBeNull();
    expect(screen.getByTestId('risk-counts')).toHaveTextContent('1 active · 1 expired · 2 revoked');
  });

  it('shows why a revocation failed', async () => {
    renderApp(PAGE, {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/risk-acceptances')}`]: { status: 200, body: RISKS },
      [`DELETE ${org(`/risk-acceptances/${RISK_ACTIVE_ID}`)}`]: {
        status: 409,
        body: { error: { code: 'conflict', message: 'the risk acceptance is already revoked' } },
      },
    });
    const user = userEvent.setup();
    await screen.findByTestId('risks-table');
    await user.click(within(row(RISK_ACTIVE_ID)).getByRole('button', { name: /^Revoke/ }));
    await user.click(within(row(RISK_ACTIVE_ID)).getByRole('button', { name: /^Confirm revoke/ }));
    expect(await within(row(RISK_ACTIVE_ID)).findByRole('alert')).toHaveTextContent(
      'The risk acceptance is already revoked.',
    );
  });
});
