import { describe, expect, it } from '@jest/globals';
import {
  ACCOUNTABILITY_LEVEL_NAMES,
  AGENT_ITEM_KINDS,
  agentCredentialSchema,
  ASI_TITLES as CONTRACT_ASI_TITLES,
  COMPONENT_CATEGORIES,
  MODEL_ROUTES,
  SEVERITIES,
} from '@plumbline/contracts';
import {
  ACCOUNTABILITY_LEVEL_WORDS,
  AGENT_KIND_WORDS,
  ASI_TITLES,
  CATEGORY_WORDS,
  categoryWords,
  CREDENTIAL_SOURCE_WORDS,
  joinWords,
  MODEL_ROUTE_WORDS,
  plural,
  SEVERITY_ORDER,
} from './words';

describe('the web’s copies of the contracts’ tables', () => {
  it('match the contracts (the browser bundle does not load zod to read them)', () => {
    expect(ASI_TITLES).toEqual(CONTRACT_ASI_TITLES);
    expect(ACCOUNTABILITY_LEVEL_WORDS).toEqual(ACCOUNTABILITY_LEVEL_NAMES);
    expect(SEVERITY_ORDER).toEqual(SEVERITIES);
    expect(Object.keys(CATEGORY_WORDS).sort()).toEqual([...COMPONENT_CATEGORIES].sort());
    expect(Object.keys(AGENT_KIND_WORDS).sort()).toEqual([...AGENT_ITEM_KINDS].sort());
    expect(Object.keys(MODEL_ROUTE_WORDS).sort()).toEqual([...MODEL_ROUTES].sort());
    expect(Object.keys(CREDENTIAL_SOURCE_WORDS).sort()).toEqual(
      [...agentCredentialSchema.shape.source.options].sort(),
    );
  });
});

describe('words', () => {
  it('names layers, with unknown categories as they are', () => {
    expect(categoryWords('cni')).toBe('Pod network (CNI)');
    expect(categoryWords('quantum-mesh')).toBe('quantum-mesh');
  });

  it('counts and joins', () => {
    expect(plural(1, 'cluster')).toBe('1 cluster');
    expect(plural(1200, 'cluster')).toBe('1,200 clusters');
    expect(joinWords(['a', 'b', 'c'])).toBe('a, b and c');
    expect(joinWords(['a'])).toBe('a');
  });
});
