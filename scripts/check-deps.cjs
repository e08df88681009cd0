#!/usr/bin/env node
// Architecture check: fails on import cycles, on an app importing another app, on imports that
// cross a workspace boundary by relative path, on undeclared or disallowed @plumbline/* imports,
// and on I/O, framework or clock use inside the pure domain packages.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/** Which @plumbline packages each package may use (apps may use any package, never an app). */
const ALLOWED = {
  contracts: [],
  config: ['contracts'],
  db: ['contracts', 'config'],
  // collector only as a devDependency: the truth-table test scans the shared fixtures.
  detection: ['contracts', 'collector'],
  // collector only as a devDependency: conformance tests read the shared fixtures.
  netpol: ['contracts', 'collector'],
  maturity: ['contracts', 'detection', 'netpol'],
  // collector only as a devDependency: tests scan the shared fixtures.
  agents: ['contracts', 'detection', 'netpol', 'collector'],
  // collector only as a devDependency: tests price real fixture stacks.
  cost: ['contracts', 'detection', 'collector'],
  // collector only as a devDependency: tests scan every shared fixture set for user-facing text.
  analysis: ['contracts', 'detection', 'netpol', 'maturity', 'agents', 'cost', 'collector'],
  // Read models: the stored roll-up and its views, the roll-up over digests, report data.
  'read-models': ['contracts', 'db', 'analysis', 'cost'],
  // collector and scenarios only as devDependencies: tests plan real fixture sets and generated clusters.
  // agents: plans for an accountability pillar assess the patched snapshot's agents.
  plan: [
    'contracts',
    'detection',
    'netpol',
    'maturity',
    'agents',
    'cost',
    'analysis',
    'collector',
    'scenarios',
  ],
  // collector: agentless scans (cluster.scan) run the live collection inside a job.
  jobs: ['contracts', 'db', 'analysis', 'cost', 'agents', 'collector', 'read-models', 'plan'],
  // kube-sim and scenarios only as devDependencies, for the live-collection tests.
  collector: ['contracts', 'kube-sim', 'scenarios'],
  scenarios: ['contracts'],
  'kube-sim': ['contracts', 'scenarios'],
  'stub-llm': ['contracts'],
};
/** Pure packages: no Nest, Prisma, HTTP, filesystem or clock. */
const PURE = new Set([
  'contracts',
  'detection',
  'netpol',
  'maturity',
  'agents',
  'cost',
  'analysis',
  'plan',
]);
const IMPURE_MODULES =
  /^(@nestjs\/|@prisma\/|express$|pg$|ioredis$|bullmq$|node:(http|https|net|fs|child_process)$|(http|https|net|fs|child_process)$)/;
const CLOCK = /\bDate\.now\(\)|\bnew Date\(\s*\)|\bperformance\.now\(\)/;

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const IMPORT_RE =
  /(?:^|[^\w.])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w.])import\s*['"]([^'"]+)['"]|(?:^|[^\w.])(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', 'generated', '.turbo', 'coverage'].includes(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (SOURCE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function imports(text) {
  const out = [];
  const stripped = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"])\/\/.*$/gm, '$1');
  for (const m of stripped.matchAll(IMPORT_RE)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

function resolveRelative(from, spec) {
  const base = path.resolve(path.dirname(from), spec.replace(/\.(js|mjs|cjs)$/, ''));
  const candidates = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs'].flatMap((ext) => [
    base + ext,
    path.join(base, 'index' + ext),
  ]);
  candidates.unshift(path.resolve(path.dirname(from), spec));
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile()) ?? null;
}

function findCycles(graph) {
  const cycles = [];
  const state = new Map();
  const stack = [];
  const visit = (n) => {
    state.set(n, 1);
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === 1) cycles.push([...stack.slice(stack.indexOf(m)), m]);
      else if (!state.get(m)) visit(m);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of [...graph.keys()].sort()) if (!state.get(n)) visit(n);
  return cycles;
}

function listWorkspaces(root) {
  const out = [];
  for (const kind of ['apps', 'packages']) {
    const dir = path.join(root, kind);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const pkgFile = path.join(dir, name, 'package.json');
      if (!fs.existsSync(pkgFile)) continue;
      const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
      out.push({ kind, name, dir: path.join(dir, name), pkg });
    }
  }
  return out;
}

