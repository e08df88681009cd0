/**
 * Charts (Recharts). Import them only from lazily loaded screens: Recharts is most of the
 * JavaScript and must stay out of the initial bundle (checked by scripts/check-bundle.mjs).
 */
export {
  lowestPillars,
  lowestPillarSentence,
  MaturityRadar,
  type RadarPillar,
} from './MaturityRadar';
export { taxShares, TaxStackedBar, type TaxComponent, type TaxShare } from './TaxStackedBar';
export { Tornado, tornadoRows, type TornadoBar, type TornadoRow } from './Tornado';
export {
  TrendChart,
  trendLabels,
  trendRows,
  type TrendPoint,
  type TrendSeries,
} from './TrendChart';
export { MoneyBars, moneyBarRows, type MoneyBar } from './MoneyBars';
export { ACCOUNTABILITY_COLOR, MATURITY_COLOR, seriesColor } from './palette';
export { PhaseChart, type PhasePoint } from './PhaseChart';
