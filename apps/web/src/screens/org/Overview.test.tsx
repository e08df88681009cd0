import { beforeAll, describe, expect, it } from '@jest/globals';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ME, ORG_ID } from '../../../test/fake-api';
import { C1, C2, EMPTY_OVERVIEW, FINDING, HISTORY, OVERVIEW } from '../../../test/read-fixtures';
import { currentPath, renderApp } from '../../../test/render-app';
import { mapLimit, pillarLevelIn, sortByLevel } from './MaturityPillar';
import { actionEffect, fleetRows } from './Overview';

// The screens load lazily (with Recharts): load them once up front, so no test waits for it.
beforeAll(async () => {
  await import('./Overview');
  await import('./MaturityPillar');
});

const org = (p: string) => `/v1/orgs/${ORG_ID}${p}`;
const o = (p: string) => `/o/${ORG_ID}${p}`;

describe('the overview', () => {
  it('draws both radars and calls out each one’s lowest pillar in words', async () => {
    renderApp(o('/overview'), {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/overview')}`]: { status: 200, body: OVERVIEW },
    });
    const maturity = await screen.findByTestId('maturity-radar');
    expect(screen.getByTestId('maturity-radar-lowest')).toHaveTextContent(
      'Lowest pillars: Observability & troubleshooting and Edge traffic (level 1).',
    );
    expect(screen.getByTestId('accountability-radar-lowest')).toHaveTextContent(
      'Lowest pillar: Authorization provenance (level 0).',
    );
    expect(screen.getByTestId('overview-lowest')).toHaveTextContent(
      'The organisation is at operational maturity level 1, held there by Observability & troubleshooting and Edge traffic.',
    );
    // Six maturity pillars and five accountability pillars, each a link to its evidence.
    const mList = within(maturity).getByRole('list', { name: /levels by pillar/ });
    expect(within(mList).getAllByRole('link')).toHaveLength(6);
    expect(within(mList).getByRole('link', { name: 'Edge traffic' })).toHaveAttribute(
      'href',
      o('/overview/pillars/edge-traffic'),
    );
    const aList = within(screen.getByTestId('accountability-radar')).getByRole('list');
    expect(within(aList).getAllByRole('link')).toHaveLength(5);
    expect(within(aList).getByRole('link', { name: 'Traceability' })).toHaveAttribute(
      'href',
      o('/agents/pillars/traceability'),
    );
  });

  it('links every number to where it comes from', async () => {
    renderApp(o('/overview'), {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/overview')}`]: { status: 200, body: OVERVIEW },
    });
    const tax = await screen.findByTestId('tax-panel');
    expect(screen.getByTestId('tax-hides')).toHaveTextContent(
      'Where it hides: 75% of it is glue work. It comes from 6 tools and 12 seams between them.',
    );
    expect(within(tax).getByTestId('overview-tax')).toHaveAttribute('href', o('/tax'));
    expect(within(tax).getByRole('link', { name: '$300,000' })).toHaveAttribute(
      'href',
      o('/tax/lines/glue'),
    );
    const row = screen.getByTestId('fleet-row-shop-prod-eu');
    expect(within(row).getByRole('link', { name: 'Level 1 of 4' })).toHaveAttribute(
      'href',
      o(`/clusters/${C1}#maturity`),
    );
    expect(
      within(row).getByRole('link', { name: 'Observability & troubleshooting (level 1)' }),
    ).toHaveAttribute('href', o(`/clusters/${C1}#pillar-observability`));
    expect(within(row).getByRole('link', { name: 'ingress 82% · egress 100%' })).toHaveAttribute(
      'href',
      o(`/clusters/${C1}#network-policy`),
    );
    expect(screen.getByTestId('fleet-row-fresh-dev')).toHaveTextContent('Waiting for a scan');
    const actions = screen.getByTestId('top-actions');
    expect(actions).toHaveTextContent('Observability & troubleshooting: level 1 → 2');
    // Effect and severity are columns (18.8).
    expect(
      within(actions)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['#', 'Action', 'Effect', 'Severity']);
    expect(within(actions).getByRole('link', { name: 'shop-prod-eu' })).toHaveAttribute(
      'href',
      o(`/clusters/${C1}/findings/${encodeURIComponent(FINDING.id)}`),
    );
  });

  it('keeps the empty state for an organisation without clusters', async () => {
    renderApp(o('/overview'), {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/overview')}`]: { status: 200, body: EMPTY_OVERVIEW },
    });
    expect(await screen.findByTestId('empty-overview')).toHaveTextContent(
      'No clusters yet: install the scanner like this.',
    );
  });

  it('says when the last roll-up failed, and which evidence uploads were left out', async () => {
    renderApp(o('/overview'), {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/overview')}`]: {
        status: 200,
        body: {
          ...OVERVIEW,
          rollup: {
            status: 'failed',
            error: 'the database went away',
            failedAt: OVERVIEW.computedAt,
            skippedEvidence: [{ id: 'e1', filename: 'mcp.json', reason: 'unreadable' }],
          },
        },
      },
    });
    expect(await screen.findByTestId('rollup-failed')).toHaveTextContent(
      /failed.*: the database went away\. The figures shown are from the last update that succeeded\./,
    );
    expect(screen.getByTestId('rollup-skipped-evidence')).toHaveTextContent(
      'Left out because they could not be read: mcp.json (unreadable).',
    );
    expect(screen.getByTestId('maturity-radar')).toBeInTheDocument();
  });

  it('shows no roll-up notice when the roll-up is current', async () => {
    renderApp(o('/overview'), {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/overview')}`]: {
        status: 200,
        body: {
          ...OVERVIEW,
          rollup: { status: 'ok', error: null, failedAt: null, skippedEvidence: [] },
        },
      },
    });
    expect(await screen.findByTestId('maturity-radar')).toBeInTheDocument();
    expect(screen.queryByTestId('rollup-failed')).toBeNull();
    expect(screen.queryByTestId('rollup-skipped-evidence')).toBeNull();
  });

  it('says in words when the overview cannot be loaded, and tries again', async () => {
    let fail = true;
    renderApp(o('/overview'), {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/overview')}`]: () =>
        fail
          ? {
              status: 503,
              body: { error: { code: 'unavailable', message: 'the database is not reachable' } },
            }
          : { status: 200, body: OVERVIEW },
    });
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not load the overview.The database is not reachable.',
    );
    fail = false;
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByTestId('maturity-radar')).toBeInTheDocument();
  });

  it('words an action’s effect', () => {
    expect(actionEffect(OVERVIEW.topActions[0]!)).toBe(
      'Observability & troubleshooting: level 1 → 2; organisation level 1 → 2',
    );
    expect(
      actionEffect({
        ...OVERVIEW.topActions[0]!,
        domain: 'cost',
        pillar: null,
        pillarName: null,
        effect: { level: null, pillar: null, savesCentsPerYear: 1_200_000 },
      }),
    ).toBe('saves $12,000 a year');
    expect(fleetRows(ORG_ID, OVERVIEW)[1]).toMatchObject({
      name: 'fresh-dev',
      level: null,
      coverage: null,
      lowestPillar: null,
    });
  });
});

