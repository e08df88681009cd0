import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.js';

export interface DatabaseOptions {
  poolSize?: number;
}

/** One Prisma client over node-postgres. Works against PostgreSQL and embedded PGlite alike. */
export function createPrismaClient(
  databaseUrl: string,
  options: DatabaseOptions = {},
): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: 5_000,
  });
  return new PrismaClient({ adapter });
}
