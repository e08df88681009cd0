import { describe, expect, it } from '@jest/globals';
import { render, screen, within } from '@testing-library/react';
import {
  reportDataSchema,
  reportPlanSchema,
  riskAcceptanceSchema,
  type Action,
  type ReportData,
} from '@plumbline/contracts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeBidiDeep } from '../display';
import { formatDateTime, formatMoney } from '../format';
import {
  agentFacts,
  asiGaps,
  assumptionValue,
  authorisationAnswer,
  blockingCriteria,
  claimSentence,
  costEffect,
  firstEvidence,
  firstPlans,
  headline,
  hoursWords,
  levelEffect,
  taxChange,
  verificationSentence,
  vmAssessment,
  weakestWords,
} from './model';
import { whenChartsDrawn } from './ready';
import { Report } from './Report';

/** Report data of a seeded organisation with agents (bench/lib/report-orgs.mjs), trimmed. */
const DATA: ReportData = reportDataSchema.parse(
  JSON.parse(readFileSync(join(__dirname, 'fixtures/report-data.json'), 'utf8')),
);
/** Two real plans to the next level (scripts/fixtures/report-plans.mjs): one ready, one unreachable. */
const PLANS = reportPlanSchema
  .array()
  .parse(JSON.parse(readFileSync(join(__dirname, 'fixtures/report-plans.json'), 'utf8')));
const clone = (): ReportData => reportDataSchema.parse(JSON.parse(JSON.stringify(DATA)));

const action = (effect: Partial<Action['effect']>, over: Partial<Action> = {}): Action => ({
  ...DATA.topActions[0]!,
  ...over,
  effect: { level: null, pillar: null, savesCentsPerYear: null, ...effect },
});

