// Offline schema diffs with the Prisma 6 CLI's WebAssembly schema engine.
//
// The Prisma 7 CLI needs a native schema-engine binary that it downloads; these machines cannot.
// The Prisma 6.19 CLI (installed as the npm alias `prisma6`) can run its bundled WebAssembly engine
// when its config says `engine: 'js'` with a driver adapter. We only use it for datamodel-to-
// datamodel diffs (no database introspection), which sidesteps its known catalog-type issues.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
export const SCHEMA = resolve(here, '../../../prisma/schema.prisma');
export const MIGRATIONS = resolve(here, '../../../prisma/migrations');
export const SNAPSHOT = join(MIGRATIONS, '.schema-snapshot.prisma');

/** The v6 CLI needs `url` in the datasource (v7 forbids it) and must not see the v7 generator. */
export function toV6Schema(text) {
  return text
    .replace(/^generator\s+\w+\s*\{[\s\S]*?^\}\s*$/m, '')
    .replace(
      /(datasource\s+\w+\s*\{[^}]*provider\s*=\s*"postgresql")/,
      '$1\n  url = env("DATABASE_URL")',
    );
}

// The wasm engine opens a connection even for datamodel-only diffs; it reads nothing there.
// Discrete fields, not a URL: adapter-pg would ignore a URL's database name (prisma/orm#27403 notes).
function connectionFields() {
  const u = new URL(
    process.env.PRISMA_DIFF_DATABASE_URL ??
      process.env.TEST_DATABASE_ADMIN_URL ??
      'postgresql://postgres@127.0.0.1:5432/postgres',
  );
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || 'postgres'),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1) || 'postgres',
    idleTimeoutMillis: 100,
  };
}

/** SQL that turns the `from` datamodel into the `to` datamodel (`null` = empty database). */
export function diffSql(fromText, toText) {
  const dir = mkdtempSync(join(tmpdir(), 'plumbline-prisma6-'));
  try {
    const adapterPath = require.resolve('prisma6-adapter-pg');
    writeFileSync(
      join(dir, 'prisma.config.mjs'),
      `import { createRequire } from 'node:module';
const { PrismaPg } = createRequire(import.meta.url)(${JSON.stringify(adapterPath)});
export default {
  engine: 'js',
  experimental: { adapter: true },
  adapter: async () => new PrismaPg(${JSON.stringify(connectionFields())}),
};
`,
    );
    writeFileSync(join(dir, 'to.prisma'), toV6Schema(toText));
    const args = ['migrate', 'diff', '--config', join(dir, 'prisma.config.mjs')];
    if (fromText === null) args.push('--from-empty');
    else {
      writeFileSync(join(dir, 'from.prisma'), toV6Schema(fromText));
      args.push('--from-schema-datamodel', join(dir, 'from.prisma'));
    }
    args.push('--to-schema-datamodel', join(dir, 'to.prisma'), '--script');
    const dummy = join(dir, 'no-engine.node');
    writeFileSync(dummy, '');
    const cli = join(dirname(require.resolve('prisma6/package.json')), 'build/index.js');
    const r = spawnSync(process.execPath, [cli, ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        DATABASE_URL: 'postgresql://unused@127.0.0.1/unused',
        // Never downloaded: the js engine is used, but the CLI checks these paths exist.
        PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
        PRISMA_QUERY_ENGINE_LIBRARY: dummy,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        CHECKPOINT_DISABLE: '1',
      },
    });
    if (r.status !== 0) throw new Error(`prisma6 migrate diff failed:\n${r.stderr}\n${r.stdout}`);
    return r.stdout.replace(/^Loaded Prisma config.*\n+/m, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function readSchema() {
  return readFileSync(SCHEMA, 'utf8');
}
