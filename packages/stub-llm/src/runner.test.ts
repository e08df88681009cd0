import { parseProbeReport } from '@plumbline/contracts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROBE_EXIT } from './classify.js';
import { DUMMY_API_KEY, ProbeUsageError, runAgentCommand, runProbe } from './runner.js';
import { findScenario, probePrompt } from './scenarios.js';

const FIXTURE = join(__dirname, '../test/fixtures/fetch-agent.cjs');
const AGENT = `"${process.execPath}" "${FIXTURE}"`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'probe-runner-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether a process exists and is not a zombie (an orphan's zombie may wait for PID 1). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const fixtureEnv = (mode: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  FIXTURE_MODE: mode,
  ...extra,
});

describe('runProbe against a scripted agent', () => {
  it('flags a must-block scenario that executed (exit 1) and keeps the evidence', async () => {
    const report = await runProbe({
      agentCommand: AGENT,
      scenarioIds: ['vault-secret-read', 'authorised-weather'],
      streaming: false,
      env: fixtureEnv('obey'),
      now: () => new Date('2026-03-01T10:00:00.000Z'),
    });
    expect(parseProbeReport(report).ok).toBe(true);
    expect(report.summary).toEqual({
      total: 2,
      passed: 1,
      failed: 1,
      inconclusive: 0,
      mustBlockExecuted: 1,
      exitCode: PROBE_EXIT.mustBlockExecuted,
    });
    // Catalogue order, not the order given.
    expect(report.scenarios.map((s) => [s.id, s.actualOutcome, s.result])).toEqual([
      ['authorised-weather', 'executed', 'pass'],
      ['vault-secret-read', 'executed', 'fail'],
    ]);
    const vault = report.scenarios[1]!;
    expect(vault.evidence.modelToolCalls).toEqual([
      {
        step: 0,
        callId: 'call_plb_0_0',
        tool: 'read_secure_vault',
        arguments: '{"secret_id":"prod_db_password"}',
        variant: null,
        probe: true,
        advertised: true,
      },
    ]);
    expect(vault.evidence.canaryCalls).toMatchObject([
      {
        tool: 'read_secure_vault',
        arguments: { secret_id: 'prod_db_password' },
        probe: true,
        traceparent: null,
      },
    ]);
    expect(vault.evidence.traceparentPropagated).toBe(false);
    expect(vault.evidence.modelRequests).toEqual({ total: 2, streamed: 0 });
    expect(report.startedAt).toBe('2026-03-01T10:00:00.000Z');
    expect(report.agent).toEqual({ command: AGENT, streaming: false, timeoutMs: 30000 });
  });

  it('passes blocks that name a policy (exit 0) and fails silent ones (exit 2)', async () => {
    const scenarioIds = [
      'authorised-weather',
      'vault-secret-read',
      'transfer-funds-approval',
      'cross-tenant-invoice',
    ];
    const attributed = await runProbe({
      agentCommand: AGENT,
      scenarioIds,
      env: fixtureEnv('refuse-attributed'),
      concurrency: 2,
    });
    expect(
      attributed.scenarios.map((s) => [s.id, s.actualOutcome, s.attributable, s.result]),
    ).toEqual([
      ['authorised-weather', 'executed', false, 'pass'],
      ['vault-secret-read', 'blocked-before-execution', true, 'pass'],
      // This fixture lets every get_invoice through, including the other tenant's.
      ['cross-tenant-invoice', 'executed', false, 'fail'],
      ['transfer-funds-approval', 'blocked-before-execution', true, 'pass'],
    ]);
    expect(attributed.scenarios[1]!.evidence.decisions).toContainEqual({
      source: 'stdout',
      decision: 'deny',
      tool: 'read_secure_vault',
      policyId: 'fixture-allowlist',
      policyVersion: '1',
      reason: null,
    });

    const silent = await runProbe({
      agentCommand: AGENT,
      scenarioIds: ['vault-secret-read'],
      env: fixtureEnv('refuse-silent'),
    });
    expect(silent.scenarios[0]).toMatchObject({
      actualOutcome: 'blocked-before-execution',
      attributable: false,
      result: 'fail',
    });
    expect(silent.summary.exitCode).toBe(PROBE_EXIT.failed);
  });

  it('is inconclusive when the agent dies before asking the model', async () => {
    const report = await runProbe({
      agentCommand: AGENT,
      scenarioIds: ['vault-secret-read'],
      env: fixtureEnv('crash'),
    });
    expect(report.scenarios[0]).toMatchObject({
      actualOutcome: 'not-exercised',
      result: 'inconclusive',
      agent: { exitCode: 3, timedOut: false },
    });
    expect(report.summary.exitCode).toBe(PROBE_EXIT.failed);
  });

  it('rejects unknown scenario ids and an empty command', async () => {
    await expect(runProbe({ agentCommand: AGENT, scenarioIds: ['nope'] })).rejects.toThrow(
      ProbeUsageError,
    );
    await expect(runProbe({ agentCommand: '  ' })).rejects.toThrow(ProbeUsageError);
  });
});

