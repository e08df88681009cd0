import { describe, expect, it } from '@jest/globals';
import { formatDate, formatMoney, formatPercent, formatRelative } from './format';

describe('formatMoney', () => {
  it.each([
    [0, '$0'],
    [99, '$1'],
    [123456789, '$1,234,568'],
    [-250000, '-$2,500'],
    [-20, '$0'],
  ])('%i cents -> %s', (cents, text) => {
    expect(formatMoney(cents)).toBe(text);
  });

  it('shows cents or a compact amount on request', () => {
    expect(formatMoney(123456, { cents: true })).toBe('$1,234.56');
    expect(formatMoney(123456789, { compact: true })).toBe('$1.2M');
    expect(formatMoney(Number.NaN)).toBe('—');
  });
});

describe('dates and percentages', () => {
  const now = new Date('2026-03-10T12:00:00Z');
  it('says how long ago', () => {
    expect(formatRelative('2026-03-07T12:00:00Z', now)).toBe('3 days ago');
    expect(formatRelative('2026-03-10T11:59:30Z', now)).toBe('just now');
    expect(formatRelative('2026-03-24T12:00:00Z', now)).toBe('in 2 weeks');
    expect(formatRelative('not a date', now)).toBe('—');
  });

  it('formats dates and rounds percentages', () => {
    expect(formatDate('2026-03-10T12:00:00Z')).toBe('Mar 10, 2026');
    expect(formatPercent(87.4)).toBe('87%');
  });
});
