import { PolarAngleAxis, PolarGrid, PolarRadiusAxis, Radar, RadarChart } from 'recharts';
import { LevelBadge } from '../LevelBadge';
import { Plot } from './Plot';
import { AXIS_COLOR, GRID_COLOR } from './palette';

export interface RadarPillar {
  id: string;
  name: string;
  /** 0-4; null when the pillar could not be scored. */
  level: number | null;
  /** Where the pillar's criteria and evidence are shown. */
  href?: string;
}

/** The pillar(s) at the lowest known level: the organisation's level is held there. */
export function lowestPillars(pillars: readonly RadarPillar[]): RadarPillar[] {
  const known = pillars.filter((p): p is RadarPillar & { level: number } => p.level !== null);
  if (!known.length) return [];
  const min = Math.min(...known.map((p) => p.level));
  return known.filter((p) => p.level === min);
}

function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** "Lowest pillar: Observability (level 1)." — the sentence under a radar. */
export function lowestPillarSentence(pillars: readonly RadarPillar[]): string {
  const lowest = lowestPillars(pillars);
  if (!lowest.length) return 'No pillar could be scored yet.';
  const names = joinNames(lowest.map((p) => p.name));
  const plural = lowest.length > 1;
  return `Lowest pillar${plural ? 's' : ''}: ${names} (level ${lowest[0]!.level}).`;
}

/**
 * A radar of pillar levels 0-4 (six maturity pillars or five accountability pillars), with the
 * lowest pillar called out in words and every pillar listed with its level as a link.
 */
export function MaturityRadar({
  title,
  pillars,
  maxLevel = 4,
  color = '#0072b2',
  width,
  height = 300,
  testId,
}: {
  title: string;
  pillars: readonly RadarPillar[];
  maxLevel?: number;
  color?: string;
  /** Fixed width in pixels; by default the chart fills its container. */
  width?: number;
  height?: number;
  testId?: string;
}) {
  const data = pillars.map((p) => ({ name: p.name, level: p.level ?? 0 }));
  const lowestIds = new Set(lowestPillars(pillars).map((p) => p.id));
  const chart = (
    <RadarChart
      data={data}
      outerRadius="62%"
      {...(width ? { width, height } : {})}
      accessibilityLayer={false}
    >
      <PolarGrid stroke={GRID_COLOR} />
      {/* width: long pillar names wrap instead of running out of the chart */}
      <PolarAngleAxis dataKey="name" tick={{ fill: AXIS_COLOR, fontSize: 12, width: 104 }} />
      <PolarRadiusAxis
        domain={[0, maxLevel]}
        tickCount={maxLevel + 1}
        angle={90 - 180 / Math.max(pillars.length, 1)}
        tick={{ fill: AXIS_COLOR, fontSize: 10 }}
        axisLine={false}
      />
      <Radar
        dataKey="level"
        name={title}
        stroke={color}
        fill={color}
        fillOpacity={0.3}
        isAnimationActive={false}
      />
    </RadarChart>
  );
  return (
    <figure className="chart radar" data-testid={testId}>
      <figcaption className="chart__title">{title}</figcaption>
      <Plot
        height={height}
        width={width}
        label={`${title}: ${pillars.map((p) => `${p.name} level ${p.level ?? 'unknown'}`).join(', ')}`}
      >
        {chart}
      </Plot>
      <p className="radar__lowest" data-testid={testId ? `${testId}-lowest` : undefined}>
        {lowestPillarSentence(pillars)}
      </p>
      <ul className="radar__pillars" aria-label={`${title}: levels by pillar`}>
        {pillars.map((p) => (
          <li key={p.id} className={lowestIds.has(p.id) ? 'radar__pillar--lowest' : undefined}>
            {p.href ? <a href={p.href}>{p.name}</a> : <span>{p.name}</span>}
            <LevelBadge level={p.level} max={maxLevel} short />
          </li>
        ))}
      </ul>
    </figure>
  );
}
