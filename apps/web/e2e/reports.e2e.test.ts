/**
 * End-to-end: the Reports screen of the built web app, against the real API, PostgreSQL, Redis
 * and the built worker (which prints the built report page with Chromium), with the demo
 * organisation's clusters scanned and analysed: a person requests a PDF for the organisation on
 * Letter and one for a cluster on A4, watches them become ready, and downloads them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, openPage, seriousA11yViolations, signIn, type OpenedPage } from './browser';
import { downloadReport, requestReport } from './report-flow';
import { DEMO_EMAIL, DEMO_PASSWORD, startStack, type Stack } from './stack';

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

  const request = (scope: string, paper: string) => requestReport(page, stack, scope, paper);
  const download = (row: Locator, name: string) => downloadReport(page, row, downloads, name);

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
