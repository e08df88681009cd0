/**
 * The Reports screen as a person uses it, shared by the end-to-end tests: request a PDF through
 * the form, wait for the screen's own polling to show it ready, download it and read it back
 * with poppler (text, pages, paper size).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { Stack } from './stack';

export interface PdfFacts {
  /** The text with every run of whitespace as one space. */
  text: string;
  pages: number;
  size: string;
}

export function pdfFacts(file: string): PdfFacts {
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

/** Request one report through the form (on the Reports screen); the new row once it is ready. */
export async function requestReport(
  page: Page,
  stack: Stack,
  scope: string,
  paper: string,
): Promise<Locator> {
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
  if ((await row.getAttribute('data-status')) !== 'ready')
    throw new Error(
      `the report failed: ${await row.innerText()}\n${stack.output.toString().slice(-3000)}`,
    );
  return row;
}

/** Download a ready row's PDF into `dir` as `name`, check its name and magic, and read it. */
export async function downloadReport(
  page: Page,
  row: Locator,
  dir: string,
  name: string,
): Promise<PdfFacts> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('link', { name: /Download PDF: the report of/ }).click(),
  ]);
  if (!/^plumbline-report-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.pdf$/.test(file.suggestedFilename()))
    throw new Error(`unexpected download name ${file.suggestedFilename()}`);
  const target = path.join(dir, name);
  await file.saveAs(target);
  if (readFileSync(target).subarray(0, 5).toString('latin1') !== '%PDF-')
    throw new Error(`${name} is not a PDF`);
  return pdfFacts(target);
}
