import { Registry } from 'prom-client';
import { InProcessJobQueue } from './in-process.js';
import { createJobMetrics, registerQueueMetrics } from './metrics.js';
import { PermanentJobError, RETRY_POLICY, type JobHandler, type JobLogger } from './port.js';

const quiet: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const payload = { organizationId: 'org-1', scanId: 'scan-1' };

function handler(
  behaviour: (attempt: number) => void,
  seen: number[],
  failures: string[],
): JobHandler<'snapshot.analyze'> {
  return {
    name: 'snapshot.analyze',
    async run(env, ctx) {
      expect(env.payload).toEqual(payload);
      seen.push(ctx.attempt);
      behaviour(ctx.attempt);
    },
    async onFinalFailure(_env, err) {
      failures.push(err.message);
    },
  };
}

describe('InProcessJobQueue', () => {
  it('retries a transient failure and succeeds', async () => {
    const seen: number[] = [];
    const failures: string[] = [];
    const h = handler(
      (a) => {
        if (a === 1) throw new Error('blip');
      },
      seen,
      failures,
    );
    const q = new InProcessJobQueue([h], quiet, { concurrency: 1, backoffMs: 1 });
    await q.enqueue('snapshot.analyze', payload);
    await q.drain();
    expect(seen).toEqual([1, 2]);
    expect(failures).toEqual([]);
  });

  it('gives up after the retry policy and reports the final failure once', async () => {
    const seen: number[] = [];
    const failures: string[] = [];
    const h = handler(
      () => {
        throw new Error('always');
      },
      seen,
      failures,
    );
    const q = new InProcessJobQueue([h], quiet, { concurrency: 1, backoffMs: 1 });
    await q.enqueue('snapshot.analyze', payload);
    await q.drain();
    expect(seen).toHaveLength(RETRY_POLICY.attempts);
    expect(failures).toEqual(['always']);
  });

  it('does not retry a permanent failure', async () => {
    const seen: number[] = [];
    const failures: string[] = [];
    const h = handler(
      () => {
        throw new PermanentJobError('bad data');
      },
      seen,
      failures,
    );
    const q = new InProcessJobQueue([h], quiet, { concurrency: 1, backoffMs: 1 });
    await q.enqueue('snapshot.analyze', payload);
    await q.drain();
    expect(seen).toEqual([1]);
    expect(failures).toEqual(['bad data']);
  });

  it('deduplicates by job id and refuses work after close', async () => {
    const seen: number[] = [];
    const h = handler(() => undefined, seen, []);
    const q = new InProcessJobQueue([h], quiet, { concurrency: 2, backoffMs: 1 });
    await q.enqueue('snapshot.analyze', payload, { jobId: 'same' });
    await q.enqueue('snapshot.analyze', payload, { jobId: 'same' });
    await q.close();
    expect(seen).toEqual([1]);
    await expect(q.enqueue('snapshot.analyze', payload)).rejects.toThrow(/closed/);
  });

  it('never runs more jobs at once than its concurrency', async () => {
    let running = 0;
    let peak = 0;
    const slow: JobHandler<'snapshot.analyze'> = {
      name: 'snapshot.analyze',
      async run() {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        running--;
      },
    };
    const q = new InProcessJobQueue([slow], quiet, { concurrency: 2, backoffMs: 1 });
    for (let i = 0; i < 6; i++) await q.enqueue('snapshot.analyze', payload);
    await q.drain();
    expect(peak).toBe(2);
  });
});

