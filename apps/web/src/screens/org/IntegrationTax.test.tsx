import { beforeAll, describe, expect, it } from '@jest/globals';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ME, ORG_ID } from '../../../test/fake-api';
import { costWith } from '../../../test/read-fixtures';
import { renderApp } from '../../../test/render-app';
import { recomputedSentence } from './IntegrationTax';
import { readVms } from './tax/vms';

beforeAll(async () => {
  await import('./IntegrationTax');
  await import('./TaxLine');
});

const org = (p: string) => `/v1/orgs/${ORG_ID}${p}`;
const o = (p: string) => `/o/${ORG_ID}${p}`;

function routes(role: 'owner' | 'member' = 'owner') {
  return {
    'GET /v1/me': {
      status: 200,
      body: { ...ME, organizations: [{ ...ME.organizations[0]!, role }] },
    },
    [`GET ${org('/cost')}`]: { status: 200, body: costWith(40_000_000) },
    [`PUT ${org('/cost/assumptions')}`]: (call: { body: unknown }) => {
      const { overrides } = call.body as { overrides: { engineers?: number } };
      const engineers = overrides.engineers ?? 10;
      return { status: 200, body: costWith(4_000_000 * engineers, overrides) };
    },
  };
}

describe('the assumption editor', () => {
  it('explains an invalid value before saving, then saves and shows the recomputed total', async () => {
    const { calls } = renderApp(o('/tax'), routes());
    expect(await screen.findByTestId('tax-total')).toHaveTextContent('$400,000 / year');
    const user = userEvent.setup();
    const engineers = screen.getByLabelText('Platform engineers');
    await user.clear(engineers);
    await user.type(engineers, '-3');
    const row = screen.getByTestId('assumption-engineers');
    expect(row).toHaveTextContent('must be at least 0');
    expect(engineers).toHaveAttribute('aria-invalid', 'true');
    expect(row).toHaveTextContent('your value');
    await user.click(screen.getByRole('button', { name: 'Save and recompute' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      '1 value is not valid: fix it and save again.Platform engineers: must be at least 0',
    );
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);

    await user.clear(engineers);
    await user.type(engineers, '20');
    expect(row).not.toHaveTextContent('must be at least 0');
    await user.click(screen.getByRole('button', { name: 'Save and recompute' }));
    expect(await screen.findByTestId('tax-recomputed')).toHaveTextContent(
      'Saved. The integration tax is now $800,000 a year, $400,000 more than before ($400,000).',
    );
    expect(screen.getByTestId('tax-total')).toHaveTextContent('$800,000 / year');
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ overrides: { engineers: 20 } });
    expect(calls.find((c) => c.method === 'PUT')?.headers['x-csrf-token']).toBe('csrf-123');
    // The saved value is now the organisation's own, with the way back to the default.
    await waitFor(() => expect(screen.getByLabelText('Platform engineers')).toHaveValue('20'));
    expect(screen.getByTestId('assumption-engineers')).toHaveTextContent('your value');
    await user.click(
      screen.getByRole('button', { name: 'Use the default for Platform engineers' }),
    );
    expect(screen.getByLabelText('Platform engineers')).toHaveValue('10');
    await user.click(screen.getByRole('button', { name: 'Save and recompute' }));
    expect(await screen.findByTestId('tax-recomputed')).toHaveTextContent(
      'now $400,000 a year, $400,000 less than before ($800,000).',
    );
    expect(calls.filter((c) => c.method === 'PUT').at(-1)?.body).toEqual({ overrides: {} });
  });

  it('shows every assumption read-only, with its default and source, to a non-admin', async () => {
    const { calls } = renderApp(o('/tax'), routes('member'));
    expect(await screen.findByTestId('assumptions-read-only')).toHaveTextContent(
      'Only admins can change the assumptions',
    );
    const row = screen.getByTestId('assumption-loadedSalary');
    expect(row).toHaveTextContent('$190,000');
    expect(row).toHaveTextContent('Default $190,000Plumbline default for loadedSalary');
    expect(within(row).queryByRole('textbox')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save and recompute' })).toBeNull();
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
  });

  it('words the recomputed total', () => {
    expect(recomputedSentence(100, 100)).toBe(
      'Saved. The integration tax is now $1 a year, unchanged.',
    );
    expect(recomputedSentence(null, null)).toBe(
      'Saved. The tax appears once a scan has been analysed.',
    );
  });
});

