#!/usr/bin/env node
// Run by `npm run build` (apps/web): fails when the initial JavaScript is over its budget.
// Usage: node scripts/check-bundle.mjs [dist] [--budget-kb 350]
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appJsFiles, filesWithZod, measureInitialJs } from './bundle-budget.mjs';

const args = process.argv.slice(2);
const budgetAt = args.indexOf('--budget-kb');
const budgetKb = budgetAt >= 0 ? Number(args[budgetAt + 1]) : 350;
const distArg = args.find((a, i) => !a.startsWith('--') && i !== budgetAt + 1);
const dist = resolve(distArg ?? resolve(dirname(fileURLToPath(import.meta.url)), '../dist'));

const { files, gzipBytes } = measureInitialJs(dist);
const kb = (n) => (n / 1024).toFixed(1);
for (const f of files) {
  process.stdout.write(`  ${f.file}: ${kb(f.bytes)} KB, ${kb(f.gzipBytes)} KB gzip\n`);
}
const line = `initial JavaScript: ${kb(gzipBytes)} KB gzip in ${files.length} file(s) (budget ${budgetKb} KB)`;
if (gzipBytes > budgetKb * 1024) {
  process.stderr.write(`bundle budget exceeded: ${line}\n`);
  process.exit(1);
}
// Every chunk a browser may load (initial and lazy screens) is free of the schema library.
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
const zod = filesWithZod(dist, appJsFiles(manifest));
if (zod.length) {
  process.stderr.write(
    `zod reached the app's JavaScript (${zod.join(', ')}): import only types from @plumbline/contracts in the app, and copy a needed constant into src/vocabulary.ts with a test\n`,
  );
  process.exit(1);
}
process.stdout.write(`${line}\n`);
