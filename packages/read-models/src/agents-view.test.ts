import {
  ACCOUNTABILITY_PILLARS,
  AGENTS_PAGE_MAX,
  AGENTS_PAGE_SIZE,
  agentsPageSchema,
  agentsResponseSchema,
  SEVERITIES,
  type AgentsPage,
  type AgentsPageQuery,
  type AgentsViewFinding,
  type AgentsViewItem,
  type AgentsViewPrinciple,
} from '@plumbline/contracts';
import fc from 'fast-check';
import {
  agentsFirstPage,
  agentsFirstPageJson,
  agentsListPage,
  findingsInPageOrder,
  slicePage,
  type AgentsBody,
} from './agents-view.js';

const AT = '2026-03-10T11:00:00.000Z';

function finding(i: number, over: Partial<AgentsViewFinding> = {}): AgentsViewFinding {
  const pillar = ACCOUNTABILITY_PILLARS[i % ACCOUNTABILITY_PILLARS.length]!;
  return {
    id: `accountability/${pillar}/c${i % 7}`,
    domain: 'accountability',
    pillar,
    pillarName: pillar,
    kind: 'gap',
    severity: SEVERITIES[i % SEVERITIES.length]!,
    title: `gap ${i % 7}`,
    detail: 'ASI10 Rogue Agents: blocks level 1.',
    remediation: 'fix it',
    evidence: [],
    asi: i % 3 === 0 ? null : 'ASI10',
    currentLevel: 0,
    whatIfLevel: 1,
    cluster: `cluster-${String(Math.floor(i / 7)).padStart(3, '0')}`,
    ...over,
  };
}

function item(i: number): AgentsViewItem {
  return {
    kind: (['agent', 'mcp-server', 'model-server', 'gateway'] as const)[i % 4]!,
    ref: `Deployment ai/agent-${i}`,
    namespace: 'ai',
    name: `agent-${i}`,
    source: 'workload',
    framework: null,
    signals: [],
    serviceAccount: null,
    dedicatedServiceAccount: null,
    automountToken: null,
    credentials: [],
    sharedCredentials: [],
    owner: null,
    ownerSource: null,
    registered: i % 2 === 0,
    registration: null,
    modelRoute: { route: 'none', detail: '' },
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
    cluster: `cluster-${i}`,
  };
}

function principle(i: number): AgentsViewPrinciple {
  return {
    principle: 'default-deny',
    number: 1,
    title: 'Default deny',
    failTest: 'anything goes',
    pillar: ACCOUNTABILITY_PILLARS[i % ACCOUNTABILITY_PILLARS.length]!,
    capLevel: 1,
    status: 'failed',
    evidence: [],
    reason: `reason ${i}`,
    cluster: `cluster-${i}`,
  };
}

function body(n: { items: number; findings: number; principles: number }): AgentsBody {
  return {
    status: 'assessed',
    summary: {
      agents: n.items,
      mcpServers: 0,
      modelServers: 0,
      gateways: 0,
      shadowAgents: 0,
      unownedAgents: 0,
      sharedCredentials: 0,
    },
    overall: { level: 0, levelName: 'Invisible', weakest: ['traceability'] },
    pillars: [],
    principles: Array.from({ length: n.principles }, (_, i) => principle(i)),
    items: Array.from({ length: n.items }, (_, i) => item(i)),
    findings: Array.from({ length: n.findings }, (_, i) => finding(i)),
    claimedVsEvidenced: [],
    probes: [],
  };
}

/** Every page of a list, following nextCursor from the start. */
function walk(b: AgentsBody, list: AgentsPage['list'], q: AgentsPageQuery = {}): AgentsPage[] {
  const pages: AgentsPage[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = agentsListPage(AT, b, list, { ...q, cursor });
    if ('refused' in page) throw new Error(page.refused);
    pages.push(page);
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
  }
}

/** The entries of some pages, in order. */
const entries = (page: AgentsPage): unknown[] => page.items;

