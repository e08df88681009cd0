import { Database } from './database.js';
import { createTestDatabase, queryTestDatabase, type TestDatabase } from './testing.js';

describe('connection pool (real PostgreSQL)', () => {
  let tdb: TestDatabase;

  beforeAll(async () => {
    tdb = await createTestDatabase('pool');
  });
  afterAll(async () => {
    await tdb.drop();
  });

  const open = async () =>
    Number(
      (
        await queryTestDatabase<{ n: string }>(
          tdb.url,
          `SELECT count(*)::text AS n FROM pg_stat_activity
           WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        )
      )[0]!.n,
    );

  it('warm() opens the whole pool at once, and the connections stay open while idle', async () => {
    const db = Database.connect(tdb.url, { poolSize: 4 });
    try {
      expect(await open()).toBe(0);
      await db.warm();
      expect(await open()).toBe(4);
      // Queries reuse them: none opened, none closed.
      await Promise.all(Array.from({ length: 12 }, () => db.ping()));
      expect(await open()).toBe(4);
    } finally {
      await db.close();
    }
    // Closing ends them (a backend leaves pg_stat_activity a moment after its client).
    for (let i = 0; i < 50 && (await open()) > 0; i++) await new Promise((r) => setTimeout(r, 40));
    expect(await open()).toBe(0);
  });

  it('warm() on a database that cannot be reached fails with the reason', async () => {
    const url = new URL(tdb.url);
    url.port = '1';
    const db = Database.connect(url.toString(), { poolSize: 2 });
    try {
      await expect(db.warm()).rejects.toThrow(/ECONNREFUSED|connect/);
    } finally {
      await db.close();
    }
  });
});