describe('the agent environment', () => {
  it('wires the stub, the canary and the prompt, and drops inherited OpenAI settings', async () => {
    const out = join(dir, 'env.json');
    await runProbe({
      agentCommand: AGENT,
      scenarioIds: ['transfer-funds-approval'],
      streaming: true,
      env: fixtureEnv('env', {
        FIXTURE_OUT: out,
        OPENAI_ORG_ID: 'org-real',
        PLUMBLINE_PROBE_MODEL: 'x',
      }),
    });
    const seen = JSON.parse(readFileSync(out, 'utf8')) as {
      argv: string[];
      env: Record<string, string>;
    };
    const prompt = probePrompt(findScenario('transfer-funds-approval')!);
    expect(seen.argv).toEqual([prompt]);
    expect(seen.env).toEqual({
      OPENAI_BASE_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/r\/run1\/v1$/),
      OPENAI_API_KEY: DUMMY_API_KEY,
      PLUMBLINE_MCP_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/mcp\/run1$/),
      PLUMBLINE_PROBE_MODEL: 'plumbline-probe/transfer-funds-approval',
      PLUMBLINE_PROBE_PROMPT: prompt,
      PLUMBLINE_PROBE_STREAMING: '1',
      PLUMBLINE_PROBE_TENANT: 'acme',
      PLUMBLINE_DECISION_LOG: expect.stringMatching(/run1\.decisions\.jsonl$/),
    });
  });

  it('passes the prompt safely as one argument, or not at all', async () => {
    const out = join(dir, 'argv.json');
    const run = (appendPrompt: boolean) =>
      runAgentCommand(
        AGENT,
        fixtureEnv('env', {
          FIXTURE_OUT: out,
          PLUMBLINE_PROBE_PROMPT: `it's "$HOME" $(id) \`id\``,
        }),
        {
          timeoutMs: 10_000,
          appendPrompt,
        },
      );
    await run(true);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { argv: string[] }).argv).toEqual([
      `it's "$HOME" $(id) \`id\``,
    ]);
    await run(false);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { argv: string[] }).argv).toEqual([]);
  });

  it('stops a hanging agent and its children at the timeout', async () => {
    const out = join(dir, 'pid');
    const run = await runAgentCommand(AGENT, fixtureEnv('sleep', { FIXTURE_OUT: out }), {
      timeoutMs: 1500,
      appendPrompt: false,
    });
    expect(run).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGTERM' });
    const child = Number(readFileSync(out, 'utf8'));
    // The signal reaches the whole group at once, but the agent's child may still be on its way
    // out when the agent's own exit is reported (a loaded machine schedules it a little later):
    // it must be gone within moments, long before its own 60 s sleep would end.
    const deadline = Date.now() + 2500;
    while (isRunning(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(isRunning(child)).toBe(false);
  });
});
