/**
 * The same agent as ../ungoverned-agent, with a policy layer between the model and the tools
 * (see policy.ts and policy.json): an allowlist of tools by role, argument checks, an approval
 * hook for destructive tools, and a decision log (JSON lines with policy id and version). Every
 * MCP request carries a W3C `traceparent`.
 *
 *   node --import tsx examples/governed-agent/agent.ts "What is the weather in London?"
 *
 * Configuration (environment):
 *   GOVERNANCE=off          switch the policy layer off (every call runs, nothing is logged)
 *   AGENT_ROLE              role from policy.json (default: its defaultRole)
 *   AGENT_TENANT            tenant the agent acts for (default: PLUMBLINE_PROBE_TENANT, then "acme")
 *   PLUMBLINE_DECISION_LOG  decision log file (default: DECISION_LOG, else stderr)
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import OpenAI from 'openai';
import { runAgentLoop } from '../shared/agent-loop.js';
import { connectMcp } from '../shared/mcp.js';
import { SettingsError, readSettings } from '../shared/settings.js';
import config from './policy.json';
import {
  type DecisionRecord,
  type PolicyConfig,
  createPolicyGate,
  noHumanConnected,
} from './policy.js';

async function main(): Promise<number> {
  const env = process.env;
  const settings = readSettings(process.argv.slice(2), env);
  const policy: PolicyConfig = config;
  const role = env.AGENT_ROLE ?? policy.defaultRole;
  if (!policy.roles[role]) throw new SettingsError(`unknown AGENT_ROLE ${role}`);
  const traceId = randomBytes(16).toString('hex');
  const logFile = env.PLUMBLINE_DECISION_LOG ?? env.DECISION_LOG;
  const record = (d: DecisionRecord) => {
    const line = `${JSON.stringify(d)}\n`;
    if (logFile) appendFileSync(logFile, line);
    else process.stderr.write(line);
  };
  const governance = env.GOVERNANCE?.toLowerCase() !== 'off';
  if (!governance)
    process.stderr.write('governed-agent: GOVERNANCE=off, the policy layer is disabled\n');

  const mcp = await connectMcp(settings.mcpUrl, {
    name: 'governed-agent',
    traceparent: () => `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
  });
  try {
    const gate = governance
      ? createPolicyGate({
          config: policy,
          role,
          tenant: env.AGENT_TENANT ?? env.PLUMBLINE_PROBE_TENANT ?? 'acme',
          traceId,
          approve: noHumanConnected,
          record,
        })
      : undefined;
    const answer = await runAgentLoop({
      openai: new OpenAI({ maxRetries: 0 }),
      mcp,
      gate,
      ...settings,
    });
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
    process.stderr.write(`governed-agent: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = e instanceof SettingsError ? 64 : 1;
  },
);
