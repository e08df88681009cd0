import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Pool } from 'pg';
import { Database } from './database.js';
import { applyMigrations } from './migrator.js';

/**
 * The demo's embedded PostgreSQL (infra/local/pglite-server.mjs): one PGlite session shared by
 * every connection of the API, the worker and the seed. Many connections at once must each get
 * their own answers, as from a real server.
 */

const SERVER = resolve(__dirname, '../../../infra/local/pglite-server.mjs');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => ok(port));
    });
  });
}

// --- a minimal wire-protocol client, to send one request's messages in separate writes ---------

function message(type: string, body: Buffer): Buffer {
  const b = Buffer.alloc(5 + body.length);
  b.write(type, 0, 'latin1');
  b.writeInt32BE(4 + body.length, 1);
  body.copy(b, 5);
  return b;
}
const cstr = (s: string): Buffer => Buffer.from(`${s}\0`);
const int16 = (n: number): Buffer => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const int32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};

interface Reply {
  type: string;
  body: Buffer;
}

class RawClient {
  private buffer = Buffer.alloc(0);
  private wake: (() => void)[] = [];
  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      this.wake.splice(0).forEach((w) => w());
    });
  }

  static async open(port: number): Promise<RawClient> {
    const socket = connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    await new Promise<void>((ok, fail) => {
      socket.once('connect', ok);
      socket.once('error', fail);
    });
    const client = new RawClient(socket);
    const params = Buffer.concat([
      cstr('user'),
      cstr('postgres'),
      cstr('database'),
      cstr('postgres'),
      Buffer.from([0]),
    ]);
    socket.write(Buffer.concat([int32(8 + params.length), int32(196608), params]));
    await client.readUntilReady();
    return client;
  }

  send(...messages: Buffer[]): void {
    this.socket.write(Buffer.concat(messages));
  }

  parseBind(sql: string, value: string): void {
    const v = Buffer.from(value);
    this.send(
      message('P', Buffer.concat([cstr(''), cstr(sql), int16(0)])),
      message(
        'B',
        Buffer.concat([cstr(''), cstr(''), int16(0), int16(1), int32(v.length), v, int16(0)]),
      ),
    );
  }

  executeSync(): void {
    this.send(message('E', Buffer.concat([cstr(''), int32(0)])), message('S', Buffer.alloc(0)));
  }

  /** Every reply up to and including ReadyForQuery. */
  async readUntilReady(): Promise<Reply[]> {
    for (;;) {
      const replies: Reply[] = [];
      let offset = 0;
      while (offset + 5 <= this.buffer.length) {
        const length = this.buffer.readInt32BE(offset + 1);
        if (offset + 1 + length > this.buffer.length) break;
        const type = String.fromCharCode(this.buffer[offset] ?? 0);
        replies.push({ type, body: this.buffer.subarray(offset + 5, offset + 1 + length) });
        offset += 1 + length;
        if (type === 'Z') {
          this.buffer = this.buffer.subarray(offset);
          return replies;
        }
      }
      await new Promise<void>((w) => this.wake.push(w));
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** The first column of the first DataRow, or the error message. */
function firstValue(replies: Reply[]): string {
  const error = replies.find((r) => r.type === 'E');
  if (error) return `error: ${error.body.toString('latin1').replace(/\0/g, ' ')}`;
  const row = replies.find((r) => r.type === 'D');
  if (!row) return 'no row';
  const length = row.body.readInt32BE(2);
  return row.body.subarray(6, 6 + length).toString();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('embedded PostgreSQL for the demo (PGlite over the wire protocol)', () => {
  let child: ChildProcess;
  let dataDir: string;
  let port: number;
  let pool: Pool;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'plumbline-pglite-'));
    port = await freePort();
    child = spawn(process.execPath, [SERVER, '--data', dataDir, '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((ok, fail) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('pglite listening')) ok();
      });
      child.once('exit', (code) => fail(new Error(`pglite server exited (${code}): ${out}`)));
    });
    pool = new Pool({
      connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres`,
      max: 8,
    });
    await pool.query('CREATE TABLE items (id int PRIMARY KEY, owner int NOT NULL)');
  }, 60_000);

  afterAll(async () => {
    await pool?.end();
    if (child && child.exitCode === null) {
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps a request whole: another connection cannot run between its Bind and its Execute', async () => {
    const slow = await Promise.all([1001, 1002, 1003, 1004, 1005].map(() => RawClient.open(port)));
    slow.forEach((c, i) => c.parseBind('SELECT $1::int AS v', String(1001 + i)));
    // While the slow requests are half sent, the pool's connections query too.
    const fast = Array.from({ length: 40 }, (_, i) =>
      sleep(i).then(() => pool.query<{ v: number }>('SELECT $1::int AS v', [i])),
    );
    await sleep(40);
    slow.forEach((c) => c.executeSync());
    const slowValues = await Promise.all(
      slow.map(async (c) => firstValue(await c.readUntilReady())),
    );
    const fastValues = (await Promise.all(fast)).map((r) => r.rows[0]?.v);
    slow.forEach((c) => c.destroy());

    expect(slowValues).toEqual(['1001', '1002', '1003', '1004', '1005']);
    expect(fastValues).toEqual(Array.from({ length: 40 }, (_, i) => i));
  }, 30_000);

  it('runs many transactions at once, each seeing its own writes and committing them all', async () => {
    const seen = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const c = await pool.connect();
        try {
          await c.query('BEGIN');
          await c.query('INSERT INTO items (id, owner) VALUES ($1, $2)', [i, i * 10]);
          const own = await c.query<{ owner: number }>('SELECT owner FROM items WHERE id = $1', [
            i,
          ]);
          await c.query('COMMIT');
          return own.rows[0]?.owner;
        } finally {
          c.release();
        }
      }),
    );
    expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => i * 10));
    const count = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM items');
    expect(count.rows[0]?.n).toBe(60);
  }, 30_000);

  it('a connection that dies inside a transaction is rolled back and does not block the others', async () => {
    const dying = await RawClient.open(port);
    dying.send(message('Q', cstr('BEGIN; INSERT INTO items (id, owner) VALUES (9001, 1)')));
    await dying.readUntilReady();
    const waiting = pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM items WHERE id = 9001',
    );
    await sleep(50);
    dying.destroy();
    const after = await waiting;
    expect(after.rows[0]?.n).toBe(0);
  }, 30_000);

  it('a connection that dies halfway through a request does not block or corrupt the next', async () => {
    const dying = await RawClient.open(port);
    dying.parseBind('SELECT $1::int AS v', '7');
    const next = pool.query<{ v: string }>('SELECT $1::text AS v', ['next']);
    await sleep(50);
    dying.destroy();
    expect((await next).rows[0]?.v).toBe('next');
    // A request that failed half way (bad SQL) and the connection then gone: the next is clean.
    const failing = await RawClient.open(port);
    failing.parseBind('SELECT $1::int AS v FROM no_such_table', '1');
    await sleep(20);
    failing.destroy();
    expect((await pool.query<{ v: number }>('SELECT $1::int AS v', [5])).rows[0]?.v).toBe(5);
  }, 30_000);

  it('runs the migrations (read-stamp triggers included) and the dashboard reads, without named statements', async () => {
    const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
    await applyMigrations(url);
    const db = Database.connect(url, { poolSize: 4, preparedStatements: false });
    try {
      const org = await db.organizations.create({ name: 'Embedded', slug: 'embedded' });
      const raw = Buffer.from('{"embedded":true}');
      const stored = await db.scans.storeSnapshot(org.id, {
        clusterExternalId: 'embedded-1',
        clusterName: 'embedded',
        contentHash: 'e'.repeat(64),
        schemaVersion: 1,
        gzip: new Uint8Array(gzipSync(raw)),
        rawBytes: raw.length,
      });
      const first = await db.rollups.overviewRead(org.id);
      expect(first!.clusters).toEqual([
        expect.objectContaining({ name: 'embedded', status: 'queued' }),
      ]);
      const stamp = await db.clusters.pageStamp(org.id, stored.cluster.id);
      expect(stamp).not.toBeNull();
      // Several connections at once read with the same statements: no name clashes.
      await Promise.all(
        Array.from({ length: 12 }, () =>
          db.rollups.overviewRead(org.id, { clustersStamp: first!.clustersStamp }),
        ),
      );
      await db.scans.markRunning(org.id, stored.scan.id);
      expect(await db.clusters.pageStamp(org.id, stored.cluster.id)).not.toBe(stamp);
      const next = await db.rollups.overviewRead(org.id, { clustersStamp: first!.clustersStamp });
      expect(next!.clustersStamp).not.toBe(first!.clustersStamp);
      expect(next!.clusters![0]!.status).toBe('running');
    } finally {
      await db.close();
    }
  }, 60_000);
});
