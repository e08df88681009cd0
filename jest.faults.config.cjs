// The fault suite (`npm run test:faults`, part of `npm test`): built worker processes, the API
// in-process, real PostgreSQL and a PRIVATE redis-server per test file (started on a free port
// and killed on purpose; the shared Redis on 6379 is never touched). Needs `npm run build`.
const path = require('node:path');
const { base } = require('./jest.preset.cjs');

module.exports = {
  ...base('faults', ['<rootDir>/apps/*/faults/**/*.fault.test.ts'], {
    rootDir: __dirname,
    globalSetup: path.join(__dirname, 'scripts/jest-services-check.cjs'),
    testTimeout: 240_000,
  }),
};
