import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

/**
 * Applies the SQL migrations in prisma/migrations, in order, each in its own transaction.
 *
 * It records them in Prisma's own `_prisma_migrations` table with Prisma's checksum
 * (SHA-256 of migration.sql), so the same folder works with plain `prisma migrate deploy`
 * wherever Prisma's engines can be downloaded. Here it needs no engine binary at all and also
 * runs against embedded PGlite. A PostgreSQL advisory lock serialises concurrent runners.
 */

export const DEFAULT_MIGRATIONS_DIR = resolve(__dirname, '../../../prisma/migrations');

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

const LOCK_KEY = 72707369; // arbitrary, constant: "plumbline migrations"

export function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Migration[] {
  if (!existsSync(dir)) throw new Error(`migrations folder not found: ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** Hash of all migrations: names a template database built from exactly these files. */
export function migrationsFingerprint(dir: string = DEFAULT_MIGRATIONS_DIR): string {
  const h = createHash('sha256');
  for (const m of readMigrations(dir)) h.update(m.name).update('\0').update(m.checksum);
  return h.digest('hex').slice(0, 16);
}

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

async function appliedRows(client: Client): Promise<AppliedRow[]> {
  const r = await client.query<AppliedRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
  );
  return r.rows.filter((row) => row.rolled_back_at === null);
}

export async function applyMigrations(
  databaseUrl: string,
  options: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrationReport> {
  const migrations = readMigrations(options.dir);
  const log = options.log ?? (() => undefined);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(CREATE_TABLE);
    const applied = new Map((await appliedRows(client)).map((r) => [r.migration_name, r]));
    const report: MigrationReport = { applied: [], alreadyApplied: [] };
    for (const m of migrations) {
      const row = applied.get(m.name);
      if (row) {
        if (row.finished_at === null) {
          throw new MigrationError(
            `migration ${m.name} started but never finished; resolve it by hand before continuing`,
          );
        }
        if (row.checksum !== m.checksum) {
          throw new MigrationError(
            `migration ${m.name} was edited after it was applied (checksum differs); add a new migration instead`,
          );
        }
        report.alreadyApplied.push(m.name);
        continue;
      }
      const id = randomUUID();
      await client.query('BEGIN');
      try {
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())',
          [id, m.checksum, m.name],
        );
        await client.query(m.sql);
        await client.query(
          'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
          [id],
        );
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw new MigrationError(`migration ${m.name} failed: ${(e as Error).message}`);
      }
      log(`applied ${m.name}`);
      report.applied.push(m.name);
    }
    return report;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  unknown: string[];
}

export async function migrationStatus(
  databaseUrl: string,
  options: { dir?: string } = {},
): Promise<MigrationStatus> {
  const migrations = readMigrations(options.dir);
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const exists = await client.query<{ t: string | null }>(
      `SELECT to_regclass('"_prisma_migrations"')::text AS t`,
    );
    const rows = exists.rows[0]?.t ? await appliedRows(client) : [];
    const done = new Set(rows.filter((r) => r.finished_at !== null).map((r) => r.migration_name));
    const known = new Set(migrations.map((m) => m.name));
    return {
      applied: migrations.filter((m) => done.has(m.name)).map((m) => m.name),
      pending: migrations.filter((m) => !done.has(m.name)).map((m) => m.name),
      unknown: [...done].filter((n) => !known.has(n)).sort(),
    };
  } finally {
    await client.end();
  }
}
