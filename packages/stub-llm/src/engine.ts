import type { ProbeCallVariant } from '@plumbline/contracts';
import {
  PROBE_MODEL_PREFIX,
  SCENARIOS,
  type Scenario,
  TRIGGER_MARKER_PREFIX,
  TRIGGER_MARKER_SUFFIX,
  isProbeCall,
} from './scenarios.js';

/**
 * The stub model's brain, deterministic and free of HTTP: given what the agent sent (whatever the
 * API flavour), pick the scenario and decide the next turn. The state is the conversation itself:
 * call ids carry the step (`call_plb_<step>_<index>`), so the step after the highest one the
 * agent already answered (or at least echoed back) is next, and after the last step comes a plain
 * answer with finish reason `stop`. Re-sending the same conversation gives the same answer.
 */
export interface ConversationView {
  model: string;
  /** Text of the last user message, if any. */
  lastUserText: string | null;
  /** Names of the function tools the agent offered. */
  advertisedTools: readonly string[];
  /** Every tool-call id present: in assistant tool calls and in tool results. */
  callIdsSeen: readonly string[];
  /** Tool results sent back by the agent (evidence of what it told the model). */
  toolResults: readonly ToolResultSeen[];
  /** The agent asked for no tool calls (`tool_choice: "none"`). */
  toolChoiceNone: boolean;
}

export interface ToolResultSeen {
  callId: string;
  content: string;
}

export interface EmittedCall {
  step: number;
  callId: string;
  tool: string;
  /** The arguments exactly as sent to the agent: a JSON string. */
  arguments: string;
  variant: ProbeCallVariant | null;
  probe: boolean;
  advertised: boolean;
}

export type StubAction =
  | {
      kind: 'tool_calls';
      scenarioId: string;
      step: number;
      calls: EmittedCall[];
      skipped: SkippedCall[];
    }
  | {
      kind: 'message';
      scenarioId: string | null;
      text: string;
      reason: 'finished' | 'no-scenario' | 'not-advertised' | 'tool-choice-none';
      skipped: SkippedCall[];
    };

/** A scripted call left out because the agent never offered its tool. */
export interface SkippedCall {
  step: number;
  tool: string;
  probe: boolean;
}

export type ScenarioSelection =
  | { kind: 'scenario'; scenario: Scenario; via: 'model' | 'marker' }
  | { kind: 'unknown-model'; scenarioId: string }
  | { kind: 'none' };

const CALL_ID = /^call_plb_(\d{1,4})_(\d{1,4})$/;
const MODEL = new RegExp(`(?:^|/)${escapeRegExp(PROBE_MODEL_PREFIX)}([a-z0-9][a-z0-9-]*)$`);
const MARKER = new RegExp(
  `${escapeRegExp(TRIGGER_MARKER_PREFIX)}([a-z0-9][a-z0-9-]*)${escapeRegExp(TRIGGER_MARKER_SUFFIX)}`,
);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function callId(step: number, index: number): string {
  return `call_plb_${step}_${index}`;
}

/** The step a call id belongs to, if the stub made it. */
export function stepOfCallId(id: string): number | null {
  const m = CALL_ID.exec(id);
  return m?.[1] === undefined ? null : Number(m[1]);
}

/** Model name first (`…plumbline-probe/<id>`), then the marker in the last user message. */
export function selectScenario(
  model: string,
  lastUserText: string | null,
  catalogue: readonly Scenario[] = SCENARIOS,
): ScenarioSelection {
  const byModel = MODEL.exec(model)?.[1];
  if (byModel !== undefined) {
    const scenario = catalogue.find((s) => s.id === byModel);
    return scenario
      ? { kind: 'scenario', scenario, via: 'model' }
      : { kind: 'unknown-model', scenarioId: byModel };
  }
  const byMarker = lastUserText === null ? undefined : MARKER.exec(lastUserText)?.[1];
  const scenario = byMarker === undefined ? undefined : catalogue.find((s) => s.id === byMarker);
  return scenario ? { kind: 'scenario', scenario, via: 'marker' } : { kind: 'none' };
}

/** The next step to play: one past the highest step whose call ids the conversation contains. */
export function nextStep(callIdsSeen: readonly string[]): number {
  let highest = -1;
  for (const id of callIdsSeen) {
    const step = stepOfCallId(id);
    if (step !== null && step > highest) highest = step;
  }
  return highest + 1;
}

export const NO_SCENARIO_TEXT =
  `This is the Plumbline probe stub model. Select a scenario with the model name ` +
  `"${PROBE_MODEL_PREFIX}<scenario id>" or put "${TRIGGER_MARKER_PREFIX}<scenario id>${TRIGGER_MARKER_SUFFIX}" in the user message.`;

export function decide(scenario: Scenario | null, view: ConversationView): StubAction {
  if (!scenario) {
    return {
      kind: 'message',
      scenarioId: null,
      text: NO_SCENARIO_TEXT,
      reason: 'no-scenario',
      skipped: [],
    };
  }
  const step = nextStep(view.callIdsSeen);
  const script = scenario.steps[step];
  if (!script) {
    return {
      kind: 'message',
      scenarioId: scenario.id,
      text: scenario.finalMessage,
      reason: 'finished',
      skipped: [],
    };
  }
  if (view.toolChoiceNone) {
    return {
      kind: 'message',
      scenarioId: scenario.id,
      text: 'No tool calls were allowed for this turn, so there is nothing more to do.',
      reason: 'tool-choice-none',
      skipped: [],
    };
  }
  const advertised = new Set(view.advertisedTools);
  const calls: EmittedCall[] = [];
  const skipped: SkippedCall[] = [];
  script.forEach((call, index) => {
    const isAdvertised = advertised.has(call.tool);
    if (!isAdvertised && call.variant !== 'unadvertised-tool') {
      skipped.push({ step, tool: call.tool, probe: isProbeCall(call) });
      return;
    }
    calls.push({
      step,
      callId: callId(step, index),
      tool: call.tool,
      arguments: JSON.stringify(call.arguments),
      variant: call.variant ?? null,
      probe: isProbeCall(call),
      advertised: isAdvertised,
    });
  });
  if (calls.length === 0) {
    const tools = skipped.map((s) => s.tool).join(', ');
    return {
      kind: 'message',
      scenarioId: scenario.id,
      text: `I would need the tool(s) ${tools}, which were not offered, so I cannot continue.`,
      reason: 'not-advertised',
      skipped,
    };
  }
  return { kind: 'tool_calls', scenarioId: scenario.id, step, calls, skipped };
}
