/**
 * The README's first command, as a new user runs it: `npm run demo` with no DATABASE_URL, no
 * REDIS_URL and no redis-server on PATH. It must serve the app (embedded PGlite, jobs in-process),
 * stop cleanly on Ctrl-C, and come back with its data after a restart.
 */
import { minimalSnapshot } from '@plumbline/contracts';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => res(port));
    });
  });
}

/** A PATH with every command of the real one except redis-server. */
function pathWithoutRedis(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (!d || !existsSync(d)) continue;
    for (const name of readdirSync(d)) {
      if (name === 'redis-server' || existsSync(join(dir, name))) continue;
      try {
        symlinkSync(join(d, name), join(dir, name));
      } catch {
        /* unreadable entry: skip */
      }
    }
  }
  return dir;
}

/**
 * The README's `npx` commands exactly as written (continuation lines joined, comments dropped),
 * with the demo's paths put in: `.plumbline/` is PLUMBLINE_HOME, port 3000 the demo's port,
 * `path/to/manifests` a fixture folder. A live `--context` scan needs a cluster, so it reads the
 * fixture folder instead (the command is otherwise unchanged).
 */
function readmeCommands(home: string, url: string, manifests: string): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks
    .join('\n')
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => /\bnpx\b.*\bplumbline-(scanner|probe)\b/.test(l))
    .map((l) =>
      l
        .replace(/\.plumbline\//g, `${home}/`)
        .replace(/http:\/\/127\.0\.0\.1:3000/g, url)
        .replace(/path\/to\/manifests/g, manifests)
        .replace(/--context \S+/, `--from-dir ${manifests}`),
    );
}

interface Demo {
  child: ChildProcess;
  output: () => string;
}

