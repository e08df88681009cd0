/**
 * End-to-end: the Roadmap screen of the built web app, against the real API, PostgreSQL, Redis
 * and the built worker (which computes plans and prints the report page with Chromium), with the
 * demo organisation's clusters scanned and analysed: a person opens a cluster's roadmap from the
 * cluster screen, asks for the plan to the next level, watches it become ready, reads its steps,
 * phases, effort and verification (as the API has them), downloads its bundle, follows a
 * finding to the step that fixes it, and finds the plan in the cluster's PDF report.
 */
import {
  clusterDetailSchema,
  planBodySchema,
  planRecordSchema,
  planVerificationSchema,
  type ClusterDetail,
  type PlanBody,
  type PlanRecord,
  type RoadmapPhaseView,
} from '@plumbline/contracts';
import { unzipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, openPage, seriousA11yViolations, signIn, type OpenedPage } from './browser';
import { downloadReport, requestReport } from './report-flow';
import { DEMO_EMAIL, DEMO_PASSWORD, startStack, type Stack } from './stack';

/** Below level 4, with workloads and generated steps in its plan (a NetworkPolicy bundle). */
const CLUSTER = 'legacy-dev';

type ReachablePlan = Extract<PlanBody, { reachable: true }>;

/** The screen's words for numbers (apps/web/src/vocabulary.ts, screens/org/words.ts). */
const plural = (n: number, one: string) =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : `${one}s`}`;
function hoursWords(hours: number): string {
  const n = Number(hours.toFixed(2));
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'hour' : 'hours'}`;
}
const phaseWords = (byDay: RoadmapPhaseView['byDay']) =>
  byDay === null ? 'After 90 days' : `By day ${byDay}`;
const stepAnchor = (id: string) => `step-${id}`;

