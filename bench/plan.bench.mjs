// Plan + bundle + verification on the generated 100k-pod / 10k-policy cluster, against one full
// analyze() of the same snapshot measured in the same run (issue 21: at most 3x). Needs
// `npm run build`. The plan is the hardest one Plumbline generates for: workload isolation level
// 4 (default-deny ingress and egress with allows in every application namespace), then the
// organisation's next level. Each timed plan includes its verification (a second full analyze()
// of the patched snapshot plus the Service connectivity check). The last stdout line is the JSON
// result (bench/run.mjs reads it). The analysis is analyzeWithNetpol() (analyze() handing back the
// NetworkPolicy engine it built, as the CLI uses it), so the plan reuses that engine.
import { createRequire } from 'node:module';
import { reduceGenerated } from './lib/reduce.mjs';

const require = createRequire(import.meta.url);
const { generateCluster } = require('../packages/scenarios/dist/index.js');
const { analyzeWithNetpol } = require('../packages/analysis/dist/index.js');
const { planAndVerify } = require('../packages/plan/dist/index.js');

const PODS = Number(process.env.BENCH_PODS ?? 100_000);
const POLICIES = Number(process.env.BENCH_POLICIES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const round = (v) => Math.round(v * 10) / 10;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cluster = generateCluster({ seed: 'bench-analysis', pods: PODS, policies: POLICIES });
const snapshot = reduceGenerated(cluster.objects);

const analyzeRuns = [];
const planRuns = { isolation: [], next: [] };

const last = {};
for (let r = 0; r < ROUNDS; r++) {
  globalThis.gc?.();
  let t = process.hrtime.bigint();
  const full = analyzeWithNetpol({ snapshot });
  const analysis = full.result;
  analyzeRuns.push(ms(t));
  const targets = {
    isolation: { level: 4, pillar: 'workload-isolation' },
    next: { level: Math.min(4, analysis.steps.maturity.level + 1), pillar: null },
  };
  for (const [key, target] of Object.entries(targets)) {
    globalThis.gc?.();
    t = process.hrtime.bigint();
    const o = planAndVerify({ snapshot, analysis, target, netpolEngine: full.netpol.engine });
    planRuns[key].push(ms(t));
    last[key] = {
      target,
      status: o.status,
      steps: o.plan.reachable ? o.plan.steps.map((s) => s.id) : [],
      reason: o.plan.reachable ? null : o.plan.reason,
      objects: o.status === 'ok' && o.bundle ? o.bundle.objects.length : 0,
      verified: o.status === 'ok' && o.verification ? o.verification.ok : null,
      serviceConnectionsChecked:
        o.status !== 'unreachable' && o.verification ? o.verification.connectivity.checked : 0,
      cut:
        o.status !== 'unreachable' && o.verification ? o.verification.connectivity.cut.length : 0,
      newlyIsolated:
        o.status !== 'unreachable' && o.verification
          ? o.verification.connectivity.newlyIsolated
          : null,
    };
  }
}
// The same plan with the network policies in the enforcing CNI's own language (Calico, Cilium):
// a cluster of the same size whose CNI is that one, its own analyze() as the yardstick.
const dialects = {};
for (const dialect of ['calico', 'cilium']) {
  const c = generateCluster({
    seed: 'bench-analysis',
    pods: PODS,
    policies: POLICIES,
    stack: { cni: dialect },
  });
  const snap = reduceGenerated(c.objects);
  globalThis.gc?.();
  let t = process.hrtime.bigint();
  const full = analyzeWithNetpol({ snapshot: snap });
  const aMs = ms(t);
  globalThis.gc?.();
  t = process.hrtime.bigint();
  const o = planAndVerify({
    snapshot: snap,
    analysis: full.result,
    target: { level: 4, pillar: 'workload-isolation' },
    netpolEngine: full.netpol.engine,
    dialect,
  });
  const pMs = ms(t);
  dialects[dialect] = {
    analyzeMs: round(aMs),
    planMs: round(pMs),
    ratioToAnalyze: Math.round((pMs / aMs) * 100) / 100,
    meetsTarget: pMs <= 3 * aMs,
    status: o.status,
    steps: o.plan.reachable ? o.plan.steps.map((s) => s.id) : [],
    reason: o.plan.reachable ? null : o.plan.reason,
    objects: o.status === 'ok' && o.bundle ? o.bundle.objects.length : 0,
    verified: o.status === 'ok' && o.verification ? o.verification.ok : null,
    cut: o.status !== 'unreachable' && o.verification ? o.verification.connectivity.cut.length : 0,
  };
}

const analyzeMs = median(analyzeRuns);
const result = {
  generator:
    '@plumbline/scenarios generateCluster (seed bench-analysis) -> collector SnapshotReducer',
  pods: snapshot.pods.length,
  workloads: snapshot.workloads.length,
  networkPolicies: snapshot.networkPolicies.length,
  services: snapshot.services.length,
  rounds: ROUNDS,
  analyzeMs: round(analyzeMs),
  target: 'plan + bundle + verification <= 3 x analyze()',
  plans: Object.fromEntries(
    Object.entries(planRuns).map(([k, v]) => [
      k,
      {
        ...last[k],
        planMs: round(median(v)),
        ratioToAnalyze: Math.round((median(v) / analyzeMs) * 100) / 100,
        meetsTarget: median(v) <= 3 * analyzeMs,
      },
    ]),
  ),
  dialects,
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
};
console.error(
  `bench: analyze ${round(analyzeMs)} ms; ${Object.entries(result.plans)
    .map(
      ([k, p]) => `${k}: ${p.planMs} ms (${p.ratioToAnalyze}x, ${p.status}, ${p.objects} objects)`,
    )
    .join('; ')}; ${Object.entries(dialects)
    .map(
      ([k, d]) => `${k}: ${d.planMs} ms (${d.ratioToAnalyze}x of ${d.analyzeMs} ms, ${d.status})`,
    )
    .join('; ')}`,
);
console.log(JSON.stringify(result));
