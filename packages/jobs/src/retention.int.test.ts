import { makeJobEnvelope, type JobName } from '@plumbline/contracts';
import { createTestDatabase, Database, queryTestDatabase, type TestDatabase } from '@plumbline/db';
import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { orgRetentionHandler, retentionSweepHandler } from './handlers/retention.js';
import type { FollowUp, JobContext, JobLogger } from './port.js';

const quiet: JobLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };
const ctx: JobContext = { jobId: 'j1', attempt: 1, log: quiet };
const DAY = 86_400_000;

describe('retention jobs (real PostgreSQL)', () => {
  let tdb: TestDatabase;
  let db: Database;
  const queued: Array<{ name: JobName; payload: unknown; requestId?: string }> = [];
  const followUp: FollowUp = async (name, payload, requestId) => {
    queued.push({ name, payload, requestId });
  };

  beforeAll(async () => {
    tdb = await createTestDatabase('retention');
    db = Database.connect(tdb.url, { poolSize: 2 });
  });
  afterAll(async () => {
    await db.close();
    await tdb.drop();
  });

  async function scan(organizationId: string, cluster: string, ageDays: number) {
    const raw = Buffer.from(randomUUID());
    const { scan } = await db.scans.storeSnapshot(organizationId, {
      clusterExternalId: cluster,
      clusterName: cluster,
      contentHash: createHash('sha256').update(raw).digest('hex'),
      schemaVersion: 1,
      gzip: new Uint8Array(gzipSync(raw)),
      rawBytes: raw.length,
    });
    await db.scans.completeWithResult(organizationId, scan.id, {
      methodologyVersion: 'test',
      resultVersion: 1,
      body: {},
    });
    await queryTestDatabase(tdb.url, `UPDATE "Scan" SET "createdAt" = $1 WHERE id = $2::uuid`, [
      new Date(Date.now() - ageDays * DAY),
      scan.id,
    ]);
    return scan.id;
  }

  it('the daily sweep queues only organisations with expired scans; each run deletes, audits and refreshes the roll-up once', async () => {
    const strict = (await db.organizations.create({ name: 'Strict', slug: 'strict' })).id;
    await db.lifecycle.setRetentionDays(strict, 7);
    const lax = (await db.organizations.create({ name: 'Lax', slug: 'lax' })).id;
    const expired = await scan(strict, 'prod', 30);
    const kept = await scan(strict, 'prod', 1);
    const laxScan = await scan(lax, 'prod', 30);

    const sweep = retentionSweepHandler(db, followUp);
    await sweep.run(makeJobEnvelope('retention.sweep', {}), ctx);
    expect(queued).toEqual([{ name: 'org.retention', payload: { organizationId: strict } }]);
    queued.length = 0;

    const retention = orgRetentionHandler(db, followUp);
    await retention.run(makeJobEnvelope('org.retention', { organizationId: strict }, 'r-1'), ctx);
    expect(await db.scans.get(strict, expired)).toBeNull();
    expect(await db.scans.get(strict, kept)).not.toBeNull();
    expect(await db.scans.get(lax, laxScan)).not.toBeNull();
    expect(queued).toEqual([
      {
        name: 'org.rollup',
        payload: { organizationId: strict, reason: 'retention cleanup' },
        requestId: 'r-1',
      },
    ]);
    const audit = await db.audit.list(strict);
    expect(audit.filter((e) => e.action === 'retention.cleanup')).toEqual([
      expect.objectContaining({
        actorType: 'system',
        metadata: {
          retentionDays: 7,
          deleted: { scans: 1, snapshots: 1, analysisResults: 1 },
        },
      }),
    ]);

    // A second run finds nothing: no roll-up, no audit event.
    queued.length = 0;
    await retention.run(makeJobEnvelope('org.retention', { organizationId: strict }), ctx);
    expect(queued).toEqual([]);
    expect(
      (await db.audit.list(strict)).filter((e) => e.action === 'retention.cleanup'),
    ).toHaveLength(1);
    // An organisation deleted in the meantime is skipped quietly.
    await retention.run(makeJobEnvelope('org.retention', { organizationId: randomUUID() }), ctx);
    expect(queued).toEqual([]);
  });
});
