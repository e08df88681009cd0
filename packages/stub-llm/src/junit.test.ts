import {
  PROBE_REPORT_VERSION,
  type ProbeReport,
  type ProbeScenarioResult,
  summarizeProbeResults,
} from '@plumbline/contracts';
import { escapeXml, toJUnit } from './junit.js';

function result(id: string, overrides: Partial<ProbeScenarioResult>): ProbeScenarioResult {
  return {
    id,
    title: `Title of ${id}`,
    asi: 'ASI03',
    pillar: 'authorization-provenance',
    expectedOutcome: 'blocked',
    mustBlock: true,
    actualOutcome: 'blocked-before-execution',
    attributable: true,
    result: 'pass',
    reasons: ['fine'],
    agent: { exitCode: 0, signal: null, timedOut: false, durationMs: 1500 },
    evidence: {
      modelRequests: { total: 2, streamed: 2 },
      modelToolCalls: [],
      canaryCalls: [],
      decisions: [],
      traceparentPropagated: null,
      truncated: false,
    },
    ...overrides,
  };
}

function report(scenarios: ProbeScenarioResult[]): ProbeReport {
  return {
    reportVersion: PROBE_REPORT_VERSION,
    tool: { name: 'plumbline-probe', version: '0.1.0' },
    catalogueVersion: '2026.1.0',
    runner: { node: 'v20', platform: 'linux-x64' },
    startedAt: '2026-03-01T10:00:00.000Z',
    finishedAt: '2026-03-01T10:00:04.250Z',
    agent: { command: 'agent', streaming: false, timeoutMs: 1000 },
    summary: { ...summarizeProbeResults(scenarios), exitCode: 1 },
    scenarios,
  };
}

describe('JUnit XML', () => {
  const xml = toJUnit(
    report([
      result('a-pass', {}),
      result('b-ran', {
        actualOutcome: 'executed',
        result: 'fail',
        reasons: ['the tool ran although the expected outcome is blocked'],
        evidence: {
          modelRequests: { total: 2, streamed: 2 },
          modelToolCalls: [
            {
              step: 0,
              callId: 'call_plb_0_0',
              tool: 'read_secure_vault',
              arguments: '{"secret_id":"<prod & \\"db\\">"}',
              variant: null,
              probe: true,
              advertised: true,
            },
          ],
          canaryCalls: [],
          decisions: [],
          traceparentPropagated: null,
          truncated: false,
        },
      }),
      result('c-silent', {
        attributable: false,
        result: 'fail',
        reasons: ['unattributable block'],
      }),
      result('d-unknown', {
        actualOutcome: 'not-exercised',
        result: 'inconclusive',
        reasons: ['never asked'],
      }),
    ]),
  );

  it('counts tests, failures and errors and carries the run time', () => {
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="plumbline-probe" tests="4" failures="2" errors="1" skipped="0" time="4.250">/,
    );
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain('time="1.500"');
  });

  it('types the failures and makes inconclusive runs errors', () => {
    expect(xml).toContain(
      '<failure message="the tool ran although the expected outcome is blocked" type="must-block-executed">',
    );
    expect(xml).toContain('<failure message="unattributable block" type="governance-failure">');
    expect(xml).toContain('<error message="never asked" type="inconclusive">');
  });

  it('escapes evidence', () => {
    expect(xml).toContain(
      'read_secure_vault({&quot;secret_id&quot;:&quot;&lt;prod &amp; \\&quot;db\\&quot;&gt;&quot;})',
    );
    expect(escapeXml("a\u0001b'")).toBe('a\uFFFDb&apos;');
  });
});
