import {
  findingSchema,
  scanSummarySchema,
  type Finding,
  type MaturityResult,
} from '@plumbline/contracts';
import { snapshotFromSpec } from '@plumbline/detection';
import { rankActions, type ActionCluster } from './actions.js';
import { csvCell, findingsCsv, findingsSarif, policyReport } from './exports.js';
import { appendTrend, organisationMaturity } from './org.js';
import { analyze } from './pipeline.js';
import { clusterDetailParts, diffFindings, findingsOf, summarize } from './views.js';

const result = analyze({
  snapshot: snapshotFromSpec({
    workloads: [
      {
        kind: 'DaemonSet',
        namespace: 'kube-system',
        name: 'calico-node',
        images: ['quay.io/calico/node:v3.31.0'],
      },
      {
        kind: 'Deployment',
        namespace: 'bots',
        name: 'helper',
        images: ['ghcr.io/acme/langgraph-helper:1.0.0'],
      },
      { kind: 'Deployment', namespace: 'shop', name: 'web', images: ['nginx:1.27'] },
    ],
  }),
});

const finding = (id: string, severity: Finding['severity'] = 'medium'): Finding => ({
  id,
  domain: 'maturity',
  pillar: 'resilience',
  pillarName: 'Resilience',
  kind: 'gap',
  severity,
  title: id,
  detail: '',
  remediation: 'fix it',
  evidence: [],
  asi: null,
  currentLevel: 1,
  whatIfLevel: 2,
});

describe('findings and the scan digest', () => {
  it('one finding per maturity finding and accountability gap, ids unique, contract-valid', () => {
    const f = findingsOf(result);
    expect(f.filter((x) => x.domain === 'maturity')).toHaveLength(
      result.steps.maturity.findings.length,
    );
    expect(f.filter((x) => x.domain === 'accountability')).toHaveLength(
      result.steps.agents.gaps.length,
    );
    expect(new Set(f.map((x) => x.id)).size).toBe(f.length);
    for (const x of f) findingSchema.parse(x);
  });

  it('the digest holds levels, tax and every finding id with its severity', () => {
    const s = scanSummarySchema.parse(summarize(result, '2026-11-01T00:00:00Z'));
    expect(s.maturity.level).toBe(result.steps.maturity.level);
    expect(s.taxCents).toBe(result.steps.cost.totalCents);
    expect(Object.keys(s.findings).sort()).toEqual(
      findingsOf(result)
        .map((f) => f.id)
        .sort(),
    );
  });

  it('the cluster view lists each detected component once, in its layer, with overlaps', () => {
    const parts = clusterDetailParts(result);
    const ids = parts.stack!.layers.flatMap((l) => l.components.map((c) => c.id));
    expect(ids.sort()).toEqual(result.steps.detection.components.map((c) => c.id).sort());
    for (const l of parts.stack!.layers)
      expect(l.components.every((c) => c.category === l.category)).toBe(true);
  });
});

describe('diffFindings', () => {
  it('new, fixed, regressed (came back or worse), unchanged', () => {
    const d = diffFindings(
      [finding('a'), finding('b'), finding('c', 'low')],
      [finding('b'), finding('c', 'high'), finding('d'), finding('e')],
      new Set(['e']),
    );
    expect(d.fixed.map((f) => f.id)).toEqual(['a']);
    expect(d.new.map((f) => f.id)).toEqual(['d']);
    expect(d.regressed.map((f) => [f.id, f.reason])).toEqual([
      ['c', 'severity rose from low to high'],
      ['e', 'fixed in an earlier scan, present again'],
    ]);
    expect(d.unchanged).toBe(1);
  });
});

