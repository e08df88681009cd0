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
