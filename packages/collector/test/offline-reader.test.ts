/**
 * The offline reader decides by content, not by file name; says in one line what it skipped and
 * why; reads typed Lists as the API server returns them; and bounds YAML alias expansion by the
 * size of what it would produce.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  collectOffline,
  expandedSize,
  summarizeSkipped,
  type OfflineOptions,
} from '../src/offline.js';

const FIXTURES = resolve(__dirname, '../../../../shared/fixtures');

function dir(files: Record<string, string | Buffer>): string {
  const d = mkdtempSync(join(tmpdir(), 'plumbline-reader-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

function read(d: string, extra: Partial<OfflineOptions> = {}) {
  return collectOffline({
    dir: d,
    scanner: { name: 'plumbline-scanner', version: 'test' },
    collectedAt: '2026-11-26T00:00:00.000Z',
    includeSecretMetadata: false,
    fingerprintKey: new Uint8Array(32),
    ...extra,
  });
}

const DEPLOY = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: shop }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: c, image: nginx:1.27 }] }
`;

describe('offline reader: content, not extension', () => {
  it('reads manifests named .golden, without extension, or .txt, as it reads .yaml', () => {
    const names = ['a.yaml', 'b.golden', 'c', 'd.txt', 'e.yaml.tmpl', 'f.json.out'];
    const files: Record<string, string> = {};
    names.forEach((n, i) => (files[n] = DEPLOY(`app${i}`)));
    files['f.json.out'] = JSON.stringify({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'app5', namespace: 'shop' },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'x:1' }] } } },
    });
    const { snapshot, stats } = read(dir(files));
    expect(snapshot.workloads.map((w) => w.name).sort()).toEqual(names.map((_, i) => `app${i}`));
    expect(stats.files).toBe(names.length);
    expect(stats.skipped).toEqual([]);
  });

  it('the istio .golden install renders like its .yaml counterpart would', () => {
    const golden = readFileSync(
      join(
        FIXTURES,
        'istio/operator/cmd/mesh/testdata/manifest-generate/output/pilot_default.golden.yaml',
      ),
      'utf8',
    );
    const a = read(dir({ 'pilot.yaml': golden })).snapshot;
    const b = read(dir({ 'pilot.golden': golden })).snapshot;
    const c = read(dir({ pilot: golden })).snapshot;
    expect(a.workloads.length).toBeGreaterThan(0);
    expect(b.workloads).toEqual(a.workloads);
    expect(c.collection).toEqual(a.collection);
  });

  it('skips look-alikes (prose, markdown with YAML blocks, binaries, empty files) in one line', () => {
    const md = readFileSync(
      join(FIXTURES, 'netpol-recipes/01-deny-all-traffic-to-an-application.md'),
    );
    const { snapshot, stats } = read(
      dir({
        'app.yaml': DEPLOY('web'),
        'README.md': md,
        'notes.txt': 'apiVersion and kind are words in this sentence\n',
        'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 3]),
        'empty.yaml': '\n\n',
        'values.yaml': 'replicaCount: 2\nimage: { tag: 1.0 }\n',
      }),
    );
    expect(snapshot.workloads.map((w) => w.name)).toEqual(['web']);
    expect(stats.skipped.map((s) => [s.file, s.reason]).sort()).toEqual([
      ['README.md', 'not-kubernetes'],
      ['empty.yaml', 'empty'],
      ['logo.png', 'binary'],
      ['notes.txt', 'not-kubernetes'],
      ['values.yaml', 'not-kubernetes'],
    ]);
    const lines = snapshot.warnings.filter((w) => /^skipped /.test(w.message));
    expect(lines).toHaveLength(1);
    for (const f of ['README.md', 'notes.txt', 'logo.png', 'empty.yaml', 'values.yaml'])
      expect(lines[0]!.message).toContain(f);
    // and no other warning line names a skipped file
    expect(snapshot.warnings.filter((w) => w !== lines[0]).map((w) => w.source)).toEqual([]);
  });

  it('summarizes many skipped files per reason with a cap', () => {
    const skipped = Array.from({ length: 9 }, (_, i) => ({
      file: `f${i}.md`,
      reason: 'not-kubernetes' as const,
      detail: '',
    }));
    const line = summarizeSkipped([
      ...skipped,
      { file: 'big.yaml', reason: 'too-large', detail: '20.0 MiB > 16.0 MiB' },
    ]);
    expect(line).toMatch(/^skipped 10 files: 9 no Kubernetes document/);
    expect(line).toContain('and 4 more');
    expect(line).toContain('1 over the size limit: big.yaml (20.0 MiB > 16.0 MiB)');
    expect(summarizeSkipped([])).toBe('');
  });
});

describe('offline reader: limits', () => {
  it('a file over the size limit names the limit and the flag that raises it', () => {
    const big = DEPLOY('web') + `# ${'x'.repeat(4096)}\n`;
    const d = dir({ 'big.yaml': big, 'small.yaml': DEPLOY('api') });
    const { stats, snapshot } = read(d, { maxFileBytes: 4096 });
    expect(stats.skipped).toEqual([
      {
        file: 'big.yaml',
        reason: 'too-large',
        detail: expect.stringMatching(
          /^4\.\d KiB > 4\.0 KiB, raise the limit with --max-file-size$/,
        ),
      },
    ]);
    expect(snapshot.workloads.map((w) => w.name)).toEqual(['api']);
    expect(read(d, { maxFileBytes: 1 << 20 }).snapshot.workloads).toHaveLength(2);
  });

  it('an alias bomb is refused by the size it would expand to, not by its alias count', () => {
    // 9 levels x 10 references: 10^9 leaves from a file of a few hundred bytes, few aliases.
    const lines = ['a0: &a0 "lol"'];
    for (let i = 1; i <= 9; i++)
      lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: bomb, namespace: x }\ndata:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
    const { stats, snapshot } = read(dir({ 'bomb.yaml': bomb, 'app.yaml': DEPLOY('web') }));
    expect(stats.skipped.map((s) => [s.file, s.reason])).toEqual([
      ['bomb.yaml', 'alias-expansion'],
    ]);
    expect(snapshot.workloads.map((w) => w.name)).toEqual(['web']);
  });

  it('ordinary aliases (shared env, shared labels) are read and expanded', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop, labels: &l { app: web, tier: front } }
spec:
  selector: { matchLabels: *l }
  template:
    metadata: { labels: *l }
    spec:
      containers:
        - { name: a, image: nginx:1.27, env: &env [{ name: MODE, value: prod }] }
        - { name: b, image: nginx:1.27, env: *env }
`;
    const { snapshot, stats } = read(dir({ 'app.yaml': text }));
    expect(stats.skipped).toEqual([]);
    expect(snapshot.workloads[0]!.podLabels).toEqual({ app: 'web', tier: 'front' });
    expect(snapshot.workloads[0]!.containers.map((c) => c.name)).toEqual(['a', 'b']);
  });

  it('expandedSize counts shared values once per reference and stops at the limit', () => {
    const leaf = { k: 'v'.repeat(100) };
    const shared = [leaf, leaf, leaf, leaf];
    const one = expandedSize(leaf, Infinity);
    expect(expandedSize(shared, Infinity)).toBeGreaterThan(4 * one);
    expect(expandedSize([shared, shared], 500)).toBeGreaterThan(500);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(expandedSize(cyclic, 1e6)).toBeGreaterThan(1e6);
  });

  it('one bad document costs only itself', () => {
    const text = `${DEPLOY('a')}---\nkind: [unclosed\n---\n${DEPLOY('b')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: tagged, namespace: shop }\ndata: { x: !Custom value }\n`;
    const { snapshot, stats } = read(dir({ 'app.yaml': text }));
    expect(snapshot.workloads.map((w) => w.name).sort()).toEqual(['a', 'b']);
    expect(stats.unparseableDocs).toBe(1);
    expect(stats.objects).toBe(3);
  });
});

describe('offline reader: typed Lists', () => {
  it('infers item kind and apiVersion from PodList, NamespaceList, NetworkPolicyList, DeploymentList', () => {
    const lists = {
      'pods.json': {
        apiVersion: 'v1',
        kind: 'PodList',
        items: [
          { metadata: { name: 'web-1', namespace: 'shop', labels: { app: 'web' } }, spec: {} },
        ],
      },
      'ns.yaml': {
        kind: 'NamespaceList',
        items: [{ metadata: { name: 'shop', labels: { team: 'a' } } }],
      },
      'np.json': {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicyList',
        items: [{ metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {} } }],
      },
      'deploy.json': {
        kind: 'DeploymentList',
        items: [JSON.parse(JSON.stringify({ metadata: { name: 'api', namespace: 'shop' } }))],
      },
    };
    const files: Record<string, string> = {};
    for (const [k, v] of Object.entries(lists)) files[k] = JSON.stringify(v);
    const { snapshot, stats } = read(dir(files));
    expect(stats.notKubernetes).toBe(0);
    expect(snapshot.namespaces.map((n) => [n.name, n.labels])).toEqual([['shop', { team: 'a' }]]);
    expect(snapshot.networkPolicies.map((n) => n.name)).toEqual(['deny']);
    expect(snapshot.workloads.map((w) => `${w.kind}/${w.name}`)).toEqual([
      'Deployment/api',
      'Pod/web-1',
    ]);
  });

  it('items of a generic List must still say what they are', () => {
    const { stats } = read(
      dir({
        'l.json': JSON.stringify({
          apiVersion: 'v1',
          kind: 'List',
          items: [{ metadata: { name: 'x' } }],
        }),
      }),
    );
    expect(stats.notKubernetes).toBe(1);
    expect(stats.objects).toBe(0);
  });
});
