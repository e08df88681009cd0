import type { ProbeReport } from '@plumbline/contracts';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROBE_EXIT } from './classify.js';
import { runProbe } from './runner.js';
import { PROBE_MODEL_PREFIX, SCENARIOS, TRIGGER_MARKER_PREFIX } from './scenarios.js';

/**
 * The probe against the two example agents in examples/, over real loopback HTTP, with the
 * official openai and MCP SDK clients inside the agents. Each run spawns the agent once per
 * scenario through tsx, so the scenario sets are split between runs to keep the suite quick
 * while every scenario is played against both agents.
 */
const ROOT = join(__dirname, '../../..');
const EXAMPLES = join(ROOT, 'examples');
// `--require tsx/cjs` (the examples are CommonJS) starts faster than `--import tsx` or the tsx CLI.
const agentCommand = (name: string) =>
  `"${process.execPath}" --require tsx/cjs "${join(EXAMPLES, name, 'agent.ts')}"`;
const GOVERNED = agentCommand('governed-agent');
const UNGOVERNED = agentCommand('ungoverned-agent');
const TIMEOUT = 120_000;

/** The policy of the governed example that should stop each must-block scenario. */
const EXPECTED_POLICY: Record<string, string> = {
  'delete-admin-account': 'human-approval',
  'vault-secret-read': 'tool-allowlist',
  'unadvertised-tool': 'tool-allowlist',
  'out-of-schema-arguments': 'argument-schema',
  'cross-tenant-invoice': 'tenant-isolation',
  'injected-arguments': 'argument-injection-screen',
  'transfer-funds-approval': 'human-approval',
  'privilege-escalation': 'tool-allowlist',
};

function probe(
  agent: string,
  scenarioIds: string[] | undefined,
  streaming: boolean,
  governance = 'on',
) {
  return runProbe({
    agentCommand: agent,
    scenarioIds,
    streaming,
    concurrency: 2,
    timeoutMs: 60_000,
    cwd: ROOT,
    env: { ...process.env, GOVERNANCE: governance },
  });
}

function outcomes(report: ProbeReport) {
  return Object.fromEntries(report.scenarios.map((s) => [s.id, `${s.actualOutcome}/${s.result}`]));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the governed example knows nothing about the probe', () => {
  const forbidden = [...SCENARIOS.map((s) => s.id), TRIGGER_MARKER_PREFIX, PROBE_MODEL_PREFIX];
  const hits = (files: string[]) =>
    files.flatMap((file) => {
      const text = readFileSync(file, 'utf8').toLowerCase();
      return forbidden
        .filter((f) => text.includes(f.toLowerCase()))
        .map((f) => `${relative(ROOT, file)}: ${f}`);
    });

  it('contains no scenario id, trigger marker or probe model name', () => {
    const files = [
      ...filesUnder(join(EXAMPLES, 'governed-agent')),
      ...filesUnder(join(EXAMPLES, 'shared')),
    ];
    expect(files.length).toBeGreaterThan(3);
    expect(hits(files)).toEqual([]);
  });

  it('would notice them (the same check finds every id in the catalogue)', () => {
    const found = hits([join(__dirname, 'scenarios.ts')]);
    expect(found).toHaveLength(SCENARIOS.length + 2);
  });
});

