const path = require('node:path');
const { projects } = require('../../jest.preset.cjs');

// Unit tests run in jsdom (components with Testing Library); files under scripts/ and pure
// modules may ask for `@jest-environment node` in their docblock. End-to-end tests drive the
// built app in real headless Chromium.
module.exports = {
  projects: projects(__dirname, {
    unit: {
      testEnvironment: path.join(__dirname, 'test/jsdom-environment.cjs'),
      setupFilesAfterEnv: [path.join(__dirname, 'test/setup-dom.ts')],
      moduleNameMapper: {
        '^@plumbline/([a-z-]+)$': path.join(__dirname, '../../packages/$1/src/index.ts'),
        '^(\\.{1,2}/.*)\\.js$': '$1',
        '\\.css$': path.join(__dirname, 'test/style-stub.cjs'),
      },
    },
  }),
};
