import { ALERT_RULE_KINDS, type AlertRuleKind } from '@plumbline/contracts';
import { compareStates, type AlertState, type EffectiveRule } from './evaluate.js';
import { signWebhook, verifyWebhook } from './webhook.js';

const state = (over: Partial<AlertState> = {}): AlertState => ({
  v: 1,
  orgLevel: 3,
  pillars: { 'maturity/security': { name: 'Security', level: 3 } },
  shadowAgents: [],
  mcpServers: [],
  exposedAgents: [],
  criticalFindings: [],
  taxCents: 100_000,
  ...over,
});

const rules = (on: Partial<Record<AlertRuleKind, number | null>>) =>
  new Map<AlertRuleKind, EffectiveRule>(
    ALERT_RULE_KINDS.map((kind) => [
      kind,
      { kind, enabled: kind in on, threshold: on[kind] ?? null, cooldownMinutes: 60 },
    ]),
  );

describe('alert rule comparison (pure)', () => {
  it('new MCP servers, exposed agents and critical findings fire one alert per new subject', () => {
    const fired = compareStates(
      state({ mcpServers: ['prod/a'], criticalFindings: ['prod/x'] }),
      state({
        mcpServers: ['prod/a', 'prod/b'],
        exposedAgents: ['prod/agent'],
        criticalFindings: ['prod/x', 'prod/y'],
      }),
      rules({ new_mcp_server: null, new_exposed_agent: null, critical_finding: null }),
    );
    expect(fired.map((f) => f.dedupeKey)).toEqual([
      'new_mcp_server:prod/b',
      'new_exposed_agent:prod/agent',
      'critical_finding:prod/y',
    ]);
  });

  it('a pillar drop below the threshold does not fire; at the threshold it does', () => {
    const prev = state();
    const next = state({ pillars: { 'maturity/security': { name: 'Security', level: 2 } } });
    expect(compareStates(prev, next, rules({ level_drop: 2 }))).toEqual([]);
    expect(compareStates(prev, next, rules({ level_drop: 1 })).map((f) => f.dedupeKey)).toEqual([
      'level_drop:maturity/security',
    ]);
  });

  it('disabled rules and unchanged states fire nothing; a tax from zero is not a rise', () => {
    expect(compareStates(state(), state({ shadowAgents: ['p/a'] }), rules({}))).toEqual([]);
    expect(compareStates(state(), state(), rules({ tax_rise: 0, level_drop: 1 }))).toEqual([]);
    expect(
      compareStates(state({ taxCents: 0 }), state({ taxCents: 5 }), rules({ tax_rise: 0 })),
    ).toEqual([]);
  });

  it('signatures: v1 HMAC-SHA256 over id.timestamp.body with the secret bytes', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    // The Standard Webhooks reference vector.
    expect(
      signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}'),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    const h = { id: 'msg_1', timestamp: '1614265330', signature: 'v1,bad v1,' };
    expect(verifyWebhook(secret, h, '{}', { now: 1614265330_000 })).toBe(false);
  });
});
