import { Prisma } from './generated/prisma/client.js';

/** Prisma codes for a database that cannot be reached or is not accepting work right now. */
const PRISMA_UNAVAILABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** Socket errors and PostgreSQL SQLSTATEs of the same kind (admin shutdown, cannot connect now). */
const DRIVER_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
const MESSAGE_UNAVAILABLE =
  /ECONNREFUSED|Connection terminated|timeout exceeded when trying to connect|Can't reach database server|connection (?:is )?closed|DatabaseNotReachable|Server has closed the connection/i;

/**
 * True when `e` (or an error it wraps) says the database is unreachable rather than that the
 * query was wrong: the API answers 503 with Retry-After instead of 500. Its message is logged,
 * never shown (it names hosts and ports).
 */
export function isDatabaseUnavailable(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 4) return false;
  if (e instanceof Prisma.PrismaClientInitializationError) return true;
  if (e instanceof Prisma.PrismaClientKnownRequestError && PRISMA_UNAVAILABLE.has(e.code))
    return true;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && DRIVER_UNAVAILABLE.has(code)) return true;
  const message = (e as { message?: unknown }).message;
  if (typeof message === 'string' && MESSAGE_UNAVAILABLE.test(message)) return true;
  return isDatabaseUnavailable((e as { cause?: unknown }).cause, depth + 1);
}
