// Repository-level checks (architecture rules, tooling scripts), run by `npm test`.
module.exports = {
  displayName: 'repo',
  rootDir: __dirname,
  testMatch: ['<rootDir>/scripts/**/*.test.cjs'],
  testEnvironment: 'node',
  transform: {},
};
