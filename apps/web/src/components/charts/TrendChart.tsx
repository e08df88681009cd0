import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatDate, formatDateTime, formatMoney } from '../../format';
import { Plot } from './Plot';
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
  /** What changed in the method at this point (assumptions edited, new methodology). */
  changes?: readonly string[];
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

/**
 * One axis label per point, never the same twice: the date alone when it is the only point of
 * that day, the date and time when a day has several, and a counter beyond that.
 */
export function trendLabels(rows: readonly TrendPoint[]): string[] {
  const perDay = new Map<string, number>();
  for (const r of rows) perDay.set(formatDate(r.at), (perDay.get(formatDate(r.at)) ?? 0) + 1);
  const seen = new Map<string, number>();
  return rows.map((r) => {
    const base = (perDay.get(formatDate(r.at)) ?? 0) > 1 ? formatDateTime(r.at) : formatDate(r.at);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n > 1 ? `${base} (${n})` : base;
  });
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
  const labels = trendLabels(rows);
  const data = rows.map((p, i) => ({ at: p.at, label: labels[i]!, ...p.values }));
  const marked = rows
    .map((p, i) => ({ label: labels[i]!, changes: p.changes ?? [] }))
    .filter((m) => m.changes.length > 0);
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
      <XAxis dataKey="label" minTickGap={24} tick={{ fill: AXIS_COLOR, fontSize: 11 }} />
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
      {marked.map((m) => (
        <ReferenceLine
          key={m.label}
          x={m.label}
          yAxisId={series[0]?.kind ?? 'score'}
          stroke={AXIS_COLOR}
          strokeDasharray="4 3"
          label={{
            value: 'method changed',
            position: 'insideTopRight',
            fontSize: 10,
            fill: AXIS_COLOR,
          }}
        />
      ))}
      <Tooltip
        labelFormatter={(v) => String(v)}
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
        <Plot height={height} width={width}>
          {chart}
        </Plot>
      )}
      {marked.length > 0 && (
        <ul className="chart__changes" data-testid="trend-changes">
          {marked.map((m) => (
            <li key={m.label}>
              <span className="chart__change-at">{m.label}:</span> {m.changes.join('; ')} (a change
              of method, not of the clusters)
            </li>
          ))}
        </ul>
      )}
      {rows.length > 0 && (
        <details className="chart__data">
          <summary>Show the numbers</summary>
          <table className="table table--compact">
            <thead>
              <tr>
                <th scope="col">When</th>
                {series.map((s) => (
                  <th key={s.id} scope="col" className="num">
                    {s.label}
                  </th>
                ))}
                {marked.length > 0 && <th scope="col">Method changed</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.at}>
                  <th scope="row">{formatDateTime(p.at)}</th>
                  {series.map((s) => (
                    <td key={s.id} className="num">
                      {formatValue(s.kind, p.values[s.id])}
                    </td>
                  ))}
                  {marked.length > 0 && <td>{(p.changes ?? []).join('; ')}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </figure>
  );
}
