import { describe, expect, it } from '@jest/globals';
import {
  ACCOUNTABILITY_PILLAR_TITLES,
  COMPONENT_CATEGORIES,
  COST_ASSUMPTION_RANGES,
  createRiskAcceptanceSchema,
  MAX_RISK_ACCEPTANCE_DAYS,
  PASSWORD_MIN_LENGTH as CONTRACT_PASSWORD_MIN_LENGTH,
  PAPER_SIZES as CONTRACT_PAPER_SIZES,
  POLICY_DIALECTS as CONTRACT_POLICY_DIALECTS,
  RISK_STATES as CONTRACT_RISK_STATES,
  RISK_TARGET_KINDS as CONTRACT_RISK_TARGET_KINDS,
} from '@plumbline/contracts';
import { categoryLabel } from './report/model';
import { categoryWords as screenWords } from './screens/org/words';
import {
  ACCOUNTABILITY_PILLAR_WORDS,
  ASSUMPTION_RANGES,
  CATEGORY_WORDS,
  categoryWords,
  hoursWords,
  PAPER_SIZES,
  PASSWORD_MIN_LENGTH,
  POLICY_DIALECTS,
  phaseWords,
  RISK_ACCEPTANCE_BOUNDS,
  RISK_STATE_WORDS,
  RISK_STATES,
  RISK_TARGET_KINDS,
  riskAcceptedWords,
  riskExpiredWords,
  riskScopeWords,
} from './vocabulary';

describe('the shared vocabulary', () => {
  it('holds the contracts’ enums exactly', () => {
    expect([...PAPER_SIZES]).toEqual([...CONTRACT_PAPER_SIZES]);
    expect([...POLICY_DIALECTS]).toEqual([...CONTRACT_POLICY_DIALECTS]);
    expect(ACCOUNTABILITY_PILLAR_WORDS).toEqual(ACCOUNTABILITY_PILLAR_TITLES);
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

describe('the words of accepted risks', () => {
  const body = (over: Record<string, unknown>) => ({
    kind: 'criterion',
    targetId: 'resilience.pdb',
    owner: 'Platform team',
    reason: 'Batch jobs run one replica.',
    expiresAt: '2026-06-30T21:59:59.000Z',
    ...over,
  });
  const accepts = (over: Record<string, unknown>) =>
    createRiskAcceptanceSchema.safeParse(body(over)).success;

  it('holds the contracts’ states, kinds and bounds', () => {
    expect([...RISK_STATES]).toEqual([...CONTRACT_RISK_STATES]);
    expect(Object.keys(RISK_STATE_WORDS)).toEqual([...CONTRACT_RISK_STATES]);
    expect([...RISK_TARGET_KINDS]).toEqual([...CONTRACT_RISK_TARGET_KINDS]);
    expect(RISK_ACCEPTANCE_BOUNDS.maxDays).toBe(MAX_RISK_ACCEPTANCE_DAYS);
    const { ownerMax, reasonMin, reasonMax } = RISK_ACCEPTANCE_BOUNDS;
    expect(accepts({})).toBe(true);
    expect(accepts({ owner: 'x'.repeat(ownerMax) })).toBe(true);
    expect(accepts({ owner: 'x'.repeat(ownerMax + 1) })).toBe(false);
    expect(accepts({ reason: 'x'.repeat(reasonMin) })).toBe(true);
    expect(accepts({ reason: 'x'.repeat(reasonMin - 1) })).toBe(false);
    expect(accepts({ reason: 'x'.repeat(reasonMax) })).toBe(true);
    expect(accepts({ reason: 'x'.repeat(reasonMax + 1) })).toBe(false);
    // What the form sends: every cluster as null, an instant in UTC.
    expect(
      accepts({ clusterId: null, expiresAt: new Date(2026, 5, 30, 23, 59, 59).toISOString() }),
    ).toBe(true);
  });

  it('says who accepted a risk and until when, or when it expired, and where', () => {
    const r = { owner: 'Platform team', expiresAt: '2026-06-30T12:00:00Z' };
    expect(riskAcceptedWords(r)).toBe('Risk accepted by Platform team until Jun 30, 2026');
    expect(riskExpiredWords(r)).toBe('Accepted risk expired on Jun 30, 2026');
    expect(riskScopeWords({ clusterId: null, clusterName: null })).toBe('every cluster');
    expect(riskScopeWords({ clusterId: 'c', clusterName: 'shop-prod-eu' })).toBe('shop-prod-eu');
    expect(riskScopeWords({ clusterId: 'c', clusterName: null })).toBe('a removed cluster');
  });
});

describe('the password rule the sign-up screens show', () => {
  it('is the API’s', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(CONTRACT_PASSWORD_MIN_LENGTH);
  });
});

describe('the cost assumption bounds the editor enforces', () => {
  it('are the API’s', () => {
    expect(ASSUMPTION_RANGES).toEqual(COST_ASSUMPTION_RANGES);
  });
});
