#!/usr/bin/env node
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateSnapshotBytes } from './validate.js';

/** Exit codes: 0 ok, 1 the input is invalid, 2 usage error, 3 file could not be read. */
export const EXIT = { ok: 0, invalid: 1, usage: 2, io: 3 } as const;

const version = (
  JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { version: string }
).version;

const program = new Command()
  .name('plumbline-scanner')
  .description(
    'Plumbline cluster scanner: inventories a cluster and its AI agents into a snapshot.',
  )
  .version(version)
  .exitOverride((err) => process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage));

program
  .command('validate')
  .description('Check a snapshot file (.json or .json.gz) against the snapshot contract')
  .argument('<file>', 'snapshot file')
  .action((file: string) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      process.stderr.write(`cannot read ${file}: ${(e as Error).message}\n`);
      process.exit(EXIT.io);
    }
    const r = validateSnapshotBytes(bytes);
    if (r.ok) {
      process.stdout.write(
        `valid snapshot (schemaVersion ${r.schemaVersion}) of cluster "${r.cluster}"\n`,
      );
      return;
    }
    process.stderr.write(
      `invalid snapshot:\n${r.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}\n`,
    );
    process.exit(EXIT.invalid);
  });

program.parse();
