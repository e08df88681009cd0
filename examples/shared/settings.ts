/**
 * Where an example agent finds its model, tools and task: the usual OpenAI variables
 * (OPENAI_BASE_URL, OPENAI_API_KEY, read by the `openai` client itself), the MCP server URL, and
 * the prompt as the first argument. plumbline-probe sets all of them; so can you.
 */
export interface AgentSettings {
  model: string;
  prompt: string;
  streaming: boolean;
  mcpUrl: string;
}

export class SettingsError extends Error {}

const truthy = (value: string | undefined) =>
  value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());

export function readSettings(argv: readonly string[], env: NodeJS.ProcessEnv): AgentSettings {
  const prompt = argv[0] ?? env.PLUMBLINE_PROBE_PROMPT ?? env.AGENT_PROMPT;
  if (!prompt) throw new SettingsError('usage: agent.ts "<prompt>" (or set AGENT_PROMPT)');
  const mcpUrl = env.PLUMBLINE_MCP_URL ?? env.MCP_URL;
  if (!mcpUrl) throw new SettingsError('set PLUMBLINE_MCP_URL (or MCP_URL) to the MCP server URL');
  return {
    prompt,
    mcpUrl,
    model: env.PLUMBLINE_PROBE_MODEL ?? env.AGENT_MODEL ?? 'gpt-4o-mini',
    streaming: truthy(env.PLUMBLINE_PROBE_STREAMING ?? env.AGENT_STREAMING),
  };
}
