import {
  ACCOUNTABILITY_PILLARS,
  MATURITY_PILLARS,
  describeIssues,
  isAccountabilityPillar,
  isPlanPillar,
  isPolicyDialect,
  planEffortOverridesSchema,
  POLICY_DIALECTS,
  type CostAssumptionOverrides,
  type PlanEffortOverrides,
  type PlanPillarId,
} from '@plumbline/contracts';
import { bundleFiles, planAndVerify, type PlanOutcome } from '@plumbline/plan';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { analyzeWithNetpol } from '@plumbline/analysis';
import { readAssumptions } from './analyze.js';
import { readFolder } from './offline-input.js';
import type { Reporter } from './output.js';
import { EXIT } from './scan.js';

/**
 * `plumbline-scanner plan`: the smallest plan from a scanned folder to a target level, and the
 * kustomize-ready bundle of its generated objects, written only when it passed its own
 * verification (docs/cli.md). Its own exit codes are EXIT.planUnreachable, EXIT.planRefused and
 * EXIT.planNoWorkloads (scan.ts, the one table of the scanner's exit codes).
 */

export interface PlanOptions {
  fromDir?: string[];
  /** Per-file size limit for the folders (bytes, or 32M / 1G), as for `scan`. */
  maxFileSize?: string;
  /** Go on when the folders hold no Kubernetes object (then: no workloads). */
  allowEmpty?: boolean;
  targetLevel?: string;
  pillar?: string;
  /** Language of the generated network policies: kubernetes (default), calico or cilium. */
  dialect?: string;
  out?: string;
  clusterName?: string;
  clusterId?: string;
  assumptions?: string;
  effort?: string;
  format?: string;
}

export interface PlanIo {
  reporter: Reporter;
  stdout: (text: string) => void;
  scanner: { name: string; version: string };
}

function readJsonFile<T>(
  file: string,
  what: string,
  parse: (text: string) => { ok: true; value: T } | { ok: false; problems: string[] },
  reporter: Reporter,
): { ok: true; value: T } | { ok: false; code: number } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    reporter.error(`cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    return { ok: false, code: EXIT.input };
  }
  const r = parse(text);
  if (r.ok) return r;
  reporter.error(`${what} ${file} is not valid`, { problems: r.problems });
  return { ok: false, code: EXIT.usage };
}

export function readEffort(
  text: string,
): { ok: true; value: PlanEffortOverrides } | { ok: false; problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [`not valid JSON: ${(e as Error).message}`] };
  }
  const r = planEffortOverridesSchema.safeParse(json);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, problems: describeIssues(r.error).map((i) => `${i.path}: ${i.message}`) };
}

export function runPlan(opts: PlanOptions, io: PlanIo): number {
  const { reporter } = io;
  const dirs = opts.fromDir ?? [];
  if (!dirs.length) {
    reporter.error('plan needs --from-dir DIR (the manifests to plan for)');
    return EXIT.usage;
  }
  if (!opts.out) {
    reporter.error('plan needs --out BUNDLE_DIR (a new or empty folder for the bundle)');
    return EXIT.usage;
  }
  const format = opts.format ?? 'table';
  if (format !== 'table' && format !== 'json') {
    reporter.error(`--format must be json or table, got "${format}"`);
    return EXIT.usage;
  }
  let pillar: PlanPillarId | null = null;
  if (opts.pillar !== undefined) {
    if (!isPlanPillar(opts.pillar)) {
      reporter.error(
        `unknown pillar "${opts.pillar}": one of ${MATURITY_PILLARS.join(', ')} (operational maturity) or ${ACCOUNTABILITY_PILLARS.join(', ')} (AI-agent accountability)`,
      );
      return EXIT.usage;
    }
    pillar = opts.pillar;
  }
  const dialect = opts.dialect ?? 'kubernetes';
  if (!isPolicyDialect(dialect)) {
    reporter.error(`--dialect must be one of ${POLICY_DIALECTS.join(', ')}, got "${dialect}"`);
    return EXIT.usage;
  }
  let level: number | null = null;
  if (opts.targetLevel !== undefined) {
    if (!/^[1-4]$/.test(opts.targetLevel.trim())) {
      reporter.error(`--target-level must be a level from 1 to 4, got "${opts.targetLevel}"`);
      return EXIT.usage;
    }
    level = Number(opts.targetLevel);
  }
  for (const d of dirs)
    if (!existsSync(d) || !statSync(d).isDirectory()) {
      reporter.error(`--from-dir ${d} is not a readable folder`);
      return EXIT.input;
    }
  if (existsSync(opts.out) && (!statSync(opts.out).isDirectory() || readdirSync(opts.out).length)) {
    reporter.error(`--out ${opts.out} exists and is not an empty folder; the bundle needs its own`);
    return EXIT.output;
  }
  let assumptions: CostAssumptionOverrides = {};
  if (opts.assumptions) {
    const r = readJsonFile(opts.assumptions, '--assumptions', readAssumptions, reporter);
    if (!r.ok) return r.code;
    assumptions = r.value;
  }
  let effort: PlanEffortOverrides = {};
  if (opts.effort) {
    const r = readJsonFile(opts.effort, '--effort', readEffort, reporter);
    if (!r.ok) return r.code;
    effort = r.value;
  }

  const read = readFolder(
    {
      dir: dirs[0]!,
      extraDirs: dirs.slice(1),
      scanner: io.scanner,
      collectedAt: '1970-01-01T00:00:00.000Z',
      clusterName: opts.clusterName,
      clusterId: opts.clusterId,
      includeSecretMetadata: false,
      fingerprintKey: randomBytes(32),
      maxFileSize: opts.maxFileSize,
      allowEmpty: opts.allowEmpty,
    },
    reporter,
  );
  if ('code' in read) return read.code;
  const { snapshot } = read;
  if (!snapshot.workloads.length) {
    reporter.error(
      `no workloads in ${dirs.join(', ')}: a plan needs the cluster's Deployments, StatefulSets, DaemonSets or Pods`,
    );
    return EXIT.planNoWorkloads;
  }
  const { result: analysis, netpol } = analyzeWithNetpol({ snapshot, assumptions });
  const current =
    pillar && isAccountabilityPillar(pillar)
      ? (analysis.steps.agents.pillars.find((p) => p.pillar === pillar)?.level ?? 0)
      : pillar
        ? analysis.steps.maturity.pillars.find((p) => p.id === pillar)!.level
        : analysis.steps.maturity.level;
  if (level === null) {
    if (current >= 4) {
      reporter.info(
        `${pillar ?? 'the cluster'} is already at level 4: there is no next level to plan for`,
      );
      return EXIT.ok;
    }
    level = current + 1;
  }
  const outcome = planAndVerify({
    snapshot,
    analysis,
    target: { level, pillar },
    effort,
    assumptions,
    netpolEngine: netpol.engine,
    dialect,
  });
  return report(outcome, opts.out, format, io);
}

