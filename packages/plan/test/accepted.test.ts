import { analyzeWithNetpol } from '@plumbline/analysis';
import { evaluatePillar, computeFacts } from '@plumbline/maturity';
import { planAndVerify, planFor } from '../src/index.js';
import { scenarioSnapshot } from './helpers.js';

// Risk acceptance: accepted requirements are out of the plan's scope and counted as met in its
// levels ("with accepted risks"); the bundle's promise stays the real levels, so verification
// still compares with a real re-analysis.

const snapshot = scenarioSnapshot('accepted', 80, 0);
const { result: analysis, netpol } = analyzeWithNetpol({ snapshot });
const run = (level: number, accepted?: string[]) =>
  planAndVerify({
    snapshot,
    analysis,
    target: { level, pillar: null },
    netpolEngine: netpol.engine,
    ...(accepted ? { accepted } : {}),
  });

test('an accepted manual requirement leaves the plan; its level is counted with the risk accepted', () => {
  const base = run(2);
  if (base.status !== 'ok') throw new Error(base.status);
  const manual = base.plan.steps.find((s) => s.kind === 'manual' && s.addresses.length === 1);
  if (!manual) throw new Error('fixture: the level-2 plan needs a single-requirement manual step');
  const id = manual.addresses[0]!;
  expect(base.plan.accepted).toEqual([]);
  const o = run(2, [id]);
  if (o.status !== 'ok') throw new Error(o.status);
  expect(o.plan.accepted).toEqual([id]);
  expect(o.plan.steps.map((s) => s.id)).not.toContain(manual.id);
  expect(o.plan.hours).toBeLessThan(base.plan.hours);
  expect(o.plan.to.level).toBeGreaterThanOrEqual(2);
  // The bundle still promises, and verification still checks, the real levels.
  expect(o.plan.bundlePromise).toEqual(base.plan.bundlePromise);
  if (o.verification) expect(o.verification.reached).toEqual(o.verification.promised);
});

test('accepting every blocker of an unreachable target makes it reachable; part of them does not', () => {
  // Generated clusters whose next level is out of reach (default policy counts).
  let checked = 0;
  for (const seed of ['fx7', 'fx2']) {
    const snap = scenarioSnapshot(seed, 80);
    const r = analyzeWithNetpol({ snapshot: snap });
    for (const level of [2, 3, 4]) {
      const plan = (accepted?: string[]) =>
        planAndVerify({
          snapshot: snap,
          analysis: r.result,
          target: { level, pillar: null },
          netpolEngine: r.netpol.engine,
          ...(accepted ? { accepted } : {}),
        });
      const o = plan();
      if (o.status !== 'unreachable') continue;
      checked++;
      const ids = o.plan.blockers.map((b) => b.id);
      const again = plan(ids);
      expect(again.status).not.toBe('unreachable');
      expect(again.plan.accepted).toEqual(expect.arrayContaining(ids));
      if (ids.length > 1) expect(plan(ids.slice(1)).status).toBe('unreachable');
      break;
    }
  }
  expect(checked).toBeGreaterThan(0);
});

test('look-alikes: unknown ids, met criteria and other pillars are not accepted risks of the plan', () => {
  const facts = computeFacts(snapshot, analysis.steps.detection, analysis.steps.netpol);
  const met = evaluatePillar('multi-cluster', facts).criteria.find((c) => c.status === 'met');
  const otherPillar = evaluatePillar('observability', facts).criteria.find(
    (c) => c.status !== 'met',
  );
  const accepted = [
    'not.a.criterion',
    ...(met ? [met.id] : []),
    ...(otherPillar ? [otherPillar.id] : []),
  ];
  const o = planFor({
    snapshot,
    analysis,
    target: { level: 2, pillar: 'resilience' },
    accepted,
  });
  expect(o.accepted).toEqual([]);
  expect(o).toEqual(planFor({ snapshot, analysis, target: { level: 2, pillar: 'resilience' } }));
});

test('evaluatePillar: an accepted criterion counts for the level only; its status is unchanged', () => {
  const facts = computeFacts(snapshot, analysis.steps.detection, analysis.steps.netpol);
  const e = evaluatePillar('observability', facts);
  const next = e.criteria.filter((c) => c.level === e.level + 1 && c.status !== 'met');
  if (!next.length || e.cappedBy)
    throw new Error('fixture: observability must have an unmet next level');
  const with_ = evaluatePillar('observability', facts, new Set(next.map((c) => c.id)));
  expect(with_.level).toBeGreaterThan(e.level);
  expect(with_.criteria.map((c) => c.status)).toEqual(e.criteria.map((c) => c.status));
});
