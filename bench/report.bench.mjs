#!/usr/bin/env node
// Leadership PDF report: seconds per page with a warm browser (issue budget: under 1 s per
// page). Three organisations (with agents, without agents, with VMs; bench/lib/report-orgs.mjs)
// are analysed by the real job code on real PostgreSQL; their report data is read through the
// shared read models (buildReportData, as the report.render job does), then printed by the
// ChromiumReportRenderer the worker uses (packages/jobs/dist) from the built report page
// (apps/web/dist/report.html) with Debian's Chromium. The browser's cold start is reported apart.
// Needs a build (`npm run build`), PostgreSQL and /usr/bin/chromium (or CHROMIUM_PATH).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportData, seedOrg } from './lib/report-orgs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const { createTestDatabase, Database } = require(join(root, 'packages/db/dist/index.js'));
const { ChromiumReportRenderer } = require(join(root, 'packages/jobs/dist/index.js'));

const ROUNDS = Number(process.env.BENCH_REPORT_ROUNDS ?? 3);
const log = (m) => process.stderr.write(`[report.bench] ${m}\n`);
const ms = (t) => Math.round(performance.now() - t);

const tdb = await createTestDatabase('bench_report');
const db = Database.connect(tdb.url, { poolSize: 3 });
const renderer = new ChromiumReportRenderer({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  reportDir: join(root, 'apps/web/dist'),
  timeoutMs: 120_000,
});
try {
  // ---- data (not timed as rendering): seed, analyse, read the report data
  const cases = [];
  for (const key of ['agents', 'no-agents', 'vms']) {
    const { organizationId, clusters } = await seedOrg(db, key, { slug: `bench-${key}` });
    let t = performance.now();
    cases.push({
      name: `${key} (organisation, A4)`,
      ...(await reportData(db, organizationId)),
      dataMs: ms(t),
    });
    if (key === 'agents') {
      t = performance.now();
      const one = await reportData(db, organizationId, {
        clusterId: clusters['ai-platform'],
        paperSize: 'Letter',
      });
      cases.push({ name: 'agents (one cluster, Letter)', ...one, dataMs: ms(t) });
    }
    log(`seeded ${key}`);
  }

  // ---- cold start: the first check launches the browser (a worker does this at boot)
  let t = performance.now();
  const reason = await renderer.start();
  if (reason) throw new Error(reason);
  const coldStartMs = ms(t);
  // One warm-up render per process (first page load, font cache), not counted.
  await renderer.render(cases[0].data, 'A4');

  // ---- warm: every case, ROUNDS times
  const perCase = [];
  let totalMs = 0;
  let totalPages = 0;
  for (const c of cases) {
    const times = [];
    let pages = 0;
    for (let i = 0; i < ROUNDS; i++) {
      t = performance.now();
      const out = await renderer.render(c.data, c.data.paperSize);
      times.push(ms(t));
      pages = out.pageCount;
    }
    const sum = times.reduce((a, b) => a + b, 0);
    totalMs += sum;
    totalPages += pages * ROUNDS;
    perCase.push({
      report: c.name,
      pages,
      renderMs: times,
      secondsPerPage: Number((sum / 1000 / (pages * ROUNDS)).toFixed(3)),
      dataMs: c.dataMs,
    });
    log(`${c.name}: ${pages} pages, ${times.join(' / ')} ms`);
  }
  const secondsPerPage = Number((totalMs / 1000 / totalPages).toFixed(3));
  console.log(
    JSON.stringify({
      target: 'under 1 s per page with a warm browser',
      secondsPerPage,
      withinTarget: secondsPerPage < 1,
      reports: perCase,
      rounds: ROUNDS,
      coldStartMs,
    }),
  );
} finally {
  await renderer.close();
  await db.close();
  await tdb.drop();
}
