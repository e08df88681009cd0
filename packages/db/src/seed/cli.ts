#!/usr/bin/env node
import { loadEnv } from '@plumbline/config';
import { Database } from '../database.js';
import { seedDemo } from './demo.js';

/** Seeds the demo organisation and prints the result as one JSON line. */
async function main(): Promise<void> {
  const env = loadEnv('seed');
  const db = Database.connect(env.DATABASE_URL, {
    poolSize: 2,
    preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
  });
  try {
    const result = await seedDemo(db, { password: env.SEED_DEMO_PASSWORD });
    process.stdout.write(JSON.stringify(result) + '\n');
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`seed failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
