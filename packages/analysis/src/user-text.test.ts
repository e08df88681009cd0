import { collectOffline } from '@plumbline/collector';
import type { AnalysisResult } from '@plumbline/contracts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { rankActions } from './actions.js';
import { analyze } from './pipeline.js';
import { summarize } from './views.js';

/**
 * Every text a user reads (titles, details, reasons, remediations, fix texts, ranking reasons,
 * cost notes and explanations), produced on every shared fixture set, is free of internal names:
 * no result paths such as "steps.netpol.workloads", no fact names such as "policy.ingressPct"
 * (issue 18.7). Evidence lists are object references from the manifests and are not scanned.
 */

const FIXTURES = resolve(__dirname, '../../../../shared/fixtures');
const groups = (
  JSON.parse(
    readFileSync(resolve(__dirname, '../../collector/test/fixture-groups.json'), 'utf8'),
  ) as { groups: { id: string; paths: string[] }[] }
).groups;

/** Internal roots: result steps, analysis inputs, fact groups, followed by a member name. */
export const INTERNAL_NAME =
  /\b(?:steps|facts|previous|result|snapshot|analysis|netpol|detection|maturity|agents|cost|policy|edge|observability|multiCluster)\.[a-z][A-Za-z]*\b/;

function userTexts(r: AnalysisResult): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  const add = (where: string, ...texts: (string | null | undefined)[]) => {
    for (const text of texts) if (text) out.push({ where, text });
  };
  const m = r.steps.maturity;
  for (const f of m.findings) add(`maturity finding ${f.id}`, f.title, f.detail, f.remediation);
  for (const p of m.pillars) {
    for (const c of p.criteria) add(`criterion ${c.id}`, c.title, c.reason);
    for (const c of p.caps) add(`cap ${c.id}`, c.title, c.reason);
  }
  const a = r.steps.agents;
  for (const g of a.gaps) add(`accountability gap ${g.pillar}`, g.title, g.remediation);
  for (const p of a.pillars) for (const c of p.criteria) add(`agents criterion ${c.id}`, c.reason);
  for (const l of r.steps.cost.lines) add(`cost line ${l.id}`, l.note, ...l.explanation);
  add('cost footprint', r.steps.cost.footprint.reason);
  for (const w of r.steps.netpol.warnings) add(`netpol warning ${w.ref}`, w.message);
  for (const x of rankActions(
    [{ name: 'c', production: true, maturity: m, agents: a }],
    r.steps.cost,
  ))
    add(`action ${x.id}`, x.title, x.remediation, x.why);
  return out;
}

describe('user-facing text names no internals', () => {
  it('the pattern catches internal paths and leaves Kubernetes field names alone', () => {
    for (const bad of [
      'list them from steps.netpol.workloads',
      'see facts.policy',
      'policy.ingressPct below 50',
      'detection.components has none',
    ])
      expect({ bad, hit: INTERNAL_NAME.test(bad) }).toEqual({ bad, hit: true });
    for (const ok of [
      'set spec.automountServiceAccountToken: false',
      'add metadata.annotations',
      'networking.k8s.io/v1 NetworkPolicy',
      'Calico policy-only mode',
    ])
      expect({ ok, hit: INTERNAL_NAME.test(ok) }).toEqual({ ok, hit: false });
  });

  it.each(groups.map((g) => [g.id, g.paths] as const))('%s', (id, paths) => {
    const { snapshot } = collectOffline({
      dir: FIXTURES,
      paths: [...paths],
      scanner: { name: 'test', version: '0' },
      collectedAt: '2026-01-01T00:00:00Z',
      clusterName: id.replace(/\W+/g, '-'),
      nodeCount: 3,
      includeSecretMetadata: false,
      fingerprintKey: new Uint8Array(32),
    });
    const result = analyze({ snapshot });
    const texts = userTexts(result);
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.filter((t) => INTERNAL_NAME.test(t.text))).toEqual([]);

    // One definition of ingress isolation: the criterion states the figure the NetworkPolicy
    // card and the scan digest show (application replicas), never another one.
    const app = result.steps.netpol.coverage.applications!;
    const criterion = result.steps.maturity.pillars
      .flatMap((p) => p.criteria)
      .find((c) => c.id === 'isolation.ingress-coverage-50')!;
    if (app.ingress.percent !== null)
      expect(criterion.evidence).toEqual([
        `${app.ingress.percent}% of ${app.totalReplicas} application replicas (ingress)`,
      ]);
    expect(summarize(result, '2026-01-01T00:00:00Z').networkPolicy).toEqual({
      ingress: app.ingress.percent,
      egress: app.egress.percent,
    });
  });
});
