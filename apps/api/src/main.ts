import { ConfigError, loadEnv, redactUrl } from '@plumbline/config';
import { createApp } from './app.js';
import { createLogger } from './common/logger.js';

async function main(): Promise<void> {
  let env;
  try {
    env = loadEnv('api');
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`plumbline-api: ${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const logger = createLogger(env.LOG_LEVEL, 'plumbline-api');
  const app = await createApp(env, logger);
  // Nest's shutdown hooks (see createApp) stop accepting connections, wait for in-flight
  // requests and in-process jobs, close the queue and the database, then exit 0. This bounds it.
  const grace = env.SHUTDOWN_GRACE_MS;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal, graceMs: grace }, 'api stopping: finishing in-flight requests');
      setTimeout(() => {
        logger.error({ graceMs: grace }, 'api did not stop within the grace period; exiting');
        process.exit(1);
      }, grace).unref();
    });
  }
  await app.listen(env.API_PORT, env.API_HOST);
  logger.info(
    {
      url: `http://${env.API_HOST}:${env.API_PORT}`,
      database: redactUrl(env.DATABASE_URL),
      queueMode: env.REDIS_URL ? 'redis' : 'in-process',
      web: env.WEB_DIST_DIR ?? null,
    },
    'api listening',
  );
}

main().catch((e: unknown) => {
  process.stderr.write(
    `plumbline-api failed to start: ${e instanceof Error ? e.stack : String(e)}\n`,
  );
  process.exit(1);
});
