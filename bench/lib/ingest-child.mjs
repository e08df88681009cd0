// One process of the ingest bench's part A (bench/ingest.bench.mjs): it runs one kind of work
// (bench/lib/ingest-work.mjs) back to back, as a worker process does, and prints its throughput
// as JSON on stdout.
//   node ingest-child.mjs <kind> <dir> <pods> <limitMiB> <warmupMs> <blocks> <items>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestWork } from './ingest-work.mjs';

const [kind, dir, podsArg, limitArg, warmupArg, blocksArg, itemsArg] = process.argv.slice(2);
const pods = Number(podsArg);
const work = ingestWork(
  readFileSync(join(dir, `snapshot-${pods}.json`)),
  readFileSync(join(dir, `snapshot-${pods}.json.gz`)),
  Number(limitArg),
)[kind];
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
const items = Number(itemsArg);
const blockMs = [];
for (let b = 0; b < Number(blocksArg); b++) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < items; i++) sink = work();
  blockMs.push(Number(process.hrtime.bigint() - t0) / 1e6 / items);
}
void sink;
process.stdout.write(`${JSON.stringify({ kind, pods, blockMs })}\n`);
