import { ROLLUP_MAX_WINDOW_MS, RollupPace } from './rollup-pace.js';

describe('RollupPace: the roll-up window widens with what the last roll-up cost', () => {
  it('keeps the base window until this process has measured a roll-up of the organisation', () => {
    const pace = new RollupPace();
    expect(pace.windowMs('org-a', 1000)).toBe(1000);
    pace.record('org-a', 5000);
    expect(pace.windowMs('org-b', 1000)).toBe(1000);
  });

  it('a quick roll-up keeps the base window; a slow one gets the base times a power of two', () => {
    const pace = new RollupPace();
    const cases: [number, number][] = [
      [0, 1000],
      [100, 1000],
      [250, 1000], // 4 x 250 = 1000: the base is enough
      [251, 2000],
      [600, 4000], // 2.4 s wanted
      [1000, 4000],
      [1001, 8000],
      [3000, 16000],
      [5000, ROLLUP_MAX_WINDOW_MS],
      [60_000, ROLLUP_MAX_WINDOW_MS],
    ];
    for (const [lastMs, window] of cases) {
      pace.record('org', lastMs);
      expect([lastMs, pace.windowMs('org', 1000)]).toEqual([lastMs, window]);
    }
    // Close measurements land in one window: requests from two processes share a job.
    pace.record('a', 1300);
    pace.record('b', 1900);
    expect(pace.windowMs('a', 1000)).toBe(pace.windowMs('b', 1000));
  });

  it('follows the latest measurement, down as well as up', () => {
    const pace = new RollupPace();
    pace.record('org', 4000);
    expect(pace.windowMs('org', 1000)).toBe(16000);
    pace.record('org', 50);
    expect(pace.windowMs('org', 1000)).toBe(1000);
  });

  it('leaves a window of 0 (no debounce) and a base wider than the cap as they are', () => {
    const pace = new RollupPace();
    pace.record('org', 10_000);
    expect(pace.windowMs('org', 0)).toBe(0);
    expect(pace.windowMs('org', 60_000)).toBe(60_000);
    expect(pace.windowMs('org', 500)).toBe(ROLLUP_MAX_WINDOW_MS);
  });

  it('remembers a bounded number of organisations, dropping the least recently measured', () => {
    const pace = new RollupPace(2);
    pace.record('a', 5000);
    pace.record('b', 5000);
    pace.record('a', 5000); // a is measured again: b is now the oldest
    pace.record('c', 5000);
    expect(pace.windowMs('a', 1000)).toBe(ROLLUP_MAX_WINDOW_MS);
    expect(pace.windowMs('b', 1000)).toBe(1000);
    expect(pace.windowMs('c', 1000)).toBe(ROLLUP_MAX_WINDOW_MS);
  });
});
