// The scanner's reduction of a generated cluster's objects into a snapshot, as every bench needs
// it (the collector's SnapshotReducer, no Secret metadata, a fixed fingerprint key). Needs a build.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { SnapshotReducer } = require('../../packages/collector/dist/index.js');

/**
 * Reduce `objects` (a generated cluster's) into a snapshot named `clusterName`; `objects` is
 * emptied afterwards so the raw objects can be collected.
 */
export function reduceGenerated(
  objects,
  {
    clusterName = 'bench',
    declaredClusterId = 'bench',
    collectedAt = '2026-11-26T00:00:00.000Z',
  } = {},
) {
  const reducer = new SnapshotReducer({
    fingerprintKey: new Uint8Array(32),
    includeSecretMetadata: false,
  });
  objects.forEach((o, i) => reducer.add(o, `generated#${i}`));
  const snapshot = reducer.finish({
    scanner: { name: 'plumbline-bench', version: '0' },
    collectedAt,
    mode: 'offline',
    clusterName,
    declaredClusterId,
  });
  objects.length = 0;
  return snapshot;
}
