#!/usr/bin/env node
// Embedded PostgreSQL for the local demo: PGlite (PostgreSQL in WebAssembly) served over the
// Postgres wire protocol, so the unchanged apps (Prisma + node-postgres) connect to it.
// Data is kept in --data DIR across restarts. Stop with SIGINT/SIGTERM (flushes and closes).
//
// PGlite is ONE PostgreSQL session shared by every client connection. The socket package's own
// queue interleaves the messages of different connections one by one, so a connection's
// Parse/Bind and its Execute could be split by another connection's query, which replaces the
// unnamed portal ("portal "" does not exist", or worse, the other query's rows). Here a connection
// owns the session from its first message until the end of its request (Sync or a simple Query)
// and, if it opened a transaction, until that transaction ends; the others wait their turn.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    port: { type: 'string', default: '54329' },
    host: { type: 'string', default: '127.0.0.1' },
    'max-connections': { type: 'string', default: '64' },
  },
});
if (!values.data) {
  console.error('usage: pglite-server.mjs --data DIR [--port N] [--host H] [--max-connections N]');
  process.exit(2);
}

const SYNC = 0x53; // 'S': end of an extended-protocol request
const QUERY = 0x51; // 'Q': a whole simple-protocol request
const TERMINATE = 0x58; // 'X'

/**
 * Serialises the connections onto the single PGlite session, a request at a time (see above).
 * Same interface as the socket package's queue, which the handlers call.
 */
class SessionQueue {
  /** @param {PGlite} db */
  constructor(db) {
    this.db = db;
    /** @type {{handlerId: number, message: Uint8Array, onData: (d: Uint8Array) => void, resolve: (n: number) => void, reject: (e: unknown) => void}[]} */
    this.waiting = [];
    /** @type {number | null} the connection holding the session */
    this.owner = null;
    this.running = false;
  }

  enqueue(handlerId, message, onData) {
    return new Promise((resolve, reject) => {
      this.waiting.push({ handlerId, message, onData, resolve, reject });
      void this.pump();
    });
  }

  /** Ends a connection's hold when its request is complete and no transaction is open. */
  release(message) {
    const type = message[0];
    // A startup message starts with its length (first byte 0); it is a whole request too.
    const endsRequest = type === SYNC || type === QUERY || type === TERMINATE || type === 0;
    if (endsRequest && !this.db.isInTransaction()) this.owner = null;
  }

  async pump() {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const i =
          this.owner === null
            ? this.waiting.length > 0
              ? 0
              : -1
            : this.waiting.findIndex((q) => q.handlerId === this.owner);
        if (i < 0) break; // nothing to run, or the owner's next message has not arrived yet
        const [q] = this.waiting.splice(i, 1);
        this.owner = q.handlerId;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(q.message, {
              onRawData: (data) => {
                bytes += data.length;
                q.onData(data);
              },
            }),
          );
        } catch (error) {
          this.release(q.message);
          q.reject(error);
          continue;
        }
        this.release(q.message);
        q.resolve(bytes);
      }
    } finally {
      this.running = false;
    }
  }

  getQueueLength() {
    return this.waiting.length;
  }

  clearQueueForHandler(handlerId) {
    const gone = this.waiting.filter((q) => q.handlerId === handlerId);
    this.waiting = this.waiting.filter((q) => q.handlerId !== handlerId);
    for (const q of gone) q.reject(new Error('connection closed'));
  }

  /**
   * A connection went away while holding the session: end its unfinished request (a Sync, so an
   * error state or an implicit transaction does not leak into the next connection's request),
   * roll back a transaction it left open, and hand the session on.
   */
  async clearTransactionIfNeeded(handlerId) {
    if (this.owner !== handlerId) return;
    await this.db
      .runExclusive(() => this.db.execProtocolRaw(new Uint8Array([SYNC, 0, 0, 0, 4])))
      .catch(() => undefined);
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK').catch(() => undefined);
    this.owner = null;
    await this.pump();
  }
}

mkdirSync(values.data, { recursive: true });
const db = await PGlite.create({ dataDir: values.data });
const queue = new SessionQueue(db);
const maxConnections = Number(values['max-connections']);
/** @type {Set<PGLiteSocketHandler>} */
const handlers = new Set();

const server = createServer((socket) => {
  if (handlers.size >= maxConnections) {
    socket.end();
    return;
  }
  const handler = new PGLiteSocketHandler({ queryQueue: queue, closeOnDetach: true });
  handlers.add(handler);
  const forget = () => handlers.delete(handler);
  handler.addEventListener('close', forget);
  handler.addEventListener('error', forget);
  socket.on('close', forget);
  void handler.attach(socket);
});
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number(values.port), values.host, resolve);
});
console.log(
  JSON.stringify({ msg: 'pglite listening', host: values.host, port: Number(values.port) }),
);

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(JSON.stringify({ msg: 'pglite stopping', signal }));
  server.close();
  await Promise.all([...handlers].map((h) => h.detach(true).catch(() => undefined)));
  await db.close().catch(() => undefined);
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
