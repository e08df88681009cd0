import {
  JOB_ENVELOPE_VERSION,
  JobValidationError,
  makeJobEnvelope,
  parseJobEnvelope,
} from './jobs.js';

describe('job envelopes', () => {
  it('round-trips a valid payload', () => {
    const env = makeJobEnvelope('snapshot.analyze', { organizationId: 'o1', scanId: 's1' }, 'r-1');
    expect(env).toEqual({
      v: JOB_ENVELOPE_VERSION,
      name: 'snapshot.analyze',
      payload: { organizationId: 'o1', scanId: 's1' },
      requestId: 'r-1',
    });
    expect(parseJobEnvelope('snapshot.analyze', JSON.parse(JSON.stringify(env)))).toEqual(env);
  });

  it('rejects extra payload fields on the producer side (no snapshots in payloads)', () => {
    expect(() =>
      makeJobEnvelope('snapshot.analyze', {
        organizationId: 'o1',
        scanId: 's1',
        snapshot: { big: true },
      } as never),
    ).toThrow(JobValidationError);
  });

  it('rejects another envelope version on the consumer side', () => {
    const bad = { v: 2, name: 'snapshot.analyze', payload: { organizationId: 'o', scanId: 's' } };
    expect(() => parseJobEnvelope('snapshot.analyze', bad)).toThrow(/invalid job envelope/);
  });

  it('rejects a payload routed to the wrong processor', () => {
    const env = makeJobEnvelope('org.rollup', { organizationId: 'o1', reason: 'scan' });
    expect(() => parseJobEnvelope('snapshot.analyze', env)).toThrow(/name mismatch/);
  });

  it('lists readable issues', () => {
    try {
      parseJobEnvelope('snapshot.analyze', {
        v: 1,
        name: 'snapshot.analyze',
        payload: { organizationId: '' },
      });
      throw new Error('expected failure');
    } catch (e) {
      expect(e).toBeInstanceOf(JobValidationError);
      const issues = (e as JobValidationError).issues.join('\n');
      expect(issues).toMatch(/organizationId/);
      expect(issues).toMatch(/scanId/);
    }
  });
});
