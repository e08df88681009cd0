/**
 * network-policy-api conformance expectations (ClusterNetworkPolicy admin / baseline tiers, legacy
 * AdminNetworkPolicy / BaselineAdminNetworkPolicy), transcribed from the upstream Go tests into
 * suites/network-policy-api.json, run against the fixture policy objects and the conformance
 * topology. Policy mutations the tests make (rule swaps, priority / action changes, a deletion)
 * are applied cumulatively. The run count may not drop below the committed number.
 */
import type { ClusterSnapshot, SpecObject } from '@plumbline/contracts';
import { collectOffline } from '@plumbline/collector';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NetpolEngine, modelFromSnapshot } from '../src/index.js';

const FIXTURES = resolve(__dirname, '../../../../shared/fixtures');

type Probe = [string, string, string, number, boolean];
type Mutation =
  | { policy: string; dir: 'ingress' | 'egress'; swap: [number, number] }
  | { policy: string; set: Record<string, unknown> }
  | { policy: string; dir: 'ingress' | 'egress'; index: number; action: string }
  | { delete: string };
interface Step {
  name: string;
  mutate?: Mutation[];
  probes: Probe[];
  skip?: string;
}
interface Test {
  id: string;
  upstream: string;
  commit: string;
  fixture: string;
  skip?: string;
  steps: Step[];
}
const suite = JSON.parse(
  readFileSync(join(__dirname, 'suites/network-policy-api.json'), 'utf8'),
) as {
  namespacePrefix: string;
  counts: { probesRun: number; probesSkipped: number };
  tests: Test[];
};

const collect = (paths: string[]): ClusterSnapshot =>
  collectOffline({
    dir: FIXTURES,
    paths,
    scanner: { name: 'plumbline-scanner', version: 'test' },
    collectedAt: '2026-11-26T00:00:00.000Z',
    clusterName: 'conformance',
    includeSecretMetadata: false,
    fingerprintKey: new Uint8Array(32),
  }).snapshot;

const topology = collect(['network-policy-api/conformance/base/manifests.yaml']);

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function apply(objects: SpecObject[], m: Mutation): SpecObject[] {
  if ('delete' in m)
    return objects.filter((o) => `${o.kind} ${o.namespace}/${o.name}` !== m.delete);
  const o = objects.find((x) => x.name === m.policy && x.kind !== 'NetworkPolicy');
  if (!o) throw new Error(`no policy ${m.policy}`);
  const spec = o.spec as Record<string, unknown>;
  if ('swap' in m) {
    const rules = spec[m.dir] as unknown[];
    const [i, j] = m.swap;
    [rules[i], rules[j]] = [rules[j], rules[i]];
  } else if ('set' in m) Object.assign(spec, m.set);
  else (spec[m.dir] as Record<string, unknown>[])[m.index]!.action = m.action;
  return objects;
}

function engineFor(objects: SpecObject[]): NetpolEngine {
  const model = modelFromSnapshot(topology);
  return new NetpolEngine({ ...model, objects });
}

const ref = (p: string) => {
  const [house, pod] = p.split('/') as [string, string];
  return `${suite.namespacePrefix}${house}/${pod.replace(/-\d+$/, '')}`;
};

const runnable = suite.tests.filter((t) => !t.skip);
let probesRun = 0;

describe.each(runnable.map((t) => [t.id, t] as const))('%s', (_id, t) => {
  const policySnapshot = collect([t.fixture]);
  let objects = clone([...policySnapshot.networkPolicies, ...policySnapshot.policyObjects]);
  const steps = t.steps.map((s) => {
    for (const m of s.mutate ?? []) objects = apply(objects, m);
    return { step: s, engine: s.skip ? null : engineFor(clone(objects)) };
  });

  it('compiles the fixture policies without warnings', () => {
    expect(objects.length).toBeGreaterThan(0);
    const e = engineFor(clone(objects));
    expect(e.warnings).toEqual([]);
    expect(e.policies.length).toBeGreaterThan(0);
  });

  it.each(steps.filter((s) => !s.step.skip).map((s) => [s.step.name, s] as const))(
    '%s',
    (_name, { step, engine }) => {
      const got = step.probes.map(([src, dst, proto, port]) => {
        const r = engine!.mayReach(ref(src), ref(dst), port, proto);
        if ('error' in r) throw new Error(r.error);
        return [src, dst, proto, port, r.allowed];
      });
      probesRun += step.probes.length;
      expect(got).toEqual(step.probes);
    },
  );
});

describe('network-policy-api suite bookkeeping', () => {
  it('runs at least the committed number of probes', () => {
    const counted = runnable
      .flatMap((t) => t.steps)
      .filter((s) => !s.skip)
      .reduce((n, s) => n + s.probes.length, 0);
    expect(counted).toBeGreaterThanOrEqual(suite.counts.probesRun);
    expect(probesRun).toBe(counted);
  });

  it('gives a reason for every skipped test or step', () => {
    for (const t of suite.tests) {
      if (t.skip) expect(t.skip.length).toBeGreaterThan(20);
      for (const s of t.steps) if (s.skip) expect(s.skip.length).toBeGreaterThan(20);
    }
  });
});