describe('the agents view in pages', () => {
  const big = body({ items: 130, findings: 620, principles: 101 });

  it('GET agents: the small parts whole, the first page of each list, each list’s total', () => {
    const first = agentsResponseSchema.parse(agentsFirstPage(AT, big));
    expect(first.computedAt).toBe(AT);
    expect(first.summary).toEqual(big.summary);
    expect(first.overall).toEqual(big.overall);
    expect(first.items).toEqual(big.items.slice(0, AGENTS_PAGE_SIZE));
    expect(first.principles).toEqual(big.principles.slice(0, AGENTS_PAGE_SIZE));
    expect(first.findings).toEqual(findingsInPageOrder(big.findings).slice(0, AGENTS_PAGE_SIZE));
    expect(first.pages).toEqual({
      items: { total: 130, nextCursor: String(AGENTS_PAGE_SIZE) },
      findings: { total: 620, nextCursor: String(AGENTS_PAGE_SIZE) },
      principles: { total: 101, nextCursor: String(AGENTS_PAGE_SIZE) },
    });
    // A small view fits its first page.
    const small = agentsFirstPage(AT, body({ items: 2, findings: 0, principles: 5 }));
    expect(small.pages).toEqual({
      items: { total: 2, nextCursor: null },
      findings: { total: 0, nextCursor: null },
      principles: { total: 5, nextCursor: null },
    });
  });

  it('serialises the first page once per roll-up, and again for a new roll-up', () => {
    const b = body({ items: 3, findings: 3, principles: 3 });
    const page = agentsFirstPageJson(AT, b);
    expect(agentsFirstPageJson(AT, b)).toBe(page);
    expect(JSON.parse(page.json)).toEqual(agentsFirstPage(AT, b));
    const later = '2026-03-11T00:00:00.000Z';
    const next = agentsFirstPageJson(later, b);
    expect(JSON.parse(next.json).computedAt).toBe(later);
    expect(next.etag).not.toBe(page.etag);
  });

  it('orders findings worst first; equal ones keep the stored order', () => {
    const ordered = findingsInPageOrder(big.findings);
    expect(ordered).toHaveLength(big.findings.length);
    const rank = (f: AgentsViewFinding) => SEVERITIES.indexOf(f.severity);
    for (let i = 1; i < ordered.length; i++) {
      const [a, b] = [ordered[i - 1]!, ordered[i]!];
      expect(rank(a)).toBeLessThanOrEqual(rank(b));
      if (rank(a) === rank(b) && a.asi === b.asi && a.title === b.title && a.id === b.id)
        expect(big.findings.indexOf(a)).toBeLessThan(big.findings.indexOf(b));
    }
    expect(ordered[0]!.severity).toBe('critical');
    // The stored view itself is left as it is.
    expect(big.findings[1]!.severity).toBe('high');
  });

  it('walking every page returns each entry once, in page order, the totals on every page', () => {
    for (const [list, all] of [
      ['items', big.items],
      ['findings', findingsInPageOrder(big.findings)],
      ['principles', big.principles],
    ] as const) {
      for (const limit of [1, 7, AGENTS_PAGE_SIZE, AGENTS_PAGE_MAX]) {
        const pages = walk(big, list, { limit });
        for (const p of pages) agentsPageSchema.parse(p);
        expect(pages.flatMap(entries)).toEqual(all);
        expect(pages.every((p) => p.total === all.length && p.list === list)).toBe(true);
        expect(pages).toHaveLength(Math.ceil(all.length / limit));
      }
    }
  });

  it('filters narrow a list and its total', () => {
    const traceability = walk(big, 'findings', { pillar: 'traceability', limit: 40 });
    const expected = findingsInPageOrder(big.findings).filter((f) => f.pillar === 'traceability');
    expect(traceability.flatMap(entries)).toEqual(expected);
    expect(traceability[0]!.total).toBe(expected.length);
    const principles = walk(big, 'principles', { pillar: 'human-oversight' });
    expect(principles.flatMap(entries)).toEqual(
      big.principles.filter((p) => p.pillar === 'human-oversight'),
    );
    const shadowMcp = walk(big, 'items', { kind: 'mcp-server', shadow: true });
    expect(shadowMcp.flatMap(entries)).toEqual(
      big.items.filter((i) => i.kind === 'mcp-server' && !i.registered),
    );
    expect(walk(big, 'items', { shadow: false })[0]!.total).toBe(65);
  });

  it('refuses a cursor beyond the list, a bad limit and a filter the list does not have', () => {
    const refused = (list: AgentsPage['list'], q: AgentsPageQuery) => {
      const r = agentsListPage(AT, big, list, q);
      return 'refused' in r ? r.refused : null;
    };
    expect(refused('items', { cursor: '130' })).toMatch(/^cursor: beyond the end of the list/);
    expect(refused('items', { cursor: '129' })).toBeNull();
    expect(refused('items', { cursor: '-1' })).toMatch(/^cursor: not a cursor/);
    expect(refused('items', { cursor: 'abc' })).toMatch(/^cursor: not a cursor/);
    expect(refused('items', { limit: 0 })).toBe(`limit: from 1 to ${AGENTS_PAGE_MAX}`);
    expect(refused('items', { limit: AGENTS_PAGE_MAX + 1 })).toMatch(/^limit/);
    expect(refused('items', { pillar: 'traceability' })).toMatch(/^pillar: filters the findings/);
    expect(refused('findings', { kind: 'agent' })).toBe('kind: filters the items only');
    expect(refused('principles', { shadow: true })).toBe('shadow: filters the items only');
    // An empty list has one empty page.
    const empty = agentsListPage(AT, body({ items: 0, findings: 0, principles: 0 }), 'items', {});
    expect(empty).toEqual({ computedAt: AT, list: 'items', items: [], total: 0, nextCursor: null });
  });

  it('pages any list at any limit without overlap or gap (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: AGENTS_PAGE_MAX }),
        (seeds, limit) => {
          const all = seeds.map((s) => finding(s, { cluster: `c${s}` }));
          const walked: AgentsViewFinding[] = [];
          let cursor: string | undefined;
          for (;;) {
            const page = slicePage(all, cursor, limit);
            if ('refused' in page) throw new Error(page.refused);
            expect(page.items.length).toBeLessThanOrEqual(limit);
            walked.push(...page.items);
            if (page.nextCursor === null) break;
            cursor = page.nextCursor;
          }
          expect(walked).toEqual(all);
        },
      ),
    );
  });
});
