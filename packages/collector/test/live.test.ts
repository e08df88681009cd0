/**
 * Live collection against the API simulator: paging, metadata-only Secrets, partial snapshots
 * under 403, retries on 429/5xx, kubeconfig contexts and in-cluster configuration, and secret
 * values that never reach the snapshot, the logs or the upload body.
 */
import { parseClusterSnapshot, type ClusterSnapshot } from '@plumbline/contracts';
import {
  createCertificate,
  startKubeSim,
  type KubeSim,
  type KubeSimOptions,
  type TlsMaterial,
} from '@plumbline/kube-sim';
import { generateCluster } from '@plumbline/scenarios';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ConnectError, connect, findKubeSource } from '../src/connect.js';
import { ACCEPT_METADATA_LIST } from '../src/kube-api.js';
import { collectLive, SECRET_TYPES, type LiveOptions } from '../src/live.js';
import { SnapshotReducer } from '../src/reduce.js';
import { serializeSnapshot } from '../src/serialize.js';
import { uploadSnapshot } from '../src/upload.js';
import { normalisePair } from './equivalence.js';
import { startIngestServer } from './ingest-server.js';
import { PLANTED, plantedDir } from './planted.js';

jest.setTimeout(30_000);

let tls: TlsMaterial;
const sims: KubeSim[] = [];
beforeAll(async () => {
  tls = await createCertificate();
  await import('@kubernetes/client-node');
}, 60_000);
afterAll(async () => {
  // Whatever a test did, no write verb ever reached any simulator.
  const methods = new Set(sims.flatMap((s) => s.requests.map((r) => r.method)));
  expect([...methods]).toEqual(['GET']);
  await Promise.all(sims.map((s) => s.close()));
});

async function sim(opts: KubeSimOptions): Promise<KubeSim> {
  const s = await startKubeSim({ tls, ...opts });
  sims.push(s);
  return s;
}

function liveOptions(s: KubeSim, extra: Partial<LiveOptions> = {}): LiveOptions {
  return {
    source: { kind: 'kubeconfig-text', text: s.kubeconfig() },
    scanner: { name: 'plumbline-scanner', version: 'test' },
    collectedAt: '2026-11-26T00:00:00.000Z',
    clusterName: 'test',
    includeSecretMetadata: false,
    fingerprintKey: new Uint8Array(32).fill(9),
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...extra,
  };
}

function valid(s: ClusterSnapshot): ClusterSnapshot {
  const r = parseClusterSnapshot(s);
  if (!r.ok) throw new Error(JSON.stringify(r.issues.slice(0, 5)));
  return s;
}

function forms(secret: string): string[] {
  return [
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
  ];
}

describe('paging', () => {
  const cluster = generateCluster({ seed: 'paging', pods: 1200, policies: 150 });

  it('follows continue tokens and loses or repeats nothing', async () => {
    const s = await sim({ objects: cluster.objects, kubernetesVersion: cluster.kubernetesVersion });
    const { snapshot, stats } = await collectLive(liveOptions(s, { pageSize: 100 }));
    valid(snapshot);
    const podLists = s.requests.filter((r) => r.path === '/api/v1/pods');
    expect(podLists.length).toBe(Math.ceil(1200 / 100));
    expect(podLists.filter((r) => r.query.continue).length).toBe(podLists.length - 1);
    expect(podLists.every((r) => r.query.limit === '100')).toBe(true);
    expect(stats.pages).toBeGreaterThan(podLists.length);
    expect(snapshot.pods.length + snapshot.workloads.filter((w) => w.kind === 'Pod').length).toBe(
      cluster.counts.pods,
    );
    expect(snapshot.networkPolicies).toHaveLength(cluster.counts.networkPolicies);
    expect(snapshot.cluster).toMatchObject({
      kubernetesVersion: cluster.kubernetesVersion,
      idSource: 'kube-system-uid',
      nodeCount: cluster.counts.nodes,
      nodeCountSource: 'observed',
    });
    const kubeSystem = cluster.objects.find(
      (o) => o.kind === 'Namespace' && o.metadata.name === 'kube-system',
    )!;
    expect(snapshot.cluster.id).toBe(kubeSystem.metadata.uid);

    // The same objects reduced directly give the same snapshot (nothing lost between pages).
    const direct = new SnapshotReducer({
      includeSecretMetadata: false,
      fingerprintKey: new Uint8Array(32).fill(9),
    });
    cluster.objects.forEach((o, i) => direct.add(o, `objects[${i}]`));
    const offline = direct.finish({
      scanner: { name: 'plumbline-scanner', version: 'test' },
      collectedAt: '2026-11-26T00:00:00.000Z',
      mode: 'offline',
      clusterName: 'test',
      kubernetesVersion: cluster.kubernetesVersion,
    });
    const served = s
      .resources()
      .map((r) => ({ group: r.group || 'core', kind: r.kind, version: r.versions[0]! }));
    const n = normalisePair(offline, snapshot, served);
    expect(n.problems).toEqual([]);
    expect(n.live).toEqual(n.offline);
    // The agents' fake keys are fingerprinted, never copied.
    const text = serializeSnapshot(snapshot).toString('utf8');
    for (const key of cluster.landmarks.fakeKeys)
      for (const f of forms(key)) expect(text).not.toContain(f);
  });
});

