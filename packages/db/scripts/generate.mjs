// Generate the Prisma client from prisma/schema.prisma, offline.
// The Prisma 7 CLI wants a native schema-engine binary it would download; generating the client
// does not use it, so we point it at an existing executable (node itself) to skip the download.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('prisma/package.json')), 'build/index.js');
const schema = resolve(here, '../../../prisma/schema.prisma');

const r = spawnSync(process.execPath, [cli, 'generate', '--schema', schema], {
  cwd: resolve(here, '..'),
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
process.exit(r.status ?? 1);
