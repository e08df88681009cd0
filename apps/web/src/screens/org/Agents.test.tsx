import { beforeAll, describe, expect, it } from '@jest/globals';
import type {
  AgentsResponse,
  AgentsViewFinding,
  AgentsViewItem,
  AgentsViewPrinciple,
  SelfAssessmentResponse,
} from '@plumbline/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ME, ORG_ID, type RecordedCall } from '../../../test/fake-api';
import { AGENT_FINDING, AGENTS, C1, SELF_ASSESSMENT } from '../../../test/read-fixtures';
import { renderApp } from '../../../test/render-app';
import { gapWords } from './agents/SelfAssessment';
import { groupGaps } from './Agents';

beforeAll(async () => {
  await import('./Agents');
  await import('./AgentsPillar');
});

const org = (p: string) => `/v1/orgs/${ORG_ID}${p}`;
const o = (p: string) => `/o/${ORG_ID}${p}`;

const ITEM: AgentsViewItem = {
  kind: 'agent',
  ref: 'Deployment ai/support-agent',
  namespace: 'ai',
  name: 'support-agent',
  source: 'workload',
  framework: 'langgraph',
  signals: ['langgraph in the image'],
  serviceAccount: 'default',
  dedicatedServiceAccount: false,
  automountToken: true,
  credentials: [
    {
      name: 'OPENAI_API_KEY',
      source: 'secretKeyRef',
      secret: 'ai/llm-keys',
      key: 'OPENAI_API_KEY',
      looksLikeCredential: false,
      provider: 'openai',
      id: 'Secret ai/llm-keys[OPENAI_API_KEY]',
    },
  ],
  sharedCredentials: ['Secret ai/llm-keys[OPENAI_API_KEY]'],
  owner: null,
  ownerSource: null,
  registered: false,
  registration: null,
  modelRoute: { route: 'direct-provider', detail: 'calls api.openai.com' },
  egress: null,
  sandbox: { sandboxed: false, runtimeClassName: null, via: null },
  rbac: null,
  artifacts: [],
  tracing: { exporter: null, signals: [] },
  workloadIdentity: null,
  codeExecution: false,
  autoRemediation: false,
  tools: [],
  findings: [],
  cluster: 'shop-prod-eu',
};

const CLUSTERS = {
  items: [
    {
      id: C1,
      organizationId: ORG_ID,
      name: 'shop-prod-eu',
      externalId: 'x',
      production: true,
      environment: null,
      environmentReason: null,
      createdAt: '2026-03-01T00:00:00Z',
      firstSeenAt: '2026-03-01T00:00:00Z',
      lastScanAt: '2026-03-10T00:00:00Z',
    },
  ],
};

const ANSWERS = {
  traceability: 3,
  'authorization-provenance': 2,
  'identity-ownership': 2,
  'policy-at-scale': 1,
  'human-oversight': 0,
};

function answered(answers: Record<string, number>): SelfAssessmentResponse {
  return {
    ...SELF_ASSESSMENT,
    current: {
      id: 'sa1',
      answers: answers as NonNullable<SelfAssessmentResponse['current']>['answers'],
      answeredBy: ME.user.id,
      createdAt: '2026-03-10T12:00:00Z',
    },
    claimedVsEvidenced: SELF_ASSESSMENT.claimedVsEvidenced.map((r) => {
      const claimed = answers[r.pillar]!;
      return { ...r, claimed, gap: r.evidenced === null ? null : claimed - r.evidenced };
    }),
  };
}

/** `GET agents` whose lists fit their first page. */
function agentsWith(over: Partial<AgentsResponse> = {}): AgentsResponse {
  const a = { ...AGENTS, items: [ITEM], ...over };
  const whole = (list: readonly unknown[]) => ({ total: list.length, nextCursor: null });
  return {
    ...a,
    pages: {
      items: whole(a.items),
      findings: whole(a.findings),
      principles: whole(a.principles),
    },
    ...(over.pages ? { pages: over.pages } : {}),
  };
}

