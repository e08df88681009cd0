import { analysisResultSchema } from '@plumbline/contracts';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runPlan } from './plan.js';
import { EXIT, runScan } from './scan.js';
import { testIo } from './test-io.js';

/**
 * `plan --dialect calico|cilium`: the network policies in the enforcing CNI's own language, and
 * `scan --from-dir A --from-dir BUNDLE` reaches what the plan promised, as with Kubernetes
 * NetworkPolicies. Refused (exit planUnreachable) where that CNI does not enforce policy.
 */

const APP = `
apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{ name: http, containerPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: shop }
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: http }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
        - name: api
          image: ghcr.io/example/api:1.4.2
          ports: [{ containerPort: 9000 }]
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: shop }
spec:
  selector: { app: api }
  ports: [{ port: 9000 }]
`;

const cni = (name: 'cilium' | 'calico') => `
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: ${name === 'cilium' ? 'cilium' : 'calico-node'}, namespace: kube-system }
spec:
  selector: { matchLabels: { k8s-app: ${name === 'cilium' ? 'cilium' : 'calico-node'} } }
  template:
    metadata: { labels: { k8s-app: ${name === 'cilium' ? 'cilium' : 'calico-node'} } }
    spec:
      hostNetwork: true
      containers:
        - name: agent
          image: ${name === 'cilium' ? 'quay.io/cilium/cilium:v1.16.4' : 'docker.io/calico/node:v3.29.1'}
`;

const io = testIo;

describe('plan --dialect', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'plan-dialect-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const folder = (name: string, cniName: 'cilium' | 'calico') => {
    const d = path.join(dir, name);
    mkdirSync(d);
    writeFileSync(path.join(d, 'cluster.yaml'), `${APP}---${cni(cniName)}`);
    return d;
  };

  const isolation = (dirs: string[]) => {
    const x = io();
    const code = runScan(
      {
        fromDir: dirs[0],
        extraDirs: dirs.slice(1),
        analyze: true,
        format: 'json',
        collectedAt: '2026-12-01T00:00:00Z',
      },
      x,
    );
    expect(code).toBe(EXIT.ok);
    const r = analysisResultSchema.parse(JSON.parse(x.out.join('')));
    return r.steps.maturity.pillars.find((p) => p.id === 'workload-isolation')!.level;
  };

  it.each([
    ['cilium', 'cilium.io/v2', 'CiliumNetworkPolicy'],
    ['calico', 'projectcalico.org/v3', 'NetworkPolicy'],
  ] as const)(
    '%s: the bundle holds only that dialect, and scanning with it reaches the promise',
    (dialect, apiVersion, kind) => {
      const manifests = folder(`m-${dialect}`, dialect);
      const out = path.join(dir, `bundle-${dialect}`);
      const x = io();
      const code = runPlan(
        {
          fromDir: [manifests],
          pillar: 'workload-isolation',
          targetLevel: '3',
          dialect,
          out,
          format: 'json',
        },
        x,
      );
      expect([code, x.logs.filter((l) => l.startsWith('error'))]).toEqual([EXIT.ok, []]);
      const stored = JSON.parse(readFileSync(path.join(out, 'plan.json'), 'utf8'));
      expect(stored.verification.ok).toBe(true);
      expect(stored.verification.connectivity.cut).toEqual([]);
      const policies = readdirSync(out, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.yaml') && !f.endsWith('kustomization.yaml'))
        .flatMap((f) =>
          parseAllDocuments(readFileSync(path.join(out, f), 'utf8')).map(
            (d) => d.toJSON() as { apiVersion: string; kind: string },
          ),
        )
        .filter((m) => /NetworkPolicy$/.test(m.kind));
      expect(policies.length).toBeGreaterThan(2);
      expect(new Set(policies.map((m) => `${m.apiVersion} ${m.kind}`))).toEqual(
        new Set([`${apiVersion} ${kind}`]),
      );
      const before = isolation([manifests]);
      const after = isolation([manifests, out]);
      expect(before).toBeLessThan(3);
      expect(after).toBe(stored.verification.reached['workload-isolation']);
      expect(after).toBe(stored.plan.bundlePromise['workload-isolation']);
    },
  );

  it('a dialect whose CNI does not enforce here is refused with the reason (exit planUnreachable)', () => {
    const manifests = folder('m-mismatch', 'calico');
    const out = path.join(dir, 'bundle-mismatch');
    const x = io();
    const code = runPlan(
      {
        fromDir: [manifests],
        pillar: 'workload-isolation',
        targetLevel: '3',
        dialect: 'cilium',
        out,
      },
      x,
    );
    expect(code).toBe(EXIT.planUnreachable);
    expect(x.logs.join('\n')).toMatch(/only where Cilium enforces network policy.*only calico/);
  });

  it('an unknown dialect is a usage error naming the choices', () => {
    const x = io();
    const code = runPlan({ fromDir: [dir], dialect: 'weave', out: path.join(dir, 'never') }, x);
    expect(code).toBe(EXIT.usage);
    expect(x.logs.join('\n')).toMatch(/kubernetes, calico, cilium/);
  });
});
