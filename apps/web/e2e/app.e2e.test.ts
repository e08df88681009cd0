/**
 * End-to-end: the built web app against a real API, PostgreSQL, Redis and worker, with the demo
 * organisation and its clusters scanned and analysed through the real pipeline; driven in real
 * headless Chromium like a person would. Expects the apps built (turbo builds them first).
 */
import {
  auditEventSchema,
  clusterSchema,
  evidenceUploadRecordSchema,
  inviteSchema,
  listResponseSchema,
  memberSchema,
  meResponseSchema,
  minimalSnapshot,
  organizationResponseSchema,
  scannerTokenSchema,
  scansPageResponseSchema,
} from '@plumbline/contracts';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, seriousA11yViolations, signIn, type OpenedPage } from './browser';
import { apiLogin, DEMO_EMAIL, DEMO_PASSWORD, startStack, type Stack } from './stack';

const CLUSTERS = ['ai-platform', 'legacy-dev', 'shop-prod-eu', 'vm-migration'];

describe('Plumbline in a real browser, against the real stack with the demo data', () => {
  let stack: Stack;
  let browser: Browser;
  let base: string;
  let org: string;
  const opened: OpenedPage[] = [];

  beforeAll(async () => {
    stack = await startStack({ label: 'web_app_e2e', demoData: true });
    browser = await launchBrowser();
    base = stack.baseUrl;
    org = stack.organizationId;
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function fresh(): Promise<Page> {
    const o = await openPage(browser);
    opened.push(o);
    return o.page;
  }

  async function asDemo(): Promise<Page> {
    const page = await fresh();
    await signIn(page, base, DEMO_EMAIL, DEMO_PASSWORD);
    return page;
  }

  async function expectAccessible(page: Page, screen: string): Promise<void> {
    const violations = await seriousA11yViolations(page);
    expect({ screen, violations }).toEqual({ screen, violations: [] });
  }

  async function signUpInBrowser(
    page: Page,
    who: { name: string; email: string; orgName: string },
  ) {
    await page.goto(`${base}/signup`);
    await page.getByLabel('Your name').fill(who.name);
    await page.getByLabel('Work email').fill(who.email);
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByLabel('Organisation name').fill(who.orgName);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('empty-overview').waitFor();
  }

  it('signs in as the seeded demo user and drills from the overview into a cluster', async () => {
    const page = await asDemo();
    expect(new URL(page.url()).pathname).toBe(`/o/${org}/overview`);
    await expect(page.getByTestId('signed-in-user').innerText()).resolves.toContain('Demo User');
    await expect(page.getByTestId('current-org').innerText()).resolves.toBe('Demo Org');
    await expect(page.getByTestId('coming-next').innerText()).resolves.toContain(
      '4 clusters scanned so far',
    );
    await expectAccessible(page, 'overview');

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Clusters' })
      .click();
    const table = page.getByTestId('clusters-table');
    await table.waitFor();
    const names = await table.locator('tbody th').allInnerTexts();
    expect(names).toEqual(CLUSTERS);
    await expectAccessible(page, 'clusters');

    await table.getByRole('link', { name: 'shop-prod-eu' }).click();
    await page.getByRole('heading', { level: 1, name: 'shop-prod-eu' }).waitFor();
    const scans = page.getByTestId('scan-history').locator('tbody tr');
    await expect(scans.count()).resolves.toBe(3);
    expect(await scans.allInnerTexts()).toEqual(Array(3).fill(expect.stringContaining('Analysed')));
    await expectAccessible(page, 'cluster detail');

    // A deep link survives a reload (the API serves the app for client routes).
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'shop-prod-eu' }).waitFor();
  });

  it('creates a scanner token, shows it once with the install command, and the token uploads', async () => {
    const page = await asDemo();
    await page.goto(`${base}/o/${org}/settings/tokens`);
    await page.getByLabel('Token name').fill('e2e scanner');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = (await page.getByTestId('created-token-value').innerText()).trim();
    expect(token).toMatch(/^plb_\S{20,}$/);
    const helm = await page.getByTestId('install-helm').innerText();
    expect(helm).toContain(`--from-literal=token=${token}`);
    expect(helm).toContain(`--set apiUrl=${base}/v1/snapshots`);
    expect(helm).toContain('--set clusterName=e2e-scanner');
    expect(await page.getByTestId('install-cli').innerText()).toContain(`--upload ${base}`);
    await expectAccessible(page, 'scanner token created');

    // The token shown is real: the scanner's upload endpoint accepts it.
    const upload = await fetch(`${base}/v1/snapshots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(minimalSnapshot('e2e-token-check')),
    });
    expect(upload.status).toBe(202);

    await page.getByRole('button', { name: 'I have copied the token' }).click();
    const row = page.getByTestId('token-row-e2e scanner');
    await row.waitFor();
    expect(await page.content()).not.toContain(token);
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(token);
    expect(await row.innerText()).toContain(token.slice(0, 8));

    await row.getByRole('button', { name: 'Revoke e2e scanner' }).click();
    await row.getByRole('button', { name: 'Confirm revoke e2e scanner' }).click();
    await row.getByText('revoked').waitFor();
    const refused = await fetch(`${base}/v1/snapshots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(minimalSnapshot('e2e-token-revoked')),
    });
    expect(refused.status).toBe(401);
  });

  it('signs up a new user, who sees the empty state with the install steps', async () => {
    const page = await fresh();
    await signUpInBrowser(page, {
      name: 'Grace',
      email: 'grace@example.com',
      orgName: 'Grace Labs',
    });
    const empty = await page.getByTestId('empty-overview').innerText();
    expect(empty).toContain('No clusters yet: install the scanner like this.');
    expect(empty).toContain('--set apiUrl=');
    await expect(page.getByTestId('current-org').innerText()).resolves.toBe('Grace Labs');
    await expectAccessible(page, 'empty overview');
    await page.getByRole('link', { name: 'Create a scanner token' }).click();
    await page.getByRole('button', { name: 'Create token' }).waitFor();
    await expect(page.getByText('No scanner tokens yet.').isVisible()).resolves.toBe(true);
  });

  it('invites people: an existing user joins and switches organisation, a new one creates an account', async () => {
    const demo = await asDemo();
    const existing = await fresh();
    await signUpInBrowser(existing, {
      name: 'Hopper',
      email: 'hopper@example.com',
      orgName: 'Hopper Co',
    });

    const invite = async (email: string, role: string): Promise<string> => {
      await demo.goto(`${base}/o/${org}/settings/invites`);
      await demo.getByLabel('Email').fill(email);
      await demo.getByLabel('Role').selectOption({ label: role });
      await demo.getByRole('button', { name: 'Create invite link' }).click();
      return (await demo.getByTestId('invite-link').innerText()).trim();
    };

    const link = await invite('hopper@example.com', 'Viewer');
    expect(link).toMatch(new RegExp(`^${base}/invite#\\S+$`));
    await expectAccessible(demo, 'invites');
    await existing.goto(link);
    await existing.getByRole('button', { name: 'Accept invitation' }).click();
    await existing.waitForURL(`${base}/o/${org}/overview`);
    const switcher = existing.getByLabel('Organisation');
    expect((await switcher.locator('option').allInnerTexts()).sort()).toEqual([
      'Demo Org (viewer)',
      'Hopper Co (owner)',
    ]);
    await existing.goto(`${base}/o/${org}/settings/members`);
    await existing.getByTestId('members-table').waitFor();
    await switcher.selectOption({ label: 'Hopper Co (owner)' });
    await existing.waitForURL(/\/o\/[^/]+\/settings\/members$/);
    expect(existing.url()).not.toContain(org);
    await existing.getByRole('cell', { name: 'hopper@example.com' }).waitFor();

    const newcomerLink = await invite('lin@example.com', 'Member');
    const newcomer = await fresh();
    await newcomer.goto(newcomerLink);
    await expectAccessible(newcomer, 'invite acceptance');
    await newcomer.getByLabel('Your name').fill('Lin');
    await newcomer.getByLabel('Choose a password').fill('a long enough password');
    await newcomer.getByRole('button', { name: 'Create account and join' }).click();
    await newcomer.waitForURL(`${base}/o/${org}/overview`);
    await expect(newcomer.getByTestId('signed-in-user').innerText()).resolves.toContain('Lin');

    // The demo owner sees both, promotes the viewer, and the audit log records it.
    await demo.goto(`${base}/o/${org}/settings/members`);
    await demo.getByLabel('Role of Hopper').selectOption({ label: 'Member' });
    await demo.getByRole('button', { name: 'Change role of Hopper' }).click();
    await demo.getByText('Now member.').waitFor();
    await demo.goto(`${base}/o/${org}/settings/audit`);
    const audit = await demo.getByTestId('audit-table').innerText();
    expect(audit).toContain('Changed a role');
    expect(audit).toContain('viewer → member');
    expect(audit).toContain('Joined by invite');
  });

  it('uploads evidence through the file picker and lists it', async () => {
    const page = await asDemo();
    await page.goto(`${base}/o/${org}/settings/evidence`);
    await page.getByTestId('evidence-table').getByText('vm-inventory.csv').waitFor();
    await page.getByLabel('File').setInputFiles({
      name: 'more-vms.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'vm,ip,vlan,firewall_rules,dns_records,dhcp_reservation,lb_backends,hardcoded_config_refs,compliance_docs,owning_teams\n' +
          'erp-01,10.50.0.4,150,FW-9,erp.corp,no,,,,finance\n',
      ),
    });
    await page.getByLabel('Kind').selectOption({ label: 'VM inventory (CSV)' });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect(page.getByTestId('evidence-uploaded').innerText()).resolves.toContain(
      'Uploaded more-vms.csv as VM inventory (CSV).',
    );
    const row = page.getByTestId('evidence-table').getByRole('row', { name: /more-vms\.csv/ });
    await expect(row.innerText()).resolves.toContain('1 VM');

    await page.getByLabel('File').setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"not":"evidence"}'),
    });
    await page.getByLabel('Kind').selectOption({ label: 'MCP client configuration (JSON)' });
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toContain(
      'Evidence does not match its contract.',
    );
  });

  it('shows agentless clusters, or says in words that the server does not offer them yet', async () => {
    const page = await asDemo();
    await page.goto(`${base}/o/${org}/settings/agentless`);
    const session = await apiLogin(base, DEMO_EMAIL, DEMO_PASSWORD);
    const answer = await session.send('GET', `/v1/orgs/${org}/cluster-connections`);
    if (answer.status === 404) {
      await expect(page.getByRole('alert').innerText()).resolves.toContain(
        'Agentless scanning is not available on this Plumbline server yet.',
      );
    } else {
      expect(answer.status).toBe(200);
      await page.getByRole('button', { name: 'Connect cluster' }).waitFor();
    }
    await expectAccessible(page, 'agentless clusters');
  });

  it('has no serious or critical accessibility violations on any screen', async () => {
    const visitor = await fresh();
    for (const [path, heading] of [
      ['/signin', 'Sign in'],
      ['/signup', 'Create an account'],
      ['/status', 'System status'],
      ['/invite#not-a-real-token-0123', 'Accept your invitation'],
      ['/no/such/page', 'Page not found'],
    ] as const) {
      await visitor.goto(`${base}${path}`);
      await visitor.getByRole('heading', { level: 1, name: heading }).waitFor();
      await expectAccessible(visitor, path);
    }
    const page = await asDemo();
    const screens: [string, string, string?][] = [
      [`/o/${org}/agents`, 'AI agents'],
      [`/o/${org}/tax`, 'Integration tax'],
      [`/o/${org}/reports`, 'Reports'],
      [`/o/${org}/settings/members`, 'Settings', 'members-table'],
      [`/o/${org}/settings/invites`, 'Settings'],
      [`/o/${org}/settings/tokens`, 'Settings', 'tokens-table'],
      [`/o/${org}/settings/audit`, 'Settings', 'audit-table'],
      [`/o/${org}/settings/evidence`, 'Settings', 'evidence-table'],
    ];
    for (const [path, heading, ready] of screens) {
      await page.goto(`${base}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      if (ready) await page.getByTestId(ready).waitFor();
      await expectAccessible(page, path);
    }
  });

  it('every link on the signed-in screens leads to a page (no dead ends)', async () => {
    const page = await asDemo();
    const start = `/o/${org}/overview`;
    const queue = [start];
    const seen = new Set(queue);
    const visited: string[] = [];
    while (queue.length && visited.length < 60) {
      const path = queue.shift()!;
      await page.goto(`${base}${path}`);
      await page.locator('h1').first().waitFor();
      await page.locator('[role=status].state--loading').first().waitFor({ state: 'detached' });
      visited.push(path);
      expect({ path, notFound: await page.getByTestId('not-found').count() }).toEqual({
        path,
        notFound: 0,
      });
      expect({ path, errors: await page.locator('.state--error').allInnerTexts() }).toEqual(
        path.endsWith('/settings/agentless')
          ? { path, errors: expect.any(Array) }
          : { path, errors: [] },
      );
      for (const href of await page
        .locator('a[href]')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''))) {
        const url = new URL(href, `${base}${path}`);
        if (url.origin !== base || url.pathname === '/status' || href.startsWith('#')) continue;
        const target = url.pathname;
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    expect(visited).toEqual(
      expect.arrayContaining([
        `/o/${org}/clusters`,
        `/o/${org}/agents`,
        `/o/${org}/tax`,
        `/o/${org}/reports`,
        `/o/${org}/settings/members`,
        `/o/${org}/settings/agentless`,
      ]),
    );
    expect(visited.filter((p) => /\/clusters\/[^/]+$/.test(p)).length).toBeGreaterThanOrEqual(4);
  });

  it('gets answers from the API in the shapes of the shared contracts', async () => {
    const s = await apiLogin(base, DEMO_EMAIL, DEMO_PASSWORD);
    const o = `/v1/orgs/${org}`;
    meResponseSchema.parse(await s.get('/v1/me'));
    organizationResponseSchema.parse(await s.get(o));
    listResponseSchema(memberSchema).parse(await s.get(`${o}/members`));
    listResponseSchema(inviteSchema).parse(await s.get(`${o}/invites`));
    listResponseSchema(scannerTokenSchema).parse(await s.get(`${o}/scanner-tokens`));
    listResponseSchema(auditEventSchema).parse(await s.get(`${o}/audit`));
    listResponseSchema(evidenceUploadRecordSchema).parse(await s.get(`${o}/evidence`));
    const clusters = listResponseSchema(clusterSchema).parse(await s.get(`${o}/clusters`));
    expect(clusters.items.map((c) => c.name)).toEqual(expect.arrayContaining(CLUSTERS));
    const page = scansPageResponseSchema.parse(
      await s.get(`${o}/clusters/${clusters.items[0]!.id}/scans`),
    );
    expect(page.items.length).toBeGreaterThan(0);
    // The schemas are not vacuous: a wrong shape is refused.
    expect(() => listResponseSchema(memberSchema).parse({ items: [{ userId: 'x' }] })).toThrow();
  });

  it('had no page errors in any browser tab', () => {
    expect(opened.flatMap((o) => o.errors)).toEqual([]);
  });
});
