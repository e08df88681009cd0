import { describe, expect, it } from '@jest/globals';
import { costAssumptionsSchema } from '@plumbline/contracts';
import { costWith, EFFECTIVE } from '../../../../test/read-fixtures';
import {
  ASSUMPTIONS,
  buildOverrides,
  formatAssumption,
  initialForm,
  parseRaw,
  toRaw,
  type AssumptionMeta,
} from './assumptions';

const meta = (key: string): AssumptionMeta => ASSUMPTIONS.find((a) => a.key === key)!;

describe('the assumptions the editor knows', () => {
  it('are exactly the contract’s', () => {
    expect(ASSUMPTIONS.map((a) => a.key).sort()).toEqual(
      Object.keys(costAssumptionsSchema.shape).sort(),
    );
  });

  it('accept and refuse what the contract accepts and refuses', () => {
    const probes = [
      -1, -0.01, 0, 0.5, 1, 1.5, 2, 7, 11, 53, 366, 721, 1001, 11_000, 1e6, 3e6, 2e8, 2e9, 1e300,
    ];
    for (const m of ASSUMPTIONS) {
      const schema = costAssumptionsSchema.shape[m.key];
      if (m.kind === 'boolean' || m.kind === 'choice' || m.kind === 'per-tool') continue;
      for (const v of probes) {
        const typed = m.kind === 'percent' ? String(v * 100) : String(v);
        expect({ key: m.key, v, ok: parseRaw(m, typed).ok }).toEqual({
          key: m.key,
          v,
          ok: schema.safeParse(v).success,
        });
      }
    }
    for (const v of ['detected', 'pairwise', 'everything']) {
      expect(parseRaw(meta('seamCounting'), v).ok).toBe(
        costAssumptionsSchema.shape.seamCounting.safeParse(v).success,
      );
    }
    for (const v of [{ calico: 100 }, { calico: -1 }, { calico: 1e300 }]) {
      const raw = Object.fromEntries(Object.entries(v).map(([k, n]) => [k, String(n)]));
      expect(parseRaw(meta('licenceByTool'), raw).ok).toBe(
        costAssumptionsSchema.shape.licenceByTool.safeParse(v).success,
      );
    }
  });
});

describe('typing an assumption', () => {
  it('reads numbers as people type them, and says what is wrong', () => {
    expect(parseRaw(meta('loadedSalary'), '$190,000')).toEqual({ ok: true, value: 190000 });
    expect(parseRaw(meta('glueShare'), '12.5')).toEqual({ ok: true, value: 0.125 });
    expect(parseRaw(meta('engineers'), 'ten')).toEqual({ ok: false, error: 'enter a number' });
    expect(parseRaw(meta('engineers'), '-2')).toEqual({ ok: false, error: 'must be at least 0' });
    expect(parseRaw(meta('engineers'), '1e300')).toEqual({
      ok: false,
      error: 'must be at most 10000',
    });
    expect(parseRaw(meta('glueShare'), '120')).toEqual({
      ok: false,
      error: 'must be at most 100%',
    });
    expect(parseRaw(meta('seamReference'), '0')).toEqual({
      ok: false,
      error: 'must be more than 0',
    });
    expect(parseRaw(meta('consolidatedTools'), '1.5')).toEqual({
      ok: false,
      error: 'must be a whole number',
    });
    expect(parseRaw(meta('licenceByTool'), { calico: '1000', cilium: '' })).toEqual({
      ok: true,
      value: { calico: 1000 },
    });
    expect(parseRaw(meta('licenceByTool'), { calico: 'lots' })).toEqual({
      ok: false,
      error: 'calico: enter a number of dollars',
    });
  });

  it('shows values in words', () => {
    expect(formatAssumption(meta('loadedSalary'), 190000)).toBe('$190,000');
    expect(formatAssumption(meta('cpuPricePerVcpuHour'), 0.031611)).toBe('$0.031611');
    expect(formatAssumption(meta('overlapShare'), 0.15)).toBe('15%');
    expect(formatAssumption(meta('includeComputeFootprint'), true)).toBe('yes');
    expect(formatAssumption(meta('seamCounting'), 'pairwise')).toBe('every pair of tools');
    expect(formatAssumption(meta('licenceByTool'), {})).toBe('none entered');
    expect(toRaw(meta('overlapShare'), 0.15)).toBe('15');
  });

  it('sends the fields marked as overriding their default, and nothing else', () => {
    const form = initialForm(costWith(1, { engineers: 20 }).assumptions);
    expect(form.engineers).toEqual({ raw: '20', overridden: true });
    expect(form.glueShare).toEqual({ raw: '10', overridden: false });
    expect(buildOverrides(form)).toEqual({ ok: true, overrides: { engineers: 20 } });
    expect(buildOverrides({ ...form, glueShare: { raw: '200', overridden: true } })).toEqual({
      ok: false,
      errors: { glueShare: 'must be at most 100%' },
    });
    expect(EFFECTIVE.glueShare).toBe(0.1);
  });
});
