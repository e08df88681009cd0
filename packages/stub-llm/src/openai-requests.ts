import type { ConversationView, ToolResultSeen } from './engine.js';
import { isRecord } from './json.js';

/**
 * Validation of OpenAI-style requests into the engine's ConversationView. Every problem becomes
 * an OpenAIRequestError carrying the status, `param` path and `code` OpenAI would send, so a
 * malformed request gets `{ error: { message, type, param, code } }` and never crashes the stub.
 */
export class OpenAIRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly type = 'invalid_request_error',
  ) {
    super(message);
  }
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function errorBody(e: OpenAIRequestError): OpenAIErrorBody {
  return { error: { message: e.message, type: e.type, param: e.param, code: e.code } };
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function invalidType(param: string, expected: string, value: unknown): OpenAIRequestError {
  return new OpenAIRequestError(
    400,
    `Invalid type for '${param}': expected ${expected}, but got ${typeName(value)} instead.`,
    param,
    'invalid_type',
  );
}

function missing(param: string): OpenAIRequestError {
  return new OpenAIRequestError(
    400,
    `Missing required parameter: '${param}'.`,
    param,
    'missing_required_parameter',
  );
}

function requireString(obj: Record<string, unknown>, key: string, param: string): string {
  const value = obj[key];
  if (value === undefined) throw missing(param);
  if (typeof value !== 'string') throw invalidType(param, 'a string', value);
  return value;
}

function optionalBoolean(obj: Record<string, unknown>, key: string): boolean {
  const value = obj[key];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') throw invalidType(key, 'a boolean', value);
  return value;
}

export function parseJsonBody(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OpenAIRequestError(
      400,
      'We could not parse the JSON body of your request. The request body must be valid JSON.',
    );
  }
  if (!isRecord(value)) {
    throw new OpenAIRequestError(
      400,
      `The request body must be a JSON object, not ${typeName(value)}.`,
    );
  }
  return value;
}

function parseModel(body: Record<string, unknown>): string {
  if (body.model === undefined) {
    throw new OpenAIRequestError(400, 'you must provide a model parameter', 'model');
  }
  const model = requireString(body, 'model', 'model');
  if (model.length === 0 || model.length > 256) {
    throw new OpenAIRequestError(
      400,
      "Invalid 'model': expected 1 to 256 characters.",
      'model',
      'invalid_value',
    );
  }
  return model;
}

/** Text of a `content` that is a string or an array of parts with `text`. */
function contentText(content: unknown, param: string): string | null {
  if (content === undefined || content === null) return null;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content))
    throw invalidType(param, 'a string or an array of content parts', content);
  const texts: string[] = [];
  content.forEach((part, i) => {
    if (!isRecord(part)) throw invalidType(`${param}[${i}]`, 'an object', part);
    if (typeof part.type !== 'string') throw missing(`${param}[${i}].type`);
    if (typeof part.text === 'string') texts.push(part.text);
  });
  return texts.join('\n');
}

function checkToolChoiceNone(body: Record<string, unknown>): boolean {
  const choice = body.tool_choice;
  if (choice === undefined || choice === null) return false;
  if (typeof choice === 'string') {
    if (!['none', 'auto', 'required'].includes(choice)) {
      throw new OpenAIRequestError(
        400,
        `Invalid value for 'tool_choice': '${choice}'. Supported values are: 'none', 'auto' and 'required'.`,
        'tool_choice',
        'invalid_value',
      );
    }
    return choice === 'none';
  }
  if (!isRecord(choice)) throw invalidType('tool_choice', 'a string or an object', choice);
  return false;
}

// ---------------------------------------------------------------- chat completions

export interface ChatRequest {
  view: ConversationView;
  stream: boolean;
  includeUsage: boolean;
  /** Characters of message text, for the (deterministic) token estimate. */
  promptChars: number;
}

const CHAT_ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];