function report(outcome: PlanOutcome, out: string, format: string, io: PlanIo): number {
  const { reporter } = io;
  if (outcome.status === 'unreachable') {
    reporter.error(outcome.plan.reason, {
      blockers: outcome.plan.blockers.map((b) => `${b.id}: ${b.reason}`),
    });
    if (format === 'json')
      io.stdout(JSON.stringify({ status: outcome.status, plan: outcome.plan }, null, 2) + '\n');
    return EXIT.planUnreachable;
  }
  if (outcome.status === 'refused') {
    reporter.error('the generated bundle failed its own verification; nothing was written', {
      problems: outcome.verification.problems,
    });
    return EXIT.planRefused;
  }
  const { plan, bundle, verification } = outcome;
  const target = plan.target.pillar;
  if (plan.alreadyMet) {
    reporter.info(`the target is already met (level ${plan.from.level}): nothing to write`);
    return EXIT.ok;
  }
  const written: string[] = [];
  try {
    mkdirSync(out, { recursive: true });
    const write = (file: string, text: string) => {
      mkdirSync(dirname(join(out, file)), { recursive: true });
      writeFileSync(join(out, file), text);
      written.push(file);
    };
    for (const f of bundleFiles(outcome)) write(f.path, f.text);
  } catch (e) {
    reporter.error(`cannot write the bundle to ${out}: ${(e as Error).message}`);
    return EXIT.output;
  }
  const generated = plan.steps.filter((s) => s.kind === 'generated').length;
  if (format === 'json')
    io.stdout(JSON.stringify({ status: outcome.status, plan, files: written }, null, 2) + '\n');
  else
    io.stdout(
      [
        `plan to level ${plan.target.level}${plan.target.pillar ? ` (${plan.target.pillar})` : ''}: ${plan.steps.length} steps, ${plan.hours} h`,
        ...plan.steps.map(
          (s, i) =>
            `  ${i + 1}. [${s.kind}] ${s.title} (${s.hours} h) -> ${target ? `${target} level ${isAccountabilityPillar(target) ? (s.after.agents?.[target] ?? 0) : s.after.pillars[target]}` : `level ${s.after.level}`}`,
        ),
        bundle && verification
          ? `bundle: ${bundle.objects.length} objects in ${out}; verified: levels ${Object.values(verification.reached).join('/')}${verification.agents ? `, accountability ${ACCOUNTABILITY_PILLARS.map((p) => `${p} ${verification.agents!.reached[p]}`).join(', ')}` : ''} as promised, ${verification.connectivity.cut.length} Service connections cut of ${verification.connectivity.checked} checked`
          : `no generated objects (manual steps only): README.md and plan.json in ${out}`,
      ].join('\n') + '\n',
    );
  if (!generated)
    reporter.warn('every step of this plan is manual: the folder holds the plan, no manifests');
  return EXIT.ok;
}
