import { Bar, BarChart, CartesianGrid, XAxis, YAxis } from 'recharts';
import { formatMoney, formatPercent } from '../../format';
import { Money } from '../Money';
import { Plot } from './Plot';
import { AXIS_COLOR, GRID_COLOR, seriesColor } from './palette';

export interface MoneyBar {
  id: string;
  label: string;
  /** Yearly amount in integer cents. */
  cents: number;
  href?: string;
}

/** Bars biggest first (ties by label). */
export function moneyBarRows(bars: readonly MoneyBar[]): MoneyBar[] {
  return [...bars].sort((a, b) => b.cents - a.cents || a.label.localeCompare(b.label));
}

/** Amounts side by side as horizontal bars (the tax per tool), with the numbers in a table. */
export function MoneyBars({
  title,
  bars,
  color = seriesColor(0),
  width,
  testId,
}: {
  title: string;
  bars: readonly MoneyBar[];
  color?: string;
  width?: number;
  testId?: string;
}) {
  const rows = moneyBarRows(bars);
  const total = rows.reduce((sum, r) => sum + r.cents, 0);
  const height = 32 + rows.length * 30;
  const chart = (
    <BarChart
      data={rows}
      layout="vertical"
      margin={{ top: 4, right: 24, bottom: 4, left: 8 }}
      {...(width ? { width, height } : {})}
      accessibilityLayer={false}
    >
      <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" horizontal={false} />
      <XAxis
        type="number"
        tickFormatter={(v: number) => formatMoney(v, { compact: true })}
        tick={{ fill: AXIS_COLOR, fontSize: 11 }}
      />
      <YAxis
        type="category"
        dataKey="label"
        width={140}
        tick={{ fill: AXIS_COLOR, fontSize: 12 }}
        interval={0}
      />
      <Bar dataKey="cents" name={title} fill={color} isAnimationActive={false} />
    </BarChart>
  );
  return (
    <figure className="chart money-bars" data-testid={testId}>
      <figcaption className="chart__title">{title}</figcaption>
      {rows.length === 0 ? (
        <p className="muted">Nothing to show yet.</p>
      ) : (
        <>
          <Plot height={height} width={width}>
            {chart}
          </Plot>
          <details className="chart__data">
            <summary>Show the numbers</summary>
            <table className="table table--compact">
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col" className="num">
                    Per year
                  </th>
                  <th scope="col" className="num">
                    Share
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{r.href ? <a href={r.href}>{r.label}</a> : r.label}</th>
                    <td className="num">
                      <Money cents={r.cents} />
                    </td>
                    <td className="num">
                      {total > 0 ? formatPercent((r.cents / total) * 100) : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </figure>
  );
}