export function parseChatRequest(body: Record<string, unknown>): ChatRequest {
  const model = parseModel(body);
  const messages = body.messages;
  if (messages === undefined) throw missing('messages');
  if (!Array.isArray(messages)) throw invalidType('messages', 'an array', messages);
  if (messages.length === 0) {
    throw new OpenAIRequestError(
      400,
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'messages',
      'empty_array',
    );
  }
  let lastUserText: string | null = null;
  let promptChars = 0;
  const callIdsSeen: string[] = [];
  const toolResults: ToolResultSeen[] = [];
  messages.forEach((m, i) => {
    const p = `messages[${i}]`;
    if (!isRecord(m)) throw invalidType(p, 'an object', m);
    const role = requireString(m, 'role', `${p}.role`);
    if (!CHAT_ROLES.includes(role)) {
      throw new OpenAIRequestError(
        400,
        `Invalid value: '${role}'. Supported values are: ${CHAT_ROLES.map((r) => `'${r}'`).join(', ')}.`,
        `${p}.role`,
        'invalid_value',
      );
    }
    const text = contentText(m.content, `${p}.content`);
    promptChars += text?.length ?? 0;
    if (role === 'user') lastUserText = text;
    if (role === 'tool') {
      const id = requireString(m, 'tool_call_id', `${p}.tool_call_id`);
      callIdsSeen.push(id);
      toolResults.push({ callId: id, content: text ?? '' });
    }
    if (role === 'assistant' && m.tool_calls !== undefined && m.tool_calls !== null) {
      if (!Array.isArray(m.tool_calls))
        throw invalidType(`${p}.tool_calls`, 'an array', m.tool_calls);
      m.tool_calls.forEach((call, j) => {
        const q = `${p}.tool_calls[${j}]`;
        if (!isRecord(call)) throw invalidType(q, 'an object', call);
        callIdsSeen.push(requireString(call, 'id', `${q}.id`));
        if (call.type !== undefined && call.type !== 'function' && call.type !== 'custom') {
          throw new OpenAIRequestError(
            400,
            `Invalid value for '${q}.type'.`,
            `${q}.type`,
            'invalid_value',
          );
        }
        if (call.type !== 'custom') {
          const fn = call.function;
          if (!isRecord(fn)) throw invalidType(`${q}.function`, 'an object', fn);
          requireString(fn, 'name', `${q}.function.name`);
          // The wire format is a JSON *string*; an object here is the classic harness bug.
          requireString(fn, 'arguments', `${q}.function.arguments`);
        }
      });
    }
  });

  const advertisedTools: string[] = [];
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) throw invalidType('tools', 'an array', body.tools);
    body.tools.forEach((tool, i) => {
      const p = `tools[${i}]`;
      if (!isRecord(tool)) throw invalidType(p, 'an object', tool);
      const type = requireString(tool, 'type', `${p}.type`);
      if (type !== 'function') return; // custom tools are accepted but never called
      const fn = tool.function;
      if (!isRecord(fn)) throw invalidType(`${p}.function`, 'an object', fn);
      const name = requireString(fn, 'name', `${p}.function.name`);
      if (!TOOL_NAME.test(name)) {
        throw new OpenAIRequestError(
          400,
          `Invalid '${p}.function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$' of at most 64 characters.`,
          `${p}.function.name`,
          'invalid_value',
        );
      }
      if (fn.parameters !== undefined && !isRecord(fn.parameters)) {
        throw invalidType(`${p}.function.parameters`, 'an object', fn.parameters);
      }
      advertisedTools.push(name);
    });
  }

  const stream = optionalBoolean(body, 'stream');
  let includeUsage = false;
  if (body.stream_options !== undefined && body.stream_options !== null) {
    if (!stream) {
      throw new OpenAIRequestError(
        400,
        "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
        'stream_options',
        'invalid_value',
      );
    }
    if (!isRecord(body.stream_options)) {
      throw invalidType('stream_options', 'an object', body.stream_options);
    }
    includeUsage = optionalBoolean(body.stream_options, 'include_usage');
  }
  if (body.n !== undefined && body.n !== null && body.n !== 1) {
    throw new OpenAIRequestError(
      400,
      'The Plumbline stub model only supports n=1.',
      'n',
      'unsupported_value',
    );
  }

  return {
    view: {
      model,
      lastUserText,
      advertisedTools,
      callIdsSeen,
      toolResults,
      toolChoiceNone: checkToolChoiceNone(body),
    },
    stream,
    includeUsage,
    promptChars,
  };
}

