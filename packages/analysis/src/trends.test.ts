import type { TrendPoint } from '@plumbline/contracts';
import { DEFAULT_ASSUMPTIONS } from '@plumbline/cost';
import { appendAnnotatedTrend, methodChanges, type TrendBasis } from './trends.js';

const basis = (over: Partial<TrendBasis> = {}): TrendBasis => ({
  methodologyVersion: '2026.11.4',
  costModelVersion: '2026.11.0',
  assumptions: DEFAULT_ASSUMPTIONS,
  ...over,
});
const point = (at: string, taxCents: number, changes: string[] = []): TrendPoint => ({
  at,
  maturityLevel: 1,
  maturityScore: 40,
  accountabilityLevel: null,
  taxCents,
  methodologyVersion: '2026.11.4',
  changes,
});

describe('trend annotations: a change of method is never an unexplained step (18.10)', () => {
  it('names every edited assumption with its values, and version changes', () => {
    expect(methodChanges(basis(), basis())).toEqual([]);
    expect(methodChanges(null, basis())).toEqual([]);
    expect(
      methodChanges(
        basis(),
        basis({
          methodologyVersion: '2026.12.0',
          assumptions: { ...DEFAULT_ASSUMPTIONS, engineers: 40, licenceByTool: { calico: 1000 } },
        }),
      ),
    ).toEqual([
      'methodology 2026.11.4 -> 2026.12.0',
      'cost assumptions edited: engineers 10 -> 40; licenceByTool none -> calico 1000',
    ]);
    expect(methodChanges(basis(), basis({ costModelVersion: '2027.1.0' }))).toEqual([
      'cost model 2026.11.0 -> 2027.1.0',
    ]);
  });

  it('an edit after the last scan lands on that point and stays explained when it is recomputed', () => {
    const t0 = [point('2026-11-01T00:00:00Z', 100), point('2026-11-08T00:00:00Z', 100)];
    const edited = appendAnnotatedTrend(
      t0,
      point('2026-11-08T00:00:00Z', 161, ['cost assumptions edited: engineers 10 -> 40']),
    );
    expect(edited.map((p) => [p.taxCents, p.changes])).toEqual([
      [100, []],
      [161, ['cost assumptions edited: engineers 10 -> 40']],
    ]);
    // A later roll-up at the same time (nothing changed in the method) keeps the explanation.
    const again = appendAnnotatedTrend(edited, point('2026-11-08T00:00:00Z', 161));
    expect(again[1]!.changes).toEqual(['cost assumptions edited: engineers 10 -> 40']);
  });
});
