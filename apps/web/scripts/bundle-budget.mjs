// The initial JavaScript of the built app: the entry chunk and every chunk it imports
// statically (what the browser must download before the first screen), from Vite's manifest.
// Lazily imported chunks (dynamicImports) are not part of it; appJsFiles adds them (every chunk a
// browser may load, none of which may hold zod). Used by check-bundle.mjs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** @typedef {{ file: string, isEntry?: boolean, imports?: string[], dynamicImports?: string[], css?: string[] }} ManifestChunk */

/**
 * Files (relative to dist) of the initial JavaScript, entry first.
 * @param {Record<string, ManifestChunk>} manifest
 * @returns {string[]}
 */
export function initialJsFiles(manifest) {
  return reachableJsFiles(manifest, false);
}

/**
 * Files (relative to dist) of every chunk the app can load in a browser: the initial ones and
 * everything imported lazily from them (the screens), entry first.
 * @param {Record<string, ManifestChunk>} manifest
 * @returns {string[]}
 */
export function appJsFiles(manifest) {
  return reachableJsFiles(manifest, true);
}

/**
 * @param {Record<string, ManifestChunk>} manifest
 * @param {boolean} lazy follow dynamic imports too
 * @returns {string[]}
 */
function reachableJsFiles(manifest, lazy) {
  // The app's entry (index.html); other entries (report.html, the PDF report page the worker
  // prints) never load in a visitor's browser and are not part of the budget.
  const all = Object.entries(manifest).filter(([, c]) => c.isEntry);
  const app = all.filter(([key]) => key === 'index.html');
  const entries = app.length ? app : all;
  if (!entries.length) throw new Error('the Vite manifest has no entry chunk');
  const seen = new Set();
  const files = [];
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the Vite manifest has no chunk "${key}"`);
    if (chunk.file.endsWith('.js')) files.push(chunk.file);
    for (const dep of chunk.imports ?? []) visit(dep);
    if (lazy) for (const dep of chunk.dynamicImports ?? []) visit(dep);
  };
  for (const [key] of entries) visit(key);
  return files;
}

/**
 * Gzip size of each initial file and their total, in bytes.
 * @param {string} dist
 * @returns {{ files: { file: string, bytes: number, gzipBytes: number }[], gzipBytes: number }}
 */
export function measureInitialJs(dist) {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
  const files = initialJsFiles(manifest).map((file) => {
    const content = readFileSync(join(dist, file));
    return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  });
  return { files, gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0) };
}

/**
 * Files that hold the zod runtime (its error class keeps the name "ZodError" through
 * minification): the app imports contract *types* only, so for its files this stays empty.
 * @param {string} dist
 * @param {string[]} files
 * @returns {string[]}
 */
export function filesWithZod(dist, files) {
  return files.filter((f) => readFileSync(join(dist, f), 'utf8').includes('ZodError'));
}