/** `GET agents/:list` over `all`, as the API pages it (offset cursors), with its filters. */
function pagesOver<T extends { pillar?: string; kind?: string; registered?: boolean }>(
  list: string,
  all: readonly T[],
  limit = 50,
  computedAt = AGENTS.computedAt,
) {
  return (call: RecordedCall) => {
    const q = call.query;
    const shown = all.filter(
      (x) =>
        (!q.pillar || x.pillar === q.pillar) &&
        (!q.kind || x.kind === q.kind) &&
        (q.shadow === undefined || x.registered === (q.shadow !== 'true')),
    );
    const from = Number(q.cursor ?? 0);
    const to = from + Number(q.limit ?? limit);
    return {
      status: 200,
      body: {
        computedAt,
        list,
        items: shown.slice(from, to),
        total: shown.length,
        nextCursor: to < shown.length ? String(to) : null,
      },
    };
  };
}

function routes(role: 'owner' | 'viewer' = 'owner') {
  return {
    'GET /v1/me': {
      status: 200,
      body: { ...ME, organizations: [{ ...ME.organizations[0]!, role }] },
    },
    [`GET ${org('/agents')}`]: { status: 200, body: agentsWith() },
    [`GET ${org('/agents/items')}`]: pagesOver('items', [ITEM]),
    [`GET ${org('/agents/findings')}`]: pagesOver('findings', AGENTS.findings),
    [`GET ${org('/agents/principles')}`]: pagesOver('principles', AGENTS.principles),
    [`GET ${org('/clusters')}`]: { status: 200, body: CLUSTERS },
    [`GET ${org('/self-assessment')}`]: { status: 200, body: SELF_ASSESSMENT },
    [`PUT ${org('/self-assessment')}`]: (call: { body: unknown }) => ({
      status: 200,
      body: answered((call.body as { answers: Record<string, number> }).answers),
    }),
  };
}

