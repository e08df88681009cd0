import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type OpenAI from 'openai';
import type {
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';

/**
 * A plain tool-calling agent loop: ask the model (streaming or not), run the tool calls it asks
 * for through MCP, feed the results back, stop at the first answer without tool calls. A `gate`,
 * if given, sees every call before it runs and may refuse it; what it says goes back to the model
 * as the tool result.
 */
export interface ProposedCall {
  id: string;
  name: string;
  /** The arguments exactly as the model sent them (a JSON string). */
  rawArguments: string;
  /** Parsed arguments, or undefined when `rawArguments` is not JSON. */
  args: unknown;
  /** The tool's definition when it was offered to the model. */
  tool: Tool | undefined;
}

export type GateVerdict = { allow: true } | { allow: false; message: string };

export interface ToolGate {
  check(call: ProposedCall): Promise<GateVerdict>;
}

export interface AgentLoopOptions {
  openai: OpenAI;
  mcp: Client;
  model: string;
  prompt: string;
  streaming: boolean;
  gate?: ToolGate;
  maxTurns?: number;
}

interface AssistantTurn {
  content: string | null;
  calls: { id: string; name: string; arguments: string }[];
}

const SYSTEM_PROMPT =
  'You are a helpful operations assistant. Use the available tools when they help answer the user.';

function parseArguments(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function plainTurn(
  o: AgentLoopOptions,
  messages: ChatCompletionMessageParam[],
  tools: ChatCompletionTool[],
): Promise<AssistantTurn> {
  const completion = await o.openai.chat.completions.create({ model: o.model, messages, tools });
  const message = completion.choices[0]?.message;
  const calls = (message?.tool_calls ?? []).flatMap((c: ChatCompletionMessageToolCall) =>
    c.type === 'function'
      ? [{ id: c.id, name: c.function.name, arguments: c.function.arguments }]
      : [],
  );
  return { content: message?.content ?? null, calls };
}

async function streamedTurn(
  o: AgentLoopOptions,
  messages: ChatCompletionMessageParam[],
  tools: ChatCompletionTool[],
): Promise<AssistantTurn> {
  const stream = await o.openai.chat.completions.create({
    model: o.model,
    messages,
    tools,
    stream: true,
    stream_options: { include_usage: true },
  });
  let content = '';
  const calls: AssistantTurn['calls'] = [];
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta;
    if (!delta) continue; // the usage chunk has no choices
    if (delta.content) content += delta.content;
    for (const part of delta.tool_calls ?? []) {
      const slot = (calls[part.index] ??= { id: '', name: '', arguments: '' });
      if (part.id) slot.id = part.id;
      if (part.function?.name) slot.name += part.function.name;
      if (part.function?.arguments) slot.arguments += part.function.arguments;
    }
  }
  return { content: content.length > 0 ? content : null, calls: calls.filter(Boolean) };
}

async function callTool(mcp: Client, name: string, args: unknown): Promise<string> {
  try {
    const result = await mcp.callTool({ name, arguments: isObject(args) ? args : {} });
    const content = Array.isArray(result.content) ? (result.content as unknown[]) : [];
    const text = content
      .map((part) => (isObject(part) && typeof part.text === 'string' ? part.text : ''))
      .join('\n');
    return result.isError === true ? `Tool error: ${text}` : text;
  } catch (e) {
    return `Tool call failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Run the loop; returns the model's final answer. */
export async function runAgentLoop(o: AgentLoopOptions): Promise<string> {
  const { tools: mcpTools } = await o.mcp.listTools();
  const tools: ChatCompletionTool[] = mcpTools.map((t) => ({
    type: 'function',
    function: {
      name: t.name,
      description: t.description ?? t.title ?? t.name,
      parameters: t.inputSchema,
    },
  }));
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: o.prompt },
  ];
  for (let turn = 0; turn < (o.maxTurns ?? 8); turn++) {
    const reply = await (o.streaming
      ? streamedTurn(o, messages, tools)
      : plainTurn(o, messages, tools));
    if (reply.calls.length === 0) return reply.content ?? '';
    messages.push({
      role: 'assistant',
      content: reply.content,
      tool_calls: reply.calls.map((c) => ({
        id: c.id,
        type: 'function',
        function: { name: c.name, arguments: c.arguments },
      })),
    });
    for (const call of reply.calls) {
      const proposed: ProposedCall = {
        id: call.id,
        name: call.name,
        rawArguments: call.arguments,
        args: parseArguments(call.arguments),
        tool: mcpTools.find((t) => t.name === call.name),
      };
      const verdict = o.gate ? await o.gate.check(proposed) : { allow: true as const };
      const content = verdict.allow
        ? await callTool(o.mcp, call.name, proposed.args)
        : verdict.message;
      messages.push({ role: 'tool', tool_call_id: call.id, content });
    }
  }
  throw new Error(`no final answer after ${o.maxTurns ?? 8} turns`);
}
