import type { ReportData } from '@plumbline/contracts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromiumReportRenderer, pdfPageCount, REPORT_STATUS_GLOBAL } from './chromium.js';

/**
 * The Chromium renderer against real Debian Chromium, with small report pages written here (the
 * real report page is tested through the job path in apps/api/e2e/reports.e2e.test.ts): the data
 * reaches the page, the PDF has the pages the page asked for with header and footer, nothing
 * else loads, a page that never finishes or reports a problem fails in words within the time
 * limit, a dead browser is started again, and a missing browser or page is named by check().
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const data = {
  organization: { id: 'org', name: 'Acme <Robotics>' },
  scope: { kind: 'organization', clusterId: null, label: 'all 3 clusters' },
  generatedAt: '2026-11-02T10:00:00.000Z',
  paperSize: 'A4',
  pages: 3,
} as unknown as ReportData;

const STATUS = `window.${REPORT_STATUS_GLOBAL}`;

/** A report page: its script and style are files, as in the real build (the CSP refuses inline script). */
interface Page {
  script: string;
  style?: string;
  /** Markup before the page's script (may hold an inline script, which must not run). */
  body?: string;
}
const PAGES: Record<'good' | 'stuck' | 'broken' | 'inline', Page> = {
  good: {
    style: '.p{break-after:page}',
    body: '<div id=r></div>',
    script: `
    const d = window.__PLUMBLINE_REPORT__;
    const r = document.getElementById('r');
    for (let i = 1; i <= d.pages; i++) {
      const p = document.createElement('section'); p.className = 'p';
      p.textContent = 'Report for ' + d.organization.name + ' part ' + i; r.appendChild(p);
    }
    fetch('https://example.com/').then(() => 'reached', () => 'blocked').then((n) => {
      const s = document.createElement('p'); s.textContent = 'network ' + n; r.prepend(s);
      ${STATUS} = { state: 'ready' };
    });`,
  },
  stuck: { body: 'drawing forever', script: `${STATUS} = { state: 'rendering' };` },
  broken: { script: `${STATUS} = { state: 'error', message: 'the data has no overview' };` },
  inline: {
    body: `<p>inline</p><script>${STATUS} = { state: 'error', message: 'an inline script ran' };</script>`,
    script: `if (!${STATUS}) ${STATUS} = { state: 'ready' };`,
  },
};

function reportDir(page: Page): string {
  const dir = mkdtempSync(join(tmpdir(), 'plumbline-report-'));
  writeFileSync(
    join(dir, 'report.html'),
    `<!doctype html><html><head><link rel="stylesheet" href="/r.css"></head><body>${page.body ?? ''}<script src="/r.js"></script></body></html>`,
  );
  writeFileSync(join(dir, 'r.js'), page.script);
  writeFileSync(join(dir, 'r.css'), page.style ?? '');
  return dir;
}

function pdfText(pdf: Uint8Array): { text: string; pages: number } {
  const dir = mkdtempSync(join(tmpdir(), 'plumbline-pdf-'));
  try {
    const file = join(dir, 'r.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    return { text, pages: Number(/Pages:\s+(\d+)/.exec(info)![1]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Chromium processes started by this test process (its direct children). */
function chromiumChildren(): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const m = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat);
      if (m && Number(m[2]) === process.pid && /chrom/i.test(m[1]!)) out.push(Number(entry));
    } catch {
      /* the process ended meanwhile */
    }
  }
  return out;
}

