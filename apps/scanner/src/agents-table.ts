import type { AnalysisResult } from '@plumbline/contracts';
import { columns } from './columns.js';

/** The AI-agent accountability part of the `scan --analyze` table (JSON: `steps.agents`). */

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
    lines.push(
      ...columns(
        [
          ['KIND', 'ITEM', 'FRAMEWORK', 'FINDINGS'],
          ...a.items.slice(0, MAX_ITEMS).map((i) => {
            const codes = [...new Set(i.findings.map((f) => f.asi))].sort().join(' ');
            return [
              i.kind,
              i.ref,
              i.framework ?? '-',
              i.findings.length ? `${i.findings.length} (${codes})` : '-',
            ];
          }),
        ],
        [14, 52, 16],
      ),
    );
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
  const pillarRows = a.pillars.map((p) => {
    const evidenced = p.level === null ? '-' : `${p.level} ${p.levelName}`;
    const next =
      p.level === null
        ? ''
        : p.cap
          ? `capped by ${p.cap.principle}`
          : (p.criteria.find((c) => c.level === p.level! + 1 && c.status !== 'met')?.title ??
            (p.level === 4 ? '-' : ''));
    const gap = p.gap === null ? '-' : p.gap > 0 ? `+${p.gap}` : String(p.gap);
    return [
      p.title,
      evidenced,
      p.claimed === null ? '-' : String(p.claimed),
      gap,
      p.coverage === null ? '-' : `${p.coverage}%`,
      next,
    ];
  });
  lines.push(
    ...columns(
      [['PILLAR', 'EVIDENCED', 'CLAIMED', 'GAP', 'COVERAGE', 'NEXT'], ...pillarRows],
      [28, 18, 9, 6, 10],
    ),
  );
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
