import {
  ACCOUNTABILITY_LEVEL_NAMES,
  ACCOUNTABILITY_PILLAR_TITLES,
  ACCOUNTABILITY_PILLARS,
  DESIGN_PATTERNS,
  SELF_ASSESSMENT_QUESTIONS,
  type AccountabilityPillar,
  type AgentsResult,
  type ClusterSnapshot,
  type DesignPattern,
  type DetectionResult,
  type EvidenceUpload,
} from '@plumbline/contracts';
import type { NetpolAnalysis } from '@plumbline/netpol';
import { CRITERIA, PRINCIPLES, type Facts } from './criteria.js';
import { discover, type Discovery } from './discover.js';
import { readEvidence, type EvidenceFacts } from './evidence.js';
import { evaluate, gaps, pillarResults, principleResult } from './score.js';
import { cmp, sortedUnique } from './util.js';

/**
 * The agents analysis step: discover agents, read the evidence uploads, score the five pillars
 * (criteria, principle caps, coverage, gaps with what-if levels) and put the self-assessment
 * beside the evidenced levels. Pure and deterministic: the same inputs, in any order, give the
 * same bytes.
 */

export interface AssessInput {
  snapshot: ClusterSnapshot;
  detection: DetectionResult;
  evidence?: readonly EvidenceUpload[];
  /** The NetworkPolicy analysis, when the pipeline already ran it (computed here otherwise). */
  netpol?: NetpolAnalysis | null;
}

const levelText = (l: number) => `Level ${l} (${ACCOUNTABILITY_LEVEL_NAMES[l]})`;

function designPattern(d: Discovery, e: EvidenceFacts): AgentsResult['designPattern'] {
  const agents = d.items.filter((i) => i.kind === 'agent');
  const rank = (p: DesignPattern) => DESIGN_PATTERNS.indexOf(p);
  const declared: { p: DesignPattern; why: string }[] = [];
  if (e.selfAssessment?.designPattern)
    declared.push({
      p: e.selfAssessment.designPattern,
      why: `declared in self-assessment ${e.selfAssessment.source}`,
    });
  for (const a of agents) {
    const p = d.extra.get(a.ref)?.declaredPattern;
    if (p) declared.push({ p, why: `declared on ${a.ref} (plumbline.io/design-pattern)` });
  }
  const inferred: { p: DesignPattern; why: string }[] = [];
  for (const a of agents) {
    const tools = d.extra.get(a.ref)?.agentTools ?? [];
    if (tools.length)
      inferred.push({
        p: 'multi-agent',
        why: `${a.ref} calls agent(s) ${tools.join(', ')} as tools`,
      });
  }
  if (e.traces?.multiAgentTraces)
    inferred.push({
      p: 'multi-agent',
      why: `${e.traces.multiAgentTraces} trace(s) with two or more agents`,
    });
  if (e.decisions) {
    const keys = new Set(
      agents.flatMap((a) => d.extra.get(a.ref)?.keys ?? []).map((k) => k.toLowerCase()),
    );
    const callees = [...e.decisions.callees].filter((c) => keys.has(c.toLowerCase())).sort(cmp);
    if (callees.length)
      inferred.push({
        p: 'multi-agent',
        why: `decision log: agents call agent(s) ${callees.join(', ')}`,
      });
  }
  if (e.traces?.parallelTraces)
    inferred.push({
      p: 'parallel',
      why: `${e.traces.parallelTraces} trace(s) with overlapping tool calls under one step`,
    });
  if (!inferred.length && agents.length === 1)
    inferred.push({
      p: 'single',
      why: 'one agent and no evidence of agents calling agents or parallel tool calls',
    });
  const top = (list: { p: DesignPattern; why: string }[]) =>
    [...list].sort((a, b) => rank(b.p) - rank(a.p) || cmp(a.why, b.why))[0];
  const evidence = sortedUnique([
    ...declared.map((x) => `${x.p}: ${x.why}`),
    ...inferred.map((x) => `${x.p}: ${x.why}`),
  ]);
  const dec = top(declared);
  if (dec) return { pattern: dec.p, basis: 'declared', evidence };
  const inf = top(inferred);
  if (inf) return { pattern: inf.p, basis: 'inferred', evidence };
  return {
    pattern: null,
    basis: null,
    evidence: agents.length ? ['not inferable from the snapshot or uploads'] : [],
  };
}

function selfAssessmentRows(
  e: EvidenceFacts,
  evidenced: Partial<Record<AccountabilityPillar, number>> | null,
): AgentsResult['selfAssessment'] {
  const sa = e.selfAssessment;
  return {
    provided: !!sa,
    respondent: sa?.respondent ?? null,
    rows: ACCOUNTABILITY_PILLARS.map((pillar) => {
      const claimed = sa ? sa.answers[pillar] : null;
      const ev = evidenced ? (evidenced[pillar] ?? null) : null;
      const gap = claimed !== null && ev !== null ? claimed - ev : null;
      let statement: string;
      if (ev === null)
        statement =
          claimed === null
            ? 'Not answered; no agents found to evidence.'
            : `You answered ${levelText(claimed)}; no agents were found, so nothing evidences it.`;
      else if (claimed === null) statement = `Not answered; evidence supports ${levelText(ev)}.`;
      else if (gap! > 0)
        statement = `You answered ${levelText(claimed)}; evidence supports ${levelText(ev)}: ${gap} level(s) above the evidence.`;
      else if (gap === 0)
        statement = `You answered ${levelText(claimed)}; evidence supports the same level.`;
      else
        statement = `You answered ${levelText(claimed)}; evidence supports ${levelText(ev)}: the evidence is ahead of the answer.`;
      return {
        pillar,
        question: SELF_ASSESSMENT_QUESTIONS[pillar],
        claimed,
        evidenced: ev,
        gap,
        statement,
      };
    }),
  };
}

