/**
 * Client-side rate limiting (a token bucket, like client-go's QPS/burst) and retry backoff.
 * The clock and sleep are injectable so tests can check the arithmetic without waiting.
 */

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class TokenBucket {
  private tokens: number;
  private last: number;

  /**
   * @param qps  steady requests per second (0 or Infinity: unlimited)
   * @param burst requests allowed at once before the steady rate applies
   */
  constructor(
    private readonly qps: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: Sleep = realSleep,
  ) {
    if (!(qps >= 0)) throw new RangeError('qps must be 0 (unlimited) or positive');
    if (!(burst >= 1)) throw new RangeError('burst must be at least 1');
    this.tokens = burst;
    this.last = now();
  }

  /** Wait until a request may be sent, then take its token. */
  async take(): Promise<void> {
    if (this.qps === 0 || this.qps === Infinity) return;
    for (;;) {
      const t = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.qps);
      this.last = t;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) / this.qps) * 1000));
    }
  }
}

export interface RetryPolicy {
  /** Retries after the first attempt (default 5). */
  maxRetries: number;
  /** First backoff (default 250 ms), doubled at each retry. */
  baseDelayMs: number;
  /** Longest backoff (default 10 s); also caps the server's Retry-After. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 5, baseDelayMs: 250, maxDelayMs: 10_000 };

/**
 * Delay before retry number `attempt` (0-based): exponential with "equal jitter" (half fixed,
 * half random), never less than the server's Retry-After, never more than maxDelayMs.
 */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterSeconds: number | null,
  random: () => number = Math.random,
): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jittered = exp / 2 + (exp / 2) * random();
  const server = retryAfterSeconds !== null ? retryAfterSeconds * 1000 : 0;
  return Math.min(policy.maxDelayMs, Math.max(jittered, server));
}

/** Retry-After as seconds (integer or HTTP date forms); null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, (at - nowMs) / 1000);
}
