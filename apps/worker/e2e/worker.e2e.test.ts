/**
 * The built worker as a real process: killed with SIGKILL in the middle of a job, it leaves no
 * partial result, and the job completes exactly once after a restart. And the stored result
 * equals what `plumbline-scanner scan --analyze` prints for the same snapshot.
 */
import { minimalSnapshot, type ClusterSnapshot } from '@plumbline/contracts';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { analyzeJobId, BullMqJobQueue } from '@plumbline/jobs';
import { Redis } from 'ioredis';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = resolve(__dirname, '../../..');
const WORKER = join(root, 'apps/worker/dist/main.js');
const SCANNER = join(root, 'apps/scanner/dist/main.js');
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  ms = 60_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A snapshot big enough that analysing it takes a while. */
function bigSnapshot(): ClusterSnapshot {
  const s = minimalSnapshot('big', { namespaces: Array.from({ length: 50 }, (_, i) => `ns-${i}`) });
  const template = {
    kind: 'Deployment' as const,
    uid: null,
    labels: {},
    replicas: 3,
    selector: null,
    podAnnotations: {},
    serviceAccountName: 'default',
    automountServiceAccountToken: null,
    hostNetwork: false,
    hostPID: false,
    runtimeClassName: null,
    schedule: null,
    owner: null,
    secretVolumes: [],
    configMapVolumes: [],
  };
  for (let i = 0; i < 40_000; i++) {
    s.workloads.push({
      ...template,
      namespace: `ns-${i % 50}`,
      name: `app-${i}`,
      podLabels: { app: `app-${i}` },
      containers: [
        {
          name: 'main',
          init: false,
          image: `registry.example/app-${i}:1.${i % 10}`,
          command: [],
          args: [],
          ports: [],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: {} },
          securityContext: {
            privileged: null,
            runAsNonRoot: null,
            runAsUser: null,
            readOnlyRootFilesystem: null,
            allowPrivilegeEscalation: null,
            capabilitiesAdd: [],
            capabilitiesDrop: [],
          },
          env: [],
          envFrom: [],
        },
      ],
    });
  }
  return s;
}

describe('worker process', () => {
  let tdb: TestDatabase;
  let db: Database;
  let orgId: string;
  const prefix = `plumbline-e2e-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL);
  const children: ChildProcess[] = [];

  const startWorker = () => {
    const child = spawn(process.execPath, [WORKER], {
      env: {
        ...process.env,
        DATABASE_URL: tdb.url,
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        WORKER_JOB_LOCK_MS: '2000',
        WORKER_CONCURRENCY: '1',
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    for (const f of [WORKER, SCANNER])
      if (!existsSync(f))
        throw new Error(`${f} is missing: build first (turbo runs the builds before test:e2e)`);
    tdb = await createTestDatabase('worker_e2e');
    db = Database.connect(tdb.url, { poolSize: 2 });
    orgId = (await db.organizations.create({ name: 'E2E', slug: `e2e-${prefix}` })).id;
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db.close();
    await tdb.drop();
  });

  async function store(raw: Buffer, name: string) {
    return db.scans.storeSnapshot(orgId, {
      clusterExternalId: name,
      clusterName: name,
      contentHash: createHash('sha256').update(raw).digest('hex'),
      schemaVersion: 1,
      gzip: new Uint8Array(gzipSync(raw)),
      rawBytes: raw.length,
    });
  }

  it('a worker killed mid-job leaves nothing half-written; the job completes once after restart', async () => {
    const stored = await store(Buffer.from(JSON.stringify(bigSnapshot())), 'big');
    const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix });
    try {
      const first = startWorker();
      // With the job id every producer uses (the upload, agentless scans and the reconciler), so
      // the restarted worker's reconciler finds this job and never adds a second one.
      await queue.enqueue(
        'snapshot.analyze',
        { organizationId: orgId, scanId: stored.scan.id },
        { jobId: analyzeJobId(stored.scan.id) },
      );
      await waitFor(
        'the job to start',
        async () => (await db.scans.get(orgId, stored.scan.id))?.status === 'running',
      );
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      expect(await db.scans.getResult(orgId, stored.scan.id)).toBeNull();
      expect((await db.scans.get(orgId, stored.scan.id))?.status).toBe('running');

      startWorker();
      const done = await waitFor(
        'the job to complete after restart',
        async () => {
          const s = await db.scans.get(orgId, stored.scan.id);
          return s?.status === 'succeeded' ? s : null;
        },
        // The dead worker held the lock for the analysis (30 s + 1 ms per object, ~70 s here).
        240_000,
      );
      expect(done.attempts).toBe(2);
      const result = await db.scans.getResult(orgId, stored.scan.id);
      expect(result?.result).toMatchObject({
        steps: { inventory: { resourceCounts: { workloads: 40_000 } } },
      });
    } finally {
      await queue.close();
    }
  });

  it('stores exactly what `plumbline-scanner scan --analyze` prints for the same snapshot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumbline-cli-'));
    const out = join(dir, 'snapshot.json');
    const cli = spawnSync(
      process.execPath,
      [
        SCANNER,
        'scan',
        '--from-dir',
        resolve(root, '../shared/fixtures/kube-prometheus'),
        '--out',
        out,
        '--analyze',
        '--format',
        'json',
        '--node-count',
        '3',
      ],
      { encoding: 'utf8' },
    );
    expect(cli.status).toBe(0);
    const printed = JSON.parse(cli.stdout) as unknown;
    if (!children.some((c) => c.exitCode === null && c.signalCode === null)) startWorker();
    const stored = await store(readFileSync(out), 'kube-prometheus');
    const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix });
    try {
      // With the job id every producer uses (the upload, agentless scans and the reconciler), so
      // the restarted worker's reconciler finds this job and never adds a second one.
      await queue.enqueue(
        'snapshot.analyze',
        { organizationId: orgId, scanId: stored.scan.id },
        { jobId: analyzeJobId(stored.scan.id) },
      );
      await waitFor(
        'the analysis',
        async () => (await db.scans.get(orgId, stored.scan.id))?.status === 'succeeded',
      );
    } finally {
      await queue.close();
    }
    const result = await db.scans.getResult(orgId, stored.scan.id);
    expect(result?.result).toEqual(printed);
    expect(JSON.stringify(printed)).toMatch(/prometheus-operator/);
  });
});
