import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.js';

export interface DatabaseOptions {
  poolSize?: number;
  /**
   * Hot read queries as named prepared statements (default true). False behind a pooler in
   * transaction mode and for the demo's embedded database: connections share one session there,
   * so one connection's statement name would clash with another's.
   */
  preparedStatements?: boolean;
}

/**
 * The few hot read queries (a dashboard read's one query) as named prepared statements on the
 * same pool Prisma uses: PostgreSQL plans each once per connection instead of on every call
 * (planning the overview read cost more than running it). Repositories only.
 */
export class PreparedQueries {
  constructor(
    private readonly pool: pg.Pool,
    private readonly named: boolean,
    private readonly size: number,
  ) {}

  /**
   * Open the whole pool now (a server at boot): otherwise it grows under the first burst of
   * traffic, each new connection costing that burst a connect. Throws the first failure, with
   * every connection that did open kept for use.
   */
  async warm(): Promise<void> {
    const opened = await Promise.allSettled(
      Array.from({ length: this.size }, () => this.pool.connect()),
    );
    for (const o of opened) if (o.status === 'fulfilled') o.value.release();
    const failed = opened.find((o) => o.status === 'rejected');
    if (failed) throw failed.reason;
  }

  async rows<T extends object>(name: string, text: string, values: unknown[]): Promise<T[]> {
    return (await this.pool.query<T>(this.named ? { name, text, values } : { text, values })).rows;
  }
}

/** One Prisma client over node-postgres. Works against PostgreSQL and embedded PGlite alike. */
export function createConnection(
  databaseUrl: string,
  options: DatabaseOptions = {},
): { prisma: PrismaClient; prepared: PreparedQueries } {
  const size = options.poolSize ?? 10;
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: size,
    // Connections stay open while idle: closing them after 10 s (pg's default) made the first
    // requests after a quiet spell pay for new connections (overview p99 0.2-0.7 s). Idle
    // connections do not keep a process that is done from exiting.
    idleTimeoutMillis: 0,
    allowExitOnIdle: true,
    connectionTimeoutMillis: 5_000,
  });
  // A connection that fails while idle (server restart, network) is dropped by the pool and the
  // next query opens a new one; without a listener the error would end the process.
  pool.on('error', () => undefined);
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return {
    prisma: new PrismaClient({ adapter }),
    prepared: new PreparedQueries(pool, options.preparedStatements ?? true, size),
  };
}
