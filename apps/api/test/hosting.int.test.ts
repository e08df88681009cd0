/**
 * The KEDA autoscaling rule of infra/helm/plumbline watches the right Redis keys: jobs the API
 * enqueues (BullMqJobQueue, as in production) land in exactly the lists the rendered
 * ScaledObject's triggers measure with LLEN, one job per queue in each.
 */
import { JOB_NAMES, type JobName, type JobPayload } from '@plumbline/contracts';
import { BullMqJobQueue, queueNameOf } from '@plumbline/jobs';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { HelmTemplate } from './helm-template.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

// One valid payload per job: a new job name fails to compile until it has one here.
const payloads: { [N in JobName]: JobPayload<N> } = {
  'snapshot.analyze': { organizationId: 'org-1', scanId: 'scan-1' },
  'snapshot.reanalyze': { organizationId: 'org-1', scanIds: ['scan-1', 'scan-2'] },
  'org.rollup': { organizationId: 'org-1', reason: 'test' },
  'cluster.scan': { organizationId: 'org-1', connectionId: 'connection-1' },
  'report.render': { organizationId: 'org-1', reportId: 'report-1' },
  'cluster.plan': { organizationId: 'org-1', planId: 'plan-1' },
  'org.retention': { organizationId: 'org-1' },
  'retention.sweep': {},
  'email.send': { emailId: 'email-1' },
  'alert.deliver': { organizationId: 'org-1', deliveryId: 'delivery-1' },
  'alerts.tick': {},
};

describe('KEDA queue-depth triggers on real Redis', () => {
  const prefix = `plumbline-keda-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL);
  const queue = new BullMqJobQueue({ redisUrl: REDIS_URL, prefix });

  afterAll(async () => {
    await queue.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('every enqueued job waits in the list its trigger measures', async () => {
    const chart = new HelmTemplate(resolve(__dirname, '../../../infra/helm/plumbline'));
    const scaledObject = chart
      .objects({
        releaseName: 'plumbline',
        namespace: 'plumbline',
        values: {
          config: { queuePrefix: prefix },
          worker: { autoscaling: { mode: 'keda', keda: { redis: { address: 'redis:6379' } } } },
        },
      })
      .map((o) => o.doc)
      .find((d) => d.kind === 'ScaledObject')!;
    const lists = (
      scaledObject.spec as { triggers: { metadata: { listName: string } }[] }
    ).triggers.map((t) => t.metadata.listName);
    // The job whose queue each trigger watches.
    const jobs = lists.map((list) => {
      const name = JOB_NAMES.find((n) => list === `${prefix}:${queueNameOf(n)}:wait`);
      expect([list, name]).toEqual([list, expect.any(String)]);
      return name!;
    });
    expect(jobs).toContain('snapshot.analyze');

    for (const list of lists) expect(await redis.llen(list)).toBe(0);
    for (const name of jobs) await queue.enqueue(name, payloads[name]);
    for (const list of lists) {
      expect([list, await redis.type(list), await redis.llen(list)]).toEqual([list, 'list', 1]);
    }
    // A second job on one queue shows up on that queue's list only.
    await queue.enqueue('snapshot.analyze', payloads['snapshot.analyze']);
    const lengths = await Promise.all(lists.map((l) => redis.llen(l)));
    expect(lengths).toEqual(jobs.map((n) => (n === 'snapshot.analyze' ? 2 : 1)));
  });
});
