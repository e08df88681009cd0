#!/usr/bin/env node
// `npm test`: every tier, in order, through Turborepo. Stops at nothing: each tier runs and the
// totals are printed at the end from Jest's JSON results, as one line `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { rmSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, '.test-results');
rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

const env = {
  ...process.env,
  TURBO_TELEMETRY_DISABLED: '1',
  FORCE_COLOR: process.env.CI ? '0' : '1',
};
const turbo = ['npx', 'turbo', 'run'];
const steps = [
  [
    'build and typecheck (strict TypeScript)',
    [...turbo, 'build', 'typecheck', '--concurrency=2', '--continue'],
  ],
  ['lint: ESLint, Prettier, architecture rules', ['npm', 'run', 'lint']],
  [
    'repository checks',
    [
      'npx',
      'jest',
      '-c',
      'jest.repo.config.cjs',
      '--json',
      `--outputFile=${join(results, 'repo.json')}`,
    ],
  ],
  ['unit tests', [...turbo, 'test:unit', '--concurrency=2', '--continue']],
  [
    'integration tests (real PostgreSQL + Redis)',
    [...turbo, 'test:integration', '--concurrency=2', '--continue'],
  ],
  [
    'fault suite (private Redis killed, worker killed; built apps)',
    [
      'npx',
      'jest',
      '-c',
      'jest.faults.config.cjs',
      '--runInBand',
      // Child processes (workers, redis-server) are killed on purpose; never hang the run.
      '--forceExit',
      '--json',
      `--outputFile=${join(results, 'faults.json')}`,
    ],
  ],
  [
    'end-to-end tests (built apps, headless Chromium)',
    [...turbo, 'test:e2e', '--concurrency=1', '--continue'],
  ],
];

const failedSteps = [];
for (const [title, cmd] of steps) {
  console.log(`\n=== ${title}: ${cmd.join(' ')}`);
  const r = spawnSync(cmd[0], cmd.slice(1), { cwd: root, stdio: 'inherit', env });
  if (r.status !== 0) failedSteps.push(title);
}

console.log('\n=== totals');
const summary = spawnSync(process.execPath, [join(root, 'scripts/test-summary.cjs')], {
  cwd: root,
  stdio: 'inherit',
});
if (failedSteps.length) console.log(`failed steps: ${failedSteps.join('; ')}`);
process.exit(failedSteps.length || summary.status !== 0 ? 1 : 0);