describe('report model', () => {
  it('headline: the organisation’s levels, weakest pillars and tax, as the overview has them', () => {
    const h = headline(DATA);
    expect(h.maturity.level).toBe(DATA.overview.maturity!.level);
    expect(h.maturity.weakest.map((p) => p.id)).toEqual(
      DATA.overview.maturity!.lowest.map((p) => p.id),
    );
    expect(h.accountability).toMatchObject({
      assessed: true,
      level: DATA.overview.accountability!.level,
      levelName: 'Invisible',
    });
    expect(h.accountability.weakest.map((p) => p.id)).toEqual(DATA.overview.accountability!.lowest);
    expect(h.tax).toMatchObject({
      totalCents: DATA.overview.integrationTax!.totalCents,
      hides: DATA.overview.integrationTax!.hides,
    });
  });

  it('headline of a cluster report: that cluster’s level and tax', () => {
    const data = clone();
    const c = data.clusters[0]!;
    data.scope = { kind: 'cluster', clusterId: c.cluster.id, label: `cluster ${c.cluster.name}` };
    data.clusters = [c];
    const h = headline(data);
    expect(h.maturity.level).toBe(c.maturity!.level);
    expect(h.maturity.pillars.map((p) => p.level)).toEqual(c.maturity!.pillars.map((p) => p.level));
    expect(h.tax.totalCents).toBe(c.cost!.totalCents);
    expect(h.tax.hides).toMatch(/^\d+% of it is glue work$/);
  });

  it('weakest pillars in words', () => {
    expect(
      weakestWords([
        { id: 'a', name: 'Edge traffic', level: 0 },
        { id: 'b', name: 'Resilience', level: 0 },
      ]),
    ).toBe('held back by Edge traffic and Resilience (level 0)');
    expect(weakestWords([])).toBe('no pillar could be scored yet');
  });

  it('what-if effects of an action, on the level and on the cost', () => {
    expect(
      levelEffect(
        action({ level: { assessment: 'operational-maturity', from: 0, to: 1 }, pillar: null }),
      ),
    ).toBe('Operational maturity: level 0 → 1');
    expect(
      levelEffect(
        action(
          {
            level: { assessment: 'accountability', from: 0, to: 0 },
            pillar: { from: 0, to: 2 },
          },
          { pillarName: 'Traceability' },
        ),
      ),
    ).toBe('Traceability: 0 → 2; accountability stays at 0');
    expect(costEffect(action({ savesCentsPerYear: 1_250_000 }))).toBe('saves $12,500 / year');
    expect(costEffect(action({}))).toBe('no change to the tax');
  });

  it('claimed vs evidenced in one sentence', () => {
    const row = (claimed: number | null, evidenced: number | null) => ({
      pillar: 'traceability',
      name: 'Traceability',
      question: 'q',
      claimed,
      evidenced,
      gap: claimed === null || evidenced === null ? null : claimed - evidenced,
    });
    expect(claimSentence([row(null, 1)])).toMatch(/^No self-assessment has been answered yet/);
    expect(claimSentence([row(1, 2)])).toBe(
      'The self-assessment matches or understates the evidence in all 1 answered pillars.',
    );
    expect(claimSentence(DATA.agents.claimedVsEvidenced)).toBe(
      'The self-assessment claims more than the evidence shows in 5 of 5 pillars; the widest gap is Traceability (claimed level 3, evidenced 0).',
    );
  });

  it('evidence: the first few refs, then how many more (counting the API’s own "... N more")', () => {
    expect(firstEvidence(['a', 'b'])).toEqual(['a', 'b']);
    expect(firstEvidence(['a', 'b', 'c', 'd', '... 5 more'])).toEqual([
      'a',
      'b',
      'c',
      'and 6 more',
    ]);
  });

  it('blocking criteria: the next level’s unmet criteria of each cluster’s pillar', () => {
    const h = headline(DATA);
    const blocking = blockingCriteria(DATA, h.maturity.pillars);
    expect(blocking.map((b) => b.pillarId)).toEqual(h.maturity.pillars.map((p) => p.id));
    for (const b of blocking)
      for (const c of b.clusters) {
        const pillar = DATA.clusters
          .find((x) => x.cluster.name === c.cluster)!
          .maturity!.pillars.find((p) => p.id === b.pillarId)!;
        expect(c.level).toBe(pillar.level);
        expect(c.criteria.map((k) => k.id)).toEqual(
          pillar.criteria
            .filter((k) => k.level === pillar.level + 1 && k.status !== 'met')
            .map((k) => k.id),
        );
      }
    expect(blocking.some((b) => b.clusters.some((c) => c.criteria.length > 0))).toBe(true);
  });

  it('agents: shadow, unowned and shared keys; gaps by OWASP ASI code', () => {
    const facts = agentFacts(DATA);
    const agents = DATA.agents.items.filter((i) => i.kind === 'agent');
    expect(facts.shadow).toEqual(agents.filter((i) => !i.registered));
    expect(facts.unowned).toEqual(agents.filter((i) => i.owner === null));
    expect(facts.shared.length).toBeGreaterThan(0);
    for (const s of facts.shared) expect(s.holders.length).toBeGreaterThan(1);
    const gaps = asiGaps(DATA);
    expect(gaps.map((g) => g.asi)).toEqual([...gaps.map((g) => g.asi)].sort());
    expect(gaps.flatMap((g) => g.gaps).length).toBe(
      new Set(DATA.agents.findings.filter((f) => f.asi).map((f) => f.id)).size,
    );
  });

  it('VM assessment only when the cost read model has one', () => {
    expect(vmAssessment(DATA)).toBeNull();
    const data = clone();
    data.cost.vms = { vms: [] };
    expect(vmAssessment(data)).toBeNull();
    data.cost.vms = {
      vms: [
        {
          vm: 'ldap-01',
          source: 'inventory',
          dependencies: 6,
          riskScore: 14,
          teamsL2: ['platform'],
          teamsL3: ['platform', 'security'],
          keepsIpWithL2: true,
          reasons: ['3 firewall rule(s) name its IP'],
        },
      ],
      approvalQuestions: [],
      dualPlatformCents: 19_000_000,
      dualPlatformFormula: 'f',
    };
    expect(vmAssessment(data)?.vms[0]?.vm).toBe('ldap-01');
  });

  it('assumption values and the authorisation answer in words', () => {
    expect(assumptionValue('glueShare', 0.1)).toBe('10%');
    expect(assumptionValue('loadedSalary', 190000)).toBe('$190,000');
    // Prices per hour keep their significant digits: never "$0.00" for a non-zero price (18.9).
    expect(assumptionValue('cpuPricePerVcpuHour', 0.031)).toBe('$0.031');
    expect(assumptionValue('memoryPricePerGibHour', 0.004237)).toBe('$0.004237');
    expect(assumptionValue('memoryPricePerGibHour', 0)).toBe('$0.00');
    expect(assumptionValue('includeComputeFootprint', true)).toBe('yes');
    expect(assumptionValue('licenceByTool', {})).toBe('none');
    expect(authorisationAnswer(0)).toMatch(/^Today nobody can say/);
    expect(authorisationAnswer(null)).toMatch(/no agent action/);
  });
});

