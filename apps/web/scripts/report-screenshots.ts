/**
 * `npm run screenshots:report`: the Reports screen with a ready report, and sample pages of the
 * leadership PDF as pictures (docs/screenshots/report-*.png), from a real stack with the demo
 * data: the PDF is requested through the screen, printed by the worker (the built report page in
 * Chromium), downloaded, and its pages drawn with poppler's pdftoppm. Needs what the e2e tests
 * need (PostgreSQL, Redis, /usr/bin/chromium, the apps built) and poppler-utils.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser, openPage, signIn } from '../e2e/browser';
import { DEMO_EMAIL, DEMO_PASSWORD, ROOT, startStack } from '../e2e/stack';

const OUT = path.join(ROOT, 'docs/screenshots');

/** Sample pages: the first page whose own line is the heading. */
const PAGES: [file: string, heading: string][] = [
  ['report-cover', 'PLUMBLINE'],
  ['report-executive-summary', 'Executive summary'],
  ['report-operational-maturity', 'Operational maturity'],
  ['report-agent-accountability', 'AI agent accountability'],
  ['report-integration-tax', 'Integration tax'],
  ['report-vm-consolidation', 'VM consolidation'],
  ['report-trend', 'Trend'],
];

function pageOf(pdf: string, pages: number, heading: string): number {
  for (let i = 1; i <= pages; i++) {
    const text = execFileSync('pdftotext', ['-f', String(i), '-l', String(i), pdf, '-'], {
      encoding: 'utf8',
    });
    if (text.split('\n').some((l) => l.trim() === heading)) return i;
  }
  throw new Error(`no page of the PDF starts "${heading}"`);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const work = mkdtempSync(path.join(tmpdir(), 'plumbline-report-shots-'));
  process.stdout.write('starting database, API, worker and demo data (this takes a minute)...\n');
  const stack = await startStack({ label: 'report_screenshots', demoData: true });
  const browser = await launchBrowser();
  try {
    const { page } = await openPage(browser);
    await signIn(page, stack.baseUrl, DEMO_EMAIL, DEMO_PASSWORD);
    await page.goto(`${stack.baseUrl}/o/${stack.organizationId}/reports`);
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    await page.getByRole('button', { name: 'Request PDF' }).click();
    const row = page.getByTestId('report-row').first();
    await page.waitForFunction(
      () =>
        ['ready', 'failed'].includes(
          document.querySelector('[data-testid=report-row]')?.getAttribute('data-status') ?? '',
        ),
      undefined,
      { timeout: 120_000 },
    );
    if ((await row.getAttribute('data-status')) !== 'ready')
      throw new Error(`the report failed: ${await row.innerText()}`);
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: path.join(OUT, 'reports.png'), fullPage: true });
    process.stdout.write('  docs/screenshots/reports.png\n');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('link', { name: /Download PDF/ }).click(),
    ]);
    const pdf = path.join(work, 'report.pdf');
    await download.saveAs(pdf);
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    for (const [name, heading] of PAGES) {
      const n = pageOf(pdf, pages, heading);
      const prefix = path.join(work, name);
      // 80 dpi: an A4 page at 661 x 935 pixels, readable and small.
      execFileSync('pdftoppm', [
        '-png',
        '-r',
        '80',
        '-f',
        String(n),
        '-l',
        String(n),
        '-singlefile',
        pdf,
        prefix,
      ]);
      renameSync(`${prefix}.png`, path.join(OUT, `${name}.png`));
      process.stdout.write(`  docs/screenshots/${name}.png (page ${n} of ${pages})\n`);
    }
  } finally {
    await browser.close();
    await stack.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
