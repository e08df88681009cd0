import { REPORT_PAGE, type PaperSize, type ReportData } from '@plumbline/contracts';
import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { Browser, BrowserContext, Route } from 'playwright-core';
import type { JobLogger } from '../port.js';
import type { ReportRenderer } from './render.js';

/**
 * Chromium flags for a headless browser in a container: no sandbox (the pod is the sandbox: it
 * runs non-root with no capabilities, where Chromium's own sandbox cannot start), no GPU, no
 * background traffic, /tmp instead of a small /dev/shm.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
  '--force-color-profile=srgb',
] as const;

/** The report page is served under this origin by request interception; nothing else loads. */
export const REPORT_ORIGIN = 'https://report.plumbline.invalid';
export const REPORT_ENTRY = REPORT_PAGE.entry;
/** Where the data goes, and where the page (apps/web/src/report) says it is printable. */
export const REPORT_DATA_GLOBAL = REPORT_PAGE.dataGlobal;
export const REPORT_STATUS_GLOBAL = REPORT_PAGE.statusGlobal;

/**
 * The report page's Content-Security-Policy (as the API's for the web app, but it fetches
 * nothing): its own scripts and styles only, no inline script. The data arrives through an
 * init script of the browser (DevTools protocol), which page CSP does not govern.
 */
export const REPORT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.json': 'application/json',
};

/** Page margins; the header and footer are printed inside the top and bottom ones. */
const MARGIN = { top: '20mm', bottom: '18mm', left: '14mm', right: '14mm' } as const;

export interface ChromiumRendererOptions {
  /** The Chromium executable (CHROMIUM_PATH). */
  executablePath: string;
  /** The built web app's folder holding report.html and its assets (REPORT_DIST_DIR). */
  reportDir: string;
  /** Longest time one render may take, browser start included (REPORT_RENDER_TIMEOUT_MS). */
  timeoutMs: number;
  /** Longest wait for the browser to start (default 20 s, never above timeoutMs). */
  launchTimeoutMs?: number;
  /** After a failed start, do not try again for this long (default 30 s): checks stay cheap. */
  relaunchBackoffMs?: number;
  log?: JobLogger;
}

/** A render that did not finish in time, or whose page reported a problem. */
export class ReportRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportRenderError';
  }
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const firstLine = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .find(Boolean) ?? s;

/** Number of pages of a PDF written by Chromium (page objects are never in compressed streams). */
export function pdfPageCount(pdf: Uint8Array): number {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  if (!text.startsWith('%PDF-')) throw new ReportRenderError('the renderer did not produce a PDF');
  const pages = text.match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
  if (!pages) throw new ReportRenderError('the PDF has no pages');
  return pages;
}

