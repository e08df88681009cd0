import {
  ACCOUNTABILITY_PILLARS,
  ACCOUNTABILITY_PRINCIPLES,
  type AccountabilityPillar,
} from '@plumbline/contracts';
import fc from 'fast-check';
import type { Criterion, Facts, Outcome, Principle } from './criteria.js';
import { cumulativeLevel, evaluate, gaps } from './score.js';

const facts = {} as Facts;

function crit(
  id: string,
  pillar: AccountabilityPillar,
  level: 1 | 2 | 3 | 4,
  o: Partial<Outcome>,
): Criterion {
  return {
    id,
    pillar,
    level,
    title: id,
    proof: 'test',
    asi: 'ASI02',
    remediation: 'fix it',
    attestable: null,
    evaluate: () => ({ status: 'met', basis: 'observed', evidence: [], reason: '', ...o }),
  };
}

describe('cumulativeLevel', () => {
  it.each([
    [[], 0],
    [[{ level: 1, status: 'met', basis: 'observed' }], 1],
    [[{ level: 1, status: 'unknown', basis: null }], 0],
    [
      [
        { level: 1, status: 'met', basis: 'observed' },
        { level: 2, status: 'not-met', basis: null },
      ],
      1,
    ],
    // a level with no criterion stops the climb
    [
      [
        { level: 1, status: 'met', basis: 'observed' },
        { level: 3, status: 'met', basis: 'observed' },
      ],
      1,
    ],
    // levels are cumulative: a met Level 3 above an unmet Level 2 does not count
    [
      [
        { level: 1, status: 'met', basis: 'observed' },
        { level: 2, status: 'not-met', basis: null },
        { level: 3, status: 'met', basis: 'observed' },
      ],
      1,
    ],
    // attestations alone lift to Level 2 ...
    [
      [
        { level: 1, status: 'met', basis: 'attested' },
        { level: 2, status: 'met', basis: 'attested' },
      ],
      2,
    ],
    // ... but never above it
    [
      [
        { level: 1, status: 'met', basis: 'attested' },
        { level: 2, status: 'met', basis: 'attested' },
        { level: 3, status: 'met', basis: 'attested' },
      ],
      2,
    ],
    [
      [
        { level: 1, status: 'met', basis: 'observed' },
        { level: 2, status: 'met', basis: 'observed' },
        { level: 3, status: 'met', basis: 'attested' },
        { level: 3, status: 'met', basis: 'observed' },
        { level: 4, status: 'met', basis: 'observed' },
      ],
      4,
    ],
  ])('%j -> %i', (rows, want) => {
    expect(cumulativeLevel(rows)).toBe(want);
  });
});

describe('evaluate', () => {
  const criteria = [
    crit('a1', 'traceability', 1, {}),
    crit('a2', 'traceability', 2, {}),
    crit('a3', 'traceability', 3, { status: 'not-met', basis: null }),
    crit('b1', 'policy-at-scale', 1, {}),
    crit('b2', 'policy-at-scale', 2, {}),
  ];
  const principle = (status: 'passed' | 'failed' | 'unknown'): Principle => ({
    id: 'default-deny',
    number: 1,
    title: 'Default-deny',
    failTest: 'default-allow',
    pillar: 'policy-at-scale',
    capLevel: 1,
    asi: 'ASI02',
    remediation: 'deny by default',
    evaluate: () => ({ status, evidence: [], reason: 'r' }),
  });

  it('caps a pillar only when its principle fails', () => {
    expect(
      evaluate(facts, criteria, [principle('failed')]).levels['policy-at-scale'],
    ).toMatchObject({
      criteriaLevel: 2,
      level: 1,
    });
    expect(evaluate(facts, criteria, [principle('unknown')]).levels['policy-at-scale'].level).toBe(
      2,
    );
    expect(
      evaluate(facts, criteria, [principle('passed')]).levels['policy-at-scale'].cap,
    ).toBeNull();
  });

  it('re-runs with one criterion or principle fixed (what-if)', () => {
    expect(evaluate(facts, criteria, [], { criterion: 'a3' }).levels.traceability.level).toBe(3);
    expect(
      evaluate(facts, criteria, [principle('failed')], { principle: 'default-deny' }).levels[
        'policy-at-scale'
      ].level,
    ).toBe(2);
  });

  it('takes the lowest pillar as the overall level', () => {
    // pillars without criteria are at 0
    expect(evaluate(facts, criteria, []).overall).toBe(0);
  });
});

describe('gaps', () => {
  // Random rubrics: criteria of any pillar and level with any outcome (ids may repeat across
  // pillars), principles of any pillar and cap. Each gap's what-if (computed from the scored
  // outcomes) must be what re-evaluating the whole rubric with that one fix gives.
  const outcome = fc.constantFrom<Partial<Outcome>>(
    { status: 'met', basis: 'observed' },
    { status: 'met', basis: 'attested' },
    { status: 'not-met', basis: null },
    { status: 'unknown', basis: null },
  );
  const rubric = fc.record({
    criteria: fc.array(
      fc.tuple(
        fc.constantFrom('c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'),
        fc.constantFrom(...ACCOUNTABILITY_PILLARS),
        fc.constantFrom<1 | 2 | 3 | 4>(1, 2, 3, 4),
        outcome,
      ),
      { maxLength: 24 },
    ),
    principles: fc.array(
      fc.tuple(
        fc.constantFrom(...ACCOUNTABILITY_PRINCIPLES),
        fc.constantFrom(...ACCOUNTABILITY_PILLARS),
        fc.constantFrom<0 | 1 | 2 | 3>(0, 1, 2, 3),
        fc.constantFrom<'passed' | 'failed' | 'unknown'>('passed', 'failed', 'unknown'),
      ),
      { maxLength: 6 },
    ),
  });

  it('gives each gap the levels a full re-evaluation with that fix gives', () => {
    let moved = 0;
    let movedPillar = 0;
    fc.assert(
      fc.property(rubric, (r) => {
        // A met level-1 criterion in every pillar, so a single fix can move the overall level.
        const criteria = [
          ...ACCOUNTABILITY_PILLARS.map((p) => crit(`base-${p}`, p, 1, {})),
          ...r.criteria.map(([id, pillar, level, o]) => crit(id, pillar, level, o)),
        ];
        const principles = r.principles.map(([id, pillar, capLevel, status]): Principle => ({
          id,
          number: 1,
          title: id,
          failTest: 't',
          pillar,
          capLevel,
          asi: 'ASI02',
          remediation: 'r',
          evaluate: () => ({ status, evidence: [], reason: 'r' }),
        }));
        const scored = evaluate(facts, criteria, principles);
        for (const g of gaps(facts, scored, criteria, principles)) {
          const fix =
            g.criterion !== null ? { criterion: g.criterion } : { principle: g.principle! };
          const full = evaluate(facts, criteria, principles, fix);
          expect([g.whatIfLevel, g.whatIfOverall]).toEqual([
            full.levels[g.pillar].level,
            full.overall,
          ]);
          if (full.overall !== scored.overall) moved++;
          if (full.levels[g.pillar].level !== scored.levels[g.pillar].level) movedPillar++;
        }
      }),
      { numRuns: 500, seed: 22 },
    );
    // Some fixes raise the overall level: the comparison is not only over fixes that change nothing.
    expect(moved).toBeGreaterThan(10);
    expect(movedPillar).toBeGreaterThan(100);
  });
});
