import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import {
  applyMigrations,
  DEFAULT_MIGRATIONS_DIR,
  migrationStatus,
  readMigrations,
} from './migrator.js';
import { createEmptyTestDatabase, type TestDatabase } from './testing.js';

async function query<T extends Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

/** Everything that defines the public schema, as sorted text lines (no migration bookkeeping). */
async function describeSchema(url: string): Promise<string[]> {
  const cols = await query<{ l: string }>(
    url,
    `SELECT format('col %s.%s %s null=%s default=%s', table_name, column_name, udt_name,
            is_nullable, coalesce(column_default, '')) AS l
       FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
  );
  const idx = await query<{ l: string }>(
    url,
    `SELECT 'idx ' || indexdef AS l FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
  );
  const cons = await query<{ l: string }>(
    url,
    `SELECT format('con %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) AS l
       FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT IN ('_prisma_migrations', '"_prisma_migrations"')`,
  );
  const enums = await query<{ l: string }>(
    url,
    `SELECT format('enum %s %s %s', t.typname, e.enumsortorder, e.enumlabel) AS l
       FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid`,
  );
  return [...cols, ...idx, ...cons, ...enums].map((r) => r.l).sort();
}

describe('migrations (real PostgreSQL)', () => {
  const dbs: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(dbs.map((d) => d.drop()));
  });

  it('migrates an empty database, then is a no-op', async () => {
    const db = await createEmptyTestDatabase('migrate');
    dbs.push(db);
    const all = readMigrations().map((m) => m.name);
    expect(all.length).toBeGreaterThan(0);
    expect(await migrationStatus(db.url)).toEqual({ applied: [], pending: all, unknown: [] });

    const first = await applyMigrations(db.url);
    expect(first.applied).toEqual(all);

    const tables = (
      await query<{ t: string }>(
        db.url,
        `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public'`,
      )
    ).map((r) => r.t);
    expect(tables).toEqual(
      expect.arrayContaining([
        'Organization',
        'User',
        'Membership',
        'ScannerToken',
        'Cluster',
        'Scan',
        'SnapshotBlob',
        'AnalysisResult',
        'EvidenceUpload',
        'SelfAssessment',
        'CostAssumptions',
        'Report',
        'AuditEvent',
        '_prisma_migrations',
      ]),
    );

    const second = await applyMigrations(db.url);
    expect(second).toEqual({ applied: [], alreadyApplied: all });
    expect(await migrationStatus(db.url)).toEqual({ applied: all, pending: [], unknown: [] });

    // Prisma-compatible bookkeeping: finished rows with SHA-256 checksums.
    const rows = await query<{ migration_name: string; checksum: string; steps: number }>(
      db.url,
      `SELECT migration_name, checksum, applied_steps_count AS steps FROM "_prisma_migrations"`,
    );
    expect(rows.map((r) => r.migration_name).sort()).toEqual(all);
    for (const r of rows) expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('every customer table carries organizationId', async () => {
    const db = await createEmptyTestDatabase('orgid');
    dbs.push(db);
    await applyMigrations(db.url);
    const rows = await query<{ t: string; has: boolean }>(
      db.url,
      `SELECT t.table_name AS t,
              EXISTS (SELECT 1 FROM information_schema.columns c
                       WHERE c.table_name = t.table_name AND c.column_name = 'organizationId') AS has
         FROM information_schema.tables t WHERE t.table_schema = 'public'`,
    );
    // Users, their sessions and their one-time mail tokens are global; what a user can see comes
    // only through memberships.
    // So are a user's two-factor recovery codes and sign-in challenges.
    const global = new Set([
      'Organization',
      'User',
      'Session',
      'UserToken',
      'RecoveryCode',
      'MfaChallenge',
      '_prisma_migrations',
    ]);
    const missing = rows.filter((r) => !global.has(r.t) && !r.has).map((r) => r.t);
    expect(missing).toEqual([]);
  });

  it('refuses a migration edited after it was applied', async () => {
    const db = await createEmptyTestDatabase('tamper');
    dbs.push(db);
    const dir = mkdtempSync(join(tmpdir(), 'plumbline-migrations-'));
    cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    await applyMigrations(db.url, { dir });
    const first = readdirSync(dir)
      .filter((n) => /^\d/.test(n))
      .sort()[0]!;
    writeFileSync(join(dir, first, 'migration.sql'), '-- edited\nSELECT 1;');
    await expect(applyMigrations(db.url, { dir })).rejects.toThrow(/edited after it was applied/);
  });

  it('rolls back a failing migration completely', async () => {
    const db = await createEmptyTestDatabase('rollback');
    dbs.push(db);
    const dir = mkdtempSync(join(tmpdir(), 'plumbline-migrations-'));
    cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    const bad = join(dir, '99990101000000_broken');
    cpSync(join(dir, readMigrations(dir)[0]!.name), bad, { recursive: true });
    writeFileSync(join(bad, 'migration.sql'), 'CREATE TABLE "Half" (id int); SELECT * FROM nope;');
    await expect(applyMigrations(db.url, { dir })).rejects.toThrow(/99990101000000_broken failed/);
    const half = await query<{ t: string | null }>(
      db.url,
      `SELECT to_regclass('"Half"')::text AS t`,
    );
    expect(half[0]?.t).toBeNull();
    const status = await migrationStatus(db.url, { dir });
    expect(status.pending).toEqual(['99990101000000_broken']);
  });

  it('the migrations produce exactly the schema in prisma/schema.prisma (no drift)', async () => {
    // Full schema SQL straight from schema.prisma, via the offline Prisma 6 wasm engine.
    const script = resolve(__dirname, '../scripts/prisma6.mjs');
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { diffSql, readSchema } from ${JSON.stringify(script)};
         process.stdout.write(diffSql(null, readSchema()));`,
      ],
      { encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/CREATE TABLE "Organization"/);

    const fromSchema = await createEmptyTestDatabase('fromschema');
    const fromMigrations = await createEmptyTestDatabase('frommigrations');
    dbs.push(fromSchema, fromMigrations);
    await query(fromSchema.url, r.stdout);
    await applyMigrations(fromMigrations.url);
    const want = await describeSchema(fromSchema.url);
    expect(want.length).toBeGreaterThan(100);
    expect(await describeSchema(fromMigrations.url)).toEqual(want);
  }, 120_000);
});
