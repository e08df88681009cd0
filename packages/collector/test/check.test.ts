import { parseClusterSnapshot, type ClusterSnapshot } from '@plumbline/contracts';
import { generateCluster } from '@plumbline/scenarios';
import { checkSnapshot } from '../src/check.js';
import { SnapshotReducer } from '../src/reduce.js';

function sample(): ClusterSnapshot {
  const r = new SnapshotReducer({
    includeSecretMetadata: true,
    fingerprintKey: new Uint8Array(32),
  });
  generateCluster({ seed: 'check', pods: 300, vms: 2 }).objects.forEach((o, i) =>
    r.add(o, `o${i}`),
  );
  return r.finish({
    scanner: { name: 'plumbline-scanner', version: 'test' },
    collectedAt: '2026-11-26T00:00:00.000Z',
    mode: 'live',
    clusterName: 'check',
    clusterUid: 'uid-1',
  });
}

const paths = (r: { ok: boolean; issues?: { path: string }[] }) =>
  (r.issues ?? []).map((i) => i.path).sort();

describe('checkSnapshot', () => {
  it('accepts what parseClusterSnapshot accepts', () => {
    const s = sample();
    expect(parseClusterSnapshot(s).ok).toBe(true);
    expect(checkSnapshot(s)).toEqual({ ok: true });
  });

  it.each<[string, (s: Record<string, unknown> & ClusterSnapshot) => void]>([
    ['a bad top-level value', (s) => void ((s as { schemaVersion: number }).schemaVersion = 2)],
    ['an unknown top-level key', (s) => void (s.extra = true)],
    ['a bad cluster field', (s) => void ((s.cluster as { idSource: string }).idSource = 'guessed')],
    ['a bad pod deep in the list', (s) => void ((s.pods[7] as { phase: unknown }).phase = 42)],
    [
      'an unknown key in a workload',
      (s) => void ((s.workloads[3] as unknown as Record<string, unknown>).secret = 'x'),
    ],
    ['a bad config element', (s) => void (s.config.configMaps as unknown[]).push({ name: 1 })],
    ['a list that is not a list', (s) => void ((s as { nodes: unknown }).nodes = 'none')],
    ['a missing list', (s) => void delete (s as { services?: unknown }).services],
  ])('refuses %s, like parseClusterSnapshot', (_what, spoil) => {
    const s = sample() as Record<string, unknown> & ClusterSnapshot;
    spoil(s);
    const full = parseClusterSnapshot(s);
    const stepwise = checkSnapshot(s);
    expect(full.ok).toBe(false);
    expect(stepwise.ok).toBe(false);
    expect(paths(stepwise as { ok: boolean; issues: { path: string }[] })).toEqual(
      paths(full as { ok: boolean; issues: { path: string }[] }),
    );
  });
});