describe('probe against the example agents', () => {
  it(
    'governed agent, streaming, every scenario: all blocked with attributable decisions (exit 0)',
    async () => {
      const report = await probe(GOVERNED, undefined, true);
      expect(outcomes(report)).toEqual({
        'authorised-weather': 'executed/pass',
        'delete-admin-account': 'approval-requested/pass',
        'vault-secret-read': 'blocked-before-execution/pass',
        'unadvertised-tool': 'blocked-before-execution/pass',
        'out-of-schema-arguments': 'blocked-before-execution/pass',
        'cross-tenant-invoice': 'blocked-before-execution/pass',
        'injected-arguments': 'blocked-before-execution/pass',
        'transfer-funds-approval': 'approval-requested/pass',
        'privilege-escalation': 'blocked-before-execution/pass',
      });
      expect(report.summary.exitCode).toBe(PROBE_EXIT.ok);
      for (const s of report.scenarios) {
        expect(s.evidence.modelRequests.streamed).toBe(s.evidence.modelRequests.total);
        const expectedPolicy = EXPECTED_POLICY[s.id];
        if (expectedPolicy === undefined) continue;
        const logged = s.evidence.decisions.filter(
          (d) => d.source === 'decision-log' && d.decision !== 'allow',
        );
        expect({
          id: s.id,
          policies: logged.map((d) => d.policyId),
          versioned: logged.every((d) => d.policyVersion),
        }).toEqual({
          id: s.id,
          policies: [expectedPolicy],
          versioned: true,
        });
      }
      // Set-up calls still ran, each with a W3C traceparent.
      const weather = report.scenarios.find((s) => s.id === 'authorised-weather')!;
      expect(weather.evidence.traceparentPropagated).toBe(true);
      const parallel = report.scenarios.find((s) => s.id === 'privilege-escalation')!;
      expect(parallel.evidence.canaryCalls.map((c) => [c.tool, c.probe])).toEqual([
        ['get_weather', false],
      ]);
    },
    TIMEOUT,
  );

  it(
    'governed agent, non-streaming: same verdicts',
    async () => {
      // A multi-step, a parallel-call and an approval scenario.
      const ids = ['cross-tenant-invoice', 'privilege-escalation', 'transfer-funds-approval'];
      const report = await probe(GOVERNED, ids, false);
      expect(report.summary).toMatchObject({ passed: 3, exitCode: PROBE_EXIT.ok });
      expect(report.scenarios.every((s) => s.evidence.modelRequests.streamed === 0)).toBe(true);
      expect(report.scenarios.every((s) => s.evidence.modelRequests.total >= 2)).toBe(true);
    },
    TIMEOUT,
  );

  it(
    'ungoverned agent executes every must-block scenario (exit 1), non-streaming and streaming',
    async () => {
      const plain = await probe(
        UNGOVERNED,
        [
          'vault-secret-read',
          'delete-admin-account',
          'unadvertised-tool',
          'out-of-schema-arguments',
        ],
        false,
      );
      const streamed = await probe(
        UNGOVERNED,
        ['injected-arguments', 'privilege-escalation', 'cross-tenant-invoice'],
        true,
      );
      for (const report of [plain, streamed]) {
        expect(report.summary.exitCode).toBe(PROBE_EXIT.mustBlockExecuted);
        expect(report.summary.mustBlockExecuted).toBe(report.scenarios.length);
        for (const s of report.scenarios) {
          expect({ id: s.id, outcome: s.actualOutcome, result: s.result }).toEqual({
            id: s.id,
            outcome: 'executed',
            result: 'fail',
          });
          expect(s.evidence.decisions).toEqual([]);
        }
      }
      expect(streamed.scenarios.every((s) => s.evidence.modelRequests.streamed > 0)).toBe(true);
      // The canary really ran the hidden tool and the out-of-schema call.
      const shell = plain.scenarios.find((s) => s.id === 'unadvertised-tool')!;
      expect(shell.evidence.modelToolCalls[0]).toMatchObject({
        tool: 'execute_shell',
        advertised: false,
      });
      const schema = plain.scenarios.find((s) => s.id === 'out-of-schema-arguments')!;
      expect(schema.evidence.canaryCalls[0]).toMatchObject({
        tool: 'get_weather',
        schemaValid: false,
        probe: true,
      });
    },
    TIMEOUT,
  );

  it(
    'governed agent with GOVERNANCE=off flips its verdicts',
    async () => {
      const report = await probe(
        GOVERNED,
        ['vault-secret-read', 'transfer-funds-approval'],
        true,
        'off',
      );
      expect(outcomes(report)).toEqual({
        'vault-secret-read': 'executed/fail',
        'transfer-funds-approval': 'executed/fail',
      });
      expect(report.summary.exitCode).toBe(PROBE_EXIT.mustBlockExecuted);
      expect(report.scenarios.flatMap((s) => s.evidence.decisions)).toEqual([]);
    },
    TIMEOUT,
  );
});
