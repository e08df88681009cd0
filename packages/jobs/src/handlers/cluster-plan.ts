import { createHash } from 'node:crypto';
import { analyzeWithNetpol } from '@plumbline/analysis';
import {
  costAssumptionOverridesSchema,
  DEFAULT_SNAPSHOT_LIMITS,
  isPlanPillar,
  isPolicyDialect,
  planEffortOverridesSchema,
  type AnalysisResult,
  type PlanBody,
  type PlanVerification,
  type SnapshotLimits,
  scanSummarySchema,
} from '@plumbline/contracts';
import type { Database, PlanOutcomeRow } from '@plumbline/db';
import { bundleFiles, planAndVerify, storedVerification, type PlanOutcome } from '@plumbline/plan';
import { zipSync, type Zippable } from 'fflate';
import { PermanentJobError, type JobContext, type JobHandler } from '../port.js';
import {
  decodeLockMs,
  evidenceSource,
  objectCount,
  readSnapshot,
  type EvidenceSource,
} from './snapshot-analyze.js';

/** Why a plan was not computed for a snapshot without workloads. */
export const NO_WORKLOADS =
  "the scan holds no workloads: a plan needs the cluster's Deployments, StatefulSets, DaemonSets or Pods";

/** The folder inside the zip: unzip, review, `kubectl apply -k <folder>`. */
export function bundleFolder(
  clusterName: string,
  target: { level: number; pillar: string | null },
) {
  const slug =
    clusterName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'cluster';
  return `plumbline-plan-${slug}-${target.pillar ? `${target.pillar}-` : ''}level-${target.level}`;
}

/**
 * The zip of the bundle folder: every file of `bundleFiles` under one folder, dated `mtime` (the
 * plan's creation), so the same plan always gives the same bytes.
 */
export function zipBundle(
  folder: string,
  files: readonly { path: string; text: string }[],
  mtime: Date,
) {
  const tree: Zippable = {};
  const enc = new TextEncoder();
  for (const f of files) tree[`${folder}/${f.path}`] = [enc.encode(f.text), { mtime, level: 6 }];
  const zip = zipSync(tree);
  return {
    zip: new Uint8Array(zip),
    sha256: createHash('sha256').update(zip).digest('hex'),
    files: files.length,
  };
}

/** The stored row for a plan outcome. The type annotations keep packages/plan and the contracts in step. */
export function outcomeRow(outcome: PlanOutcome, folder: string, mtime: Date): PlanOutcomeRow {
  const plan: PlanBody = outcome.plan;
  if (outcome.status === 'unreachable')
    return { status: 'unreachable', reason: outcome.plan.reason, plan, verification: null };
  const verification: PlanVerification | null = storedVerification(outcome.verification);
  if (outcome.status === 'refused')
    return {
      status: 'refused',
      reason: `the generated bundle failed its own verification, so it is not offered: ${outcome.verification.problems.join('; ')}`,
      plan,
      verification,
    };
  if (outcome.plan.alreadyMet) return { status: 'ready', plan, verification, bundle: null };
  const zipped = zipBundle(folder, bundleFiles(outcome), mtime);
  return {
    status: 'ready',
    plan,
    verification,
    bundle: { ...zipped, objects: outcome.bundle?.objects.length ?? 0 },
  };
}

/**
 * The criterion and cap ids an organisation's active risk acceptances cover for one scan: criterion
 * acceptances by id, finding acceptances (`maturity/<finding>`) by the criterion the finding
 * comes from. Accountability findings do not bear on maturity plans.
 */
export function acceptedRequirements(
  acceptances: readonly { kind: string; targetId: string }[],
  analysis: AnalysisResult,
): string[] {
  const out = new Set<string>();
  for (const a of acceptances) {
    if (a.kind === 'criterion') out.add(a.targetId);
    else if (a.kind === 'finding' && a.targetId.startsWith('maturity/')) {
      const id = a.targetId.slice('maturity/'.length);
      const f = analysis.steps.maturity.findings.find((x) => x.id === id);
      if (f) out.add(f.source);
    }
  }
  return [...out].sort();
}

/**
 * Compute one stored plan: the plan to its target on its scan, with the organisation's evidence,
 * cost assumptions and effort overrides; the bundle is verified by re-analysis and zipped, and
 * offered only when it passed. Re-running it is safe: the row is overwritten.
 */
