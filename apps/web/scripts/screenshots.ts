/**
 * `npm run screenshots`: regenerate docs/screenshots/*.png, one per main screen, from a real
 * stack (fresh PostgreSQL database, Redis, API + web, worker) with the demo data scanned and
 * analysed, in headless Chromium at a 1280 x 800 laptop size. Needs what the e2e tests need:
 * local PostgreSQL and Redis, /usr/bin/chromium, and the apps built (the npm script builds them).
 */
import { createCertificate, startKubeSim } from '@plumbline/kube-sim';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, openPage, signIn } from '../e2e/browser';
import { apiLogin, DEMO_EMAIL, DEMO_PASSWORD, ROOT, startStack } from '../e2e/stack';

const OUT = path.join(ROOT, 'docs/screenshots');

async function shoot(page: Page, name: string, ready: () => Promise<unknown>): Promise<void> {
  await ready();
  await page.waitForFunction(() => !document.querySelector('.state--loading'));
  // Let fonts and charts settle before the picture.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(150);
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  process.stdout.write(`  ${path.relative(ROOT, file)}\n`);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  process.stdout.write('starting database, API, worker and demo data (this takes a minute)...\n');
  const stack = await startStack({
    label: 'screenshots',
    demoData: true,
    agentlessAllowedCidrs: '127.0.0.1/32',
  });
  const browser = await launchBrowser();
  // A Kubernetes API simulator, so the agentless tab shows a real connection and its scan.
  const simToken = 'screenshots-sa-token-0123456789';
  const sim = await startKubeSim({
    tls: await createCertificate(),
    token: simToken,
    scenario: { seed: 'screenshots-agentless', pods: 30 },
  });
  try {
    const base = stack.baseUrl;
    const org = stack.organizationId;
    const visitor = await openPage(browser);
    const p0 = visitor.page;
    await p0.goto(`${base}/signin`);
    await shoot(p0, 'sign-in', () => p0.getByRole('heading', { name: 'Sign in' }).waitFor());
    await p0.goto(`${base}/signup`);
    await shoot(p0, 'sign-up', () =>
      p0.getByRole('heading', { name: 'Create an account' }).waitFor(),
    );
    await p0.goto(`${base}/status`);
    await shoot(p0, 'status', () => p0.getByTestId('overall-status').waitFor());
    await visitor.context.close();

    const demo = await openPage(browser);
    const page = demo.page;
    await signIn(page, base, DEMO_EMAIL, DEMO_PASSWORD);
    const go = async (urlPath: string, heading: string) => {
      await page.goto(`${base}${urlPath}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    };
    const api = await apiLogin(base, DEMO_EMAIL, DEMO_PASSWORD);
    const overview = await api.get<{ clusters: { id: string; name: string }[] }>(
      `/v1/orgs/${org}/overview`,
    );
    const shop = overview.clusters.find((c) => c.name === 'shop-prod-eu')!;
    await shoot(page, 'overview', async () => {
      await go(`/o/${org}/overview`, 'Overview');
      await page.getByTestId('top-actions').waitFor();
    });
    await shoot(page, 'maturity-pillar', async () => {
      await go(`/o/${org}/overview/pillars/resilience`, 'Resilience & recovery');
      await page.getByTestId('pillar-clusters').waitFor();
    });
    await shoot(page, 'clusters', () => go(`/o/${org}/clusters`, 'Clusters'));
    await shoot(page, 'cluster-detail', async () => {
      await page.goto(`${base}/o/${org}/clusters/${shop.id}#pillar-resilience`);
      await page.getByTestId('scan-diff').waitFor();
    });
    await shoot(page, 'evidence-criterion', async () => {
      await page.goto(`${base}/o/${org}/clusters/${shop.id}/criteria/resilience.pdb`);
      await page.getByTestId('evidence-view').waitFor();
    });
    // shop-prod-eu applied its plan to level 2 (demo seed): a finding of its newest scan.
    const detail = await api.get<{ findings: { id: string; domain: string }[] }>(
      `/v1/orgs/${org}/clusters/${shop.id}`,
    );
    const finding = detail.findings.find((f) => f.domain === 'maturity') ?? detail.findings[0]!;
    await shoot(page, 'evidence-finding', async () => {
      await page.goto(
        `${base}/o/${org}/clusters/${shop.id}/findings/${encodeURIComponent(finding.id)}`,
      );
      await page.getByTestId('evidence-view').waitFor();
    });
    // The roadmap of a cluster still at level 0: a plan to level 1, computed by the worker.
    const legacy = overview.clusters.find((c) => c.name === 'legacy-dev')!;
    await shoot(page, 'roadmap', async () => {
      await page.goto(`${base}/o/${org}/clusters/${legacy.id}/roadmap`);
      await page.getByRole('button', { name: 'Plan' }).click();
      await page.locator('[id^="step-"]').first().waitFor({ timeout: 120_000 });
    });
    await go(`/o/${org}/agents`, 'AI agents');
    await page.getByRole('button', { name: 'Answer the five questions' }).click();
    await shoot(page, 'agents-self-assessment-wizard', () =>
      page.getByTestId('self-assessment-wizard').waitFor(),
    );
    for (const [i, answer] of [
      'hours',
      'days of manual work',
      'hours',
      "can't",
      'minutes, automatically',
    ].entries()) {
      await page.getByRole('radio', { name: new RegExp(`^${answer}`) }).check();
      await page.getByRole('button', { name: i === 4 ? 'Finish and save' : 'Next' }).click();
    }
    await shoot(page, 'agents', () => page.getByTestId('claimed-vs-evidenced').waitFor());
    await shoot(page, 'agents-pillar', async () => {
      await go(`/o/${org}/agents/pillars/identity-ownership`, 'Identity & ownership');
      await page.getByTestId('evidence-view').waitFor();
    });
    await shoot(page, 'integration-tax', async () => {
      await go(`/o/${org}/tax`, 'Integration tax');
      await page.getByTestId('tax-total').waitFor();
    });
    await shoot(page, 'tax-line', async () => {
      await go(`/o/${org}/tax/lines/glue`, 'Glue work');
      await page.getByTestId('line-inputs').waitFor();
    });
    await shoot(page, 'reports', () => go(`/o/${org}/reports`, 'Reports'));
    await shoot(page, 'settings-members', async () => {
      await go(`/o/${org}/settings/members`, 'Settings');
      await page.getByTestId('members-table').waitFor();
    });
    await shoot(page, 'settings-invites', () => go(`/o/${org}/settings/invites`, 'Settings'));
    await go(`/o/${org}/settings/tokens`, 'Settings');
    await page.getByLabel('Token name').fill('prod-eu scanner');
    await page.getByRole('button', { name: 'Create token' }).click();
    await shoot(page, 'settings-scanner-token-created', () =>
      page.getByTestId('created-token').waitFor(),
    );
    await shoot(page, 'settings-audit', async () => {
      await go(`/o/${org}/settings/audit`, 'Settings');
      await page.getByTestId('audit-table').waitFor();
    });
    await shoot(page, 'settings-evidence', async () => {
      await go(`/o/${org}/settings/evidence`, 'Settings');
      await page.getByTestId('evidence-table').waitFor();
    });
    await go(`/o/${org}/settings/agentless`, 'Settings');
    await page.getByLabel('Name').fill('edge-eu');
    await page.getByLabel('API server URL').fill(sim.url);
    await page.getByLabel('Read-only ServiceAccount token').fill(simToken);
    await page.getByLabel('Cluster CA certificate (optional)').fill(sim.caCert);
    await page.getByLabel('Scan every (minutes, optional)').fill('1440');
    await page.getByRole('button', { name: 'Connect cluster' }).click();
    await page.getByRole('button', { name: 'Scan now edge-eu' }).click();
    await shoot(page, 'settings-agentless', () =>
      page
        .getByTestId('connection-status-edge-eu')
        .getByText('Last scan succeeded')
        .waitFor({ timeout: 120_000 }),
    );
    await demo.context.close();

    const fresh = await openPage(browser);
    const p2 = fresh.page;
    await p2.goto(`${base}/signup`);
    await p2.getByLabel('Your name').fill('Grace');
    await p2.getByLabel('Work email').fill('grace@example.com');
    await p2.getByLabel('Password').fill('a long enough password');
    await p2.getByLabel('Organisation name').fill('Grace Labs');
    await p2.getByRole('button', { name: 'Create account' }).click();
    await shoot(p2, 'overview-empty', () => p2.getByTestId('empty-overview').waitFor());
    await fresh.context.close();
  } finally {
    await browser.close();
    await sim.close();
    await stack.stop();
  }
}

main().then(
  () => process.stdout.write('screenshots written\n'),
  (e: unknown) => {
    process.stderr.write(
      `screenshots failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exit(1);
  },
);