describe('Secrets', () => {
  const cluster = generateCluster({ seed: 'secrets', pods: 300 });

  it('are listed only as metadata, one field-selected list per type, and never without the flag', async () => {
    const s = await sim({ objects: cluster.objects });
    const off = await collectLive(liveOptions(s));
    expect(s.requests.filter((r) => r.path.includes('/secrets'))).toEqual([]);
    expect(off.snapshot.secrets).toEqual([]);
    expect(off.snapshot.collection.find((c) => c.resource === 'core/Secret')).toMatchObject({
      status: 'skipped',
    });

    const before = s.requests.length;
    const on = await collectLive(liveOptions(s, { includeSecretMetadata: true }));
    valid(on.snapshot);
    const secretRequests = s.requests.slice(before).filter((r) => r.path.includes('secrets'));
    expect(secretRequests.length).toBe(SECRET_TYPES.length + 1);
    for (const r of secretRequests) {
      expect(r.path).toBe('/api/v1/secrets');
      expect(r.accept).toBe(ACCEPT_METADATA_LIST);
      expect(r.query.fieldSelector).toMatch(/^type(=|!=)/);
    }
    const expected = cluster.objects
      .filter((o) => o.kind === 'Secret')
      .map((o) => `${o.metadata.namespace}/${o.metadata.name}:${String(o.type)}`)
      .sort();
    expect(on.snapshot.secrets.map((x) => `${x.namespace}/${x.name}:${x.type}`).sort()).toEqual(
      expected,
    );
    // Key names are in data, which is never read live.
    expect(on.snapshot.secrets.every((x) => x.keyNames.length === 0)).toBe(true);
  });

  it('planted secrets never reach the snapshot, the logs or the upload body', async () => {
    const s = await sim({ dir: plantedDir(), inferCrds: true });
    // The simulator holds the values and hands them out when asked plainly...
    const plain = await new Promise<string>((resolve, reject) => {
      get(
        `${s.url}/api/v1/secrets`,
        { ca: s.caCert, headers: { authorization: `Bearer ${s.token}` } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        },
      ).on('error', reject);
    });
    expect(plain).toContain(Buffer.from(PLANTED.secretData).toString('base64'));
    expect(plain).toContain(Buffer.from(PLANTED.stringData).toString('base64'));

    // ...but the collector never asks plainly, and keeps nothing it should not.
    for (const includeSecretMetadata of [false, true]) {
      const logs: string[] = [];
      const { snapshot } = await collectLive(
        liveOptions(s, {
          includeSecretMetadata,
          log: (level, message, fields) => logs.push(JSON.stringify({ level, message, ...fields })),
        }),
      );
      valid(snapshot);
      const ingest = await startIngestServer([503, 202]);
      const uploadLogs: string[] = [];
      await uploadSnapshot(serializeSnapshot(snapshot), {
        url: ingest.url,
        token: 'plumbline-test-token',
        baseDelayMs: 1,
        log: (level, message, fields) =>
          uploadLogs.push(JSON.stringify({ level, message, ...fields })),
      });
      await ingest.close();
      expect(ingest.received).toHaveLength(2);
      const outputs = {
        snapshot: serializeSnapshot(snapshot).toString('utf8'),
        logs: [...logs, ...uploadLogs].join('\n'),
        uploadBody: ingest.received.map((r) => gunzipSync(r.body).toString('utf8')).join('\n'),
        uploadBytes: ingest.received.map((r) => r.body.toString('latin1')).join('\n'),
      };
      for (const [where, text] of Object.entries(outputs)) {
        for (const [label, secret] of Object.entries(PLANTED)) {
          for (const form of forms(secret)) {
            if (text.includes(form)) throw new Error(`${label} leaked into ${where} as "${form}"`);
          }
        }
      }
      expect(snapshot.secrets).toEqual(
        includeSecretMetadata
          ? [{ namespace: 'agents', name: 'db-credentials', type: 'Opaque', keyNames: [] }]
          : [],
      );
      const agent = snapshot.workloads.find((w) => w.name === 'support-agent')!;
      expect(agent.containers[0]!.env.find((e) => e.name === 'OPENAI_API_KEY')).toMatchObject({
        source: 'literal',
        looksLikeCredential: true,
      });
    }
    expect(
      s.requests.filter((r) => r.path.includes('secrets') && r.accept !== ACCEPT_METADATA_LIST),
    ).toEqual([
      expect.objectContaining({ path: '/api/v1/secrets', accept: null }), // our own plain GET above
    ]);
  });

  it('fail closed when a server ignores the metadata-only request', async () => {
    const s = await sim({ dir: plantedDir(), inferCrds: true, ignoreMetadataAccept: true });
    const { snapshot } = await collectLive(liveOptions(s, { includeSecretMetadata: true }));
    valid(snapshot);
    expect(snapshot.secrets).toEqual([]);
    expect(snapshot.collection.find((c) => c.resource === 'core/Secret')).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/ignored the metadata-only request/),
    });
    const text = serializeSnapshot(snapshot).toString('utf8');
    for (const form of [...forms(PLANTED.secretData), ...forms(PLANTED.stringData)])
      expect(text).not.toContain(form);
  });
});