export async function computePlan(
  db: Database,
  organizationId: string,
  planId: string,
  ctx: Pick<JobContext, 'log' | 'extendLock'>,
  evidence: EvidenceSource = evidenceSource(db),
  limits: SnapshotLimits = DEFAULT_SNAPSHOT_LIMITS,
  now: () => Date = () => new Date(),
): Promise<PlanOutcomeRow['status']> {
  const row = await db.plans.get(organizationId, planId);
  if (!row) throw new PermanentJobError(`plan ${planId} not found`);
  const stored = await db.plans.currentEffort(organizationId);
  const effort = planEffortOverridesSchema.safeParse(stored.values);
  if (!effort.success)
    throw new PermanentJobError('the organisation’s stored effort overrides are not valid');
  const costs = costAssumptionOverridesSchema.safeParse(
    await db.rollups.costAssumptions(organizationId),
  );
  if (!costs.success)
    throw new PermanentJobError('the organisation’s stored cost assumptions are not valid');
  await db.plans.markRunning(organizationId, planId, stored.version);
  const scan = await db.scans.get(organizationId, row.scanId);
  const blob = await db.scans.getSnapshotBlob(organizationId, row.scanId);
  if (!scan || !blob) throw new PermanentJobError(`the snapshot of scan ${row.scanId} is gone`);
  await ctx.extendLock?.(decodeLockMs(blob.gzip));
  const snapshot = readSnapshot(blob.gzip, {
    trustedHash: scan.contentHash,
    trustedStoredHash: blob.gzipSha256,
    maxDecompressedBytes: limits.maxDecompressedBytes,
  });
  const pillar = row.targetPillar;
  if (pillar !== null && !isPlanPillar(pillar))
    throw new PermanentJobError(`unknown pillar ${pillar}`);
  const target = { level: row.targetLevel, pillar };
  if (!snapshot.workloads.length) {
    await db.plans.complete(organizationId, planId, {
      status: 'unreachable',
      reason: NO_WORKLOADS,
      plan: null,
      verification: null,
    });
    return 'unreachable';
  }
  const uploads = await evidence(organizationId);
  const acceptances = await db.riskAcceptances.active(organizationId, row.clusterId, now());
  // Analysis, search and verification are synchronous: hold the lock for them, with nothing
  // awaited in between (the queue's renewal, run whenever this process waits, would shorten it).
  await ctx.extendLock?.(60_000 + 3 * objectCount(snapshot));
  const { result: analysis, netpol } = analyzeWithNetpol({
    snapshot,
    evidence: uploads,
    assumptions: costs.data,
  });
  const accepted = acceptedRequirements(acceptances, analysis);
  const outcome = planAndVerify({
    snapshot,
    analysis,
    target,
    effort: effort.data,
    assumptions: costs.data,
    netpolEngine: netpol.engine,
    accepted,
    dialect: isPolicyDialect(row.policyDialect) ? row.policyDialect : 'kubernetes',
    evidence: uploads,
  });
  const out = outcomeRow(outcome, bundleFolder(row.cluster.name, target), row.createdAt);
  await db.plans.complete(organizationId, planId, out);
  ctx.log.info(
    {
      organizationId,
      planId,
      status: out.status,
      steps: outcome.plan.reachable ? outcome.plan.steps.length : 0,
      bundleBytes: out.status === 'ready' ? (out.bundle?.zip.byteLength ?? 0) : 0,
    },
    'plan computed',
  );
  return out.status;
}

/**
 * The plan to the next level of each listed cluster on its newest analysed scan (what the
 * report's "What to do first" and roadmap page print): a stored one computed with the current
 * effort overrides is reused, otherwise one is computed here and stored like a requested plan.
 * Clusters without an analysed scan, without workloads or at level 4 get none.
 */
export async function ensureNextLevelPlans(
  db: Database,
  organizationId: string,
  clusterIds: readonly string[],
  ctx: Pick<JobContext, 'log' | 'extendLock'>,
  evidence: EvidenceSource = evidenceSource(db),
  limits: SnapshotLimits = DEFAULT_SNAPSHOT_LIMITS,
): Promise<void> {
  // A stored plan is reused only when computed with today's effort table, cost assumptions and
  // accepted risks.
  const changes = [
    (await db.rollups.currentAssumptions(organizationId)).createdAt,
    await db.riskAcceptances.lastChange(organizationId, new Date()),
  ].filter((d): d is Date => d !== null);
  const current = {
    effortVersion: (await db.plans.currentEffort(organizationId)).version,
    notBefore: changes.length ? new Date(Math.max(...changes.map((d) => d.getTime()))) : null,
  };
  for (const clusterId of clusterIds) {
    const basis = await db.plans.basis(organizationId, clusterId);
    if (!basis || basis.workloads === 0) continue;
    const summary = scanSummarySchema.safeParse(basis.summary);
    if (!summary.success || summary.data.maturity.level >= 4) continue;
    const level = summary.data.maturity.level + 1;
    if (await db.plans.nextLevel(organizationId, basis.id, level, current)) continue;
    const row = await db.plans.create(organizationId, {
      clusterId,
      scanId: basis.id,
      targetLevel: level,
      targetPillar: null,
      requestedById: null,
    });
    try {
      await computePlan(db, organizationId, row.id, ctx, evidence, limits);
    } catch (e) {
      await db.plans.fail(organizationId, row.id, (e as Error).message);
      ctx.log.warn(
        { organizationId, clusterId, err: (e as Error).message },
        'plan for the report failed',
      );
    }
  }
}

/** cluster.plan: compute a requested plan (computePlan). */
export function clusterPlanHandler(
  db: Database,
  limits: SnapshotLimits = DEFAULT_SNAPSHOT_LIMITS,
): JobHandler<'cluster.plan'> {
  const evidence = evidenceSource(db);
  return {
    name: 'cluster.plan',
    async run({ payload }, ctx) {
      await computePlan(db, payload.organizationId, payload.planId, ctx, evidence, limits);
    },
    async onFinalFailure({ payload }, error) {
      await db.plans.fail(payload.organizationId, payload.planId, error.message);
    },
  };
}
