#!/usr/bin/env node
// `npm run demo`: install, build, start an embedded database (unless DATABASE_URL is set) and a
// local Redis (unless REDIS_URL is set; none installed -> jobs run in-process), migrate, seed the
// demo organisation, start API (+ web) and worker, print the URL. Ctrl-C stops everything; data
// stays in .plumbline/ (or $PLUMBLINE_HOME), so the next run continues where this one stopped.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const home = resolve(process.env.PLUMBLINE_HOME ?? join(root, '.plumbline'));
const apiPort = Number(process.env.PLUMBLINE_PORT ?? 3000);
const pgPort = Number(process.env.PLUMBLINE_PG_PORT ?? 54329);
const redisPort = Number(process.env.PLUMBLINE_REDIS_PORT ?? 6390);
const children = [];
let shuttingDown = false;

const log = (msg) => console.log(`[demo] ${msg}`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
}

function onPath(bin) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, bin)));
}

function portOpen(port) {
  return new Promise((resolveP) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), resolveP(true)));
    s.once('error', () => resolveP(false));
  });
}

async function waitFor(what, check, ms = 60_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not come up within ${ms / 1000} s`);
}

function start(name, cmd, args, env = {}) {
  const child = spawn(cmd, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
    // Own process group: Ctrl-C reaches only this script, which then stops the children in
    // order (apps before Redis and the database), so nothing is cut off mid-write.
    detached: true,
  });
  child.on('exit', (code, signal) => {
    if (!shuttingDown) {
      console.error(
        `[demo] ${name} exited unexpectedly (code ${code}, signal ${signal}); stopping`,
      );
      void shutdown(1);
    }
  });
  children.push({ name, child });
  return child;
}

async function shutdown(code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  log('stopping...');
  // Stop in reverse start order: apps first, then Redis and the database.
  for (const { name, child } of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    await new Promise((r) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => (clearTimeout(timer), r()));
      child.kill('SIGTERM');
    });
    log(`${name} stopped`);
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

/**
 * The key that encrypts cluster connection tokens: PLUMBLINE_ENCRYPTION_KEY when set, otherwise
 * one generated on first start and kept in the data folder (so agentless scans work in the demo
 * and stored tokens stay readable across restarts).
 */
function demoEncryptionKey() {
  if (process.env.PLUMBLINE_ENCRYPTION_KEY) return process.env.PLUMBLINE_ENCRYPTION_KEY;
  const file = join(home, 'encryption-key');
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    log(`generated the encryption key for cluster connection tokens: ${file}`);
  }
  return readFileSync(file, 'utf8').trim();
}

async function main() {
  mkdirSync(home, { recursive: true });

  // 1. Dependencies (skipped when node_modules matches the lockfile).
  const stamp = join(root, 'node_modules/.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (!existsSync(stamp) || statSync(stamp).mtimeMs < statSync(lock).mtimeMs) {
    log('installing dependencies (npm ci)');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }

  // 2. Build everything (Turborepo caches unchanged workspaces).
  log('building');
  run('npx', ['turbo', 'run', 'build', '--output-logs=errors-only'], {
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });

  // 2b. Link the workspace CLIs (plumbline-scanner, plumbline-probe): `npm ci` ran before
  // their dist/ existed, so npm could not link them then (scripts/link-bins.mjs, offline).
  run(process.execPath, [join(root, 'scripts/link-bins.mjs')]);

  // 3. Database.
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    if (await portOpen(pgPort)) throw new Error(`port ${pgPort} is busy; set PLUMBLINE_PG_PORT`);
    log(`starting embedded PostgreSQL (PGlite), data in ${join(home, 'pgdata')}`);
    start('pglite', process.execPath, [
      join(root, 'infra/local/pglite-server.mjs'),
      '--data',
      join(home, 'pgdata'),
      '--port',
      String(pgPort),
    ]);
    await waitFor('embedded PostgreSQL', () => portOpen(pgPort));
    databaseUrl = `postgresql://postgres@127.0.0.1:${pgPort}/postgres?sslmode=disable`;
  } else log('using DATABASE_URL');

  // 4. Redis: given, local, or none (jobs run inside the API process).
  let redisUrl = process.env.REDIS_URL;
  if (!redisUrl && onPath('redis-server')) {
    if (await portOpen(redisPort))
      throw new Error(`port ${redisPort} is busy; set PLUMBLINE_REDIS_PORT`);
    mkdirSync(join(home, 'redis'), { recursive: true });
    log(`starting local Redis on port ${redisPort}`);
    start('redis', 'redis-server', [
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--dir',
      join(home, 'redis'),
      '--appendonly',
      'yes',
      '--loglevel',
      'warning',
      '--save',
      '',
      '--protected-mode',
      'yes',
    ]);
    await waitFor('Redis', () => portOpen(redisPort));
    redisUrl = `redis://127.0.0.1:${redisPort}`;
  } else if (!redisUrl) {
    log(
      '!! no REDIS_URL and no redis-server installed: background jobs will run INSIDE the API process (local/demo only)',
    );
  }

  const appEnv = {
    DATABASE_URL: databaseUrl,
    // The embedded database is one session shared by every connection: no named statements,
    // and no LISTEN connection of its own for the read change feed (reads ask every time).
    ...(process.env.DATABASE_URL
      ? {}
      : { DATABASE_PREPARED_STATEMENTS: 'false', READ_CHANGE_FEED: 'false' }),
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    PLUMBLINE_ENCRYPTION_KEY: demoEncryptionKey(),
    // Links in mails (password reset, email verification, invites) point at this demo.
    APP_URL: process.env.APP_URL ?? `http://127.0.0.1:${apiPort}`,
  };
  if (!redisUrl) delete process.env.REDIS_URL;

  // 5. Migrate and seed.
  log('applying migrations');
  run(process.execPath, [join(root, 'packages/db/dist/cli/migrate.js'), 'deploy'], {
    env: { ...process.env, ...appEnv },
  });
  const seeded = spawnSync(process.execPath, [join(root, 'packages/db/dist/seed/cli.js')], {
    cwd: root,
    env: { ...process.env, ...appEnv },
    encoding: 'utf8',
  });
  if (seeded.status !== 0) throw new Error(`seed failed: ${seeded.stderr}`);
  const seed = JSON.parse(seeded.stdout.trim().split('\n').pop());
  const tokenFile = join(home, 'demo-scanner-token');
  if (seed.scannerToken) writeFileSync(tokenFile, seed.scannerToken + '\n', { mode: 0o600 });

  // 6. API (serving the web app) and worker.
  if (await portOpen(apiPort)) throw new Error(`port ${apiPort} is busy; set PLUMBLINE_PORT`);
  // PDF reports: whoever runs the jobs (the worker, or the API in-process) prints the built report
  // page with Chromium (CHROMIUM_PATH, default /usr/bin/chromium; without it reports fail, saying so).
  const reportEnv = { REPORT_DIST_DIR: join(root, 'apps/web/dist') };
  start('api', process.execPath, [join(root, 'apps/api/dist/main.js')], {
    ...appEnv,
    ...(redisUrl ? {} : reportEnv),
    API_PORT: String(apiPort),
    WEB_DIST_DIR: join(root, 'apps/web/dist'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  if (redisUrl) {
    start('worker', process.execPath, [join(root, 'apps/worker/dist/main.js')], {
      ...appEnv,
      ...reportEnv,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    });
  }
  const url = `http://127.0.0.1:${apiPort}`;
  await waitFor('API', async () => {
    try {
      return (await fetch(`${url}/healthz`)).ok;
    } catch {
      return false;
    }
  });
  // Demo data, once per data folder: generated clusters scanned and uploaded for real.
  const marker = join(home, 'demo-data-seeded');
  if (seed.scannerToken && !existsSync(marker)) {
    log('seeding demo clusters (scanner offline path + upload + analysis)');
    run(process.execPath, [
      join(root, 'infra/local/seed-demo-data.mjs'),
      '--url',
      url,
      '--token-file',
      tokenFile,
      '--password',
      process.env.SEED_DEMO_PASSWORD ?? 'plumbline-demo',
    ]);
    writeFileSync(marker, new Date().toISOString() + '\n');
  }
  console.log(`
  Plumbline is running: ${url}
    demo login:    ${seed.email} / ${process.env.SEED_DEMO_PASSWORD ?? 'plumbline-demo'}
    scanner token: ${existsSync(tokenFile) ? tokenFile : '(none)'}
    jobs:          ${redisUrl ? `Redis ${redisUrl} + worker` : 'in-process (no Redis)'}
    mails:         ${process.env.SMTP_URL ? 'sent through SMTP_URL' : `printed by the ${redisUrl ? 'worker' : 'API'} and listed at ${url}/v1/dev/mailbox`}
    data:          ${process.env.DATABASE_URL ? 'DATABASE_URL' : join(home, 'pgdata')}
  Press Ctrl-C to stop; data is kept for the next run.
`);
}

main().catch((e) => {
  console.error(`[demo] ${e.message}`);
  void shutdown(1);
});
