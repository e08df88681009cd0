import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatDate, formatMoney } from '../../format';
import { AXIS_COLOR, GRID_COLOR, seriesColor } from './palette';

export interface TrendSeries {
  id: string;
  label: string;
  /**
   * score: 0-100 on the left axis; level: 0-4, drawn to the same height as the scores (level 4 at
   * 100); money: integer cents on the right axis.
   */
  kind: 'score' | 'level' | 'money';
}

export interface TrendPoint {
  /** ISO-8601 time of the scan or roll-up. */
  at: string;
  /** Value per series id; null or missing: no value at that time. */
  values: Readonly<Record<string, number | null>>;
}

function formatValue(kind: TrendSeries['kind'], v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (kind === 'money') return formatMoney(v);
  if (kind === 'level') return `level ${Math.round(v)}`;
  return String(Math.round(v));
}

/** Points in time order, for the chart and the table. */
export function trendRows(points: readonly TrendPoint[]): TrendPoint[] {
  return [...points].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** Scores (0-100) and the integration tax over time, with the numbers in a table beside it. */
export function TrendChart({
  title,
  series,
  points,
  width,
  height = 260,
}: {
  title: string;
  series: readonly TrendSeries[];
  points: readonly TrendPoint[];
  width?: number;
  height?: number;
}) {
  const rows = trendRows(points);
  const data = rows.map((p) => ({ at: p.at, ...p.values }));
  const hasMoney = series.some((s) => s.kind === 'money');
  const hasScore = series.some((s) => s.kind === 'score');
  const hasLevel = series.some((s) => s.kind === 'level');
  const chart = (
    <LineChart
      data={data}
      margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
      {...(width ? { width, height } : {})}
      accessibilityLayer={false}
    >
      <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" />
      <XAxis
        dataKey="at"
        tickFormatter={(v: string) => formatDate(v)}
        minTickGap={24}
        tick={{ fill: AXIS_COLOR, fontSize: 11 }}
      />
      {hasScore && (
        <YAxis
          yAxisId="score"
          domain={[0, 100]}
          tick={{ fill: AXIS_COLOR, fontSize: 11 }}
          width={36}
        />
      )}
      {hasLevel && (
        <YAxis
          yAxisId="level"
          orientation={hasScore ? 'right' : 'left'}
          domain={[0, 4]}
          ticks={[0, 1, 2, 3, 4]}
          allowDecimals={false}
          hide={hasScore && hasMoney}
          tickFormatter={(v: number) => `L${v}`}
          tick={{ fill: AXIS_COLOR, fontSize: 11 }}
          width={36}
        />
      )}
      {hasMoney && (
        <YAxis
          yAxisId="money"
          orientation="right"
          tickFormatter={(v: number) => formatMoney(v, { compact: true })}
          tick={{ fill: AXIS_COLOR, fontSize: 11 }}
          width={64}
        />
      )}
      <Tooltip
        labelFormatter={(v) => formatDate(String(v))}
        formatter={(v, name) => {
          const s = series.find((x) => x.label === name);
          return formatValue(s?.kind ?? 'score', typeof v === 'number' ? v : null);
        }}
      />
      <Legend />
      {series.map((s, i) => (
        <Line
          key={s.id}
          type={s.kind === 'level' ? 'stepAfter' : 'monotone'}
          dataKey={s.id}
          name={s.label}
          yAxisId={s.kind}
          stroke={seriesColor(i)}
          strokeWidth={2}
          dot={{ r: 3 }}
          connectNulls
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
  return (
    <figure className="chart trend">
      <figcaption className="chart__title">{title}</figcaption>
      {rows.length < 2 ? (
        <p className="muted">
          Not enough history yet: a trend needs at least two points in time
          {rows.length === 1 ? ' (there is one so far)' : ''}.
        </p>
      ) : (
        <div className="chart__plot" style={{ height }} aria-hidden="true">
          {width ? (
            chart
          ) : (
            <ResponsiveContainer width="100%" height={height}>
              {chart}
            </ResponsiveContainer>
          )}
        </div>
      )}
      {rows.length > 0 && (
        <details className="chart__data">
          <summary>Show the numbers</summary>
          <table className="table table--compact">
            <thead>
              <tr>
                <th scope="col">Date</th>
                {series.map((s) => (
                  <th key={s.id} scope="col" className="num">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.at}>
                  <th scope="row">{formatDate(p.at)}</th>
                  {series.map((s) => (
                    <td key={s.id} className="num">
                      {formatValue(s.kind, p.values[s.id])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </figure>
  );
}
