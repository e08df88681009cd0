import { parseClusterSnapshot } from '@plumbline/contracts';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createReporter, type Reporter } from './output.js';
import { EXIT, runScan } from './scan.js';
import { testIo } from './test-io.js';

const FAKE_KEY = 'sk-proj-CLItestFAKEkey000000000000001';

function manifests(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plumbline-cli-'));
  writeFileSync(
    join(dir, 'app.yaml'),
    `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { pod-security.kubernetes.io/enforce: restricted } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          env: [{ name: OPENAI_API_KEY, value: "${FAKE_KEY}" }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: shop }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
`,
  );
  return dir;
}

const io = testIo;

describe('plumbline-scanner scan', () => {
  it('writes a valid gzip snapshot with declared identity and node count', () => {
    const dir = manifests();
    const file = join(dir, 'out.json.gz');
    const x = io();
    const code = runScan(
      {
        fromDir: dir,
        out: file,
        clusterName: 'prod-eu',
        clusterId: 'cl-123',
        nodeCount: '12',
        collectedAt: '2026-11-26T08:00:00+01:00',
      },
      x,
    );
    expect(code).toBe(EXIT.ok);
    const r = parseClusterSnapshot(JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')));
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.snapshot.collectedAt).toBe('2026-11-26T07:00:00.000Z');
    expect(r.snapshot.mode).toBe('offline');
    expect(r.snapshot.cluster).toMatchObject({
      name: 'prod-eu',
      id: 'cl-123',
      idSource: 'declared',
      nodeCount: 12,
      nodeCountSource: 'declared',
    });
    expect(r.snapshot.workloads.map((w) => `${w.namespace}/${w.name}`)).toEqual(['shop/web']);
    expect(r.snapshot.networkPolicies).toHaveLength(1);
    expect(x.logs.join('\n')).toMatch(/snapshot of cluster "prod-eu" written/);
    expect(x.logs.join('\n')).not.toContain(FAKE_KEY);
  });

  it('--dry-run prints every field per type and a redacted sample, and writes nothing', () => {
    const dir = manifests();
    const x = io();
    expect(runScan({ fromDir: dir, dryRun: true }, x)).toBe(EXIT.ok);
    const text = x.out.join('');
    expect(text).not.toContain(FAKE_KEY);
    const report = JSON.parse(text) as {
      sections: { section: string; count: number; fields: string[]; sample: unknown }[];
    };
    const workloads = report.sections.find((s) => s.section === 'workloads')!;
    expect(workloads.count).toBe(1);
    expect(workloads.fields).toEqual(
      expect.arrayContaining([
        'name',
        'containers[].image',
        'containers[].env[].name',
        'containers[].env[].fingerprint',
      ]),
    );
    expect(workloads.fields).not.toContain('containers[].env[].secret');
    expect(JSON.stringify(workloads.sample)).toContain('"looksLikeCredential":true');
    const sections = report.sections.map((s) => s.section);
    expect(sections).toEqual(
      expect.arrayContaining([
        'cluster',
        'networkPolicies',
        'secrets',
        'config.configMaps',
        'collection',
      ]),
    );
  });

  it.each([
    [{}, EXIT.usage, /use --from-dir/],
    [{ fromDir: '/nonexistent/dir' }, EXIT.input, /not a readable folder/],
    [
      { fromDir: '.', nodeCount: 'many', out: '-' },
      EXIT.usage,
      /--node-count must be a whole number/,
    ],
    [
      { fromDir: '.', collectedAt: 'yesterday', out: '-' },
      EXIT.usage,
      /--collected-at must be an ISO 8601 time/,
    ],
    [{ fromDir: '.' }, EXIT.usage, /--out/],
  ])('refuses %j with exit %i', (opts, code, message) => {
    const x = io();
    expect(runScan(opts, x)).toBe(code);
    expect(x.logs.join('\n')).toMatch(message);
  });

  it('cannot write the output: exit 4', () => {
    const x = io();
    expect(runScan({ fromDir: manifests(), out: '/nonexistent/dir/out.json' }, x)).toBe(
      EXIT.output,
    );
  });
});

describe('reporter', () => {
  function capture(tty: boolean): { lines: string[]; r: Reporter } {
    const lines: string[] = [];
    const stream = {
      write: (s: string) => lines.push(s),
      isTTY: tty,
    } as unknown as NodeJS.WriteStream;
    return { lines, r: createReporter(stream, tty) };
  }
  it('writes JSON lines when not on a terminal', () => {
    const { lines, r } = capture(false);
    r.warn('skipped', { source: 'a.yaml#0' });
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'warn',
      msg: 'skipped',
      source: 'a.yaml#0',
    });
  });
  it('writes readable lines on a terminal', () => {
    const { lines, r } = capture(true);
    r.warn('skipped', { source: 'a.yaml#0' });
    expect(lines[0]).toBe('warn: skipped  (source=a.yaml#0)\n');
  });
});

