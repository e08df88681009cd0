// Jest globalSetup for integration and e2e tiers: the real services must be up.
// A missing service is a failure with a clear message, never a silent skip.
const { Client } = require('pg');
const Redis = require('ioredis');

const PG = process.env.TEST_DATABASE_ADMIN_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

module.exports = async function checkServices() {
  const problems = [];
  const pg = new Client({ connectionString: PG, connectionTimeoutMillis: 3000 });
  try {
    await pg.connect();
    await pg.query('SELECT 1');
  } catch (e) {
    problems.push(
      `PostgreSQL is not reachable at ${PG.replace(/:[^:@/]*@/, ':***@')} (${e.message}). ` +
        `Start it (pg_ctlcluster --skip-systemctl-redirect <version> main start) or set TEST_DATABASE_ADMIN_URL.`,
    );
  } finally {
    await pg.end().catch(() => undefined);
  }
  const redis = new Redis(REDIS, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 3000,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    problems.push(
      `Redis is not reachable at ${REDIS} (${e.message}). ` +
        `Start it (redis-server --daemonize yes --port 6379 --save '' --appendonly no) or set TEST_REDIS_URL.`,
    );
  } finally {
    redis.disconnect();
  }
  if (problems.length) {
    throw new Error(`Integration tests need real services:\n  - ${problems.join('\n  - ')}`);
  }
};
