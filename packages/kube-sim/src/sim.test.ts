import { request } from 'node:https';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { createCertificate, type TlsMaterial } from './certs.js';
import { startKubeSim, type KubeSim, type KubeSimOptions } from './server.js';
import { compareVersions, pluralize } from './state.js';

const METADATA = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
const SECRET_VALUE = 'fake-secret-value-for-the-simulator-0001';

function manifests(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-sim-'));
  const deployments = Array.from(
    { length: 7 },
    (_, i) => `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web-${i}, namespace: shop, labels: { tier: ${i % 2 ? 'back' : 'front'} } }
spec: { selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: c, image: nginx }] } } }`,
  ).join('\n');
  writeFileSync(join(dir, 'apps.yaml'), deployments);
  writeFileSync(
    join(dir, 'core.yaml'),
    `apiVersion: v1
kind: Namespace
metadata: { name: shop, uid: 11111111-2222-4333-8444-555555555555 }
---
apiVersion: v1
kind: Secret
metadata: { name: db, namespace: shop }
type: Opaque
stringData: { password: ${SECRET_VALUE} }
---
apiVersion: v1
kind: Secret
metadata: { name: tls, namespace: shop }
type: kubernetes.io/tls
data: { tls.key: ZmFrZQ== }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: no-namespace }
data: { a: b }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: reader, namespace: ignored }
rules: []
---
apiVersion: v1
kind: NetworkPolicy
metadata: { name: wrong-group }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web-0, namespace: shop, labels: { copy: second } }
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata: { name: old, namespace: shop }
spec: { backend: { serviceName: web, servicePort: 80 } }
`,
  );
  writeFileSync(
    join(dir, 'crds.yaml'),
    `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Widget, plural: widgets, singular: widget, shortNames: [wd] }
  versions:
    - { name: v1alpha1, served: true, storage: false }
    - { name: v1, served: true, storage: true }
    - { name: v0, served: false, storage: false }
---
apiVersion: example.com/v1alpha1
kind: Widget
metadata: { name: w1, namespace: shop }
spec: { size: 3 }
---
apiVersion: orphans.example.org/v2
kind: ClusterGadget
metadata: { name: g1 }
---
apiVersion: orphans.example.org/v2
kind: Gizmo
metadata: { name: z1 }
`,
  );
  writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: [unclosed\n');
  return dir;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, unknown>;
}

function call(
  sim: KubeSim,
  path: string,
  opts: { method?: string; accept?: string; token?: string | null; gzip?: boolean } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  const token = opts.token === undefined ? sim.token : opts.token;
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.accept) headers.accept = opts.accept;
  if (opts.gzip) headers['accept-encoding'] = 'gzip';
  const body = opts.method && opts.method !== 'GET' ? '{}' : undefined;
  if (body) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(body.length);
  }
  return new Promise((resolve, reject) => {
    const req = request(
      `${sim.url}${path}`,
      { method: opts.method ?? 'GET', headers, ca: sim.caCert },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let body = Buffer.concat(chunks);
          if (res.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
          const text = body.toString('utf8');
          let json: Record<string, unknown>;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = {};
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

type Item = Record<string, unknown> & { metadata: Record<string, unknown> };
const items = (a: Answer) => a.json.items as Item[];

let tls: TlsMaterial;
const started: KubeSim[] = [];
async function sim(opts: KubeSimOptions = {}): Promise<KubeSim> {
  const s = await startKubeSim({ tls, dir: manifests(), ...opts });
  started.push(s);
  return s;
}
beforeAll(async () => {
  tls = await createCertificate();
});
afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
});

describe('kube-sim discovery', () => {
  it('serves /version, /api, /apis and group versions', async () => {
    const s = await sim({ kubernetesVersion: 'v1.30.2-eks-1234' });
    const version = await call(s, '/version');
    expect(version.json).toMatchObject({ major: '1', minor: '30', gitVersion: 'v1.30.2-eks-1234' });
    expect((await call(s, '/api')).json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const core = await call(s, '/api/v1');
    const pods = (core.json.resources as Item[]).find((r) => r.name === 'pods');
    expect(pods).toMatchObject({
      kind: 'Pod',
      namespaced: true,
      verbs: expect.arrayContaining(['list']),
    });
    const groups = (await call(s, '/apis')).json.groups as {
      name: string;
      versions: { version: string }[];
      preferredVersion: { version: string };
    }[];
    const example = groups.find((g) => g.name === 'example.com')!;
    // Served CRD versions only, GA preferred.
    expect(example.versions.map((v) => v.version)).toEqual(['v1', 'v1alpha1']);
    expect(example.preferredVersion.version).toBe('v1');
    const widgets = (await call(s, '/apis/example.com/v1')).json.resources as Item[];
    expect(widgets).toEqual([
      expect.objectContaining({
        name: 'widgets',
        kind: 'Widget',
        namespaced: true,
        shortNames: ['wd'],
      }),
    ]);
    // An old built-in version is served because the input uses it; others are not.
    expect(groups.find((g) => g.name === 'extensions')?.versions.map((v) => v.version)).toEqual([
      'v1beta1',
    ]);
    expect(groups.find((g) => g.name === 'apps')?.versions.map((v) => v.version)).toEqual(['v1']);
    expect((await call(s, '/apis/apps/v1beta2')).status).toBe(404);
  });

  it('serves custom resources only when their CRD is served (or inferCrds asks for it)', async () => {
    const strict = await sim();
    const groups = ((await call(strict, '/apis')).json.groups as { name: string }[]).map(
      (g) => g.name,
    );
    expect(groups).not.toContain('orphans.example.org');
    expect(strict.refused).toEqual(
      expect.arrayContaining([
        {
          source: 'crds.yaml#2',
          reason: 'no CustomResourceDefinition serves orphans.example.org/ClusterGadget',
        },
        { source: 'core.yaml#5', reason: 'the API has no kind NetworkPolicy in core/v1' },
        { source: 'broken.yaml#0', reason: 'invalid YAML' },
      ]),
    );
    const lenient = await sim({ inferCrds: true });
    const orphans = (await call(lenient, '/apis/orphans.example.org/v2')).json.resources as Item[];
    expect(orphans.map((r) => [r.name, r.namespaced])).toEqual([
      ['clustergadgets', false],
      ['gizmos', true],
    ]);
    // Inferred types are served, but not listed as CustomResourceDefinition objects.
    const crds = await call(lenient, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    expect(items(crds).map((c) => c.metadata.name)).toEqual(['widgets.example.com']);
    const gizmos = await call(lenient, '/apis/orphans.example.org/v2/gizmos');
    expect(items(gizmos)[0]!.metadata.namespace).toBe('default');
  });
});

describe('kube-sim objects', () => {
  it('gives objects uids, defaults and drops namespaces by scope, keeps the first of two', async () => {
    const s = await sim();
    const ns = await call(s, '/api/v1/namespaces/shop');
    expect(ns.json).toMatchObject({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { uid: '11111111-2222-4333-8444-555555555555' },
    });
    const names = items(await call(s, '/api/v1/namespaces')).map((n) => n.metadata.name);
    expect(names).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system', 'shop']);
    const cm = items(await call(s, '/api/v1/configmaps'))[0]!;
    expect(cm.metadata).toMatchObject({ name: 'no-namespace', namespace: 'default' });
    expect(cm.metadata.uid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const again = await sim();
    expect(items(await call(again, '/api/v1/configmaps'))[0]!.metadata.uid).toBe(cm.metadata.uid);
    const role = (await call(s, '/apis/rbac.authorization.k8s.io/v1/clusterroles/reader')).json;
    expect((role.metadata as Item['metadata']).namespace).toBeUndefined();
    const web0 = (await call(s, '/apis/apps/v1/namespaces/shop/deployments/web-0')).json;
    expect((web0.metadata as Item['metadata']).labels).toEqual({ tier: 'front' });
    expect(s.duplicates).toEqual([
      {
        resource: 'apps/deployments',
        namespace: 'shop',
        name: 'web-0',
        kept: 'apps.yaml#0',
        dropped: 'core.yaml#6',
      },
    ]);
    expect((await call(s, '/apis/apps/v1/namespaces/shop/deployments/nope')).status).toBe(404);
  });

  it('lists like an API server: items without TypeMeta for built-ins, converted CRs', async () => {
    const s = await sim();
    const list = await call(s, '/apis/apps/v1/deployments');
    expect(list.json).toMatchObject({ kind: 'DeploymentList', apiVersion: 'apps/v1' });
    expect(items(list)[0]).not.toHaveProperty('apiVersion');
    const widgets = await call(s, '/apis/example.com/v1/widgets');
    expect(items(widgets)[0]).toMatchObject({
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      spec: { size: 3 },
    });
    const inShop = await call(
      s,
      '/apis/apps/v1/namespaces/shop/deployments?labelSelector=tier%3Dback',
    );
    expect(items(inShop).map((d) => d.metadata.name)).toEqual(['web-1', 'web-3', 'web-5']);
    expect((await call(s, '/api/v1/namespaces/shop/nodes')).status).toBe(404);
  });

  it('pages with limit and continue, and checks resourceVersion', async () => {
    const s = await sim();
    const seen: string[] = [];
    let cont = '';
    let pages = 0;
    do {
      const page = await call(
        s,
        `/apis/apps/v1/deployments?limit=3${cont ? `&continue=${cont}` : ''}`,
      );
      expect(page.status).toBe(200);
      pages++;
      seen.push(...items(page).map((d) => d.metadata.name as string));
      const meta = page.json.metadata as { continue?: string; remainingItemCount?: number };
      if (meta.continue) expect(meta.remainingItemCount).toBe(7 - seen.length);
      cont = meta.continue ?? '';
    } while (cont);
    expect(pages).toBe(3);
    expect(seen).toEqual(['web-0', 'web-1', 'web-2', 'web-3', 'web-4', 'web-5', 'web-6']);
    expect((await call(s, '/apis/apps/v1/deployments?continue=garbage')).status).toBe(400);
    expect((await call(s, '/apis/apps/v1/deployments?resourceVersion=0')).status).toBe(200);
    expect((await call(s, '/apis/apps/v1/deployments?resourceVersion=99999')).status).toBe(504);
    expect((await call(s, '/apis/apps/v1/deployments?limit=-1')).status).toBe(400);
  });
});

describe('kube-sim Secrets', () => {
  it('hands out whole Secrets when asked plainly, metadata only when asked so', async () => {
    const s = await sim();
    const plain = await call(s, '/api/v1/secrets');
    const db = items(plain).find((x) => x.metadata.name === 'db')!;
    expect(db.data).toEqual({ password: Buffer.from(SECRET_VALUE).toString('base64') });
    expect(db).not.toHaveProperty('stringData');
    const meta = await call(s, '/api/v1/secrets', { accept: METADATA });
    expect(meta.json).toMatchObject({
      kind: 'PartialObjectMetadataList',
      apiVersion: 'meta.k8s.io/v1',
    });
    expect(items(meta).map((x) => Object.keys(x).sort())).toEqual([
      ['apiVersion', 'kind', 'metadata'],
      ['apiVersion', 'kind', 'metadata'],
    ]);
    expect(meta.text).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
    const tlsOnly = await call(
      s,
      `/api/v1/secrets?fieldSelector=${encodeURIComponent('type=kubernetes.io/tls')}`,
      {
        accept: METADATA,
      },
    );
    expect(items(tlsOnly).map((x) => x.metadata.name)).toEqual(['tls']);
    const notTls = await call(
      s,
      `/api/v1/secrets?fieldSelector=${encodeURIComponent('type!=kubernetes.io/tls,type!=Other')}`,
    );
    expect(items(notTls).map((x) => x.metadata.name)).toEqual(['db']);
    expect((await call(s, '/api/v1/secrets?fieldSelector=data.password%3Dx')).status).toBe(400);
    expect(
      (await call(s, '/api/v1/secrets', { accept: 'application/json;as=Table;g=meta.k8s.io;v=v1' }))
        .status,
    ).toBe(406);
  });
});

describe('kube-sim access and faults', () => {
  it('answers 403 for chosen resources, 401 without the token', async () => {
    const s = await sim({ forbidden: ['rbac.authorization.k8s.io/clusterroles', 'core/secrets'] });
    const denied = await call(s, '/apis/rbac.authorization.k8s.io/v1/clusterroles');
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
    expect(String(denied.json.message)).toMatch(/cannot list resource "clusterroles"/);
    expect((await call(s, '/api/v1/namespaces/shop/secrets/db')).status).toBe(403);
    expect((await call(s, '/apis/rbac.authorization.k8s.io/v1/roles')).status).toBe(200);
    expect((await call(s, '/api/v1/pods', { token: null })).status).toBe(401);
    expect((await call(s, '/api/v1/pods', { token: 'wrong' })).status).toBe(401);
  });

  it('injects 429 bursts with Retry-After and 5xx', async () => {
    const s = await sim({
      faults: [
        { status: 429, every: 4, count: 2, retryAfterSeconds: 2, pathPrefix: '/api/v1/namespaces' },
        { status: 503, every: 1, count: 1, pathPrefix: '/apis/example.com' },
      ],
    });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await call(s, '/api/v1/namespaces')).status);
    expect(statuses).toEqual([429, 429, 200, 200, 429, 429, 200, 200]);
    const limited = await call(s, '/api/v1/namespaces');
    expect(limited.headers['retry-after']).toBe('2');
    expect((await call(s, '/apis/example.com/v1/widgets')).status).toBe(503);
  });

  it('refuses every write verb with 405 and logs every request', async () => {
    const s = await sim();
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const r = await call(s, '/api/v1/namespaces/shop', { method });
      expect([method, r.status, r.json.reason]).toEqual([method, 405, 'MethodNotAllowed']);
    }
    expect((await call(s, '/api/v1/namespaces/shop')).status).toBe(200);
    await call(s, '/api/v1/secrets?limit=5', { accept: METADATA });
    expect(s.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
      'POST 405',
      'PUT 405',
      'PATCH 405',
      'DELETE 405',
      'GET 200',
      'GET 200',
    ]);
    expect(s.requests[5]).toEqual({
      method: 'GET',
      path: '/api/v1/secrets',
      query: { limit: '5' },
      accept: METADATA,
      status: 200,
    });
  });

  it('gzips large answers when the client accepts it', async () => {
    const s = await startKubeSim({ tls, scenario: { seed: 'gzip', pods: 400 } });
    started.push(s);
    const r = await call(s, '/api/v1/pods', { gzip: true });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(items(r)).toHaveLength(400);
    expect((await call(s, '/version')).json.gitVersion).toMatch(/^v1\.\d+/);
  });
});

describe('kube-sim TLS and kubeconfig', () => {
  it('is trusted through certificate-authority-data, not by skipping verification', async () => {
    const s = await sim();
    const kc = parse(s.kubeconfig({ context: 'c1' })) as {
      clusters: { cluster: Record<string, string> }[];
      'current-context': string;
      users: { user: { token: string } }[];
    };
    expect(kc['current-context']).toBe('c1');
    expect(kc.clusters[0]!.cluster.server).toBe(s.url);
    expect(
      Buffer.from(kc.clusters[0]!.cluster['certificate-authority-data']!, 'base64').toString(),
    ).toBe(s.caCert);
    expect(kc.clusters[0]!.cluster).not.toHaveProperty('insecure-skip-tls-verify');
    expect(kc.users[0]!.user.token).toBe(s.token);
    const untrusted = await new Promise<string>((resolve) => {
      request(`${s.url}/version`, (res) => resolve(String(res.statusCode)))
        .on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message))
        .end();
    });
    expect(untrusted).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/);
  });
});

describe('helpers', () => {
  it('orders versions like Kubernetes and pluralises kinds', () => {
    expect(['v1alpha1', 'v2beta1', 'v1', 'v1beta2', 'v2', 'foo'].sort(compareVersions)).toEqual([
      'v2',
      'v1',
      'v2beta1',
      'v1beta2',
      'v1alpha1',
      'foo',
    ]);
    expect(['NetworkPolicy', 'Ingress', 'Gateway', 'Prometheus', 'Mesh'].map(pluralize)).toEqual([
      'networkpolicies',
      'ingresses',
      'gateways',
      'prometheuses',
      'meshes',
    ]);
  });
});
