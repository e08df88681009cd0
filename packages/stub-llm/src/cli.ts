#!/usr/bin/env node
import { ASI_TITLES, type ProbeReport, type ProbeScenarioResult } from '@plumbline/contracts';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startCanaryServer } from './canary.js';
import { PROBE_EXIT } from './classify.js';
import { isRecord } from './json.js';
import { toJUnit } from './junit.js';
import {
  DEFAULT_TIMEOUT_MS,
  DUMMY_API_KEY,
  PROBE_TENANT,
  ProbeInterruptedError,
  ProbeUsageError,
  runProbe,
} from './runner.js';
import { SCENARIOS, probeModelName, probePrompt } from './scenarios.js';
import { startStubServer } from './stub-server.js';
import { TOOL_VERSION } from './version.js';

/**
 * plumbline-probe: `run` the governance probe against an agent command, list the `scenarios`, or
 * `serve` the stub model and the canary for hand testing. Exit codes: see PROBE_EXIT and
 * docs/probe.md. Messages go to stderr; data (a report with `--out -`, `scenarios --json`) to
 * stdout.
 */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Stops `serve` and interrupts `run` (the real CLI: SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

const USAGE = `Usage: plumbline-probe <command> [options]

Commands:
  run --agent "<command>"   run the agent once per scenario against the stub model and the canary
      --scenarios <ids>     comma-separated scenario ids (default: all)
      --streaming           ask the agent to stream model responses (default)
      --no-streaming        ask the agent not to stream
      --out <file>          write the JSON report to FILE (- for stdout)
      --junit <file>        write JUnit XML to FILE
      --timeout <ms>        per-scenario agent timeout (default ${DEFAULT_TIMEOUT_MS})
      --concurrency <n>     scenario runs at once (default 1)
      --no-prompt-arg       do not append the prompt to the command (it is in PLUMBLINE_PROBE_PROMPT)
  scenarios [--json]        list the scenario catalogue
  serve [--port <n>] [--mcp-port <n>]
                            serve the stub model and the canary until interrupted

Exit codes: 0 every scenario passed; 1 a must-block scenario executed; 2 another scenario failed
or was inconclusive; 64 usage error; 70 the probe itself failed; 130 interrupted.
`;

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new ProbeUsageError(`${name} must be a positive integer`);
  return n;
}

function port(value: string | undefined, name: string): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ProbeUsageError(`${name} must be a port number`);
  return n;
}

function resultLine(r: ProbeScenarioResult): string {
  const mark = r.result === 'pass' ? 'PASS' : r.result === 'fail' ? 'FAIL' : 'INCONCLUSIVE';
  return `${mark.padEnd(13)}${r.id.padEnd(26)}expected ${r.expectedOutcome}, got ${r.actualOutcome}${
    r.mustBlock && r.actualOutcome !== 'executed'
      ? r.attributable
        ? ' (attributable)'
        : ' (no policy named)'
      : ''
  }\n${r.result === 'pass' ? '' : `             ${r.reasons.join('; ')}\n`}`;
}

function summaryLine(report: ProbeReport): string {
  const s = report.summary;
  const verdict =
    s.exitCode === PROBE_EXIT.ok
      ? 'governance held'
      : s.exitCode === PROBE_EXIT.mustBlockExecuted
        ? `${s.mustBlockExecuted} must-block scenario(s) EXECUTED`
        : 'some scenarios failed or were inconclusive';
  return `${s.passed} passed, ${s.failed} failed, ${s.inconclusive} inconclusive of ${s.total}: ${verdict} (exit ${s.exitCode})\n`;
}

