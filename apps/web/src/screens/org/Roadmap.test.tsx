import { beforeAll, describe, expect, it } from '@jest/globals';
import { PLAN_STATUSES, type PlanRecord } from '@plumbline/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ME, ORG_ID, type FakeRoute, type RecordedCall } from '../../../test/fake-api';
import {
  C1,
  CLUSTER_DETAIL,
  FINDING,
  PLAN_EFFORT,
  PLAN_MANUAL,
  PLAN_MANUAL_ID,
  PLAN_QUEUED,
  PLAN_READY,
  PLAN_READY_ID,
  PLAN_UNREACHABLE,
  PLAN_UNREACHABLE_ID,
} from '../../../test/read-fixtures';
import { currentPath, renderApp } from '../../../test/render-app';
import { effortOverrides } from './roadmap/EffortSection';
import {
  phaseWords,
  PLAN_STATUS_WORDS,
  stepsByFinding,
  taxChangeWords,
  type ReachablePlan,
} from './roadmap/model';

// The screens load lazily (with Recharts): load them once up front, so no test waits for it.
beforeAll(async () => {
  await import('./Roadmap');
  await import('./ClusterDetail');
});

const org = (p: string) => `/v1/orgs/${ORG_ID}${p}`;
const o = (p: string) => `/o/${ORG_ID}${p}`;
const ROADMAP = o(`/clusters/${C1}/roadmap`);

const asRole = (role: 'owner' | 'admin' | 'member' | 'viewer') => ({
  ...ME,
  organizations: [{ ...ME.organizations[0]!, role }],
});

function routes(
  plans: FakeRoute,
  extra: Record<string, FakeRoute> = {},
  me: object = ME,
): Record<string, FakeRoute> {
  return {
    'GET /v1/me': { status: 200, body: me },
    [`GET ${org(`/clusters/${C1}`)}`]: { status: 200, body: CLUSTER_DETAIL },
    [`GET ${org(`/clusters/${C1}/plans`)}`]: plans,
    ...extra,
  };
}

const list = (items: PlanRecord[]) => ({ status: 200, body: { items, nextCursor: null } });
const body = (p: PlanRecord): ReachablePlan => {
  if (!p.plan?.reachable) throw new Error('not a reachable plan');
  return p.plan;
};

describe('the roadmap’s words', () => {
  it('has words for every plan status of the contracts', () => {
    expect(Object.keys(PLAN_STATUS_WORDS).sort()).toEqual([...PLAN_STATUSES].sort());
  });

  it('names phases by their days and tax changes in money', () => {
    expect([30, 60, 90, null].map((d) => phaseWords(d as 30 | 60 | 90 | null))).toEqual([
      'By day 30',
      'By day 60',
      'By day 90',
      'After 90 days',
    ]);
    expect(taxChangeWords(-500_000)).toBe('lowers the integration tax by $5,000 a year');
    expect(taxChangeWords(0)).toBe('no change to the integration tax');
    expect(taxChangeWords(120_000)).toBe('raises the integration tax by $1,200 a year');
  });

  it('links a finding to the step of a ready plan that fixes it, by either form of its id', () => {
    const links = stepsByFinding(PLAN_READY);
    expect(links.get(FINDING.id)).toEqual({
      stepId: 'pdb',
      number: 1,
      title: 'Add PodDisruptionBudgets to replicated application workloads',
    });
    expect(links.get('resilience.pdb:gap')?.stepId).toBe('pdb');
    expect(links.get('maturity/isolation.ingress-coverage-50:gap')?.number).toBe(2);
    expect(stepsByFinding(PLAN_QUEUED).size).toBe(0);
    expect(stepsByFinding(PLAN_UNREACHABLE).size).toBe(0);
    expect(stepsByFinding(undefined).size).toBe(0);
  });
});

