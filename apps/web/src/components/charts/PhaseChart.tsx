import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMoney } from '../../format';
import { Money } from '../Money';
import { Plot } from './Plot';
import { AXIS_COLOR, GRID_COLOR, seriesColor } from './palette';

export interface PhasePoint {
  /** The point in words: "Today", "By day 30"... */
  label: string;
  /** A level (0-4) or integer cents a year, as `kind` says. */
  value: number;
}

function valueWords(kind: 'level' | 'money', v: number): string {
  return kind === 'money' ? `${formatMoney(v)} a year` : `level ${Math.round(v)}`;
}

/**
 * One figure: a level (0-4, drawn as steps) or a yearly amount after each phase of a roadmap,
 * with both axes named in words and the numbers in a table beside it.
 */
export function PhaseChart({
  title,
  kind,
  points,
  xLabel,
  yLabel,
  color = seriesColor(0),
  width,
  height = 220,
  testId,
}: {
  title: string;
  kind: 'level' | 'money';
  points: readonly PhasePoint[];
  /** What the horizontal axis counts, in words ("Roadmap phase"). */
  xLabel: string;
  /** What the vertical axis measures, in words ("Maturity level"). */
  yLabel: string;
  color?: string;
  width?: number;
  height?: number;
  testId?: string;
}) {
  const data = points.map((p) => ({ label: p.label, value: p.value }));
  const chart = (
    <LineChart
      data={data}
      margin={{ top: 8, right: 16, bottom: 24, left: 16 }}
      {...(width ? { width, height } : {})}
      accessibilityLayer={false}
    >
      <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" />
      <XAxis
        dataKey="label"
        interval={0}
        tick={{ fill: AXIS_COLOR, fontSize: 11 }}
        label={{
          value: xLabel,
          position: 'insideBottom',
          offset: -16,
          fill: AXIS_COLOR,
          fontSize: 12,
        }}
      />
      {kind === 'level' ? (
        <YAxis
          domain={[0, 4]}
          ticks={[0, 1, 2, 3, 4]}
          allowDecimals={false}
          tickFormatter={(v: number) => `L${v}`}
          tick={{ fill: AXIS_COLOR, fontSize: 11 }}
          width={48}
          label={{
            value: yLabel,
            angle: -90,
            position: 'insideLeft',
            fill: AXIS_COLOR,
            fontSize: 12,
          }}
        />
      ) : (
        <YAxis
          tickFormatter={(v: number) => formatMoney(v, { compact: true })}
          tick={{ fill: AXIS_COLOR, fontSize: 11 }}
          width={72}
          label={{
            value: yLabel,
            angle: -90,
            position: 'insideLeft',
            fill: AXIS_COLOR,
            fontSize: 12,
          }}
        />
      )}
      <Tooltip formatter={(v) => (typeof v === 'number' ? valueWords(kind, v) : String(v))} />
      <Line
        type={kind === 'level' ? 'stepAfter' : 'linear'}
        dataKey="value"
        name={yLabel}
        stroke={color}
        strokeWidth={2}
        dot={{ r: 3 }}
        isAnimationActive={false}
      />
    </LineChart>
  );
  return (
    <figure className="chart phase-chart" data-testid={testId}>
      <figcaption className="chart__title">{title}</figcaption>
      {points.length < 2 ? (
        <p className="muted">Nothing to draw: the roadmap has no phase.</p>
      ) : (
        <Plot height={height} width={width}>
          {chart}
        </Plot>
      )}
      <details className="chart__data">
        <summary>Show the numbers</summary>
        <table className="table table--compact">
          <thead>
            <tr>
              <th scope="col">{xLabel}</th>
              <th scope="col" className="num">
                {yLabel}
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.label}>
                <th scope="row">{p.label}</th>
                <td className="num">
                  {kind === 'money' ? <Money cents={p.value} perYear /> : `Level ${p.value}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
