import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Database } from './database.js';
import {
  countOrganizationRows,
  createTestDatabase,
  queryTestDatabase,
  type TestDatabase,
} from './testing.js';

const DAY = 86_400_000;

describe('organisation data lifecycle (real PostgreSQL)', () => {
  let tdb: TestDatabase;
  let db: Database;
  const now = new Date();

  beforeAll(async () => {
    tdb = await createTestDatabase('lifecycle');
    db = Database.connect(tdb.url, { poolSize: 2 });
  });
  afterAll(async () => {
    await db.close();
    await tdb.drop();
  });

  async function org(slug: string, retentionDays?: number) {
    const o = await db.organizations.create({ name: slug.toUpperCase(), slug });
    if (retentionDays) await db.lifecycle.setRetentionDays(o.id, retentionDays);
    return o.id;
  }

  /** A scan of `cluster` created `ageDays` ago, ending in `status`. */
  async function scan(
    organizationId: string,
    cluster: string,
    ageDays: number,
    status: 'succeeded' | 'failed' | 'queued',
  ): Promise<string> {
    const raw = Buffer.from(JSON.stringify({ cluster, n: randomUUID() }));
    const stored = await db.scans.storeSnapshot(organizationId, {
      clusterExternalId: cluster,
      clusterName: cluster,
      contentHash: createHash('sha256').update(raw).digest('hex'),
      schemaVersion: 1,
      gzip: new Uint8Array(gzipSync(raw)),
      rawBytes: raw.length,
    });
    const id = stored.scan.id;
    if (status === 'succeeded')
      await db.scans.completeWithResult(organizationId, id, {
        methodologyVersion: 'test',
        resultVersion: 1,
        body: { ok: true },
      });
    if (status === 'failed') await db.scans.markFailed(organizationId, id, 'broken');
    await queryTestDatabase(tdb.url, `UPDATE "Scan" SET "createdAt" = $1 WHERE id = $2::uuid`, [
      new Date(now.getTime() - ageDays * DAY),
      id,
    ]);
    return id;
  }

  const scanIds = async (organizationId: string) =>
    (
      await queryTestDatabase<{ id: string }>(
        tdb.url,
        `SELECT id::text AS id FROM "Scan" WHERE "organizationId" = $1::uuid ORDER BY id`,
        [organizationId],
      )
    ).map((r) => r.id);

  it('deletes finished scans past the retention, keeping the newest succeeded scan of each cluster', async () => {
    const a = await org('retain-a', 30);
    const oldA1 = await scan(a, 'one', 100, 'succeeded');
    const oldA2 = await scan(a, 'one', 60, 'succeeded');
    const freshA = await scan(a, 'one', 10, 'succeeded');
    const lastGood = await scan(a, 'two', 200, 'succeeded'); // old but the newest succeeded one
    const oldFailed = await scan(a, 'two', 90, 'failed');
    const oldQueued = await scan(a, 'two', 80, 'queued'); // a job owns it
    const b = await org('retain-b'); // default 365 days
    const bScans = [await scan(b, 'one', 100, 'succeeded'), await scan(b, 'one', 60, 'failed')];

    expect(await db.lifecycle.organizationsWithExpiredScans(now)).toEqual([a]);
    const counts = await db.lifecycle.purgeExpiredScans(a, now);
    expect(counts).toEqual({ scans: 3, snapshots: 3, analysisResults: 2 });
    expect(await scanIds(a)).toEqual([freshA, lastGood, oldQueued].sort());
    for (const gone of [oldA1, oldA2, oldFailed]) {
      expect(await db.scans.get(a, gone)).toBeNull();
      expect(await db.scans.getSnapshotBlob(a, gone)).toBeNull();
      expect(await db.scans.getResult(a, gone)).toBeNull();
    }
    expect(await db.scans.getResult(a, lastGood)).not.toBeNull();
    expect(await scanIds(b)).toEqual([...bScans].sort());
    // Idempotent: nothing left to delete.
    expect(await db.lifecycle.purgeExpiredScans(a, now)).toEqual({
      scans: 0,
      snapshots: 0,
      analysisResults: 0,
    });
    // Only kept scans remain past the cutoff, so the sweep still lists it; that is harmless.
    expect(await db.lifecycle.purgeExpiredScans(randomUUID(), now)).toEqual({
      scans: 0,
      snapshots: 0,
      analysisResults: 0,
    });
  });

  it('reads and changes the retention, returning the previous value', async () => {
    const a = await org('setting');
    expect(await db.lifecycle.retentionDays(a)).toBe(365);
    expect(await db.lifecycle.setRetentionDays(a, 90)).toBe(365);
    expect(await db.lifecycle.retentionDays(a)).toBe(90);
    expect(await db.lifecycle.setRetentionDays(randomUUID(), 90)).toBeNull();
  });

  it('deletes an organisation and all its rows in one go, and nothing of another one', async () => {
    const victim = await org('victim');
    const other = await org('bystander');
    const shared = await db.users.create({ email: 'both@x.test', name: 'Both', passwordHash: 'h' });
    const only = await db.users.create({ email: 'only@x.test', name: 'Only', passwordHash: 'h' });
    await db.memberships.add(victim, shared.id, 'owner');
    await db.memberships.add(other, shared.id, 'member');
    await db.memberships.add(victim, only.id, 'viewer');
    await db.sessions.create(only.id, DAY, null);
    // Two-factor data of both users: the deleted user's goes with them, the shared one's stays.
    await db.mfa.replaceRecoveryCodes(only.id);
    await db.mfa.createChallenge(only.id, DAY, null);
    await db.mfa.replaceRecoveryCodes(shared.id);
    await db.mfa.setRequired(victim, true);
    for (const o of [victim, other]) {
      await scan(o, 'c1', 1, 'succeeded');
      await db.scannerTokens.create(o, { name: 't' });
      await db.audit.record({ organizationId: o, actorType: 'system', action: 'test' });
      await db.evidence.create(o, {
        kind: 'attestations',
        filename: 'a.json',
        contentHash: 'h',
        content: new Uint8Array(gzipSync('{}')),
        summary: null,
        uploadedById: null,
      });
    }
    const before = await countOrganizationRows(tdb.url, other);

    const wrong = await db.lifecycle.deleteOrganization(victim, 'bystander', {
      actorType: 'user',
      actorId: shared.id,
      action: 'org.delete',
    });
    expect(wrong).toEqual({ deleted: false, reason: 'slug_mismatch' });
    expect((await countOrganizationRows(tdb.url, victim)).Scan).toBe(1);

    const done = await db.lifecycle.deleteOrganization(victim, 'victim', {
      actorType: 'user',
      actorId: shared.id,
      action: 'org.delete',
      requestId: 'req-del',
    });
    expect(done).toMatchObject({
      deleted: true,
      slug: 'victim',
      usersDeleted: 1,
      counts: { members: 2, scans: 1, snapshots: 1, analysisResults: 1, evidence: 1 },
    });
    const after = await countOrganizationRows(tdb.url, victim);
    expect(Object.values(after).every((n) => n === 0)).toBe(true);
    expect(Object.keys(after)).toEqual(
      expect.arrayContaining(['Scan', 'SnapshotBlob', 'AuditEvent', 'Membership']),
    );
    expect(await countOrganizationRows(tdb.url, other)).toEqual(before);
    // The user who belonged only to it is gone with their sessions; the shared one stays.
    expect(await db.users.get(only.id)).toBeNull();
    expect(await db.users.get(shared.id)).not.toBeNull();
    const mfaRows = await queryTestDatabase<{ userId: string }>(
      tdb.url,
      `SELECT "userId" FROM "RecoveryCode" UNION ALL SELECT "userId" FROM "MfaChallenge"`,
    );
    expect(mfaRows.filter((r) => r.userId === only.id)).toHaveLength(0);
    expect(mfaRows.filter((r) => r.userId === shared.id)).toHaveLength(10);
    const [event] = await queryTestDatabase<{ metadata: { slug: string; counts: object } }>(
      tdb.url,
      `SELECT metadata FROM "AuditEvent"
        WHERE "organizationId" IS NULL AND action = 'org.delete' AND "targetId" = $1`,
      [victim],
    );
    expect(event?.metadata).toMatchObject({ slug: 'victim', counts: { scans: 1 } });
    expect(
      await db.lifecycle.deleteOrganization(victim, 'victim', {
        actorType: 'user',
        action: 'org.delete',
      }),
    ).toEqual({ deleted: false, reason: 'not_found' });
  });
});
