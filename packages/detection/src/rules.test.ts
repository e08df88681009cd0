import { COMPONENT_IDS } from '@plumbline/contracts';
import { snapshotFromSpec } from './fixture.js';
import { matchRule } from './match.js';
import { RULES } from './rules/index.js';

/** One table test runs every rule's own pass and fail fixtures. */
describe('component rules', () => {
  it('there is exactly one rule per component id, each with pass and fail fixtures', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...COMPONENT_IDS].sort());
    for (const r of RULES) {
      expect(r.fixtures.pass.length).toBeGreaterThan(0);
      expect(r.fixtures.fail.length).toBeGreaterThan(0);
    }
  });

  const cases = RULES.flatMap((rule) => [
    ...rule.fixtures.pass.map((f) => [rule.id, 'pass', f.name, rule, f] as const),
    ...rule.fixtures.fail.map((f) => [rule.id, 'fail', f.name, rule, f] as const),
  ]);

  it.each(cases)('%s %s: %s', (_id, kind, _name, rule, fixture) => {
    const found = matchRule(rule, snapshotFromSpec(fixture.spec));
    if (kind === 'fail') {
      expect(found).toBeNull();
      return;
    }
    expect(found).not.toBeNull();
    expect(found!.id).toBe(rule.id);
    expect(found!.evidence.length).toBeGreaterThan(0);
    const want = fixture.expect ?? {};
    if (want.status) expect(found!.status).toBe(want.status);
    else expect(found!.status).not.toBe('remnant');
    if (want.version !== undefined) expect(found!.version).toBe(want.version);
    if (want.confidence) expect(found!.confidence).toBe(want.confidence);
    if (want.attributes) expect(found!.attributes).toMatchObject(want.attributes);
  });
});