function checkRepo(root) {
  const problems = [];
  const workspaces = listWorkspaces(root);
  const byPkgName = new Map(workspaces.map((w) => [w.pkg.name, w]));
  const pkgGraph = new Map();

  for (const ws of workspaces) {
    const rel = (f) => path.relative(root, f);
    const declared = { ...ws.pkg.dependencies, ...ws.pkg.devDependencies };
    const internal = Object.keys(declared).filter((d) => byPkgName.has(d));
    pkgGraph.set(ws.pkg.name, internal);
    for (const dep of internal) {
      const target = byPkgName.get(dep);
      if (target.kind === 'apps')
        problems.push(`${ws.pkg.name} depends on app ${dep}: apps are never imported`);
      else if (
        ws.kind === 'packages' &&
        ALLOWED[ws.name] &&
        !ALLOWED[ws.name].includes(target.name)
      ) {
        problems.push(
          `${ws.pkg.name} may not depend on ${dep} (allowed: ${ALLOWED[ws.name].join(', ') || 'none'})`,
        );
      }
    }
    if (ws.kind === 'packages' && !ALLOWED[ws.name]) {
      problems.push(
        `${ws.pkg.name} has no dependency rule: add it to ALLOWED in scripts/check-deps.cjs`,
      );
    }

    const files = walk(ws.dir);
    const fileGraph = new Map();
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const edges = [];
      for (const spec of imports(text)) {
        if (spec.startsWith('.')) {
          const target = resolveRelative(file, spec);
          if (!target) continue;
          const owner = workspaces.find((w) => target.startsWith(w.dir + path.sep));
          if (owner && owner !== ws) {
            problems.push(
              `${rel(file)} imports ${spec} across a workspace boundary; import the package by name`,
            );
          } else if (owner) edges.push(target);
        } else if (spec.startsWith('@plumbline/')) {
          const name = spec.split('/').slice(0, 2).join('/');
          const target = byPkgName.get(name);
          if (!target) problems.push(`${rel(file)} imports unknown workspace ${name}`);
          else if (target.kind === 'apps')
            problems.push(`${rel(file)} imports app ${name}: apps never import apps`);
          else if (!(name in declared))
            problems.push(
              `${rel(file)} imports ${name}, not declared in ${ws.pkg.name}'s package.json`,
            );
          if (spec !== name)
            problems.push(
              `${rel(file)} imports ${spec}: use the package's one public entry point (${name})`,
            );
        } else if (/^@prisma\/|^prisma$/.test(spec) && ws.pkg.name !== '@plumbline/db') {
          problems.push(`${rel(file)} imports ${spec}: only @plumbline/db may use Prisma`);
        } else if (ws.kind === 'packages' && PURE.has(ws.name) && IMPURE_MODULES.test(spec)) {
          if (!/\.test\.tsx?$/.test(file))
            problems.push(`${rel(file)} imports ${spec}: ${ws.pkg.name} must stay pure`);
        }
      }
      if (
        ws.kind === 'packages' &&
        PURE.has(ws.name) &&
        !/\.test\.tsx?$/.test(file) &&
        CLOCK.test(text)
      ) {
        problems.push(
          `${rel(file)} reads the clock: pass time in as an input (${ws.pkg.name} must stay pure)`,
        );
      }
      fileGraph.set(file, edges);
    }
    for (const cycle of findCycles(fileGraph)) {
      problems.push(`import cycle: ${cycle.map(rel).join(' -> ')}`);
    }
  }
  for (const cycle of findCycles(pkgGraph)) problems.push(`package cycle: ${cycle.join(' -> ')}`);
  return problems;
}

module.exports = { checkRepo, findCycles, imports };

if (require.main === module) {
  const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..'));
  const problems = checkRepo(root);
  if (problems.length) {
    process.stderr.write(
      `check-deps: ${problems.length} problem(s)\n  - ${problems.join('\n  - ')}\n`,
    );
    process.exit(1);
  }
  process.stdout.write(
    `check-deps: ${listWorkspaces(root).length} workspaces, no cycles, boundaries respected\n`,
  );
}
