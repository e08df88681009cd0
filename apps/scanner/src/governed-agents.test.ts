import { analysisResultSchema } from '@plumbline/contracts';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EXIT, runScan } from './scan.js';
import { testIo } from './test-io.js';

/**
 * End to end through the CLI (`scan --from-dir test/fixtures/governed-agents --analyze`): the
 * governed agent is registered, the look-alikes lose (tracing=false, PSA privileged), the exposed
 * cluster-admin MCP server is a critical finding in the table and the JSON, and a low-entropy
 * GATEWAY_PWD never leaves.
 */

const FIXTURE = resolve(__dirname, '../test/fixtures/governed-agents');

const io = testIo;

describe('scan --from-dir governed-agents --analyze (issue 18 items 1-3, 17.14)', () => {
  const run = (format: 'json' | 'table') => {
    const x = io();
    const code = runScan(
      { fromDir: FIXTURE, analyze: true, format, collectedAt: '2026-12-01T00:00:00Z' },
      x,
    );
    expect(code).toBe(EXIT.ok);
    return x.out.join('');
  };

  it('JSON: registered vs shadow, tracing from values, critical exposure, PSA privileged', () => {
    const r = analysisResultSchema.parse(JSON.parse(run('json')));
    const a = r.steps.agents;
    const item = (ref: string) => a.items.find((i) => i.ref === ref)!;
    expect(item('Deployment agents/support-agent')).toMatchObject({
      registered: true,
      registration: 'annotation plumbline.io/agent=support-001',
      owner: 'support-team',
      tracing: { exporter: true },
    });
    expect(item('Deployment agents/triage-agent')).toMatchObject({
      registered: false,
      owner: 'ops-team',
      tracing: { exporter: false },
    });
    expect(item('Deployment tools/k8s-mcp-server').exposure).toEqual({
      paths: ['LoadBalancer Service tools/k8s-mcp'],
      power: expect.arrayContaining(['cluster-admin']),
    });
    const gap = a.gaps.find((g) => g.criterion === 'identity.exposed-power');
    expect(gap).toMatchObject({ severity: 'critical', status: 'not-met' });
    // identity.pinned is met: the gateway's unpinned image is its own finding.
    const pinned = a.pillars.flatMap((p) => p.criteria).find((c) => c.id === 'identity.pinned');
    expect(pinned?.status).toBe('met');
    // Pod Security at "privileged" is no control: not installed, not a compliance pass.
    expect(
      r.steps.detection.components.find((c) => c.id === 'pod-security-admission'),
    ).toBeUndefined();
    const compliance = r.steps.maturity.pillars.find((p) => p.id === 'compliance')!;
    expect(compliance.level).toBe(0);
  });

  it('the table shows the critical exposure', () => {
    const table = run('table');
    expect(table).toMatch(
      /CRITICAL mcp-server Deployment tools\/k8s-mcp-server via LoadBalancer Service tools\/k8s-mcp; identity holds cluster-admin/,
    );
    expect(table).not.toContain('hunter2gw');
  });

  it('the CLI process takes --fingerprint-key-file: same key, same fingerprints; another key, others', () => {
    const tsx = resolve(__dirname, '../../../node_modules/.bin/tsx');
    const main = resolve(__dirname, 'main.ts');
    const dir = mkdtempSync(join(tmpdir(), 'plumbline-fpkey-'));
    const keyA = join(dir, 'a.key');
    const keyB = join(dir, 'b.key');
    writeFileSync(keyA, `${'a1'.repeat(32)}\n`);
    writeFileSync(keyB, 'b2'.repeat(32));
    const fp = (key: string) => {
      const p = spawnSync(
        tsx,
        [main, 'scan', '--from-dir', FIXTURE, '--out', '-', '--fingerprint-key-file', key],
        { encoding: 'utf8' },
      );
      expect(p.status).toBe(0);
      expect(p.stdout).not.toContain('hunter2gw');
      const snap = JSON.parse(p.stdout) as {
        workloads: {
          name: string;
          containers: { env: { name: string; fingerprint?: string }[] }[];
        }[];
      };
      return snap.workloads
        .find((w) => w.name === 'triage-agent')!
        .containers[0]!.env.find((e) => e.name === 'GATEWAY_PWD')!.fingerprint;
    };
    const a1 = fp(keyA);
    expect(a1).toMatch(/^[0-9a-f]{16}$/);
    expect(fp(keyA)).toBe(a1);
    expect(fp(keyB)).not.toBe(a1);
    const short = join(dir, 'short.key');
    writeFileSync(short, 'too-short');
    const bad = spawnSync(
      tsx,
      [main, 'scan', '--from-dir', FIXTURE, '--out', '-', '--fingerprint-key-file', short],
      { encoding: 'utf8' },
    );
    expect(bad.status).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(/at least 32/);
  });
});