function startDemo(env: NodeJS.ProcessEnv): Demo {
  let out = '';
  const child = spawn(process.execPath, [join(root, 'infra/local/demo.mjs')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

async function waitForText(demo: Demo, re: RegExp, ms: number): Promise<RegExpMatchArray> {
  const until = Date.now() + ms;
  for (;;) {
    const m = demo.output().match(re);
    if (m) return m;
    if (demo.child.exitCode !== null) throw new Error(`demo exited early:\n${demo.output()}`);
    if (Date.now() > until) throw new Error(`timed out waiting for ${re}:\n${demo.output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function stop(demo: Demo): Promise<number | null> {
  return new Promise((res) => {
    if (demo.child.exitCode !== null) return res(demo.child.exitCode);
    demo.child.once('exit', (code) => res(code));
    demo.child.kill('SIGINT');
  });
}

describe('npm run demo on a machine without Redis', () => {
  const work = mkdtempSync(join(tmpdir(), 'plumbline-demo-'));
  let env: NodeJS.ProcessEnv;
  let url: string;
  let current: Demo | undefined;

  beforeAll(async () => {
    const [apiPort, pgPort] = [await freePort(), await freePort()];
    const base: NodeJS.ProcessEnv = { ...process.env };
    delete base.DATABASE_URL;
    delete base.REDIS_URL;
    env = {
      ...base,
      PATH: pathWithoutRedis(join(work, 'bin')),
      PLUMBLINE_HOME: join(work, 'home'),
      PLUMBLINE_PORT: String(apiPort),
      PLUMBLINE_PG_PORT: String(pgPort),
    };
    url = `http://127.0.0.1:${apiPort}`;
  });

  afterAll(async () => {
    if (current) await stop(current);
    rmSync(work, { recursive: true, force: true });
  });

  it('serves the app with embedded PostgreSQL and in-process jobs, then keeps data across a restart', async () => {
    current = startDemo(env);
    await waitForText(current, /Plumbline is running: (http:\/\/\S+)/, 150_000);
    expect(current.output()).toMatch(/no REDIS_URL and no redis-server installed/);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const ready = (await (await fetch(`${url}/readyz`)).json()) as Record<string, unknown>;
    expect(ready).toMatchObject({
      queueMode: 'in-process',
      checks: { database: { status: 'ok' } },
    });
    const page = await fetch(`${url}/`);
    expect(await page.text()).toMatch(/<div id="root">/);

    // Demo data: generated clusters, scanned and uploaded through the real path, with history.
    const login = await fetch(`${url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'demo@plumbline.local', password: 'plumbline-demo' }),
    });
    expect(login.status).toBe(200);
    const { organizationId, csrfToken } = (await login.json()) as {
      organizationId: string;
      csrfToken: string;
    };
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const clusters = (await (
      await fetch(`${url}/v1/orgs/${organizationId}/clusters`, { headers: { cookie } })
    ).json()) as {
      items: { id: string; name: string }[];
    };
    expect(clusters.items.map((c) => c.name)).toEqual([
      'ai-platform',
      'legacy-dev',
      'shop-prod-eu',
      'vm-migration',
    ]);
    const history = (await (
      await fetch(`${url}/v1/orgs/${organizationId}/clusters/${clusters.items[0]!.id}/scans`, {
        headers: { cookie },
      })
    ).json()) as { items: unknown[] };
    expect(history.items).toHaveLength(3);
    // shop-prod-eu took the path off level 1: its later scans carry the seeded plan's bundle and
    // manual steps, so its history goes from level 1 to level 2 (newest first).
    const shop = clusters.items.find((c) => c.name === 'shop-prod-eu')!;
    const shopHistory = (await (
      await fetch(`${url}/v1/orgs/${organizationId}/clusters/${shop.id}/scans`, {
        headers: { cookie },
      })
    ).json()) as { items: { summary: { maturity: { level: number } } | null }[] };
    expect(shopHistory.items.map((s) => s.summary?.maturity.level)).toEqual([2, 2, 1]);

    // A real upload with the seeded token is analysed by the in-process job runner.
    const token = readFileSync(join(env.PLUMBLINE_HOME!, 'demo-scanner-token'), 'utf8').trim();
    const upload = await fetch(`${url}/v1/snapshots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(minimalSnapshot('demo-smoke', { namespaces: ['shop'] })),
    });
    expect(upload.status).toBe(202);

    // The embedded database serves many connections at once like a real server: parallel writes
    // (two plans per cluster) and reads each get their own answer, none a 500 or a false 404.
    const writes = clusters.items.flatMap((c) =>
      [0, 1].map(async () => {
        const r = await fetch(`${url}/v1/orgs/${organizationId}/clusters/${c.id}/plans`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
          body: '{}',
        });
        const body = (await r.json()) as { clusterId?: string };
        return [r.status, body.clusterId === c.id];
      }),
    );
    const reads = clusters.items.flatMap((c) =>
      [0, 1].map(async () => {
        const r = await fetch(`${url}/v1/orgs/${organizationId}/clusters/${c.id}`, {
          headers: { cookie },
        });
        const body = (await r.json()) as { cluster?: { id?: string } };
        return [r.status, body.cluster?.id === c.id];
      }),
    );
    const parallel = await Promise.all([...writes, ...reads]);
    expect(parallel).toEqual([...writes.map(() => [202, true]), ...reads.map(() => [200, true])]);

    // Agentless scans work out of the box: the launcher generated and kept an encryption key.
    const keyFile = join(env.PLUMBLINE_HOME!, 'encryption-key');
    const key = readFileSync(keyFile, 'utf8').trim();
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const connection = await fetch(`${url}/v1/orgs/${organizationId}/cluster-connections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      // A public address is accepted without contacting it; nothing scans it here.
      body: JSON.stringify({
        name: 'demo-agentless',
        server: 'https://203.0.114.10:6443',
        token: 'demo-fake-token-0123456789',
      }),
    });
    expect(connection.status).toBe(201);

    // The README's scanner commands, and the probe, work on this checkout after `npm run demo`
    // and never reach a registry: an unreachable registry is configured, so any lookup fails.
    const manifests = join(root, 'apps/scanner/test/fixtures/governed-agents');
    const commands = readmeCommands(env.PLUMBLINE_HOME!, url, manifests);
    expect(commands.length).toBeGreaterThanOrEqual(2);
    expect(commands.some((c) => / --upload /.test(c))).toBe(true);
    const offlineEnv = {
      ...env,
      npm_config_registry: 'http://127.0.0.1:9/',
      npm_config_fetch_retries: '0',
    };
    for (const command of [...commands, 'npx --offline plumbline-probe scenarios']) {
      const r = spawnSync('bash', ['-c', command], {
        cwd: root,
        env: offlineEnv,
        encoding: 'utf8',
      });
      expect([command, r.status, r.stderr.includes('ENOTCACHED')]).toEqual([command, 0, false]);
      if (/--analyze/.test(command)) expect(r.stdout).toMatch(/AI agents: /);
    }
    for (const bin of ['plumbline-scanner', 'plumbline-probe'])
      expect(existsSync(join(root, 'node_modules/.bin', bin))).toBe(true);

    expect(await stop(current)).toBe(0);
    expect(current.output()).toMatch(/api stopped[\s\S]*pglite stopped/);

    // Second run: same data folder, nothing seeded twice, the upload is still known.
    current = startDemo(env);
    await waitForText(current, /Plumbline is running/, 150_000);
    expect(current.output()).toMatch(/0 applied, \d+ already applied/);
    const again = await fetch(`${url}/v1/snapshots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(minimalSnapshot('demo-smoke', { namespaces: ['shop'] })),
    });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true, status: 'succeeded' });
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(key);
    expect(await stop(current)).toBe(0);
    current = undefined;
  });
});
