/**
 * @jest-environment node
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { appJsFiles, filesWithZod, initialJsFiles, measureInitialJs } from './bundle-budget.mjs';

const manifest = {
  'index.html': {
    file: 'assets/index.js',
    isEntry: true,
    imports: ['_shared.js'],
    dynamicImports: ['src/Charts.tsx'],
    css: ['assets/index.css'],
  },
  '_shared.js': { file: 'assets/shared.js', imports: ['_vendor.js'] },
  '_vendor.js': { file: 'assets/vendor.js', imports: ['_shared.js'] },
  'src/Charts.tsx': { file: 'assets/charts.js', imports: ['_shared.js', '_recharts.js'] },
  '_recharts.js': { file: 'assets/recharts.js' },
};

describe('appJsFiles', () => {
  it('follows lazy imports too: every chunk a browser may load, not the report page', () => {
    const withReport = {
      ...manifest,
      'report.html': { file: 'assets/report.js', isEntry: true, imports: ['_zod.js'] },
      '_zod.js': { file: 'assets/zod.js' },
    };
    expect(appJsFiles(withReport)).toEqual([
      'assets/index.js',
      'assets/shared.js',
      'assets/vendor.js',
      'assets/charts.js',
      'assets/recharts.js',
    ]);
  });
});

describe('initialJsFiles', () => {
  it('follows static imports from the entry, not lazy ones', () => {
    expect(initialJsFiles(manifest)).toEqual([
      'assets/index.js',
      'assets/shared.js',
      'assets/vendor.js',
    ]);
  });

  it('counts the app entry only: the PDF report page is another entry', () => {
    const withReport = {
      ...manifest,
      'report.html': { file: 'assets/report.js', isEntry: true, imports: ['_recharts.js'] },
    };
    expect(initialJsFiles(withReport)).toEqual([
      'assets/index.js',
      'assets/shared.js',
      'assets/vendor.js',
    ]);
  });

  it('fails on a manifest without an entry', () => {
    expect(() => initialJsFiles({ a: { file: 'a.js' } })).toThrow('no entry chunk');
  });
});

describe('measureInitialJs', () => {
  it('gzips and adds up the initial files', () => {
    const dist = mkdtempSync(path.join(tmpdir(), 'plumbline-bundle-'));
    try {
      mkdirSync(path.join(dist, '.vite'));
      mkdirSync(path.join(dist, 'assets'));
      writeFileSync(path.join(dist, '.vite/manifest.json'), JSON.stringify(manifest));
      const big = 'x'.repeat(50_000);
      for (const f of ['index', 'shared', 'vendor', 'charts', 'recharts']) {
        writeFileSync(
          path.join(dist, `assets/${f}.js`),
          f === 'recharts' ? big : `console.log("${f}")`,
        );
      }
      const r = measureInitialJs(dist);
      expect(r.files.map((f) => f.file)).toEqual([
        'assets/index.js',
        'assets/shared.js',
        'assets/vendor.js',
      ]);
      expect(r.gzipBytes).toBe(r.files.reduce((s, f) => s + f.gzipBytes, 0));
      expect(r.gzipBytes).toBeLessThan(200);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});

describe('filesWithZod', () => {
  it('names the files that carry the zod runtime, and only those', () => {
    const dist = mkdtempSync(path.join(tmpdir(), 'plumbline-zod-'));
    try {
      writeFileSync(path.join(dist, 'a.js'), 'class e extends Error{name="ZodError"}');
      writeFileSync(path.join(dist, 'b.js'), 'const zodLike = "zod error";');
      expect(filesWithZod(dist, ['a.js', 'b.js'])).toEqual(['a.js']);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
