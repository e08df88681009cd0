import { collectOffline } from '@plumbline/collector';
import type { ClusterSnapshot } from '@plumbline/contracts';
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
