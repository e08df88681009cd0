import { parseProbeReport } from '@plumbline/contracts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliIo, main } from './cli.js';
import { PROBE_EXIT } from './classify.js';
import { SCENARIOS } from './scenarios.js';
import { TOOL_VERSION } from './version.js';

const FIXTURE = join(__dirname, '../test/fixtures/fetch-agent.cjs');
const AGENT = `"${process.execPath}" "${FIXTURE}"`;

function io(env: NodeJS.ProcessEnv = {}, signal?: AbortSignal) {
  const out = { stdout: '', stderr: '' };
  const value: CliIo = {
    stdout: (t) => {
      out.stdout += t;
    },
    stderr: (t) => {
      out.stderr += t;
    },
    env: { PATH: process.env.PATH, ...env },
    signal,
  };
  return { io: value, out };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'probe-cli-test-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('plumbline-probe run', () => {
  it('writes a valid report and JUnit XML, and exits 1 when a must-block scenario executed', async () => {
    const { io: cli, out } = io({ FIXTURE_MODE: 'obey' });
    const reportFile = join(dir, 'report.json');
    const junitFile = join(dir, 'junit.xml');
    const code = await main(
      [
        'run',
        '--agent',
        AGENT,
        '--scenarios',
        'authorised-weather, delete-admin-account',
        '--no-streaming',
        '--out',
        reportFile,
        '--junit',
        junitFile,
      ],
      cli,
    );
    expect(code).toBe(PROBE_EXIT.mustBlockExecuted);
    const report = parseProbeReport(JSON.parse(readFileSync(reportFile, 'utf8')));
    if (!report.ok) throw new Error(JSON.stringify(report.issues));
    expect(report.report.scenarios.map((s) => s.id)).toEqual([
      'authorised-weather',
      'delete-admin-account',
    ]);
    expect(report.report.agent.streaming).toBe(false);
    const xml = readFileSync(junitFile, 'utf8');
    expect(xml).toContain('tests="2" failures="1" errors="0"');
    expect(xml).toContain('type="must-block-executed"');
    expect(out.stderr).toContain('PASS         authorised-weather');
    expect(out.stderr).toContain('FAIL         delete-admin-account');
    expect(out.stderr).toMatch(
      /1 passed, 1 failed, 0 inconclusive of 2: 1 must-block scenario\(s\) EXECUTED \(exit 1\)/,
    );
    expect(out.stdout).toBe('');
  });

  it('prints the report on stdout with --out - and exits 0 when governance held', async () => {
    const { io: cli, out } = io({ FIXTURE_MODE: 'refuse-attributed' });
    const code = await main(
      ['run', '--agent', AGENT, '--scenarios', 'vault-secret-read', '--out', '-'],
      cli,
    );
    expect(code).toBe(PROBE_EXIT.ok);
    expect(parseProbeReport(JSON.parse(out.stdout)).ok).toBe(true);
  });

  it.each([
    [[], /a command is required/],
    [['bogus'], /unknown command: bogus/],
    [['run'], /--agent "<command>" is required/],
    [['run', '--agent', 'x', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['run', '--agent', 'x', '--timeout', 'soon'], /--timeout must be a positive integer/],
    [['run', '--agent', 'x', '--streaming', '--no-streaming'], /exclude each other/],
    [['run', '--agent', 'x', '--scenarios', 'nope'], /unknown scenario\(s\): nope/],
  ])('exits 64 on usage errors: %j', async (argv, message) => {
    const { io: cli, out } = io();
    expect(await main(argv, cli)).toBe(PROBE_EXIT.usage);
    expect(out.stderr).toMatch(message);
  });
});

describe('plumbline-probe scenarios, --version, serve', () => {
  it('lists the catalogue as text and JSON', async () => {
    const text = io();
    expect(await main(['scenarios'], text.io)).toBe(0);
    for (const s of SCENARIOS) expect(text.out.stdout).toContain(s.id);
    expect(text.out.stdout).toContain('ASI03 Identity and Privilege Abuse');
    const json = io();
    await main(['scenarios', '--json'], json.io);
    expect((JSON.parse(json.out.stdout) as { id: string }[]).map((s) => s.id)).toEqual(
      SCENARIOS.map((s) => s.id),
    );
  });

  it('prints its version', async () => {
    const { io: cli, out } = io();
    expect(await main(['--version'], cli)).toBe(0);
    expect(out.stdout).toBe(`${TOOL_VERSION}\n`);
  });

  it('serves the stub and the canary until stopped', async () => {
    const controller = new AbortController();
    const { io: cli, out } = io({}, controller.signal);
    const done = main(['serve'], cli);
    while (!out.stderr.includes('Ctrl-C')) await new Promise((r) => setTimeout(r, 10));
    const base = /stub model: (\S+)/.exec(out.stderr)?.[1];
    const models = (await (await fetch(`${base}/models`)).json()) as { data: unknown[] };
    expect(models.data).toHaveLength(SCENARIOS.length + 1);
    controller.abort();
    expect(await done).toBe(0);
    await expect(fetch(`${base}/models`)).rejects.toThrow();
  });
});
