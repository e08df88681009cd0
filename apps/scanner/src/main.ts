#!/usr/bin/env node
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  runConnectivity,
  runConnectivityDiff,
  type ConnectivityOptions,
  type DiffOptions,
} from './connectivity.js';
import { runPlan, type PlanOptions } from './plan.js';
import { createReporter } from './output.js';
import { DEFAULT_BURST, DEFAULT_PAGE_SIZE, DEFAULT_QPS } from '@plumbline/collector';
import { EXIT, runScan, type ScanOptions } from './scan.js';
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
  .enablePositionalOptions()
  .exitOverride((err) => process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.usage));

program
  .command('scan')
  .description(
    'Collect a snapshot: live from the cluster of your kubeconfig or this pod, or offline from manifest files with --from-dir',
  )
  .option(
    '--from-dir <dir>',
    'offline: read Kubernetes YAML/JSON manifests from this folder (recursively); repeatable: later folders apply over earlier ones (e.g. a plan bundle)',
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .option(
    '--kubeconfig <file>',
    'live: kubeconfig file (default: $KUBECONFIG, ~/.kube/config, then in-cluster)',
  )
  .option(
    '--max-file-size <size>',
    'offline: skip files larger than this (bytes, or 32M, 1G; default 16M)',
  )
  .option(
    '--allow-empty',
    'offline: go on when the folder holds no Kubernetes object (default: exit 8 naming what was skipped)',
  )
  .option('--context <name>', 'live: kubeconfig context (default: the current one)')
  .option('--in-cluster', "live: use this pod's service account (the in-cluster CronJob)")
  .option('--page-size <n>', `live: objects per LIST page (default ${DEFAULT_PAGE_SIZE})`)
  .option('--qps <n>', `live: API requests per second, 0 for no limit (default ${DEFAULT_QPS})`)
  .option('--burst <n>', `live: requests allowed in a burst (default ${DEFAULT_BURST})`)
  .option(
    '--cluster-name <name>',
    'cluster name (default: the kubeconfig cluster, or the folder name)',
  )
  .option('--cluster-id <id>', 'declared cluster id (offline; default: derived from the name)')
  .option('--node-count <n>', 'declared number of nodes (offline)')
  .option('--out <file>', 'write the snapshot to FILE (.json or .json.gz), or - for stdout')
  .option('--upload <url>', 'upload the snapshot to the Plumbline API (POST /v1/snapshots)')
  .option(
    '--token-file <file>',
    'scanner token for --upload (default: the PLUMBLINE_SCANNER_TOKEN environment variable)',
  )
  .option(
    '--fingerprint-key-file <file>',
    "the installation's key for literal-value fingerprints (at least 32 bytes; the in-cluster chart keeps it as a Secret): fingerprints stay stable across scans; default: a random key per scan",
  )
  .option(
    '--dry-run',
    'print, per resource type, every field that would leave the cluster and a redacted sample; write nothing',
  )
  .option(
    '--include-secret-metadata',
    'also collect Secret names and types (and key names offline); values never',
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
  .option(
    '--evidence <file>',
    'with --analyze: AI-agent accountability evidence, [KIND=]FILE, repeatable (MCP config, A2A agent card, OTLP JSON traces, decision-log JSON Lines, probe report, attestations)',
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .option(
    '--assessment <file>',
    'with --analyze: self-assessment answers (JSON, the five questions, 0-4)',
  )
  .option(
    '--min-level <n>',
    'with --analyze: exit 7 when the cluster maturity level is below N (0-4), for CI',
  )
  .action(async ({ fromDir, ...rest }: Omit<ScanOptions, 'fromDir'> & { fromDir?: string[] }) => {
    const opts: ScanOptions = { ...rest, fromDir: fromDir?.[0], extraDirs: fromDir?.slice(1) };
    process.exitCode = await runScan(opts, {
      reporter,
      stdout: (t) => process.stdout.write(t),
      scanner,
      env: process.env,
    });
  });

const connectivity = program
  .command('connectivity')
  .description(
    'Print every connection the network policies allow, one per line: SRC => DST : CONNS (docs/connectivity.md)',
  )
  .enablePositionalOptions()
  .option('--from-dir <dir>', 'read Kubernetes YAML/JSON manifests from this folder (recursively)')
  .option('--snapshot <file>', 'read a snapshot written by scan --out (.json or .json.gz)')
  .option('--format <format>', 'txt (default) or json')
  .option(
    '--explain',
    'explain one pair (--src, --dst): which policy and rule decide each port range',
  )
  .option('--src <peer>', 'with --explain: source workload (ns/name[Kind]) or IP address')
  .option('--dst <peer>', 'with --explain: destination workload (ns/name[Kind]) or IP address')
  .option('--max-file-size <size>', 'skip files larger than this (default 16M)')
  .option('--allow-empty', 'go on when the folder holds no Kubernetes object')
  .addOption(new Option('--group-ports', 'no effect (ports are always grouped)').hideHelp())
  .action((opts: ConnectivityOptions) => {
    process.exitCode = runConnectivity(opts, {
      reporter,
      stdout: (t) => process.stdout.write(t),
      scanner,
    });
  });

connectivity
  .command('diff')
  .description(
    'Connections added, removed or changed between two inputs (np-guard diff form; docs/connectivity.md)',
  )
  .option('--from-dir <dir>', 'first input: a folder of manifests')
  .option('--to-dir <dir>', 'second input: a folder of manifests')
  .option('--from-snapshot <file>', 'first input: a snapshot file')
  .option('--to-snapshot <file>', 'second input: a snapshot file')
  .option('--format <format>', 'txt (default) or json')
  .option('--max-file-size <size>', 'skip files larger than this (default 16M)')
  .option('--allow-empty', 'go on when a folder holds no Kubernetes object')
  .action((opts: DiffOptions) => {
    process.exitCode = runConnectivityDiff(opts, {
      reporter,
      stdout: (t) => process.stdout.write(t),
      scanner,
    });
  });

program
  .command('plan')
  .description(
    'The smallest plan from a scanned folder to a target maturity level, with a verified kustomize bundle of the objects it generates (docs/cli.md)',
  )
  .option(
    '--from-dir <dir>',
    'read Kubernetes YAML/JSON manifests from this folder (recursively); repeatable',
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .option('--max-file-size <size>', 'skip files larger than this (bytes, or 32M, 1G; default 16M)')
  .option(
    '--allow-empty',
    'go on when the folders hold no Kubernetes object (default: exit 8 naming what was skipped)',
  )
  .option('--target-level <n>', 'target level 1-4 (default: the next level)')
  .option(
    '--pillar <id>',
    'plan for one pillar: a maturity pillar, or an AI-agent accountability pillar such as identity-ownership (agent actions only; default: the cluster level, every maturity pillar)',
  )
  .option(
    '--dialect <dialect>',
    'network policies as kubernetes (NetworkPolicy, default), calico (projectcalico.org/v3) or cilium (cilium.io/v2); calico and cilium only where that CNI enforces policy',
  )
  .option('--out <dir>', 'new or empty folder for the bundle')
  .option('--cluster-name <name>', 'cluster name (default: the folder name)')
  .option('--cluster-id <id>', 'declared cluster id (default: derived from the name)')
  .option('--assumptions <file>', 'JSON file overriding cost-model assumptions')
  .option(
    '--effort <file>',
    'JSON file overriding the effort table (docs/methodology/remediation-plan.md)',
  )
  .option('--format <format>', 'table (default) or json')
  .action((opts: PlanOptions) => {
    process.exitCode = runPlan(opts, {
      reporter,
      stdout: (t) => process.stdout.write(t),
      scanner,
    });
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
