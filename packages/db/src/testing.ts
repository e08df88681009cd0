import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { applyMigrations, migrationsFingerprint } from './migrator.js';

/**
 * Test support: a fresh, fully migrated PostgreSQL database per test suite, cloned from a
 * template database that is migrated once per set of migration files. Never touches the demo
 * database. Admin connection from TEST_DATABASE_ADMIN_URL (default: local postgres).
 */

export const DEFAULT_ADMIN_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export function adminUrl(): string {
  return process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const TEMPLATE_LOCK = 72707370;

async function ensureTemplate(): Promise<string> {
  const name = `plumbline_tpl_${migrationsFingerprint()}`;
  await admin(async (c) => {
    await c.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount) return;
      const building = `${name}_building`;
      await c.query(`DROP DATABASE IF EXISTS "${building}"`);
      await c.query(`CREATE DATABASE "${building}"`);
      await applyMigrations(withDatabase(adminUrl(), building));
      await c.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
  return name;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Create an empty database (no migrations), e.g. to test the migrator itself. */
export async function createEmptyTestDatabase(label = 'empty'): Promise<TestDatabase> {
  const name = `plumbline_test_${label}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return handle(name);
}

/** Create a migrated database cloned from the template. */
export async function createTestDatabase(label = 'suite'): Promise<TestDatabase> {
  const template = await ensureTemplate();
  const name = `plumbline_test_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  return handle(name);
}

function handle(name: string): TestDatabase {
  return {
    name,
    url: withDatabase(adminUrl(), name),
    drop: () =>
      admin(async (c) => {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }),
  };
}

/** Test support: run one SQL statement against a test database (e.g. to backdate rows). */
export async function queryTestDatabase<T extends Record<string, unknown>>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

/**
 * Test support: how many rows each table holds for one organisation, over every table with an
 * organizationId column (found in the catalogue, so tables added later are covered too).
 */
export async function countOrganizationRows(
  url: string,
  organizationId: string,
): Promise<Record<string, number>> {
  const tables = await queryTestDatabase<{ table_name: string }>(
    url,
    `SELECT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'organizationId' ORDER BY table_name`,
  );
  const out: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [row] = await queryTestDatabase<{ n: string }>(
      url,
      `SELECT count(*)::text AS n FROM "${table_name}" WHERE "organizationId" = $1::uuid`,
      [organizationId],
    );
    out[table_name] = Number(row?.n ?? 0);
  }
  const [org] = await queryTestDatabase<{ n: string }>(
    url,
    `SELECT count(*)::text AS n FROM "Organization" WHERE id = $1::uuid`,
    [organizationId],
  );
  out.Organization = Number(org?.n ?? 0);
  return out;
}
