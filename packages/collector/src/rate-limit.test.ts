import { backoffDelay, DEFAULT_RETRY, parseRetryAfter, TokenBucket } from './rate-limit.js';

function fakeClock() {
  let t = 0;
  const waits: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
    waits,
    advance: (ms: number) => (t += ms),
  };
}

describe('TokenBucket', () => {
  it('lets a burst through, then paces requests at the QPS', async () => {
    const c = fakeClock();
    const bucket = new TokenBucket(10, 3, c.now, c.sleep);
    for (let i = 0; i < 3; i++) await bucket.take();
    expect(c.waits).toEqual([]);
    await bucket.take();
    await bucket.take();
    expect(c.waits).toEqual([100, 100]);
    c.advance(1000); // idle for a second: the bucket refills to its burst, not beyond
    for (let i = 0; i < 3; i++) await bucket.take();
    expect(c.waits).toHaveLength(2);
    await bucket.take();
    expect(c.waits).toEqual([100, 100, 100]);
  });

  it('qps 0 means unlimited; bad settings are refused', async () => {
    const c = fakeClock();
    const bucket = new TokenBucket(0, 1, c.now, c.sleep);
    for (let i = 0; i < 100; i++) await bucket.take();
    expect(c.waits).toEqual([]);
    expect(() => new TokenBucket(-1, 1)).toThrow(RangeError);
    expect(() => new TokenBucket(5, 0)).toThrow(RangeError);
  });
});

describe('backoff', () => {
  it('doubles from the base, with jitter between half and all of it, capped', () => {
    const p = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4].map((a) => backoffDelay(p, a, null, () => 0))).toEqual([
      50, 100, 200, 400, 500,
    ]);
    expect([0, 1, 2, 3, 4].map((a) => backoffDelay(p, a, null, () => 1))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
  });

  it('waits at least what the server asked for (Retry-After), within the cap', () => {
    expect(backoffDelay(DEFAULT_RETRY, 0, 3, () => 0)).toBe(3000);
    expect(backoffDelay(DEFAULT_RETRY, 0, 3600, () => 0)).toBe(DEFAULT_RETRY.maxDelayMs);
    expect(parseRetryAfter('7', 0)).toBe(7);
    expect(parseRetryAfter(undefined, 0)).toBeNull();
    expect(parseRetryAfter('soon', 0)).toBeNull();
    expect(parseRetryAfter(new Date(5000).toUTCString(), 0)).toBe(5);
  });
});