describe('Roadmap screen in a real browser: plan, steps, bundle, finding links, PDF', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let opened: OpenedPage;
  let org: string;
  let detail: ClusterDetail;
  /** The plan as the API has it, once the screen says it is ready. */
  let record: PlanRecord;
  let plan: ReachablePlan;
  const downloads = mkdtempSync(path.join(tmpdir(), 'plumbline-roadmap-'));

  beforeAll(async () => {
    stack = await startStack({ label: 'web_roadmap_e2e', demoData: true });
    org = stack.organizationId;
    browser = await launchBrowser();
    opened = await openPage(browser);
    page = opened.page;
    await signIn(page, stack.baseUrl, DEMO_EMAIL, DEMO_PASSWORD);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    rmSync(downloads, { recursive: true, force: true });
  });

  /** GET through the browser's session (its cookie), parsed with the contract's schema. */
  async function apiGet<T>(p: string, schema: { parse: (v: unknown) => T }): Promise<T> {
    const res = await page.request.get(`${stack.baseUrl}${p}`);
    if (res.status() !== 200)
      throw new Error(`GET ${p} answered HTTP ${res.status()}: ${await res.text()}`);
    const body: unknown = await res.json();
    return schema.parse(body);
  }

  /** Wait until no part of the page is still loading. */
  async function settled(): Promise<void> {
    await page.locator('h1').first().waitFor();
    await page.waitForFunction(() => !document.querySelector('.state--loading'));
  }

  function requirePlan(): ReachablePlan {
    if (!plan) throw new Error('no ready plan: an earlier test failed');
    return plan;
  }

  it('opens the roadmap from the cluster screen: no plan yet, the target form', async () => {
    await page.goto(`${stack.baseUrl}/o/${org}/clusters`);
    await page.getByRole('heading', { level: 1, name: 'Clusters' }).waitFor();
    await page.getByTestId(`cluster-row-${CLUSTER}`).getByRole('link', { name: CLUSTER }).click();
    await page.waitForURL(/\/clusters\/[^/#?]+$/);
    const clusterId = decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1) ?? '');
    detail = await apiGet(`/v1/orgs/${org}/clusters/${clusterId}`, clusterDetailSchema);
    const level = detail.maturity?.level;
    if (level === undefined || level === null) throw new Error(`${CLUSTER} has no maturity level`);
    expect(level).toBeLessThan(4);

    await page.getByRole('heading', { level: 1, name: CLUSTER }).waitFor();
    const link = page.getByTestId('roadmap-link');
    await expect(link.innerText()).resolves.toBe(`Roadmap to level ${level + 1}`);
    await link.click();
    await page.waitForURL(new RegExp(`/o/${org}/clusters/${clusterId}/roadmap$`));
    await page.getByRole('heading', { level: 1, name: `${CLUSTER}: roadmap` }).waitFor();
    await page.getByTestId('plans-empty').waitFor();
    const form = page.getByRole('form', { name: 'Plan a target' });
    await expect(form.getByLabel('Target').locator('option:checked').innerText()).resolves.toBe(
      `The whole cluster (level ${level} today)`,
    );
    await expect(form.getByLabel('Level').locator('option:checked').innerText()).resolves.toBe(
      `The next level (level ${level + 1})`,
    );
  });

  it('asks for the plan to the next level and shows it ready, as the API has it', async () => {
    if (!detail?.maturity) throw new Error('the cluster was not opened: an earlier test failed');
    const level = detail.maturity.level;
    await page.getByRole('button', { name: 'Plan' }).click();
    const shown = page.getByTestId('plan');
    await shown.waitFor();
    const planId = await shown.getAttribute('data-plan-id');
    expect(planId).toMatch(/^[0-9a-f-]{36}$/);
    // The screen polls by itself until the worker has computed and verified it.
    await page.waitForFunction(
      () =>
        !['queued', 'running'].includes(
          document.querySelector('[data-testid=plan]')?.getAttribute('data-status') ?? 'queued',
        ),
      undefined,
      { timeout: 120_000 },
    );
    const status = await shown.getAttribute('data-status');
    if (status !== 'ready')
      throw new Error(
        `the plan is ${status}: ${await shown.innerText()}\n${stack.output.toString().slice(-3000)}`,
      );
    expect(await shown.getAttribute('data-plan-id')).toBe(planId);

    record = await apiGet(`/v1/orgs/${org}/plans/${planId}`, planRecordSchema);
    expect(record).toMatchObject({
      id: planId,
      clusterId: detail.cluster.id,
      clusterName: CLUSTER,
      status: 'ready',
      target: { level: level + 1, pillar: null },
    });
    if (!record.plan?.reachable) throw new Error('the ready plan has no reachable body');
    plan = record.plan;
    expect(plan.from.level).toBe(level);
    expect(plan.to.level).toBeGreaterThanOrEqual(level + 1);
    expect(plan.steps.some((s) => s.kind === 'generated')).toBe(true);
    expect(record.bundle).not.toBeNull();

    // The summary: levels and effort.
    const generated = plan.steps.filter((s) => s.kind === 'generated').length;
    const summary = await page.getByTestId('plan-summary').innerText();
    expect(summary).toContain(`Level ${plan.from.level} of 4 → Level ${plan.to.level} of 4`);
    expect(summary).toContain(
      `${hoursWords(plan.hours)} in ${plural(plan.steps.length, 'step')} (${generated} generated, ${plan.steps.length - generated} manual)`,
    );

    // Every step, in order, with its anchor, kind, effort, remediation and action id.
    const steps = page.getByTestId('plan-step');
    await expect(steps.count()).resolves.toBe(plan.steps.length);
    for (const [i, s] of plan.steps.entries()) {
      const li = steps.nth(i);
      await expect(li.getAttribute('id')).resolves.toBe(stepAnchor(s.id));
      await expect(li.getAttribute('data-kind')).resolves.toBe(s.kind);
      await expect(li.locator('h3').innerText()).resolves.toBe(`Step ${i + 1}: ${s.title}`);
      const text = await li.innerText();
      expect(text).toContain(`${hoursWords(s.hours)} · ${plural(s.units, s.unit)}`);
      expect(text).toContain(s.remediation);
      expect(text).toContain(`Action id: ${s.id}`);
      expect(text).toContain(
        s.kind === 'generated' ? 'Generated: manifests in the bundle' : 'Manual',
      );
    }

    // The 30/60/90-day roadmap: each phase's steps (linked to their anchors) and hours.
    await expect(page.getByTestId('plan-phases').locator('caption').innerText()).resolves.toBe(
      'The roadmap by phase',
    );
    const phases = page.getByTestId('plan-phase');
    await expect(phases.count()).resolves.toBe(plan.roadmap.length);
    for (const [i, p] of plan.roadmap.entries()) {
      const row = phases.nth(i);
      await expect(row.locator('th').innerText()).resolves.toBe(phaseWords(p.byDay));
      await expect(row.locator('td').nth(1).innerText()).resolves.toBe(hoursWords(p.hours));
      const hrefs = await row
        .locator('a')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
      expect(hrefs).toEqual(p.steps.map((id) => `#${stepAnchor(id)}`));
    }
    expect(plan.roadmap.flatMap((p) => p.steps)).toEqual(plan.steps.map((s) => s.id));

    // The verification of the bundle's manifests.
    const verification = page.getByTestId('verification');
    const v = record.verification;
    if (!v) throw new Error('a plan with generated steps has no verification');
    const words = await verification.innerText();
    expect(words).toContain(v.ok ? 'Verified' : 'Not verified');
    expect(words).toContain(`level ${v.level.promised} promised, level ${v.level.reached} reached`);
    const pillarRows = page.getByTestId('verification-pillars').locator('tbody tr');
    const pillars = Object.keys(v.promised) as (keyof typeof v.promised)[];
    await expect(pillarRows.count()).resolves.toBe(pillars.length);
    for (const [i, p] of pillars.entries()) {
      const cells = await pillarRows.nth(i).locator('td').allInnerTexts();
      expect(cells[0]?.trim()).toBe(String(v.promised[p]));
      expect(cells[1]?.trim()).toMatch(new RegExp(`^${v.reached[p]}\\b`));
    }
    await expect(page.getByTestId('verification-connectivity').innerText()).resolves.toContain(
      `${plural(v.connectivity.checked, 'connection')} a Service exposes today checked, ${v.connectivity.cut.length} cut`,
    );

    // The bundle as the API describes it.
    const bundle = page.locator('#bundle');
    const bundleText = await bundle.innerText();
    expect(bundleText).toContain(
      `${plural(record.bundle?.objects ?? -1, 'Kubernetes object')} in ${plural(record.bundle?.files ?? -1, 'file')}`,
    );
    expect(bundleText).toContain(`SHA-256 ${record.bundle?.sha256}`);

    // The list of the cluster's plans has it, ready, shown.
    const listed = page.locator(`[data-testid=plan-row][data-plan-id="${planId}"]`);
    const listedText = await listed.innerText();
    expect(listedText).toContain('(shown)');
    expect(listedText).toContain('Ready');
    expect(listedText).toContain(
      `level ${plan.from.level} → ${plan.to.level}, ${plan.steps.length} steps, ${Number(plan.hours.toFixed(1))} hours`,
    );
    await expect(page.getByTestId('plan-row').count()).resolves.toBe(1);
  });

  it('downloads the bundle through its link: a kustomize folder, the README and the plan', async () => {
    const body = requirePlan();
    const meta = record.bundle;
    if (!meta) throw new Error('the ready plan has no bundle');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('bundle-download').click(),
    ]);
    const folder = `plumbline-plan-${CLUSTER}-level-${record.target.level}`;
    expect(file.suggestedFilename()).toBe(`${folder}-${record.id.slice(0, 8)}.zip`);
    const target = path.join(downloads, 'bundle.zip');
    await file.saveAs(target);
    const zip = readFileSync(target);
    expect(zip.length).toBe(meta.bytes);
    expect(createHash('sha256').update(zip).digest('hex')).toBe(meta.sha256);

    const entries = unzipSync(new Uint8Array(zip));
    const names = Object.keys(entries).filter((n) => !n.endsWith('/'));
    expect(names.every((n) => n.startsWith(`${folder}/`))).toBe(true);
    const text = (name: string) => {
      const bytes = entries[`${folder}/${name}`];
      if (!bytes) throw new Error(`the bundle has no ${name}: ${names.join(', ')}`);
      return new TextDecoder().decode(bytes);
    };
    const files = names.map((n) => n.slice(folder.length + 1));
    expect(files).toHaveLength(meta.files);
    expect(files).toEqual(expect.arrayContaining(['kustomization.yaml', 'README.md', 'plan.json']));

    // kustomization.yaml lists every object file, and nothing else.
    const objectFiles = files.filter(
      (f) => !['kustomization.yaml', 'README.md', 'plan.json'].includes(f),
    );
    expect(objectFiles).toHaveLength(meta.objects);
    expect(objectFiles.length).toBeGreaterThan(0);
    const kustomization = text('kustomization.yaml');
    expect(kustomization).toMatch(/^kind: Kustomization$/m);
    const resources = kustomization
      .slice(kustomization.indexOf('resources:'))
      .split('\n')
      .map((line) => /^\s*-\s+(\S.*)$/.exec(line)?.[1]?.replace(/^['"]|['"]$/g, ''))
      .filter((f): f is string => f !== undefined);
    expect([...resources].sort()).toEqual([...objectFiles].sort());
    for (const f of objectFiles) {
      expect(f).toMatch(/\.ya?ml$/);
      expect(text(f)).toMatch(/^apiVersion: \S+$/m);
      expect(text(f)).toMatch(/^kind: \S+$/m);
    }

    // The README: the plan in words, every step named.
    const readme = text('README.md');
    expect(readme).toContain(`# Plumbline plan: operational maturity level ${record.target.level}`);
    expect(readme).toContain(`${body.steps.length} steps, ${body.hours} hours of effort`);
    for (const s of body.steps) expect(readme).toContain(s.title);

    // plan.json: the plan and its verification, exactly as the API answers them.
    const stored = JSON.parse(text('plan.json')) as { plan?: unknown; verification?: unknown };
    expect(planBodySchema.parse(stored.plan)).toEqual(record.plan);
    expect(planVerificationSchema.nullable().parse(stored.verification)).toEqual(
      record.verification,
    );
  });

  it('links each finding on the cluster screen to the step that fixes it; the link focuses it', async () => {
    const body = requirePlan();
    // Which step fixes each finding the cluster screen lists (plans name them without the
    // read API's `maturity/` prefix): the first step naming it.
    const listedFindings = new Set(detail.findings.map((f) => f.id));
    const expected = new Map<string, string>();
    for (const s of body.steps)
      for (const f of s.findings) {
        const id = f.startsWith('maturity/') ? f : `maturity/${f}`;
        if (listedFindings.has(id) && !expected.has(id)) expected.set(id, s.id);
      }
    expect(expected.size).toBeGreaterThan(0);

    const openCluster = async () => {
      await page.locator('.breadcrumb').getByRole('link', { name: CLUSTER }).click();
      await page.waitForURL(new RegExp(`/clusters/${detail.cluster.id}$`));
      await page.getByRole('heading', { level: 1, name: CLUSTER }).waitFor();
      await settled();
      // The links come with the newest plan, read after the cluster.
      await page.getByTestId('finding-step').first().waitFor();
    };
    await openCluster();
    const rows = page.getByTestId('findings-table').locator('tbody tr');
    await expect(rows.count()).resolves.toBe(detail.findings.length);
    const shown = await rows.evaluateAll((trs) =>
      trs
        .map((tr) => ({
          finding: tr.querySelector('th a')?.getAttribute('href') ?? '',
          step: tr.querySelector('[data-testid=finding-step] a')?.getAttribute('href') ?? null,
          words: tr.querySelector('[data-testid=finding-step] a')?.textContent ?? null,
        }))
        .filter((r) => r.step !== null),
    );
    const actual = new Map(
      shown.map((r) => [
        decodeURIComponent(r.finding.split('/findings/')[1] ?? ''),
        decodeURIComponent((r.step ?? '').split('#')[1] ?? ''),
      ]),
    );
    expect(Object.fromEntries(actual)).toEqual(
      Object.fromEntries([...expected].map(([f, s]) => [f, stepAnchor(s)])),
    );
    for (const r of shown) {
      const stepId = decodeURIComponent((r.step ?? '').split('#')[1] ?? '').slice('step-'.length);
      const number = body.steps.findIndex((s) => s.id === stepId) + 1;
      expect(r.words).toBe(`Fixed by step ${number} of the roadmap`);
      expect(r.step).toMatch(new RegExp(`^/o/${org}/clusters/${detail.cluster.id}/roadmap#`));
    }

    // Follow a link to a generated step and one to a manual step (`manual:` ids), when both fix
    // a listed finding: the roadmap opens with that step focused.
    const targets = [
      ...new Set(
        ['generated', 'manual'].flatMap((kind) => {
          const s = body.steps.find(
            (x) => x.kind === kind && [...expected.values()].includes(x.id),
          );
          return s ? [s.id] : [];
        }),
      ),
    ];
    expect(targets.length).toBeGreaterThan(0);
    for (const [i, stepId] of targets.entries()) {
      if (i > 0) await openCluster();
      const findingId = [...expected].find(([, s]) => s === stepId)?.[0] ?? '';
      const row: Locator = page
        .getByTestId('findings-table')
        .locator('tbody tr')
        .filter({
          has: page.locator(`th a[href$="/findings/${encodeURIComponent(findingId)}"]`),
        });
      await row.getByTestId('finding-step').getByRole('link').click();
      await page.waitForURL((u) => u.pathname.endsWith('/roadmap') && u.hash.length > 1);
      expect(decodeURIComponent(new URL(page.url()).hash.slice(1))).toBe(stepAnchor(stepId));
      await page.locator('[data-testid=plan][data-status=ready]').waitFor();
      await page.waitForFunction(
        (anchor) => document.activeElement?.id === anchor,
        stepAnchor(stepId),
        { timeout: 10_000 },
      );
      const focused = await page.evaluate(() => ({
        testId: document.activeElement?.getAttribute('data-testid') ?? null,
        heading: document.activeElement?.querySelector('h3')?.textContent ?? null,
      }));
      const number = body.steps.findIndex((s) => s.id === stepId) + 1;
      expect(focused).toEqual({
        testId: 'plan-step',
        heading: `Step ${number}: ${body.steps[number - 1]?.title}`,
      });
    }
  });

  it('the roadmap screen with a ready plan is accessible', async () => {
    await page.locator('[data-testid=plan][data-status=ready]').waitFor();
    await settled();
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  it('the cluster’s PDF report starts from this plan and has its roadmap page', async () => {
    const body = requirePlan();
    await page.goto(`${stack.baseUrl}/o/${org}/reports`);
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    const row = await requestReport(page, stack, `Cluster ${CLUSTER}`, 'A4 (210 × 297 mm)');
    expect(await row.innerText()).toContain(`cluster ${CLUSTER}`);
    const { text } = await downloadReport(page, row, downloads, 'cluster.pdf');
    expect(text).toContain('What to do first');
    expect(text).toContain(`To take ${CLUSTER} from level`);
    // The plan the report shows is the one asked for above: same levels, steps and hours.
    expect(text).toContain(
      `To take ${CLUSTER} from level ${body.from.level} to level ${body.to.level}${body.accepted.length ? ' (with accepted risks)' : ''}: ${plural(body.steps.length, 'step')}, ${hoursWords(body.hours)} of engineering work`,
    );
    expect(text).toContain('Roadmap to the next level');
  });

  it('had no page errors', () => {
    expect(opened.errors).toEqual([]);
  });
});
