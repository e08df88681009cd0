import { beforeAll, describe, expect, it } from '@jest/globals';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { RecordedCall } from '../../../test/fake-api';
import { ME, ORG_ID } from '../../../test/fake-api';
import {
  AGENT_FINDING,
  C1,
  CLUSTER_DETAIL,
  diffOf,
  FINDING,
  HISTORY,
  PLAN_QUEUED,
  PLAN_READY,
  SCAN_MID,
  SCAN_NEW,
  SCAN_OLD,
} from '../../../test/read-fixtures';
import { currentPath, renderApp } from '../../../test/render-app';
import { analysedScans, diffSelection } from './cluster/History';
import { criterionOfFinding, filterFindings } from './cluster/findings';

// The screens load lazily (with Recharts): load them once up front, so no test waits for it.
beforeAll(async () => {
  await import('./ClusterDetail');
  await import('./ClusterEvidence');
  await import('./Roadmap');
});

const org = (p: string) => `/v1/orgs/${ORG_ID}${p}`;
const o = (p: string) => `/o/${ORG_ID}${p}`;

function clusterRoutes() {
  return {
    'GET /v1/me': { status: 200, body: ME },
    [`GET ${org(`/clusters/${C1}`)}`]: { status: 200, body: CLUSTER_DETAIL },
    [`GET ${org(`/clusters/${C1}/history`)}`]: {
      status: 200,
      body: { items: HISTORY, nextCursor: null },
    },
    [`GET ${org(`/clusters/${C1}/diff`)}`]: (call: RecordedCall) => ({
      status: 200,
      body: diffOf(call.query.from ?? null, call.query.to ?? SCAN_NEW),
    }),
  };
}

describe('choosing the scans to compare', () => {
  const scans = analysedScans(HISTORY);

  it('keeps analysed scans only, newest first', () => {
    expect(scans.map((s) => s.scanId)).toEqual([SCAN_NEW, SCAN_MID, SCAN_OLD]);
  });

  it('defaults to the newest scan and the one before it', () => {
    expect(diffSelection(scans, {})).toMatchObject({ to: SCAN_NEW, from: SCAN_MID });
  });

  it('keeps `from` older than `to`, and ignores ids that are not analysed scans', () => {
    expect(diffSelection(scans, { to: SCAN_MID, from: SCAN_NEW })).toMatchObject({
      to: SCAN_MID,
      from: SCAN_OLD,
    });
    expect(diffSelection(scans, { to: 'nope', from: SCAN_OLD })).toMatchObject({
      to: SCAN_NEW,
      from: SCAN_OLD,
    });
    const first = diffSelection(scans, { to: SCAN_OLD });
    expect(first).toMatchObject({ to: SCAN_OLD, from: null });
    expect(first?.older).toEqual([]);
    expect(diffSelection([], {})).toBeNull();
  });
});