describe('ChromiumReportRenderer (real Chromium)', () => {
  const dirs: string[] = [];
  const renderers: ChromiumReportRenderer[] = [];
  const make = (html: Page | null, opts: { executablePath?: string; timeoutMs?: number } = {}) => {
    const dir = html === null ? mkdtempSync(join(tmpdir(), 'plumbline-empty-')) : reportDir(html);
    dirs.push(dir);
    const r = new ChromiumReportRenderer({
      executablePath: opts.executablePath ?? CHROMIUM,
      reportDir: dir,
      timeoutMs: opts.timeoutMs ?? 30_000,
    });
    renderers.push(r);
    return r;
  };
  afterAll(async () => {
    for (const r of renderers) await r.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('prints the page with the injected data, header and footer on every page, nothing fetched', async () => {
    const r = make(PAGES.good);
    expect(await r.start()).toBeNull();
    for (const paper of ['A4', 'Letter'] as const) {
      const { pdf, pageCount } = await r.render(data, paper);
      const { text, pages } = pdfText(pdf);
      expect(pageCount).toBe(pages);
      expect(pages).toBe(3);
      for (let i = 1; i <= 3; i++) {
        expect(text).toContain(`Report for Acme <Robotics> part ${i}`);
        expect(text).toContain(`Page ${i} of 3`);
      }
      expect(text.match(/Plumbline leadership report · Acme <Robotics>/g)).toHaveLength(3);
      expect(text).toContain('network blocked');
    }
  });

  it('A4 and Letter give different page sizes', async () => {
    const r = make(PAGES.good);
    const size = async (paper: 'A4' | 'Letter') => {
      const dir = mkdtempSync(join(tmpdir(), 'plumbline-pdf-'));
      try {
        writeFileSync(join(dir, 'r.pdf'), (await r.render(data, paper)).pdf);
        return /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(
          execFileSync('pdfinfo', [join(dir, 'r.pdf')], { encoding: 'utf8' }),
        )!;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const a4 = await size('A4');
    const letter = await size('Letter');
    // 210 x 297 mm and 8.5 x 11 in, in points (Chromium rounds to whole CSS pixels).
    expect(Math.abs(Number(a4[1]) - 595.3)).toBeLessThan(1.5);
    expect(Math.abs(Number(a4[2]) - 841.9)).toBeLessThan(1.5);
    expect(Math.abs(Number(letter[1]) - 612)).toBeLessThan(1.5);
    expect(Math.abs(Number(letter[2]) - 792)).toBeLessThan(1.5);
  });

  it('a page that never says it is ready fails within the limit, and the browser stays usable', async () => {
    const stuck = make(PAGES.stuck, { timeoutMs: 3000 });
    await expect(stuck.render(data, 'A4')).rejects.toThrow(
      'the PDF did not render within 3 s (REPORT_RENDER_TIMEOUT_MS)',
    );
    expect(await stuck.check()).toBeNull();
  });

  it('serves the page with its Content-Security-Policy: an inline script does not run', async () => {
    const { pageCount } = await make(PAGES.inline).render(data, 'A4');
    expect(pageCount).toBe(1);
  });

  it('a page that reports a problem fails with its words', async () => {
    await expect(make(PAGES.broken).render(data, 'A4')).rejects.toThrow(
      'the report page could not draw the report: the data has no overview',
    );
  });

  it('starts the browser again after it died', async () => {
    const r = make(PAGES.good);
    expect(await r.check()).toBeNull();
    const before = chromiumChildren();
    expect(before.length).toBeGreaterThan(0);
    for (const pid of before) process.kill(pid, 'SIGKILL');
    // The next report gets a new browser.
    const { pageCount } = await r.render(data, 'A4');
    expect(pageCount).toBe(3);
  });

  it('names a missing browser or report page, and refuses to render without a browser', async () => {
    const noBrowser = make(PAGES.good, { executablePath: '/nonexistent/chromium' });
    expect(await noBrowser.check()).toBe(
      'Chromium not found at /nonexistent/chromium: install it (apt-get install chromium fonts-dejavu-core) or set CHROMIUM_PATH to its executable',
    );
    await expect(noBrowser.render(data, 'A4')).rejects.toThrow(
      /Chromium at \/nonexistent\/chromium did not start/,
    );
    const noPage = make(null);
    expect(await noPage.check()).toMatch(
      /^the report page is missing: .*report\.html does not exist/,
    );
    // A file that is not a browser: the start fails, in words, without waiting for the limit.
    const notBrowser = make(PAGES.good, { executablePath: '/bin/true' });
    expect(await notBrowser.check()).toMatch(/^Chromium at \/bin\/true did not start: /);
  });

  it('counts pages of a PDF and rejects what is not one', () => {
    expect(() => pdfPageCount(new TextEncoder().encode('hello'))).toThrow(
      'the renderer did not produce a PDF',
    );
    const fake = '%PDF-1.4\n<< /Type /Pages /Count 2 >>\n<< /Type /Page >>\n<</Type/Page>>\n';
    expect(pdfPageCount(new TextEncoder().encode(fake))).toBe(2);
  });
});
