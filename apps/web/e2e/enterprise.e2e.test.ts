/**
 * Enterprise sign-in and alerts end to end, in real headless Chromium against the real stack
 * (built API serving the app, built worker, PostgreSQL, Redis) and real outside parts started
 * here: an OpenID Provider (`oidc-provider`, in a worker thread), an SMTP server (`smtp-server`)
 * and a webhook receiver (node:http). Each test drives the screens a customer uses and checks
 * what arrived outside; what arrived is also written to `.test-results/evidence/enterprise-e2e.json` so a
 * run can show it (the SSO landing, the webhook request with its signature, the mail).
 */
import { simpleParser } from 'mailparser';
import { createHmac } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Browser, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { launchBrowser, openPage, signIn, type OpenedPage } from './browser';
import { DEMO_EMAIL, DEMO_PASSWORD, ROOT, sleep, startStack, type Stack } from './stack';

jest.setTimeout(180_000);

const CLIENT_ID = 'plumbline-e2e';
const CLIENT_SECRET = 'e2e-idp-client-secret-4b1d9c';
const SSO_ACCOUNTS = {
  'sub-sam': { email: 'sam@plumbline.local', email_verified: true, name: 'Sam Single' },
};

interface Mail {
  to: string[];
  subject: string;
  text: string;
}

interface Hook {
  headers: IncomingHttpHeaders;
  body: string;
}

/** What arrived outside, for the run's record. */
const evidence: Record<string, unknown> = {};

async function until<T>(what: string, probe: () => T | undefined, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const got = probe();
    if (got !== undefined) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** A real SMTP server (no TLS, no auth) that keeps every mail it accepts. */
async function startSmtp(inbox: Mail[]): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        simpleParser(Buffer.concat(chunks))
          .then((m) => {
            inbox.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: m.subject ?? '',
              text: m.text ?? '',
            });
            callback();
          })
          .catch((e: Error) => callback(e));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return {
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A webhook receiver that answers 200 and keeps each request. */
async function startReceiver(hooks: Hook[]): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hooks.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, server };
}

/** The real OpenID Provider of the API's SSO tests, in a worker thread (it is ESM-only). */
async function startProvider(redirectUri: string): Promise<{
  issuer: string;
  loginAs(account: string): Promise<void>;
  stop(): Promise<number>;
}> {
  const worker = new Worker(path.join(ROOT, 'apps/api/test/oidc-provider.worker.mjs'), {
    workerData: {
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      redirectUri,
      accounts: SSO_ACCOUNTS,
    },
  });
  const issuer = await new Promise<string>((resolve, reject) => {
    worker.once('message', (m: { issuer: string }) => resolve(m.issuer));
    worker.once('error', reject);
  });
  return {
    issuer,
    loginAs: (account) =>
      new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.postMessage({ account });
      }),
    stop: () => worker.terminate(),
  };
}

/** Standard Webhooks: base64 HMAC-SHA256 over "id.timestamp.body" with the secret's bytes. */
function expectedSignature(secret: string, h: Hook): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const id = String(h.headers['webhook-id']);
  const ts = String(h.headers['webhook-timestamp']);
  return `v1,${createHmac('sha256', key).update(`${id}.${ts}.${h.body}`).digest('base64')}`;
}

