/**
 * The built API as a real process, sent SIGTERM while a request is in flight: it stops
 * accepting connections, the request completes, the in-process jobs it queued finish, and the
 * process exits with code 0.
 */
import { minimalSnapshot } from '@plumbline/contracts';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const API = join(root, 'apps/api/dist/main.js');

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

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 60_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves true when a new TCP connection is refused (the server stopped listening). */
function refused(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      res(false);
    });
    s.once('error', (e: NodeJS.ErrnoException) => res(e.code === 'ECONNREFUSED'));
  });
}

describe('API process: SIGTERM (graceful shutdown)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    if (!existsSync(API))
      throw new Error(`${API} is missing: build first (turbo runs the builds before test:e2e)`);
    tdb = await createTestDatabase('api_stop');
    db = Database.connect(tdb.url, { poolSize: 2 });
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await db.close();
    await tdb.drop();
  });

  it('a slow request in flight completes after SIGTERM; new connections are refused; exit code 0', async () => {
    const org = await db.organizations.create({ name: 'Stop', slug: 'stop' });
    const { token } = await db.scannerTokens.create(org.id, { name: 'ci' });
    const port = await freePort();
    const logs: Record<string, unknown>[] = [];
    child = spawn(process.execPath, [API], {
      env: {
        ...process.env,
        DATABASE_URL: tdb.url,
        REDIS_URL: '',
        API_PORT: String(port),
        LOG_LEVEL: 'info',
        SHUTDOWN_GRACE_MS: '60000',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim().startsWith('{')) logs.push(JSON.parse(line) as Record<string, unknown>);
      }
    });
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      child!.once('exit', (code, signal) => r({ code, signal })),
    );
    await waitFor('the API to listen', async () => logs.some((l) => l.msg === 'api listening'));

    // A slow upload: headers first, with Expect: 100-continue. The server's "100 Continue"
    // proves the request is being handled before the signal is sent.
    const body = Buffer.from(
      JSON.stringify(minimalSnapshot('slow-upload', { namespaces: ['a', 'b'] })),
    );
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    const ended = new Promise<void>((r) => socket.on('end', () => r()));
    socket.on('data', (d: Buffer) => (response += d.toString('utf8')));
    socket.write(
      [
        'POST /v1/snapshots HTTP/1.1',
        `Host: 127.0.0.1:${port}`,
        `Authorization: Bearer ${token}`,
        'Content-Type: application/json',
        `Content-Length: ${body.length}`,
        'X-Request-Id: slow-upload-1',
        'Expect: 100-continue',
        'Connection: close',
        '',
        '',
      ].join('\r\n'),
    );
    await waitFor('100 Continue', async () => response.includes('100 Continue'));
    socket.write(body.subarray(0, 100));

    child.kill('SIGTERM');
    await waitFor('the API to stop accepting connections', () => refused(port));
    expect(child.exitCode).toBeNull(); // still finishing the upload

    socket.write(body.subarray(100));
    await ended;
    const final = response.slice(response.lastIndexOf('HTTP/1.1 '));
    expect(final).toMatch(/^HTTP\/1\.1 202 /);
    const scanId = (JSON.parse(final.slice(final.indexOf('\r\n\r\n') + 4)) as { scanId: string })
      .scanId;

    expect(await exit).toEqual({ code: 0, signal: null });
    expect(logs.find((l) => String(l.msg).startsWith('api stopping'))).toMatchObject({
      signal: 'SIGTERM',
    });
    expect(logs.find((l) => l.msg === 'request' && l.requestId === 'slow-upload-1')).toMatchObject({
      status: 202,
    });
    // The in-process jobs the upload queued were finished before the exit.
    expect(await db.scans.get(org.id, scanId)).toMatchObject({ status: 'succeeded' });
  });
});