describe('the cluster page', () => {
  it('shows the stack with overlaps flagged, NetworkPolicy by namespace and the criteria', async () => {
    renderApp(o(`/clusters/${C1}`), clusterRoutes());
    expect(
      await screen.findByRole('heading', { level: 1, name: /shop-prod-eu/ }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('overlaps')).toHaveTextContent(
      '1 overlap flagged: more than one tool does the same job',
    );
    expect(screen.getByTestId('overlaps')).toHaveTextContent('l3l4-policy: calico, cilium.');
    expect(screen.getByTestId('stack-table')).toHaveTextContent('Calicooverlaps with cilium');
    // One figure, labelled with what it counts: application replicas, as the criteria count
    // them; all pods beside it, labelled as such (18.7).
    expect(screen.getByTestId('np-coverage')).toHaveTextContent(
      'Ingress isolated66.7%24 of 36 application replicas (6 of 9 workloads in 1 application namespace; platform namespaces excluded',
    );
    expect(screen.getByTestId('np-all-ingress')).toHaveTextContent(
      'All pods, platform namespaces included: 75% (30 of 40 replicas)',
    );
    expect(screen.getByTestId('np-namespaces')).toHaveTextContent('shop104075%default deny25%');
    const pdb = screen.getByTestId('criterion-resilience.pdb');
    expect(pdb).toHaveTextContent('Not met');
    expect(within(pdb).getByRole('link')).toHaveAttribute(
      'href',
      o(`/clusters/${C1}/criteria/resilience.pdb`),
    );
    const exports = screen.getByTestId('exports');
    expect(within(exports).getByRole('link', { name: /SARIF/ })).toHaveAttribute(
      'href',
      org(`/scans/${SCAN_NEW}/export?format=sarif`),
    );
    expect(within(exports).getAllByRole('link')).toHaveLength(4);
    for (const a of within(exports).getAllByRole('link')) expect(a).toHaveAttribute('download');
  });

  it('filters the findings by assessment and severity', async () => {
    renderApp(o(`/clusters/${C1}`), clusterRoutes());
    const table = await screen.findByTestId('findings-table');
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Severity at least'), 'High');
    expect(within(table).getAllByRole('row')).toHaveLength(2);
    expect(table).toHaveTextContent(AGENT_FINDING.title);
    await user.selectOptions(screen.getByLabelText('Assessment'), 'Operational maturity');
    expect(within(table).getAllByRole('row')).toHaveLength(1);
    expect(
      filterFindings([FINDING, AGENT_FINDING], { domain: 'all', minSeverity: 'info' }),
    ).toEqual([AGENT_FINDING, FINDING]);
  });

  it('compares the scans chosen, keeps the choice in the URL, and asks the API for that diff', async () => {
    const { calls } = renderApp(o(`/clusters/${C1}`), clusterRoutes());
    const diff = await screen.findByTestId('scan-diff');
    expect(screen.getByTestId('diff-summary')).toHaveTextContent(
      '1 new, 0 regressed, 0 fixed and 3 unchanged findings.',
    );
    expect(within(screen.getByTestId('diff-new')).getByRole('link')).toHaveAttribute(
      'href',
      o(`/clusters/${C1}/findings/${encodeURIComponent(FINDING.id)}`),
    );
    expect(diff).toHaveTextContent('Operational maturity: level 0 → 1');
    const diffCalls = () => calls.filter((c) => c.path.endsWith('/diff'));
    expect(diffCalls().at(-1)?.query).toEqual({ to: SCAN_NEW, from: SCAN_MID });

    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Compare from'), SCAN_OLD);
    await waitFor(() =>
      expect(diffCalls().at(-1)?.query).toEqual({ to: SCAN_NEW, from: SCAN_OLD }),
    );
    expect(
      await within(screen.getByTestId('diff-fixed')).findByText(AGENT_FINDING.title),
    ).toBeInTheDocument();
    expect(currentPath()).toBe(o(`/clusters/${C1}?to=${SCAN_NEW}&from=${SCAN_OLD}`));

    // An older `to` moves `from` before it, and its findings have no evidence page to link.
    await user.selectOptions(screen.getByLabelText('to'), SCAN_MID);
    await waitFor(() =>
      expect(diffCalls().at(-1)?.query).toEqual({ to: SCAN_MID, from: SCAN_OLD }),
    );
    expect(screen.getByLabelText('Compare from')).toHaveValue(SCAN_OLD);
    expect(within(screen.getByLabelText('Compare from')).getAllByRole('option')).toHaveLength(1);
  });

  it('links to the roadmap, and each finding a ready plan fixes to its step', async () => {
    const { calls } = renderApp(o(`/clusters/${C1}`), {
      ...clusterRoutes(),
      [`GET ${org(`/clusters/${C1}/plans`)}`]: {
        status: 200,
        body: { items: [PLAN_READY], nextCursor: null },
      },
    });
    const roadmap = await screen.findByTestId('roadmap-link');
    expect(roadmap).toHaveTextContent('Roadmap to level 2');
    expect(roadmap).toHaveAttribute('href', o(`/clusters/${C1}/roadmap`));
    const table = await screen.findByTestId('findings-table');
    const link = await within(table).findByRole('link', {
      name: 'Fixed by step 1 of the roadmap',
    });
    expect(link).toHaveAttribute('href', o(`/clusters/${C1}/roadmap#step-pdb`));
    expect(link.closest('tr')).toHaveTextContent(FINDING.title);
    // One link: the accountability finding is fixed by no step.
    expect(within(table).getAllByTestId('finding-step')).toHaveLength(1);
    // Only the newest plan is read.
    expect(calls.find((c) => c.path.endsWith('/plans'))?.query).toEqual({ limit: '1' });

    // The link lands on the step, focused.
    await userEvent.setup().click(link);
    expect(currentPath()).toBe(o(`/clusters/${C1}/roadmap#step-pdb`));
    const step = await screen.findByRole('heading', {
      level: 3,
      name: 'Step 1: Add PodDisruptionBudgets to replicated application workloads',
    });
    await waitFor(() => expect(document.activeElement).toBe(step.closest('li')));
  });

  it('links no finding to a step while the newest plan is not ready, or when there is none', async () => {
    for (const items of [[PLAN_QUEUED], []]) {
      const { calls, unmount } = renderApp(o(`/clusters/${C1}`), {
        ...clusterRoutes(),
        [`GET ${org(`/clusters/${C1}/plans`)}`]: {
          status: 200,
          body: { items, nextCursor: null },
        },
      });
      const table = await screen.findByTestId('findings-table');
      // Everything the page reads has been answered.
      await screen.findByTestId('diff-summary');
      expect(calls.some((c) => c.path.endsWith('/plans'))).toBe(true);
      expect(screen.getByTestId('roadmap-link')).toHaveTextContent('Roadmap to level 2');
      expect(within(table).queryByTestId('finding-step')).toBeNull();
      expect(within(table).queryByText(/Fixed by step/)).toBeNull();
      unmount();
    }
  });

  it('says when analysing the shown scan again failed, and that its last result is shown', async () => {
    const latest = CLUSTER_DETAIL.latestScan!;
    expect(latest.id).toBe(CLUSTER_DETAIL.scan!.id);
    const failed = {
      ...CLUSTER_DETAIL,
      latestScan: { ...latest, status: 'succeeded', error: 'stored snapshot is unreadable' },
    };
    const { unmount } = renderApp(o(`/clusters/${C1}`), {
      ...clusterRoutes(),
      [`GET ${org(`/clusters/${C1}`)}`]: { status: 200, body: failed },
    });
    expect(await screen.findByTestId('reanalysis-failed')).toHaveTextContent(
      'Analysing this scan again failed: stored snapshot is unreadable. The results below are from its last successful analysis.',
    );
    expect(screen.queryByTestId('newer-scan')).toBeNull();
    unmount();
    // No error: no notice.
    renderApp(o(`/clusters/${C1}`), clusterRoutes());
    expect(
      await screen.findByRole('heading', { level: 1, name: /shop-prod-eu/ }),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('reanalysis-failed')).toBeNull();
  });

  it('says so when the cluster does not exist', async () => {
    renderApp(o('/clusters/5a1c9c3e-0000-4000-8000-00000000ffff'), {
      'GET /v1/me': { status: 200, body: ME },
    });
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Cluster not found' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'See all clusters' })).toHaveAttribute(
      'href',
      o('/clusters'),
    );
  });
});