describe('Enterprise sign-in and alerts in a real browser: SSO, webhooks and mail', () => {
  let stack: Stack;
  let browser: Browser;
  let base: string;
  let org: string;
  let provider: Awaited<ReturnType<typeof startProvider>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const inbox: Mail[] = [];
  const hooks: Hook[] = [];
  const opened: OpenedPage[] = [];

  beforeAll(async () => {
    smtp = await startSmtp(inbox);
    receiver = await startReceiver(hooks);
    stack = await startStack({
      label: 'web_enterprise_e2e',
      // The identity provider and the webhook receiver listen on this machine.
      agentlessAllowedCidrs: '127.0.0.1/32',
      env: {
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        MAIL_FROM: 'Plumbline <no-reply@plumbline.local>',
      },
    });
    base = stack.baseUrl;
    org = stack.organizationId;
    provider = await startProvider(`${base}/v1/auth/sso/callback`);
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await provider?.stop();
    await smtp?.close();
    await new Promise<void>((resolve) =>
      receiver ? receiver.server.close(() => resolve()) : resolve(),
    );
    // Beside the Jest results, in a folder of its own (the CI totals read only Jest's files).
    const dir = path.join(ROOT, '.test-results', 'evidence');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'enterprise-e2e.json'), `${JSON.stringify(evidence, null, 2)}\n`);
  });

  async function fresh(): Promise<Page> {
    const o = await openPage(browser);
    opened.push(o);
    return o.page;
  }

  it('an owner sets up single sign-on; a new colleague signs in through the identity provider and joins', async () => {
    const owner = await fresh();
    await signIn(owner, base, DEMO_EMAIL, DEMO_PASSWORD);
    await owner.goto(`${base}/o/${org}/settings/sso`);
    const form = owner.getByRole('form', { name: 'Single sign-on settings' });
    await form.waitFor();
    await expect(owner.getByTestId('sso-redirect-uri').innerText()).resolves.toContain(
      `${base}/v1/auth/sso/callback`,
    );
    await form.getByLabel('Single sign-on is on').check();
    await form.getByLabel('Issuer URL').fill(provider.issuer);
    await form.getByLabel('Client ID').fill(CLIENT_ID);
    await form.getByLabel('Client secret').fill(CLIENT_SECRET);
    await form.getByLabel('Add an email domain').fill('plumbline.local');
    await form.getByRole('button', { name: 'Add domain' }).click();
    await form.getByRole('button', { name: 'Save single sign-on settings' }).click();
    await owner.getByText('Saved.').waitFor();
    // The owner's own verified address is at that domain: it counts as proven.
    await expect(owner.getByTestId('sso-domains').innerText()).resolves.toMatch(
      /plumbline\.local[\s\S]*verified/i,
    );

    // A colleague who has never used Plumbline: "Continue with SSO" with their work address.
    const page = await fresh();
    await provider.loginAs('sub-sam');
    await page.goto(`${base}/signin`);
    await page.getByRole('button', { name: 'Continue with SSO' }).click();
    const step = page.getByTestId('sso-step');
    await step.getByLabel('Email').fill('sam@plumbline.local');
    const hops: string[] = [];
    page.on('request', (r) => {
      if (r.isNavigationRequest()) hops.push(new URL(r.url()).origin);
    });
    await step.getByRole('button', { name: 'Continue with SSO' }).click();
    await page.waitForURL(new RegExp(`/o/${org}/overview$`));
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    // The browser really went to the identity provider and came back.
    expect(hops).toContain(provider.issuer);
    await expect(page.getByTestId('signed-in-user').innerText()).resolves.toContain('Sam Single');
    await expect(page.getByTestId('current-org').innerText()).resolves.toBe('Demo Org');

    // The owner sees the new member, at the default role, and the sign-in in the audit log.
    await owner.goto(`${base}/o/${org}/settings/members`);
    await expect(owner.getByText('sam@plumbline.local').first().innerText()).resolves.toBeTruthy();
    await owner.goto(`${base}/o/${org}/settings/audit`);
    const audit = owner.getByTestId('audit-table');
    await audit.waitFor();
    const auditText = await audit.innerText();
    expect(auditText).toMatch(/single sign-on/i);
    expect(auditText).not.toMatch(/auth\.sso_login|sso\.configured/);
    evidence.ssoSignIn = {
      provider: provider.issuer,
      account: SSO_ACCOUNTS['sub-sam'].email,
      navigatedThrough: [...new Set(hops)],
      landedOn: new URL(page.url()).pathname,
      signedInAs: await page.getByTestId('signed-in-user').innerText(),
    };
  });

  it('an admin adds a webhook channel, sends a test, and the receiver gets a signed request; the delivery log says so', async () => {
    const page = await fresh();
    await signIn(page, base, DEMO_EMAIL, DEMO_PASSWORD);
    await page.goto(`${base}/o/${org}/settings/notifications`);
    const add = page.getByTestId('new-channel');
    await add.getByLabel('Kind').selectOption('webhook');
    await add.getByLabel('Name').fill('On-call hook');
    await add.getByLabel('URL').fill(receiver.url);
    await add.getByRole('button', { name: 'Add channel' }).click();
    const secret = (
      await page.getByTestId('webhook-secret').locator('pre code').innerText()
    ).trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    const channel = page.getByTestId('alert-channels').locator('li', { hasText: 'On-call hook' });
    await channel.getByRole('button', { name: 'Send test' }).click();
    await page.getByTestId('channel-note').waitFor();

    const hook = await until('the webhook request', () => hooks[0]);
    expect(hook.headers['content-type']).toMatch(/application\/json/);
    expect(hook.headers['webhook-signature']).toBe(expectedSignature(secret, hook));
    const age = Math.abs(Date.now() / 1000 - Number(hook.headers['webhook-timestamp']));
    expect(age).toBeLessThan(300);
    const payload = JSON.parse(hook.body) as { type?: string };
    expect(payload.type).toMatch(/test/);
    // The secret itself never travels.
    expect(JSON.stringify(hook)).not.toContain(secret.replace(/^whsec_/, ''));

    // The delivery log shows it delivered, in words.
    const log = page.getByTestId('alert-deliveries');
    for (let i = 0; i < 50; i++) {
      await page.getByRole('button', { name: 'Refresh' }).click();
      if (/delivered \(HTTP 200\)/.test((await log.innerText().catch(() => '')) ?? '')) break;
      await sleep(300);
    }
    await expect(log.innerText()).resolves.toMatch(
      /test → On-call hook: delivered \(HTTP 200\), 1 attempt/,
    );
    evidence.webhookDelivery = {
      url: receiver.url,
      headers: {
        'webhook-id': hook.headers['webhook-id'],
        'webhook-timestamp': hook.headers['webhook-timestamp'],
        'webhook-signature': hook.headers['webhook-signature'],
      },
      signatureVerified: true,
      body: payload,
      deliveryLog: (await log.innerText()).split('\n')[0],
    };
  });

  it('a forgotten password: the mail arrives over SMTP, its link sets a new password, and the old one stops working', async () => {
    const page = await fresh();
    await page.goto(`${base}/forgot-password`);
    await page.getByLabel('Email').fill(DEMO_EMAIL);
    await page.getByRole('button', { name: 'Mail me a link' }).click();
    const mail = await until('the reset mail', () => inbox.find((m) => m.to.includes(DEMO_EMAIL)));
    expect(mail.subject).toMatch(/password/i);
    const link = /(https?:\/\/\S+\/reset-password#token=[A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
    expect(link?.startsWith(`${base}/reset-password#token=`)).toBe(true);

    await page.goto(link!);
    const fresh1 = 'a new demo passphrase 2026';
    await page.getByLabel('New password', { exact: true }).fill(fresh1);
    await page.getByLabel('New password, again').fill(fresh1);
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await expect(page.getByTestId('password-reset-done').innerText()).resolves.toMatch(
      /every session of the account was signed out/,
    );

    const after = await fresh();
    await signIn(after, base, DEMO_EMAIL, fresh1);
    const res = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO_EMAIL, password: DEMO_PASSWORD }),
    });
    expect(res.status).toBe(401);
    evidence.email = {
      smtpServer: `127.0.0.1:${smtp.port}`,
      to: mail.to,
      subject: mail.subject,
      linkPath: new URL(link!).pathname,
      tokenLength: new URL(link!).hash.length - '#token='.length,
    };
  });

  it('had no page errors in any browser tab', () => {
    expect(opened.flatMap((o) => o.errors)).toEqual([]);
  });
});
