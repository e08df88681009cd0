/**
 * Chart colours: distinguishable for common colour-vision deficiencies (Okabe-Ito based) and
 * readable on the light and dark surfaces. Charts never rely on colour alone: every chart has
 * its numbers in words beside it.
 */
export const SERIES_COLORS = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#8a8a00',
  '#6a3d9a',
] as const;

export function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length]!;
}

export const AXIS_COLOR = '#6b7385';
export const GRID_COLOR = '#c9cfda';

/** The two assessments keep their colour on every screen. */
export const MATURITY_COLOR = '#0072b2';
export const ACCOUNTABILITY_COLOR = '#b8458f';
