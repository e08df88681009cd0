// The Node.js version the README states must satisfy the engines of everything the lockfile
// installs (issue 18 item 12: `npm ci` printed EBADENGINE while the README said 20.19+). The one
// exception is listed in the README with its reason.
const fs = require('node:fs');
const path = require('node:path');
const semver = require('semver');

const root = path.join(__dirname, '..');
const read = (f) => fs.readFileSync(path.join(root, f), 'utf8');

/** Packages allowed to want a newer Node, each named in the README's requirements. */
const EXCEPTIONS = ['@prisma/streams-local'];

describe('engines', () => {
  const pkg = JSON.parse(read('package.json'));
  const lock = JSON.parse(read('package-lock.json'));
  const readme = read('README.md');
  const stated = /Node\.js (\d+\.\d+)\+/.exec(readme)?.[1];
  const min = `${stated}.0`;

  it('the README and package.json state the same minimum', () => {
    expect(stated).toBeDefined();
    expect(semver.minVersion(pkg.engines.node).version).toBe(min);
  });

  it('every installed package accepts that minimum (else it is a documented exception)', () => {
    const bad = [];
    for (const [where, p] of Object.entries(lock.packages)) {
      const range = p.engines && p.engines.node;
      if (!where || !range || !semver.validRange(range)) continue;
      if (semver.satisfies(min, range)) continue;
      const name = where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
      if (EXCEPTIONS.includes(name)) continue;
      bad.push(`${name}@${p.version} wants node ${range}`);
    }
    expect(bad).toEqual([]);
  });

  it('each exception is explained in the README', () => {
    for (const name of EXCEPTIONS) expect(readme).toContain(name);
  });
});

describe('scripts/link-bins.mjs', () => {
  it('links every bin a workspace declares (name, workspace and file)', () => {
    const text = read('scripts/link-bins.mjs');
    const workspaces = [...pkg().workspaces].flatMap((w) => {
      const dir = w.replace('/*', '');
      return fs.readdirSync(path.join(root, dir)).map((d) => `${dir}/${d}`);
    });
    const declared = [];
    for (const dir of workspaces) {
      const file = path.join(root, dir, 'package.json');
      if (!fs.existsSync(file)) continue;
      const ws = JSON.parse(fs.readFileSync(file, 'utf8'));
      for (const [bin, target] of Object.entries(ws.bin ?? {}))
        declared.push(`'${bin}': { workspace: '${ws.name}', file: '${dir}/${target}' }`);
    }
    expect(declared.length).toBeGreaterThanOrEqual(2);
    for (const d of declared) expect(text).toContain(d);
  });
});

function pkg() {
  return JSON.parse(read('package.json'));
}
