import type { EmittedCall, StubAction } from './engine.js';

/**
 * Chat Completions wire format for a stub turn: one `chat.completion` object, or the list of
 * `chat.completion.chunk` objects of a stream (tool-call deltas by `index`, `id` and name in the
 * first delta of each call, `arguments` as string fragments after it, a final chunk with the
 * finish reason, an optional usage chunk). The caller frames chunks as SSE and ends with [DONE].
 */
export interface TurnMeta {
  id: string;
  created: number;
  model: string;
  promptTokens: number;
  completionTokens: number;
}

export const SYSTEM_FINGERPRINT = 'plumbline-stub';
/** Fixed fragment sizes, so a stream is the same bytes every time. */
export const ARGUMENT_FRAGMENT = 12;
export const TEXT_FRAGMENT = 16;

export function fragments(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export function estimateTokens(chars: number): number {
  return Math.max(1, Math.ceil(chars / 4));
}

export function outputChars(action: StubAction): number {
  return action.kind === 'message'
    ? action.text.length
    : action.calls.reduce((n, c) => n + c.tool.length + c.arguments.length, 0);
}

function usage(meta: TurnMeta) {
  return {
    prompt_tokens: meta.promptTokens,
    completion_tokens: meta.completionTokens,
    total_tokens: meta.promptTokens + meta.completionTokens,
  };
}

function toolCall(call: EmittedCall) {
  return {
    id: call.callId,
    type: 'function',
    function: { name: call.tool, arguments: call.arguments },
  };
}

export function renderChatCompletion(action: StubAction, meta: TurnMeta) {
  const message =
    action.kind === 'message'
      ? { role: 'assistant', content: action.text, refusal: null, annotations: [] }
      : {
          role: 'assistant',
          content: null,
          refusal: null,
          annotations: [],
          tool_calls: action.calls.map(toolCall),
        };
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: action.kind === 'message' ? 'stop' : 'tool_calls',
      },
    ],
    usage: usage(meta),
  };
}

export function renderChatChunks(action: StubAction, meta: TurnMeta, includeUsage: boolean) {
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: meta.model,
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...(includeUsage ? { usage: null } : {}),
  });
  const chunks: Record<string, unknown>[] = [];
  if (action.kind === 'message') {
    chunks.push(chunk({ role: 'assistant', content: '', refusal: null }, null));
    for (const part of fragments(action.text, TEXT_FRAGMENT))
      chunks.push(chunk({ content: part }, null));
    chunks.push(chunk({}, 'stop'));
  } else {
    action.calls.forEach((call, index) => {
      const head = {
        index,
        id: call.callId,
        type: 'function',
        function: { name: call.tool, arguments: '' },
      };
      chunks.push(
        chunk(
          index === 0
            ? { role: 'assistant', content: null, tool_calls: [head] }
            : { tool_calls: [head] },
          null,
        ),
      );
      for (const part of fragments(call.arguments, ARGUMENT_FRAGMENT)) {
        chunks.push(chunk({ tool_calls: [{ index, function: { arguments: part } }] }, null));
      }
    });
    chunks.push(chunk({}, 'tool_calls'));
  }
  if (includeUsage) {
    chunks.push({
      id: meta.id,
      object: 'chat.completion.chunk',
      created: meta.created,
      model: meta.model,
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices: [],
      usage: usage(meta),
    });
  }
  return chunks;
}
