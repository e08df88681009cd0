// One process of the ingest bench's part A (bench/ingest.bench.mjs): it runs one kind of work
// back to back, as a worker process does, and prints its throughput as JSON on stdout.
//   node ingest-child.mjs <kind> <dir> <pods> <limitMiB> <warmupMs> <blocks> <items>
// kind: "parse" (JSON.parse of the snapshot's bytes), "after" (the worker's read of a stored
// snapshot: decodeSnapshot trusting it by its hashes, into one InflateBuffer for the process,
// then analyze) or "before" (gunzip + JSON.parse + contract validation + analyze).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

const [kind, dir, podsArg, limitArg, warmupArg, blocksArg, itemsArg] = process.argv.slice(2);
const pods = Number(podsArg);
const raw = readFileSync(join(dir, `snapshot-${pods}.json`));
const gz = readFileSync(join(dir, `snapshot-${pods}.json.gz`));
// What the worker reads back with a stored snapshot: the scan's content hash (of the JSON) and
// the hash recorded with the stored gzip.
const hash = createHash('sha256').update(raw).digest('hex');
const storedHash = createHash('sha256').update(gz).digest('hex');
const limits = { maxDecompressedBytes: Number(limitArg) * 1024 * 1024 };
const inflateBuffer = new InflateBuffer();

const work = {
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
}[kind];
if (!work) throw new Error(`unknown kind ${kind}`);

// Untimed items first, for at least `warmupMs`: the timed ones run code the JIT has finished
// with, as in a worker that has drained snapshots for a while. Counted in items, the warm-up
// would be too short for small snapshots: at 1k pods the production path still speeds up over
// its first few hundred items (about 7.2 ms an item in the first 60, 5.6 ms from the 300th on),
// while JSON.parse is at its speed from the first.
let sink = work();
const warmupEnd = process.hrtime.bigint() + BigInt(Number(warmupArg)) * 1_000_000n;
while (process.hrtime.bigint() < warmupEnd) sink = work();
// Blocks of back-to-back items; ms per item of each block. The garbage a block makes is
// collected inside it as it runs, as in a worker draining a queue.
const blockMs = [];
for (let b = 0; b < Number(blocksArg); b++) {
  const items = Number(itemsArg);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < items; i++) sink = work();
  blockMs.push(Number(process.hrtime.bigint() - t0) / 1e6 / items);
}
void sink;
process.stdout.write(`${JSON.stringify({ kind, pods, blockMs })}\n`);
