import type { ClusterSnapshot } from '@plumbline/contracts';
import { gzipSync } from 'node:zlib';

/** The snapshot's bytes: pretty JSON (stable: every list is sorted by the reducer), or gzip. */
export function serializeSnapshot(snapshot: ClusterSnapshot, gzip = false): Buffer {
  const json = Buffer.from(JSON.stringify(snapshot, null, 2) + '\n', 'utf8');
  // Node's gzip header has no timestamp or file name, so equal input gives equal bytes.
  return gzip ? gzipSync(json, { level: 9 }) : json;
}
