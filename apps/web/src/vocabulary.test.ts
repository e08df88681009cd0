import { describe, expect, it } from '@jest/globals';
import { COMPONENT_CATEGORIES, PAPER_SIZES as CONTRACT_PAPER_SIZES } from '@plumbline/contracts';
import { categoryLabel } from './report/model';
import { categoryWords as screenWords } from './screens/org/words';
import { CATEGORY_WORDS, categoryWords, hoursWords, PAPER_SIZES, phaseWords } from './vocabulary';

describe('the shared vocabulary', () => {
  it('holds the contracts’ enums exactly', () => {
    expect([...PAPER_SIZES]).toEqual([...CONTRACT_PAPER_SIZES]);
    expect(Object.keys(CATEGORY_WORDS).sort()).toEqual([...COMPONENT_CATEGORIES].sort());
  });

  it('the screens and the PDF report say the same word for every layer', () => {
    for (const c of COMPONENT_CATEGORIES) {
      expect(categoryLabel(c)).toBe(categoryWords(c));
      expect(screenWords(c)).toBe(categoryWords(c));
    }
    expect(categoryWords('load-balancer')).toBe('Load balancing');
  });
});

describe('the roadmap’s words', () => {
  it('names the phases by their day and the hours as people say them', () => {
    expect([30, 60, 90, null].map((d) => phaseWords(d as 30 | 60 | 90 | null))).toEqual([
      'By day 30',
      'By day 60',
      'By day 90',
      'After 90 days',
    ]);
    expect(hoursWords(1)).toBe('1 hour');
    expect(hoursWords(29.5)).toBe('29.5 hours');
    expect(hoursWords(1.004)).toBe('1 hour');
    expect(hoursWords(1200)).toBe('1,200 hours');
  });
});
