import { describe, expect, it } from '@jest/globals';
import { render, screen, within } from '@testing-library/react';
import {
  lowestPillars,
  lowestPillarSentence,
  MaturityRadar,
  type RadarPillar,
} from './MaturityRadar';
import { taxShares, TaxStackedBar } from './TaxStackedBar';
import { Tornado, tornadoRows } from './Tornado';
import { PhaseChart } from './PhaseChart';
import { TrendChart, trendLabels, trendRows } from './TrendChart';
import { formatDate, formatDateTime } from '../../format';

const SIX: RadarPillar[] = [
  { id: 'workload-isolation', name: 'Workload isolation', level: 2, href: '/e/wi' },
  { id: 'observability', name: 'Observability', level: 1, href: '/e/obs' },
  { id: 'multi-cluster', name: 'Multi-cluster', level: 3 },
  { id: 'edge-traffic', name: 'Edge traffic', level: 2 },
  { id: 'resilience', name: 'Resilience', level: 4 },
  { id: 'compliance', name: 'Compliance', level: null },
];

describe('lowest pillar', () => {
  it('is the lowest known level; unknown pillars are not counted', () => {
    expect(lowestPillars(SIX).map((p) => p.id)).toEqual(['observability']);
    expect(lowestPillarSentence(SIX)).toBe('Lowest pillar: Observability (level 1).');
  });

  it('names every pillar tied at the lowest level', () => {
    const tied = SIX.map((p) =>
      p.id === 'edge-traffic' || p.id === 'multi-cluster' ? { ...p, level: 1 } : p,
    );
    expect(lowestPillarSentence(tied)).toBe(
      'Lowest pillars: Observability, Multi-cluster and Edge traffic (level 1).',
    );
  });

  it('says so when nothing could be scored', () => {
    expect(lowestPillarSentence([{ id: 'a', name: 'A', level: null }])).toBe(
      'No pillar could be scored yet.',
    );
    expect(lowestPillarSentence([])).toBe('No pillar could be scored yet.');
  });
});

describe('MaturityRadar', () => {
  it('draws the pillar polygon and calls out the lowest pillar, every pillar a link to its evidence', () => {
    const { container } = render(
      <MaturityRadar
        title="Operational maturity"
        pillars={SIX}
        width={400}
        height={300}
        testId="radar"
      />,
    );
    expect(
      container.querySelector('.recharts-radar-polygon path, .recharts-radar-polygon polygon'),
    ).not.toBeNull();
    expect(screen.getByTestId('radar-lowest')).toHaveTextContent(
      'Lowest pillar: Observability (level 1).',
    );
    const list = screen.getByRole('list', { name: 'Operational maturity: levels by pillar' });
    expect(within(list).getByRole('link', { name: 'Observability' })).toHaveAttribute(
      'href',
      '/e/obs',
    );
    expect(within(list).getAllByRole('listitem')).toHaveLength(6);
    expect(within(list).getByText('Level unknown')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /Observability level 1/ })).toBeDefined();
  });
});

describe('TaxStackedBar', () => {
  const components = [
    { id: 'glue', label: 'Glue code and integration', cents: 30_000_000, href: '/tax#glue' },
    { id: 'incidents', label: 'Incidents across seams', cents: 10_000_000 },
  ];

  it('computes each component’s share of the total', () => {
    const { totalCents, shares } = taxShares(components);
    expect(totalCents).toBe(40_000_000);
    expect(shares.map((s) => s.share)).toEqual([75, 25]);
    expect(taxShares([{ id: 'x', label: 'X', cents: 0 }]).shares[0]!.share).toBe(0);
  });

  it('lists every component with its amount, share and a link, and the total', () => {
    const { container } = render(
      <TaxStackedBar title="Integration tax" components={components} width={600} />,
    );
    expect(screen.getByText('Integration tax', { exact: false })).toBeDefined();
    const glue = screen.getByRole('row', { name: /Glue code and integration/ });
    expect(within(glue).getByRole('link', { name: '$300,000' })).toHaveAttribute(
      'href',
      '/tax#glue',
    );
    expect(glue).toHaveTextContent('75%');
    expect(screen.getByRole('row', { name: /Total/ })).toHaveTextContent('$400,000');
    expect(container.querySelectorAll('.recharts-bar-rectangle').length).toBeGreaterThanOrEqual(2);
  });
});

describe('Tornado', () => {
  const bars = [
    { input: 'engineers', label: 'Engineers', lowCents: 80, highCents: 140 },
    { input: 'salary', label: 'Loaded salary', lowCents: 60, highCents: 180 },
    { input: 'licence', label: 'Licence per tool', lowCents: 95, highCents: 105 },
  ];

  it('puts the widest swing on top, with deltas from the base', () => {
    const rows = tornadoRows(bars, 100);
    expect(rows.map((r) => r.input)).toEqual(['salary', 'engineers', 'licence']);
    expect(rows[0]).toMatchObject({ lowDelta: -40, highDelta: 80, swing: 120 });
    expect(tornadoRows(bars, 100, 2)).toHaveLength(2);
  });

  it('lists the totals at low and high values', () => {
    render(
      <Tornado
        title="Sensitivity"
        baseCents={10_000}
        bars={bars.map((b) => ({ ...b, lowCents: b.lowCents * 100, highCents: b.highCents * 100 }))}
        width={600}
      />,
    );
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('Loaded salary$60$180$120');
  });
});