describe('InProcessJobQueue shutdown', () => {
  it('lets running jobs enqueue their follow-ups while it drains, then refuses new jobs', async () => {
    const ran: string[] = [];
    const ref: { queue?: InProcessJobQueue } = {};
    const analyze: JobHandler<'snapshot.analyze'> = {
      name: 'snapshot.analyze',
      async run(env) {
        await new Promise((r) => setImmediate(r));
        ran.push('analyze');
        await queue.enqueue('org.rollup', {
          organizationId: env.payload.organizationId,
          reason: 'scan',
        });
      },
    };
    const rollup: JobHandler<'org.rollup'> = {
      name: 'org.rollup',
      async run() {
        ran.push('rollup');
      },
    };
    const queue = new InProcessJobQueue([analyze, rollup], quiet, { concurrency: 1, backoffMs: 1 });
    ref.queue = queue;
    await queue.enqueue('snapshot.analyze', payload);
    await queue.close();
    expect(ran).toEqual(['analyze', 'rollup']);
    await expect(queue.enqueue('snapshot.analyze', payload)).rejects.toThrow(/closed/);
  });

  it('schedules repeat in this process until unscheduled or closed', async () => {
    jest.useFakeTimers();
    try {
      const seen: number[] = [];
      const q = new InProcessJobQueue([handler(() => undefined, seen, [])], quiet, {
        concurrency: 1,
      });
      await q.schedule('every-minute', 'snapshot.analyze', payload, 60_000);
      expect(await q.schedules('snapshot.analyze')).toEqual([
        { key: 'every-minute', everyMs: 60_000 },
      ]);
      expect(await q.schedules('org.rollup')).toEqual([]);
      expect(seen).toEqual([]); // the first run comes after one interval
      await jest.advanceTimersByTimeAsync(60_000 * 3);
      await q.drain();
      expect(seen).toEqual([1, 1, 1]);
      await q.schedule('every-minute', 'snapshot.analyze', payload, 120_000); // replaced, not added
      expect(await q.schedules('snapshot.analyze')).toEqual([
        { key: 'every-minute', everyMs: 120_000 },
      ]);
      await q.unschedule('snapshot.analyze', 'every-minute');
      await jest.advanceTimersByTimeAsync(600_000);
      await q.drain();
      expect(seen).toHaveLength(3);
      await expect(
        q.schedule('bad', 'snapshot.analyze', { organizationId: '' } as never, 1000),
      ).rejects.toThrow(/invalid payload/);
      await q.close();
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('InProcessJobQueue observability', () => {
  it('counts runs by outcome, failures and queue depth, in Prometheus metrics', async () => {
    const registry = new Registry();
    const observer = createJobMetrics(registry);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const h: JobHandler<'snapshot.analyze'> = {
      name: 'snapshot.analyze',
      async run() {
        calls++;
        if (calls === 1) throw new Error('blip'); // retried
        if (calls === 2) await gate;
        if (calls === 3) throw new PermanentJobError('bad data');
      },
    };
    const q = new InProcessJobQueue([h], quiet, { concurrency: 1, backoffMs: 1, observer });
    registerQueueMetrics(registry, q, quiet);
    await q.enqueue('snapshot.analyze', payload);
    await q.enqueue('snapshot.analyze', payload);
    // First job: failed once, now blocked in its second attempt; second job waits behind it.
    while (calls < 2) await new Promise((r) => setImmediate(r));
    expect((await q.depth())['snapshot.analyze']).toEqual({
      waiting: 1,
      active: 1,
      delayed: 0,
      failed: 0,
    });
    const during = await registry.metrics();
    expect(during).toContain('plumbline_queue_jobs{queue="snapshot-analyze",state="waiting"} 1');
    expect(during).toContain('plumbline_queue_jobs{queue="snapshot-analyze",state="active"} 1');
    expect(during).toContain('plumbline_jobs_active{job="snapshot.analyze"} 1');
    expect(during).toContain('plumbline_queue_up 1');
    release();
    await q.drain();
    const after = await registry.metrics();
    expect(after).toContain('plumbline_job_runs_total{job="snapshot.analyze",outcome="retry"} 1');
    expect(after).toContain(
      'plumbline_job_runs_total{job="snapshot.analyze",outcome="completed"} 1',
    );
    expect(after).toContain('plumbline_job_runs_total{job="snapshot.analyze",outcome="failed"} 1');
    expect(after).toContain('plumbline_job_failures_total{job="snapshot.analyze",final="true"} 1');
    expect(after).toContain('plumbline_job_failures_total{job="snapshot.analyze",final="false"} 1');
    expect(after).toContain(
      'plumbline_job_duration_seconds_count{job="snapshot.analyze",outcome="completed"} 1',
    );
    expect(after).toContain('plumbline_jobs_active{job="snapshot.analyze"} 0');
    expect(after).toContain('plumbline_queue_jobs{queue="snapshot-analyze",state="failed"} 1');
    expect(after).toContain('plumbline_queue_jobs{queue="snapshot-analyze",state="waiting"} 0');
    await q.close();
  });

  it('every log line of a job carries the request id of the request that queued it', async () => {
    const lines: Record<string, unknown>[] = [];
    const capture: JobLogger = {
      info: (o, msg) => lines.push({ ...o, msg }),
      warn: (o, msg) => lines.push({ ...o, msg }),
      error: (o, msg) => lines.push({ ...o, msg }),
    };
    const h: JobHandler<'snapshot.analyze'> = {
      name: 'snapshot.analyze',
      async run(_env, ctx) {
        ctx.log.info({ step: 1 }, 'handler says hello');
      },
    };
    const q = new InProcessJobQueue([h], capture, { concurrency: 1 });
    await q.enqueue('snapshot.analyze', payload, { requestId: 'req-42' });
    await q.drain();
    const hello = lines.find((l) => l.msg === 'handler says hello');
    const done = lines.find((l) => l.msg === 'job completed (in-process)');
    expect(hello).toMatchObject({ requestId: 'req-42', job: 'snapshot.analyze', step: 1 });
    expect(done).toMatchObject({ requestId: 'req-42', job: 'snapshot.analyze' });
    await q.close();
  });
});
