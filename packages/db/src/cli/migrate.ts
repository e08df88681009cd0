#!/usr/bin/env node
import { loadEnv, redactUrl } from '@plumbline/config';
import { applyMigrations, migrationStatus } from '../migrator.js';

/** `migrate deploy` applies pending migrations; `migrate status` lists them. */
async function main(): Promise<void> {
  const cmd = process.argv[2] ?? 'deploy';
  const env = loadEnv('migrate');
  const target = redactUrl(env.DATABASE_URL);
  if (cmd === 'deploy') {
    const r = await applyMigrations(env.DATABASE_URL, {
      log: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(
      `migrations: ${r.applied.length} applied, ${r.alreadyApplied.length} already applied (${target})\n`,
    );
  } else if (cmd === 'status') {
    const s = await migrationStatus(env.DATABASE_URL);
    process.stdout.write(JSON.stringify({ database: target, ...s }, null, 2) + '\n');
    if (s.pending.length) process.exitCode = 1;
  } else {
    process.stderr.write(`unknown command "${cmd}"; use deploy or status\n`);
    process.exitCode = 2;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
