import { serializeSnapshot, collectOffline } from '@plumbline/collector';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runConnectivity, runConnectivityDiff } from './connectivity.js';
import { EXIT, runScan } from './scan.js';
import { testIo } from './test-io.js';

const FIXTURES = resolve(__dirname, '../../../../shared/fixtures');

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'plumbline-conn-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

const APP = `apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx:1.27, ports: [{ name: http, containerPort: 8080 }] }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: db, namespace: shop }
spec:
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: db, image: postgres:16 }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  policyTypes: [Ingress, Egress]
  ingress:
    - from: [{ podSelector: { matchLabels: { app: web } } }]
      ports: [{ port: 5432 }, { port: 6000, endPort: 6010 }, { protocol: UDP, port: 53 }]
  egress:
    - to: [{ ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16] } }]
`;

const io = testIo;

describe('plumbline-scanner connectivity', () => {
  it('prints every allowed connection, sorted, in connlist form', () => {
    const x = io();
    expect(runConnectivity({ fromDir: dir({ 'app.yaml': APP }) }, x)).toBe(EXIT.ok);
    expect(x.out.join('').split('\n').filter(Boolean)).toEqual([
      '0.0.0.0-9.255.255.255[External] => shop/web[Deployment] : All Connections',
      '10.0.0.0-10.0.255.255[External] => shop/web[Deployment] : All Connections',
      '10.1.0.0-10.1.255.255[External] => shop/web[Deployment] : All Connections',
      '10.2.0.0-10.255.255.255[External] => shop/web[Deployment] : All Connections',
      '11.0.0.0-255.255.255.255[External] => shop/web[Deployment] : All Connections',
      'shop/db[Deployment] => 10.0.0.0-10.0.255.255[External] : All Connections',
      'shop/db[Deployment] => 10.2.0.0-10.255.255.255[External] : All Connections',
      'shop/web[Deployment] => 0.0.0.0-9.255.255.255[External] : All Connections',
      'shop/web[Deployment] => 10.0.0.0-10.0.255.255[External] : All Connections',
      'shop/web[Deployment] => 10.1.0.0-10.1.255.255[External] : All Connections',
      'shop/web[Deployment] => 10.2.0.0-10.255.255.255[External] : All Connections',
      'shop/web[Deployment] => 11.0.0.0-255.255.255.255[External] : All Connections',
      'shop/web[Deployment] => shop/db[Deployment] : TCP 5432,6000-6010,UDP 53',
    ]);
    const grouped = io();
    runConnectivity(
      { fromDir: dir({ 'app.yaml': APP }), groupPorts: true, format: 'json' },
      grouped,
    );
    expect(JSON.parse(grouped.out.join(''))).toContainEqual({
      src: 'shop/web[Deployment]',
      dst: 'shop/db[Deployment]',
      conn: 'TCP 5432,6000-6010,UDP 53',
    });
  });

  it('reads a snapshot file (e.g. of a live cluster) and agrees with --from-dir', () => {
    const d = dir({ 'app.yaml': APP });
    const { snapshot } = collectOffline({
      dir: d,
      scanner: { name: 'plumbline-scanner', version: 'test' },
      collectedAt: '2026-11-26T00:00:00.000Z',
      includeSecretMetadata: false,
      fingerprintKey: new Uint8Array(32),
    });
    const file = join(d, 'snap.json.gz');
    writeFileSync(file, serializeSnapshot(snapshot, true));
    const a = io();
    const b = io();
    runConnectivity({ fromDir: dir({ 'app.yaml': APP }) }, a);
    expect(runConnectivity({ snapshot: file }, b)).toBe(EXIT.ok);
    expect(b.out.join('')).toBe(a.out.join(''));
  });

  it('matches netassert: web/web may not talk to anyone (egress deny-all)', () => {
    const x = io();
    runConnectivity({ fromDir: join(FIXTURES, 'netassert/e2e/manifests') }, x);
    const lines = x.out.join('').split('\n');
    expect(lines.some((l) => l.startsWith('web/web[StatefulSet] =>'))).toBe(false);
    expect(lines).toContain(
      'busybox/busybox[Deployment] => web/web[StatefulSet] : All Connections',
    );
  });

  it('rejects bad usage', () => {
    expect(runConnectivity({ fromDir: dir({ 'a.yaml': APP }), explain: true }, io())).toBe(
      EXIT.usage,
    );
    expect(runConnectivity({ fromDir: dir({ 'a.yaml': APP }), src: 'shop/web' }, io())).toBe(
      EXIT.usage,
    );
    expect(
      runConnectivity(
        { fromDir: dir({ 'a.yaml': APP }), explain: true, src: 'shop/nope', dst: 'shop/db' },
        io(),
      ),
    ).toBe(EXIT.usage);
    expect(runConnectivity({}, io())).toBe(EXIT.usage);
    expect(runConnectivity({ fromDir: '/nonexistent-plumbline' }, io())).toBe(EXIT.input);
    expect(runConnectivity({ fromDir: '/tmp', format: 'yaml' }, io())).toBe(EXIT.usage);
  });
});