/** The running header and footer Chromium prints on every page (inline styles only). */
export function headerFooter(data: ReportData): { headerTemplate: string; footerTemplate: string } {
  const box =
    'font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;font-size:7.5pt;color:#4a5160;' +
    'width:100%;margin:0 14mm;display:flex;justify-content:space-between;' +
    '-webkit-print-color-adjust:exact;';
  const org = escapeHtml(data.organization.name);
  const scope = escapeHtml(data.scope.label);
  const date = escapeHtml(data.generatedAt.slice(0, 10));
  return {
    headerTemplate: `<div style='${box}'><span>Plumbline leadership report · ${org}</span><span>${scope} · ${date}</span></div>`,
    footerTemplate: `<div style='${box}'><span>Confidential: prepared for ${org}</span><span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
  };
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Run `work` with a deadline; on timeout `onTimeout` cleans up and the error names the limit. */
async function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  message: string,
  onTimeout: () => Promise<void>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => {
    timer = setTimeout(() => r('timeout'), ms);
  });
  // The work may still settle after the deadline: never leave its rejection unhandled.
  work.catch(() => undefined);
  try {
    const first = await Promise.race([work, timeout]);
    if (first === 'timeout') {
      await onTimeout().catch(() => undefined);
      throw new ReportRenderError(message);
    }
    return first;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Prints the leadership report with headless Chromium: the built report page of the web app
 * (apps/web/src/report, `report.html` in REPORT_DIST_DIR) is served to the browser by request
 * interception (no HTTP server, no network: every other request is refused), the report data is
 * injected before the page's scripts run, and the PDF is printed once the page says its charts
 * are drawn. One browser per process stays warm between reports (a new context per report keeps
 * them apart) and is started again if it dies. Every step is bounded by `timeoutMs`.
 */
export class ChromiumReportRenderer implements ReportRenderer {
  private browser: Promise<Browser> | null = null;
  private lastLaunchFailure: { at: number; message: string } | null = null;
  private closed = false;
  private readonly root: string;
  private readonly launchTimeoutMs: number;
  private readonly relaunchBackoffMs: number;

  constructor(private readonly options: ChromiumRendererOptions) {
    this.root = resolve(options.reportDir);
    this.launchTimeoutMs = Math.min(options.launchTimeoutMs ?? 20_000, options.timeoutMs);
    this.relaunchBackoffMs = options.relaunchBackoffMs ?? 30_000;
  }

  /** Start the browser now (worker start), so the first report does not wait for it. */
  async start(): Promise<string | null> {
    return this.check();
  }

  async check(): Promise<string | null> {
    if (this.closed) return 'the report renderer is shut down';
    const entry = join(this.root, REPORT_ENTRY);
    try {
      await access(entry, constants.R_OK);
    } catch {
      return `the report page is missing: ${entry} does not exist (build the web app with "npx turbo run build --filter=@plumbline/web" and point REPORT_DIST_DIR at its dist folder)`;
    }
    const exe = this.options.executablePath;
    if (!(await isExecutable(exe)))
      return `Chromium not found at ${exe}: install it (apt-get install chromium fonts-dejavu-core) or set CHROMIUM_PATH to its executable`;
    try {
      await this.getBrowser();
      return null;
    } catch (e) {
      return (e as Error).message;
    }
  }

  /** The warm browser, started on first use and again after it died (not more than every 30 s). */
  private getBrowser(): Promise<Browser> {
    if (this.browser) return this.browser;
    const failed = this.lastLaunchFailure;
    if (failed && Date.now() - failed.at < this.relaunchBackoffMs)
      return Promise.reject(new ReportRenderError(failed.message));
    const exe = this.options.executablePath;
    // Loaded on first use: playwright-core takes a second to import, and most processes that
    // import this package (the API with Redis, tests) never print a PDF.
    const launching = import('playwright-core')
      .then(({ chromium }) =>
        chromium.launch({
          executablePath: exe,
          args: [...CHROMIUM_ARGS],
          timeout: this.launchTimeoutMs,
          // The worker closes the browser itself on shutdown, after in-flight jobs finish.
          handleSIGINT: false,
          handleSIGTERM: false,
          handleSIGHUP: false,
        }),
      )
      .then(
        (browser) => {
          this.lastLaunchFailure = null;
          browser.on('disconnected', () => {
            if (this.browser === launching) this.browser = null;
            if (!this.closed)
              this.options.log?.warn({ executablePath: exe }, 'Chromium exited; restarting it');
          });
          this.options.log?.info(
            { executablePath: exe, version: browser.version() },
            'Chromium started',
          );
          return browser;
        },
        (e: unknown) => {
          if (this.browser === launching) this.browser = null;
          const message = `Chromium at ${exe} did not start: ${firstLine((e as Error).message)}`;
          this.lastLaunchFailure = { at: Date.now(), message };
          throw new ReportRenderError(message);
        },
      );
    this.browser = launching;
    return launching;
  }

  /** Drop a dead browser so the next use starts a new one. */
  private async forget(browser: Browser): Promise<void> {
    const current = this.browser;
    if (current && (await current.catch(() => null)) === browser && this.browser === current)
      this.browser = null;
  }

  async render(
    data: ReportData,
    paperSize: PaperSize,
  ): Promise<{ pdf: Uint8Array; pageCount: number }> {
    if (this.closed) throw new ReportRenderError('the report renderer is shut down');
    let context: BrowserContext | null = null;
    let browser: Browser | null = null;
    const work = (async () => {
      const contextOptions = {
        viewport: { width: 794, height: 1123 },
        locale: 'en-US',
        timezoneId: 'UTC',
        colorScheme: 'light',
        serviceWorkers: 'block',
      } as const;
      browser = await this.getBrowser();
      try {
        context = await browser.newContext(contextOptions);
      } catch (e) {
        // The warm browser died and we have not heard yet: start a new one, once.
        if (browser.isConnected()) throw e;
        await this.forget(browser);
        browser = await this.getBrowser();
        context = await browser.newContext(contextOptions);
      }
      await context.route('**/*', (route) => this.serve(route));
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await page.addInitScript(
        ([name, value]) => {
          (globalThis as unknown as Record<string, unknown>)[name] = value;
        },
        [REPORT_DATA_GLOBAL, data] as const,
      );
      await page.goto(`${REPORT_ORIGIN}/${REPORT_ENTRY}`, { waitUntil: 'load' });
      const status = await page.waitForFunction(
        ([name]) => {
          const s = (globalThis as unknown as Record<string, unknown>)[name] as
            { state: string; message?: string } | undefined;
          return s && s.state !== 'rendering' ? s : null;
        },
        [REPORT_STATUS_GLOBAL] as const,
        { polling: 50, timeout: 0 },
      );
      const result = (await status.jsonValue()) as { state: string; message?: string };
      if (result.state !== 'ready')
        throw new ReportRenderError(
          `the report page could not draw the report: ${result.message ?? problems[0] ?? result.state}`,
        );
      const pdf = await page.pdf({
        format: paperSize,
        printBackground: true,
        displayHeaderFooter: true,
        ...headerFooter(data),
        margin: MARGIN,
        outline: true,
        tagged: true,
      });
      return { pdf: new Uint8Array(pdf), pageCount: pdfPageCount(pdf) };
    })();
    const seconds = Math.round(this.options.timeoutMs / 1000);
    try {
      return await withDeadline(
        work,
        this.options.timeoutMs,
        `the PDF did not render within ${seconds} s (REPORT_RENDER_TIMEOUT_MS)`,
        async () => {
          // A stuck page: drop its context; if even that hangs, restart the browser.
          const ctx = context as BrowserContext | null;
          const b = browser as Browser | null;
          const closedCtx = ctx
            ? await withDeadline(
                ctx.close().then(() => true),
                5000,
                'context close timed out',
                async () => undefined,
              ).catch(() => false)
            : false;
          if (!closedCtx && b) {
            if (this.browser) this.browser = null;
            await b.close().catch(() => undefined);
          }
        },
      );
    } finally {
      const ctx = context as BrowserContext | null;
      if (ctx) await ctx.close().catch(() => undefined);
    }
  }

  /** Files of the report build only; every other request (network, other paths) is refused. */
  private async serve(route: Route): Promise<void> {
    const url = new URL(route.request().url());
    if (url.origin !== REPORT_ORIGIN || route.request().method() !== 'GET')
      return route.abort('blockedbyclient');
    const file = resolve(this.root, `.${decodeURIComponent(url.pathname)}`);
    if (file !== this.root && !file.startsWith(this.root + sep)) return route.abort('accessdenied');
    try {
      const body = await readFile(file);
      await route.fulfill({
        status: 200,
        body,
        contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        headers: { 'Content-Security-Policy': REPORT_CSP, 'X-Content-Type-Options': 'nosniff' },
      });
    } catch {
      await route.fulfill({ status: 404, body: 'not found', contentType: 'text/plain' });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = this.browser;
    this.browser = null;
    if (!pending) return;
    const browser = await pending.catch(() => null);
    // Bounded: shutdown never waits on a stuck browser (it exits with its pipe to us).
    if (browser)
      await withDeadline(
        browser.close(),
        10_000,
        'browser close timed out',
        async () => undefined,
      ).catch(() => undefined);
  }
}

/** The renderer the env describes, or null when PDF reports are not configured. */
export function reportRendererFromEnv(
  env: { REPORT_DIST_DIR?: string; CHROMIUM_PATH: string; REPORT_RENDER_TIMEOUT_MS: number },
  log?: JobLogger,
): ChromiumReportRenderer | null {
  if (!env.REPORT_DIST_DIR) return null;
  return new ChromiumReportRenderer({
    executablePath: env.CHROMIUM_PATH,
    reportDir: env.REPORT_DIST_DIR,
    timeoutMs: env.REPORT_RENDER_TIMEOUT_MS,
    log,
  });
}
