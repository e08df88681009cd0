/**
 * Live collection against the Kubernetes API simulator serving each fixture file group gives
 * the same snapshot as offline collection of the same files, under the normalisation defined
 * (and explained) in equivalence.ts. Every group of fixture-groups.json runs; custom resources
 * whose CRD is not in the group are served with `inferCrds`.
 */
import { parseClusterSnapshot } from '@plumbline/contracts';
import { createCertificate, startKubeSim, type TlsMaterial } from '@plumbline/kube-sim';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { collectLive } from '../src/live.js';
import { collectOffline } from '../src/offline.js';
import { normalisePair } from './equivalence.js';

const FIXTURES = resolve(__dirname, '../../../../shared/fixtures');
const groups = (
  JSON.parse(readFileSync(join(__dirname, 'fixture-groups.json'), 'utf8')) as {
    groups: { id: string; paths: string[] }[];
  }
).groups;

const common = {
  scanner: { name: 'plumbline-scanner', version: 'test' },
  collectedAt: '2026-11-26T00:00:00.000Z',
  includeSecretMetadata: false,
  fingerprintKey: new Uint8Array(32).fill(3),
};

let tls: TlsMaterial;
beforeAll(async () => {
  tls = await createCertificate();
  // Load the Kubernetes client once (transformed on first use) outside the per-group timeouts.
  await import('@kubernetes/client-node');
}, 60_000);

describe('live collection equals offline collection, per fixture group', () => {
  it('covers every group', () => {
    expect(groups.length).toBeGreaterThan(40);
  });

  it.each(groups.map((g) => [g.id, g] as const))(
    '%s',
    async (id, group) => {
      const clusterName = id.replace(/\W+/g, '-');
      const sim = await startKubeSim({ dir: FIXTURES, paths: group.paths, inferCrds: true, tls });
      try {
        const { snapshot: live, stats } = await collectLive({
          ...common,
          clusterName,
          source: { kind: 'kubeconfig-text', text: sim.kubeconfig() },
          pageSize: 50,
        });
        const { snapshot: offline } = collectOffline({
          ...common,
          clusterName,
          dir: FIXTURES,
          paths: group.paths,
        });
        const valid = parseClusterSnapshot(live);
        if (!valid.ok) throw new Error(JSON.stringify(valid.issues.slice(0, 5)));
        expect(live.mode).toBe('live');
        expect(live.cluster.idSource).toBe('kube-system-uid');
        expect(stats.requests).toBe(sim.requests.length);
        // Read-only: nothing but GET ever reached the API server.
        expect([...new Set(sim.requests.map((r) => r.method))]).toEqual(['GET']);

        const served = sim
          .resources()
          .map((r) => ({ group: r.group || 'core', kind: r.kind, version: r.versions[0]! }));
        const n = normalisePair(offline, live, served);
        expect(n.problems).toEqual([]);
        expect(n.live).toEqual(n.offline);
      } finally {
        await sim.close();
      }
    },
    30_000,
  );
});
