import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

// The built CLI end to end: `plan` writes a kustomize bundle whose promise `scan` with both
// folders then shows; bad input answers with the documented exit codes and writes nothing.

const CLI = path.resolve(__dirname, '../dist/main.js');
const FIXTURES = path.resolve(__dirname, '../../../../shared/fixtures');

function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

let work: string;
let cluster: string;
beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'plumbline-plan-'));
  cluster = path.join(work, 'cluster');
  mkdirSync(cluster);
  // An enforcing CNI (Calico) and an application without any NetworkPolicy.
  copyFileSync(
    path.join(FIXTURES, 'calico/manifests/calico.yaml'),
    path.join(cluster, 'calico.yaml'),
  );
  copyFileSync(
    path.join(FIXTURES, 'microservices-demo/release/kubernetes-manifests.yaml'),
    path.join(cluster, 'app.yaml'),
  );
  // A single CoreDNS replica: resilience needs partial objects (replicas) merged by scan.
  writeFileSync(path.join(cluster, 'coredns.yaml'), COREDNS);
});
const COREDNS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
spec:
  replicas: 1
  selector:
    matchLabels: { k8s-app: kube-dns }
  template:
    metadata:
      labels: { k8s-app: kube-dns }
    spec:
      containers:
        - name: coredns
          image: registry.k8s.io/coredns/coredns:v1.11.1
          ports:
            - { name: dns, containerPort: 53, protocol: UDP }
`;

afterAll(() => rmSync(work, { recursive: true, force: true }));

interface PlanJson {
  plan: { bundlePromise: Record<string, number>; steps: { id: string; kind: string }[] };
  verification: { reached: Record<string, number>; connectivity: { cut: unknown[] } };
}
interface AnalysisJson {
  steps: { maturity: { level: number; pillars: { id: string; level: number }[] } };
}

test.each([
  ['workload-isolation', '3'],
  ['resilience', '2'],
  ['compliance', '2'],
])(
  'plan --pillar %s --target-level %s -> scan with both folders shows the promised levels',
  (pillar, level) => {
    const out = path.join(work, `bundle-${pillar}`);
    const p = run([
      'plan',
      '--from-dir',
      cluster,
      '--pillar',
      pillar,
      '--target-level',
      level,
      '--out',
      out,
    ]);
    expect(p.stderr).not.toMatch(/"level":"error"/);
    expect(p.code).toBe(0);
    const plan = JSON.parse(readFileSync(path.join(out, 'plan.json'), 'utf8')) as PlanJson;
    expect(plan.verification.connectivity.cut).toEqual([]);
    expect(plan.verification.reached).toEqual(plan.plan.bundlePromise);
    expect(plan.plan.bundlePromise[pillar]).toBeGreaterThanOrEqual(Number(level));
    if (pillar === 'resilience')
      // Partial objects (replicas of CoreDNS and of app Deployments) and new PDBs.
      expect(plan.plan.steps.map((s) => s.id).sort()).toEqual(['dns-replicas', 'pdb', 'replicas']);
    // kustomize-ready: the kustomization lists exactly the object files, each one object.
    const k = parse(readFileSync(path.join(out, 'kustomization.yaml'), 'utf8')) as {
      resources: string[];
    };
    expect(k.resources.length).toBeGreaterThan(0);
    for (const f of k.resources) {
      const o = parse(readFileSync(path.join(out, f), 'utf8')) as {
        apiVersion: string;
        kind: string;
        metadata: { name: string };
      };
      expect(o.apiVersion && o.kind && o.metadata.name).toBeTruthy();
    }
    expect(readFileSync(path.join(out, 'README.md'), 'utf8')).toMatch(/## Verification/);
    const before = run(['scan', '--from-dir', cluster, '--analyze', '--format', 'json']);
    const after = run([
      'scan',
      '--from-dir',
      cluster,
      '--from-dir',
      out,
      '--analyze',
      '--format',
      'json',
    ]);
    expect(after.code).toBe(0);
    const levels = (r: string) =>
      Object.fromEntries(
        (JSON.parse(r) as AnalysisJson).steps.maturity.pillars.map((x) => [x.id, x.level]),
      );
    expect(levels(after.stdout)).toEqual(plan.plan.bundlePromise);
    expect(levels(before.stdout)[pillar]).toBeLessThan(Number(level));
  },
);

test('bad input: documented exit codes, nothing written', () => {
  const out = (n: string) => path.join(work, `bad-${n}`);
  expect(
    run([
      'plan',
      '--from-dir',
      cluster,
      '--pillar',
      'nope',
      '--target-level',
      '2',
      '--out',
      out('a'),
    ]).code,
  ).toBe(2);
  expect(run(['plan', '--from-dir', cluster, '--target-level', '5', '--out', out('b')]).code).toBe(
    2,
  );
  expect(
    run(['plan', '--from-dir', cluster, '--target-level', 'two', '--out', out('b2')]).code,
  ).toBe(2);
  expect(run(['plan', '--from-dir', path.join(work, 'missing'), '--out', out('c')]).code).toBe(3);
  // A folder without workloads: exit 11.
  const empty = path.join(work, 'empty');
  mkdirSync(empty);
  writeFileSync(
    path.join(empty, 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: {}\n',
  );
  const r = run(['plan', '--from-dir', empty, '--out', out('d')]);
  expect(r.code).toBe(11);
  expect(r.stderr).toMatch(/no workloads/);
  // Out of reach from the evidence (no application namespace to isolate): exit 9 with the reason.
  const platform = path.join(work, 'platform');
  mkdirSync(platform);
  copyFileSync(
    path.join(FIXTURES, 'calico/manifests/calico.yaml'),
    path.join(platform, 'calico.yaml'),
  );
  const u = run([
    'plan',
    '--from-dir',
    platform,
    '--pillar',
    'workload-isolation',
    '--target-level',
    '3',
    '--out',
    out('e'),
  ]);
  expect(u.code).toBe(9);
  expect(u.stderr).toMatch(/out of reach/);
  // --out must be new or empty.
  const used = out('f');
  mkdirSync(used);
  writeFileSync(path.join(used, 'keep.txt'), 'mine');
  expect(run(['plan', '--from-dir', cluster, '--out', used]).code).toBe(4);
  for (const n of ['a', 'b', 'b2', 'c', 'd', 'e']) expect(existsSync(out(n))).toBe(false);
});