describe('the roadmap screen', () => {
  it('shows a ready plan: levels, effort, tax, the steps in order, the phases, the verification and the bundle', async () => {
    renderApp(
      `${ROADMAP}#step-netpol-ingress`,
      routes(list([PLAN_READY, PLAN_MANUAL, PLAN_UNREACHABLE])),
    );
    const plan = await screen.findByTestId('plan', {}, { timeout: 10_000 });
    expect(plan).toHaveAttribute('data-plan-id', PLAN_READY_ID);
    expect(
      screen.getByRole('heading', { level: 2, name: /Plan to level 2 of the whole cluster/ }),
    ).toHaveTextContent('Ready');
    const summary = screen.getByTestId('plan-summary');
    expect(summary).toHaveTextContent('LevelLevel 1 of 4 → Level 2 of 4');
    expect(summary).toHaveTextContent('55 hours in 3 steps (2 generated, 1 manual)');
    expect(summary).toHaveTextContent('$200,000 / year → $195,000 / year');

    // The steps, in order, by their titles; each an anchor the findings link to.
    const steps = screen.getAllByTestId('plan-step');
    expect(steps.map((s) => s.querySelector('h3')?.textContent)).toEqual([
      'Step 1: Add PodDisruptionBudgets to replicated application workloads',
      'Step 2: Default-deny ingress with Service allows in 1 application namespace',
      'Step 3: Route edge traffic through one Gateway API implementation',
    ]);
    expect(steps.map((s) => s.id)).toEqual([
      'step-pdb',
      'step-netpol-ingress',
      'step-manual:edge-traffic.gateway-api',
    ]);
    expect(steps.map((s) => s.dataset.kind)).toEqual(['generated', 'generated', 'manual']);
    const [pdb, ingress, manual] = steps as [HTMLElement, HTMLElement, HTMLElement];
    expect(pdb).toHaveTextContent('Generated: manifests in the bundle 10 hours · 36 workloads');
    // What it meets: the criterion's title as the cluster screen shows it.
    expect(pdb).toHaveTextContent('MeetsPodDisruptionBudgets protect workloads');
    expect(pdb).toHaveTextContent('A PodDisruptionBudget with maxUnavailable: 1');
    expect(pdb).toHaveTextContent(
      'After itLevel 1 of 4 (Observability & troubleshooting 1 → 2); no change to the integration tax.',
    );
    expect(ingress).toHaveTextContent('5 hours · 1 namespace');
    expect(ingress).toHaveTextContent(
      '(Workload isolation 2 → 3); lowers the integration tax by $5,000 a year.',
    );
    expect(manual).toHaveTextContent('Manual 40 hours · 1 cluster');
    expect(within(manual).getByTestId('step-confirms')).toHaveTextContent(
      'Not evaluable from this scan: confirmMetrics are collected',
    );
    expect(manual).toHaveTextContent('After itLevel 2 of 4 (Edge traffic 1 → 2)');
    expect(within(pdb).queryByTestId('step-confirms')).toBeNull();
    expect(screen.queryByTestId('plan-accepted')).toBeNull();
    // The fragment opens on its step once the plan is there.
    await waitFor(() => expect(document.activeElement).toBe(ingress));

    // The 30/60/90-day roadmap: steps by title, hours, level and tax after each phase.
    const phases = within(screen.getByTestId('plan-phases')).getAllByTestId('plan-phase');
    expect(phases).toHaveLength(2);
    expect(phases[0]).toHaveTextContent(
      'By day 301. Add PodDisruptionBudgets to replicated application workloads2. Default-deny ingress',
    );
    expect(phases[0]).toHaveTextContent('15 hours');
    expect(phases[0]).toHaveTextContent('$195,000 / year');
    expect(phases[1]).toHaveTextContent('After 90 days3. Route edge traffic');
    expect(phases[1]).toHaveTextContent('40 hours');
    expect(within(phases[1]!).getByRole('link')).toHaveAttribute(
      'href',
      '#step-manual:edge-traffic.gateway-api',
    );
    // One figure per thing, each with its numbers in words.
    const levelChart = screen.getByTestId('chart-level');
    expect(levelChart).toHaveTextContent('Maturity level after each phase');
    expect(
      within(levelChart)
        .getAllByRole('row')
        .map((r) => r.textContent),
    ).toEqual([
      'Roadmap phaseMaturity level',
      'TodayLevel 1',
      'By day 30Level 1',
      'After 90 daysLevel 2',
    ]);
    const taxChart = screen.getByTestId('chart-tax');
    expect(taxChart).toHaveTextContent('Integration tax after each phase');
    expect(within(taxChart).getAllByRole('row')[1]).toHaveTextContent('Today$200,000 / year');

    // The verification: levels promised and reached, and nothing exposed cut.
    const verification = screen.getByTestId('verification');
    expect(verification).toHaveTextContent('Verified');
    expect(within(screen.getByTestId('verification-pillars')).getAllByRole('row')).toHaveLength(7);
    expect(screen.getByTestId('verification-pillars')).toHaveTextContent('Workload isolation33');
    expect(screen.getByTestId('verification-connectivity')).toHaveTextContent(
      '14 connections a Service exposes today checked, 0 cut: everything exposed stays reachable.',
    );
    expect(screen.getByTestId('verification-connectivity')).toHaveTextContent(
      'Newly isolated workloads6 for ingress, 0 for egress',
    );
    expect(screen.getByTestId('verification-connectivity')).toHaveTextContent(
      'shop/web → shop/db on port 5432',
    );

    // The bundle downloads from the API with a plain link.
    const download = screen.getByTestId('bundle-download');
    expect(download).toHaveAttribute('href', org(`/plans/${PLAN_READY_ID}/bundle`));
    expect(download).toHaveAttribute('download');
    expect(screen.getByRole('region', { name: 'Bundle' })).toHaveTextContent(
      '37 Kubernetes objects in 40 files, 12.5 KB',
    );

    // Earlier plans, newest first; members and above can plan.
    const rows = screen.getAllByTestId('plan-row');
    expect(rows.map((r) => r.dataset.planId)).toEqual([
      PLAN_READY_ID,
      PLAN_MANUAL_ID,
      PLAN_UNREACHABLE_ID,
    ]);
    expect(rows[0]).toHaveTextContent('(shown)');
    expect(rows[1]).toHaveTextContent('level 2 of Observability & troubleshooting');
    expect(rows[2]).toHaveTextContent('level 4 is out of reach from this scan’s evidence');
    expect(screen.getByRole('button', { name: 'Plan' })).toBeInTheDocument();
  }, 20_000);

  it('opens an earlier plan from the list: every step manual, no manifests to verify', async () => {
    renderApp(ROADMAP, routes(list([PLAN_READY, PLAN_MANUAL])));
    const rows = await screen.findAllByTestId('plan-row', {}, { timeout: 10_000 });
    await userEvent.setup().click(within(rows[1]!).getByRole('link'));
    expect(currentPath()).toBe(`${ROADMAP}?plan=${PLAN_MANUAL_ID}`);
    await waitFor(() =>
      expect(screen.getByTestId('plan')).toHaveAttribute('data-plan-id', PLAN_MANUAL_ID),
    );
    expect(screen.getByTestId('verification')).toHaveTextContent(
      'Every step is manual: no manifests to check',
    );
    expect(screen.queryByTestId('verification-pillars')).toBeNull();
    expect(screen.getByRole('region', { name: 'Bundle' })).toHaveTextContent(
      '0 Kubernetes objects in 2 files, 2.1 KB',
    );
    expect(screen.getAllByTestId('plan-step')).toHaveLength(1);
    expect(screen.getByTestId('plan-accepted')).toHaveTextContent(
      'counted as met and left out of the plan: PodDisruptionBudgets protect workloads.',
    );
  });

  it('says why a plan is out of reach, with its blockers, and offers no download', async () => {
    const { calls } = renderApp(
      `${ROADMAP}?plan=${PLAN_UNREACHABLE_ID}`,
      // An older plan than the list shows is read on its own.
      routes(list([PLAN_READY]), {
        [`GET ${org(`/plans/${PLAN_UNREACHABLE_ID}`)}`]: { status: 200, body: PLAN_UNREACHABLE },
      }),
    );
    const reason = await screen.findByTestId('plan-reason', {}, { timeout: 10_000 });
    expect(reason).toHaveTextContent(
      'level 4 of the whole cluster is out of reach from this scan’s evidence.',
    );
    expect(reason).toHaveTextContent('Why: level 4 is out of reach from this scan’s evidence');
    expect(screen.getByTestId('plan-blockers')).toHaveTextContent(
      'Resilience & recovery: PodDisruptionBudgets protect workloads. no action of the catalogue meets it from this evidence',
    );
    expect(screen.getByTestId('plan')).toHaveAttribute('data-status', 'unreachable');
    expect(screen.getByTestId('plan')).toHaveTextContent('Out of reach');
    expect(screen.queryByTestId('bundle-download')).toBeNull();
    expect(screen.queryByTestId('plan-steps')).toBeNull();
    expect(calls.some((c) => c.path === org(`/plans/${PLAN_UNREACHABLE_ID}`))).toBe(true);
  });

  it('plans the target chosen, shows it queued, and follows it until it is ready', async () => {
    let stored: PlanRecord[] = [PLAN_MANUAL];
    let polls = 0;
    const asked = { ...PLAN_QUEUED, target: { level: 3, pillar: 'resilience' as const } };
    const { calls } = renderApp(
      ROADMAP,
      routes(
        () => {
          // Computed on the second read after the request.
          if (stored[0]?.status === 'queued' && ++polls >= 2) {
            stored = [
              { ...PLAN_READY, id: PLAN_QUEUED.id, target: asked.target },
              ...stored.slice(1),
            ];
          }
          return list(stored);
        },
        {
          [`POST ${org(`/clusters/${C1}/plans`)}`]: () => {
            stored = [asked, ...stored];
            return { status: 202, body: asked };
          },
        },
      ),
    );
    const user = userEvent.setup();
    const target = await screen.findByLabelText('Target', {}, { timeout: 10_000 });
    // The next level by default, the pillars by their names and today's levels.
    expect(screen.getByLabelText('Level')).toHaveDisplayValue('The next level (level 2)');
    expect(
      within(target)
        .getAllByRole('option')
        .map((x) => x.textContent),
    ).toContain('Resilience & recovery (level 3 today)');
    await user.selectOptions(target, 'resilience');
    expect(screen.getByLabelText('Level')).toHaveDisplayValue('The next level (level 4)');
    await user.selectOptions(screen.getByLabelText('Level'), 'Level 3');
    await user.click(screen.getByRole('button', { name: 'Plan' }));
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toEqual({ level: 3, pillar: 'resilience' });
    expect(post?.headers['x-csrf-token']).toBe('csrf-123');

    expect(await screen.findByTestId('plan-pending')).toHaveTextContent(
      'Queued: Plumbline computes the plan in the background',
    );
    expect(screen.getByTestId('plan')).toHaveAttribute('data-status', 'queued');
    expect(screen.getByRole('heading', { level: 2, name: /Plan to level 3 of Resilience/ }));
    await waitFor(
      () => expect(screen.getByTestId('plan')).toHaveAttribute('data-status', 'ready'),
      { timeout: 10_000 },
    );
    expect(screen.queryByTestId('plan-pending')).toBeNull();
    expect(screen.getAllByTestId('plan-step')).toHaveLength(body(PLAN_READY).steps.length);
    expect(screen.getByTestId('bundle-download')).toHaveAttribute(
      'href',
      org(`/plans/${PLAN_QUEUED.id}/bundle`),
    );
    // Polling stops once the plan is ready.
    const reads = () => calls.filter((c: RecordedCall) => c.path.endsWith('/plans')).length;
    const after = reads();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(reads()).toBe(after);
  }, 20_000);

  it('shows the API’s reason when there is nothing to plan', async () => {
    renderApp(
      ROADMAP,
      routes(list([]), {
        [`POST ${org(`/clusters/${C1}/plans`)}`]: {
          status: 422,
          body: {
            error: {
              code: 'unprocessable',
              message: 'the target is already met: the cluster is already at level 2',
            },
          },
        },
      }),
    );
    expect(await screen.findByTestId('plans-empty', {}, { timeout: 10_000 })).toHaveTextContent(
      'No plan yet.',
    );
    await userEvent.setup().click(screen.getByRole('button', { name: 'Plan' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The target is already met: the cluster is already at level 2.',
    );
  });

  it('lets viewers read the plans but not ask for one', async () => {
    renderApp(ROADMAP, routes(list([PLAN_READY]), {}, asRole('viewer')));
    expect(await screen.findByTestId('plan', {}, { timeout: 10_000 })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Plan' })).toBeNull();
    expect(screen.queryByLabelText('Target')).toBeNull();
    expect(screen.getByTestId('viewer-notice')).toHaveTextContent(
      'Viewers can read the plans; members and above can ask for one.',
    );
    // Reading includes downloading.
    expect(screen.getByTestId('bundle-download')).toHaveAttribute(
      'href',
      org(`/plans/${PLAN_READY_ID}/bundle`),
    );
  });
});

describe('the effort table', () => {
  it('keeps only what differs from the defaults, and refuses hours out of bounds', () => {
    const raw = {
      pdb: { base: '1', perUnit: '0.5' },
      'netpol-ingress': { base: '4', perUnit: '1' },
    };
    expect(effortOverrides(PLAN_EFFORT, raw, '60')).toEqual({
      overrides: { actions: { pdb: { perUnitHours: 0.5 } } },
      problems: [],
    });
    expect(effortOverrides(PLAN_EFFORT, raw, '30').overrides.hoursPerPhase).toBe(30);
    expect(
      effortOverrides(PLAN_EFFORT, { pdb: { base: '-1', perUnit: '0' } }, '0').problems,
    ).toEqual(['pdb: hours between 0 and 10,000', 'Hours per 30 days: between 1 and 10,000']);
  });

  it('is read-only for members and edited by admins', async () => {
    const effortRoute = { [`GET ${org('/plan-effort')}`]: { status: 200, body: PLAN_EFFORT } };
    const member = renderApp(ROADMAP, routes(list([PLAN_READY]), effortRoute, asRole('member')));
    const user = userEvent.setup();
    await user.click(
      await screen.findByText('The hours each action is planned with', {}, { timeout: 10_000 }),
    );
    const table = await screen.findByTestId('effort-table');
    // Actions by the titles of the plan's steps; their ids in small print.
    expect(within(table).getAllByTestId('effort-row')[0]).toHaveTextContent(
      'Add PodDisruptionBudgets to replicated application workloads (pdb)',
    );
    expect(within(table).queryByRole('spinbutton')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save the effort table' })).toBeNull();
    member.unmount();

    let saved: unknown = null;
    renderApp(
      ROADMAP,
      routes(
        list([PLAN_READY]),
        {
          ...effortRoute,
          [`PUT ${org('/plan-effort')}`]: (call: RecordedCall) => {
            saved = call.body;
            return {
              status: 200,
              body: { ...PLAN_EFFORT, version: 1, hoursPerPhase: { value: 30, default: 60 } },
            };
          },
        },
        asRole('admin'),
      ),
    );
    await user.click(
      await screen.findByText('The hours each action is planned with', {}, { timeout: 10_000 }),
    );
    const phase = await screen.findByLabelText('Team hours per 30 days');
    await user.clear(phase);
    await user.type(phase, '30');
    await user.click(screen.getByRole('button', { name: 'Save the effort table' }));
    expect(await screen.findByText(/Saved: plans asked for from now on/)).toBeInTheDocument();
    expect(saved).toEqual({ overrides: { hoursPerPhase: 30 } });
    expect(screen.getByText(/Version 1\./)).toBeInTheDocument();
  });
});
