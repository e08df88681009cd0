/**
 * Real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core; no browser
 * download) for the end-to-end tests and the screenshot script, plus the axe-core check.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, requireBuilt, ROOT } from './stack';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--force-color-profile=srgb',
];

/** A laptop screen: the narrowest width the layout is designed for. */
export const LAPTOP = { width: 1280, height: 800 };

export async function launchBrowser(): Promise<Browser> {
  requireBuilt(CHROMIUM, 'Chromium', 'Install it: apt-get install chromium');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  /** Uncaught page errors and console errors, to assert there were none. */
  errors: string[];
}

/** A fresh browser profile (own cookies) with one page. */
export async function openPage(
  browser: Browser,
  viewport: { width: number; height: number } = LAPTOP,
): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport, colorScheme: 'light', locale: 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // A 401/404 the app expects (no session yet, an endpoint not deployed) is logged by the
    // browser itself as "Failed to load resource"; the app shows those in words instead.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      errors.push(`console error: ${m.text()}`);
    }
  });
  return { page, context, errors };
}

/** Sign in through the sign-in form, then wait for the organisation's first screen. */
export async function signIn(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
): Promise<void> {
  await page.goto(`${baseUrl}/signin`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/o\/[^/]+\/overview$/);
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

let axeSource: string | undefined;

/**
 * Run axe-core in the page (WCAG 2.x A and AA rules plus best practices) and return the
 * violations whose impact is serious or critical.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  if (!axeSource) {
    const require = createRequire(path.join(ROOT, 'apps/web/package.json'));
    axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  }
  const hasAxe = await page.evaluate(() => 'axe' in window);
  // Evaluated through the DevTools protocol: the app's CSP (script-src 'self', no inline
  // script) stays in force for the app itself, and the checker is not an inline <script>.
  if (!hasAxe) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    type AxeResult = {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: unknown[] }[];
      }[];
    };
    const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<AxeResult> } }).axe;
    const r = await axe.run({
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
