import { describeIssues } from '@plumbline/contracts';
import type { z } from 'zod';
import { DomainError } from './domain-error.js';

/** Validate a request body against its contract; 422 with the first problems otherwise. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const r = schema.safeParse(body ?? {});
  if (!r.success) {
    throw new DomainError(
      'validation_failed',
      'request body does not match the contract',
      describeIssues(r.error).map((i) => `${i.path}: ${i.message}`),
    );
  }
  return r.data;
}

/** Validate a query string like a body: unknown keys and bad values are a 422 with reasons. */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.output<T> {
  const r = schema.safeParse(query ?? {});
  if (!r.success) {
    throw new DomainError(
      'validation_failed',
      'query string does not match the contract',
      describeIssues(r.error).map((i) => `${i.path}: ${i.message}`),
    );
  }
  return r.data;
}
