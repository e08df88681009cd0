/**
 * End-to-end: the built API serves the built web app on one origin; a real headless Chromium
 * loads it and reads the System status panel. Runs without Redis, so jobs run in-process and
 * /readyz reports "degraded". Expects `apps/web/dist` and `apps/api/dist` to be built already
 * (turbo runs the builds before `test:e2e`).
 */
import { createTestDatabase, type TestDatabase } from '@plumbline/db';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const WEB_DIST = path.resolve(__dirname, '../dist');
const WEB_INDEX = path.join(WEB_DIST, 'index.html');
const API_MAIN = path.resolve(__dirname, '../../api/dist/main.js');
const REPO_ROOT = path.resolve(__dirname, '../../..');
const SCREENSHOT_DIR = path.resolve(__dirname, '../../../docs/screenshots');
const CHROMIUM = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function requireBuilt(file: string, what: string, buildCommand: string): void {
  if (!existsSync(file)) {
    throw new Error(
      `${what} is not built: ${file} is missing. Build it first ` +
        `(cd ${REPO_ROOT} && ${buildCommand}), or run the e2e tests through turbo.`,
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not determine a free TCP port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Collects the child's output so a failed start can say why. */
class OutputTail {
  private text = '';
  add(chunk: Buffer): void {
    this.text = (this.text + chunk.toString('utf8')).slice(-8000);
  }
  toString(): string {
    return this.text.trim() || '(no output)';
  }
}

async function waitForHealthy(
  baseUrl: string,
  child: ChildProcess,
  output: OutputTail,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no attempt yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the API exited before it became healthy (code ${child.exitCode}, signal ${child.signalCode}). Output:\n${output}`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      lastProblem = `GET /healthz answered HTTP ${res.status}`;
    } catch (e) {
      lastProblem = e instanceof Error ? e.message : String(e);
    }
    await sleep(200);
  }
  throw new Error(
    `the API did not answer GET /healthz with 200 within ${timeoutMs} ms (${lastProblem}). Output:\n${output}`,
  );
}

async function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (timedOut) {
    child.kill('SIGKILL');
    await exited;
  }
}

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
    if (Date.now() > deadline) {
      throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs} ms`);
    }
    await sleep(100);
  }
}

/** The rendered text of the first element matching `selector` (null while it is absent). */
async function textOf(page: Page, selector: string): Promise<string | null> {
  const el = page.locator(selector).first();
  return (await el.count()) ? (await el.innerText()).trim() : null;
}

describe('web app served by the API (headless Chromium)', () => {
  let db: TestDatabase | undefined;
  let api: ChildProcess | undefined;
  let browser: Browser | undefined;
  let baseUrl = '';
  const apiOutput = new OutputTail();
  const pageErrors: string[] = [];

  beforeAll(async () => {
    requireBuilt(WEB_INDEX, 'The web app', 'npx turbo run build --filter=@plumbline/web');
    requireBuilt(API_MAIN, 'The API', 'npx turbo run build --filter=@plumbline/api');
    requireBuilt(CHROMIUM, 'Chromium', 'apt-get install chromium');

    db = await createTestDatabase('web_e2e');
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.url,
      API_PORT: String(port),
      API_HOST: '127.0.0.1',
      WEB_DIST_DIR: WEB_DIST,
      LOG_LEVEL: 'warn',
    };
    delete env.REDIS_URL; // no Redis: jobs run in-process, readiness is "degraded"

    api = spawn(process.execPath, [API_MAIN], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    api.stdout?.on('data', (chunk: Buffer) => apiOutput.add(chunk));
    api.stderr?.on('data', (chunk: Buffer) => apiOutput.add(chunk));
    await waitForHealthy(baseUrl, api, apiOutput);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    const problems: unknown[] = [];
    const attempt = async (fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (e) {
        problems.push(e);
      }
    };
    await attempt(async () => browser?.close());
    await attempt(async () => (api ? stopChild(api) : undefined));
    await attempt(async () => db?.drop());
    if (problems.length) throw problems[0];
  });

  async function openPage(urlPath: string): Promise<Page> {
    if (!browser) throw new Error('the browser did not start');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const response = await page.goto(`${baseUrl}${urlPath}`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/text\/html/);
    return page;
  }

  it('shows the landing shell and the live system status', async () => {
    const page = await openPage('/');
    try {
      await page
        .getByRole('heading', { level: 1, name: 'Plumbline' })
        .waitFor({ state: 'visible' });
      expect(await page.title()).toBe('Plumbline');
      await page.getByRole('heading', { name: 'System status' }).waitFor({ state: 'visible' });

      await eventually(
        'overall status',
        () => textOf(page, '[data-testid=overall-status]'),
        (t) => t === 'degraded',
      );
      expect(await page.getAttribute('[data-testid=check-database]', 'data-status')).toBe('ok');
      expect(await textOf(page, '[data-testid=check-database]')).toMatch(/\bok\b/);
      expect(await textOf(page, '[data-testid=check-database]')).toContain('PostgreSQL answered');
      expect(await page.getAttribute('[data-testid=check-redis]', 'data-status')).toBe('degraded');
      expect(await page.getAttribute('[data-testid=check-worker]', 'data-status')).toBe('ok');
      expect(await page.locator('body').innerText()).toContain('in-process');
      expect(await textOf(page, '[data-testid=queue-mode]')).toContain('in-process');

      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      const screenshot = path.join(SCREENSHOT_DIR, 'home.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      expect(statSync(screenshot).size).toBeGreaterThan(1000);
      expect(pageErrors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('serves the single-page app shell on client-side routes', async () => {
    const page = await openPage('/some/deep/link');
    try {
      await page
        .getByRole('heading', { level: 1, name: 'Plumbline' })
        .waitFor({ state: 'visible' });
      expect(await page.$('#root')).not.toBeNull();
      await eventually(
        'overall status on a deep link',
        () => textOf(page, '[data-testid=overall-status]'),
        (t) => t === 'degraded',
      );
      expect(pageErrors).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('still answers the API routes next to the web app', async () => {
    const res = await fetch(`${baseUrl}/readyz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; queueMode: string };
    expect(body).toMatchObject({ status: 'degraded', queueMode: 'in-process' });
  });
});