describe('partial access', () => {
  const cluster = generateCluster({ seed: 'rbac', pods: 200, stack: { cni: 'calico' } });

  it('403 on RBAC and CRDs yields a partial snapshot with the coverage recorded', async () => {
    const forbidden = [
      'rbac.authorization.k8s.io/roles',
      'rbac.authorization.k8s.io/rolebindings',
      'rbac.authorization.k8s.io/clusterroles',
      'rbac.authorization.k8s.io/clusterrolebindings',
      'apiextensions.k8s.io/customresourcedefinitions',
    ];
    const full = await collectLive(liveOptions(await sim({ objects: cluster.objects })));
    const s = await sim({ objects: cluster.objects, forbidden });
    const logs: string[] = [];
    const { snapshot } = await collectLive(
      liveOptions(s, { log: (level, message) => logs.push(`${level} ${message}`) }),
    );
    valid(snapshot);
    expect(
      s.requests
        .filter((r) => r.status === 403)
        .map((r) => r.path)
        .sort(),
    ).toEqual(forbidden.map((f) => `/apis/${f.replace('/', '/v1/')}`).sort());
    for (const kind of ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'])
      expect(
        snapshot.collection.find((c) => c.resource === `rbac.authorization.k8s.io/${kind}`),
      ).toEqual({
        resource: `rbac.authorization.k8s.io/${kind}`,
        status: 'forbidden',
        count: 0,
        message: expect.stringMatching(/forbidden: User .* cannot list resource/),
      });
    expect(
      snapshot.collection.find(
        (c) => c.resource === 'apiextensions.k8s.io/CustomResourceDefinition',
      ),
    ).toMatchObject({ status: 'forbidden' });
    expect(snapshot.roles).toEqual([]);
    expect(snapshot.roleBindings).toEqual([]);
    expect(snapshot.crds).toEqual([]);
    expect(full.snapshot.roles.length).toBeGreaterThan(0);
    expect(full.snapshot.crds.length).toBeGreaterThan(0);
    // Everything else is as complete as with full access; custom resources still come through
    // discovery even though their CRDs cannot be read.
    expect(snapshot.workloads).toEqual(full.snapshot.workloads);
    expect(snapshot.networkPolicies).toEqual(full.snapshot.networkPolicies);
    expect(snapshot.policyObjects.map((p) => p.kind)).toContain('GlobalNetworkPolicy');
    expect(snapshot.policyObjects).toEqual(full.snapshot.policyObjects);
    expect(logs.filter((l) => l.startsWith('warn')).length).toBe(5);
  });

  it('a missing kube-system namespace or nodes list leaves identity honest', async () => {
    const s = await sim({ objects: cluster.objects, forbidden: ['core/namespaces', 'core/nodes'] });
    const { snapshot } = await collectLive(liveOptions(s));
    valid(snapshot);
    expect(snapshot.cluster).toMatchObject({
      idSource: 'derived',
      nodeCount: null,
      nodeCountSource: 'unknown',
    });
    expect(snapshot.warnings.map((w) => w.message).join('\n')).toMatch(/cluster id derived/);
  });
});

describe('transient errors', () => {
  const cluster = generateCluster({ seed: 'faults', pods: 400 });

  it('429 bursts and 503s are retried with backoff and change nothing', async () => {
    const calm = await collectLive(
      liveOptions(await sim({ objects: cluster.objects }), { pageSize: 50 }),
    );
    const s = await sim({
      objects: cluster.objects,
      faults: [
        { status: 429, every: 7, count: 3, retryAfterSeconds: 0 },
        { status: 503, every: 13, count: 1, retryAfterSeconds: 0 },
      ],
    });
    const stormy = await collectLive(liveOptions(s, { pageSize: 50 }));
    expect(s.requests.filter((r) => r.status === 429).length).toBeGreaterThan(10);
    expect(s.requests.filter((r) => r.status === 503).length).toBeGreaterThan(1);
    expect(stormy.stats.retries).toBe(s.requests.filter((r) => r.status >= 429).length);
    expect(serializeSnapshot(stormy.snapshot).equals(serializeSnapshot(calm.snapshot))).toBe(true);
  });

  it('a type that keeps failing is recorded as an error; the rest is collected', async () => {
    const s = await sim({
      objects: cluster.objects,
      faults: [{ status: 500, every: 1, count: 1, pathPrefix: '/apis/apps/v1/statefulsets' }],
    });
    const { snapshot } = await collectLive(
      liveOptions(s, { retry: { maxRetries: 2, baseDelayMs: 1 } }),
    );
    valid(snapshot);
    expect(s.requests.filter((r) => r.path === '/apis/apps/v1/statefulsets')).toHaveLength(3);
    expect(snapshot.collection.find((c) => c.resource === 'apps/StatefulSet')).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/HTTP 500/),
    });
    expect(snapshot.workloads.some((w) => w.kind === 'StatefulSet')).toBe(false);
    expect(snapshot.workloads.some((w) => w.kind === 'Deployment')).toBe(true);
  });

  it('an unreachable API server fails the scan', async () => {
    const s = await sim({ objects: [] });
    const text = s.kubeconfig();
    await s.close();
    await expect(
      collectLive(
        liveOptions(s, {
          source: { kind: 'kubeconfig-text', text },
          retry: { maxRetries: 1, baseDelayMs: 1 },
        }),
      ),
    ).rejects.toThrow(/ECONNREFUSED|connect/);
  });
});

