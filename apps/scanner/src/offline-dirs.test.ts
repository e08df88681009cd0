import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectOffline } from '@plumbline/collector';
import { collectOfflineDirs, identity, mergeManifest } from './offline-dirs.js';
import { readFolder } from './offline-input.js';
import type { Reporter } from './output.js';
import { runPlan } from './plan.js';
import { EXIT, runScan } from './scan.js';

const opts = {
  scanner: { name: 't', version: '0' },
  collectedAt: '2026-01-01T00:00:00.000Z',
  clusterName: 'c',
  includeSecretMetadata: false,
  fingerprintKey: new Uint8Array(32),
};

describe('mergeManifest (later folders over earlier ones, as kubectl apply merges)', () => {
  it('merges maps field by field, named lists by name, replaces other lists and scalars', () => {
    const base = {
      spec: {
        replicas: 1,
        template: {
          spec: {
            containers: [
              { name: 'a', image: 'x' },
              { name: 'b', image: 'y' },
            ],
          },
        },
        args: ['1', '2'],
      },
    };
    const patch = {
      spec: {
        replicas: 2,
        template: { spec: { containers: [{ name: 'b', image: 'z' }, { name: 'c' }] } },
        args: ['3'],
      },
    };
    expect(mergeManifest(base, patch)).toEqual({
      spec: {
        replicas: 2,
        template: {
          spec: {
            containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'z' }, { name: 'c' }],
          },
        },
        args: ['3'],
      },
    });
    expect(base.spec.replicas).toBe(1); // inputs untouched
  });

  it('identity: the default namespace when a manifest names none; none for cluster-scoped kinds', () => {
    const d = (ns?: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'w', ...(ns ? { namespace: ns } : {}) },
    });
    expect(identity(d())).toBe(identity(d('default')));
    expect(identity(d('shop'))).not.toBe(identity(d()));
    expect(identity({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } })).toBe(
      'core\u0000Namespace\u0000\u0000shop',
    );
    // Same name, another group or kind: another object.
    expect(
      identity({ apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'w' } }),
    ).not.toBe(identity(d()));
  });
});

describe('collectOfflineDirs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dirs-'));
    mkdirSync(path.join(dir, 'a'));
    mkdirSync(path.join(dir, 'b'));
    writeFileSync(
      path.join(dir, 'a', 'app.yaml'),
      `apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { team: red } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
`,
    );
    writeFileSync(
      path.join(dir, 'b', 'patch.yaml'),
      `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec: { replicas: 3 }
---
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { pod-security.kubernetes.io/enforce: baseline } }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: web, namespace: shop }
spec: { maxUnavailable: 1, selector: { matchLabels: { app: web } } }
`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('one folder reads exactly as the collector does', () => {
    const a = path.join(dir, 'a');
    expect(collectOfflineDirs({ ...opts, dirs: [a] }).snapshot).toEqual(
      collectOffline({ ...opts, dir: a }).snapshot,
    );
  });

  it('a later folder patches objects it names and adds new ones, without duplicate warnings', () => {
    const { snapshot } = collectOfflineDirs({
      ...opts,
      dirs: [path.join(dir, 'a'), path.join(dir, 'b')],
    });
    const web = snapshot.workloads.find((w) => w.name === 'web')!;
    expect(web.replicas).toBe(3);
    expect(web.containers.map((c) => c.image)).toEqual(['nginx']);
    expect(snapshot.namespaces.find((n) => n.name === 'shop')!.labels).toEqual({
      team: 'red',
      'pod-security.kubernetes.io/enforce': 'baseline',
    });
    expect(snapshot.podDisruptionBudgets.map((p) => p.name)).toEqual(['web']);
    expect(snapshot.warnings.filter((w) => /duplicate/.test(w.message))).toEqual([]);
  });
});

function capture() {
  const logs: string[] = [];
  const out: string[] = [];
  const reporter: Reporter = {
    info: (m) => logs.push(`info ${m}`),
    warn: (m) => logs.push(`warn ${m}`),
    error: (m) => logs.push(`error ${m}`),
  };
  return { reporter, logs, out, stdout: (t: string) => out.push(t), scanner: opts.scanner };
}

