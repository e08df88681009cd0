#!/usr/bin/env node
// Fleet ingest (issue: one stored result, cheap reads). FLEET generated clusters each upload one
// snapshot concurrently (UPLOADERS at a time) to the built API (Redis queue); TWO built workers on
// the same Redis analyse them. Reports snapshots analysed per second until every scan is analysed
// and the organisation view holds every cluster, each worker's CPU share, how many org.rollup
// jobs ran (debounced: must be far fewer than FLEET), and whether any job ran twice: every scan
// must have exactly one analysis run (scan attempts = 1 and one 'scan analysed' log line).
// Needs a build (`npm run build`), PostgreSQL and Redis (TEST_REDIS_URL or the local one).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { reduceGenerated } from './lib/reduce.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const { generateCluster } = require(join(root, 'packages/scenarios/dist/index.js'));
const { createTestDatabase, Database } = require(join(root, 'packages/db/dist/index.js'));
const { Redis } = require('ioredis');

const FLEET = Number(process.env.BENCH_FLEET ?? 500);
const UPLOADERS = Number(process.env.BENCH_UPLOADERS ?? 16);
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = (m) => process.stderr.write(`[fleet.bench] ${m}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const TICK = 100; // clock ticks per second (Linux USER_HZ)
const cpuSeconds = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / TICK;
};

const tdb = await createTestDatabase('bench_fleet');
const db = Database.connect(tdb.url, { poolSize: 4 });
const prefix = `bench-fleet-${randomUUID().slice(0, 8)}`;
const procs = [];
try {
  const org = await db.organizations.create({ name: 'Fleet', slug: 'fleet' });
  const { token } = await db.scannerTokens.create(org.id, { name: 'fleet' });
  // ---- snapshots (not timed)
  const bodies = [];
  for (let c = 0; c < FLEET; c++) {
    const gen = generateCluster({ seed: `fleet-${c}`, pods: 30, policies: c % 6, agents: c % 2 });
    const snap = reduceGenerated(gen.objects, {
      collectedAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
      clusterName: `fleet-${String(c).padStart(3, '0')}`,
      declaredClusterId: `fleet-${c}`,
    });
    bodies.push(gzipSync(Buffer.from(JSON.stringify(snap))));
  }
  log(`${FLEET} snapshots generated`);

  // ---- the built API and two built workers on one Redis
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    // Required in production (the API serves /metrics on its port); nothing scrapes it here.
    METRICS_TOKEN: 'bench-metrics-token-0123456789',
    DATABASE_URL: tdb.url,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    DATABASE_POOL_SIZE: '6',
  };
  const port = 30_000 + Math.floor(Math.random() * 20_000);
  const api = spawn(process.execPath, [join(root, 'apps/api/dist/main.js')], {
    env: { ...env, API_PORT: String(port), API_HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  procs.push(api);
  const workerLogs = [[], []];
  const workers = [0, 1].map((w) => {
    const p = spawn(process.execPath, [join(root, 'apps/worker/dist/main.js')], {
      env: { ...env, LOG_LEVEL: 'info', WORKER_CONCURRENCY: '2', WORKER_METRICS_PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let rest = '';
    p.stdout.on('data', (d) => {
      const lines = (rest + d.toString('utf8')).split('\n');
      rest = lines.pop();
      for (const l of lines) {
        try {
          workerLogs[w].push(JSON.parse(l));
        } catch {
          /* not JSON */
        }
      }
    });
    procs.push(p);
    return p;
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 300) throw new Error('API did not start');
    await sleep(100);
  }
  await sleep(2000); // workers up
  const cpu0 = workers.map((w) => cpuSeconds(w.pid));

  // ---- ingest: FLEET concurrent uploads (UPLOADERS at a time)
  const t0 = performance.now();
  let nextUpload = 0;
  let refused = 0;
  await Promise.all(
    Array.from({ length: UPLOADERS }, async () => {
      for (;;) {
        const i = nextUpload++;
        if (i >= FLEET) return;
        const res = await fetch(`${base}/v1/snapshots`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'x-plumbline-content-encoding': 'gzip',
          },
          body: bodies[i],
        });
        if (res.status !== 202) refused++;
      }
    }),
  );
  const uploadedS = (performance.now() - t0) / 1000;
  log(`${FLEET} uploads sent in ${uploadedS.toFixed(1)} s (${refused} refused)`);
  let analysedAt = 0;
  for (;;) {
    const o = await db.rollups.overviewRead(org.id);
    const done = o.clusters.filter((c) => c.status === 'succeeded' || c.status === 'failed');
    if (!analysedAt && done.length === FLEET) analysedAt = performance.now();
    const stamps = await db.rollups.latestScanStamps(org.id);
    const row = await db.rollups.status(org.id);
    const rolled = (await db.rollups.get(org.id))?.result?.clusters?.length ?? 0;
    if (analysedAt && rolled === stamps.length && row) break;
    if (performance.now() - t0 > 30 * 60_000) throw new Error('fleet not analysed in 30 minutes');
    await sleep(1000);
  }
  const currentAt = performance.now();
  const cpu1 = workers.map((w) => cpuSeconds(w.pid));
  const wall = (currentAt - t0) / 1000;

  // ---- counts
  const completed = (job) =>
    workerLogs.map((l) => l.filter((x) => x.msg === 'job completed' && x.job === job).length);
  const analysedLines = workerLogs.flat().filter((x) => x.msg === 'scan analysed');
  const perScan = new Map();
  for (const l of analysedLines) perScan.set(l.scanId, (perScan.get(l.scanId) ?? 0) + 1);
  const rollups = completed('org.rollup');
  // A scan analysed twice: say how (each worker's log lines about it), to find the cause.
  for (const [scanId, n] of perScan) {
    if (n < 2) continue;
    workerLogs.forEach((lines, w) => {
      for (const x of lines)
        if (JSON.stringify(x).includes(scanId))
          log(`twice ${scanId} worker ${w}: ${JSON.stringify(x).slice(0, 400)}`);
    });
  }
  console.log(
    JSON.stringify({
      fleet: FLEET,
      uploaders: UPLOADERS,
      workers: 2,
      workerConcurrency: 2,
      uploadSeconds: Math.round(uploadedS * 10) / 10,
      allAnalysedSeconds: Math.round(((analysedAt - t0) / 1000) * 10) / 10,
      orgViewCurrentSeconds: Math.round(wall * 10) / 10,
      snapshotsPerSecond: Math.round((FLEET / ((analysedAt - t0) / 1000)) * 10) / 10,
      workerCpuShare: workers.map((_, i) => Math.round(((cpu1[i] - cpu0[i]) / wall) * 100) / 100),
      analysesPerWorker: completed('snapshot.analyze'),
      rollupsPerWorker: rollups,
      rollupCount: rollups[0] + rollups[1],
      rollupsFarFewerThanClusters: rollups[0] + rollups[1] < FLEET / 10,
      scansAnalysedOnce: perScan.size === FLEET && [...perScan.values()].every((n) => n === 1),
      scansAnalysedTwice: [...perScan.values()].filter((n) => n > 1).length,
      refused,
    }),
  );
} finally {
  for (const p of procs) p.kill('SIGTERM');
  await sleep(1500);
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await db.close();
  await tdb.drop();
}
