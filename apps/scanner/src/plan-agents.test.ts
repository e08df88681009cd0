import { ACCOUNTABILITY_PILLARS, analysisResultSchema } from '@plumbline/contracts';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runPlan } from './plan.js';
import { EXIT, runScan } from './scan.js';
import { testIo } from './test-io.js';

/**
 * `plan --pillar <accountability pillar>` end to end: the bundle is written, and scanning the
 * manifests with the bundle folder on top (`scan --from-dir A --from-dir BUNDLE --analyze`) shows
 * the accountability levels the plan promised.
 */

const FIXTURE = path.resolve(__dirname, '../../../packages/plan/test/fixtures/agent-plan');

const io = testIo;

describe('plan --pillar identity-ownership / traceability', () => {
  let dir: string;
  let manifests: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'plan-agents-'));
    manifests = path.join(dir, 'manifests');
    // The fixture without its look-alike agent, the shadow agent with an owner.
    const text = readFileSync(path.join(FIXTURE, 'cluster.yaml'), 'utf8')
      .split(/^---$/m)
      .filter((d) => !/quiet-agent/.test(d))
      .join('---')
      .replace(
        'name: shadow-agent\n  namespace: agents\n',
        'name: shadow-agent\n  namespace: agents\n  labels: { owner: growth-team }\n',
      );
    mkdirSync(manifests);
    writeFileSync(path.join(manifests, 'cluster.yaml'), text);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const levels = (dirs: string[]) => {
    const x = io();
    const code = runScan(
      {
        fromDir: dirs[0],
        extraDirs: dirs.slice(1),
        analyze: true,
        format: 'json',
        collectedAt: '2026-12-01T00:00:00Z',
      },
      x,
    );
    expect(code).toBe(EXIT.ok);
    const r = analysisResultSchema.parse(JSON.parse(x.out.join('')));
    return Object.fromEntries(r.steps.agents.pillars.map((p) => [p.pillar, p.level]));
  };

  it.each([
    ['identity-ownership', '2'],
    ['traceability', '1'],
    ['policy-at-scale', '2'],
  ])('%s level %s: the bundle reaches the promise when scanned', (pillar, level) => {
    const out = path.join(dir, `bundle-${pillar}`);
    const x = io();
    const code = runPlan(
      { fromDir: [manifests], pillar, targetLevel: level, out, format: 'json' },
      x,
    );
    expect([code, x.logs.filter((l) => l.startsWith('error'))]).toEqual([EXIT.ok, []]);
    const stored = JSON.parse(readFileSync(path.join(out, 'plan.json'), 'utf8'));
    expect(stored.verification.ok).toBe(true);
    const promised = stored.plan.agentPromise as Record<string, number>;
    expect(stored.verification.agents.reached).toEqual(promised);
    expect(readdirSync(out)).toContain('kustomization.yaml');
    const before = levels([manifests]);
    const after = levels([manifests, out]);
    for (const p of ACCOUNTABILITY_PILLARS) expect([p, after[p]]).toEqual([p, promised[p]]);
    if (pillar !== 'policy-at-scale') {
      // Generated objects alone reach the target for these two.
      expect(after[pillar]).toBeGreaterThanOrEqual(Number(level));
      expect(before[pillar]).toBeLessThan(Number(level));
    }
  });

  it('an unknown pillar is a usage error naming both families', () => {
    const x = io();
    const code = runPlan(
      { fromDir: [manifests], pillar: 'identity', targetLevel: '1', out: path.join(dir, 'x') },
      x,
    );
    expect(code).toBe(EXIT.usage);
    expect(x.logs.join('\n')).toMatch(/identity-ownership/);
  });

  it('a level only uploads can prove is unreachable (exit planUnreachable), nothing written', () => {
    const out = path.join(dir, 'bundle-unreachable');
    const x = io();
    const code = runPlan(
      { fromDir: [manifests], pillar: 'traceability', targetLevel: '2', out },
      x,
    );
    expect(code).toBe(EXIT.planUnreachable);
    expect(x.logs.join('\n')).toMatch(/needs evidence only an upload/);
  });
});
