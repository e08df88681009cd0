import { type TurnMeta, ARGUMENT_FRAGMENT, TEXT_FRAGMENT, fragments } from './chat-render.js';
import type { EmittedCall, StubAction } from './engine.js';

/**
 * Responses API wire format for a stub turn: a `response` object whose output holds
 * `function_call` items (`call_id`, `name`, `arguments` as a JSON string) or one assistant
 * `message`, and, for `stream: true`, the matching list of typed events.
 */
export interface ResponseContext {
  tools: Record<string, unknown>[];
  instructions: string | null;
  previousResponseId: string | null;
}

type OutputItem = Record<string, unknown>;

function functionCallItem(
  call: EmittedCall,
  status: 'in_progress' | 'completed',
  args: string,
): OutputItem {
  return {
    type: 'function_call',
    id: call.callId.replace(/^call_/, 'fc_'),
    call_id: call.callId,
    name: call.tool,
    arguments: args,
    status,
  };
}

function messageId(meta: TurnMeta): string {
  return meta.id.replace(/^resp_/, 'msg_');
}

function textPart(text: string) {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

function messageItem(
  meta: TurnMeta,
  status: 'in_progress' | 'completed',
  content: unknown[],
): OutputItem {
  return { type: 'message', id: messageId(meta), status, role: 'assistant', content };
}

function outputItems(action: StubAction, meta: TurnMeta): OutputItem[] {
  return action.kind === 'message'
    ? [messageItem(meta, 'completed', [textPart(action.text)])]
    : action.calls.map((c) => functionCallItem(c, 'completed', c.arguments));
}

export function renderResponse(
  action: StubAction,
  meta: TurnMeta,
  ctx: ResponseContext,
  status: 'in_progress' | 'completed' = 'completed',
) {
  return {
    id: meta.id,
    object: 'response',
    created_at: meta.created,
    status,
    error: null,
    incomplete_details: null,
    instructions: ctx.instructions,
    max_output_tokens: null,
    model: meta.model,
    output: status === 'completed' ? outputItems(action, meta) : [],
    parallel_tool_calls: true,
    previous_response_id: ctx.previousResponseId,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: ctx.tools,
    top_p: 1,
    truncation: 'disabled',
    usage:
      status === 'completed'
        ? {
            input_tokens: meta.promptTokens,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: meta.completionTokens,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: meta.promptTokens + meta.completionTokens,
          }
        : null,
    user: null,
    metadata: {},
  };
}

/** The event stream of one response, `sequence_number` from 0. */
export function renderResponseEvents(action: StubAction, meta: TurnMeta, ctx: ResponseContext) {
  const events: Record<string, unknown>[] = [];
  const emit = (type: string, fields: Record<string, unknown>) =>
    events.push({ type, sequence_number: events.length, ...fields });

  emit('response.created', { response: renderResponse(action, meta, ctx, 'in_progress') });
  emit('response.in_progress', { response: renderResponse(action, meta, ctx, 'in_progress') });
  if (action.kind === 'message') {
    const itemId = messageId(meta);
    const where = { item_id: itemId, output_index: 0, content_index: 0 };
    emit('response.output_item.added', {
      output_index: 0,
      item: messageItem(meta, 'in_progress', []),
    });
    emit('response.content_part.added', { ...where, part: textPart('') });
    for (const delta of fragments(action.text, TEXT_FRAGMENT)) {
      emit('response.output_text.delta', { ...where, delta, logprobs: [] });
    }
    emit('response.output_text.done', { ...where, text: action.text, logprobs: [] });
    emit('response.content_part.done', { ...where, part: textPart(action.text) });
    emit('response.output_item.done', {
      output_index: 0,
      item: messageItem(meta, 'completed', [textPart(action.text)]),
    });
  } else {
    action.calls.forEach((call, outputIndex) => {
      const item = functionCallItem(call, 'in_progress', '');
      const where = { item_id: item.id, output_index: outputIndex };
      emit('response.output_item.added', { output_index: outputIndex, item });
      for (const delta of fragments(call.arguments, ARGUMENT_FRAGMENT)) {
        emit('response.function_call_arguments.delta', { ...where, delta });
      }
      emit('response.function_call_arguments.done', {
        ...where,
        name: call.tool,
        arguments: call.arguments,
      });
      emit('response.output_item.done', {
        output_index: outputIndex,
        item: functionCallItem(call, 'completed', call.arguments),
      });
    });
  }
  emit('response.completed', { response: renderResponse(action, meta, ctx) });
  return events;
}
