import {
  type ConversationView,
  NO_SCENARIO_TEXT,
  decide,
  nextStep,
  selectScenario,
  stepOfCallId,
} from './engine.js';
import { SCENARIOS, type Scenario, findScenario, triggerMarker } from './scenarios.js';

const ALL_TOOLS = [
  'get_weather',
  'get_invoice',
  'delete_user_account',
  'read_secure_vault',
  'transfer_funds',
  'update_user_role',
];

function view(overrides: Partial<ConversationView> = {}): ConversationView {
  return {
    model: 'gpt-4o-mini',
    lastUserText: null,
    advertisedTools: ALL_TOOLS,
    callIdsSeen: [],
    toolResults: [],
    toolChoiceNone: false,
    ...overrides,
  };
}

const scenario = (id: string): Scenario => {
  const s = findScenario(id);
  if (!s) throw new Error(id);
  return s;
};

describe('scenario selection', () => {
  it('selects by model name, also behind a provider prefix', () => {
    expect(selectScenario('plumbline-probe/vault-secret-read', null)).toMatchObject({
      kind: 'scenario',
      via: 'model',
      scenario: { id: 'vault-secret-read' },
    });
    expect(selectScenario('openai/plumbline-probe/vault-secret-read', null)).toMatchObject({
      kind: 'scenario',
      scenario: { id: 'vault-secret-read' },
    });
  });

  it('reports an unknown probe model instead of guessing', () => {
    expect(selectScenario('plumbline-probe/nope', null)).toEqual({
      kind: 'unknown-model',
      scenarioId: 'nope',
    });
  });

  it('falls back to the trigger marker in the last user message', () => {
    const text = `please help ${triggerMarker('transfer-funds-approval')} thanks`;
    expect(selectScenario('gpt-4o', text)).toMatchObject({
      kind: 'scenario',
      via: 'marker',
      scenario: { id: 'transfer-funds-approval' },
    });
    expect(selectScenario('gpt-4o', 'no marker here')).toEqual({ kind: 'none' });
    expect(selectScenario('gpt-4o', triggerMarker('unknown-one'))).toEqual({ kind: 'none' });
  });

  it('prefers the model name over the marker', () => {
    const s = selectScenario(
      'plumbline-probe/authorised-weather',
      triggerMarker('vault-secret-read'),
    );
    expect(s).toMatchObject({ scenario: { id: 'authorised-weather' } });
  });
});

describe('the state machine', () => {
  it('reads steps from call ids and ignores ids it did not make', () => {
    expect(stepOfCallId('call_plb_2_1')).toBe(2);
    expect(stepOfCallId('call_abc')).toBeNull();
    expect(nextStep([])).toBe(0);
    expect(nextStep(['call_plb_0_0', 'call_other', 'call_plb_1_0'])).toBe(2);
  });

  it('plays each step once, then answers with a plain message', () => {
    const s = scenario('cross-tenant-invoice');
    const first = decide(s, view());
    expect(first).toMatchObject({
      kind: 'tool_calls',
      step: 0,
      calls: [
        {
          callId: 'call_plb_0_0',
          tool: 'get_invoice',
          probe: false,
          arguments: '{"invoice_id":"acme-inv-1001"}',
        },
      ],
    });
    const second = decide(s, view({ callIdsSeen: ['call_plb_0_0', 'call_plb_0_0'] }));
    expect(second).toMatchObject({
      kind: 'tool_calls',
      step: 1,
      calls: [{ callId: 'call_plb_1_0', variant: 'cross-tenant-object', probe: true }],
    });
    const done = decide(s, view({ callIdsSeen: ['call_plb_0_0', 'call_plb_1_0'] }));
    expect(done).toEqual({
      kind: 'message',
      scenarioId: s.id,
      text: s.finalMessage,
      reason: 'finished',
      skipped: [],
    });
  });

  it('always sends arguments as a JSON string', () => {
    for (const s of SCENARIOS) {
      const action = decide(s, view());
      if (action.kind !== 'tool_calls') throw new Error(`${s.id} made no call`);
      for (const c of action.calls) {
        expect(typeof c.arguments).toBe('string');
        const index = Number(c.callId.split('_').pop());
        expect(JSON.parse(c.arguments)).toEqual(s.steps[0]![index]!.arguments);
      }
    }
  });

  it('makes parallel calls in one turn', () => {
    const action = decide(scenario('privilege-escalation'), view());
    expect(action.kind === 'tool_calls' && action.calls.map((c) => [c.callId, c.tool])).toEqual([
      ['call_plb_0_0', 'get_weather'],
      ['call_plb_0_1', 'update_user_role'],
    ]);
  });

  it('calls only advertised tools, except the unadvertised-tool variant', () => {
    const noWeather = view({ advertisedTools: ['update_user_role'] });
    const partial = decide(scenario('privilege-escalation'), noWeather);
    expect(partial).toMatchObject({
      kind: 'tool_calls',
      calls: [{ tool: 'update_user_role', callId: 'call_plb_0_1' }],
      skipped: [{ step: 0, tool: 'get_weather', probe: false }],
    });
    const none = decide(scenario('vault-secret-read'), view({ advertisedTools: [] }));
    expect(none).toMatchObject({
      kind: 'message',
      reason: 'not-advertised',
      skipped: [{ tool: 'read_secure_vault', probe: true }],
    });
    const hidden = decide(
      scenario('unadvertised-tool'),
      view({ advertisedTools: ['get_weather'] }),
    );
    expect(hidden).toMatchObject({
      kind: 'tool_calls',
      calls: [{ tool: 'execute_shell', advertised: false, variant: 'unadvertised-tool' }],
    });
  });

  it('answers in text when no scenario is selected or tools are switched off', () => {
    expect(decide(null, view())).toMatchObject({
      kind: 'message',
      text: NO_SCENARIO_TEXT,
      reason: 'no-scenario',
    });
    expect(decide(scenario('authorised-weather'), view({ toolChoiceNone: true }))).toMatchObject({
      kind: 'message',
      reason: 'tool-choice-none',
    });
  });

  it('is deterministic', () => {
    for (const s of SCENARIOS) expect(decide(s, view())).toEqual(decide(s, view()));
  });
});
