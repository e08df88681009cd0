import { Bar, BarChart, CartesianGrid, ReferenceLine, XAxis, YAxis } from 'recharts';
import { formatMoney } from '../../format';
import { Money } from '../Money';
import { Plot } from './Plot';
import { AXIS_COLOR, GRID_COLOR } from './palette';

export interface TornadoBar {
  /** The assumption's id. */
  input: string;
  label: string;
  /** Total with the assumption at its low / high value, in cents. */
  lowCents: number;
  highCents: number;
  /** Where the assumption can be edited. */
  href?: string;
}

export interface TornadoRow extends TornadoBar {
  /** Change from the base total at the low / high value (negative: cheaper). */
  lowDelta: number;
  highDelta: number;
  swing: number;
}

/** Bars by swing, widest first (the assumptions that matter most on top); at most `limit`. */
export function tornadoRows(
  bars: readonly TornadoBar[],
  baseCents: number,
  limit = Infinity,
): TornadoRow[] {
  return bars
    .map((b) => ({
      ...b,
      lowDelta: b.lowCents - baseCents,
      highDelta: b.highCents - baseCents,
      swing: Math.abs(b.highCents - b.lowCents),
    }))
    .sort((a, b) => b.swing - a.swing || a.label.localeCompare(b.label))
    .slice(0, limit);
}

const LOW_COLOR = '#0072b2';
const HIGH_COLOR = '#d55e00';

/** Sensitivity of the total to each assumption: how far it moves between low and high. */
export function Tornado({
  title,
  baseCents,
  bars,
  limit = 8,
  width,
}: {
  title: string;
  baseCents: number;
  bars: readonly TornadoBar[];
  limit?: number;
  width?: number;
}) {
  const rows = tornadoRows(bars, baseCents, limit);
  const height = 40 + rows.length * 34;
  const chart = (
    <BarChart
      data={rows}
      layout="vertical"
      stackOffset="sign"
      margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
      {...(width ? { width, height } : {})}
      accessibilityLayer={false}
    >
      <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" horizontal={false} />
      <XAxis
        type="number"
        tickFormatter={(v: number) => `${v > 0 ? '+' : ''}${formatMoney(v, { compact: true })}`}
        tick={{ fill: AXIS_COLOR, fontSize: 11 }}
      />
      <YAxis
        type="category"
        dataKey="label"
        width={180}
        tick={{ fill: AXIS_COLOR, fontSize: 12 }}
      />
      <ReferenceLine x={0} stroke={AXIS_COLOR} />
      <Bar
        dataKey="lowDelta"
        name="Low value"
        stackId="s"
        fill={LOW_COLOR}
        isAnimationActive={false}
      />
      <Bar
        dataKey="highDelta"
        name="High value"
        stackId="s"
        fill={HIGH_COLOR}
        isAnimationActive={false}
      />
    </BarChart>
  );
  return (
    <figure className="chart tornado">
      <figcaption className="chart__title">
        {title} (base <Money cents={baseCents} perYear />)
      </figcaption>
      {rows.length === 0 ? (
        <p className="muted">No sensitivity to show.</p>
      ) : (
        <>
          <Plot height={height} width={width}>
            {chart}
          </Plot>
          <table className="table table--compact">
            <thead>
              <tr>
                <th scope="col">Assumption</th>
                <th scope="col" className="num">
                  Total at low
                </th>
                <th scope="col" className="num">
                  Total at high
                </th>
                <th scope="col" className="num">
                  Swing
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.input}>
                  <th scope="row">{r.href ? <a href={r.href}>{r.label}</a> : r.label}</th>
                  <td className="num">
                    <Money cents={r.lowCents} />
                  </td>
                  <td className="num">
                    <Money cents={r.highCents} />
                  </td>
                  <td className="num">
                    <Money cents={r.swing} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </figure>
  );
}
