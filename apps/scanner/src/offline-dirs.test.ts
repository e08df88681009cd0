import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectOffline } from '@plumbline/collector';
import { collectOfflineDirs, identity, mergeManifest } from './offline-dirs.js';

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
