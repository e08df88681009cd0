import { planEffortOverridesSchema, planTargetSchema } from '@plumbline/contracts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  GENERATED_EFFORT,
  MANUAL_EFFORT,
  MANUAL_EFFORT_BY_LEVEL,
  effortOf,
  hoursFor,
} from '../src/index.js';

describe('effort overrides (validated like the cost assumptions)', () => {
  it('accepts partial rows per action and the hours per phase', () => {
    expect(
      planEffortOverridesSchema.safeParse({
        actions: {
          'netpol-ingress': { baseHours: 2 },
          'manual:observability.metrics': { perUnitHours: 0 },
        },
        hoursPerPhase: 40,
      }).success,
    ).toBe(true);
    expect(planEffortOverridesSchema.safeParse({}).success).toBe(true);
  });

  it.each([
    ['negative hours', { actions: { pdb: { baseHours: -1 } } }],
    ['absurd hours', { actions: { pdb: { baseHours: 1e9 } } }],
    ['hours as text', { actions: { pdb: { baseHours: '2' } } }],
    ['an unknown field in a row', { actions: { pdb: { hours: 2 } } }],
    ['an unknown top-level field', { hoursPerWeek: 10 }],
    ['an action id with spaces or capitals', { actions: { 'Netpol Ingress': { baseHours: 1 } } }],
    ['no hours per phase', { hoursPerPhase: 0 }],
    ['a list instead of a map', { actions: [{ baseHours: 1 }] }],
  ])('refuses %s', (_what, value) => {
    expect(planEffortOverridesSchema.safeParse(value).success).toBe(false);
  });

  it('targets: levels 1-4 of a known pillar, or of the cluster', () => {
    expect(planTargetSchema.safeParse({ level: 2, pillar: null }).success).toBe(true);
    expect(planTargetSchema.safeParse({ level: 4, pillar: 'resilience' }).success).toBe(true);
    for (const bad of [
      { level: 0, pillar: null },
      { level: 5, pillar: null },
      { level: 2.5, pillar: null },
      { level: 2, pillar: 'security' },
      { level: 2 },
    ])
      expect(planTargetSchema.safeParse(bad).success).toBe(false);
  });

  it('an override replaces only the fields it names', () => {
    const row = effortOf('pdb', GENERATED_EFFORT.pdb!, { actions: { pdb: { perUnitHours: 2 } } });
    expect(row).toEqual({
      unit: 'workload',
      baseHours: GENERATED_EFFORT.pdb!.baseHours,
      perUnitHours: 2,
    });
    expect(hoursFor(row, 3)).toBe(GENERATED_EFFORT.pdb!.baseHours + 6);
  });

  it('the documented effort table is the code table', () => {
    const doc = readFileSync(
      path.resolve(__dirname, '../../../docs/methodology/remediation-plan.md'),
      'utf8',
    );
    for (const [id, row] of Object.entries(GENERATED_EFFORT))
      expect(doc).toMatch(
        new RegExp(
          `\\| \`${id}\` \\| ${row.baseHours} \\| ${row.perUnitHours} per ${row.unit}|\\| \`${id}\` \\| ${row.baseHours} \\| ${row.perUnitHours} \\|`,
        ),
      );
    for (const [lvl, row] of Object.entries(MANUAL_EFFORT_BY_LEVEL))
      expect(doc).toContain(`| manual, level-${lvl} criterion | ${row.baseHours} |`);
    expect(Object.keys(MANUAL_EFFORT).length).toBeGreaterThan(0);
  });
});

test('every step names the findings it fixes, and every finding of the target has a step', async () => {
  const { analyze } = await import('@plumbline/analysis');
  const { planFor } = await import('../src/index.js');
  const { scenarioSnapshot } = await import('./helpers.js');
  const snapshot = scenarioSnapshot('links', 80, 2);
  const analysis = analyze({ snapshot });
  const plan = planFor({ snapshot, analysis, target: { level: 2, pillar: null } });
  expect(plan.reachable).toBe(true);
  if (!plan.reachable) return;
  const linked = new Set(plan.steps.flatMap((s) => s.findings));
  const due = analysis.steps.maturity.findings.filter((f) => {
    const c = analysis.steps.maturity.pillars
      .flatMap((p) => p.criteria)
      .find((x) => x.id === f.source);
    return c ? c.level <= 2 : f.kind !== 'upgrade-risk' && f.currentLevel < 2;
  });
  expect(due.length).toBeGreaterThan(0);
  for (const f of due.filter((x) => x.kind !== 'cap' && x.kind !== 'upgrade-risk'))
    expect([f.id, linked.has(f.id)]).toEqual([f.id, true]);
  for (const s of plan.steps) expect(s.findings.length).toBeGreaterThan(0);
});
