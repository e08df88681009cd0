import { serializeSnapshot, collectOffline } from '@plumbline/collector';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runConnectivity } from './connectivity.js';
import type { Reporter } from './output.js';
import { EXIT, runScan } from './scan.js';

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

function io() {
  const out: string[] = [];
  const logs: string[] = [];
  const reporter: Reporter = {
    info: (m) => logs.push(`info ${m}`),
    warn: (m) => logs.push(`warn ${m}`),
    error: (m) => logs.push(`error ${m}`),
  };
  return {
    reporter,
    stdout: (t: string) => out.push(t),
    scanner: { name: 'plumbline-scanner', version: 'test' },
    out,
    logs,
  };
}

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
      'shop/web[Deployment] => shop/db[Deployment] : TCP 5432,TCP 6000-6010,UDP 53',
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
