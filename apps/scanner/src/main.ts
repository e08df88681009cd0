#!/usr/bin/env node
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createReporter } from './output.js';
import { EXIT, runScan } from './scan.js';
import { validateSnapshotBytes } from './validate.js';

const version = (
  JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { version: string }
).version;
const scanner = { name: 'plumbline-scanner', version };
const reporter = createReporter();

const program = new Command()
  .name('plumbline-scanner')
  .description(
    'Plumbline cluster scanner: inventories a cluster and its AI agents into a snapshot. Secret values never leave the cluster.',
  )
  .version(version)
  .exitOverride((err) => process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage));

program
  .command('scan')
  .description('Collect a snapshot (offline from manifest files with --from-dir)')
  .option('--from-dir <dir>', 'read Kubernetes YAML/JSON manifests from this folder (recursively)')
  .option('--cluster-name <name>', 'cluster name (default: the folder name)')
  .option('--cluster-id <id>', 'declared cluster id (offline; default: derived from the name)')
  .option('--node-count <n>', 'declared number of nodes (offline)')
  .option('--out <file>', 'write the snapshot to FILE (.json or .json.gz), or - for stdout')
  .option(
    '--dry-run',
    'print, per resource type, every field that would leave the cluster and a redacted sample; write nothing',
  )
  .option(
    '--include-secret-metadata',
    'also collect Secret names, types and key names (never values)',
  )
  .addOption(
    new Option(
      '--collected-at <time>',
      'use this ISO 8601 time as collectedAt (reproducible output)',
    ),
  )
  .option('--analyze', 'print the analysis (detected stack, network facts, overlaps) to stdout')
  .option(
    '--format <format>',
    'analysis output: table (default) or json (stable fields, docs/cli.md)',
  )
  .option(
    '--assumptions <file>',
    'JSON file overriding cost-model assumptions (engineers, loadedSalary, licencePerTool, ...)',
  )
  .action((opts: Record<string, string | boolean | undefined>) => {
    process.exitCode = runScan(
      {
        fromDir: opts.fromDir as string | undefined,
        clusterName: opts.clusterName as string | undefined,
        clusterId: opts.clusterId as string | undefined,
        nodeCount: opts.nodeCount as string | undefined,
        out: opts.out as string | undefined,
        dryRun: opts.dryRun === true,
        includeSecretMetadata: opts.includeSecretMetadata === true,
        collectedAt: opts.collectedAt as string | undefined,
        analyze: opts.analyze === true,
        format: opts.format as string | undefined,
        assumptions: opts.assumptions as string | undefined,
      },
      { reporter, stdout: (t) => process.stdout.write(t), scanner },
    );
  });

program
  .command('validate')
  .description('Check a snapshot file (.json or .json.gz) against the snapshot contract')
  .argument('<file>', 'snapshot file')
  .action((file: string) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      reporter.error(`cannot read ${file}: ${(e as Error).message}`);
      process.exitCode = EXIT.input;
      return;
    }
    const r = validateSnapshotBytes(bytes);
    if (r.ok) {
      reporter.info(`valid snapshot (schemaVersion ${r.schemaVersion}) of cluster "${r.cluster}"`);
      return;
    }
    reporter.error('invalid snapshot', {
      problems: r.problems.map((p) => `${p.path}: ${p.message}`),
    });
    process.exitCode = EXIT.failed;
  });

program.parseAsync().catch((e: unknown) => {
  reporter.error(`unexpected error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(EXIT.failed);
});
