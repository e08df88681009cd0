/**
 * A real Plumbline for browser tests and screenshots: a fresh migrated PostgreSQL database with
 * the demo organisation seeded, the built API serving the built web app on one origin, and (with
 * Redis) the built worker on its own queue prefix, so parallel runs never share jobs. Optionally
 * the demo clusters, scanned through the real scanner offline path and analysed by the pipeline.
 * Used by the e2e tests (Jest) and by scripts/screenshots.ts (tsx).
 */
import { Database, createTestDatabase, seedDemo, type TestDatabase } from '@plumbline/db';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The repository root: the nearest folder up from the working directory with workspaces. */
export function repoRoot(from = process.cwd()): string {
  let dir = path.resolve(from);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && 'workspaces' in JSON.parse(readFileSync(pkg, 'utf8'))) return dir;
    const up = path.dirname(dir);
    if (up === dir)
      throw new Error(`no repository root (package.json with workspaces) above ${from}`);
    dir = up;
  }
}

export const ROOT = repoRoot();
export const WEB_DIST = path.join(ROOT, 'apps/web/dist');
export const CHROMIUM = '/usr/bin/chromium';
export const DEMO_EMAIL = 'demo@plumbline.local';
export const DEMO_PASSWORD = 'plumbline-demo';

const API_MAIN = path.join(ROOT, 'apps/api/dist/main.js');
const WORKER_MAIN = path.join(ROOT, 'apps/worker/dist/main.js');
const SCANNER_MAIN = path.join(ROOT, 'apps/scanner/dist/main.js');
const SCENARIOS_DIST = path.join(ROOT, 'packages/scenarios/dist/index.js');
const SEED_DEMO_DATA = path.join(ROOT, 'infra/local/seed-demo-data.mjs');

export function requireBuilt(file: string, what: string, fix: string): void {
  if (!existsSync(file)) {
    throw new Error(`${what} is missing (${file}). ${fix}`);
  }
}