describe('plumbline-scanner scan --analyze --min-level', () => {
  const run = (extra: Record<string, unknown>) => {
    const x = io();
    return Promise.resolve(
      runScan({ fromDir: dir({ 'app.yaml': APP }), analyze: true, format: 'json', ...extra }, x),
    ).then((code) => ({ code, x }));
  };

  it('exits with EXIT.belowMinLevel when the cluster level is below N, 0 otherwise', async () => {
    const low = await run({ minLevel: '1' });
    expect(JSON.parse(low.x.out.join('')).steps.maturity.level).toBe(0);
    expect(low.code).toBe(EXIT.belowMinLevel);
    expect(low.x.logs.join('\n')).toMatch(/cluster maturity level 0 is below --min-level 1/);
    expect((await run({ minLevel: '0' })).code).toBe(EXIT.ok);
  });

  it('validates --min-level', async () => {
    expect((await run({ minLevel: '5' })).code).toBe(EXIT.usage);
    expect((await run({ minLevel: 'two' })).code).toBe(EXIT.usage);
    expect((await run({ minLevel: '2', analyze: false, out: '/dev/null' })).code).toBe(EXIT.usage);
  });

  it('prints the maturity pillars in the table', async () => {
    const x = io();
    await runScan({ fromDir: dir({ 'app.yaml': APP }), analyze: true }, x);
    const text = x.out.join('');
    expect(text).toMatch(/Operational maturity: level 0 \(Build\)/);
    expect(text).toMatch(/Workload isolation\s+\d/);
    expect(text).toMatch(/Compliance & audit evidence\s+\d/);
    expect(text).toMatch(/NetworkPolicy coverage \(replica-weighted\): ingress 50%/);
  });
});

const pod = (
  name: string,
  owner: { kind: string; name: string } | null,
  labels: Record<string, string>,
) => ({
  metadata: {
    name,
    namespace: 'shop',
    labels,
    ...(owner
      ? {
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: owner.kind,
              name: owner.name,
              controller: true,
              uid: 'u',
            },
          ],
        }
      : {}),
  },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx:1.27' }] },
  status: { phase: 'Running', podIP: '10.0.0.1', hostIP: '10.1.0.1' },
});