describe('repeated --from-dir goes through the offline reader (readFolder)', () => {
  let dir: string;
  const folder = (name: string, files: Record<string, string | Buffer>) => {
    const d = path.join(dir, name);
    mkdirSync(d);
    for (const [f, text] of Object.entries(files)) writeFileSync(path.join(d, f), text);
    return d;
  };
  const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
`;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dirs-read-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sniffs content, applies --max-file-size and names skipped files of every folder once', () => {
    const a = folder('base', { 'web.golden': DEPLOY, 'README.md': '# notes\n' });
    const b = folder('bundle', {
      'replicas.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec: { replicas: 2 }
`,
      'big.yaml': DEPLOY + '#'.repeat(2048),
      'logo.png': Buffer.from([0, 1, 2]),
    });
    const x = capture();
    const read = readFolder({ ...opts, dir: a, extraDirs: [b], maxFileSize: '1K' }, x.reporter);
    if ('code' in read) throw new Error(`exit ${read.code}: ${x.logs.join('\n')}`);
    // The `.golden` manifest of the first folder is read by content; the later folder patches it.
    expect(read.snapshot.workloads.map((w) => [w.name, w.replicas])).toEqual([['web', 2]]);
    expect(read.stats.objects).toBe(2);
    const summaries = x.logs.filter((l) => /skipped \d+ files?:/.test(l));
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatch(/README\.md/);
    expect(summaries[0]).toMatch(/bundle:logo\.png/);
    expect(summaries[0]).toMatch(
      /bundle:big\.yaml \(\d\.\d KiB > 1\.0 KiB, raise the limit with --max-file-size\)/,
    );
    // A bad size is a usage error, as for one folder.
    expect(
      readFolder({ ...opts, dir: a, extraDirs: [b], maxFileSize: 'lots' }, capture().reporter),
    ).toEqual({
      code: EXIT.usage,
    });
  });

  it('folders with no Kubernetes object between them: exit 8 (noInput) unless --allow-empty', async () => {
    const e1 = folder('e1', { 'notes.txt': 'hello\n' });
    const e2 = folder('e2', {});
    const x = capture();
    expect(await runScan({ fromDir: e1, extraDirs: [e2], analyze: true }, x)).toBe(EXIT.noInput);
    expect(x.out.join('')).toBe('');
    expect(x.logs.join('\n')).toMatch(
      /no Kubernetes object found in .*e1, .*e2 .*notes\.txt.*--allow-empty/,
    );
    expect(
      await runScan({ fromDir: e1, extraDirs: [e2], analyze: true, allowEmpty: true }, capture()),
    ).toBe(EXIT.ok);
  });

  it('plan: no usable input exits 8, objects without workloads exit 11 (EXIT.planNoWorkloads)', () => {
    const none = folder('none', { 'notes.txt': 'hello\n' });
    const cm = folder('cm', {
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: {}\n',
    });
    const x = capture();
    expect(runPlan({ fromDir: [none], out: path.join(dir, 'out-a') }, x)).toBe(EXIT.noInput);
    expect(x.logs.join('\n')).toMatch(/no Kubernetes object found/);
    expect(
      runPlan({ fromDir: [none], allowEmpty: true, out: path.join(dir, 'out-b') }, capture()),
    ).toBe(EXIT.planNoWorkloads);
    const y = capture();
    expect(runPlan({ fromDir: [none, cm], out: path.join(dir, 'out-c') }, y)).toBe(
      EXIT.planNoWorkloads,
    );
    expect(y.logs.join('\n')).toMatch(/no workloads/);
    expect(
      runPlan({ fromDir: [cm], maxFileSize: 'x', out: path.join(dir, 'out-d') }, capture()),
    ).toBe(EXIT.usage);
  });

  it('the exit codes are one table: plan codes follow every code scan uses', () => {
    expect(EXIT).toMatchObject({
      belowMinLevel: 7,
      noInput: 8,
      planUnreachable: 9,
      planRefused: 10,
      planNoWorkloads: 11,
    });
    const codes = Object.values(EXIT);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
