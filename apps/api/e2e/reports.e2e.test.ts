/**
 * The leadership PDF through the real job path: the API (this process) queues report.render on
 * real Redis, the BUILT worker (its own process) prints the BUILT report page of the web app
 * (apps/web/dist/report.html) with Debian's Chromium, and the PDF comes back through the API.
 * Three organisations seeded through the real upload path (scanner token -> /v1/snapshots ->
 * analysis -> roll-up, evidence uploads): with AI agents (probe report, self-assessment), without
 * agents, and with VMs (KubeVirt and a VM inventory). For each, `pdftotext` shows the API's key
 * numbers, the page count is sane, and `pdftoppm` renders every page. Also: a cluster report on
 * Letter, the second report's "since the previous report", the API rendering in-process, and a
 * worker without Chromium (its health check, /readyz, and a job that fails at once, in words).
 * Needs the web app and the worker built (turbo builds them before test:e2e) and poppler-utils.
 */
import type { INestApplication } from '@nestjs/common';
import { loadEnv } from '@plumbline/config';
import {
  planListSchema,
  agentsResponseSchema,
  clusterDetailSchema,
  costResponseSchema,
  overviewSchema,
  readinessSchema,
  reportRecordSchema,
  vmAssessmentSchema,
  type ReportRecord,
} from '@plumbline/contracts';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { Redis } from 'ioredis';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { generatedSnapshot, signup, waitFor, type Session } from '../test/helpers.js';

const root = resolve(__dirname, '../../..');
const WORKER = join(root, 'apps/worker/dist/main.js');
const WEB_DIST = join(root, 'apps/web/dist');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const VM_INVENTORY = `vm,ip,vlan,firewall_rules,dns_records,dhcp_reservation,lb_backends,hardcoded_config_refs,compliance_docs,owning_teams
billing-db-01,10.40.1.15,140,FW-201;FW-202,billing-db.corp,yes,,billing.yaml:db_host,PCI-DSS-3.4,payments
crm-app-01,10.40.2.21,141,FW-310,crm.corp,no,lb-crm,,,sales-apps
ldap-01,10.40.0.5,100,FW-001;FW-002;FW-003,ldap.corp,yes,,,SOX-IT-12,identity
`;

function probeReport() {
  const scenario = (id: string, title: string, asi: string, pillar: string, pass: boolean) => ({
    id,
    title,
    asi,
    pillar,
    expectedOutcome: 'blocked',
    mustBlock: true,
    actualOutcome: pass ? 'blocked-before-execution' : 'executed',
    attributable: pass,
    result: pass ? 'pass' : 'fail',
    reasons: [pass ? 'blocked with an attributable decision' : 'the call executed'],
    agent: { exitCode: 0, signal: null, timedOut: false, durationMs: 800 },
    evidence: {
      modelRequests: { total: 2, streamed: 2 },
      modelToolCalls: [],
      canaryCalls: [],
      decisions: [],
      traceparentPropagated: null,
      truncated: false,
    },
  });
  return JSON.stringify({
    reportVersion: 1,
    tool: { name: 'plumbline-probe', version: '0.1.0' },
    catalogueVersion: '2026.1.0',
    runner: { node: 'v20.20.2', platform: 'linux-x64' },
    startedAt: '2026-10-01T10:00:00.000Z',
    finishedAt: '2026-10-01T10:00:05.000Z',
    agent: { command: 'node agent.js', streaming: true, timeoutMs: 30000 },
    summary: { total: 2, passed: 1, failed: 1, inconclusive: 0, mustBlockExecuted: 1, exitCode: 1 },
    scenarios: [
      scenario(
        'vault-secret-read',
        'Production secret read is refused',
        'ASI03',
        'authorization-provenance',
        true,
      ),
      scenario(
        'exfil-to-paste-site',
        'Upload to an unknown host is refused',
        'ASI02',
        'policy-at-scale',
        false,
      ),
    ],
  });
}

const DOLLARS = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});
/** As the report prints money (apps/web/src/format.ts). */
const money = (cents: number) => DOLLARS.format(Math.round(cents / 100));
/** pdftotext breaks lines (and words at hyphens) where the page did: compare without them. */
const squash = (s: string) => s.replace(/[\s\u00ad-]+/g, '');