describe('the self-assessment wizard', () => {
  it('asks one question per step with the API’s scale, saves on finish and shows claimed vs evidenced', async () => {
    const { calls } = renderApp(o('/agents'), routes());
    const user = userEvent.setup();
    expect(await screen.findByTestId('self-assessment-status')).toHaveTextContent(
      'Not answered yet',
    );
    await user.click(screen.getByRole('button', { name: 'Answer the five questions' }));
    const wizard = screen.getByTestId('self-assessment-wizard');
    expect(wizard).toHaveTextContent('Question 1 of 5 · Traceability');
    const radios = within(wizard).getAllByRole('radio');
    expect(radios.map((r) => r.closest('label')?.textContent)).toEqual([
      "can'tlevel 0",
      'days of manual worklevel 1',
      'hourslevel 2',
      'minutes, automaticallylevel 3',
      'continuously provenlevel 4',
    ]);
    const next = screen.getByRole('button', { name: 'Next' });
    expect(next).toBeDisabled();

    const values = Object.values(ANSWERS);
    const labels = SELF_ASSESSMENT.answerScale.map((a) => a.label);
    for (const [i, v] of values.entries()) {
      expect(wizard).toHaveTextContent(`Question ${i + 1} of 5`);
      await user.click(screen.getByRole('radio', { name: new RegExp(`^${labels[v]}`) }));
      if (i === 1) {
        // Back keeps what was answered.
        await user.click(screen.getByRole('button', { name: 'Back' }));
        expect(screen.getByRole('radio', { name: /^minutes, automatically/ })).toBeChecked();
        await user.click(screen.getByRole('button', { name: 'Next' }));
        expect(screen.getByRole('radio', { name: /^hours/ })).toBeChecked();
      }
      await user.click(
        screen.getByRole('button', { name: i === values.length - 1 ? 'Finish and save' : 'Next' }),
      );
    }
    expect(await screen.findByTestId('claimed-vs-evidenced')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ answers: ANSWERS });
    expect(screen.getByTestId('self-assessment-status')).toHaveTextContent('Saved. Answered');
    const row = screen.getByTestId('claim-traceability');
    expect(row).toHaveTextContent('minutes, automatically (level 3)');
    expect(row).toHaveTextContent('level 1');
    expect(row).toHaveTextContent('the claim exceeds the evidence by 2 levels');
    expect(screen.getByTestId('claim-human-oversight')).toHaveTextContent(
      'the evidence exceeds the claim by 1 level',
    );
    expect(screen.getByRole('button', { name: 'Answer again' })).toBeInTheDocument();
  });

  it('shows the API’s refusal and keeps the answers', async () => {
    renderApp(o('/agents'), {
      ...routes(),
      [`PUT ${org('/self-assessment')}`]: {
        status: 503,
        body: { error: { code: 'unavailable', message: 'the database is not reachable' } },
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Answer the five questions' }));
    for (let i = 0; i < 5; i++) {
      await user.click(screen.getByRole('radio', { name: /^hours/ }));
      await user.click(screen.getByRole('button', { name: i === 4 ? 'Finish and save' : 'Next' }));
    }
    expect(await screen.findByRole('alert')).toHaveTextContent('The database is not reachable.');
    expect(screen.getByRole('radio', { name: /^hours/ })).toBeChecked();
  });

  it('lets a viewer read, not answer', async () => {
    renderApp(o('/agents'), routes('viewer'));
    expect(
      await screen.findByText('Members and above answer the self-assessment; you can read it.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Answer the five questions' })).toBeNull();
  });

  it('words a claim beside the evidence', () => {
    expect(gapWords({ claimed: null, evidenced: 1, gap: null })).toBe('not answered');
    expect(gapWords({ claimed: 2, evidenced: null, gap: null })).toBe(
      'no evidence to compare (no agents found)',
    );
    expect(gapWords({ claimed: 2, evidenced: 2, gap: 0 })).toBe('the claim matches the evidence');
  });
});

describe('the AI agents page', () => {
  it('flags shadow agents and names credentials by source, never by value', async () => {
    renderApp(o('/agents'), routes());
    const row = await screen.findByTestId('inventory-shop-prod-eu-support-agent');
    expect(row).toHaveTextContent('support-agentshadow');
    expect(row).toHaveTextContent('no owner');
    expect(row).toHaveTextContent('Secret (env var): ai/llm-keys[OPENAI_API_KEY] (openai)shared');
    expect(screen.getByTestId('agents-weakest')).toHaveTextContent(
      'Accountability level 0 (Invisible), held there by Authorization provenance.',
    );
    const gaps = screen.getByTestId('agents-gaps');
    expect(within(gaps).getByText('ASI10')).toHaveAttribute('title', 'Rogue Agents');
    expect(within(gaps).getByRole('link', { name: 'shop-prod-eu' })).toHaveAttribute(
      'href',
      o(`/clusters/${C1}/findings/${encodeURIComponent(AGENT_FINDING.id)}`),
    );
    expect(screen.getByTestId('probes-empty')).toHaveTextContent('No probe run uploaded yet.');
    expect(screen.getByTestId('inventory-pages')).toHaveTextContent('Showing 1 of 1 items.');
  });

  it('filters the inventory through the API: the whole fleet’s shadow agents, MCP servers...', async () => {
    const mcp: AgentsViewItem = {
      ...ITEM,
      kind: 'mcp-server',
      name: 'github-mcp',
      ref: 'Deployment ai/github-mcp',
      registered: true,
    };
    const { calls } = renderApp(o('/agents'), {
      ...routes(),
      [`GET ${org('/agents/items')}`]: pagesOver('items', [ITEM, mcp]),
    });
    await screen.findByTestId('inventory-shop-prod-eu-support-agent');
    const user = userEvent.setup();
    await user.click(screen.getByLabelText('Shadow only'));
    expect(await screen.findByText('Showing 1 of 1 items.')).toBeInTheDocument();
    expect(screen.getByTestId('agents-inventory')).toHaveTextContent('support-agent');
    await user.selectOptions(screen.getByLabelText('Show'), 'MCP servers');
    expect(await screen.findByText('Showing 0 of 0 items.')).toBeInTheDocument();
    expect(within(screen.getByTestId('agents-inventory')).getAllByRole('row')).toHaveLength(1);
    await user.click(screen.getByLabelText('Shadow only'));
    expect(await screen.findByTestId('inventory-shop-prod-eu-github-mcp')).toBeInTheDocument();
    expect(calls.filter((c) => c.path === org('/agents/items')).map((c) => c.query)).toEqual([
      { shadow: 'true' },
      { kind: 'mcp-server', shadow: 'true' },
      { kind: 'mcp-server' },
    ]);
  });

  it('shows the first page of a large fleet with its totals, and loads more on request', async () => {
    const items = Array.from({ length: 3 }, (_, i) => ({
      ...ITEM,
      name: `agent-${i}`,
      ref: `Deployment ai/agent-${i}`,
    }));
    const findings: AgentsViewFinding[] = Array.from({ length: 75 }, (_, i) => ({
      ...AGENT_FINDING,
      id: `accountability/traceability/c${i}`,
      title: `Gap number ${String(i).padStart(2, '0')}`,
      cluster: 'shop-prod-eu',
    }));
    const { calls } = renderApp(o('/agents'), {
      ...routes(),
      [`GET ${org('/agents')}`]: {
        status: 200,
        body: agentsWith({
          items: items.slice(0, 2),
          findings: findings.slice(0, 50),
          pages: {
            items: { total: 3, nextCursor: '2' },
            findings: { total: 75, nextCursor: '50' },
            principles: { total: 0, nextCursor: null },
          },
        }),
      },
      [`GET ${org('/agents/items')}`]: pagesOver('items', items, 2),
      [`GET ${org('/agents/findings')}`]: pagesOver('findings', findings),
    });
    const inventory = await screen.findByTestId('inventory-pages');
    expect(inventory).toHaveTextContent('Showing 2 of 3 items.');
    expect(screen.queryByTestId('inventory-shop-prod-eu-agent-2')).toBeNull();
    const gaps = screen.getByTestId('gaps-pages');
    expect(gaps).toHaveTextContent('Showing 50 of 75 findings.');
    const rows = () => within(screen.getByTestId('agents-gaps')).getAllByRole('row').length - 1;
    expect(rows()).toBe(50);
    const user = userEvent.setup();
    await user.click(within(inventory).getByRole('button', { name: 'Show more items' }));
    expect(await screen.findByTestId('inventory-shop-prod-eu-agent-2')).toBeInTheDocument();
    expect(inventory).toHaveTextContent('Showing 3 of 3 items.');
    expect(within(inventory).queryByRole('button')).toBeNull();
    await user.click(within(gaps).getByRole('button', { name: 'Show more findings' }));
    expect(await within(gaps).findByText('Showing 75 of 75 findings.')).toBeInTheDocument();
    expect(rows()).toBe(75);
    expect(
      within(screen.getByTestId('agents-gaps')).getByText(/Gap number 74/),
    ).toBeInTheDocument();
    expect(
      calls
        .filter((c) => c.path.startsWith(org('/agents/')))
        .map((c) => [c.path.slice(org('').length), c.query]),
    ).toEqual([
      ['/agents/items', { cursor: '2' }],
      ['/agents/findings', { cursor: '50' }],
    ]);
  });

  it('does not mix in a page of a newer roll-up: it asks for a reload', async () => {
    const findings = Array.from({ length: 60 }, (_, i) => ({
      ...AGENT_FINDING,
      id: `accountability/traceability/c${i}`,
      cluster: 'shop-prod-eu',
    }));
    const { calls } = renderApp(o('/agents'), {
      ...routes(),
      [`GET ${org('/agents')}`]: {
        status: 200,
        body: agentsWith({
          findings: findings.slice(0, 50),
          pages: {
            items: { total: 1, nextCursor: null },
            findings: { total: 60, nextCursor: '50' },
            principles: { total: 0, nextCursor: null },
          },
        }),
      },
      [`GET ${org('/agents/findings')}`]: pagesOver(
        'findings',
        findings,
        50,
        '2026-03-11T00:00:00Z',
      ),
    });
    const gaps = await screen.findByTestId('gaps-pages');
    const user = userEvent.setup();
    await user.click(within(gaps).getByRole('button', { name: 'Show more findings' }));
    expect(
      await within(gaps).findByText(/The figures were recomputed since this page was loaded/),
    ).toBeInTheDocument();
    expect(gaps).toHaveTextContent('Showing 50 of 60 findings.');
    const before = calls.filter((c) => c.path === org('/agents')).length;
    await user.click(within(gaps).getByRole('button', { name: 'Reload' }));
    await waitFor(() =>
      expect(calls.filter((c) => c.path === org('/agents')).length).toBe(before + 1),
    );
  });

  it('shows each probe scenario’s expected and actual outcome, and its result', async () => {
    renderApp(o('/agents'), {
      ...routes(),
      [`GET ${org('/agents')}`]: {
        status: 200,
        body: {
          ...AGENTS,
          probes: [
            {
              evidenceId: 'e1',
              filename: 'probe-report.json',
              uploadedAt: '2026-03-10T09:00:00Z',
              passed: 1,
              failed: 1,
              inconclusive: 0,
              scenarios: [
                {
                  id: 'vault-secret-read',
                  title: 'Production secret read is refused',
                  asi: 'ASI03',
                  pillar: 'authorization-provenance',
                  mustBlock: true,
                  actualOutcome: 'blocked-before-execution',
                  attributable: true,
                  result: 'pass',
                  reasons: ['blocked with an attributable decision'],
                },
                {
                  id: 'unadvertised-tool',
                  title: 'An unadvertised tool is not called',
                  asi: 'ASI02',
                  pillar: 'policy-at-scale',
                  mustBlock: true,
                  actualOutcome: 'executed',
                  attributable: false,
                  result: 'fail',
                  reasons: ['the canary saw the call'],
                },
              ],
            },
          ],
        },
      },
    });
    const table = await screen.findByTestId('probe-scenarios');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('Production secret read is refused');
    expect(rows[0]).toHaveTextContent(
      'ASI03blocked or sent for approvalblocked-before-executionpass',
    );
    expect(rows[1]).toHaveTextContent('executednot attributable to the agentfail');
    expect(screen.getByText('1 passed, 1 failed, 0 inconclusive.')).toBeInTheDocument();
  });

  it('groups a gap seen in several clusters', () => {
    const f = { ...AGENT_FINDING, cluster: 'a' };
    const groups = groupGaps([f, { ...f, cluster: 'b' }, { ...f, cluster: 'a' }]);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.clusters).toEqual(['a', 'b']);
  });

  it('opens an accountability pillar with its criteria and their evidence', async () => {
    const withCriteria: AgentsResponse = {
      ...AGENTS,
      pillars: AGENTS.pillars.map((p) =>
        p.pillar === 'traceability'
          ? {
              ...p,
              criteria: [
                {
                  id: 'trace.exporter',
                  pillar: 'traceability',
                  level: 1,
                  title: 'Every agent exports traces automatically',
                  status: 'not-met',
                  basis: null,
                  proof: 'scan: OTEL_EXPORTER_OTLP_ENDPOINT on the agent pods',
                  evidence: ['Deployment ai/support-agent: no exporter'],
                  reason: '1 of 2 agents export traces',
                  asi: 'ASI10',
                  attestable: null,
                },
              ],
            }
          : p,
      ),
    };
    renderApp(o('/agents/pillars/traceability'), {
      ...routes(),
      [`GET ${org('/agents')}`]: { status: 200, body: withCriteria },
    });
    await screen.findByRole('heading', { level: 1, name: 'Traceability' });
    const view = screen.getByTestId('evidence-view');
    expect(view).toHaveTextContent('Not metEvery agent exports traces automatically');
    expect(view).toHaveTextContent('Why: 1 of 2 agents export traces');
    expect(within(view).getByText('Deployment ai/support-agent: no exporter')).toBeInTheDocument();
  });

  it('shows a pillar’s principles and gaps page by page, asking the API for that pillar only', async () => {
    const principle = (cluster: string): AgentsViewPrinciple => ({
      principle: 'audit-by-design',
      number: 4,
      title: 'Audit by design',
      failTest: 'no agent action is logged',
      pillar: 'traceability',
      capLevel: 1,
      status: 'failed',
      evidence: [],
      reason: 'no decision log uploaded',
      cluster,
    });
    const principles = Array.from({ length: 52 }, (_, i) =>
      principle(`cluster-${String(i).padStart(2, '0')}`),
    );
    const other = { ...principle('elsewhere'), pillar: 'human-oversight' as const };
    const { calls } = renderApp(o('/agents/pillars/traceability'), {
      ...routes(),
      [`GET ${org('/agents/principles')}`]: pagesOver('principles', [...principles, other]),
    });
    const pages = await screen.findByTestId('pillar-principles-pages');
    expect(pages).toHaveTextContent('Showing 50 of 52 principles.');
    expect(screen.getByTestId('pillar-gaps-pages')).toHaveTextContent('Showing 1 of 1 findings.');
    expect(screen.getByTestId('pillar-gaps')).toHaveTextContent(AGENT_FINDING.title);
    const user = userEvent.setup();
    await user.click(within(pages).getByRole('button', { name: 'Show more principles' }));
    expect(await within(pages).findByText('Showing 52 of 52 principles.')).toBeInTheDocument();
    expect(screen.getByTestId('pillar-principles')).toHaveTextContent('cluster-51');
    expect(screen.getByTestId('pillar-principles')).not.toHaveTextContent('elsewhere');
    expect(
      calls
        .filter((c) => c.path.startsWith(org('/agents/')))
        .map((c) => [c.path.slice(org('').length), c.query]),
    ).toEqual([
      ['/agents/principles', { pillar: 'traceability' }],
      ['/agents/findings', { pillar: 'traceability' }],
      ['/agents/principles', { cursor: '50', pillar: 'traceability' }],
    ]);
  });
});

describe('a critical exposure (issue 18 item 2)', () => {
  it('is listed first among the gaps, marked Critical, with its evidence path', async () => {
    const exposure = {
      ...AGENT_FINDING,
      id: 'accountability/identity-ownership/identity.exposed-power',
      pillar: 'identity-ownership',
      pillarName: 'Identity & ownership',
      severity: 'critical' as const,
      title:
        'No agent, MCP server or model server is reachable from outside with a powerful identity',
      asi: 'ASI03' as const,
      evidence: [
        'Deployment tools/k8s-mcp-server: reachable via LoadBalancer Service tools/k8s-mcp; identity holds cluster-admin',
      ],
      cluster: 'shop-prod-eu',
    };
    renderApp(o('/agents'), {
      ...routes(),
      [`GET ${org('/agents')}`]: {
        status: 200,
        body: agentsWith({ findings: [...AGENTS.findings, exposure] }),
      },
    });
    const gaps = await screen.findByTestId('agents-gaps');
    const rows = within(gaps).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('Critical');
    expect(rows[0]).toHaveTextContent('reachable from outside with a powerful identity');
  });
});
