import { Bar, BarChart, XAxis, YAxis } from 'recharts';
import { formatMoney, formatPercent } from '../../format';
import { Money } from '../Money';
import { Plot } from './Plot';
import { AXIS_COLOR, seriesColor } from './palette';

export interface TaxComponent {
  id: string;
  label: string;
  /** Yearly cost in integer cents. */
  cents: number;
  /** Where the formula, its inputs and sources are shown. */
  href?: string;
}

export interface TaxShare extends TaxComponent {
  /** Share of the total, 0-100. */
  share: number;
  color: string;
}

/** Each component's share of the total (0 when the total is 0), with its chart colour. */
export function taxShares(components: readonly TaxComponent[]): {
  totalCents: number;
  shares: TaxShare[];
} {
  const totalCents = components.reduce((sum, c) => sum + c.cents, 0);
  return {
    totalCents,
    shares: components.map((c, i) => ({
      ...c,
      share: totalCents > 0 ? (c.cents / totalCents) * 100 : 0,
      color: seriesColor(i),
    })),
  };
}

/** The integration tax per year as one stacked bar of its components, with the amounts listed. */
export function TaxStackedBar({
  title,
  components,
  width,
  height = 96,
}: {
  title: string;
  components: readonly TaxComponent[];
  width?: number;
  height?: number;
}) {
  const { totalCents, shares } = taxShares(components);
  const row: Record<string, number | string> = { name: title };
  for (const s of shares) row[s.id] = s.cents;
  const chart = (
    <BarChart
      data={[row]}
      layout="vertical"
      stackOffset="none"
      margin={{ top: 4, right: 16, bottom: 4, left: 16 }}
      {...(width ? { width, height } : {})}
      accessibilityLayer={false}
    >
      <XAxis
        type="number"
        domain={[0, Math.max(totalCents, 1)]}
        tickFormatter={(v: number) => formatMoney(v, { compact: true })}
        tick={{ fill: AXIS_COLOR, fontSize: 11 }}
      />
      <YAxis type="category" dataKey="name" hide />
      {shares.map((s) => (
        <Bar
          key={s.id}
          dataKey={s.id}
          name={s.label}
          stackId="tax"
          fill={s.color}
          isAnimationActive={false}
        />
      ))}
    </BarChart>
  );
  return (
    <figure className="chart tax-bar">
      <figcaption className="chart__title">
        {title}: <Money cents={totalCents} perYear />
      </figcaption>
      {totalCents > 0 && (
        <Plot
          height={height}
          width={width}
          label={`${title}, ${formatMoney(totalCents)} per year: ${shares
            .map((s) => `${s.label} ${formatMoney(s.cents)}`)
            .join(', ')}`}
        >
          {chart}
        </Plot>
      )}
      <table className="table table--compact legend-table">
        <thead>
          <tr>
            <th scope="col">Component</th>
            <th scope="col" className="num">
              Per year
            </th>
            <th scope="col" className="num">
              Share
            </th>
          </tr>
        </thead>
        <tbody>
          {shares.map((s) => (
            <tr key={s.id}>
              <th scope="row">
                <span className="swatch" style={{ background: s.color }} aria-hidden="true" />
                {s.href ? <a href={s.href}>{s.label}</a> : s.label}
              </th>
              <td className="num">
                {s.href ? (
                  <a href={s.href}>
                    <Money cents={s.cents} />
                  </a>
                ) : (
                  <Money cents={s.cents} />
                )}
              </td>
              <td className="num">{formatPercent(s.share)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className="num">
              <Money cents={totalCents} />
            </td>
            <td className="num">{totalCents > 0 ? '100%' : '—'}</td>
          </tr>
        </tfoot>
      </table>
    </figure>
  );
}
