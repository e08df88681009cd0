/**
 * End-to-end: the built web app against a real API, PostgreSQL, Redis and worker, with the demo
 * organisation and its clusters scanned and analysed through the real pipeline; driven in real
 * headless Chromium like a person would. Expects the apps built (turbo builds them first).
 */
import {
  actionsResponseSchema,
  AGENTS_PAGE_SIZE,
  agentsPageSchema,
  agentsResponseSchema,
  auditEventSchema,
  clusterConnectionSchema,
  clusterDetailSchema,
  clusterSchema,
  costResponseSchema,
  historyPageSchema,
  evidenceUploadRecordSchema,
  inviteSchema,
  listResponseSchema,
  memberSchema,
  meResponseSchema,
  minimalSnapshot,
  organizationResponseSchema,
  overviewSchema,
  scanDiffSchema,
  scannerTokenSchema,
  scansPageResponseSchema,
  selfAssessmentResponseSchema,
} from '@plumbline/contracts';
import { createCertificate, startKubeSim } from '@plumbline/kube-sim';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, openPage, seriousA11yViolations, signIn, type OpenedPage } from './browser';
import { apiLogin, DEMO_EMAIL, DEMO_PASSWORD, startStack, type Stack } from './stack';

const CLUSTERS = ['ai-platform', 'legacy-dev', 'shop-prod-eu', 'vm-migration'];

/** Wait until no part of the page is still loading. */
async function settled(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('.state--loading'));
}

/** The vertices of a radar's drawn polygon (its SVG path), and its axis labels. */
async function radarShape(radar: Locator): Promise<{ vertices: number; axes: number }> {
  const d = await radar.locator('.recharts-radar-polygon path').first().getAttribute('d');
  // "M x,y L x,y ... Z": one point per command; Recharts closes the shape by repeating the first.
  const points = (d ?? '')
    .split(/[MLZ]/i)
    .map((p) => p.trim())
    .filter(Boolean);
  if (points.length > 1 && points.at(-1) === points[0]) points.pop();
  const vertices = points.length;
  const axes = await radar.locator('.recharts-polar-angle-axis-tick').count();
  return { vertices, axes };
}

