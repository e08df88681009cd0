// Link the workspace CLIs (plumbline-scanner, plumbline-probe) into node_modules/.bin once their
// dist/ exists. `npm ci` runs before the build, when npm cannot link a bin whose file is missing,
// so `npx plumbline-scanner` would otherwise fall through to the public registry. Run by
// `npm run build` (postbuild) and `npm run demo`. Offline: it never contacts a registry.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BINS = {
  'plumbline-scanner': { workspace: '@plumbline/scanner', file: 'apps/scanner/dist/main.js' },
  'plumbline-probe': { workspace: '@plumbline/stub-llm', file: 'packages/stub-llm/dist/cli.js' },
};

const missing = Object.entries(BINS).filter(
  ([bin, b]) => existsSync(join(root, b.file)) && !existsSync(join(root, 'node_modules/.bin', bin)),
);
if (missing.length) {
  const r = spawnSync(
    'npm',
    [
      'rebuild',
      '--ignore-scripts',
      '--offline',
      '--no-audit',
      '--no-fund',
      ...missing.map(([, b]) => b.workspace),
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (r.status !== 0) process.exit(r.status ?? 1);
  console.log(`linked ${missing.map(([bin]) => bin).join(', ')} into node_modules/.bin`);
}

// A rebuild may write a bin's file afresh without its execute bit (the link stays): the shell
// then refuses it ("Permission denied", exit 126/127). Keep every built bin executable.
for (const b of Object.values(BINS)) {
  const file = join(root, b.file);
  if (existsSync(file) && (statSync(file).mode & 0o111) !== 0o111) chmodSync(file, 0o755);
}