describe('connection', () => {
  it('honours --context and refuses an unknown one', async () => {
    const s = await sim({ objects: generateCluster({ seed: 'ctx', pods: 30 }).objects });
    const dir = mkdtempSync(join(tmpdir(), 'plumbline-kc-'));
    // Two contexts: the current one points at a closed port, "sim" at the simulator.
    const doc = s.kubeconfig({ context: 'sim', cluster: 'sim-cluster' });
    const broken = doc
      .replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:1')
      .replace(/sim-cluster/g, 'other-cluster')
      .replace(/\bsim\b/g, 'other');
    const file = join(dir, 'config');
    writeFileSync(file, doc);
    writeFileSync(join(dir, 'other'), broken);
    const source = findKubeSource({ kubeconfig: file, context: 'sim' }, {}, dir);
    expect(source).toEqual({ kind: 'kubeconfig', files: [file], context: 'sim' });
    const { snapshot } = await collectLive(
      liveOptions(s, { source: source!, clusterName: undefined }),
    );
    expect(snapshot.cluster.name).toBe('sim-cluster');
    await expect(connect({ kind: 'kubeconfig', files: [file], context: 'nope' })).rejects.toThrow(
      ConnectError,
    );
    // Several KUBECONFIG files: merged, the first one's current context wins.
    const merged = findKubeSource({}, { KUBECONFIG: `${join(dir, 'other')}:${file}` }, dir)!;
    const target = await connect({ ...merged, context: 'sim' } as typeof merged);
    expect(target.server).toBe(s.url);
    target.close();
  });

  it('finds the configuration like kubectl', () => {
    const exists = (files: string[]) => (p: string) => files.includes(p);
    expect(findKubeSource({}, {}, '/home/u', exists([]))).toBeNull();
    expect(findKubeSource({}, {}, '/home/u', exists(['/home/u/.kube/config']))).toEqual({
      kind: 'kubeconfig',
      files: ['/home/u/.kube/config'],
    });
    expect(
      findKubeSource(
        {},
        { KUBECONFIG: '/a:/b' },
        '/home/u',
        exists(['/b', '/home/u/.kube/config']),
      ),
    ).toEqual({
      kind: 'kubeconfig',
      files: ['/b'],
    });
    expect(
      findKubeSource(
        {},
        { KUBERNETES_SERVICE_HOST: '10.0.0.1' },
        '/home/u',
        exists(['/var/run/secrets/kubernetes.io/serviceaccount/token']),
      ),
    ).toEqual({ kind: 'in-cluster' });
    expect(findKubeSource({ inCluster: true }, {}, '/home/u', exists([]))).toEqual({
      kind: 'in-cluster',
    });
  });

  it('uses the in-cluster service account (token file, CA, KUBERNETES_SERVICE_*)', async () => {
    const s = await sim({
      objects: generateCluster({ seed: 'pod', pods: 30 }).objects,
      token: 'in-cluster-token',
    });
    const prefix = mkdtempSync(join(tmpdir(), 'plumbline-sa-'));
    const sa = join(prefix, 'var/run/secrets/kubernetes.io/serviceaccount');
    mkdirSync(sa, { recursive: true });
    writeFileSync(join(sa, 'token'), 'in-cluster-token');
    writeFileSync(join(sa, 'ca.crt'), s.caCert);
    writeFileSync(join(sa, 'namespace'), 'plumbline');
    const port = new URL(s.url).port;
    const saved = {
      host: process.env.KUBERNETES_SERVICE_HOST,
      port: process.env.KUBERNETES_SERVICE_PORT,
    };
    process.env.KUBERNETES_SERVICE_HOST = '127.0.0.1';
    process.env.KUBERNETES_SERVICE_PORT = port;
    try {
      const { snapshot } = await collectLive(
        liveOptions(s, {
          source: { kind: 'in-cluster', pathPrefix: prefix },
          clusterName: undefined,
        }),
      );
      expect(snapshot.cluster).toMatchObject({ name: 'in-cluster', idSource: 'kube-system-uid' });
      expect(snapshot.workloads.length).toBeGreaterThan(0);
    } finally {
      if (saved.host === undefined) delete process.env.KUBERNETES_SERVICE_HOST;
      else process.env.KUBERNETES_SERVICE_HOST = saved.host;
      if (saved.port === undefined) delete process.env.KUBERNETES_SERVICE_PORT;
      else process.env.KUBERNETES_SERVICE_PORT = saved.port;
    }
  });
});
