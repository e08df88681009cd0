import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ClusterSnapshot, EvidenceUpload } from '@plumbline/contracts';
import {
  assess,
  clone,
  evidenceFrom,
  OWN_EVIDENCE,
  OWN_MANIFESTS,
  passingProbe,
  scanDir,
} from './helpers.js';

/** Same inputs, in any order, give byte-identical output. */

function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function shuffleSnapshot(s: ClusterSnapshot, seed: number): ClusterSnapshot {
  const out = clone(s);
  out.workloads = shuffled(out.workloads, seed);
  out.services = shuffled(out.services, seed + 1);
  out.namespaces = shuffled(out.namespaces, seed + 2);
  out.roles = shuffled(out.roles, seed + 3);
  out.roleBindings = shuffled(out.roleBindings, seed + 4);
  out.serviceAccounts = shuffled(out.serviceAccounts, seed + 5);
  out.networkPolicies = shuffled(out.networkPolicies, seed + 6);
  out.config.customResources = shuffled(out.config.customResources, seed + 7);
  for (const w of out.workloads)
    w.containers = w.containers.map((c) => ({ ...c, env: shuffled(c.env, seed) }));
  return out;
}

function shuffleEvidence(list: EvidenceUpload[], seed: number): EvidenceUpload[] {
  return shuffled(list, seed).map((u) => {
    const c = clone(u);
    if (c.kind === 'decision-log') c.data.records = shuffled(c.data.records, seed);
    if (c.kind === 'otlp-traces') {
      c.data.resourceSpans = shuffled(c.data.resourceSpans, seed);
      for (const r of c.data.resourceSpans)
        for (const ss of r.scopeSpans ?? []) ss.spans = shuffled(ss.spans ?? [], seed);
    }
    if (c.kind === 'mcp-client-config' && c.data.mcpServers)
      c.data.mcpServers = Object.fromEntries(shuffled(Object.entries(c.data.mcpServers), seed));
    return c;
  });
}

describe('determinism', () => {
  const snapshot = scanDir(OWN_MANIFESTS);
  const evidence = [
    ...[
      'claude_desktop_config.json',
      'research-crew.agent-card.json',
      'traces.otlp.json',
      'decisions.jsonl',
      'attestations.json',
      'answers.json',
    ].map((f) => evidenceFrom(f, readFileSync(path.join(OWN_EVIDENCE, f), 'utf8'))),
    passingProbe(),
  ];
  const want = JSON.stringify(assess(snapshot, evidence));

  it.each([3, 7, 11, 19])('is byte-identical with lists shuffled (seed %i)', (seed) => {
    const s = shuffleSnapshot(snapshot, seed);
    expect(s.workloads.map((w) => w.name)).not.toEqual(snapshot.workloads.map((w) => w.name));
    expect(JSON.stringify(assess(s, shuffleEvidence(evidence, seed)))).toBe(want);
  });
});
