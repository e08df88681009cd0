// Throughput of the analysis pipeline against plain JSON.parse of the same snapshot bytes,
// measured in one run (the ratio is what matters on a noisy machine). Needs `npm run build`.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { analyze } = require('../packages/analysis/dist/index.js');

function snapshot(workloads) {
  return {
    schemaVersion: 1,
    scanner: { name: 'bench', version: '0' },
    collectedAt: '2026-11-26T00:00:00Z',
    cluster: { name: 'bench', id: 'bench' },
    namespaces: Array.from({ length: 100 }, (_, i) => ({ name: `ns-${i}` })),
    workloads: Array.from({ length: workloads }, (_, i) => ({
      kind: 'Deployment',
      namespace: `ns-${i % 100}`,
      name: `app-${i}`,
      replicas: 3,
      labels: { app: `app-${i}`, tier: i % 2 ? 'web' : 'db' },
      containers: [{ name: 'main', image: `registry.example/app:${i}` }],
    })),
  };
}

function time(fn, rounds) {
  fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1e6 / rounds;
}

const bytes = Buffer.from(JSON.stringify(snapshot(20_000)));
const parsed = JSON.parse(bytes.toString('utf8'));
const parseMs = time(() => JSON.parse(bytes.toString('utf8')), 10);
const analyzeMs = time(() => analyze({ snapshot: parsed }), 10);
console.log(
  JSON.stringify({
    snapshotBytes: bytes.length,
    workloads: 20_000,
    jsonParseMs: Math.round(parseMs * 100) / 100,
    analyzeMs: Math.round(analyzeMs * 100) / 100,
    analyzeThroughputVsJsonParse: Math.round((parseMs / analyzeMs) * 1000) / 1000,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
