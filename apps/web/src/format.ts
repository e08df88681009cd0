/** Display formatting shared by every screen and by the PDF report later. Locale: en-US. */

const WHOLE_DOLLARS = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});
const WITH_CENTS = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const COMPACT = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  maximumFractionDigits: 1,
});

export interface MoneyFormat {
  /** `$1.2M` instead of `$1,234,567` (chart axes, tight tables). */
  compact?: boolean;
  /** Show cents (`$12.34`); by default amounts are rounded to whole dollars. */
  cents?: boolean;
}

/** Integer cents to dollars: 123456789 -> "$1,234,568"; negative amounts keep their sign. */
export function formatMoney(cents: number, opts: MoneyFormat = {}): string {
  if (!Number.isFinite(cents)) return '—';
  const dollars = cents / 100;
  if (opts.compact) return COMPACT.format(dollars);
  if (opts.cents) return WITH_CENTS.format(dollars);
  // Avoid "-$0" for tiny negative amounts that round to zero.
  const rounded = Math.round(dollars);
  return WHOLE_DOLLARS.format(Object.is(rounded, -0) ? 0 : rounded);
}

/** 0-100 (or more) with no decimals: 87.4 -> "87%". */
export function formatPercent(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value)}%` : '—';
}

const DATE = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });
const DATE_TIME = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

function parse(iso: string | Date): Date | null {
  const d = iso instanceof Date ? iso : new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "Mar 4, 2026". */
export function formatDate(iso: string | Date): string {
  const d = parse(iso);
  return d ? DATE.format(d) : '—';
}

/** "Mar 4, 2026, 3:17 PM". */
export function formatDateTime(iso: string | Date): string {
  const d = parse(iso);
  return d ? DATE_TIME.format(d) : '—';
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];
const RELATIVE = new Intl.RelativeTimeFormat('en-US', { numeric: 'auto' });

/** "3 days ago", "in 2 weeks", "just now", relative to `now`. */
export function formatRelative(iso: string | Date, now: Date): string {
  const d = parse(iso);
  if (!d) return '—';
  const diff = d.getTime() - now.getTime();
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return RELATIVE.format(Math.round(diff / ms), unit);
  }
  return 'just now';
}
