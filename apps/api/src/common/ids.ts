import { DomainError } from './domain-error.js';

/** Row ids are UUIDs (PostgreSQL `uuid`). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs: anything else cannot exist, so it is a 404, not a database error. */
export function uuidOr404(id: string, what: string): string {
  if (!UUID.test(id)) throw new DomainError('not_found', `${what} not found`);
  return id;
}
