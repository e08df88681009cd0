import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Overview, PlanRecord } from '@plumbline/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ME, ORG_ID, type FakeRoute } from '../../../test/fake-api';
import { C1, C2, OVERVIEW, PLAN_QUEUED, PLAN_READY, SCAN_MID } from '../../../test/read-fixtures';
import { renderApp } from '../../../test/render-app';
import { orgRoadmap } from './roadmap/org';

beforeAll(async () => {
  await import('./OrgRoadmap');
});

const org = (p: string) => `/v1/orgs/${ORG_ID}${p}`;
const list = (items: PlanRecord[]) => ({ status: 200, body: { items, nextCursor: null } });

describe('the organisation roadmap model', () => {
  it('the production cluster at the organisation’s level holds it; its plan’s phases lift it, tax as today’s total plus the plan’s change', () => {
    const r = orgRoadmap(OVERVIEW, [PLAN_READY]);
    expect(r.level).toBe(1);
    expect(r.rows.map((x) => [x.cluster.id, x.inBasis, x.holdsBack, x.plan?.id ?? null])).toEqual([
      [C1, true, true, PLAN_READY.id],
      [C2, false, false, null],
    ]);
    expect(r.unplanned).toEqual([]);
    // PLAN_READY: 30 days 15 h (level 1, tax 20.0M -> 19.5M), after 90 days 40 h (level 2).
    expect(r.phases).toEqual([
      { byDay: 30, hours: 15, level: 1, taxCents: 39_500_000 },
      { byDay: null, hours: 40, level: 2, taxCents: 39_500_000 },
    ]);
    expect(r.hours).toBe(55);
    expect(r.after).toEqual({ level: 2, taxCents: 39_500_000 });
  });

  it('a plan on an older scan, a failed plan, or none leaves the cluster unplanned; no phases are invented', () => {
    for (const plans of [
      [],
      [{ ...PLAN_READY, scanId: SCAN_MID }],
      [{ ...PLAN_READY, status: 'failed' as const }],
      [{ ...PLAN_READY, target: { level: 3, pillar: null } }],
      [{ ...PLAN_READY, target: { level: 2, pillar: 'resilience' as const } }],
    ]) {
      const r = orgRoadmap(OVERVIEW, plans);
      expect(r.unplanned.map((c) => c.id)).toEqual([C1]);
      expect([r.phases, r.hours, r.after]).toEqual([[], 0, null]);
    }
  });

  it('a non-production cluster at the same level does not hold a production organisation back', () => {
    const overview: Overview = {
      ...OVERVIEW,
      clusters: OVERVIEW.clusters.map((c) =>
        c.id === C2 ? { ...c, level: 1, scanId: SCAN_MID } : c,
      ),
    };
    const r = orgRoadmap(overview, [PLAN_READY]);
    expect(r.rows.find((x) => x.cluster.id === C2)).toMatchObject({
      inBasis: false,
      holdsBack: false,
    });
    expect(r.unplanned).toEqual([]);
  });
});

describe('the organisation roadmap screen', () => {
  const routes = (plans: PlanRecord[], extra: Record<string, FakeRoute> = {}) => ({
    'GET /v1/me': { status: 200, body: ME },
    [`GET ${org('/overview')}`]: { status: 200, body: OVERVIEW },
    [`GET ${org('/plans')}`]: list(plans),
    ...extra,
  });

  it('shows the level, the phases and each cluster’s plan with a link to it', async () => {
    renderApp(`/o/${ORG_ID}/roadmap`, routes([PLAN_READY]));
    const summary = await screen.findByTestId('org-roadmap-summary');
    expect(summary.textContent).toMatch(/55 hours/);
    const phases = screen.getByTestId('org-roadmap-phases');
    expect(within(phases).getAllByRole('row')).toHaveLength(3);
    const clusters = screen.getByTestId('org-roadmap-clusters');
    expect(within(clusters).getByText('shop-prod-eu')).toBeTruthy();
    expect(within(clusters).getByText('holds the level')).toBeTruthy();
    expect(screen.getByTestId('org-roadmap-open').getAttribute('href')).toBe(
      `/o/${ORG_ID}/clusters/${C1}/roadmap?plan=${PLAN_READY.id}`,
    );
    expect(screen.queryByTestId('org-roadmap-plan-all')).toBeNull();
  });

  it('plans every cluster that holds the organisation back, in one click', async () => {
    const { calls } = renderApp(
      `/o/${ORG_ID}/roadmap`,
      routes([], {
        [`POST ${org(`/clusters/${C1}/plans`)}`]: { status: 202, body: PLAN_QUEUED },
      }),
    );
    const button = await screen.findByTestId('org-roadmap-plan-all');
    expect(button.textContent).toMatch(/1 cluster that holds the organisation back/);
    expect(screen.getByTestId('org-roadmap-summary').textContent).toMatch(/no plan yet/);
    await userEvent.click(button);
    await waitFor(() =>
      expect(calls.filter((c) => c.method === 'POST').map((c) => [c.path, c.body])).toEqual([
        [org(`/clusters/${C1}/plans`), {}],
      ]),
    );
  });
});
