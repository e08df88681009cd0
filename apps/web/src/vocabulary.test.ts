import { describe, expect, it } from '@jest/globals';
import { COMPONENT_CATEGORIES, PAPER_SIZES as CONTRACT_PAPER_SIZES } from '@plumbline/contracts';
import { categoryLabel } from './report/model';
import { categoryWords as screenWords } from './screens/org/words';
import { CATEGORY_WORDS, categoryWords, PAPER_SIZES } from './vocabulary';

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
