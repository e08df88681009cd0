// The three kinds of work bench/ingest.bench.mjs compares, over one snapshot's bytes: "parse"
// (JSON.parse of the JSON), "after" (the worker's read of a stored snapshot: decodeSnapshot
// trusting it by its hashes, into one InflateBuffer per process, then analyze) and "before"
// (gunzip + JSON.parse + contract validation + analyze). Needs a build.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(root, 'package.json'));
const { decodeSnapshot, InflateBuffer, parseClusterSnapshot } = require(
  join(root, 'packages/contracts/dist/index.js'),
);
const { analyze } = require(join(root, 'packages/analysis/dist/index.js'));

export { analyze, parseClusterSnapshot };

/** raw: the snapshot's JSON bytes; gz: their gzip, as stored. */
export function ingestWork(raw, gz, limitMiB) {
  // What the worker reads back with a stored snapshot: the scan's content hash (of the JSON) and
  // the hash recorded with the stored gzip.
  const hash = createHash('sha256').update(raw).digest('hex');
  const storedHash = createHash('sha256').update(gz).digest('hex');
  const limits = { maxDecompressedBytes: limitMiB * 1024 * 1024 };
  const inflateBuffer = new InflateBuffer();
  return {
    parse: () => JSON.parse(raw.toString('utf8')),
    after: () => {
      const d = decodeSnapshot(gz, limits, {
        trustedHash: hash,
        trustedStoredHash: storedHash,
        buffer: inflateBuffer,
      });
      if (!d.ok || d.validated) throw new Error('the stored snapshot was not trusted by its hash');
      return analyze({ snapshot: d.snapshot, assumptions: {} });
    },
    before: () => {
      const json = JSON.parse(gunzipSync(gz).toString('utf8'));
      const parsed = parseClusterSnapshot(json);
      if (!parsed.ok) throw new Error('bench snapshot does not match the contract');
      return analyze({ snapshot: parsed.snapshot, assumptions: {} });
    },
  };
}
