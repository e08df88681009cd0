#!/usr/bin/env node
// Embedded PostgreSQL for the local demo: PGlite (PostgreSQL in WebAssembly) served over the
// Postgres wire protocol, so the unchanged apps (Prisma + node-postgres) connect to it.
// Data is kept in --data DIR across restarts. Stop with SIGINT/SIGTERM (flushes and closes).
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    port: { type: 'string', default: '54329' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
if (!values.data) {
  console.error('usage: pglite-server.mjs --data DIR [--port N]');
  process.exit(2);
}
mkdirSync(values.data, { recursive: true });
const db = await PGlite.create({ dataDir: values.data });
const server = new PGLiteSocketServer({
  db,
  port: Number(values.port),
  host: values.host,
  maxConnections: 32,
});
await server.start();
console.log(
  JSON.stringify({ msg: 'pglite listening', host: values.host, port: Number(values.port) }),
);

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(JSON.stringify({ msg: 'pglite stopping', signal }));
  await server.stop().catch(() => undefined);
  await db.close().catch(() => undefined);
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