describe('Plumbline in a real browser, against the real stack with the demo data', () => {
  let stack: Stack;
  let browser: Browser;
  let base: string;
  let org: string;
  const opened: OpenedPage[] = [];

  beforeAll(async () => {
    stack = await startStack({
      label: 'web_app_e2e',
      demoData: true,
      // The Kubernetes API simulator of the agentless test listens on this machine.
      agentlessAllowedCidrs: '127.0.0.1/32',
    });
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

  it('signs in as the seeded demo user and sees both radars, the tax, the fleet and top actions', async () => {
    const page = await asDemo();
    expect(new URL(page.url()).pathname).toBe(`/o/${org}/overview`);
    await expect(page.getByTestId('signed-in-user').innerText()).resolves.toContain('Demo User');
    await expect(page.getByTestId('current-org').innerText()).resolves.toBe('Demo Org');
    await settled(page);
    // Both radars are drawn: a polygon over six axes, and one over five.
    const maturity = page.getByTestId('maturity-radar');
    const accountability = page.getByTestId('accountability-radar');
    // (attached, not visible: a radar whose pillars are all at level 0 is a point)
    await maturity.locator('.recharts-radar-polygon path').waitFor({ state: 'attached' });
    await accountability.locator('.recharts-radar-polygon path').waitFor({ state: 'attached' });
    await expect(radarShape(maturity)).resolves.toEqual({ vertices: 6, axes: 6 });
    await expect(radarShape(accountability)).resolves.toEqual({ vertices: 5, axes: 5 });
    await expect(page.getByTestId('maturity-radar-lowest').innerText()).resolves.toMatch(
      /^Lowest pillars?: .+ \(level \d\)\.$/,
    );
    await expect(page.getByTestId('accountability-radar-lowest').innerText()).resolves.toMatch(
      /^Lowest pillars?: .+ \(level \d\)\.$/,
    );
    await expect(page.getByTestId('tax-hides').innerText()).resolves.toMatch(
      /^Where it hides: \d+% of it is .+\. It comes from \d+ tools and \d+ seams between them\.$/,
    );
    const fleet = await page.locator('.fleet-table tbody th a').allInnerTexts();
    expect(fleet.sort()).toEqual(CLUSTERS);
    // Top actions are a ranked table (effect and severity columns): one body row each.
    await expect(page.getByTestId('top-actions').locator('tbody tr').count()).resolves.toBe(5);
    await expectAccessible(page, 'overview');
  });

  it('drills from the overview into a cluster, an evidence item and a diff between scans', async () => {
    const page = await asDemo();
    await settled(page);
    // A top action names the clusters it was seen in: each links to that finding's evidence.
    const action = page
      .getByTestId('top-actions')
      .locator('a[href*="/findings/maturity%2F"]')
      .first();
    const findingTitle = (
      await action.locator('xpath=ancestor::tr[1]').locator('.action__title').innerText()
    ).trim();
    await action.click();
    await page.getByRole('heading', { level: 1, name: findingTitle }).waitFor();
    await settled(page);
    const view = page.getByTestId('evidence-view');
    await expect(view.innerText()).resolves.toContain('What was found');
    await expect(page.getByTestId('what-if').innerText()).resolves.toMatch(/^Fixing this alone /);
    await expectAccessible(page, 'finding evidence');
    // The top actions may all be caps (they hold a level down first), which have no criterion
    // page: a criterion is reached from the cluster page, where each one links to its evidence.
    const criterionLink = page.getByRole('link', { name: 'The criterion and its evidence' });
    if (!(await criterionLink.count())) {
      await page.goto(page.url().replace(/\/findings\/.*$/, ''));
      await settled(page);
      // (inside a pillar's closed section: followed by its address)
      const href = await page.locator('a[href*="/criteria/"]').first().getAttribute('href');
      expect(href).toMatch(/\/criteria\/[^/]+$/);
      await page.goto(new URL(href!, page.url()).toString());
    } else await criterionLink.click();
    await page.waitForURL(/\/criteria\/[^/]+$/);
    await settled(page);
    await expect(page.getByTestId('evidence-view').innerText()).resolves.toMatch(
      /(Met|Not met|Unknown)\s+a level \d criterion of /,
    );
    await expect(page.getByTestId('evidence-reason').innerText()).resolves.toMatch(/^Why: \S/);
    await expectAccessible(page, 'criterion evidence');
    // The deep link survives a reload (the API serves the app for client routes).
    await page.reload();
    await settled(page);
    await page.getByTestId('evidence-view').waitFor();

    // The breadcrumb leads to the pillar's section of the cluster page, opened.
    const pillar = page.locator('.breadcrumb a').nth(2);
    const pillarName = (await pillar.innerText()).trim();
    await pillar.click();
    await page.waitForURL(/\/clusters\/[^/#]+#pillar-/);
    await settled(page);
    const section = page.locator(`details.pillar[id="${new URL(page.url()).hash.slice(1)}"]`);
    await expect(section.getAttribute('open')).resolves.not.toBeNull();
    await expect(section.locator('summary').innerText()).resolves.toContain(pillarName);
    await expect(
      page.getByTestId('stack-table').locator('tbody tr').count(),
    ).resolves.toBeGreaterThan(0);
    await expect(
      page.getByTestId('np-namespaces').locator('tbody tr').count(),
    ).resolves.toBeGreaterThan(0);
    await expect(
      page.getByTestId('findings-table').locator('tbody tr').count(),
    ).resolves.toBeGreaterThan(0);
    await expectAccessible(page, 'cluster detail');

    // History: three analysed scans; comparing the oldest with the newest asks for that diff.
    const scans = page.getByTestId('scan-history').locator('tbody tr');
    await expect(scans.count()).resolves.toBe(3);
    expect(await scans.allInnerTexts()).toEqual(Array(3).fill(expect.stringContaining('Analysed')));
    await page.getByTestId('diff-summary').waitFor();
    const from = page.getByLabel('Compare from');
    const options = await from
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toHaveLength(2);
    const diffAnswer = page.waitForResponse(
      (r) => r.url().includes('/diff?') && r.url().includes(`from=${options[1]}`),
    );
    await from.selectOption(options[1]!);
    expect((await diffAnswer).status()).toBe(200);
    await page.waitForURL(new RegExp(`from=${options[1]}`));
    await expect(page.getByTestId('diff-summary').innerText()).resolves.toMatch(
      /^\d+ new, \d+ regressed, \d+ fixed and \d+ unchanged findings\.$/,
    );

    // Exports download as files.
    const download = page.waitForEvent('download');
    await page.getByTestId('exports').getByRole('link', { name: /^CSV/ }).click();
    expect((await download).suggestedFilename()).toMatch(/^plumbline-.+-findings\.csv$/);
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
    // A new address is unconfirmed: a notice (not a block) offers to send the link again.
    await expect(page.getByTestId('verify-email-notice').innerText()).resolves.toContain(
      'Please confirm your email address',
    );
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
    await page
      .getByTestId('evidence-table')
      .getByRole('rowheader', { name: 'vm-inventory.csv' })
      .waitFor();
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

  it('edits a cost assumption and sees the integration tax recomputed', async () => {
    const page = await asDemo();
    await page.goto(`${base}/o/${org}/tax`);
    await settled(page);
    const total = page.getByTestId('tax-total');
    const before = (await total.innerText()).trim();
    const engineers = page.getByLabel('Platform engineers');
    const was = Number(await engineers.inputValue());
    await engineers.fill(String(was * 2));
    await page.getByRole('button', { name: 'Save and recompute' }).click();
    await expect(page.getByTestId('tax-recomputed').innerText()).resolves.toMatch(
      /^Saved\. The integration tax is now \$[\d,]+ a year, \$[\d,]+ more than before \(\$[\d,]+\)\.$/,
    );
    const after = (await total.innerText()).trim();
    expect(after).not.toBe(before);
    // The new value is the organisation's own, also after a reload, and everywhere.
    await page.reload();
    await settled(page);
    await expect(total.innerText()).resolves.toBe(after);
    await expect(page.getByTestId('assumption-engineers').innerText()).resolves.toContain(
      'your value',
    );
    await expectAccessible(page, 'integration tax');
    await page.goto(`${base}/o/${org}/overview`);
    await settled(page);
    await expect(page.getByTestId('overview-tax').innerText()).resolves.toBe(after);
    // Back to the default: the total is what it was.
    await page.goto(`${base}/o/${org}/tax`);
    await settled(page);
    await page.getByRole('button', { name: 'Use the default for Platform engineers' }).click();
    await page.getByRole('button', { name: 'Save and recompute' }).click();
    await expect(page.getByTestId('tax-recomputed').innerText()).resolves.toContain(
      'less than before',
    );
    await expect(total.innerText()).resolves.toBe(before);
    // A line's formula, inputs and sources.
    await page.getByTestId('tax-total').waitFor();
    await page.locator('.tax-bar').getByRole('link', { name: 'Glue work' }).click();
    await page.getByRole('heading', { level: 1, name: 'Glue work' }).waitFor();
    await expect(page.getByTestId('line-formula').innerText()).resolves.toContain('x');
    await expectAccessible(page, 'tax line');
  });

  it('shows the AI agents’ first page with the totals, and the next findings on request', async () => {
    const s = await apiLogin(base, DEMO_EMAIL, DEMO_PASSWORD);
    const page = await asDemo();
    const shown = (testId: string) =>
      page.getByTestId(testId).locator('p[role="status"]').first().innerText();
    // A roll-up stored between the first answer and the next page asks for a reload (the worker's
    // debounced roll-up after an earlier test's edit may land meanwhile): reload and again.
    for (let attempt = 1; ; attempt++) {
      await page.goto(`${base}/o/${org}/agents`);
      await settled(page);
      const first = agentsResponseSchema.parse(await s.get(`/v1/orgs/${org}/agents`));
      const { items, findings } = first.pages;
      expect(findings.total).toBeGreaterThan(AGENTS_PAGE_SIZE);
      await expect(shown('inventory-pages')).resolves.toBe(
        `Showing ${Math.min(items.total, AGENTS_PAGE_SIZE)} of ${items.total} items.`,
      );
      await expect(page.getByTestId('agents-inventory').locator('tbody tr').count()).resolves.toBe(
        Math.min(items.total, AGENTS_PAGE_SIZE),
      );
      await expect(shown('gaps-pages')).resolves.toBe(
        `Showing ${AGENTS_PAGE_SIZE} of ${findings.total} findings.`,
      );
      const gapsBefore = await page.getByTestId('agents-gaps').locator('tbody tr').count();
      await page
        .getByTestId('gaps-pages')
        .getByRole('button', { name: 'Show more findings' })
        .click();
      const more = Math.min(findings.total, 2 * AGENTS_PAGE_SIZE);
      const outcome = await Promise.race([
        page
          .getByTestId('gaps-pages')
          .getByText(`Showing ${more} of ${findings.total} findings.`)
          .waitFor()
          .then(() => 'more' as const),
        page
          .getByText('The figures were recomputed since this page was loaded.')
          .waitFor()
          .then(() => 'recomputed' as const),
      ]);
      if (outcome === 'recomputed' && attempt < 3) continue;
      expect(outcome).toBe('more');
      // The same gap in several clusters is one row: the rows grow by the new gaps only.
      await expect(
        page.getByTestId('agents-gaps').locator('tbody tr').count(),
      ).resolves.toBeGreaterThanOrEqual(gapsBefore);
      break;
    }
    await expectAccessible(page, 'AI agents with more findings loaded');
    // A pillar's principles and gaps, from the API's pages for that pillar.
    await page.getByTestId('agents-radar').getByRole('link', { name: 'Traceability' }).click();
    await page.getByRole('heading', { level: 1, name: 'Traceability' }).waitFor();
    await settled(page);
    const pillarGaps = agentsPageSchema.parse(
      await s.get(`/v1/orgs/${org}/agents/findings?pillar=traceability&limit=200`),
    );
    await expect(shown('pillar-gaps-pages')).resolves.toBe(
      `Showing ${Math.min(pillarGaps.total, AGENTS_PAGE_SIZE)} of ${pillarGaps.total} findings.`,
    );
  });

  it('answers the self-assessment in the wizard and sees claimed beside evidenced', async () => {
    const page = await asDemo();
    await page.goto(`${base}/o/${org}/agents`);
    await settled(page);
    await expect(
      page.getByTestId('agents-inventory').locator('tbody tr').count(),
    ).resolves.toBeGreaterThan(0);
    await expectAccessible(page, 'AI agents');
    await page.getByRole('button', { name: 'Answer the five questions' }).click();
    const wizard = page.getByTestId('self-assessment-wizard');
    for (let i = 1; i <= 5; i++) {
      await expect(wizard.locator('.wizard__progress').innerText()).resolves.toContain(
        `Question ${i} of 5`,
      );
      await wizard.getByRole('radio', { name: /^hours/ }).check();
      if (i === 1) await expectAccessible(page, 'self-assessment wizard');
      await wizard.getByRole('button', { name: i === 5 ? 'Finish and save' : 'Next' }).click();
    }
    const table = page.getByTestId('claimed-vs-evidenced');
    await table.waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(5);
    for (const r of rows) {
      expect(r).toContain('hours (level 2)');
      expect(r).toMatch(/level \d/);
      expect(r).toMatch(/the claim (exceeds|matches)|the evidence exceeds/);
    }
    await expect(page.getByTestId('self-assessment-status').innerText()).resolves.toMatch(
      /^Saved\. Answered /,
    );
    // Kept: a reload shows the same answers.
    await page.reload();
    await settled(page);
    expect(
      await page.getByTestId('claimed-vs-evidenced').locator('tbody tr').allInnerTexts(),
    ).toEqual(rows);
    // A pillar with its criteria and their evidence.
    await page.getByTestId('agents-radar').getByRole('link', { name: 'Traceability' }).click();
    await page.getByRole('heading', { level: 1, name: 'Traceability' }).waitFor();
    await settled(page);
    await expect(
      page.getByTestId('evidence-view').locator('.criterion').count(),
    ).resolves.toBeGreaterThan(0);
    await expectAccessible(page, 'accountability pillar');
  });

  it('registers an agentless cluster, scans it through the real endpoint, shows the outcome, and removes it', async () => {
    const token = `e2e-sa-token-${Date.now()}`;
    const sim = await startKubeSim({
      tls: await createCertificate(),
      token,
      scenario: { seed: 'web-e2e-agentless', pods: 30 },
    });
    try {
      const page = await asDemo();
      await page.goto(`${base}/o/${org}/settings/agentless`);
      await settled(page);
      await page.getByTestId('connections-empty').waitFor();
      await expectAccessible(page, 'agentless clusters');
      await page.getByLabel('Name').fill('edge-sim');
      await page.getByLabel('API server URL').fill(sim.url);
      await page.getByLabel('Read-only ServiceAccount token').fill(token);
      await page.getByLabel('Cluster CA certificate (optional)').fill(sim.caCert);
      await page.getByRole('button', { name: 'Connect cluster' }).click();
      const row = page.getByTestId('connection-row-edge-sim');
      await row.waitFor();
      await expect(row.innerText()).resolves.toMatch(/token sha256:[0-9a-f]{12} · own CA/);
      await expect(row.innerText()).resolves.toContain('never scanned');
      expect(await page.content()).not.toContain(token);

      await row.getByRole('button', { name: 'Scan now edge-sim' }).click();
      const status = page.getByTestId('connection-status-edge-sim');
      await status.getByText('Last scan succeeded').waitFor({ timeout: 120_000 });
      await expectAccessible(page, 'agentless cluster scanned');
      // The scan landed in a cluster with its analysis.
      await status.getByRole('link', { name: 'See the cluster' }).click();
      await page.waitForURL(/\/clusters\/[^/]+$/);
      await settled(page);
      await page.getByTestId('scan-history').waitFor();
      await page.getByTestId('stack-table').waitFor();

      await page.goto(`${base}/o/${org}/settings/agentless`);
      await row.getByRole('button', { name: 'Remove edge-sim' }).click();
      await row.getByRole('button', { name: 'Confirm remove edge-sim' }).click();
      await page.getByTestId('connections-empty').waitFor();
      // The simulator was asked with the token: the connection really scanned it.
      expect(sim.requests.some((r) => r.path === '/version')).toBe(true);
    } finally {
      await sim.close();
    }
  }, 240_000);

  it('has no serious or critical accessibility violations on any screen', async () => {
    const visitor = await fresh();
    for (const [path, heading] of [
      ['/signin', 'Sign in'],
      ['/signup', 'Create an account'],
      ['/status', 'System status'],
      ['/invite#not-a-real-token-0123', 'Accept your invitation'],
      ['/forgot-password', 'Reset your password'],
      ['/reset-password#token=not-a-real-token-0123', 'Choose a new password'],
      ['/verify-email#token=not-a-real-token-0123', 'Confirm your email address'],
      ['/no/such/page', 'Page not found'],
    ] as const) {
      await visitor.goto(`${base}${path}`);
      await visitor.getByRole('heading', { level: 1, name: heading }).waitFor();
      await expectAccessible(visitor, path);
    }
    const page = await asDemo();
    const overview = await apiLogin(base, DEMO_EMAIL, DEMO_PASSWORD).then((s) =>
      s.get<{ clusters: { id: string; name: string }[] }>(`/v1/orgs/${org}/overview`),
    );
    const shop = overview.clusters.find((c) => c.name === 'shop-prod-eu')!;
    const screens: [string, string | RegExp][] = [
      [`/o/${org}/overview`, 'Overview'],
      [`/o/${org}/overview/pillars/observability`, 'Observability & troubleshooting'],
      [`/o/${org}/clusters`, 'Clusters'],
      [`/o/${org}/clusters/${shop.id}`, /shop-prod-eu/],
      [`/o/${org}/clusters/${shop.id}/criteria/resilience.pdb`, /PodDisruptionBudgets/],
      [`/o/${org}/agents`, 'AI agents'],
      [`/o/${org}/agents/pillars/human-oversight`, 'Human oversight'],
      [`/o/${org}/tax`, 'Integration tax'],
      [`/o/${org}/tax/lines/mttr`, 'Extended MTTR'],
      [`/o/${org}/reports`, 'Reports'],
      [`/o/${org}/settings/members`, 'Settings'],
      [`/o/${org}/settings/invites`, 'Settings'],
      [`/o/${org}/settings/tokens`, 'Settings'],
      [`/o/${org}/settings/audit`, 'Settings'],
      [`/o/${org}/settings/evidence`, 'Settings'],
      [`/o/${org}/settings/agentless`, 'Settings'],
    ];
    for (const [path, heading] of screens) {
      await page.goto(`${base}${path}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await settled(page);
      expect({ path, errors: await page.locator('.state--error').count() }).toEqual({
        path,
        errors: 0,
      });
      // Laid out for a 1280 px laptop: nothing wider than the window (wide tables scroll inside).
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect({ path, overflow }).toEqual({ path, overflow: 0 });
      await expectAccessible(page, path);
    }
  });

  /** Visit `path`: it must be a page (not "not found", no error in words), and `#id` must exist. */
  async function visit(page: Page, path: string): Promise<string[]> {
    await page.goto(`${base}${path}`);
    await settled(page);
    const url = new URL(path, base);
    expect({ path, notFound: await page.getByTestId('not-found').count() }).toEqual({
      path,
      notFound: 0,
    });
    expect({ path, errors: await page.locator('.state--error').allInnerTexts() }).toEqual({
      path,
      errors: [],
    });
    if (url.hash.length > 1) {
      const id = decodeURIComponent(url.hash.slice(1));
      expect({ path, target: await page.locator(`[id="${id}"]`).count() }).toEqual({
        path,
        target: 1,
      });
    }
    const hrefs = await page
      .locator('main a[href], nav a[href]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    return hrefs
      .filter((h) => !h.startsWith('#') && !h.startsWith('/v1/'))
      .map((h) => new URL(h, url))
      .filter((u) => u.origin === base && u.pathname !== '/status')
      .map((u) => u.pathname + u.search + u.hash);
  }

  it('follows every evidence link from the overview to its evidence, without an error page', async () => {
    const page = await asDemo();
    const links = [...new Set(await visit(page, `/o/${org}/overview`))];
    const evidence = links.filter(
      (l) => !/^\/o\/[^/]+\/(overview|clusters|agents|tax|reports|settings(\/members)?)$/.test(l),
    );
    // Radars (6 + 5 pillars), tax components, fleet cells, top actions' findings.
    expect(evidence.filter((l) => l.includes('/overview/pillars/'))).toHaveLength(6);
    expect(evidence.filter((l) => l.includes('/agents/pillars/'))).toHaveLength(5);
    expect(evidence.filter((l) => l.includes('/tax/lines/')).length).toBeGreaterThanOrEqual(5);
    expect(evidence.filter((l) => l.includes('#pillar-')).length).toBeGreaterThanOrEqual(4);
    expect(evidence.filter((l) => l.includes('#network-policy')).length).toBeGreaterThanOrEqual(4);
    expect(evidence.filter((l) => l.includes('/findings/')).length).toBeGreaterThanOrEqual(5);
    for (const link of links) await visit(page, link);
  });

  it('every link on the signed-in screens leads to a page (no dead ends)', async () => {
    const page = await asDemo();
    // Every screen first, then breadth first: every cluster and a good sample of evidence pages.
    const queue = [
      ...['overview', 'clusters', 'agents', 'tax', 'reports'].map((p) => `/o/${org}/${p}`),
      ...['members', 'invites', 'tokens', 'audit', 'evidence', 'agentless'].map(
        (t) => `/o/${org}/settings/${t}`,
      ),
    ];
    const seen = new Set(queue);
    const visited: string[] = [];
    while (queue.length && visited.length < 100) {
      const path = queue.shift()!;
      visited.push(path);
      for (const link of await visit(page, path)) {
        const key = link.split('#')[0]!;
        if (!seen.has(key)) {
          seen.add(key);
          queue.push(link);
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
    expect(visited.filter((p) => /\/clusters\/[^/#]+$/.test(p)).length).toBeGreaterThanOrEqual(4);
    expect(visited.filter((p) => /\/(criteria|findings)\//.test(p)).length).toBeGreaterThan(10);
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
    const overview = overviewSchema.parse(await s.get(`${o}/overview`));
    const c = overview.clusters[0]!;
    clusterDetailSchema.parse(await s.get(`${o}/clusters/${c.id}`));
    historyPageSchema.parse(await s.get(`${o}/clusters/${c.id}/history`));
    scanDiffSchema.parse(await s.get(`${o}/clusters/${c.id}/diff`));
    // Every list's pages, walked with the cursor: the totals of the first answer, each entry
    // once. A roll-up landing in between (a later computedAt) is read again, as a client would.
    for (let attempt = 1; ; attempt++) {
      const agents = agentsResponseSchema.parse(await s.get(`${o}/agents`));
      const walked: Record<string, unknown[]> = {};
      let moved = false;
      for (const list of ['items', 'findings', 'principles'] as const) {
        const seen: unknown[] = (walked[list] = []);
        let cursor: string | null = null;
        do {
          const next: string = cursor === null ? '' : `&cursor=${cursor}`;
          const p = agentsPageSchema.parse(await s.get(`${o}/agents/${list}?limit=20${next}`));
          expect(p.list).toBe(list);
          moved ||= p.computedAt !== agents.computedAt;
          seen.push(...p.items);
          cursor = p.nextCursor;
        } while (cursor !== null && !moved);
      }
      if (moved && attempt < 5) continue;
      expect(moved).toBe(false);
      for (const list of ['items', 'findings', 'principles'] as const) {
        expect([list, walked[list]!.length]).toEqual([list, agents.pages[list].total]);
        expect(walked[list]!.slice(0, agents[list].length)).toEqual(agents[list]);
      }
      break;
    }
    actionsResponseSchema.parse(await s.get(`${o}/actions`));
    selfAssessmentResponseSchema.parse(await s.get(`${o}/self-assessment`));
    costResponseSchema.parse(await s.get(`${o}/cost`));
    listResponseSchema(clusterConnectionSchema).parse(await s.get(`${o}/cluster-connections`));
    // The schemas are not vacuous: a wrong shape is refused.
    expect(() => listResponseSchema(memberSchema).parse({ items: [{ userId: 'x' }] })).toThrow();
  });

  it('had no page errors in any browser tab', () => {
    expect(opened.flatMap((o) => o.errors)).toEqual([]);
  });
});
