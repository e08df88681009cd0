import { BoundedCache } from '@plumbline/read-models';

/**
 * How often an organisation's debounced roll-up may run, from how long its last one took.
 *
 * The roll-up is debounced in fixed windows (rollupJobOptions): every request made inside one
 * window shares one job. With a fixed window of a second, a fleet that keeps uploading for N
 * seconds gets about N roll-ups, and a large organisation's roll-up is not cheap (500 clusters:
 * seconds of work for a worker and for PostgreSQL, which stores the views). Roll-ups then took
 * the workers' time from the analyses and made the ingest last longer, which made more roll-ups.
 *
 * So the window widens with the cost: at least PACE_FACTOR times the last roll-up's duration,
 * rounded up to the base window times a power of two (requests from processes whose
 * measurements differ a little still land in the same window), at most MAX_WINDOW_MS. A roll-up
 * then takes at most about 1/PACE_FACTOR of the time, and an organisation whose roll-up is quick
 * keeps the base window. Each process keeps what it measured (a worker that has not rolled the
 * organisation up yet uses the base window): a guide for batching, never a condition for
 * correctness, since every roll-up reads every digest stored before it starts.
 */
export const ROLLUP_PACE_FACTOR = 4;
/** Widest window the pace may choose (a fleet view is at most this late while uploads continue). */
export const ROLLUP_MAX_WINDOW_MS = 32_000;

export class RollupPace {
  /** Last roll-up duration (ms) by organisation; the least recently measured go first. */
  private readonly lastMs: BoundedCache<number>;

  constructor(maxOrganizations = 10_000) {
    this.lastMs = new BoundedCache<number>(maxOrganizations);
  }

  /** A roll-up of the organisation took `ms`. */
  record(organizationId: string, ms: number): void {
    this.lastMs.set(organizationId, Math.max(0, ms));
  }

  /** The debounce window for the organisation's next roll-up, from the base window. */
  windowMs(organizationId: string, baseMs: number): number {
    const last = this.lastMs.get(organizationId);
    if (baseMs <= 0 || last === undefined) return baseMs;
    const wanted = Math.min(ROLLUP_MAX_WINDOW_MS, last * ROLLUP_PACE_FACTOR);
    let window = baseMs;
    while (window < wanted && window * 2 <= ROLLUP_MAX_WINDOW_MS) window *= 2;
    return window;
  }
}
