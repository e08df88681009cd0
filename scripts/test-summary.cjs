#!/usr/bin/env node
// Totals over every Jest JSON result in .test-results/: prints `N passed, N failed`.
// With --floor N, also fails when fewer than N tests ran (so tests cannot silently vanish).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function summarize(dir) {
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  const runs = [];
  let passed = 0;
  let failed = 0;
  let pending = 0;
  for (const f of files) {
    const r = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    // A suite that failed to run at all (syntax error, failing globalSetup) counts as a failure.
    const broken =
      (r.numRuntimeErrorTestSuites ?? 0) +
      (r.testResults ?? []).filter(
        (t) => t.status === 'failed' && (t.assertionResults ?? []).length === 0,
      ).length;
    passed += r.numPassedTests ?? 0;
    failed += (r.numFailedTests ?? 0) + broken;
    pending += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    runs.push({ file: f, passed: r.numPassedTests ?? 0, failed: (r.numFailedTests ?? 0) + broken });
  }
  return { runs, passed, failed, pending };
}

module.exports = { summarize };

if (require.main === module) {
  const args = process.argv.slice(2);
  const floorIdx = args.indexOf('--floor');
  const floor = floorIdx >= 0 ? Number(args[floorIdx + 1]) : 0;
  const dir = path.join(__dirname, '..', '.test-results');
  const s = summarize(dir);
  for (const r of s.runs)
    console.log(
      `  ${r.file.replace(/\.json$/, '').padEnd(28)} ${r.passed} passed, ${r.failed} failed`,
    );
  let code = s.failed > 0 ? 1 : 0;
  if (s.passed + s.failed < floor) {
    console.log(`only ${s.passed + s.failed} tests ran; the floor in .ci/test-floor is ${floor}`);
    code = 1;
  }
  if (s.pending) console.log(`${s.pending} skipped or todo`);
  console.log(`${s.passed} passed, ${s.failed} failed`);
  process.exit(code);
}
