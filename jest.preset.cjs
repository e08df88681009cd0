// Shared Jest setup for every workspace. Tests are split into tiers by file name:
//   *.test.ts(x)      unit         (pure code, no services)
//   *.int.test.ts     integration  (real PostgreSQL + Redis)
//   *.e2e.test.ts     end-to-end   (built apps, real headless Chromium)
const path = require('node:path');

const root = __dirname;

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true, tsx: true },
      transform: {
        legacyDecorator: true,
        decoratorMetadata: true,
        react: { runtime: 'automatic' },
      },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

function base(displayName, testMatch, extra = {}) {
  return {
    displayName,
    testMatch,
    testEnvironment: 'node',
    transform: { '^.+\\.(t|j|mj)sx?$': swc },
    transformIgnorePatterns: [
      '/node_modules/(?!(@nestjs|uid|@kubernetes/client-node|openid-client|oauth4webapi|jose|jsonpath-plus|socks-proxy-agent|agent-base|rfc4648|file-type|strtok3|token-types|@tokenizer|uint8array-extras)/)',
    ],
    moduleNameMapper: {
      '^@plumbline/([a-z-]+)$': path.join(root, 'packages/$1/src/index.ts'),
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    ...extra,
  };
}

/** Build the `projects` list for a workspace's jest.config.cjs. */
function projects(rootDir, opts = {}) {
  const list = [
    base(
      'unit',
      [
        '<rootDir>/src/**/*.test.ts?(x)',
        '<rootDir>/scripts/**/*.test.ts',
        '<rootDir>/test/**/*.test.ts',
      ],
      {
        rootDir,
        testPathIgnorePatterns: [
          '/node_modules/',
          '/dist/',
          '\\.int\\.test\\.',
          '\\.e2e\\.test\\.',
        ],
      },
    ),
    base('integration', ['<rootDir>/**/*.int.test.ts'], {
      rootDir,
      globalSetup: path.join(root, 'scripts/jest-services-check.cjs'),
      setupFilesAfterEnv: [path.join(root, 'scripts/jest-timeout-integration.cjs')],
    }),
    base('e2e', ['<rootDir>/**/*.e2e.test.ts'], {
      rootDir,
      globalSetup: path.join(root, 'scripts/jest-services-check.cjs'),
      setupFilesAfterEnv: [path.join(root, 'scripts/jest-timeout-e2e.cjs')],
    }),
  ];
  return list.map((p) => ({ ...p, ...(opts[p.displayName] ?? {}) }));
}

module.exports = { projects, base, swc, root };