describe('the plumbline-scanner process', () => {
  const tsx = resolve(__dirname, '../../../node_modules/.bin/tsx');
  const main = resolve(__dirname, 'main.ts');
  it('documents its commands and exits 2 on usage errors', () => {
    const help = spawnSync(tsx, [main, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/scan/);
    expect(help.stdout).toMatch(/validate/);
    const bad = spawnSync(tsx, [main, 'scan'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(JSON.parse(bad.stderr.trim().split('\n')[0]!)).toMatchObject({ level: 'error' });
    const unknown = spawnSync(tsx, [main, 'frobnicate'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
  });
});

describe('object counts say what they count (issue 18.7)', () => {
  it('the table and the scan log agree on the objects kept, and the log names the objects read', () => {
    const dir = manifests();
    // Objects read but not kept in the snapshot: a Secret (no metadata without the flag) and an
    // object of a kind Plumbline does not read.
    writeFileSync(
      join(dir, 'extra.yaml'),
      `apiVersion: v1
kind: Secret
metadata: { name: s, namespace: shop }
---
apiVersion: v1
kind: LimitRange
metadata: { name: lr, namespace: shop }
`,
    );
    const fields: Record<string, unknown>[] = [];
    const x = io();
    x.reporter = {
      ...x.reporter,
      info: (m, f) => {
        x.logs.push(`info ${m}`);
        if (f) fields.push(f as Record<string, unknown>);
      },
    };
    expect(runScan({ fromDir: dir, analyze: true, out: join(dir, 'out.json.gz') }, x)).toBe(
      EXIT.ok,
    );
    const kept = Number(/Objects kept in the snapshot: (\d+)/.exec(x.out.join(''))![1]);
    const log = fields.find((f) => 'objectsRead' in f)!;
    expect(log).toMatchObject({ objectsInSnapshot: kept, objectsRead: 5 });
    expect(kept).toBeLessThan(5);
    expect(Object.keys(log)).not.toContain('objects');
  });
});

describe('plumbline-scanner scan --analyze', () => {
  it('prints the analysis as JSON without needing --out', () => {
    const x = io();
    expect(runScan({ fromDir: manifests(), analyze: true, format: 'json' }, x)).toBe(EXIT.ok);
    const result = JSON.parse(x.out.join('')) as {
      steps: { inventory: { resourceCounts: Record<string, number> } };
    };
    expect(result.steps.inventory.resourceCounts).toMatchObject({
      workloads: 1,
      networkPolicies: 1,
      namespaces: 1,
    });
  });

  it('prints a table by default and refuses an unknown format', () => {
    const x = io();
    expect(runScan({ fromDir: manifests(), analyze: true }, x)).toBe(EXIT.ok);
    expect(x.out.join('')).toMatch(/^Cluster plumbline-cli-/);
    expect(runScan({ fromDir: manifests(), analyze: true, format: 'yaml' }, io())).toBe(EXIT.usage);
  });
});

describe('plumbline-scanner scan --analyze --assumptions', () => {
  it('prices the stack with overrides and refuses invalid ones', () => {
    const dir = manifests();
    const file = join(dir, 'assumptions.json');
    writeFileSync(file, JSON.stringify({ engineers: 40, licencePerTool: 20000 }));
    const x = io();
    expect(runScan({ fromDir: dir, analyze: true, format: 'json', assumptions: file }, x)).toBe(
      EXIT.ok,
    );
    const r = JSON.parse(x.out.join('')) as {
      steps: { cost: { assumptions: { engineers: number; licencePerTool: number } } };
    };
    expect(r.steps.cost.assumptions).toMatchObject({ engineers: 40, licencePerTool: 20000 });

    writeFileSync(file, JSON.stringify({ engineers: -1, colour: 'blue' }));
    const bad = io();
    expect(runScan({ fromDir: dir, analyze: true, assumptions: file }, bad)).toBe(EXIT.usage);
    expect(bad.logs.join('\n')).toMatch(/--assumptions .* is invalid/);
  });

  it('the table shows the integration tax lines', () => {
    const x = io();
    expect(runScan({ fromDir: manifests(), analyze: true }, x)).toBe(EXIT.ok);
    expect(x.out.join('')).toMatch(/Integration tax: \$[\d,.]+ a year/);
    expect(x.out.join('')).toMatch(/Upgrade cost\s+\$[\d,.]+\s+T x U x \(C x h_c \+ h_coord\) x R/);
  });
});