/** The lists discovery reads, in a canonical order (the pipeline sorts them too). */
function canonical(s: ClusterSnapshot): ClusterSnapshot {
  const key = (o: { kind?: string; namespace?: string | null; name: string }) =>
    `${o.kind ?? ''}\u0000${o.namespace ?? ''}\u0000${o.name}`;
  // Comparing field by field is comparing the keys when no kind or namespace holds the separator
  // (U+0000 sorts before every other character): then no key is built. The sort is stable.
  type Keyed = { kind?: string; namespace?: string | null; name: string };
  const byFields = (a: Keyed, b: Keyed) =>
    cmp(a.kind ?? '', b.kind ?? '') ||
    cmp(a.namespace ?? '', b.namespace ?? '') ||
    cmp(a.name, b.name);
  const sorted = <T extends Keyed>(l: readonly T[]): T[] => {
    const plain = l.every(
      (o) => !(o.kind ?? '').includes('\u0000') && !(o.namespace ?? '').includes('\u0000'),
    );
    if (plain) {
      // The pipeline hands the lists over in this order already: one pass checks that, and a
      // stable sort of a list in order leaves it as it is.
      for (let i = 1; i < l.length; i++)
        if (byFields(l[i - 1]!, l[i]!) > 0) return [...l].sort(byFields);
      return l.slice();
    }
    const keyed = l.map((o) => ({ o, k: key(o) }));
    keyed.sort((a, b) => cmp(a.k, b.k));
    return keyed.map((x) => x.o);
  };
  return {
    ...s,
    workloads: sorted(s.workloads),
    services: sorted(s.services),
    namespaces: sorted(s.namespaces),
    serviceAccounts: sorted(s.serviceAccounts),
    roles: sorted(s.roles),
    roleBindings: sorted(s.roleBindings),
    config: { ...s.config, customResources: sorted(s.config.customResources) },
  };
}

export function assessAgents(input: AssessInput): AgentsResult {
  const evidence = readEvidence(input.evidence ?? []);
  const snapshot = canonical(input.snapshot);
  const d = discover(snapshot, input.detection, evidence, input.netpol);
  const agents = d.items.filter((i) => i.kind === 'agent');
  const count = (k: string) => d.items.filter((i) => i.kind === k).length;
  const summary: AgentsResult['summary'] = {
    agents: agents.length,
    mcpServers: count('mcp-server'),
    modelServers: count('model-server'),
    gateways: count('gateway'),
    shadowAgents: agents.filter((a) => !a.registered).length,
    unownedAgents: agents.filter((a) => !a.owner).length,
    literalCredentials: d.items.reduce(
      (n, i) =>
        n +
        i.credentials.filter((c) => c.source === 'literal' || c.source.startsWith('mcp-config'))
          .length,
      0,
    ),
    sharedCredentials: d.sharedCredentials.length,
  };
  const base = {
    summary,
    platforms: d.platforms,
    items: d.items,
    sharedCredentials: d.sharedCredentials,
    evidence: evidence.summaries,
    designPattern: designPattern(d, evidence),
  };

  if (!agents.length) {
    const others = [
      `${summary.mcpServers} MCP server(s)`,
      `${summary.modelServers} model server(s)`,
      `${summary.gateways} gateway(s)`,
    ].join(', ');
    return {
      status: 'no-agents-found',
      message: `No AI agents found in the snapshot or the uploaded evidence (${others}). Nothing was scored: this is not a Level 4 result.`,
      ...base,
      pillars: ACCOUNTABILITY_PILLARS.map((pillar) => ({
        pillar,
        title: ACCOUNTABILITY_PILLAR_TITLES[pillar],
        level: null,
        levelName: null,
        criteriaLevel: null,
        cap: null,
        coverage: null,
        criteria: [],
        claimed: evidence.selfAssessment?.answers[pillar] ?? null,
        gap: null,
      })),
      principles: [],
      overall: { level: null, levelName: null, score: null, weakest: [] },
      gaps: [],
      selfAssessment: selfAssessmentRows(evidence, null),
    };
  }

  const facts: Facts = {
    snapshot,
    detection: input.detection,
    items: d.items,
    agents,
    extra: d.extra,
    shared: d.sharedCredentials,
    evidence,
  };
  const scored = evaluate(facts, CRITERIA, PRINCIPLES);
  const evidenced = Object.fromEntries(
    ACCOUNTABILITY_PILLARS.map((p) => [p, scored.levels[p].level]),
  ) as Record<AccountabilityPillar, number>;
  const pillars = pillarResults(scored, evidence.selfAssessment?.answers ?? {});
  const mean =
    ACCOUNTABILITY_PILLARS.reduce((n, p) => n + evidenced[p], 0) / ACCOUNTABILITY_PILLARS.length;
  const weakest = ACCOUNTABILITY_PILLARS.filter((p) => evidenced[p] === scored.overall);
  return {
    status: 'assessed',
    message: `${agents.length} agent(s) assessed: overall ${levelText(scored.overall)}, set by ${weakest.map((p) => ACCOUNTABILITY_PILLAR_TITLES[p]).join(', ')}.`,
    ...base,
    pillars,
    principles: scored.principles.map((x) => principleResult(x.p, x.o)),
    overall: {
      level: scored.overall,
      levelName: ACCOUNTABILITY_LEVEL_NAMES[scored.overall]!,
      score: Math.round(250 * mean) / 10,
      weakest,
    },
    gaps: gaps(facts, scored, CRITERIA, PRINCIPLES),
    selfAssessment: selfAssessmentRows(evidence, evidenced),
  };
}
