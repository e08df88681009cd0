import type { AnalysisResult } from '@plumbline/contracts';

/** The AI-agent accountability part of the `scan --analyze` table (JSON: `steps.agents`). */

function pad(s: string, n: number): string {
  return s.length >= n ? `${s.slice(0, n - 1)}…` : s + ' '.repeat(n - s.length);
}

const MAX_ITEMS = 20;
const MAX_GAPS = 10;

export function formatAgents(r: AnalysisResult): string[] {
  const a = r.steps.agents;
  const s = a.summary;
  const lines: string[] = [];
  const inventory = `${s.agents} agent(s), ${s.mcpServers} MCP server(s), ${s.modelServers} model server(s), ${s.gateways} gateway(s)`;
  if (a.status === 'no-agents-found') {
    lines.push(
      `AI agents: none found (${inventory}); nothing scored: this is not a Level 4 result`,
    );
  } else {
    lines.push(
      `AI agents: ${inventory}; ${s.shadowAgents} shadow, ${s.unownedAgents} without owner, ${s.literalCredentials} literal credential(s), ${s.sharedCredentials} shared credential(s)`,
    );
    const dp = a.designPattern;
    lines.push(
      `Accountability: overall Level ${a.overall.level} (${a.overall.levelName}), score ${a.overall.score}/100; design pattern ${dp.pattern ? `${dp.pattern} (${dp.basis})` : 'not inferable'}`,
    );
  }
  if (a.items.length) {
    lines.push(`${pad('KIND', 14)}${pad('ITEM', 52)}${pad('FRAMEWORK', 16)}FINDINGS`);
    for (const i of a.items.slice(0, MAX_ITEMS)) {
      const codes = [...new Set(i.findings.map((f) => f.asi))].sort().join(' ');
      lines.push(
        `${pad(i.kind, 14)}${pad(i.ref, 52)}${pad(i.framework ?? '-', 16)}${i.findings.length ? `${i.findings.length} (${codes})` : '-'}`,
      );
    }
    if (a.items.length > MAX_ITEMS) lines.push(`  ... and ${a.items.length - MAX_ITEMS} more`);
  }
  // Exposure: reachable from outside the cluster, worst (a powerful identity) first.
  const exposed = a.items
    .filter((i) => i.exposure)
    .sort(
      (x, y) => y.exposure!.power.length - x.exposure!.power.length || (x.ref < y.ref ? -1 : 1),
    );
  if (exposed.length) {
    lines.push('Reachable from outside the cluster:');
    for (const i of exposed) {
      const e = i.exposure!;
      lines.push(
        `  ${e.power.length ? 'CRITICAL' : 'exposed '} ${i.kind} ${i.ref} via ${e.paths.join(', ')}; ${e.power.length ? `identity holds ${e.power.join(', ')}` : 'identity holds no dangerous rights'}`,
      );
    }
  }
  const answered = a.selfAssessment.provided;
  lines.push(
    `${pad('PILLAR', 28)}${pad('EVIDENCED', 18)}${pad('CLAIMED', 9)}${pad('GAP', 6)}${pad('COVERAGE', 10)}NEXT`,
  );
  for (const p of a.pillars) {
    const evidenced = p.level === null ? '-' : `${p.level} ${p.levelName}`;
    const next =
      p.level === null
        ? ''
        : p.cap
          ? `capped by ${p.cap.principle}`
          : (p.criteria.find((c) => c.level === p.level! + 1 && c.status !== 'met')?.title ??
            (p.level === 4 ? '-' : ''));
    const gap = p.gap === null ? '-' : p.gap > 0 ? `+${p.gap}` : String(p.gap);
    lines.push(
      `${pad(p.title, 28)}${pad(evidenced, 18)}${pad(p.claimed === null ? '-' : String(p.claimed), 9)}${pad(gap, 6)}${pad(p.coverage === null ? '-' : `${p.coverage}%`, 10)}${next}`,
    );
  }
  if (!answered) lines.push('  (no self-assessment: add --assessment answers.json to compare)');
  const top = a.gaps.filter(
    (g) => g.whatIfLevel > (a.pillars.find((p) => p.pillar === g.pillar)?.level ?? 0),
  );
  if (top.length) {
    lines.push('Gaps that raise a level when fixed:');
    for (const g of top.slice(0, MAX_GAPS))
      lines.push(
        `  [${g.asi}] ${g.title} -> ${g.pillar} level ${a.pillars.find((p) => p.pillar === g.pillar)?.level ?? 0} to ${g.whatIfLevel}`,
      );
  }
  if (a.evidence.length)
    lines.push(
      `Evidence: ${a.evidence.map((e) => `${e.kind} ${e.source} (${e.basis})`).join(', ')}`,
    );
  return lines;
}
