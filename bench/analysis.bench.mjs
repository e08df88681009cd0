// Detection + NetworkPolicy analysis + maturity scoring on a generated 100k-pod / 10k-policy
// cluster, against plain JSON.parse of the same snapshot bytes measured in the same run (the ratio
// is what matters on a noisy machine). Target: analysis throughput >= 25% of JSON.parse
// throughput, i.e. analysisMs <= 4 x jsonParseMs. Needs `npm run build`.
//
// The cluster comes from the seeded generator (packages/scenarios, generateCluster) as raw
// Kubernetes objects, reduced to a snapshot by the collector's SnapshotReducer (the same code path
// as live collection). The last stdout line is the JSON result (bench/run.mjs reads it).
import { createRequire } from 'node:module';
import { reduceGenerated } from './lib/reduce.mjs';

const require = createRequire(import.meta.url);
const { generateCluster } = require('../packages/scenarios/dist/index.js');
const { detect } = require('../packages/detection/dist/index.js');
const { analyzeNetworkPolicies } = require('../packages/netpol/dist/index.js');
const { assessMaturity } = require('../packages/maturity/dist/index.js');

const PODS = Number(process.env.BENCH_PODS ?? 100_000);
const POLICIES = Number(process.env.BENCH_POLICIES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const round = (v) => Math.round(v * 10) / 10;
const mib = (b) => Math.round(b / 2 ** 20);

// ---- build the snapshot (not timed against the target)
let t = process.hrtime.bigint();
const cluster = generateCluster({ seed: 'bench-analysis', pods: PODS, policies: POLICIES });
const generateMs = ms(t);
t = process.hrtime.bigint();
const reduced = reduceGenerated(cluster.objects);
const reduceMs = ms(t);
const bytes = Buffer.from(JSON.stringify(reduced));

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// ---- measure, alternating JSON.parse and the analysis so both see the same machine state
const parse = [];
const phases = { detection: [], netpol: [], maturity: [], total: [] };
let last = null;
for (let r = 0; r < ROUNDS; r++) {
  globalThis.gc?.();
  t = process.hrtime.bigint();
  const snapshot = JSON.parse(bytes.toString('utf8'));
  parse.push(ms(t));

  globalThis.gc?.();
  const t0 = process.hrtime.bigint();
  t = t0;
  const detection = detect(snapshot);
  phases.detection.push(ms(t));
  t = process.hrtime.bigint();
  const netpol = analyzeNetworkPolicies(snapshot, detection).result;
  phases.netpol.push(ms(t));
  t = process.hrtime.bigint();
  const maturity = assessMaturity({ snapshot, detection, netpol });
  phases.maturity.push(ms(t));
  phases.total.push(ms(t0));
  last = { snapshot, netpol, maturity };
}

const jsonParseMs = median(parse);
const analysisMs = median(phases.total);
const ratio = jsonParseMs / analysisMs;
console.error(
  `bench: ${last.snapshot.pods.length} pods, ${last.snapshot.workloads.length} workloads, ${last.snapshot.networkPolicies.length} policies; parse ${round(jsonParseMs)} ms, analysis ${round(analysisMs)} ms (ratio ${ratio.toFixed(3)})`,
);
console.log(
  JSON.stringify({
    generator:
      '@plumbline/scenarios generateCluster (seed bench-analysis) -> collector SnapshotReducer',
    pods: cluster.counts.pods,
    workloads: last.snapshot.workloads.length,
    podObjectsInSnapshot: last.snapshot.pods.length,
    networkPolicies: last.snapshot.networkPolicies.length,
    namespaces: last.snapshot.namespaces.length,
    snapshotBytes: bytes.length,
    snapshotMiB: mib(bytes.length),
    rounds: ROUNDS,
    generateMs: round(generateMs),
    reduceMs: round(reduceMs),
    jsonParseMs: round(jsonParseMs),
    detectionMs: round(median(phases.detection)),
    netpolMs: round(median(phases.netpol)),
    maturityMs: round(median(phases.maturity)),
    analysisMs: round(analysisMs),
    analysisThroughputVsJsonParse: Math.round(ratio * 1000) / 1000,
    target: 0.25,
    meetsTarget: ratio >= 0.25,
    coverage: last.netpol.coverage,
    maturityLevel: last.maturity.level,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    heapUsedMiB: mib(process.memoryUsage().heapUsed),
  }),
);
