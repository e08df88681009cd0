import { ConfigError } from '@plumbline/config';
import { healthcheck, loadWorkerEnv, startWorker } from './boot.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  let env;
  try {
    env = loadWorkerEnv();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`plumbline-worker: ${e.message}\n`);
      process.exit(78);
    }
    throw e;
  }
  if (process.argv.includes('--healthcheck')) {
    process.exit(await healthcheck(env, (l) => process.stdout.write(`${l}\n`)));
  }
  const logger = createLogger(env.LOG_LEVEL);
  await startWorker(env, logger);
}

main().catch((e: unknown) => {
  process.stderr.write(`plumbline-worker failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
