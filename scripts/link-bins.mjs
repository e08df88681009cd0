// Link the workspace CLIs (plumbline-scanner, plumbline-probe) into node_modules/.bin once their
// dist/ exists. `npm ci` runs before the build, when npm cannot link a bin whose file is missing,
// so `npx plumbline-scanner` would otherwise fall through to the public registry. Run by
// `npm run build` (postbuild) and `npm run demo`. Offline: it never contacts a registry.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
