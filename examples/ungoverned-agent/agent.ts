/**
 * An agent with no governance at all: whatever tool call the model asks for, it makes. The
 * probe should show every must-block scenario executing (exit code 1).
 *
 *   node --import tsx examples/ungoverned-agent/agent.ts "What is the weather in London?"
 */
import OpenAI from 'openai';
import { runAgentLoop } from '../shared/agent-loop.js';
import { connectMcp } from '../shared/mcp.js';
import { SettingsError, readSettings } from '../shared/settings.js';

async function main(): Promise<number> {
  const settings = readSettings(process.argv.slice(2), process.env);
  const mcp = await connectMcp(settings.mcpUrl, { name: 'ungoverned-agent' });
  try {
    const answer = await runAgentLoop({ openai: new OpenAI({ maxRetries: 0 }), mcp, ...settings });
    process.stdout.write(`${answer}\n`);
    return 0;
  } finally {
    await mcp.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`ungoverned-agent: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = e instanceof SettingsError ? 64 : 1;
  },
);
