// Live scanner throughput and memory against the Kubernetes API simulator serving generated
// clusters of 10k and 100k pods (workloads = 20% of pods; 500 and 5,000 NetworkPolicies), in
// one run. The simulator runs in its own process; the scanner is the built CLI
// (apps/scanner/dist/main.js) in another, so its peak RSS is the scanner's alone. Wall time is
// measured around the scanner process (start-up included). The client-side rate limit is off
// (--qps 0) so the figures are the scanner's, not the limiter's. Needs `npx turbo run build`.
// Targets: peak RSS under 300 MB at 100k pods; the 100k run at most 12x the 10k run.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(import.meta.url);

const SIZES = [
  { pods: 10_000, policies: 500 },
  { pods: 100_000, policies: 5_000 },
];
const RSS_TARGET_MB = 300;
const RATIO_TARGET = 12;

/** Child mode: generate a cluster, serve it, print one ready line, wait to be killed. */
async function serve(pods, policies, dir) {
  const { startKubeSim } = require(join(root, 'packages/kube-sim/dist/index.js'));
  const { generateCluster } = require(join(root, 'packages/scenarios/dist/index.js'));
  const t0 = process.hrtime.bigint();
  const cluster = generateCluster({ seed: `bench-${pods}`, pods, policies });
  const sim = await startKubeSim({
    objects: cluster.objects,
    kubernetesVersion: cluster.kubernetesVersion,
  });
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig());
  process.stdout.write(
    JSON.stringify({
      ready: true,
      kubeconfig,
      objects: sim.objectCount(),
      pods: cluster.counts.pods,
      workloads: cluster.counts.workloads,
      networkPolicies: cluster.counts.networkPolicies,
      generateAndLoadMs: Number(process.hrtime.bigint() - t0) / 1e6,
    }) + '\n',
  );
  process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));
}

function startSimulator(size, dir) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--max-old-space-size=8192',
        fileURLToPath(import.meta.url),
        '--serve',
        String(size.pods),
        String(size.policies),
        dir,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, info: JSON.parse(line) });
    });
    child.on('exit', (code) => reject(new Error(`simulator exited (${code}) before it was ready`)));
  });
}

const RSS_HOOK =
  'data:text/javascript,process.on("exit",()=>process.stderr.write("__PEAK_RSS_KB__"+process.resourceUsage().maxRSS+"\\n"))';

function runScanner(kubeconfig, out) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(
      process.execPath,
      [
        '--import',
        RSS_HOOK,
        join(root, 'apps/scanner/dist/main.js'),
        'scan',
        '--kubeconfig',
        kubeconfig,
        '--out',
        out,
        '--qps',
        '0',
        '--collected-at',
        '2026-11-26T00:00:00Z',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const rss = /__PEAK_RSS_KB__(\d+)/.exec(err);
      const summary = err
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l))
        .find((l) => /^snapshot of cluster/.test(l.msg));
      if (code !== 0 || !summary) reject(new Error(`scanner exit ${code}: ${err.slice(-2000)}`));
      else resolve({ wallMs, peakRssKb: rss ? Number(rss[1]) : null, summary });
    });
  });
}

async function main() {
  const runs = [];
  for (const size of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'plumbline-bench-'));
    const { child, info } = await startSimulator(size, dir);
    try {
      const out = join(dir, 'snapshot.json.gz');
      const r = await runScanner(info.kubeconfig, out);
      const objects = r.summary.objects;
      runs.push({
        pods: info.pods,
        workloads: info.workloads,
        networkPolicies: info.networkPolicies,
        objectsServed: info.objects,
        objectsListed: objects,
        requests: r.summary.requests,
        wallMs: Math.round(r.wallMs),
        objectsPerSecond: Math.round(objects / (r.wallMs / 1000)),
        peakRssMiB: r.peakRssKb === null ? null : Math.round(r.peakRssKb / 1024),
        snapshotGzipBytes: statSync(out).size,
        snapshotWorkloads: r.summary.workloads,
      });
      console.log(`scanner bench: ${JSON.stringify(runs[runs.length - 1])}`);
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const [small, large] = runs;
  const ratio = Math.round((large.wallMs / small.wallMs) * 100) / 100;
  console.log(
    JSON.stringify({
      runs,
      wallRatio100kTo10k: ratio,
      targets: {
        peakRssUnder300MiBAt100k: large.peakRssMiB !== null && large.peakRssMiB < RSS_TARGET_MB,
        ratioAtMost12: ratio <= RATIO_TARGET,
      },
      notes:
        'client-side rate limit off (--qps 0); page size 500; wall time includes process start-up',
    }),
  );
}

if (process.argv[2] === '--serve') {
  await serve(Number(process.argv[3]), Number(process.argv[4]), process.argv[5]);
} else {
  try {
    readFileSync(join(root, 'apps/scanner/dist/main.js'));
  } catch {
    console.error('build first: npx turbo run build');
    process.exit(1);
  }
  await main();
}
