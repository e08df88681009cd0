// Proves the architecture check can fail: each rule is broken once in a throwaway repo.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { checkRepo } = require('./check-deps.cjs');

function repo(files) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'check-deps-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(
      path.join(root, file),
      typeof content === 'string' ? content : JSON.stringify(content),
    );
  }
  return root;
}
const pkg = (name, deps = {}) => ({ name, dependencies: deps });

describe('check-deps', () => {
  it('passes a clean repo (and the real one)', () => {
    const root = repo({
      'packages/contracts/package.json': pkg('@plumbline/contracts'),
      'packages/contracts/src/index.ts': "export * from './a.js';",
      'packages/contracts/src/a.ts': 'export const a = 1;',
      'apps/api/package.json': pkg('@plumbline/api', { '@plumbline/contracts': '0.1.0' }),
      'apps/api/src/main.ts': "import { a } from '@plumbline/contracts';",
    });
    expect(checkRepo(root)).toEqual([]);
    expect(checkRepo(path.join(__dirname, '..'))).toEqual([]);
  });

  it('finds a file import cycle', () => {
    const root = repo({
      'packages/contracts/package.json': pkg('@plumbline/contracts'),
      'packages/contracts/src/a.ts': "import { b } from './b.js'; export const a = b;",
      'packages/contracts/src/b.ts': "import { a } from './a.js'; export const b = a;",
    });
    expect(checkRepo(root).join('\n')).toMatch(/import cycle: .*a\.ts -> .*b\.ts -> .*a\.ts/);
  });

  it('finds an app importing an app, by name or by path', () => {
    const root = repo({
      'apps/api/package.json': pkg('@plumbline/api'),
      'apps/api/src/x.ts': 'export const x = 1;',
      'apps/worker/package.json': pkg('@plumbline/worker', { '@plumbline/api': '0.1.0' }),
      'apps/worker/src/main.ts':
        "import { x } from '@plumbline/api';\nimport { y } from '../../api/src/x.js';",
    });
    const problems = checkRepo(root).join('\n');
    expect(problems).toMatch(/depends on app @plumbline\/api/);
    expect(problems).toMatch(/imports app @plumbline\/api/);
    expect(problems).toMatch(/across a workspace boundary/);
  });

  it('finds a package cycle and a disallowed dependency', () => {
    const root = repo({
      'packages/contracts/package.json': pkg('@plumbline/contracts', { '@plumbline/config': '0' }),
      'packages/config/package.json': pkg('@plumbline/config', { '@plumbline/contracts': '0' }),
    });
    const problems = checkRepo(root).join('\n');
    expect(problems).toMatch(/package cycle/);
    expect(problems).toMatch(/@plumbline\/contracts may not depend on @plumbline\/config/);
  });

  it('keeps pure packages free of I/O, frameworks and the clock', () => {
    const root = repo({
      'packages/contracts/package.json': pkg('@plumbline/contracts'),
      'packages/analysis/package.json': pkg('@plumbline/analysis', { '@plumbline/contracts': '0' }),
      'packages/analysis/src/a.ts':
        "import { Injectable } from '@nestjs/common';\nexport const t = Date.now();",
    });
    const problems = checkRepo(root).join('\n');
    expect(problems).toMatch(/imports @nestjs\/common: @plumbline\/analysis must stay pure/);
    expect(problems).toMatch(/reads the clock/);
  });

  it('keeps Prisma inside @plumbline/db', () => {
    const root = repo({
      'apps/api/package.json': pkg('@plumbline/api'),
      'apps/api/src/a.ts': "import { PrismaClient } from '@prisma/client';",
    });
    expect(checkRepo(root).join('\n')).toMatch(/only @plumbline\/db may use Prisma/);
  });

  it('rejects undeclared and deep imports', () => {
    const root = repo({
      'packages/contracts/package.json': pkg('@plumbline/contracts'),
      'packages/config/package.json': pkg('@plumbline/config'),
      'packages/config/src/a.ts': "import { z } from '@plumbline/contracts/src/jobs';",
    });
    const problems = checkRepo(root).join('\n');
    expect(problems).toMatch(/not declared/);
    expect(problems).toMatch(/one public entry point/);
  });
});