// ---------------------------------------------------------------- responses

export interface ResponsesRequest {
  view: ConversationView;
  stream: boolean;
  previousResponseId: string | null;
  promptChars: number;
  /** The function tools as sent, echoed back in the response object. */
  tools: Record<string, unknown>[];
  instructions: string | null;
}

const INPUT_ROLES = ['user', 'system', 'developer', 'assistant'];
const IGNORED_ITEM_TYPES = ['reasoning', 'item_reference'];

export function parseResponsesRequest(body: Record<string, unknown>): ResponsesRequest {
  const model = parseModel(body);
  const input = body.input;
  if (input === undefined) throw missing('input');
  let lastUserText: string | null = null;
  let promptChars = 0;
  const callIdsSeen: string[] = [];
  const toolResults: ToolResultSeen[] = [];
  if (typeof input === 'string') {
    lastUserText = input;
    promptChars = input.length;
  } else if (Array.isArray(input)) {
    input.forEach((item, i) => {
      const p = `input[${i}]`;
      if (!isRecord(item)) throw invalidType(p, 'an object', item);
      const type = item.type === undefined ? 'message' : item.type;
      if (type === 'message') {
        const role = requireString(item, 'role', `${p}.role`);
        if (!INPUT_ROLES.includes(role)) {
          throw new OpenAIRequestError(
            400,
            `Invalid value: '${role}'.`,
            `${p}.role`,
            'invalid_value',
          );
        }
        const text = contentText(item.content, `${p}.content`);
        promptChars += text?.length ?? 0;
        if (role === 'user') lastUserText = text;
      } else if (type === 'function_call') {
        callIdsSeen.push(requireString(item, 'call_id', `${p}.call_id`));
        requireString(item, 'name', `${p}.name`);
        requireString(item, 'arguments', `${p}.arguments`);
      } else if (type === 'function_call_output') {
        const id = requireString(item, 'call_id', `${p}.call_id`);
        const output =
          typeof item.output === 'string' ? item.output : contentText(item.output, `${p}.output`);
        if (output === null) throw missing(`${p}.output`);
        callIdsSeen.push(id);
        toolResults.push({ callId: id, content: output });
        promptChars += output.length;
      } else if (typeof type !== 'string' || !IGNORED_ITEM_TYPES.includes(type)) {
        throw new OpenAIRequestError(
          400,
          `Invalid value for '${p}.type': ${JSON.stringify(type)}. Supported values are: 'message', 'function_call', 'function_call_output', 'reasoning' and 'item_reference'.`,
          `${p}.type`,
          'invalid_value',
        );
      }
    });
  } else {
    throw invalidType('input', 'a string or an array', input);
  }

  const advertisedTools: string[] = [];
  const tools: Record<string, unknown>[] = [];
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) throw invalidType('tools', 'an array', body.tools);
    body.tools.forEach((tool, i) => {
      const p = `tools[${i}]`;
      if (!isRecord(tool)) throw invalidType(p, 'an object', tool);
      const type = requireString(tool, 'type', `${p}.type`);
      tools.push(tool);
      if (type !== 'function') return;
      const name = requireString(tool, 'name', `${p}.name`);
      if (!TOOL_NAME.test(name)) {
        throw new OpenAIRequestError(
          400,
          `Invalid '${p}.name': string does not match pattern.`,
          `${p}.name`,
          'invalid_value',
        );
      }
      advertisedTools.push(name);
    });
  }
  const previous = body.previous_response_id;
  if (previous !== undefined && previous !== null && typeof previous !== 'string') {
    throw invalidType('previous_response_id', 'a string', previous);
  }
  const instructions = body.instructions;
  if (instructions !== undefined && instructions !== null && typeof instructions !== 'string') {
    throw invalidType('instructions', 'a string', instructions);
  }
  return {
    view: {
      model,
      lastUserText,
      advertisedTools,
      callIdsSeen,
      toolResults,
      toolChoiceNone: checkToolChoiceNone(body),
    },
    stream: optionalBoolean(body, 'stream'),
    previousResponseId: typeof previous === 'string' ? previous : null,
    promptChars,
    tools,
    instructions: typeof instructions === 'string' ? instructions : null,
  };
}