describe('connectivity: typed Lists and owners (as netpol-analyzer)', () => {
  const NP = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicyList',
    items: [
      {
        metadata: { name: 'db', namespace: 'shop' },
        spec: {
          podSelector: { matchLabels: { app: 'db' } },
          policyTypes: ['Ingress'],
          ingress: [
            { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] },
          ],
        },
      },
    ],
  };

  it('reads a PodList / NamespaceList / NetworkPolicyList without item kinds (kubectl get --raw)', () => {
    const x = io();
    const code = runConnectivity(
      {
        fromDir: dir({
          'ns.json': JSON.stringify({
            apiVersion: 'v1',
            kind: 'NamespaceList',
            items: [{ metadata: { name: 'shop' } }],
          }),
          'pods.json': JSON.stringify({
            apiVersion: 'v1',
            kind: 'PodList',
            items: [
              pod('web-7d9f8-a1', { kind: 'ReplicaSet', name: 'web-7d9f8' }, { app: 'web' }),
              pod('web-7d9f8-b2', { kind: 'ReplicaSet', name: 'web-7d9f8' }, { app: 'web' }),
              pod('db-0', { kind: 'StatefulSet', name: 'db' }, { app: 'db' }),
            ],
          }),
          'np.json': JSON.stringify(NP),
        }),
      },
      x,
    );
    expect(code).toBe(EXIT.ok);
    const lines = x.out.join('').split('\n').filter(Boolean);
    expect(lines).toContain('shop/web-7d9f8[ReplicaSet] => shop/db[StatefulSet] : TCP 5432');
    expect(lines).toContain('shop/db[StatefulSet] => shop/web-7d9f8[ReplicaSet] : All Connections');
    expect(lines.filter((l) => l.includes('web-7d9f8-a1'))).toEqual([]);
    expect(x.logs.join('\n')).not.toMatch(/not a Kubernetes object/);
  });

  it('pods of one owner with different labels are one workload: the union, with a warning', () => {
    const x = io();
    runConnectivity(
      {
        fromDir: dir({
          'pods.json': JSON.stringify({
            apiVersion: 'v1',
            kind: 'PodList',
            items: [
              pod('web-a', { kind: 'ReplicaSet', name: 'web-1' }, { app: 'web', variant: 'a' }),
              pod('web-b', { kind: 'ReplicaSet', name: 'web-1' }, { app: 'other', variant: 'b' }),
              pod('db-0', { kind: 'StatefulSet', name: 'db' }, { app: 'db' }),
              pod(
                'vm-launcher',
                { kind: 'VirtualMachineInstance', name: 'vm1' },
                { kubevirt: 'x' },
              ),
              pod('static', { kind: 'Node', name: 'n1' }, { tier: 'cp' }),
            ],
          }),
          'np.json': JSON.stringify(NP),
        }),
      },
      x,
    );
    const lines = x.out.join('').split('\n').filter(Boolean);
    // web-a (app=web) may reach db on 5432; web-b may not: the owner prints the union.
    expect(lines).toContain('shop/web-1[ReplicaSet] => shop/db[StatefulSet] : TCP 5432');
    // never towards itself, whatever its variants
    expect(lines.filter((l) => /web-1\[ReplicaSet\] => shop\/web-1\[ReplicaSet\]/.test(l))).toEqual(
      [],
    );
    // any controller kind names the workload; a Node owner (static pod) does not
    expect(lines.some((l) => l.startsWith('shop/vm1[VirtualMachineInstance] =>'))).toBe(true);
    expect(lines.some((l) => l.startsWith('shop/static[Pod] =>'))).toBe(true);
    expect(x.logs.join('\n')).toMatch(
      /2 pods of this ReplicaSet carry 2 different label sets \(app, variant\)/,
    );
  });
});

