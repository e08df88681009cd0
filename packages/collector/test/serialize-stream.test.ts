import { generateCluster } from '@plumbline/scenarios';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { collectOffline } from '../src/offline.js';
import { SnapshotReducer } from '../src/reduce.js';
import { serializeSnapshot } from '../src/serialize.js';
import {
  encodeSnapshot,
  snapshotChunks,
  writeSnapshotFile,
  writeSnapshotText,
} from '../src/serialize-stream.js';

const FIXTURES = resolve(__dirname, '../../../../shared/fixtures');
const base = {
  scanner: { name: 'plumbline-scanner', version: 'test' },
  collectedAt: '2026-11-26T00:00:00.000Z',
  includeSecretMetadata: true,
  fingerprintKey: new Uint8Array(32).fill(1),
};

function snapshots() {
  const generated = new SnapshotReducer(base);
  generateCluster({ seed: 'stream', pods: 2000, vms: 3 }).objects.forEach((o, i) =>
    generated.add(o, `o${i}`),
  );
  return {
    empty: new SnapshotReducer(base).finish({ ...base, mode: 'offline', clusterName: 'empty' }),
    fixtures: collectOffline({
      ...base,
      dir: FIXTURES,
      paths: ['calico/manifests/calico.yaml', 'kagent'],
    }).snapshot,
    generated: generated.finish({ ...base, mode: 'live', clusterName: 'gen', clusterUid: 'u-1' }),
  };
}

describe('streamed serialisation', () => {
  it.each(Object.entries(snapshots()))(
    'gives the bytes of serializeSnapshot (%s)',
    async (_name, s) => {
      const expected = serializeSnapshot(s);
      expect(Buffer.from([...snapshotChunks(s)].join(''), 'utf8').equals(expected)).toBe(true);
      let text = '';
      writeSnapshotText(s, (t) => (text += t));
      expect(text).toBe(expected.toString('utf8'));

      const dir = mkdtempSync(join(tmpdir(), 'plumbline-stream-'));
      await writeSnapshotFile(s, join(dir, 's.json'));
      await writeSnapshotFile(s, join(dir, 's.json.gz'));
      expect(readFileSync(join(dir, 's.json')).equals(expected)).toBe(true);
      // The same gzip bytes as the one-shot gzip of the whole document.
      expect(readFileSync(join(dir, 's.json.gz')).equals(serializeSnapshot(s, true))).toBe(true);

      const encoded = await encodeSnapshot(s);
      expect(gunzipSync(encoded.gzip).equals(expected)).toBe(true);
      expect(encoded.sha256).toBe(createHash('sha256').update(expected).digest('hex'));
      expect(encoded.rawBytes).toBe(expected.length);
    },
  );

  it('leaves out what JSON.stringify leaves out', () => {
    const odd = { a: undefined, b: [undefined, 1], c: {}, d: [], e: { f: undefined } };
    const s = odd as unknown as Parameters<typeof serializeSnapshot>[0];
    expect([...snapshotChunks(s)].join('')).toBe(serializeSnapshot(s).toString('utf8'));
  });
});
