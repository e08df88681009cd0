import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { SnapshotLimits } from '@plumbline/contracts';
import { prepareSnapshot, type PrepareOutcome } from './ingest.js';

/** Worker-thread side of the decode pool: one `prepareSnapshot` per message. */
export interface DecodeRequest {
  id: number;
  body: Uint8Array;
  limits: SnapshotLimits;
}
export interface DecodeResponse {
  id: number;
  outcome?: PrepareOutcome;
  error?: string;
}

// Lowest CPU priority for this thread (Linux applies setpriority(0) to the calling thread):
// on a busy machine the event loop, which answers every other request, goes first.
try {
  setPriority(19);
} catch {
  // not permitted here: the decode thread keeps the process's priority
}

parentPort?.on('message', (req: DecodeRequest) => {
  let res: DecodeResponse;
  try {
    res = { id: req.id, outcome: prepareSnapshot(req.body, req.limits) };
  } catch (e) {
    res = { id: req.id, error: (e as Error).message };
  }
  const gzip = res.outcome?.ok ? res.outcome.prepared.gzip : undefined;
  parentPort?.postMessage(res, gzip ? [gzip.buffer as ArrayBuffer] : []);
});