describe('the evidence view', () => {
  it('shows a criterion with its status, reason, evidence and the findings about it', async () => {
    renderApp(o(`/clusters/${C1}/criteria/resilience.pdb`), clusterRoutes());
    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: 'PodDisruptionBudgets protect workloads',
      }),
    ).toBeInTheDocument();
    const view = screen.getByTestId('evidence-view');
    expect(view).toHaveTextContent(
      'Not met a level 2 criterion of Observability & troubleshooting',
    );
    expect(screen.getByTestId('evidence-reason')).toHaveTextContent('24 of 60 covered (40%)');
    expect(within(view).getByText('Deployment shop/web')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: FINDING.title })).toHaveAttribute(
      'href',
      o(`/clusters/${C1}/findings/${encodeURIComponent(FINDING.id)}`),
    );
    expect(
      screen.getByText(
        'Fixing this alone raises Observability & troubleshooting from level 1 to 2.',
      ),
    ).toBeInTheDocument();
  });

  it('shows a finding with its remediation, what-if and the way to its criterion', async () => {
    renderApp(o(`/clusters/${C1}/findings/${encodeURIComponent(FINDING.id)}`), clusterRoutes());
    await screen.findByRole('heading', { level: 1, name: FINDING.title });
    expect(screen.getByTestId('what-if')).toHaveTextContent('from level 1 to 2');
    await userEvent
      .setup()
      .click(screen.getByRole('link', { name: 'The criterion and its evidence' }));
    expect(currentPath()).toBe(o(`/clusters/${C1}/criteria/resilience.pdb`));
    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: 'PodDisruptionBudgets protect workloads',
      }),
    ).toHaveFocus();
  });

  it('names the OWASP risk of an accountability finding', async () => {
    renderApp(
      o(`/clusters/${C1}/findings/${encodeURIComponent(AGENT_FINDING.id)}`),
      clusterRoutes(),
    );
    await screen.findByRole('heading', { level: 1, name: AGENT_FINDING.title });
    expect(screen.getByTestId('evidence-view')).toHaveTextContent(
      'OWASP agentic risk ASI10: Rogue Agents.',
    );
    expect(criterionOfFinding(CLUSTER_DETAIL, AGENT_FINDING)).toBeNull();
    expect(criterionOfFinding(CLUSTER_DETAIL, FINDING)).toBe('resilience.pdb');
  });

  it('says in words when the finding is not in the newest scan', async () => {
    renderApp(o(`/clusters/${C1}/findings/maturity%2Fgone%3Agap`), clusterRoutes());
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Finding not found' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'This finding is not in the newest analysed scan of shop-prod-eu.',
    );
  });
});
