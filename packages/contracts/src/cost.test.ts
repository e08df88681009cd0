import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  COST_ASSUMPTION_RANGES,
  costAssumptionOverridesSchema,
  costAssumptionsSchema,
  type RangedAssumption,
} from './cost.js';

const NUMERIC = Object.entries(costAssumptionsSchema.shape)
  .filter(([k]) => !['seamCounting', 'includeComputeFootprint', 'licenceByTool'].includes(k))
  .map(([k]) => k);

describe('cost assumptions: a plausible range for every one (issue 17.7)', () => {
  it('every numeric assumption has a range', () => {
    expect(Object.keys(COST_ASSUMPTION_RANGES).sort()).toEqual(
      [...NUMERIC, 'licenceByTool'].sort(),
    );
  });

  it('refuses absurd values and values just outside the range; accepts the bounds', () => {
    for (const key of Object.keys(COST_ASSUMPTION_RANGES) as RangedAssumption[]) {
      const r = COST_ASSUMPTION_RANGES[key] as { min: number; max: number; exclusiveMin?: boolean };
      const ok = (v: number) =>
        costAssumptionOverridesSchema.safeParse(
          key === 'licenceByTool' ? { licenceByTool: { calico: v } } : { [key]: v },
        ).success;
      for (const v of [1e300, Number.MAX_VALUE, Infinity, -Infinity, NaN, r.max * 1.0001 + 1, -1])
        expect({ key, v, ok: ok(v) }).toEqual({ key, v, ok: false });
      expect({ key, max: ok(r.max) }).toEqual({ key, max: true });
      expect({ key, min: ok(r.min) }).toEqual({ key, min: !r.exclusiveMin });
    }
  });

  it('says which range was left, by field', () => {
    const res = costAssumptionOverridesSchema.safeParse({ engineers: 1e300 });
    expect(res.success).toBe(false);
    expect(res.error!.issues[0]!.path).toEqual(['engineers']);
    expect(res.error!.issues[0]!.message).toBe(
      'must be at most 10000 (plausible range for engineers)',
    );
  });

  it('every range is documented in the methodology', () => {
    const doc = readFileSync(
      resolve(__dirname, '../../../docs/methodology/integration-tax.md'),
      'utf8',
    );
    const section = doc.slice(doc.indexOf('## Plausible ranges'));
    expect(section.length).toBeGreaterThan(100);
    for (const [key, r] of Object.entries(COST_ASSUMPTION_RANGES)) {
      const row = section.split('\n').find((l) => l.startsWith(`| \`${key}\` |`));
      expect({ key, row: row ?? null }).toEqual({ key, row: expect.stringContaining('|') });
      expect(row!.replace(/,/g, '')).toContain(String(r.max));
    }
  });
});