export function freePort(): Promise<number> {
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

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The last few KB a child printed, so a failed start can say why. */
export class OutputTail {
  private text = '';
  add(chunk: Buffer): void {
    this.text = (this.text + chunk.toString('utf8')).slice(-8000);
  }
  toString(): string {
    return this.text.trim() || '(no output)';
  }
}

function startChild(name: string, file: string, env: NodeJS.ProcessEnv, out: OutputTail) {
  const child = spawn(process.execPath, [file], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => out.add(Buffer.from(`[${name}] ${c.toString('utf8')}`)));
  child.stderr?.on('data', (c: Buffer) => out.add(Buffer.from(`[${name}] ${c.toString('utf8')}`)));
  return child;
}

async function waitForHealthy(
  baseUrl: string,
  child: ChildProcess,
  out: OutputTail,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  let last = 'no attempt yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the API exited before it became healthy (code ${child.exitCode}). Output:\n${out}`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      last = `GET /healthz answered HTTP ${res.status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await sleep(200);
  }
  throw new Error(`the API did not become healthy within 60 s (${last}). Output:\n${out}`);
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

/** A signed-in API session for set-up and checks outside the browser. */
export interface ApiSession {
  cookie: string;
  csrfToken: string;
  organizationId: string | null;
  get<T>(p: string): Promise<T>;
  send<T>(method: string, p: string, body?: unknown): Promise<{ status: number; body: T }>;
}

export async function apiLogin(
  baseUrl: string,
  email: string,
  password: string,
): Promise<ApiSession> {
  const res = await fetch(`${baseUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200)
    throw new Error(`sign-in as ${email} failed: HTTP ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { csrfToken: string; organizationId: string | null };
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const send = async <T>(method: string, p: string, data?: unknown) => {
    const r = await fetch(`${baseUrl}${p}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': body.csrfToken,
        ...(data === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: data === undefined ? undefined : JSON.stringify(data),
    });
    const text = await r.text();
    return { status: r.status, body: (text ? JSON.parse(text) : undefined) as T };
  };
  return {
    cookie,
    csrfToken: body.csrfToken,
    organizationId: body.organizationId,
    send,
    async get<T>(p: string) {
      const r = await send<T>('GET', p);
      if (r.status !== 200)
        throw new Error(`GET ${p} answered HTTP ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body;
    },
  };
}

export interface StackOptions {
  /** Names the test database. */
  label: string;
  /** Real Redis and a separate worker (default), or no Redis: jobs run inside the API. */
  redis?: boolean;
  /** Also upload and analyse the demo clusters (four clusters, three scans each). */
  demoData?: boolean;
  /**
   * CIDRs agentless scans may reach although private or loopback (`AGENTLESS_ALLOWED_CIDRS`),
   * e.g. `127.0.0.1/32` for a Kubernetes API simulator on this machine. Agentless scans are
   * always possible on this stack: it has its own encryption key.
   */
  agentlessAllowedCidrs?: string;
  /** More environment for the API and the worker (e.g. `SMTP_URL` of a test mail server). */
  env?: Record<string, string>;
}

export interface Stack {
  baseUrl: string;
  organizationId: string;
  /** The demo scanner token created by the seed (plain, for uploads in tests). */
  scannerToken: string;
  output: OutputTail;
  stop(): Promise<void>;
}

/** Start database, API (+ web) and worker; stop() undoes all of it, even after a failed start. */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const redis = opts.redis ?? true;
  requireBuilt(
    path.join(WEB_DIST, 'index.html'),
    'The built web app',
    'Run: npx turbo run build --filter=@plumbline/web',
  );
  requireBuilt(API_MAIN, 'The built API', 'Run: npx turbo run build --filter=@plumbline/api');
  if (redis)
    requireBuilt(
      WORKER_MAIN,
      'The built worker',
      'Run: npx turbo run build --filter=@plumbline/worker',
    );
  if (opts.demoData) {
    requireBuilt(
      SCANNER_MAIN,
      'The built scanner',
      'Run: npx turbo run build --filter=@plumbline/scanner',
    );
    requireBuilt(
      SCENARIOS_DIST,
      'The built scenario generator',
      'Run: npx turbo run build --filter=@plumbline/scenarios',
    );
  }

  const output = new OutputTail();
  const children: ChildProcess[] = [];
  let db: TestDatabase | undefined;
  const work = mkdtempSync(path.join(tmpdir(), 'plumbline-web-'));
  const stop = async () => {
    for (const c of children.reverse()) await stopChild(c);
    if (db) await db.drop();
    rmSync(work, { recursive: true, force: true });
  };

  try {
    db = await createTestDatabase(opts.label);
    const database = Database.connect(db.url, { poolSize: 2 });
    let seeded;
    try {
      seeded = await seedDemo(database, { password: DEMO_PASSWORD });
    } finally {
      await database.close();
    }
    if (!seeded.scannerToken) throw new Error('the demo seed did not create a scanner token');

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      API_PORT: String(port),
      API_HOST: '127.0.0.1',
      WEB_DIST_DIR: WEB_DIST,
      // PDF reports: the worker (or the API in-process) prints the built report page.
      REPORT_DIST_DIR: WEB_DIST,
      CHROMIUM_PATH: CHROMIUM,
      LOG_LEVEL: 'warn',
      // A throwaway key for this stack's cluster connection credentials.
      PLUMBLINE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      AGENTLESS_ALLOWED_CIDRS: opts.agentlessAllowedCidrs ?? '',
      // Links in mails and the single sign-on redirect point at this stack.
      APP_URL: baseUrl,
      ...opts.env,
    };
    if (redis) {
      env.REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
      env.QUEUE_PREFIX = `web-e2e-${randomBytes(4).toString('hex')}`;
    } else {
      delete env.REDIS_URL;
    }
    const api = startChild('api', API_MAIN, env, output);
    children.push(api);
    await waitForHealthy(baseUrl, api, output);
    if (redis) children.push(startChild('worker', WORKER_MAIN, env, output));

    if (opts.demoData) {
      const tokenFile = path.join(work, 'scanner-token');
      writeFileSync(tokenFile, `${seeded.scannerToken}\n`, { mode: 0o600 });
      const r = spawnSync(
        process.execPath,
        [SEED_DEMO_DATA, '--url', baseUrl, '--token-file', tokenFile, '--password', DEMO_PASSWORD],
        { cwd: ROOT, encoding: 'utf8', timeout: 300_000 },
      );
      if (r.status !== 0) {
        throw new Error(
          `seeding the demo clusters failed (exit ${r.status}): ${r.stderr.slice(-2000)}`,
        );
      }
      await waitForAnalysis(baseUrl, seeded.organizationId, output);
    }
    return {
      baseUrl,
      organizationId: seeded.organizationId,
      scannerToken: seeded.scannerToken,
      output,
      stop,
    };
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
}

/** Wait until every uploaded scan of the organisation has finished (analysed or failed). */
async function waitForAnalysis(baseUrl: string, orgId: string, output: OutputTail): Promise<void> {
  const session = await apiLogin(baseUrl, DEMO_EMAIL, DEMO_PASSWORD);
  const deadline = Date.now() + 300_000;
  let pending = -1;
  while (Date.now() < deadline) {
    const clusters = await session.get<{ items: { id: string }[] }>(`/v1/orgs/${orgId}/clusters`);
    pending = 0;
    for (const c of clusters.items) {
      const scans = await session.get<{ items: { status: string }[] }>(
        `/v1/orgs/${orgId}/clusters/${c.id}/scans?limit=50`,
      );
      pending += scans.items.filter((s) => s.status === 'queued' || s.status === 'running').length;
    }
    if (clusters.items.length > 0 && pending === 0) return;
    await sleep(500);
  }
  throw new Error(`demo scans still pending after 300 s (${pending} left). Output:\n${output}`);
}
