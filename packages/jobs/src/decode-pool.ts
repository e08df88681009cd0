import type { SnapshotLimits } from '@plumbline/contracts';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DecodeRequest, DecodeResponse } from './decode-worker.js';
import type { PrepareOutcome, SnapshotPreparer } from './ingest.js';

interface Task {
  req: DecodeRequest;
  resolve: (o: PrepareOutcome) => void;
  reject: (e: Error) => void;
}

/** The compiled worker script (tests run the TypeScript sources; the script is always built). */
function workerScript(): string {
  const here = join(__dirname, 'decode-worker.js');
  return existsSync(here) ? here : resolve(__dirname, '..', 'dist', 'decode-worker.js');
}

/**
 * Decodes snapshots (inflate, JSON.parse, contract) in worker threads so the API's event loop
 * keeps serving other requests while a big upload is checked. `threads` workers, each one task
 * at a time; further uploads wait their turn. A worker that dies is replaced.
 */
export class SnapshotDecodePool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Task>();
  private readonly waiting: Task[] = [];
  private next = 1;
  private closed = false;

  constructor(private readonly threads: number) {
    // Start one thread now: loading the decoder takes a moment the first upload should not pay.
    this.idle.push(this.spawn());
  }

  readonly prepare: SnapshotPreparer = (body: Uint8Array, limits: SnapshotLimits) =>
    new Promise<PrepareOutcome>((resolvePromise, reject) => {
      if (this.closed) return reject(new Error('snapshot decoder is closed'));
      this.waiting.push({
        req: { id: this.next++, body, limits },
        resolve: resolvePromise,
        reject,
      });
      this.dispatch();
    });

  private spawn(): Worker {
    const w = new Worker(workerScript());
    w.unref();
    w.on('message', (res: DecodeResponse) => {
      const task = this.busy.get(w);
      this.busy.delete(w);
      if (!this.closed) this.idle.push(w);
      if (task) {
        if (res.outcome) task.resolve(res.outcome);
        else task.reject(new Error(res.error ?? 'snapshot decoder failed'));
      }
      this.dispatch();
    });
    const lost = (err: Error) => {
      const task = this.busy.get(w);
      this.busy.delete(w);
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
      task?.reject(err);
      this.dispatch();
    };
    w.on('error', lost);
    w.on('exit', (code) => {
      if (this.busy.has(w) || this.idle.includes(w))
        lost(new Error(`snapshot decoder exited (${code})`));
    });
    return w;
  }

  private dispatch(): void {
    while (this.waiting.length && !this.closed) {
      let w = this.idle.pop();
      if (!w && this.busy.size < this.threads) w = this.spawn();
      if (!w) return;
      const task = this.waiting.shift()!;
      this.busy.set(w, task);
      w.postMessage(task.req);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.waiting.splice(0)) t.reject(new Error('snapshot decoder is closed'));
    const all = [...this.idle.splice(0), ...this.busy.keys()];
    for (const t of this.busy.values()) t.reject(new Error('snapshot decoder is closed'));
    this.busy.clear();
    await Promise.all(all.map((w) => w.terminate()));
  }
}