describe('Report', () => {
  it('executive summary: the levels, the tax and the first actions, with their effects', () => {
    render(<Report data={DATA} />);
    const exec = screen.getByTestId('exec-summary');
    const text = exec.textContent ?? '';
    expect(text).toContain(`operational maturity level ${DATA.overview.maturity!.level} of 4`);
    expect(text).toContain(formatMoney(DATA.overview.integrationTax!.totalCents));
    expect(text).toContain(DATA.overview.integrationTax!.hides);
    const rows = within(screen.getByTestId('exec-actions')).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(DATA.topActions.length);
    DATA.topActions.forEach((a, i) => {
      expect(rows[i]).toHaveTextContent(a.title);
      expect(rows[i]).toHaveTextContent(levelEffect(a));
    });
    // Severity is a column, and an action above a more severe one says why (18.8).
    expect(
      within(screen.getByTestId('exec-actions')).getByRole('columnheader', { name: 'Severity' }),
    ).toBeInTheDocument();
    expect(text).toContain('Claimed vs evidenced');
    expect(text).toContain('This is the first report for this scope');
  });

  it('what to do first: a severity column, and the reason an Info sits above a High', () => {
    const data = clone();
    const first = action(
      { level: { assessment: 'operational-maturity', from: 1, to: 2 } },
      {
        id: 'maturity/a',
        rank: 1,
        severity: 'info',
        why: "raises the organisation's operational maturity level from 1 to 2 (seen in cluster a); ranked above 1 more severe action because it raises the organisation level (1 -> 2) and they do not",
      },
    );
    const second = action(
      {},
      { id: 'maturity/b', rank: 2, severity: 'high', why: 'a high finding' },
    );
    data.topActions = [first, second];
    render(<Report data={data} />);
    const rows = within(screen.getByTestId('exec-actions')).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('Info');
    expect(rows[0]).toHaveTextContent('ranked above 1 more severe action because it raises');
    expect(rows[1]).toHaveTextContent('High');
  });

  it('every section, with vector charts drawn at a fixed size', async () => {
    const { container } = render(<Report data={DATA} />);
    for (const id of ['exec-summary', 'maturity', 'agents', 'tax', 'trend', 'appendix'])
      expect(screen.getByTestId(id)).toBeInTheDocument();
    expect(screen.getByTestId('cover-org')).toHaveTextContent('Acme Robotics');
    expect(screen.getByTestId('asi-gaps')).toHaveTextContent('ASI');
    expect(screen.getByTestId('agents')).toHaveTextContent('Probe results');
    const charts = await whenChartsDrawn(container as HTMLElement);
    expect(charts).toBe(container.querySelectorAll('.chart__plot').length);
    expect(charts).toBeGreaterThanOrEqual(4);
  });

  it('integration tax: every symbol with its meaning and value, each cluster’s contribution, the licence range (18.9)', () => {
    const data = clone();
    const tax = data.cost.integrationTax!;
    tax.lines[0] = {
      ...tax.lines[0]!,
      symbols: [
        { symbol: 'I', meaning: 'integration seams', value: 28 },
        { symbol: 'R', meaning: 'loaded hourly rate', value: 91.34615 },
      ],
      explanation: ['I / I_ref = 28 / 10 = 2.8: the fleet has 28 integration seams.'],
    };
    tax.perCluster = [
      {
        cluster: 'ai-platform',
        marginalCents: 86_000_000,
        addsTools: ['istio'],
        addsSeams: 9,
        why: '$860,000 a year: brings 1 tool(s) no other cluster runs (istio)',
      },
      {
        cluster: 'legacy-dev',
        marginalCents: 100_000,
        addsTools: [],
        addsSeams: 0,
        why: '$1,000 a year: runs only tools other clusters already run',
      },
    ];
    tax.consolidation.platformLicenceBasis = 'estimated: list price x 18 nodes';
    tax.consolidation.platformLicenceRange = {
      lowCents: 788_400,
      highCents: 4_730_400,
      threeYearRoi: [5.1, 6.2],
      paybackMonths: [4.9, 5.8],
      basis: '2-vCPU to 12-vCPU nodes',
    };
    render(<Report data={data} />);
    const symbols = screen.getByTestId('tax-symbols');
    expect(symbols).toHaveTextContent('Iintegration seams28');
    expect(symbols).toHaveTextContent('Rloaded hourly rate91.35');
    expect(screen.getByText(/I \/ I_ref = 28 \/ 10 = 2.8/)).toBeInTheDocument();
    expect(screen.getByTestId('tax-per-cluster')).toHaveTextContent(
      'ai-platform$860,000brings 1 tool(s) no other cluster runs (istio)',
    );
    expect(screen.getByTestId('platform-licence-range')).toHaveTextContent(
      'from $7,884 to $47,304 a year (2-vCPU to 12-vCPU nodes), the three-year return is 510% to 620% and the payback 4.9 months to 5.8 months.',
    );
  });

  it('trend table: every row with its time, and a change of method named (18.10)', () => {
    const data = clone();
    const base = {
      maturityLevel: 1,
      maturityScore: 40,
      accountabilityLevel: 0,
      methodologyVersion: '2026.11.4',
    };
    data.overview.trends = [
      { ...base, at: '2026-11-01T09:15:00.000Z', taxCents: 140_000_000, changes: [] },
      {
        ...base,
        at: '2026-11-01T16:40:00.000Z',
        taxCents: 226_000_000,
        changes: ['cost assumptions edited: engineers 10 -> 16'],
      },
    ];
    render(<Report data={data} />);
    const table = within(screen.getByTestId('trend')).getAllByRole('table').at(-1)!;
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent(formatDateTime('2026-11-01T09:15:00.000Z'));
    expect(rows[1]).toHaveTextContent(formatDateTime('2026-11-01T16:40:00.000Z'));
    expect(rows[1]).toHaveTextContent('cost assumptions edited: engineers 10 -> 16');
  });

  it('an organisation without agents says so instead of scoring nothing', () => {
    const data = clone();
    data.agents = {
      ...data.agents,
      status: 'no-agents-found',
      items: [],
      findings: [],
      probes: [],
    };
    data.overview.accountability = { ...data.overview.accountability!, status: 'no-agents-found' };
    render(<Report data={data} />);
    expect(screen.getByTestId('exec-summary')).toHaveTextContent(
      'No AI agents were found in the scanned clusters.',
    );
    expect(screen.getByTestId('agents')).toHaveTextContent('No AI agents, MCP servers');
    expect(screen.queryByTestId('asi-gaps')).toBeNull();
  });

  it('changes since the previous report', () => {
    const data = clone();
    const finding = DATA.clusters[0]!.findings[0]!;
    data.sincePrevious = {
      previousReportId: 'r0',
      previousAt: '2026-10-01T00:00:00.000Z',
      maturityLevel: { from: 0, to: 1 },
      accountabilityLevel: { from: 0, to: 0 },
      taxCents: { from: 50_000_000, to: 43_493_995 },
      clusters: [
        {
          cluster: 'ai-platform',
          diff: {
            from: { scanId: 's0', collectedAt: null },
            to: { scanId: 's1', collectedAt: null },
            new: [],
            fixed: [finding],
            regressed: [{ ...finding, id: 'x', title: 'Came back', reason: 'seen before' }],
            unchanged: 3,
            levels: {
              maturity: { from: 0, to: 1 },
              accountability: { from: 0, to: 0 },
              taxCents: { from: 50_000_000, to: 43_493_995 },
            },
          },
        },
      ],
    };
    render(<Report data={data} />);
    expect(screen.getByTestId('exec-summary')).toHaveTextContent(
      'operational maturity 0 → 1, accountability 0 → 0, integration tax $500,000 → $434,940',
    );
    const trend = screen.getByTestId('trend');
    expect(trend).toHaveTextContent('ai-platform: 0 new, 1 fixed, 1 regressed, 3 unchanged');
    expect(trend).toHaveTextContent(finding.title);
    expect(trend).toHaveTextContent('Came back (seen before)');
  });
});