describe('a maturity pillar across the fleet', () => {
  it('reads each cluster’s level from its newest analysed scan, lowest first', async () => {
    expect(pillarLevelIn(HISTORY, 'resilience')).toEqual({
      level: 3,
      collectedAt: '2026-03-10T09:59:00Z',
    });
    expect(pillarLevelIn([HISTORY[0]!], 'resilience')).toEqual({ level: null, collectedAt: null });
    const rows = sortByLevel([
      { clusterId: 'a', clusterName: 'b', production: false, level: 2, collectedAt: null },
      { clusterId: 'b', clusterName: 'a', production: false, level: null, collectedAt: null },
      { clusterId: 'c', clusterName: 'c', production: false, level: 0, collectedAt: null },
    ]);
    expect(rows.map((r) => r.clusterId)).toEqual(['c', 'a', 'b']);
    let running = 0;
    let most = 0;
    const out = await mapLimit([1, 2, 3, 4, 5], 2, async (n) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 1));
      running -= 1;
      return n * 10;
    });
    expect(out).toEqual([10, 20, 30, 40, 50]);
    expect(most).toBe(2);
  });

  it('names the clusters that hold the organisation’s level, each linking to its criteria', async () => {
    renderApp(o('/overview/pillars/resilience'), {
      'GET /v1/me': { status: 200, body: ME },
      [`GET ${org('/overview')}`]: { status: 200, body: OVERVIEW },
      [`GET ${org(`/clusters/${C1}/history`)}`]: {
        status: 200,
        body: { items: HISTORY, nextCursor: null },
      },
      [`GET ${org(`/clusters/${C2}/history`)}`]: {
        status: 200,
        body: { items: [], nextCursor: null },
      },
    });
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Resilience & recovery' }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('pillar-holding')).toHaveTextContent(
      'The organisation’s level on this pillar is its lowest cluster’s: shop-prod-eu (level 3).',
    );
    const table = screen.getByTestId('pillar-clusters');
    expect(within(table).getByRole('link', { name: /Level 3 of 4/ })).toHaveAttribute(
      'href',
      o(`/clusters/${C1}#pillar-resilience`),
    );
    expect(within(table).getAllByRole('row')[2]).toHaveTextContent(
      'fresh-devLevel unknown in fresh-dev: see the criterianone yet',
    );
    await userEvent.setup().click(within(table).getByRole('link', { name: 'shop-prod-eu' }));
    expect(currentPath()).toBe(o(`/clusters/${C1}`));
  });
});