describe('connectivity --explain and diff', () => {
  it('explains each port range of one pair with the deciding policy and rule', () => {
    const x = io();
    expect(
      runConnectivity(
        {
          fromDir: dir({ 'app.yaml': APP }),
          explain: true,
          src: 'shop/web',
          dst: 'shop/db[Deployment]',
        },
        x,
      ),
    ).toBe(EXIT.ok);
    const text = x.out.join('');
    expect(text).toMatch(/^CONNECTIONS BETWEEN shop\/web\[Deployment\] => shop\/db\[Deployment\]:/);
    expect(text).toContain('ALLOWED TCP:[5432,6000-6010] due to the following policies // rules:');
    expect(text).toContain('\t\t1) NetworkPolicy shop/db ingress[0] (allow)');
    expect(text).toContain('DENIED TCP:[1-5431,5433-5999,6011-65535]');
    expect(text).toContain('DENIED {SCTP}:[ALL PORTS]');
    expect(text).toContain('\t\t1) NetworkPolicy shop/db (isolates it; no rule allows this)');
    // egress from db only to 10.0.0.0/8 except 10.1.0.0/16: db => web is denied by the egress side
    const back = io();
    runConnectivity(
      {
        fromDir: dir({ 'app.yaml': APP }),
        explain: true,
        src: 'shop/db',
        dst: 'shop/web',
        format: 'json',
      },
      back,
    );
    const j = JSON.parse(back.out.join('')) as {
      allowed: string;
      segments: { allowed: boolean; reasons: { direction: string; allowed: boolean }[] }[];
    };
    expect(j.allowed).toBe('No Connections');
    expect(j.segments).toHaveLength(1);
    expect(j.segments[0]!.reasons.find((r) => r.direction === 'egress')!.allowed).toBe(false);
    // an IP address as a peer
    const ext = io();
    runConnectivity(
      { fromDir: dir({ 'app.yaml': APP }), explain: true, src: 'shop/db', dst: '10.0.0.5' },
      ext,
    );
    expect(ext.out.join('')).toMatch(/All Connections due to the system default|ALLOWED/);
  });

  it('diff lists changed, added and removed connections in np-guard form', () => {
    const a = dir({ 'app.yaml': APP });
    const b = dir({
      'app.yaml': APP.replace('{ port: 5432 }', '{ port: 5433 }').replace(
        'kind: Deployment\nmetadata: { name: db',
        'kind: Deployment\nmetadata: { name: cache, namespace: shop }\nspec:\n  selector: { matchLabels: { app: cache } }\n  template:\n    metadata: { labels: { app: cache } }\n    spec: { containers: [{ name: c, image: redis:7 }] }\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: { name: db',
      ),
    });
    const x = io();
    expect(runConnectivityDiff({ fromDir: a, toDir: b }, x)).toBe(EXIT.ok);
    const lines = x.out.join('').split('\n').filter(Boolean);
    expect(lines[0]).toBe('Connectivity diff:');
    expect(lines).toContain(
      'diff-type: changed, source: shop/web[Deployment], destination: shop/db[Deployment], ref1: TCP 5432,6000-6010,UDP 53, ref2: TCP 5433,6000-6010,UDP 53',
    );
    expect(lines).toContain(
      'diff-type: added, source: shop/cache[Deployment], destination: shop/web[Deployment], ref1: No Connections, ref2: All Connections, workloads-diff-info: workload shop/cache[Deployment] added',
    );
    const types = lines.slice(1).map((l) => /diff-type: (\w+)/.exec(l)![1]);
    expect(types).toEqual(
      [...types].sort(
        (p, q) =>
          ['changed', 'added', 'removed'].indexOf(p!) - ['changed', 'added', 'removed'].indexOf(q!),
      ),
    );
    // the reverse diff removes what was added
    const y = io();
    runConnectivityDiff({ fromDir: b, toDir: a, format: 'json' }, y);
    const rows = JSON.parse(y.out.join('')) as {
      diffType: string;
      workloadsDiffInfo: string | null;
    }[];
    expect(
      rows
        .filter((r) => r.diffType === 'removed')
        .every((r) => /removed/.test(r.workloadsDiffInfo ?? '')),
    ).toBe(true);
    // identical inputs: no difference
    const z = io();
    runConnectivityDiff({ fromDir: a, toDir: dir({ 'x.yaml': APP }) }, z);
    expect(z.out.join('')).toBe('Connectivity diff:\n');
    expect(runConnectivityDiff({ fromDir: a }, io())).toBe(EXIT.usage);
  });
});

describe('no usable input is not a clean report', () => {
  it('an empty folder, or one where every file was skipped, exits 8 naming what was skipped', async () => {
    const empty = io();
    expect(await runScan({ fromDir: dir({}), analyze: true }, empty)).toBe(EXIT.noInput);
    expect(empty.out.join('')).toBe('');
    expect(empty.logs.join('\n')).toMatch(/no Kubernetes object found .*--allow-empty/);
    const skipped = io();
    const d = dir({
      'README.md': '# hello\n',
      'big.yaml': APP + '#'.repeat(2048),
      'logo.png': Buffer.from([0, 1, 2]) as unknown as string,
    });
    expect(await runScan({ fromDir: d, analyze: true, maxFileSize: '1K' }, skipped)).toBe(
      EXIT.noInput,
    );
    const msg = skipped.logs.join('\n');
    expect(msg).toMatch(/README\.md/);
    expect(msg).toMatch(/logo\.png/);
    expect(msg).toMatch(
      /big\.yaml \(\d\.\d KiB > 1\.0 KiB, raise the limit with --max-file-size\)/,
    );
    expect(runConnectivity({ fromDir: d, maxFileSize: '1K' }, io())).toBe(EXIT.noInput);
    const allowed = io();
    expect(await runScan({ fromDir: dir({}), analyze: true, allowEmpty: true }, allowed)).toBe(
      EXIT.ok,
    );
    expect(await runScan({ fromDir: d, analyze: true }, io())).toBe(EXIT.ok);
  });

  it('validates --max-file-size and keeps offline flags off live scans', async () => {
    expect(
      await runScan({ fromDir: dir({ 'a.yaml': APP }), analyze: true, maxFileSize: 'lots' }, io()),
    ).toBe(EXIT.usage);
    expect(await runScan({ maxFileSize: '1M', out: '-' }, io())).toBe(EXIT.usage);
    expect(await runScan({ allowEmpty: true, out: '-' }, io())).toBe(EXIT.usage);
  });
});
