/**
 * End-to-end: the Reports screen of the built web app, against the real API, PostgreSQL, Redis
 * and the built worker (which prints the built report page with Chromium), with the demo
 * organisation's clusters scanned and analysed: a person requests a PDF for the organisation on
 * Letter and one for a cluster on A4, watches them become ready, and downloads them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, seriousA11yViolations, signIn, type OpenedPage } from './browser';
import { DEMO_EMAIL, DEMO_PASSWORD, startStack, type Stack } from './stack';

function pdfFacts(file: string): { text: string; pages: number; size: string } {
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.error}`);
    return r.stdout;
  };
  const info = run('pdfinfo', [file]);
  return {
    text: run('pdftotext', [file, '-']).replace(/\s+/g, ' '),
    pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1]),
    size: /Page size:\s+(.*)/.exec(info)?.[1] ?? '',
  };
}

describe('Reports screen in a real browser: request, status, download', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let opened: OpenedPage;
  const downloads = mkdtempSync(path.join(tmpdir(), 'plumbline-downloads-'));

  beforeAll(async () => {
    stack = await startStack({ label: 'web_reports_e2e', demoData: true });
    browser = await launchBrowser();
    opened = await openPage(browser);
    page = opened.page;
    await signIn(page, stack.baseUrl, DEMO_EMAIL, DEMO_PASSWORD);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    rmSync(downloads, { recursive: true, force: true });
  });

  /** Request one report through the form; returns the new row once it is ready. */
  async function request(scope: string, paper: string) {
    await page.getByLabel('Scope').selectOption({ label: scope });
    await page.getByLabel('Paper size').selectOption({ label: paper });
    const before = await page.getByTestId('report-row').count();
    await page.getByRole('button', { name: 'Request PDF' }).click();
    await page.getByTestId('report-requested').waitFor();
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=report-row]').length > n,
      before,
    );
    const row = page.getByTestId('report-row').first();
    // The screen polls by itself until the worker has printed it (or says why it failed).
    await page.waitForFunction(
      () =>
        ['ready', 'failed'].includes(
          document.querySelector('[data-testid=report-row]')?.getAttribute('data-status') ?? '',
        ),
      undefined,
      { timeout: 120_000 },
    );
    const status = await row.getAttribute('data-status');
    if (status !== 'ready')
      throw new Error(
        `the report failed: ${await row.innerText()}\n${stack.output.toString().slice(-3000)}`,
      );
    return row;
  }

  async function download(row: ReturnType<Page['getByTestId']>, name: string) {
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('link', { name: /Download PDF: the report of/ }).click(),
    ]);
    expect(file.suggestedFilename()).toMatch(
      /^plumbline-report-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.pdf$/,
    );
    const target = path.join(downloads, name);
    await file.saveAs(target);
    expect(readFileSync(target).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    return pdfFacts(target);
  }

  it('starts empty, accessible, with the request form', async () => {
    await page.goto(`${stack.baseUrl}/o/${stack.organizationId}/reports`);
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    await page.getByTestId('reports-empty').waitFor();
    expect(await page.getByLabel('Scope').locator('option').allInnerTexts()).toEqual(
      expect.arrayContaining(['The whole organisation', 'Cluster ai-platform']),
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('requests the organisation’s report on Letter and downloads it', async () => {
    const row = await request('The whole organisation', 'US Letter (8.5 × 11 in)');
    const pagesShown = Number((await row.locator('td.num').innerText()).trim());
    const pdf = await download(row, 'organisation.pdf');
    expect(pdf.pages).toBe(pagesShown);
    expect(pdf.pages).toBeGreaterThanOrEqual(6);
    expect(pdf.size).toMatch(/^612 x 792 pts/);
    expect(pdf.text).toContain('Demo Org');
    expect(pdf.text).toContain('Executive summary');
    expect(pdf.text).toContain('Integration tax');
    expect(pdf.text).toContain('VM consolidation');
    // "What to do first" is the plan to the next level, and every plan has its roadmap.
    expect(pdf.text).toContain('What to do first');
    expect(pdf.text).toContain('Roadmap to the next level');
  });

  it('requests one cluster’s report on A4 and downloads it; the list keeps both', async () => {
    const row = await request('Cluster ai-platform', 'A4 (210 × 297 mm)');
    expect(await row.innerText()).toContain('cluster ai-platform');
    const pdf = await download(row, 'cluster.pdf');
    expect(pdf.size).toMatch(/\(A4\)$/);
    expect(pdf.text).toContain('Cluster ai-platform runs Kubernetes');
    expect(pdf.text).toMatch(
      /To take ai-platform from level \d to level \d: \d+ steps?, [\d.]+ hours? of engineering work/,
    );
    expect(pdf.text).toMatch(/ai-platform: level \d → \d/);
    expect(await page.getByTestId('report-row').count()).toBe(2);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('had no page errors', () => {
    expect(opened.errors).toEqual([]);
  });
});