describe('TrendChart', () => {
  const series = [
    { id: 'maturity', label: 'Maturity score', kind: 'score' as const },
    { id: 'tax', label: 'Integration tax', kind: 'money' as const },
  ];

  it('says a trend needs two points', () => {
    render(
      <TrendChart
        title="Trends"
        series={series}
        points={[{ at: '2026-01-01T00:00:00Z', values: { maturity: 50 } }]}
        width={500}
      />,
    );
    expect(screen.getByText(/Not enough history yet/)).toHaveTextContent('(there is one so far)');
  });

  it('draws a line per series and shows the numbers in time order', () => {
    const { container } = render(
      <TrendChart
        title="Trends"
        series={series}
        width={500}
        points={[
          { at: '2026-02-01T00:00:00Z', values: { maturity: 60, tax: 12_300_000 } },
          { at: '2026-01-01T00:00:00Z', values: { maturity: 50, tax: null } },
        ]}
      />,
    );
    expect(container.querySelectorAll('.recharts-line-curve')).toHaveLength(2);
    const rows = screen.getAllByRole('row').slice(1);
    // Rows carry their time (18.10).
    expect(rows[0]).toHaveTextContent(`${formatDateTime('2026-01-01T00:00:00Z')}50—`);
    expect(rows[1]).toHaveTextContent(`${formatDateTime('2026-02-01T00:00:00Z')}60$123,000`);
  });

  it('never repeats a date label: several points of one day get their time (18.10)', () => {
    const rows = trendRows([
      { at: '2026-03-01T09:00:00Z', values: {} },
      { at: '2026-03-01T15:30:00Z', values: {} },
      { at: '2026-03-02T09:00:00Z', values: {} },
      { at: '2026-03-01T15:30:00.500Z', values: {} },
    ]);
    const labels = trendLabels(rows);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels[3]).toBe(formatDate('2026-03-02T09:00:00Z'));
    expect(labels[0]).toBe(formatDateTime('2026-03-01T09:00:00Z'));
    expect(labels[2]).toBe(`${formatDateTime('2026-03-01T15:30:00Z')} (2)`);
  });

  it('marks a change of method on the trend, in the chart, the list and the table (18.10)', () => {
    const { container } = render(
      <TrendChart
        title="Trends"
        series={series}
        width={500}
        points={[
          { at: '2026-02-01T00:00:00Z', values: { maturity: 60, tax: 10_000_000 } },
          {
            at: '2026-02-08T00:00:00Z',
            values: { maturity: 60, tax: 16_100_000 },
            changes: ['cost assumptions edited: engineers 10 -> 40'],
          },
        ]}
      />,
    );
    expect(screen.getByTestId('trend-changes')).toHaveTextContent(
      `${formatDate('2026-02-08T00:00:00Z')}: cost assumptions edited: engineers 10 -> 40 (a change of method, not of the clusters)`,
    );
    expect(container.querySelectorAll('.recharts-reference-line')).toHaveLength(1);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows[1]).toHaveTextContent('cost assumptions edited: engineers 10 -> 40');
  });
});

describe('PhaseChart', () => {
  const points = [
    { label: 'Today', value: 20_000_000 },
    { label: 'By day 30', value: 19_500_000 },
    { label: 'After 90 days', value: 19_500_000 },
  ];

  it('draws one line with both axes named in words, and the numbers beside it', () => {
    const { container } = render(
      <PhaseChart
        title="Integration tax after each phase"
        kind="money"
        points={points}
        xLabel="Roadmap phase"
        yLabel="Tax per year"
        width={480}
        testId="phase"
      />,
    );
    expect(container.querySelectorAll('.recharts-line-curve')).toHaveLength(1);
    const svgText = [...container.querySelectorAll('svg text')].map((t) => t.textContent);
    expect(svgText).toEqual(expect.arrayContaining(['Roadmap phase', 'Tax per year', 'Today']));
    const rows = within(screen.getByTestId('phase')).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual([
      'Roadmap phaseTax per year',
      'Today$200,000 / year',
      'By day 30$195,000 / year',
      'After 90 days$195,000 / year',
    ]);
  });

  it('says so instead of drawing a single point', () => {
    render(
      <PhaseChart
        title="Maturity level after each phase"
        kind="level"
        points={[{ label: 'Today', value: 1 }]}
        xLabel="Roadmap phase"
        yLabel="Maturity level"
        width={480}
        testId="phase"
      />,
    );
    expect(screen.getByTestId('phase')).toHaveTextContent(
      'Nothing to draw: the roadmap has no phase.',
    );
    expect(screen.getByTestId('phase')).toHaveTextContent('TodayLevel 1');
  });
});
