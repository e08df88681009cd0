// Author a migration offline: `npm run migrate:new -w @plumbline/db -- <name>`.
// Diffs the schema as of the last migration (prisma/migrations/.schema-snapshot.prisma) against
// prisma/schema.prisma and writes prisma/migrations/<timestamp>_<name>/migration.sql.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffSql, MIGRATIONS, readSchema, SNAPSHOT } from './prisma6.mjs';

const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]/gi, '_').toLowerCase();
if (!name) {
  console.error('usage: migrate:new <name>');
  process.exit(2);
}
const current = readSchema();
const previous = existsSync(SNAPSHOT) ? readFileSync(SNAPSHOT, 'utf8') : null;
const sql = diffSql(previous, current);
if (!/\b(CREATE|ALTER|DROP)\b/.test(sql)) {
  console.log('schema unchanged since the last migration; nothing written');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = join(MIGRATIONS, `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'migration.sql'), sql);
writeFileSync(SNAPSHOT, current);
if (!existsSync(join(MIGRATIONS, 'migration_lock.toml'))) {
  writeFileSync(join(MIGRATIONS, 'migration_lock.toml'), 'provider = "postgresql"\n');
}
console.log(`wrote ${dir}/migration.sql`);