async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      agent: { type: 'string' },
      scenarios: { type: 'string' },
      streaming: { type: 'boolean' },
      'no-streaming': { type: 'boolean' },
      out: { type: 'string' },
      junit: { type: 'string' },
      timeout: { type: 'string' },
      concurrency: { type: 'string' },
      'no-prompt-arg': { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (!values.agent) throw new ProbeUsageError('--agent "<command>" is required');
  if (values.streaming && values['no-streaming']) {
    throw new ProbeUsageError('--streaming and --no-streaming exclude each other');
  }
  const scenarioIds = values.scenarios
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const report = await runProbe({
    agentCommand: values.agent,
    scenarioIds,
    streaming: !values['no-streaming'],
    timeoutMs: positiveInt(values.timeout, '--timeout', DEFAULT_TIMEOUT_MS),
    concurrency: positiveInt(values.concurrency, '--concurrency', 1),
    appendPrompt: !values['no-prompt-arg'],
    signal: io.signal,
    cwd: io.cwd,
    env: io.env,
    onResult: (r) => io.stderr(resultLine(r)),
  });
  io.stderr(summaryLine(report));
  const json = `${JSON.stringify(report, null, 2)}\n`;
  if (values.out === '-') io.stdout(json);
  else if (values.out) writeFileSync(values.out, json);
  if (values.junit) writeFileSync(values.junit, toJUnit(report));
  return report.summary.exitCode;
}

function scenarios(args: string[], io: CliIo): number {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } }, strict: true });
  if (values.json) {
    io.stdout(`${JSON.stringify(SCENARIOS, null, 2)}\n`);
    return PROBE_EXIT.ok;
  }
  for (const s of SCENARIOS) {
    io.stdout(
      `${s.id.padEnd(26)}${s.asi} ${ASI_TITLES[s.asi].padEnd(38)}${s.pillar.padEnd(26)}${s.expectedOutcome}\n`,
    );
  }
  return PROBE_EXIT.ok;
}

async function serve(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, 'mcp-port': { type: 'string' } },
    strict: true,
  });
  const stub = await startStubServer({ port: port(values.port, '--port') });
  const canary = await startCanaryServer({
    port: port(values['mcp-port'], '--mcp-port'),
    version: TOOL_VERSION,
  });
  const example = SCENARIOS[0];
  io.stderr(
    [
      `stub model: ${stub.baseUrl()}   canary MCP: ${canary.mcpUrl()}`,
      `export OPENAI_BASE_URL=${stub.baseUrl()} OPENAI_API_KEY=${DUMMY_API_KEY} PLUMBLINE_MCP_URL=${canary.mcpUrl()} PLUMBLINE_PROBE_TENANT=${PROBE_TENANT}`,
      example ? `e.g. model ${probeModelName(example.id)}, prompt "${probePrompt(example)}"` : '',
      'Ctrl-C stops.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) return resolve();
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  for (const c of canary.calls()) {
    io.stderr(
      `canary recorded: ${c.tool} ${JSON.stringify(c.arguments)} traceparent=${c.traceparent ?? 'none'}\n`,
    );
  }
  await Promise.all([stub.close(), canary.close()]);
  return PROBE_EXIT.ok;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await run(rest, io);
      case 'scenarios':
        return scenarios(rest, io);
      case 'serve':
        return await serve(rest, io);
      case '--version':
      case '-V':
        io.stdout(`${TOOL_VERSION}\n`);
        return PROBE_EXIT.ok;
      case '--help':
      case '-h':
      case 'help':
        io.stdout(USAGE);
        return PROBE_EXIT.ok;
      default:
        io.stderr(
          `${command === undefined ? 'a command is required' : `unknown command: ${command}`}\n\n${USAGE}`,
        );
        return PROBE_EXIT.usage;
    }
  } catch (e) {
    if (e instanceof ProbeInterruptedError) {
      io.stderr('plumbline-probe: interrupted\n');
      return PROBE_EXIT.interrupted;
    }
    // parseArgs errors carry a code (checked structurally: they may come from another realm).
    const code = isRecord(e) && typeof e.code === 'string' ? e.code : '';
    const usage = e instanceof ProbeUsageError || code.startsWith('ERR_PARSE_ARGS');
    const message = isRecord(e) && typeof e.message === 'string' ? e.message : String(e);
    io.stderr(`plumbline-probe: ${message}\n`);
    if (usage) io.stderr(`(plumbline-probe --help for usage)\n`);
    return usage ? PROBE_EXIT.usage : PROBE_EXIT.internal;
  }
}

if (require.main === module) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    signal: controller.signal,
  })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e: unknown) => {
      process.stderr.write(
        `plumbline-probe: unexpected error: ${e instanceof Error ? e.message : String(e)}\n`,
      );
      process.exitCode = PROBE_EXIT.internal;
    });
}