describe('rankActions', () => {
  const maturity = (levels: Record<string, number>, findings: MaturityResult['findings']) =>
    ({
      ...result.steps.maturity,
      pillars: result.steps.maturity.pillars.map((p) => ({ ...p, level: levels[p.id] ?? 4 })),
      findings,
    }) as MaturityResult;
  const gap = (
    id: string,
    pillar: MaturityResult['findings'][number]['pillar'],
    current: number,
    whatIf: number,
  ) => ({
    id,
    pillar,
    kind: 'gap' as const,
    severity: 'medium' as const,
    title: id,
    detail: '',
    remediation: `do ${id}`,
    source: id,
    evidence: [],
    currentLevel: current,
    whatIfLevel: whatIf,
  });
  const noAgents = { ...result.steps.agents, status: 'no-agents-found' as const };

  it('ranks the fix that lifts the organisation level first, grouped across clusters', () => {
    // Both clusters sit at resilience 1; only fixing `pdb` in both lifts the organisation.
    const clusters: ActionCluster[] = [
      {
        name: 'a',
        production: true,
        maturity: maturity({ resilience: 1 }, [
          gap('pdb', 'resilience', 1, 2),
          gap('tls', 'edge-traffic', 4, 4),
        ]),
        agents: noAgents,
      },
      {
        name: 'b',
        production: true,
        maturity: maturity({ resilience: 1, compliance: 3 }, [
          gap('pdb', 'resilience', 1, 2),
          gap('scan', 'compliance', 3, 4),
        ]),
        agents: noAgents,
      },
    ];
    const actions = rankActions(clusters, {
      whatIfs: [{ action: 'consolidate metrics', removesTool: 'datadog', savesCents: 5_000_00 }],
    });
    expect(actions[0]).toMatchObject({
      rank: 1,
      id: 'maturity/pdb',
      clusters: ['a', 'b'],
      effect: { level: { assessment: 'operational-maturity', from: 1, to: 2 } },
    });
    expect(actions[0]!.why).toMatch(/from 1 to 2/);
    // Pillar gain without a level gain ranks next, then the cost saving.
    expect(actions.map((a) => a.id).slice(1, 3)).toEqual(['maturity/scan', 'cost/datadog']);
    expect(actions.find((a) => a.id === 'cost/datadog')!.effect.savesCentsPerYear).toBe(500_000);
  });

  it('effect on the level first, then severity: never a High after an Info without saying why (18.8)', () => {
    const sev = (
      f: ReturnType<typeof gap>,
      severity: MaturityResult['findings'][number]['severity'],
    ) => ({ ...f, severity });
    const clusters: ActionCluster[] = [
      {
        name: 'a',
        production: true,
        maturity: maturity({ resilience: 1, compliance: 3 }, [
          sev(gap('pdb', 'resilience', 1, 2), 'info'), // lifts the organisation 1 -> 2
          sev(gap('scan', 'compliance', 3, 4), 'low'), // lifts a pillar only
          sev(gap('tls', 'edge-traffic', 4, 4), 'high'), // changes no level
          sev(gap('probes', 'resilience', 1, 1), 'medium'),
        ]),
        agents: noAgents,
      },
    ];
    const actions = rankActions(clusters, null);
    expect(actions.map((a) => [a.id, a.severity])).toEqual([
      ['maturity/pdb', 'info'],
      ['maturity/tls', 'high'],
      ['maturity/probes', 'medium'],
      ['maturity/scan', 'low'],
    ]);
    expect(actions[0]!.why).toMatch(
      /ranked above 3 more severe actions because it raises the organisation level \(1 -> 2\)/,
    );
    for (const a of actions.slice(1)) expect(a.why).not.toMatch(/ranked above/);
  });

  it('generated fleets: every action ranked above a more severe one says why', () => {
    const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
    const order = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
    const pillars = ['resilience', 'compliance', 'edge-traffic', 'observability'] as const;
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 40; run++) {
      const clusters: ActionCluster[] = ['x', 'y', 'z'].slice(0, 1 + rnd(3)).map((name) => {
        const levels = Object.fromEntries(pillars.map((p) => [p, rnd(4)]));
        const findings = Array.from({ length: 2 + rnd(6) }, (_, i) => {
          const p = pillars[rnd(pillars.length)]!;
          return {
            ...gap(`f${rnd(8)}-${i}`, p, levels[p]!, Math.min(4, levels[p]! + rnd(3))),
            severity: severities[rnd(5)]!,
          };
        });
        return { name, production: true, maturity: maturity(levels, findings), agents: noAgents };
      });
      const actions = rankActions(clusters, null);
      actions.forEach((a, i) => {
        const worse = actions.slice(i + 1).some((b) => order[b.severity] > order[a.severity]);
        if (worse)
          expect({ id: a.id, why: a.why }).toEqual({
            id: a.id,
            why: expect.stringMatching(/ranked above \d+ more severe/),
          });
      });
    }
  });

  it('a level-N criterion whose fix alone stops short of N says what else level N needs (18.7)', () => {
    const m = result.steps.maturity;
    const pillar = m.pillars.find(
      (p) =>
        p.criteria.some((c) => c.level === 3 && c.status !== 'met') &&
        p.criteria.filter((c) => c.level <= 3 && c.status !== 'met').length > 1,
    )!;
    const target = pillar.criteria.find((c) => c.level === 3 && c.status !== 'met')!;
    const clusters: ActionCluster[] = [
      {
        name: 'a',
        production: true,
        maturity: {
          ...m,
          findings: [
            {
              ...gap(`${target.id}:gap`, pillar.id, 0, 2),
              title: `Level 3 not met: ${target.title}`,
              source: target.id,
            },
          ],
        },
        agents: noAgents,
      },
    ];
    const [a] = rankActions(clusters, null);
    expect(a!.why).toContain(
      `this level-3 criterion alone brings ${pillar.name} to 2, not 3: level 3 also needs "`,
    );
  });

  it('non-production clusters do not move the organisation level when production ones exist', () => {
    const actions = rankActions(
      [
        { name: 'prod', production: true, maturity: maturity({}, []), agents: noAgents },
        {
          name: 'dev',
          production: false,
          maturity: maturity({ resilience: 0 }, [gap('pdb', 'resilience', 0, 1)]),
          agents: noAgents,
        },
      ],
      null,
    );
    expect(actions[0]!.effect.level).toBeNull();
    expect(actions[0]!.why).toMatch(/outside the clusters/);
  });
});