describe('whenChartsDrawn', () => {
  it('names the charts that did not draw, and stops early when the page already failed', async () => {
    const root = document.createElement('div');
    root.innerHTML =
      '<main class="report"><figure><figcaption>Tax</figcaption><div class="chart__plot"></div></figure></main>';
    await expect(whenChartsDrawn(root, () => false, 50)).rejects.toThrow(
      '1 chart(s) did not draw: Tax',
    );
    await expect(whenChartsDrawn(root, () => true, 50)).resolves.toBe(0);
    await expect(whenChartsDrawn(document.createElement('div'), () => false, 50)).rejects.toThrow(
      'the report did not appear on the page',
    );
  });
});

describe('names with bidi controls (issue 17 item 14)', () => {
  it('are printed escaped: the page escapes its data before drawing (main.tsx)', () => {
    const RLO = '\u202E';
    const data = clone();
    data.organization.name = `Acme${RLO}evil`;
    const safe = reportDataSchema.parse(escapeBidiDeep(data));
    const { container } = render(<Report data={safe} />);
    expect(container.textContent).toContain('Acme\\u202Eevil');
    expect(container.textContent).not.toContain(RLO);
    const main = readFileSync(join(__dirname, 'main.tsx'), 'utf8');
    expect(main).toMatch(/reportDataSchema\.safeParse\(escapeBidiDeep\(/);
  });
});

describe('the plan to the next level in the report', () => {
  const ready = PLANS[0]!;
  const unreachable = PLANS[1]!;
  const body = ready.plan!.reachable ? ready.plan! : null;
  if (!body?.reachable) throw new Error('fixture: the first plan must be reachable');
  /** An organisation at the plans' level (the fixture's clusters are at level 1). */
  const atLevel = (level: number) => {
    const data = clone();
    data.overview.maturity!.level = level;
    data.plans = PLANS;
    return data;
  };

  it('model: plans of the clusters that hold the organisation back, reachable and cheapest first', () => {
    const data = atLevel(1);
    expect(firstPlans(data, headline(data)).map((p) => p.clusterName)).toEqual([
      'shop-prod',
      'ml-lab',
    ]);
    // Clusters above the organisation's level do not hold it back.
    const lower = atLevel(0);
    expect(firstPlans(lower, headline(lower))).toEqual([]);
    expect(taxChange(0)).toBe('no change');
    expect(taxChange(49)).toBe('no change');
    expect(taxChange(120_000)).toBe('+$1,200');
    expect(taxChange(-80_000)).toBe('−$800');
    expect(hoursWords(1)).toBe('1 hour');
    expect(hoursWords(29.5)).toBe('29.5 hours');
    const v = ready.verification!;
    expect(verificationSentence(ready)).toBe(
      `Plumbline generated ${v.objects} Kubernetes objects for the generated steps, applied them to the scanned cluster and re-ran the whole analysis: the result reaches the levels the plan promises, and none of the ${v.checked} connections the cluster's Services expose are cut.`,
    );
    expect(verificationSentence({ ...ready, verification: null })).toMatch(/^Every step is manual/);
    expect(
      verificationSentence({ ...ready, verification: { ...v, cut: 1, levelsAsPromised: false } }),
    ).toMatch(/does not reach the levels the plan promises, and 1 of the .* is cut\.$/);
  });

  it('what to do first: the plan with effort, level and tax after each step; the unreachable one says why', () => {
    render(<Report data={atLevel(1)} />);
    const exec = screen.getByTestId('exec-summary');
    expect(within(exec).queryByTestId('exec-actions')).toBeNull();
    const [first, second] = within(exec).getAllByTestId('plan-first');
    expect(first).toHaveTextContent(
      `To take shop-prod from level ${body.from.level} to level ${body.to.level}: ${body.steps.length} steps, ${hoursWords(body.hours)} of engineering work; integration tax ${formatMoney(body.from.taxCents)} → ${formatMoney(body.to.taxCents)} a year.`,
    );
    const rows = within(first!).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(Math.min(6, body.steps.length));
    rows.forEach((r, i) => {
      const s = body.steps[i]!;
      expect(r).toHaveTextContent(s.title);
      expect(r).toHaveTextContent(s.kind === 'generated' ? 'manifests provided' : 'manual');
      expect(r).toHaveTextContent(hoursWords(s.hours));
      expect(r).toHaveTextContent(taxChange(s.taxDeltaCents));
    });
    expect(rows.at(-1)).toHaveTextContent(String(body.steps[rows.length - 1]!.after.level));
    expect(first).toHaveTextContent('none of the');
    expect(second).toHaveTextContent(/^ml-lab: Level 2 is out of reach from this scan's evidence/);
    // No internal criterion ids in what a leader reads.
    expect(second!.textContent).not.toMatch(/resilience\.pdb/);
  });

  it('roadmap page: the 30/60/90-day phases with step titles, effort, level and tax after each', () => {
    render(<Report data={atLevel(1)} />);
    const page = screen.getByTestId('roadmap');
    const [plan, out] = within(page).getAllByTestId('roadmap-plan');
    const phases = body.roadmap.filter((p) => p.steps.length);
    const rows = within(plan!).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(phases.length);
    phases.forEach((ph, i) => {
      expect(rows[i]).toHaveTextContent(ph.byDay === null ? 'After 90 days' : `By day ${ph.byDay}`);
      for (const id of ph.steps)
        expect(rows[i]).toHaveTextContent(body.steps.find((s) => s.id === id)!.title);
      expect(rows[i]).toHaveTextContent(formatMoney(ph.after.taxCents));
    });
    expect(within(plan!).getAllByRole('listitem')).toHaveLength(body.steps.length);
    expect(page).toHaveTextContent(`${body.hoursPerPhase} hours of the team’s time per phase`);
    expect(out).toHaveTextContent('ml-lab: level 2 is out of reach');
    expect(out).toHaveTextContent(unreachable.reason!.slice(1, 40));
  });

  it('without plans (no scan with workloads): the ranked actions, and no roadmap page', () => {
    const data = clone();
    data.plans = [];
    render(<Report data={data} />);
    expect(screen.getByTestId('exec-actions')).toBeInTheDocument();
    expect(screen.queryByTestId('roadmap')).toBeNull();
  });

  it('accepted risks: who owns them and until when; expired ones are reported; plans say what they count as met', () => {
    const data = atLevel(1);
    const risk = (over: object) =>
      riskAcceptanceSchema.parse({
        id: '00000000-0000-4000-a000-000000000001',
        clusterId: null,
        clusterName: null,
        kind: 'criterion',
        targetId: 'edge.tls',
        title: 'Every Ingress host and Gateway terminates TLS',
        owner: 'Platform team',
        reason: 'TLS ends at the external load balancer.',
        expiresAt: '2027-03-01T00:00:00.000Z',
        state: 'active',
        createdById: null,
        createdAt: '2026-12-01T00:00:00.000Z',
        revokedAt: null,
        revokedById: null,
        ...over,
      });
    data.riskAcceptances = [
      risk({}),
      risk({
        id: '00000000-0000-4000-a000-000000000002',
        targetId: 'resilience.pdb',
        title: 'PodDisruptionBudgets protect multi-replica workloads',
        clusterName: 'shop-prod',
        owner: 'SRE',
        expiresAt: '2026-11-01T00:00:00.000Z',
        state: 'expired',
      }),
    ];
    const plan = data.plans[0]!;
    if (!plan.plan?.reachable) throw new Error('fixture');
    plan.plan.accepted = ['edge.tls'];
    render(<Report data={data} />);
    const table = screen.getByTestId('accepted-risks');
    expect(table).toHaveTextContent(
      '1 acceptance has expired: it applies again and needs a decision.',
    );
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('Every Ingress host and Gateway terminates TLS');
    expect(rows[0]).toHaveTextContent('every cluster');
    expect(rows[0]).toHaveTextContent('Platform team');
    expect(rows[1]).toHaveTextContent('shop-prod');
    expect(rows[1]).toHaveTextContent('expired on');
    expect(screen.getByTestId('plan-accepted')).toHaveTextContent(
      /Levels counted with 1 accepted risk as met \(out of this plan\): Every Ingress host and Gateway terminates TLS \(Platform team, until .*2027\)\./,
    );
  });
});
