#!/usr/bin/env node
// `npm run bench`: runs every benchmark script under bench/ (files named *.bench.mjs) in its own
// process and writes one JSON file per run under bench/results/. Benchmarks measure; they never
// fail the build. Compare ratios measured in the same run: these machines are noisy.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs') && (!only || f.includes(only)))
  .sort();
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const results = {
  startedAt: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
  benchmarks: {},
};

for (const script of scripts) {
  console.log(`bench: ${script}`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, script)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    results.benchmarks[script] = JSON.parse(last);
  } catch {
    results.benchmarks[script] = {
      error: `no JSON result (exit ${r.status})`,
      output: r.stdout.slice(-2000),
    };
  }
  console.log(JSON.stringify(results.benchmarks[script], null, 2));
}
mkdirSync(join(here, 'results'), { recursive: true });
const file = join(here, 'results', `bench-${stamp}.json`);
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
console.log(`results written to ${file}`);
