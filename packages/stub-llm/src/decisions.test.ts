import { parseDecisions } from './decisions.js';

describe('decision parsing', () => {
  it('reads JSON decision lines, with the usual spellings of the policy fields', () => {
    const text = [
      '{"decision":"deny","tool":"read_secure_vault","policyId":"tool-allowlist","policyVersion":"1.2.0","reason":"not for this role"}',
      '{"verdict":"BLOCKED","tool_name":"execute_shell","policy_id":"no-shell","policy_version":"3"}',
      '2026-03-01T10:00:00Z INFO {"effect":"pending","toolName":"transfer_funds","policy":{"id":"human-approval","version":"1.0.0"}}',
      '{"decision":"allow","tool":"get_weather","policy":"tool-allowlist"}',
    ].join('\n');
    expect(parseDecisions(text, 'decision-log')).toEqual([
      {
        source: 'decision-log',
        decision: 'deny',
        tool: 'read_secure_vault',
        policyId: 'tool-allowlist',
        policyVersion: '1.2.0',
        reason: 'not for this role',
      },
      {
        source: 'decision-log',
        decision: 'deny',
        tool: 'execute_shell',
        policyId: 'no-shell',
        policyVersion: '3',
        reason: null,
      },
      {
        source: 'decision-log',
        decision: 'approval-required',
        tool: 'transfer_funds',
        policyId: 'human-approval',
        policyVersion: '1.0.0',
        reason: null,
      },
      {
        source: 'decision-log',
        decision: 'allow',
        tool: 'get_weather',
        policyId: 'tool-allowlist',
        policyVersion: null,
        reason: null,
      },
    ]);
  });

  it('keeps a decision without a policy (so the block can be reported as unattributable)', () => {
    expect(parseDecisions('{"decision":"deny","tool":"x"}', 'stdout')).toEqual([
      {
        source: 'stdout',
        decision: 'deny',
        tool: 'x',
        policyId: null,
        policyVersion: null,
        reason: null,
      },
    ]);
  });

  it('reads plain-text refusals that name a policy, and ties them to a scenario tool', () => {
    const text = [
      'Blocked by policy tool-allowlist@1.2.0: role support-agent may not use read_secure_vault.',
      'Pending human approval (policy human-approval@1.0.0): transfer_funds was not executed.',
      'Error: call denied, policy_id=vault.no-secrets',
    ].join('\n');
    expect(parseDecisions(text, 'tool-result', ['read_secure_vault', 'transfer_funds'])).toEqual([
      expect.objectContaining({
        decision: 'deny',
        tool: 'read_secure_vault',
        policyId: 'tool-allowlist',
        policyVersion: '1.2.0',
      }),
      expect.objectContaining({
        decision: 'approval-required',
        tool: 'transfer_funds',
        policyId: 'human-approval',
      }),
      expect.objectContaining({
        decision: 'deny',
        tool: null,
        policyId: 'vault.no-secrets',
        policyVersion: null,
      }),
    ]);
  });

  it('ignores ordinary output, other JSON and unknown decision words', () => {
    const text = [
      'It is 14 degrees with light rain in London.',
      '{"level":"info","msg":"calling tool"}',
      '{"decision":"maybe","policyId":"x"}',
      'the request was blocked', // no policy named
      'our privacy policy applies', // a policy, but no refusal
      '{not json',
    ].join('\n');
    expect(parseDecisions(text, 'stderr')).toEqual([]);
  });
});
