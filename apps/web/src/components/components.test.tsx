import { describe, expect, it } from '@jest/globals';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EvidenceList } from './EvidenceList';
import { FleetTable, sortFleet, type FleetRow } from './FleetTable';
import { LevelBadge } from './LevelBadge';
import { Money } from './Money';

const NOW = new Date('2026-03-10T12:00:00Z');

const row = (name: string, over: Partial<FleetRow> = {}): FleetRow => ({
  id: name,
  name,
  href: `/o/x/clusters/${name}`,
  level: 2,
  lowestPillar: { name: 'Observability', href: `/o/x/clusters/${name}#observability` },
  coverage: { ingress: 80, egress: null, href: `/o/x/clusters/${name}#network-policy` },
  lastScanAt: '2026-03-09T12:00:00Z',
  status: { kind: 'ok', label: 'Analysed' },
  ...over,
});

const ROWS = [
  row('shop-prod-eu', { level: 3, coverage: { ingress: 95, egress: 100 }, production: true }),
  row('legacy-dev', {
    level: 0,
    coverage: { ingress: 40, egress: 0 },
    lastScanAt: '2026-02-01T00:00:00Z',
  }),
  row('new-cluster', {
    level: null,
    coverage: null,
    lastScanAt: null,
    lowestPillar: null,
    status: { kind: 'pending', label: 'Waiting for a scan' },
  }),
  row('ai-platform', {
    level: 1,
    coverage: { ingress: 70, egress: null, href: '/o/x/clusters/ai-platform#network-policy' },
  }),
];

describe('sortFleet', () => {
  it('sorts by a column either way, with missing values always last', () => {
    expect(sortFleet(ROWS, 'level', 'descending').map((r) => r.name)).toEqual([
      'shop-prod-eu',
      'ai-platform',
      'legacy-dev',
      'new-cluster',
    ]);
    expect(sortFleet(ROWS, 'level', 'ascending').map((r) => r.name)).toEqual([
      'legacy-dev',
      'ai-platform',
      'shop-prod-eu',
      'new-cluster',
    ]);
    expect(sortFleet(ROWS, 'coverage', 'descending').map((r) => r.name)).toEqual([
      'shop-prod-eu',
      'ai-platform',
      'legacy-dev',
      'new-cluster',
    ]);
    expect(sortFleet(ROWS, 'lastScanAt', 'ascending').map((r) => r.name)).toEqual([
      'legacy-dev',
      'ai-platform',
      'shop-prod-eu',
      'new-cluster',
    ]);
  });

  it('breaks ties by name', () => {
    const tied = [row('b'), row('a'), row('c')];
    expect(sortFleet(tied, 'level', 'descending').map((r) => r.name)).toEqual(['a', 'b', 'c']);
  });
});

describe('FleetTable', () => {
  it('links every cluster and its lowest pillar, and words missing values', () => {
    render(<FleetTable rows={ROWS} now={NOW} />);
    const shop = screen.getByTestId('fleet-row-shop-prod-eu');
    expect(within(shop).getByRole('link', { name: 'shop-prod-eu' })).toHaveAttribute(
      'href',
      '/o/x/clusters/shop-prod-eu',
    );
    expect(within(shop).getByRole('link', { name: 'Level 3 of 4' })).toBeInTheDocument();
    expect(within(shop).getByRole('link', { name: 'Observability' })).toHaveAttribute(
      'href',
      '/o/x/clusters/shop-prod-eu#observability',
    );
    expect(shop).toHaveTextContent('production');
    expect(shop).toHaveTextContent('ingress 95% · egress 100%');
    const ai = screen.getByTestId('fleet-row-ai-platform');
    expect(within(ai).getByRole('link', { name: 'ingress 70% · egress —' })).toHaveAttribute(
      'href',
      '/o/x/clusters/ai-platform#network-policy',
    );
    expect(shop).toHaveTextContent('yesterday');
    const fresh = screen.getByTestId('fleet-row-new-cluster');
    expect(fresh).toHaveTextContent('never');
    expect(fresh).toHaveTextContent('Waiting for a scan');
    expect(within(fresh).getByText('Level unknown')).toBeInTheDocument();
  });

  it('sorts when a column header is pressed, and says how in aria-sort', async () => {
    const user = userEvent.setup();
    render(<FleetTable rows={ROWS} now={NOW} />);
    const names = () =>
      screen
        .getAllByRole('row')
        .slice(1)
        .map((r) => within(r).getAllByRole('link')[0]!.textContent);
    expect(names()).toEqual(['ai-platform', 'legacy-dev', 'new-cluster', 'shop-prod-eu']);
    expect(screen.getByRole('columnheader', { name: /Cluster/ })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );

    await user.click(screen.getByRole('button', { name: /Level/ }));
    expect(names()).toEqual(['shop-prod-eu', 'ai-platform', 'legacy-dev', 'new-cluster']);
    expect(screen.getByRole('columnheader', { name: /Level/ })).toHaveAttribute(
      'aria-sort',
      'descending',
    );
    expect(screen.getByRole('columnheader', { name: /Cluster/ })).not.toHaveAttribute('aria-sort');

    await user.click(screen.getByRole('button', { name: /Level/ }));
    expect(names()).toEqual(['legacy-dev', 'ai-platform', 'shop-prod-eu', 'new-cluster']);
  });
});

describe('LevelBadge and Money', () => {
  it('says the level in words and clamps it to the scale', () => {
    const { rerender } = render(<LevelBadge level={2} />);
    expect(screen.getByText('Level 2 of 4')).toBeInTheDocument();
    rerender(<LevelBadge level={7} />);
    expect(screen.getByText('Level 4 of 4')).toBeInTheDocument();
    rerender(<LevelBadge level={null} />);
    expect(screen.getByText('Level unknown')).toBeInTheDocument();
  });

  it('shows dollars with the exact amount in the title', () => {
    render(<Money cents={123456789} perYear />);
    const money = screen.getByText('$1,234,568');
    expect(money).toHaveAttribute('title', '$1,234,567.89');
    expect(money).toHaveTextContent('$1,234,568 / year');
  });
});

describe('EvidenceList', () => {
  it('links each item to where it can be checked, with its status in words', () => {
    render(
      <EvidenceList
        title="Evidence"
        items={[
          { id: '1', label: 'NetworkPolicy shop/default-deny', href: '/e/1', status: 'met' },
          {
            id: '2',
            label: '12 of 40 namespaces',
            detail: 'without any policy',
            status: 'not-met',
          },
        ]}
      />,
    );
    expect(screen.getByRole('link', { name: 'NetworkPolicy shop/default-deny' })).toHaveAttribute(
      'href',
      '/e/1',
    );
    const items = screen.getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Met');
    expect(items[1]).toHaveTextContent('Not met12 of 40 namespaceswithout any policy');
  });

  it('says when there is none', () => {
    render(<EvidenceList items={[]} emptyText="Nothing collected." />);
    expect(screen.getByText('Nothing collected.')).toBeInTheDocument();
  });
});