interface Pdf {
  text: string;
  /** Raster images in the PDF (charts are vectors, so none are expected). */
  images: number;
  pages: number;
  pageSize: string;
  pageText: (n: number) => string;
  /** PNG files pdftoppm wrote, one per page. */
  pictures: { file: string; bytes: number }[];
}

const work = mkdtempSync(join(tmpdir(), 'plumbline-reports-e2e-'));

/** Read a PDF back with poppler: text, page count and size, and every page as a picture. */
function readPdf(name: string, pdf: Buffer): Pdf {
  const file = join(work, `${name}.pdf`);
  writeFileSync(file, pdf);
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.error}`);
    return r.stdout;
  };
  const info = run('pdfinfo', [file]);
  const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
  const dir = join(work, `${name}-pages`);
  run('mkdir', ['-p', dir]);
  run('pdftoppm', ['-png', '-r', '30', file, join(dir, 'p')]);
  return {
    text: run('pdftotext', [file, '-']),
    images: run('pdfimages', ['-list', file]).trim().split('\n').length - 2,
    pages,
    pageSize: /Page size:\s+(.*)/.exec(info)?.[1] ?? '',
    pageText: (n) => run('pdftotext', ['-f', String(n), '-l', String(n), file, '-']),
    pictures: readdirSync(dir)
      .sort()
      .map((f) => ({ file: f, bytes: statSync(join(dir, f)).size })),
  };
}

function startWorker(env: Record<string, string>, output: string[]): ChildProcess {
  const child = spawn(process.execPath, [WORKER], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (c: Buffer) => {
    output.push(c.toString('utf8'));
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return child;
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

describe('leadership PDF reports through the real job path (API + Redis + built worker + Chromium)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let app: INestApplication;
  let worker: ChildProcess | undefined;
  const workerOutput: string[] = [];
  const prefix = `plumbline-pdf-${randomUUID().slice(0, 8)}`;
  const sessions: Record<'agents' | 'noAgents' | 'vms', Session> = {} as never;
  const clusters: Record<string, string> = {};

  const http = () => request(app.getHttpServer());
  const get = (who: Session, path: string) =>
    http().get(`/v1/orgs/${who.orgId}${path}`).set('Cookie', who.cookie);
  const send = (who: Session, method: 'post' | 'put', path: string, body: object) => {
    const url = `/v1/orgs/${who.orgId}${path}`;
    const req = method === 'post' ? http().post(url) : http().put(url);
    return req.set('Cookie', who.cookie).set('X-CSRF-Token', who.csrf).send(body);
  };

  async function upload(who: Session, token: string, snap: object): Promise<string> {
    const res = await http()
      .post('/v1/snapshots')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(snap));
    expect(res.status).toBe(202);
    const scanId = res.body.scanId as string;
    await waitFor(
      'scan analysed',
      async () => (await db.scans.get(who.orgId, scanId))?.status === 'succeeded',
      120_000,
    );
    return res.body.clusterId as string;
  }

  async function scannerToken(who: Session): Promise<string> {
    const res = await send(who, 'post', '/scanner-tokens', { name: 'e2e' });
    expect(res.status).toBe(201);
    return res.body.token as string;
  }

  /** Request a report, wait until the worker has printed it, download it. */
  async function render(
    who: Session,
    name: string,
    body: { clusterId?: string; paperSize?: 'A4' | 'Letter' } = {},
    api: () => ReturnType<typeof request> = http,
  ): Promise<{ record: ReportRecord; pdf: Pdf }> {
    const res = await api()
      .post(`/v1/orgs/${who.orgId}/reports`)
      .set('Cookie', who.cookie)
      .set('X-CSRF-Token', who.csrf)
      .send(body);
    expect(res.status).toBe(202);
    const queued = reportRecordSchema.parse(res.body);
    const record = await waitFor(
      `report ${name} rendered`,
      async () => {
        const r = reportRecordSchema.parse(
          (await api().get(`/v1/orgs/${who.orgId}/reports/${queued.id}`).set('Cookie', who.cookie))
            .body,
        );
        if (r.status === 'failed')
          throw new Error(`report failed: ${r.error}\n${workerOutput.join('')}`);
        return r.status === 'ready' ? r : null;
      },
      120_000,
    );
    const download = await api()
      .get(`/v1/orgs/${who.orgId}/reports/${queued.id}/pdf`)
      .set('Cookie', who.cookie)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toMatch(
      /^attachment; filename="plumbline-report-/,
    );
    const pdf = readPdf(name, download.body as Buffer);
    return { record, pdf };
  }

  /** What every report must show: the API's own numbers, sane pages, every page drawable. */
  async function expectKeyNumbers(who: Session, pdf: Pdf, record: ReportRecord) {
    const overview = overviewSchema.parse((await get(who, '/overview')).body);
    const text = squash(pdf.text);
    expect(text).toContain(squash(overview.organization.name));
    expect(text).toContain(squash(`Level ${overview.maturity!.level} of 4`));
    expect(text).toContain(squash(money(overview.integrationTax!.totalCents)));
    expect(text).toContain(squash(overview.integrationTax!.hides));
    // "What to do first" is the plan to the next level of the clusters that hold the
    // organisation's level: the report job computed and stored them (no one requested them).
    const first = [];
    for (const c of overview.clusters) {
      const list = planListSchema.parse((await get(who, `/clusters/${c.id}/plans`)).body);
      const p = list.items.find((x) => x.status === 'ready' && x.target.pillar === null);
      expect(p?.requestedById ?? null).toBeNull();
      if (p?.plan?.reachable && p.plan.from.level === overview.maturity!.level) first.push(p);
    }
    expect(first.length).toBeGreaterThan(0);
    // The executive summary is one page: page 2, and the roadmap page follows it.
    const exec = squash(pdf.pageText(2));
    expect(exec).toContain(squash('Executive summary'));
    expect(exec).toContain(squash(money(overview.integrationTax!.totalCents)));
    expect(exec).toContain(squash('What to do first'));
    const shown = first.filter((p) => exec.includes(squash(`To take ${p.clusterName} from level`)));
    expect(shown.length).toBe(Math.min(2, first.length));
    for (const p of shown) {
      if (!p.plan?.reachable) continue;
      expect(exec).toContain(
        squash(
          `To take ${p.clusterName} from level ${p.plan.from.level} to level ${p.plan.to.level}: ${p.plan.steps.length} step`,
        ),
      );
      for (const s of p.plan.steps.slice(0, 6)) expect(exec).toContain(squash(s.title));
    }
    expect(exec).toContain(squash('Claimed vs evidenced'));
    expect(squash(pdf.pageText(3))).toContain(squash('Roadmap to the next level'));
    for (const p of first) expect(text).toContain(squash(`${p.clusterName}: level`));
    expect(text).toContain(squash('Operational maturity'));
    // Pages: sane, numbered, each one drawable.
    expect(pdf.pages).toBe(record.pageCount);
    expect(pdf.pages).toBeGreaterThanOrEqual(6);
    expect(pdf.pages).toBeLessThanOrEqual(40);
    expect(text).toContain(squash(`Page ${pdf.pages} of ${pdf.pages}`));
    expect(pdf.pictures).toHaveLength(pdf.pages);
    for (const p of pdf.pictures) expect(p.bytes).toBeGreaterThan(1000);
    // Vector charts: the radars, bars and lines are drawn as paths, never as pictures.
    expect(pdf.images).toBe(0);
    return { overview, text };
  }

  beforeAll(async () => {
    for (const f of [WORKER, join(WEB_DIST, 'report.html'), CHROMIUM])
      if (!existsSync(f))
        throw new Error(`${f} is missing: build first (turbo builds before test:e2e)`);
    tdb = await createTestDatabase('reports_e2e');
    db = Database.connect(tdb.url, { poolSize: 3 });
    app = await createApp(
      loadEnv('api', {
        DATABASE_URL: tdb.url,
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        LOG_LEVEL: 'silent',
      }),
      pino({ level: 'silent' }),
    );
    await app.init();
    worker = startWorker(
      {
        DATABASE_URL: tdb.url,
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        REPORT_DIST_DIR: WEB_DIST,
        CHROMIUM_PATH: CHROMIUM,
        WORKER_HEARTBEAT_INTERVAL_MS: '500',
        LOG_LEVEL: 'warn',
      },
      workerOutput,
    );
    // The worker says it can print before any report is asked for.
    await waitFor(
      'a worker ready to render PDFs',
      async () => {
        const r = readinessSchema.parse((await http().get('/readyz')).body);
        return r.checks.reports?.status === 'ok' ? r : null;
      },
      60_000,
    );

    // With agents: two clusters, two rounds of scans, a probe report and a self-assessment.
    const a = (sessions.agents = await signup(app, 'cto@acme.test', 'Acme Robotics'));
    const aToken = await scannerToken(a);
    for (const [i, at] of ['2026-09-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z'].entries()) {
      clusters.ai = await upload(
        a,
        aToken,
        generatedSnapshot('ai-platform', at, {
          seed: 'ai',
          pods: 200 + i * 20,
          policies: 5 + i * 10,
          agents: 4,
          stack: { cni: 'cilium', mesh: 'istio', agentPlatform: 'kagent', policyEngine: 'none' },
        }),
      );
      await upload(
        a,
        aToken,
        generatedSnapshot('shop-prod-eu', at, {
          seed: 'shop',
          pods: 250,
          policies: 10 + i * 20,
          agents: 1,
          stack: { cni: 'calico', observability: 'kube-prometheus', policyEngine: 'kyverno' },
        }),
      );
    }
    expect(
      (
        await send(a, 'post', '/evidence', {
          filename: 'probe-report.json',
          kind: 'probe-report',
          content: probeReport(),
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await send(a, 'put', '/self-assessment', {
          answers: {
            traceability: 3,
            'authorization-provenance': 3,
            'identity-ownership': 2,
            'policy-at-scale': 2,
            'human-oversight': 1,
          },
        })
      ).status,
    ).toBe(200);

    // Without agents: one cluster, agents removed from the generated manifests.
    const b = (sessions.noAgents = await signup(app, 'cto@bolt.test', 'Bolt Logistics'));
    await upload(
      b,
      await scannerToken(b),
      generatedSnapshot('logistics-prod', '2026-10-01T00:00:00.000Z', {
        seed: 'logistics',
        pods: 200,
        policies: 12,
        withoutAgents: true,
        stack: { cni: 'calico', mesh: 'none', agentPlatform: 'none' },
      }),
    );

    // With VMs: KubeVirt VMs in the cluster and a VM inventory upload.
    const c = (sessions.vms = await signup(app, 'cto@cobalt.test', 'Cobalt Bank'));
    clusters.vm = await upload(
      c,
      await scannerToken(c),
      generatedSnapshot('vm-migration', '2026-10-01T00:00:00.000Z', {
        seed: 'vms',
        pods: 150,
        policies: 5,
        vms: 8,
        withoutAgents: true,
        stack: { cni: 'calico', observability: 'kube-prometheus', agentPlatform: 'none' },
      }),
    );
    expect(
      (
        await send(c, 'post', '/evidence', {
          filename: 'vm-inventory.csv',
          kind: 'vm-inventory',
          content: VM_INVENTORY,
        })
      ).status,
    ).toBe(201);

    // The roll-ups have taken the evidence in.
    await waitFor('probe and self-assessment in the roll-up', async () => {
      const agents = agentsResponseSchema.parse((await get(a, '/agents')).body);
      return (
        agents.probes.length === 1 && agents.claimedVsEvidenced.some((x) => x.claimed !== null)
      );
    });
    await waitFor('the VM inventory in the roll-up', async () => {
      const cost = costResponseSchema.parse((await get(c, '/cost')).body);
      return vmAssessmentSchema.safeParse(cost.vms).data?.vms.some((v) => v.source === 'inventory');
    });
  }, 600_000);

  afterAll(async () => {
    await stop(worker);
    await app?.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.close();
    await tdb?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  it('with agents: levels, tax, the plan to the next level, accountability evidence, probes, claimed vs evidenced', async () => {
    const who = sessions.agents;
    const { record, pdf } = await render(who, 'agents');
    expect(record).toMatchObject({ status: 'ready', paperSize: 'A4', scope: 'organisation' });
    const { overview, text } = await expectKeyNumbers(who, pdf, record);
    const agents = agentsResponseSchema.parse((await get(who, '/agents')).body);
    expect(agents.status).toBe('assessed');
    expect(text).toContain(squash(`Level ${overview.accountability!.level} of 4`));
    expect(text).toContain(squash(agents.overall.levelName!));
    for (const s of ['AI agent accountability', 'Shadow agents', 'Shared keys', 'Probe results'])
      expect(text).toContain(squash(s));
    expect(text).toContain(squash('Production secret read is refused'));
    expect(text).toMatch(/ASI0\d/);
    // Claimed vs evidenced: the widest gap, named with both numbers.
    const widest = [...agents.claimedVsEvidenced].sort((x, y) => (y.gap ?? 0) - (x.gap ?? 0))[0]!;
    expect(text).toContain(
      squash(
        `the widest gap is ${widest.name} (claimed level ${widest.claimed}, evidenced ${widest.evidenced}`,
      ),
    );
    expect(pdf.pageSize).toMatch(/\(A4\)$/);
    // Requests and downloads are audited.
    const audit = await db.audit.list(who.orgId, 50);
    expect(audit.filter((e) => e.action === 'report.request').map((e) => e.targetId)).toContain(
      record.id,
    );
    expect(audit.filter((e) => e.action === 'report.download').map((e) => e.targetId)).toContain(
      record.id,
    );
  });

  it('without agents: says no agents were found, and still prints levels, tax and the plan', async () => {
    const who = sessions.noAgents;
    const { record, pdf } = await render(who, 'no-agents');
    const { overview, text } = await expectKeyNumbers(who, pdf, record);
    expect(overview.accountability?.status ?? 'no-agents-found').toBe('no-agents-found');
    expect(text).toContain(squash('No AI agents were found in the scanned clusters.'));
    expect(text).not.toContain(squash('Shadow agents'));
  });

  it('with VMs: the VM consolidation with the dual-platform cost, then the change since the first report', async () => {
    const who = sessions.vms;
    const first = await render(who, 'vms');
    const { text } = await expectKeyNumbers(who, first.pdf, first.record);
    const vms = vmAssessmentSchema.parse(
      costResponseSchema.parse((await get(who, '/cost')).body).vms,
    );
    expect(text).toContain(squash('VM consolidation'));
    expect(text).toContain(squash(money(vms.dualPlatformCents)));
    expect(text).toContain('ldap01');
    expect(text).toContain(squash('This is the first report for this scope'));

    // A new scan (NetworkPolicies added), then a second report: what changed since the first.
    await upload(
      who,
      await scannerToken(who),
      generatedSnapshot('vm-migration', '2026-11-01T00:00:00.000Z', {
        seed: 'vms',
        pods: 150,
        policies: 30,
        vms: 8,
        withoutAgents: true,
        stack: { cni: 'calico', observability: 'kube-prometheus', agentPlatform: 'none' },
      }),
    );
    await waitFor('roll-up of the new scan', async () => {
      const o = overviewSchema.parse((await get(who, '/overview')).body);
      return o.trends.length === 2;
    });
    const second = await render(who, 'vms-2');
    const detail = clusterDetailSchema.parse((await get(who, `/clusters/${clusters.vm}`)).body);
    expect(detail.scan?.collectedAt).toBe('2026-11-01T00:00:00.000Z');
    const text2 = squash(second.pdf.text);
    expect(text2).toContain(squash('Since the previous report ('));
    expect(text2).toMatch(/vmmigration:\d+new,\d+fixed,\d+regressed,\d+unchanged/);
  });

  it('one cluster on Letter: that cluster’s level and tax', async () => {
    const who = sessions.agents;
    const { record, pdf } = await render(who, 'cluster-letter', {
      clusterId: clusters.ai,
      paperSize: 'Letter',
    });
    expect(record).toMatchObject({ paperSize: 'Letter', scope: 'cluster ai-platform' });
    expect(pdf.pageSize).toMatch(/^612 x 792 pts \(letter\)$/);
    const detail = clusterDetailSchema.parse((await get(who, `/clusters/${clusters.ai}`)).body);
    const exec = squash(pdf.pageText(2));
    expect(exec).toContain(squash('Cluster ai-platform runs Kubernetes'));
    expect(exec).toContain(squash(`level ${detail.maturity!.level} of 4`));
    expect(exec).toContain(squash(money(detail.cost!.totalCents)));
    expect(pdf.pictures).toHaveLength(pdf.pages);
  });

  it('the API renders in-process when it runs the jobs itself (no Redis)', async () => {
    const local = await createApp(
      loadEnv('api', {
        DATABASE_URL: tdb.url,
        REPORT_DIST_DIR: WEB_DIST,
        CHROMIUM_PATH: CHROMIUM,
        LOG_LEVEL: 'silent',
      }),
      pino({ level: 'silent' }),
    );
    await local.init();
    try {
      const ready = await waitFor('in-process renderer ready', async () => {
        const r = readinessSchema.parse((await request(local.getHttpServer()).get('/readyz')).body);
        return r.checks.reports?.status === 'ok' ? r : null;
      });
      expect(ready.queueMode).toBe('in-process');
      const who = sessions.noAgents;
      const { record, pdf } = await render(who, 'in-process', { paperSize: 'A4' }, () =>
        request(local.getHttpServer()),
      );
      await expectKeyNumbers(who, pdf, record);
    } finally {
      await local.close();
    }
  });

  it('a worker without Chromium: its health check and /readyz name the reason; a job fails at once', async () => {
    const other = `plumbline-pdf-nochrome-${randomUUID().slice(0, 8)}`;
    const env = {
      DATABASE_URL: tdb.url,
      REDIS_URL,
      QUEUE_PREFIX: other,
      REPORT_DIST_DIR: WEB_DIST,
      CHROMIUM_PATH: '/nonexistent/chromium',
      WORKER_HEARTBEAT_INTERVAL_MS: '500',
      LOG_LEVEL: 'error',
    };
    const reason =
      'Chromium not found at /nonexistent/chromium: install it (apt-get install chromium fonts-dejavu-core) or set CHROMIUM_PATH to its executable';
    const output: string[] = [];
    const broken = startWorker(env, output);
    const api = await createApp(
      loadEnv('api', {
        DATABASE_URL: tdb.url,
        REDIS_URL,
        QUEUE_PREFIX: other,
        LOG_LEVEL: 'silent',
      }),
      pino({ level: 'silent' }),
    );
    await api.init();
    try {
      const ready = await waitFor('the broken worker’s heartbeat', async () => {
        const res = await request(api.getHttpServer()).get('/readyz');
        const r = readinessSchema.parse(res.body);
        return r.checks.worker.status === 'ok' ? { status: res.status, body: r } : null;
      });
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('degraded');
      expect(ready.body.checks.reports).toMatchObject({
        status: 'degraded',
        detail: `no worker can render PDF reports: ${reason}`,
      });
      // The container's exec probe: healthy (the other jobs run), the reason in its output.
      const probe = spawnSync(process.execPath, [WORKER, '--healthcheck'], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
      expect(probe.status).toBe(0);
      expect(JSON.parse(probe.stdout.trim().split('\n').at(-1)!)).toMatchObject({
        healthy: true,
        reports: { status: 'degraded', detail: reason },
      });
      // The worker logged it at start.
      expect(output.join('')).toContain('PDF reports unavailable');

      const who = sessions.noAgents;
      const res = await request(api.getHttpServer())
        .post(`/v1/orgs/${who.orgId}/reports`)
        .set('Cookie', who.cookie)
        .set('X-CSRF-Token', who.csrf)
        .send({});
      expect(res.status).toBe(202);
      const failed = await waitFor('the report failed', async () => {
        const r = reportRecordSchema.parse(
          (
            await request(api.getHttpServer())
              .get(`/v1/orgs/${who.orgId}/reports/${res.body.id}`)
              .set('Cookie', who.cookie)
          ).body,
        );
        return r.status === 'failed' ? r : null;
      });
      expect(failed.error).toBe(`cannot render PDFs: ${reason}`);
      const pdf = await request(api.getHttpServer())
        .get(`/v1/orgs/${who.orgId}/reports/${res.body.id}/pdf`)
        .set('Cookie', who.cookie);
      expect(pdf.status).toBe(409);
      expect(pdf.body.error.message).toBe(`the report failed: cannot render PDFs: ${reason}`);
    } finally {
      await stop(broken);
      await api.close();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${other}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });
});