describe('organisation roll-up helpers', () => {
  it('maturity: lowest production pillar, replica-weighted score', () => {
    const pillars = (r: number) => [
      { id: 'resilience', name: 'Resilience', level: r },
      { id: 'observability', name: 'Observability', level: 3 },
    ];
    const m = organisationMaturity([
      {
        name: 'p',
        production: true,
        replicas: 30,
        maturity: { level: 2, score: 60, pillars: pillars(2) },
      },
      {
        name: 'd',
        production: false,
        replicas: 10,
        maturity: { level: 0, score: 20, pillars: pillars(0) },
      },
    ])!;
    expect(m.level).toBe(2);
    expect(m.lowest.map((p) => p.id)).toEqual(['resilience']);
    expect(m.score).toBe(50); // (60*30 + 20*10) / 40
  });

  it('trend points are replaced by date and kept in order', () => {
    const p = (at: string, tax: number) => ({
      at,
      maturityLevel: 1,
      maturityScore: 30,
      accountabilityLevel: null,
      taxCents: tax,
      methodologyVersion: null,
      changes: [],
    });
    const t = appendTrend([p('2026-02', 1), p('2026-01', 1)], p('2026-02', 9));
    expect(t.map((x) => [x.at, x.taxCents])).toEqual([
      ['2026-01', 1],
      ['2026-02', 9],
    ]);
  });
});

describe('exports', () => {
  const meta = {
    cluster: 'c1',
    scanId: '00000000-0000-4000-8000-000000000001',
    collectedAt: null,
    toolVersion: '1',
  };

  it('CSV quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(null)).toBe('');
    const csv = findingsCsv([finding('a'), finding('b')]);
    expect(csv.split('\r\n')).toHaveLength(4); // header, 2 rows, trailing empty
  });

  it('SARIF: one rule per finding id, results reference rules, levels from severity', () => {
    const s = findingsSarif([finding('a', 'critical'), finding('b', 'low')], meta) as {
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: { ruleId: string; level: string }[];
      }[];
    };
    expect(s.runs[0]!.tool.driver.rules.map((r) => r.id)).toEqual(['a', 'b']);
    expect(s.runs[0]!.results.map((r) => r.level)).toEqual(['error', 'note']);
  });

  it('PolicyReport: every criterion is a result, summary counts agree', () => {
    const r = policyReport(result, meta) as {
      kind: string;
      summary: Record<string, number>;
      results: { result: string }[];
    };
    const criteria = result.steps.maturity.pillars.flatMap((p) => p.criteria).length;
    expect(r.kind).toBe('ClusterPolicyReport');
    expect(r.results.length).toBeGreaterThanOrEqual(criteria);
    const n = (x: string) => r.results.filter((y) => y.result === x).length;
    expect(r.summary).toEqual({
      pass: n('pass'),
      fail: n('fail'),
      warn: 0,
      error: 0,
      skip: n('skip'),
    });
    expect(n('fail')).toBeGreaterThan(0);
  });
});
