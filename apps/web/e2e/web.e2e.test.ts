/**
 * End-to-end: the built API serves the built web app on one origin, without Redis (jobs run
 * in-process, so readiness is "degraded"); real headless Chromium reads the public status page
 * and follows client-side routes. Expects the apps built (turbo builds them before test:e2e).
 */
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, seriousA11yViolations, type OpenedPage } from './browser';
import { startStack, type Stack } from './stack';

/** Poll until `read` returns a value `accept`s, or fail with the last value seen. */
async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (accept(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function textOf(page: Page, selector: string): Promise<string | null> {
  const el = page.locator(selector).first();
  return (await el.count()) ? (await el.innerText()).trim() : null;
}

describe('web app served by the API without Redis (headless Chromium)', () => {
  let stack: Stack | undefined;
  let browser: Browser | undefined;
  const opened: OpenedPage[] = [];

  beforeAll(async () => {
    stack = await startStack({ label: 'web_status_e2e', redis: false });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function open(urlPath: string): Promise<Page> {
    const o = await openPage(browser!);
    opened.push(o);
    const response = await o.page.goto(`${stack!.baseUrl}${urlPath}`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/text\/html/);
    return o.page;
  }

  it('shows the live system status on the public status page', async () => {
    const page = await open('/status');
    await page.getByRole('heading', { level: 1, name: 'System status' }).waitFor();
    expect(await page.title()).toBe('System status · Plumbline');
    // A loaded machine can make one database check slow ("down"): ask again, as a person would.
    await eventually(
      'overall status',
      async () => {
        const status = await textOf(page, '[data-testid=overall-status]');
        const again = page.getByRole('button', { name: 'Check again' });
        if (status !== null && status !== 'degraded' && (await again.isEnabled()))
          await again.click();
        return status;
      },
      (t) => t === 'degraded',
      30_000,
    );
    expect(await page.getAttribute('[data-testid=check-database]', 'data-status')).toBe('ok');
    expect(await textOf(page, '[data-testid=check-database]')).toContain('PostgreSQL answered');
    expect(await page.getAttribute('[data-testid=check-redis]', 'data-status')).toBe('degraded');
    expect(await page.getAttribute('[data-testid=check-worker]', 'data-status')).toBe('ok');
    expect(await textOf(page, '[data-testid=queue-mode]')).toContain('in-process');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('serves the app on client-side routes: a signed-out visitor is sent to sign in', async () => {
    const page = await open('/o/11111111-1111-4111-8111-111111111111/settings/tokens');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe(
      '/o/11111111-1111-4111-8111-111111111111/settings/tokens',
    );
    const unknown = await open('/some/deep/link');
    await unknown.getByTestId('not-found').waitFor();
    await unknown.getByRole('link', { name: 'check the system status' }).click();
    await unknown.getByRole('heading', { level: 1, name: 'System status' }).waitFor();
    expect(new URL(unknown.url()).pathname).toBe('/status');
  });

  it('still answers the API routes next to the web app', async () => {
    const res = await fetch(`${stack!.baseUrl}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'degraded', queueMode: 'in-process' });
    const api404 = await fetch(`${stack!.baseUrl}/v1/nope`);
    expect(api404.status).toBe(404);
    expect(api404.headers.get('content-type')).toMatch(/json/);
  });

  it('had no page errors', () => {
    expect(opened.flatMap((o) => o.errors)).toEqual([]);
  });
});
