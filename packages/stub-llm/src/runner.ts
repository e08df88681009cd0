import {
  PROBE_REPORT_VERSION,
  type ProbeDecisionRecord,
  type ProbeReport,
  type ProbeScenarioResult,
  parseProbeReport,
  summarizeProbeResults,
} from '@plumbline/contracts';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CanaryServer, startCanaryServer } from './canary.js';
import { classifyScenario, probeExitCode } from './classify.js';
import { parseDecisions } from './decisions.js';
import type { EmittedCall } from './engine.js';
import {
  CATALOGUE_VERSION,
  SCENARIOS,
  type Scenario,
  isProbeCall,
  probeModelName,
  probePrompt,
} from './scenarios.js';
import { type StubServer, startStubServer } from './stub-server.js';
import { TOOL_VERSION } from './version.js';

/**
 * `plumbline-probe run`: start the stub model and the canary on free loopback ports, run the
 * agent command once per scenario with both wired into its environment, read what happened from
 * the stub (what the model asked), the canary (what ran) and the agent (what it decided), and
 * produce the versioned report.
 */
export interface ProbeRunOptions {
  /** Shell command that starts the agent; the prompt is appended as one quoted argument. */
  agentCommand: string;
  /** Scenario ids to run (default: the whole catalogue), in catalogue order. */
  scenarioIds?: readonly string[];
  /** Ask the agent to stream (PLUMBLINE_PROBE_STREAMING=1). Default true. */
  streaming?: boolean;
  /** Per scenario run. Default 30 s. */
  timeoutMs?: number;
  /** Scenario runs at once. Default 1. */
  concurrency?: number;
  /** Append the prompt to the command as an argument (it is always in PLUMBLINE_PROBE_PROMPT). */
  appendPrompt?: boolean;
  cwd?: string;
  /** Base environment of the agent (default: this process's); OPENAI_* variables are replaced. */
  env?: NodeJS.ProcessEnv;
  catalogue?: readonly Scenario[];
  now?: () => Date;
  /** Called as each scenario finishes. */
  onResult?: (result: ProbeScenarioResult) => void;
  /** Aborting stops the running agents and makes runProbe throw ProbeInterruptedError. */
  signal?: AbortSignal;
}

export class ProbeUsageError extends Error {}
export class ProbeInternalError extends Error {}
export class ProbeInterruptedError extends Error {}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** The identity the agent acts for during a probe run (see the canary's fake world). */
export const PROBE_TENANT = 'acme';
export const DUMMY_API_KEY = 'sk-plumbline-probe-not-a-real-key';
const MAX_OUTPUT_BYTES = 1024 * 1024;
const KILL_GRACE_MS = 2000;

export interface AgentRun {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
}

/** Run a shell command in its own process group; on timeout, stop the whole group. */
export function runAgentCommand(
  command: string,
  env: NodeJS.ProcessEnv,
  opts: { cwd?: string; timeoutMs: number; appendPrompt: boolean; signal?: AbortSignal },
): Promise<AgentRun> {
  const started = process.hrtime.bigint();
  const script = opts.appendPrompt ? `${command} "$PLUMBLINE_PROBE_PROMPT"` : command;
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', script], {
      cwd: opts.cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = { stdout: '', stderr: '' };
    const collect = (key: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (out[key].length < MAX_OUTPUT_BYTES) out[key] += chunk.toString('utf8');
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const signalGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // the group is already gone
      }
    };
    let done = false;
    const stop = () => {
      signalGroup('SIGTERM');
      killTimer = setTimeout(() => {
        signalGroup('SIGKILL');
        // Something outside the group may still hold the pipes: stop waiting for them.
        killTimer = setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
          finish(null, 'SIGKILL');
        }, KILL_GRACE_MS);
      }, KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, opts.timeoutMs);
    const onAbort = () => stop();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (exitCode: number | null, signal: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({
        exitCode,
        signal,
        timedOut,
        durationMs: Number((process.hrtime.bigint() - started) / 1_000_000n),
        stdout: out.stdout,
        stderr: out.stderr,
      });
    };
    child.on('error', (e) => {
      out.stderr += `\nplumbline-probe: could not start the agent: ${e.message}\n`;
      finish(null, null);
    });
    child.on('close', (code, signal) => finish(code, signal));
  });
}

export function agentEnvironment(
  base: NodeJS.ProcessEnv,
  wiring: {
    baseUrl: string;
    mcpUrl: string;
    scenario: Scenario;
    streaming: boolean;
    decisionLog: string;
  },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (!key.startsWith('OPENAI_') && !key.startsWith('PLUMBLINE_')) env[key] = value;
  }
  return {
    ...env,
    OPENAI_BASE_URL: wiring.baseUrl,
    OPENAI_API_KEY: DUMMY_API_KEY,
    PLUMBLINE_MCP_URL: wiring.mcpUrl,
    PLUMBLINE_PROBE_MODEL: probeModelName(wiring.scenario.id),
    PLUMBLINE_PROBE_PROMPT: probePrompt(wiring.scenario),
    PLUMBLINE_PROBE_STREAMING: wiring.streaming ? '1' : '0',
    PLUMBLINE_PROBE_TENANT: PROBE_TENANT,
    PLUMBLINE_DECISION_LOG: wiring.decisionLog,
  };
}

