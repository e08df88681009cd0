import { analysisResultSchema } from '@plumbline/contracts';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT, runScan, type ScanOptions } from './scan.js';
import { testIo } from './test-io.js';

/** `scan --analyze --evidence [KIND=]FILE --assessment FILE`. */

const FAKE_KEY = 'sk-proj-CLIevidenceFAKEkey0000000000001';
const FAKE_BEARER = 'FAKEcliStaticBearer000000000000000';

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'plumbline-evidence-'));
  writeFileSync(
    join(dir, 'agents.yaml'),
    `apiVersion: apps/v1
kind: Deployment
metadata: { name: helper, namespace: bots, labels: { owner: bots-team } }
spec:
  selector: { matchLabels: { app: helper } }
  template:
    metadata: { labels: { app: helper } }
    spec:
      containers:
        - name: agent
          image: ghcr.io/acme/langgraph-helper:1.0.0
          env: [{ name: OPENAI_API_KEY, value: "${FAKE_KEY}" }]
`,
  );
  const ev = join(dir, 'evidence');
  mkdirSync(ev);
  writeFileSync(
    join(ev, 'mcp.json'),
    JSON.stringify({
      mcpServers: {
        tickets: {
          url: 'https://tickets.example.com/mcp',
          headers: { Authorization: `Bearer ${FAKE_BEARER}` },
        },
      },
    }),
  );
  writeFileSync(
    join(ev, 'decisions.jsonl'),
    [
      {
        decision: 'allow',
        tool: 'search',
        policyId: 'tools',
        policyVersion: '1',
        caller: 'helper',
      },
      {
        decision: 'deny',
        tool: 'delete_all',
        policyId: 'tools',
        policyVersion: '1',
        caller: 'helper',
      },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n'),
  );
  writeFileSync(
    join(ev, 'answers.json'),
    JSON.stringify({ answers: [3, 3, 2, 2, 1], respondent: 'cto@example.com' }),
  );
  writeFileSync(join(ev, 'bad.jsonl'), '{"decision":"allow"}\n{"decision":"perhaps"}\n');
  writeFileSync(join(ev, 'odd.json'), '{"hello":"world"}');
  return dir;
}

const io = testIo;

async function scan(dir: string, opts: Partial<ScanOptions>) {
  const x = io();
  const code = await runScan(
    { fromDir: dir, analyze: true, collectedAt: '2026-01-01T00:00:00Z', ...opts },
    x,
  );
  return { code, ...x, stdout: x.out.join('') };
}

describe('scan --analyze --evidence', () => {
  const dir = workspace();
  const ev = (f: string) => join(dir, 'evidence', f);

  it('feeds the evidence and the self-assessment to the agents step (JSON)', async () => {
    const r = await scan(dir, {
      format: 'json',
      evidence: [ev('mcp.json'), `decision-log=${ev('decisions.jsonl')}`],
      assessment: ev('answers.json'),
    });
    expect(r.code).toBe(EXIT.ok);
    const json = analysisResultSchema.parse(JSON.parse(r.stdout));
    const a = json.steps.agents;
    expect(a.evidence.map((e) => `${e.kind} ${e.source}`)).toEqual([
      'mcp-client-config mcp.json',
      'decision-log decisions.jsonl',
      'self-assessment answers.json',
    ]);
    expect(a.pillars.map((p) => [p.claimed, p.level])).toEqual([
      [3, 0],
      [3, 0],
      [2, 0],
      [2, 0],
      [1, expect.any(Number)],
    ]);
    expect(a.selfAssessment.respondent).toBe('cto@example.com');
    for (const secret of [FAKE_KEY, FAKE_BEARER])
      expect(r.stdout + r.logs.join('\n')).not.toContain(secret);
  });

  it('shows the five pillars, claimed vs evidenced, in the table', async () => {
    const r = await scan(dir, {
      evidence: [ev('decisions.jsonl')],
      assessment: ev('answers.json'),
    });
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toMatch(/AI agents: 1 agent\(s\), 0 MCP server\(s\)/);
    expect(r.stdout).toMatch(/PILLAR\s+EVIDENCED\s+CLAIMED\s+GAP\s+COVERAGE\s+NEXT/);
    expect(r.stdout).toMatch(/Traceability\s+0 Invisible\s+3\s+\+3\s/);
    expect(r.stdout).toMatch(/Human oversight\s+\d \w+\s+1\s/);
    expect(r.stdout).toMatch(/\[ASI\d\d\] .+ -> [a-z-]+ level \d to \d/);
    expect(r.stdout).not.toContain(FAKE_KEY);
  });

  it('says when no self-assessment was given', async () => {
    const r = await scan(dir, {});
    expect(r.stdout).toMatch(/no self-assessment: add --assessment answers\.json/);
  });

  it('exits 2 with the problems of an invalid file', async () => {
    const r = await scan(dir, { evidence: [ev('bad.jsonl')] });
    expect(r.code).toBe(EXIT.usage);
    expect(r.logs).toContain(`error --evidence ${ev('bad.jsonl')} is invalid evidence`);
    expect(r.fields[0]).toEqual({
      problems: [
        'records.1.decision: decision must be allow, deny or approval-required (or a known synonym)',
      ],
    });
    expect(r.stdout).toBe('');
  });

  it('exits 2 when the kind cannot be told, is unknown, or answers are out of range', async () => {
    const odd = await scan(dir, { evidence: [ev('odd.json')] });
    expect(odd.code).toBe(EXIT.usage);
    expect(JSON.stringify(odd.fields)).toMatch(/cannot tell what kind of evidence/);
    const unknown = await scan(dir, { evidence: [`traces=${ev('odd.json')}`] });
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.logs[0]).toMatch(/unknown kind "traces" \(one of mcp-client-config, /);
    const answers = await scan(dir, { assessment: ev('mcp.json') });
    expect(answers.code).toBe(EXIT.usage);
    expect(answers.logs[0]).toMatch(/--assessment .* is invalid self-assessment evidence/);
  });

  it('exits 3 when a file cannot be read, and 2 without --analyze', async () => {
    expect((await scan(dir, { evidence: [ev('missing.json')] })).code).toBe(EXIT.input);
    const r = await scan(dir, {
      analyze: false,
      out: join(dir, 'x.json'),
      evidence: [ev('mcp.json')],
    });
    expect(r.code).toBe(EXIT.usage);
    expect(r.logs).toContain('error --evidence and --assessment need --analyze');
  });
});