describe('the integration tax page', () => {
  it('links each component to its formula, inputs and sources', async () => {
    renderApp(o('/tax'), routes());
    await screen.findByTestId('tax-total');
    const user = userEvent.setup();
    await user.click(screen.getAllByRole('link', { name: 'Glue work' })[0]!);
    expect(await screen.findByRole('heading', { level: 1, name: 'Glue work' })).toBeInTheDocument();
    expect(screen.getByTestId('line-formula')).toHaveTextContent('g x E x 2080 x R');
    // Every symbol with what it stands for and its value; the seam factor spelt out (18.9).
    expect(screen.getByTestId('line-inputs')).toHaveTextContent('Eplatform engineers10');
    expect(screen.getByTestId('line-inputs')).toHaveTextContent(
      'I_refseams in the reference stack10',
    );
    expect(screen.getByTestId('line-explanation')).toHaveTextContent('I / I_ref = 28 / 10 = 2.8');
    expect(screen.getByTestId('line-explanation')).toHaveTextContent('10% x 2.8 = 28%');
    expect(screen.getByRole('link', { name: 'Time spent on integration glue' })).toHaveAttribute(
      'href',
      o('/tax#assumption-glueShare'),
    );
  });

  it('lists an assumption the organisation entered as entered, never among the defaults', async () => {
    renderApp(o('/tax/lines/glue'), {
      ...routes(),
      [`GET ${org('/cost')}`]: { status: 200, body: costWith(40_000_000, { engineers: 20 }) },
    });
    expect(await screen.findByTestId('line-entered')).toHaveTextContent(
      'Entered by your organisation: Platform engineers.',
    );
    expect(screen.getByTestId('line-defaults')).not.toHaveTextContent('Platform engineers');
    expect(screen.getByTestId('line-defaults')).toHaveTextContent('Time spent on integration glue');
  });

  it('shows each cluster’s contribution and the platform licence range', async () => {
    renderApp(o('/tax'), routes());
    expect(await screen.findByTestId('per-cluster')).toHaveTextContent(
      'shop-prod-eu$100,000 / yearbrings 1 tool(s) no other cluster runs (calico)',
    );
    expect(screen.getByTestId('consolidation-range')).toHaveTextContent(
      'from $7,884 / year to $47,304 / year (the same list price for 2-vCPU to 12-vCPU nodes), the return over 3 years is 130% to 160% and it pays back in 4.1 months to 4.6 months.',
    );
  });

  it('shows consolidation and an empty what-if in words, and no VM section without VMs', async () => {
    renderApp(o('/tax'), routes());
    expect(await screen.findByTestId('consolidation')).toHaveTextContent(
      'Return over 3 years150%Pays back in4.2 months',
    );
    expect(screen.getByText(/No single change removes a tool/)).toBeInTheDocument();
    expect(screen.queryByTestId('vm-section')).toBeNull();
  });

  it('reads the VM section defensively', () => {
    expect(readVms(null)).toBeNull();
    const vms = {
      vms: [
        {
          vm: 'ldap-01',
          source: 'inventory',
          dependencies: 6,
          riskScore: 14,
          teamsL2: ['platform'],
          teamsL3: ['network', 'platform'],
          keepsIpWithL2: true,
          reasons: ['3 firewall rules name its IP'],
        },
      ],
      approvalQuestions: [
        { question: 'Who owns the VLANs?', answer: 'VLAN 100: identity', vms: [] },
      ],
      dualPlatformCents: 19_000_000,
      dualPlatformFormula: 'FTEs x salary',
    };
    expect(readVms(vms)?.vms[0]?.vm).toBe('ldap-01');
    expect(() => readVms({ vms: 'nope' })).toThrow('a shape this version of the app does not know');
  });

  it('shows the VM section when VMs exist', async () => {
    renderApp(o('/tax'), {
      ...routes(),
      [`GET ${org('/cost')}`]: {
        status: 200,
        body: {
          ...costWith(40_000_000),
          vms: {
            vms: [
              {
                vm: 'ldap-01',
                source: 'inventory',
                dependencies: 6,
                riskScore: 14,
                teamsL2: ['platform'],
                teamsL3: ['network', 'platform'],
                keepsIpWithL2: true,
                reasons: ['3 firewall rules name its IP'],
              },
            ],
            approvalQuestions: [],
            dualPlatformCents: 19_000_000,
            dualPlatformFormula: 'FTEs x salary',
          },
        },
      },
    });
    const section = await screen.findByTestId('vm-section');
    expect(section).toHaveTextContent(
      'Running VMs and containers side by side costs $190,000 / year',
    );
    expect(screen.getByTestId('vm-table')).toHaveTextContent('ldap-01from the inventory146yes');
  });
});