function readIfPresent(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(0, MAX_OUTPUT_BYTES);
  } catch {
    return '';
  }
}

export function selectScenarios(
  catalogue: readonly Scenario[],
  ids?: readonly string[],
): Scenario[] {
  if (!ids || ids.length === 0) return [...catalogue];
  const unknown = ids.filter((id) => !catalogue.some((s) => s.id === id));
  if (unknown.length > 0) {
    throw new ProbeUsageError(
      `unknown scenario(s): ${unknown.join(', ')} (known: ${catalogue.map((s) => s.id).join(', ')})`,
    );
  }
  return catalogue.filter((s) => ids.includes(s.id));
}

async function runScenario(
  scenario: Scenario,
  token: string,
  ctx: {
    stub: StubServer;
    canary: CanaryServer;
    dir: string;
    opts: ProbeRunOptions;
    streaming: boolean;
    timeoutMs: number;
  },
): Promise<ProbeScenarioResult> {
  const decisionLog = join(ctx.dir, `${token}.decisions.jsonl`);
  const env = agentEnvironment(ctx.opts.env ?? process.env, {
    baseUrl: ctx.stub.baseUrl(token),
    mcpUrl: ctx.canary.mcpUrl(token),
    scenario,
    streaming: ctx.streaming,
    decisionLog,
  });
  const run = await runAgentCommand(ctx.opts.agentCommand, env, {
    cwd: ctx.opts.cwd,
    timeoutMs: ctx.timeoutMs,
    appendPrompt: ctx.opts.appendPrompt ?? true,
    signal: ctx.opts.signal,
  });

  const records = ctx.stub.records(token);
  const emitted: EmittedCall[] = records.flatMap((r) =>
    r.action.kind === 'tool_calls' ? r.action.calls : [],
  );
  const skippedTools = records.flatMap((r) =>
    r.action.skipped.filter((s) => s.probe).map((s) => s.tool),
  );
  const tools = [
    ...new Set(
      scenario.steps
        .flat()
        .filter(isProbeCall)
        .map((c) => c.tool),
    ),
  ];
  const toolResults = new Map<string, string>();
  for (const r of records) for (const t of r.toolResults) toolResults.set(t.callId, t.content);
  const decisions: ProbeDecisionRecord[] = [
    ...parseDecisions(readIfPresent(decisionLog), 'decision-log', tools),
    ...parseDecisions(run.stdout, 'stdout', tools),
    ...parseDecisions(run.stderr, 'stderr', tools),
    ...[...toolResults.values()].flatMap((content) =>
      parseDecisions(content, 'tool-result', tools),
    ),
  ];
  return classifyScenario({
    scenario,
    emitted,
    skippedTools,
    canary: ctx.canary.calls(token),
    decisions,
    modelRequests: { total: records.length, streamed: records.filter((r) => r.stream).length },
    agent: {
      exitCode: run.exitCode,
      signal: run.signal,
      timedOut: run.timedOut,
      durationMs: run.durationMs,
    },
    streamingRequested: ctx.streaming,
  });
}

export async function runProbe(opts: ProbeRunOptions): Promise<ProbeReport> {
  if (opts.agentCommand.trim().length === 0)
    throw new ProbeUsageError('the agent command is empty');
  const now = opts.now ?? (() => new Date());
  const catalogue = opts.catalogue ?? SCENARIOS;
  const scenarios = selectScenarios(catalogue, opts.scenarioIds);
  const streaming = opts.streaming ?? true;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 1));
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    throw new ProbeUsageError('the timeout must be a positive number of milliseconds');

  const startedAt = now().toISOString();
  const stub = await startStubServer({ scenarios: catalogue });
  const canary = await startCanaryServer({ version: TOOL_VERSION });
  const dir = mkdtempSync(join(tmpdir(), 'plumbline-probe-'));
  const results: ProbeScenarioResult[] = new Array<ProbeScenarioResult>(scenarios.length);
  try {
    let next = 0;
    const worker = async () => {
      while (next < scenarios.length && !opts.signal?.aborted) {
        const index = next++;
        const scenario = scenarios[index];
        if (!scenario) return;
        const result = await runScenario(scenario, `run${index + 1}`, {
          stub,
          canary,
          dir,
          opts,
          streaming,
          timeoutMs,
        });
        results[index] = result;
        opts.onResult?.(result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, scenarios.length) }, worker));
  } finally {
    await Promise.all([stub.close(), canary.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
  if (opts.signal?.aborted) throw new ProbeInterruptedError('interrupted');

  const report: ProbeReport = {
    reportVersion: PROBE_REPORT_VERSION,
    tool: { name: 'plumbline-probe', version: TOOL_VERSION },
    catalogueVersion: CATALOGUE_VERSION,
    runner: { node: process.version, platform: `${process.platform}-${process.arch}` },
    startedAt,
    finishedAt: now().toISOString(),
    agent: { command: opts.agentCommand.slice(0, 2000), streaming, timeoutMs },
    summary: { ...summarizeProbeResults(results), exitCode: probeExitCode(results) },
    scenarios: results,
  };
  const checked = parseProbeReport(report);
  if (!checked.ok) {
    throw new ProbeInternalError(
      `the probe produced an invalid report: ${checked.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    );
  }
  return checked.report;
}
