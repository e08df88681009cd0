import type { Response } from 'express';
import { DomainError } from '../common/domain-error.js';
import { RateLimitedError } from './auth.service.js';

/**
 * Run a rate-limited route: a 429 (`RateLimitedError`) gets its seconds to wait as Retry-After,
 * a 503 (`unavailable`: Redis down) Retry-After 5. Used by sign-in, single sign-on and the
 * two-factor routes.
 */
export async function withRetryAfter<T>(res: Response, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof RateLimitedError) res.setHeader('Retry-After', String(e.retryAfterSeconds));
    else if (e instanceof DomainError && e.code === 'unavailable')
      res.setHeader('Retry-After', '5');
    throw e;
  }
}
