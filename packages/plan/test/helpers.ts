import { collectOffline, SnapshotReducer } from '@plumbline/collector';
import type { ClusterSnapshot } from '@plumbline/contracts';
import { ConnSet, endpointRef, formatRange, type NetpolEngine } from '@plumbline/netpol';
import { generateCluster } from '@plumbline/scenarios';
import path from 'node:path';

export const FIXTURES = path.resolve(__dirname, '../../../../shared/fixtures');
export const FIXTURE_GROUPS_FILE = path.resolve(
  __dirname,
  '../../collector/test/fixture-groups.json',
);

export interface FixtureGroup {
  id: string;
  paths: string[];
}

const KEY = new Uint8Array(32).fill(7);

export function scanGroup(g: FixtureGroup): ClusterSnapshot {
  return collectOffline({
    dir: FIXTURES,
    paths: g.paths,
    scanner: { name: 'test', version: '0' },
    collectedAt: '2026-01-01T00:00:00Z',
    clusterName: g.id.replace(/\//g, '-'),
    clusterId: g.id.replace(/\//g, '-'),
    fingerprintKey: KEY,
    includeSecretMetadata: false,
  }).snapshot;
}

/** A generated cluster (packages/scenarios) reduced to a snapshot as live collection would. */
export function scenarioSnapshot(seed: string, pods: number, policies?: number): ClusterSnapshot {
  const cluster = generateCluster({ seed, pods, policies });
  const reducer = new SnapshotReducer({ fingerprintKey: KEY, includeSecretMetadata: false });
  cluster.objects.forEach((o, i) =>
    reducer.add(o as unknown as Record<string, unknown>, `generated#${i}`),
  );
  return reducer.finish({
    scanner: { name: 'test', version: '0' },
    collectedAt: '2026-01-01T00:00:00.000Z',
    mode: 'offline',
    clusterName: `scenario-${seed}`,
    declaredClusterId: `scenario-${seed}`,
  });
}

/**
 * Independent check of the Service promise by brute force: every connection the engine allowed
 * before from any pod endpoint (host-network pods are outside NetworkPolicy, as in the connection
 * list) or external range to a Service backend on a Service port, that the
 * engine after the bundle no longer allows.
 */
export function bruteForceCuts(
  snapshot: ClusterSnapshot,
  before: NetpolEngine,
  after: NetpolEngine,
): string[] {
  const cuts: string[] = [];
  const afterByRef = new Map(after.endpoints.map((e) => [endpointRef(e), e]));
  const atoms = [...before.atoms(), before.atomFor('198.51.100.9')!];
  for (const svc of snapshot.services) {
    const sel = svc.selector;
    if (!sel || !Object.keys(sel).length) continue;
    const backends = before.endpoints.filter(
      (e) =>
        e.namespace === svc.namespace &&
        !e.hostNetwork &&
        Object.entries(sel).every(([k, v]) => e.labels[k] === v),
    );
    for (const b of backends) {
      const bA = afterByRef.get(endpointRef(b))!;
      for (const p of svc.ports) {
        const tp = p.targetPort ?? p.port;
        const n = typeof tp === 'number' ? tp : b.ports.find((x) => x.name === tp)?.port;
        const proto = (p.protocol || 'TCP').toUpperCase();
        if (n === undefined || !['TCP', 'UDP', 'SCTP'].includes(proto)) continue;
        const probe = ConnSet.ports(proto as 'TCP', n, n);
        for (const s of before.endpoints) {
          if (s === b || s.hostNetwork) continue;
          const sA = afterByRef.get(endpointRef(s))!;
          const was = before.connections({ kind: 'endpoint', e: s }, { kind: 'endpoint', e: b });
          if (!was.contains(probe)) continue;
          const now = after.connections({ kind: 'endpoint', e: sA }, { kind: 'endpoint', e: bA });
          if (!now.contains(probe))
            cuts.push(`${endpointRef(s)} -> ${endpointRef(b)} ${proto}/${n}`);
        }
        for (const a of atoms) {
          const was = before.connections({ kind: 'external', atom: a }, { kind: 'endpoint', e: b });
          if (!was.contains(probe)) continue;
          const aA = after.atomFor(formatRange(a.range).split('-')[0]!.split('/')[0]!)!;
          const now = after.connections(
            { kind: 'external', atom: aA },
            { kind: 'endpoint', e: bA },
          );
          if (!now.contains(probe))
            cuts.push(`${formatRange(a.range)} -> ${endpointRef(b)} ${proto}/${n}`);
        }
      }
    }
  }
  return cuts;
}
