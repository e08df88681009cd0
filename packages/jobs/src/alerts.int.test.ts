import { minimalSnapshot } from '@plumbline/contracts';
import { createTestDatabase, Database, type TestDatabase } from '@plumbline/db';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { egressPolicy } from './agentless/egress.js';
import { Keyring, sealSecret } from './agentless/sealing.js';
import { AGENTLESS_SCANNER_NAME, type AgentlessSettings } from './agentless/settings.js';
import { alertStateOf, evaluateAlerts, type AlertState } from './alerts/evaluate.js';
import { alertsTickHandler } from './alerts/tick.js';
import {
  checkWebhookUrl,
  generateWebhookSecret,
  verifyWebhook,
  WEBHOOK_SECRET_PREFIX,
} from './alerts/webhook.js';
import { createJobHandlers } from './handlers/index.js';
import { computeOrgRollup } from './handlers/org-rollup.js';
import { InProcessJobQueue } from './in-process.js';
import { reconcileJobs } from './reconcile.js';
import type { MailTransport, OutgoingMail } from './mail/transport.js';
import type { FollowUp, JobLogger } from './port.js';
import type { ReportRenderer } from './report/render.js';

const HOUR = 3_600_000;
const quiet: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on 127.0.0.1; `answers` are the statuses of the next requests. */
async function receiver(): Promise<{
  server: Server;
  url: string;
  received: Received[];
  answers: number[];
}> {
  const received: Received[] = [];
  const answers: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = answers.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/hook?src=plumbline`, received, answers };
}

/** Captures what email.send hands to its transport (the outbox row was delivered). */
/**
 * Stands in for the Chromium printer (tested with real Chromium in the web e2e suite): a small
 * PDF, or a failure while `failing` is set.
 */
const printer = {
  failing: false,
  printed: 0,
};
const testRenderer: ReportRenderer = {
  render() {
    if (printer.failing) return Promise.reject(new Error('printer on fire'));
    printer.printed += 1;
    return Promise.resolve({
      pdf: new Uint8Array(Buffer.from(`%PDF-1.4\n% test report ${printer.printed}\n%%EOF\n`)),
      pageCount: 1,
    });
  },
  check: () => Promise.resolve(null),
  close: () => Promise.resolve(),
};

class CapturingTransport implements MailTransport {
  readonly kind = 'console' as const;
  readonly sent: OutgoingMail[] = [];
  send(mail: OutgoingMail) {
    this.sent.push(mail);
    return Promise.resolve({ messageId: `<${mail.id}@test>` });
  }
  close() {}
}

describe('alerts: channels, signed webhooks, evaluation (real PostgreSQL, real HTTP)', () => {
  let tdb: TestDatabase;
  let db: Database;
  let orgId: string;
  let queue: InProcessJobQueue;
  let hook: Awaited<ReturnType<typeof receiver>>;
  const keyring = new Keyring([{ id: 1, key: randomBytes(32) }]);
  const mail = new CapturingTransport();

  beforeAll(async () => {
    tdb = await createTestDatabase('alerts');
    db = Database.connect(tdb.url, { poolSize: 3 });
    orgId = (await db.organizations.create({ name: 'Alerts', slug: 'alerts' })).id;
    hook = await receiver();
    const followUp: FollowUp = async (name, payload, requestId, options) => {
      await queue.enqueue(name, payload, { ...options, ...(requestId ? { requestId } : {}) });
    };
    const agentless: AgentlessSettings = {
      keyring,
      egress: egressPolicy([]),
      limits: {
        connectTimeoutMs: 1000,
        requestTimeoutMs: 1000,
        scanTimeoutMs: 1000,
        maxResponseBytes: 1024,
        maxSnapshotBytes: 64 * 1024 * 1024,
      },
      scanner: { name: AGENTLESS_SCANNER_NAME, version: '0.0.0' },
    };
    queue = new InProcessJobQueue(
      createJobHandlers(db, followUp, agentless, {
        mail: { transport: mail, from: 'Plumbline <alerts@test>' },
        reportRenderer: testRenderer,
        // The test-only allowance: the in-process receiver listens on loopback.
        alertEgress: egressPolicy(['127.0.0.1/32']),
      }),
      quiet,
      { concurrency: 1, backoffMs: 5 },
    );
  });
  afterAll(async () => {
    await queue.close();
    hook.server.close();
    await db.close();
    await tdb.drop();
  });

  async function webhookChannel(name: string, url: string) {
    const id = randomUUID();
    const secret = generateWebhookSecret();
    await db.alerts.createChannel({
      id,
      organizationId: orgId,
      kind: 'webhook',
      name,
      emails: [],
      url,
      secretCiphertext: sealSecret(keyring, secret, {
        organizationId: orgId,
        channelId: id,
        field: 'webhookSecret',
      }),
      createdById: null,
    });
    return { id, secret };
  }

  async function sendTest(channelId: string) {
    const d = await db.alerts.createTestDelivery(orgId, channelId);
    await queue.enqueue('alert.deliver', { organizationId: orgId, deliveryId: d.id });
    await queue.drain();
    return (await db.alerts.getDelivery(orgId, d.id))!;
  }

  it('signs a test delivery the Standard Webhooks way; the receiver verifies it with the secret', async () => {
    const { id, secret } = await webhookChannel('ops hook', hook.url);
    expect(secret.startsWith(WEBHOOK_SECRET_PREFIX)).toBe(true);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    hook.received.length = 0;
    const delivery = await sendTest(id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, responseStatus: 200 });
    expect(hook.received).toHaveLength(1);
    const { headers, body } = hook.received[0]!;
    const h = {
      id: String(headers['webhook-id']),
      timestamp: String(headers['webhook-timestamp']),
      signature: String(headers['webhook-signature']),
    };
    expect(h.id).toBe(`msg_${delivery.id}`);
    expect(h.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verifyWebhook(secret, h, body)).toBe(true);
    // Another secret, an altered body, a stale timestamp: refused.
    expect(verifyWebhook(generateWebhookSecret(), h, body)).toBe(false);
    expect(verifyWebhook(secret, h, body.replace('alert.test', 'alert.fired'))).toBe(false);
    expect(verifyWebhook(secret, h, body, { now: Date.now() + 10 * 60_000 })).toBe(false);
    expect(JSON.parse(body)).toMatchObject({
      type: 'alert.test',
      data: { organizationId: orgId, eventId: null, rule: null },
    });
    expect(headers['content-type']).toBe('application/json');
  });

  it('retries after a 500 with back-off as queue jobs, then succeeds; the log counts the attempts', async () => {
    const { id, secret } = await webhookChannel('flaky hook', hook.url);
    hook.received.length = 0;
    hook.answers.push(500);
    const delivery = await sendTest(id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2, responseStatus: 200 });
    expect(hook.received).toHaveLength(2);
    // The same message id on both attempts (receivers de-duplicate by it), both signed.
    expect(hook.received[0]!.headers['webhook-id']).toBe(hook.received[1]!.headers['webhook-id']);
    for (const r of hook.received)
      expect(
        verifyWebhook(
          secret,
          {
            id: String(r.headers['webhook-id']),
            timestamp: String(r.headers['webhook-timestamp']),
            signature: String(r.headers['webhook-signature']),
          },
          r.body,
        ),
      ).toBe(true);
    const log = await db.alerts.deliveryPage(orgId, 50);
    expect(log.find((d) => d.id === delivery.id)).toMatchObject({
      attempts: 2,
      status: 'delivered',
      channel: { name: 'flaky hook', kind: 'webhook' },
    });
  });

  it('a receiver that keeps failing: the delivery fails after the last attempt with the reason', async () => {
    const { id } = await webhookChannel('down hook', hook.url);
    hook.answers.push(503, 503, 503);
    const delivery = await sendTest(id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 3, responseStatus: 503 });
    expect(delivery.lastError).toMatch(/HTTP 503/);
  });

  it('refuses private and metadata URLs at save time, and at send time after DNS resolution', async () => {
    const target = { egress: egressPolicy([]), timeoutMs: 1000 };
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://[fd00:ec2::254]/',
      'http://10.0.0.5/hook',
      'http://127.0.0.1:8080/hook',
      'http://[::ffff:127.0.0.1]/',
      'http://metadata.google.internal/',
      'ftp://hooks.example.com/x',
      'file:///etc/passwd',
    ])
      await expect(checkWebhookUrl(url, target)).rejects.toThrow(
        /refused|metadata|loopback|private|only http/i,
      );
    // A name that resolves to a private address is refused after resolution.
    await expect(
      checkWebhookUrl('https://hooks.example.com/x', {
        ...target,
        resolve: () => Promise.resolve([{ address: '192.168.1.10', family: 4 }]),
      }),
    ).rejects.toThrow(/resolves to 192\.168\.1\.10 is in a private range/);
    // Metadata stays refused even when allowlisted.
    await expect(
      checkWebhookUrl('http://169.254.169.254/', {
        egress: egressPolicy(['169.254.0.0/16']),
        timeoutMs: 1000,
      }),
    ).rejects.toThrow(/cloud metadata/);
    // At send time: a stored URL pointing at the metadata service fails at once, nothing sent.
    const { id } = await webhookChannel('metadata hook', 'http://169.254.169.254/latest');
    const delivery = await sendTest(id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1 });
    expect(delivery.lastError).toMatch(/refused: 169\.254\.169\.254 is a cloud metadata service/);
  });

  it('posts a Slack incoming-webhook payload {text, blocks}, unsigned', async () => {
    await db.alerts.createChannel({
      id: randomUUID(),
      organizationId: orgId,
      kind: 'slack',
      name: 'slack',
      emails: [],
      url: hook.url,
      secretCiphertext: null,
      createdById: null,
    });
    const ch = (await db.alerts.listChannels(orgId)).find((c) => c.name === 'slack')!;
    hook.received.length = 0;
    const delivery = await sendTest(ch.id);
    expect(delivery.status).toBe('delivered');
    const body = JSON.parse(hook.received[0]!.body) as { text: string; blocks: { type: string }[] };
    expect(body.text).toMatch(/^\*Plumbline test alert\*\n/);
    expect(body.blocks.map((b) => b.type)).toEqual(['header', 'section']);
    expect(hook.received[0]!.headers['webhook-signature']).toBeUndefined();
  });

  it('the reconciler queues a delivery whose job the queue lost', async () => {
    const { id } = await webhookChannel('lost hook', hook.url);
    const d = await db.alerts.createTestDelivery(orgId, id);
    hook.received.length = 0;
    const outcome = await reconcileJobs(db, queue, quiet, {
      now: new Date(Date.now() + 5 * 60_000),
    });
    expect(outcome.alertDeliveries).toBeGreaterThanOrEqual(1);
    await queue.drain();
    expect(await db.alerts.getDelivery(orgId, d.id)).toMatchObject({ status: 'delivered' });
    expect(hook.received).toHaveLength(1);
  });

  it('email channels put one outbox mail per address, delivered by email.send', async () => {
    const id = randomUUID();
    await db.alerts.createChannel({
      id,
      organizationId: orgId,
      kind: 'email',
      name: 'on-call mail',
      emails: ['a@example.com', 'b@example.com'],
      url: null,
      secretCiphertext: null,
      createdById: null,
    });
    mail.sent.length = 0;
    const delivery = await sendTest(id);
    expect(delivery.status).toBe('delivered');
    const rows = (await db.outbox.listForOrganization(orgId)).filter((m) => m.kind === 'test');
    expect(rows.map((r) => [r.to, r.status]).sort()).toEqual([
      ['a@example.com', 'sent'],
      ['b@example.com', 'sent'],
    ]);
    expect(mail.sent.map((m) => m.subject)).toEqual([
      '[Plumbline] Plumbline test alert',
      '[Plumbline] Plumbline test alert',
    ]);
    await db.alerts.updateChannel(orgId, id, { enabled: false });
  });

  describe('rule evaluation by the roll-up', () => {
    let base: Awaited<ReturnType<typeof computeOrgRollup>>;
    let evalOrg: string;

    beforeAll(async () => {
      evalOrg = (await db.organizations.create({ name: 'Eval', slug: 'eval' })).id;
      // A real roll-up over a real analysed scan: the base the tests change.
      const s = minimalSnapshot('prod', { namespaces: ['default'] });
      const raw = Buffer.from(JSON.stringify(s));
      const stored = await db.scans.storeSnapshot(evalOrg, {
        clusterExternalId: s.cluster.id,
        clusterName: s.cluster.name,
        contentHash: createHash('sha256').update(raw).digest('hex'),
        schemaVersion: 1,
        gzip: new Uint8Array(gzipSync(raw)),
        rawBytes: raw.length,
      });
      await queue.enqueue('snapshot.analyze', { organizationId: evalOrg, scanId: stored.scan.id });
      await queue.drain();
      base = await computeOrgRollup(db, evalOrg, 'test', quiet);
      // A webhook channel receives what fires.
      const id = randomUUID();
      await db.alerts.createChannel({
        id,
        organizationId: evalOrg,
        kind: 'slack',
        name: 'eval slack',
        emails: [],
        url: hook.url,
        secretCiphertext: null,
        createdById: null,
      });
    });

    it('the org.rollup job stores the state it compares with next time', async () => {
      // The analysis above queued org.rollup; it evaluated and stored the state.
      const state = (await db.alerts.getState(evalOrg)) as AlertState | null;
      expect(state).toMatchObject({ v: 1, shadowAgents: [] });
    });

    const withLevel = (level: number) => ({
      ...base,
      maturity: base.maturity
        ? { ...base.maturity, level, pillars: base.maturity.pillars.map((p) => ({ ...p, level })) }
        : { basis: 'x', level, score: 0, pillars: [], lowest: [] },
    });

    it('a level drop fires once, is de-duplicated within the cool-down, and is delivered', async () => {
      await db.alerts.putRules(evalOrg, [
        { kind: 'level_drop', enabled: true, threshold: 1, cooldownMinutes: 60 },
      ]);
      await evaluateAlerts(db, evalOrg, withLevel(3), undefined, quiet);
      hook.received.length = 0;
      const fired = await evaluateAlerts(
        db,
        evalOrg,
        withLevel(1),
        async (n, p, r, o) => {
          await queue.enqueue(n, p, o);
        },
        quiet,
      );
      expect(fired.length).toBeGreaterThanOrEqual(1);
      await queue.drain();
      const events = await db.alerts.listEvents(evalOrg);
      expect(events.filter((e) => e.dedupeKey === 'level_drop:org')).toHaveLength(1);
      expect(hook.received.some((r) => r.body.includes('dropped to level 1'))).toBe(true);
      // Up and down again within the cool-down: no second event.
      await evaluateAlerts(db, evalOrg, withLevel(3), undefined, quiet);
      expect(await evaluateAlerts(db, evalOrg, withLevel(1), undefined, quiet)).toEqual([]);
      expect(
        (await db.alerts.listEvents(evalOrg)).filter((e) => e.dedupeKey === 'level_drop:org'),
      ).toHaveLength(1);
      // The same state again: nothing changed, nothing fires.
      expect(await evaluateAlerts(db, evalOrg, withLevel(1), undefined, quiet)).toEqual([]);
    });

    it('a disabled rule does not fire', async () => {
      await db.alerts.putRules(evalOrg, [
        { kind: 'level_drop', enabled: false, threshold: 1, cooldownMinutes: 0 },
      ]);
      await evaluateAlerts(db, evalOrg, withLevel(3), undefined, quiet);
      expect(await evaluateAlerts(db, evalOrg, withLevel(1), undefined, quiet)).toEqual([]);
    });

    it('a new shadow agent fires (once per agent)', async () => {
      await db.alerts.putRules(evalOrg, [
        { kind: 'new_shadow_agent', enabled: true, threshold: null, cooldownMinutes: 60 },
      ]);
      await evaluateAlerts(db, evalOrg, base, undefined, quiet);
      const agent = {
        kind: 'agent',
        ref: 'Deployment default/rogue',
        registered: false,
        cluster: 'prod',
        exposure: null,
      } as unknown as (typeof base.agents.items)[number];
      const withAgent = { ...base, agents: { ...base.agents, items: [agent] } };
      expect(alertStateOf(withAgent).shadowAgents).toEqual(['prod/Deployment default/rogue']);
      expect(await evaluateAlerts(db, evalOrg, withAgent, undefined, quiet)).toHaveLength(1);
      expect(await evaluateAlerts(db, evalOrg, withAgent, undefined, quiet)).toEqual([]);
      const e = (await db.alerts.listEvents(evalOrg)).find(
        (x) => x.ruleKind === 'new_shadow_agent',
      );
      expect(e?.dedupeKey).toBe('new_shadow_agent:prod/Deployment default/rogue');
    });

    it('an integration tax rise over X% fires; a smaller rise does not', async () => {
      await db.alerts.putRules(evalOrg, [
        { kind: 'tax_rise', enabled: true, threshold: 20, cooldownMinutes: 0 },
      ]);
      const tax = (cents: number) => ({
        ...base,
        integrationTax: { ...(base.integrationTax ?? ({} as never)), totalCents: cents },
      });
      await evaluateAlerts(db, evalOrg, tax(100_000), undefined, quiet);
      expect(await evaluateAlerts(db, evalOrg, tax(110_000), undefined, quiet)).toEqual([]);
      expect(await evaluateAlerts(db, evalOrg, tax(140_000), undefined, quiet)).toHaveLength(1);
      const e = (await db.alerts.listEvents(evalOrg)).find((x) => x.ruleKind === 'tax_rise');
      expect(e?.payload).toMatchObject({ details: { fromCents: 110_000, toCents: 140_000 } });
    });
  });

  describe('the repeating tick: scheduled reports and time-based rules', () => {
    const tick = (at: Date) =>
      alertsTickHandler(
        db,
        async (name, payload, requestId, options) => {
          await queue.enqueue(name, payload, { ...options, ...(requestId ? { requestId } : {}) });
        },
        'https://plumbline.example',
        () => at,
      ).run({ v: 1, name: 'alerts.tick', payload: {} }, { jobId: 't', attempt: 1, log: quiet });

    it('a due schedule prints the report once and mails the PDF to each recipient, once', async () => {
      const s = await db.alerts.createSchedule({
        organizationId: orgId,
        cadence: 'weekly',
        recipients: ['cto@example.com', 'cfo@example.com'],
        paperSize: 'A4',
        enabled: true,
        nextRunAt: new Date(Date.now() - 60_000),
        createdById: null,
      });
      mail.sent.length = 0;
      await tick(new Date());
      await tick(new Date());
      await queue.drain();
      const reports = await db.reports.list(orgId, { take: 10 });
      expect(reports).toHaveLength(1);
      const after = (await db.alerts.getSchedule(orgId, s.id))!;
      expect(after.lastRunAt).not.toBeNull();
      expect(after.nextRunAt.getTime()).toBeGreaterThan(Date.now());
      expect(after.nextRunAt.getUTCDay()).toBe(1);
      const sent = mail.sent.filter((m) => m.subject === 'Your weekly Plumbline report');
      expect(sent.map((m) => m.to).sort()).toEqual(['cfo@example.com', 'cto@example.com']);
      expect(sent[0]!.text).toContain(
        `https://plumbline.example/o/${orgId}/reports?report=${reports[0]!.id}`,
      );
      expect(reports[0]!.status).toBe('ready');
      // Each mail carries the printed PDF, byte for byte.
      const pdf = await db.reports.pdf(orgId, reports[0]!.id);
      for (const m of sent) {
        expect(m.attachments).toHaveLength(1);
        expect(m.attachments![0]).toMatchObject({
          contentType: 'application/pdf',
          filename: expect.stringMatching(/^plumbline-report-\d{4}-\d{2}-\d{2}\.pdf$/),
        });
        expect(Buffer.from(m.attachments![0]!.content).equals(Buffer.from(pdf!))).toBe(true);
        expect(m.text).toContain('attached as a PDF');
      }
    });

    it('a scheduled mail waits for the printer, and says so when the report could not be printed', async () => {
      const org = (await db.organizations.create({ name: 'Waits', slug: 'waits' })).id;
      await db.alerts.createSchedule({
        organizationId: org,
        cadence: 'monthly',
        recipients: ['ceo@example.com'],
        paperSize: 'Letter',
        enabled: true,
        nextRunAt: new Date(Date.now() - 60_000),
        createdById: null,
      });
      // The tick without a queue for report.render: the mail is written and waits in the outbox.
      const written: string[] = [];
      await alertsTickHandler(
        db,
        async (name, payload) => {
          if (name === 'email.send') written.push((payload as { emailId: string }).emailId);
        },
        'https://plumbline.example',
        () => new Date(),
      ).run({ v: 1, name: 'alerts.tick', payload: {} }, { jobId: 't2', attempt: 1, log: quiet });
      expect(written).toEqual([]);
      const [report] = await db.reports.list(org, { take: 10 });
      expect(report?.status).toBe('queued');
      const [row] = (await db.outbox.listForOrganization(org)).filter((m) => m.kind === 'report');
      expect(row).toMatchObject({ status: 'queued', reportId: report!.id });
      // A delivery run before the report is printed sends nothing and spends no attempt.
      mail.sent.length = 0;
      await queue.enqueue('email.send', { emailId: row!.id }, { jobId: `early-${row!.id}` });
      await queue.drain();
      expect(mail.sent).toHaveLength(0);
      expect(await db.outbox.get(row!.id)).toMatchObject({ status: 'queued', attempts: 0 });
      // The printer fails for good: the mail goes out without a PDF, saying so.
      printer.failing = true;
      try {
        await queue.enqueue(
          'report.render',
          { organizationId: org, reportId: report!.id },
          { jobId: `render-${report!.id}` },
        );
        await queue.drain();
      } finally {
        printer.failing = false;
      }
      expect((await db.reports.get(org, report!.id))?.status).toBe('failed');
      expect(mail.sent).toHaveLength(1);
      expect(mail.sent[0]!.attachments ?? []).toHaveLength(0);
      expect(mail.sent[0]!.text).toContain('could not be printed');
      expect(await db.outbox.get(row!.id)).toMatchObject({ status: 'sent' });
    });

    it('an expired suppression fires once', async () => {
      await db.alerts.putRules(orgId, [
        { kind: 'suppression_expired', enabled: true, threshold: null, cooldownMinutes: 0 },
      ]);
      await db.riskAcceptances.create(orgId, {
        clusterId: null,
        kind: 'criterion',
        targetId: 'edge.tls',
        title: 'TLS at the edge',
        owner: 'Platform',
        reason: 'Terminated at the load balancer.',
        expiresAt: new Date(Date.now() - HOUR),
        createdById: null,
      });
      await tick(new Date());
      await tick(new Date());
      const events = (await db.alerts.listEvents(orgId)).filter(
        (e) => e.ruleKind === 'suppression_expired',
      );
      expect(events).toHaveLength(1);
      expect(events[0]!.payload).toMatchObject({
        title: 'Risk acceptance expired: TLS at the edge',
      });
    });

    it('a scanner silent for more than N hours fires once per silence', async () => {
      const org = (await db.organizations.create({ name: 'Silent', slug: 'silent' })).id;
      const s = minimalSnapshot('quiet', { namespaces: ['default'] });
      const raw = Buffer.from(JSON.stringify(s));
      await db.scans.storeSnapshot(org, {
        clusterExternalId: s.cluster.id,
        clusterName: s.cluster.name,
        contentHash: createHash('sha256').update(raw).digest('hex'),
        schemaVersion: 1,
        gzip: new Uint8Array(gzipSync(raw)),
        rawBytes: raw.length,
      });
      await db.alerts.putRules(org, [
        { kind: 'scanner_silent', enabled: true, threshold: 6, cooldownMinutes: 0 },
      ]);
      await tick(new Date(Date.now() + 5 * HOUR));
      expect(await db.alerts.listEvents(org)).toHaveLength(0);
      await tick(new Date(Date.now() + 7 * HOUR));
      await tick(new Date(Date.now() + 8 * HOUR));
      const events = await db.alerts.listEvents(org);
      expect(events.map((e) => e.ruleKind)).toEqual(['scanner_silent']);
      expect(events[0]!.payload).toMatchObject({ title: 'No scan from quiet for 6 hours' });
    });
  });
});
