import {
  assessVmMigration,
  computeIntegrationTax,
  costInputOf,
  integrationTaxCents,
  type ClusterInput,
  type VmAssessment,
  type VmInventoryRow,
} from '@plumbline/cost';
import {
  DIGEST_VERSION,
  METHODOLOGY_VERSION,
  type Action,
  type AgentsOverview,
  type AgentsResult,
  type AnalysisResult,
  type ClusterDigest,
  type ClusterSnapshot,
  type CostAssumptionOverrides,
  type FleetCluster,
  type IntegrationTax,
  type Overview,
  type ProbeRun,
  type TrendPoint,
} from '@plumbline/contracts';
import { ACTION_ORDERING, rankActions } from './actions.js';
import { appendAnnotatedTrend, methodChanges, type TrendBasis } from './trends.js';
import { organisationAgents, organisationMaturity, type Answers, type OrgMaturity } from './org.js';

/**
 * The organisation roll-up as pure functions over stored per-scan digests: the worker stores one
 * digest per analysed scan (`clusterDigest`), and `rollupOrganisation` prices and aggregates the
 * newest digest of every cluster with the organisation's assumptions and self-assessment. No
 * snapshot is read here: an assumption or self-assessment change reprices from digests alone.
 */

/** Bump when the stored roll-up's shape changes; readers recompute older ones. */
export const ROLLUP_VERSION = 3 as const;

/** The digest stored with a scan's result (small: no snapshot objects but the tools' own). */
export function clusterDigest(result: AnalysisResult, snapshot: ClusterSnapshot): ClusterDigest {
  const steps = result.steps;
  return {
    digestVersion: DIGEST_VERSION,
    methodologyVersion: result.methodologyVersion,
    collectedAt: snapshot.collectedAt,
    replicas: snapshot.workloads.reduce((n, w) => n + (w.replicas ?? 1), 0),
    // Application replicas, as the criteria count them (all pods for results before it).
    coverage: steps.netpol.coverage.applications
      ? {
          ingress: steps.netpol.coverage.applications.ingress.percent,
          egress: steps.netpol.coverage.applications.egress.percent,
        }
      : {
          ingress: steps.netpol.coverage.ingress.percent,
          egress: steps.netpol.coverage.egress.percent,
        },
    detection: steps.detection,
    maturity: steps.maturity,
    agents: steps.agents,
    cost: costInputOf(snapshot, steps.detection),
    virtualMachines: snapshot.virtualMachines.filter((v) => v.kind === 'VirtualMachine'),
  };
}

/** Price one digest (C = 1) with the organisation's assumptions: the cluster's own tax. */
export function priceCluster(
  digest: Pick<ClusterDigest, 'cost' | 'detection'>,
  assumptions: CostAssumptionOverrides,
): IntegrationTax {
  return computeIntegrationTax([costInputFromDigest(digest)], assumptions);
}

function costInputFromDigest(
  digest: Pick<ClusterDigest, 'cost' | 'detection'>,
  name?: string,
): ClusterInput {
  const snapshot = {
    cluster: { nodeCount: digest.cost.nodeCount },
    workloads: digest.cost.workloads,
  };
  return name === undefined
    ? { snapshot, detection: digest.detection }
    : { snapshot, detection: digest.detection, name };
}

/** One cluster's newest analysed scan, as the roll-up reads it. */
export interface RollupInput {
  clusterId: string;
  name: string;
  production: boolean;
  scanId: string;
  scannedAt: string;
  digest: ClusterDigest;
}

export interface RollupCluster {
  clusterId: string;
  name: string;
  production: boolean;
  scanId: string;
  scannedAt: string;
  collectedAt: string;
  methodologyVersion: string;
  components: number;
  clusterTaxCents: number;
  maturity: {
    level: number;
    score: number;
    pillars: { id: string; name: string; level: number }[];
  };
  coverage: { ingress: number | null; egress: number | null };
  accountability: { status: AgentsResult['status']; level: number | null; agents: number };
  replicas: number;
}

/** An evidence upload the roll-up (and the analysis) could not use, and why. */
export interface SkippedEvidence {
  id: string;
  filename: string;
  reason: string;
}

/** What the evidence uploads contribute beyond the per-scan analysis. */
export interface EvidenceContext {
  probes: readonly ProbeRun[];
  vmRows: readonly VmInventoryRow[];
  /** Answers from an uploaded self-assessment file (the one answered in the app wins). */
  uploadedAnswers: Answers | null;
  /** Uploads counted on the overview (evidence files, the VM inventory as one). */
  uploads: number;
  skipped: readonly SkippedEvidence[];
}

export const NO_EVIDENCE: EvidenceContext = {
  probes: [],
  vmRows: [],
  uploadedAnswers: null,
  uploads: 0,
  skipped: [],
};

/** What the roll-up stores (OrgRollup.result) and the read models serve from. */
export interface OrgRollupResult {
  rollupVersion: typeof ROLLUP_VERSION;
  reason: string;
  clusters: RollupCluster[];
  /** Null until a cluster has an analysed scan. */
  integrationTax: IntegrationTax | null;
  maturity: OrgMaturity | null;
  agents: Omit<AgentsOverview, 'computedAt'>;
  selfAssessment: { id: string; createdAt: string } | null;
  actions: { ordering: string; items: Action[] };
  trends: TrendPoint[];
  vms: VmAssessment | null;
  evidenceUploads: number;
  /** Evidence uploads left out (unreadable or invalid), named so the overview can say so. */
  skippedEvidence: SkippedEvidence[];
}

export interface SelfAssessmentInput {
  id: string;
  createdAt: string;
  answers: Answers;
}

/** What the organisation's assumptions decide: the fleet's tax, each cluster's, the VM case. */
export interface OrgPricing {
  /** Null until a cluster has an analysed scan. */
  integrationTax: IntegrationTax | null;
  /** Each cluster's own tax (C = 1), by cluster id. */
  clusterTaxCents: Record<string, number>;
  vms: VmAssessment | null;
}

/**
 * Price the organisation from each cluster's newest digest: the fleet's integration tax (tools
 * and seams over all clusters, engineers once; never a sum of cluster taxes), each cluster's own
 * tax and the VM migration case. O(clusters) over small records; what an assumption edit
 * recomputes (the rest of the roll-up does not depend on the assumptions).
 */
export function priceOrganisation(
  results: readonly RollupInput[],
  assumptions: CostAssumptionOverrides,
  vmRows: readonly VmInventoryRow[] = [],
): OrgPricing {
  const fleet: ClusterInput[] = results.map((r) => costInputFromDigest(r.digest, r.name));
  const clusterTaxCents: Record<string, number> = {};
  results.forEach((r, i) => {
    clusterTaxCents[r.clusterId] = integrationTaxCents([fleet[i]!], assumptions);
  });
  return {
    integrationTax: fleet.length ? computeIntegrationTax(fleet, assumptions) : null,
    clusterTaxCents,
    vms:
      vmRows.length || results.some((r) => r.digest.virtualMachines.length)
        ? assessVmMigration(
            vmRows,
            results.map((r) => r.digest),
            assumptions,
          )
        : null,
  };
}

export interface RollupOptions {
  reason?: string;
  evidence?: EvidenceContext;
  previousTrends?: readonly TrendPoint[];
  /** What the previous roll-up was computed with (null: none, or unreadable). */
  previousBasis?: TrendBasis | null;
}

/**
 * The organisation's results from each cluster's newest digest: the fleet's integration tax
 * (tools and seams over all clusters, engineers once; never a sum of cluster taxes), each
 * cluster's own tax, maturity and accountability roll-ups, ranked actions and a trend point.
 * O(clusters) over small records.
 */
export function rollupOrganisation(
  results: readonly RollupInput[],
  assumptions: CostAssumptionOverrides,
  selfAssessment: SelfAssessmentInput | null,
  options: RollupOptions = {},
): OrgRollupResult {
  const evidence = options.evidence ?? NO_EVIDENCE;
  const { integrationTax, clusterTaxCents, vms } = priceOrganisation(
    results,
    assumptions,
    evidence.vmRows,
  );
  const clusters: RollupCluster[] = results.map((r) => {
    const d = r.digest;
    return {
      clusterId: r.clusterId,
      name: r.name,
      production: r.production,
      scanId: r.scanId,
      scannedAt: r.scannedAt,
      collectedAt: d.collectedAt,
      methodologyVersion: d.methodologyVersion,
      components: d.detection.components.filter((c) => c.status !== 'remnant').length,
      clusterTaxCents: clusterTaxCents[r.clusterId]!,
      maturity: {
        level: d.maturity.level,
        score: d.maturity.score,
        pillars: d.maturity.pillars.map((p) => ({ id: p.id, name: p.name, level: p.level })),
      },
      coverage: { ...d.coverage },
      accountability: {
        status: d.agents.status,
        level: d.agents.overall.level,
        agents: d.agents.summary.agents,
      },
      replicas: d.replicas,
    };
  });
  const maturity = organisationMaturity(
    clusters.map((c) => ({
      name: c.name,
      production: c.production,
      replicas: c.replicas,
      maturity: c.maturity,
    })),
  );
  const answers = selfAssessment?.answers ?? evidence.uploadedAnswers;
  const agents = organisationAgents(
    results.map((r) => ({ cluster: r.name, result: r.digest.agents })),
    answers,
    evidence.probes,
  );
  const actions = rankActions(
    results.map((r) => ({
      name: r.name,
      production: r.production,
      maturity: r.digest.maturity,
      agents: r.digest.agents,
    })),
    integrationTax,
  );
  const asOf = clusters
    .map((c) => c.collectedAt)
    .sort()
    .at(-1);
  // Each point names what changed in the method since the roll-up before (methodology, cost
  // model, assumptions edited), so an edit never reads as the fleet changing.
  const trends = asOf
    ? appendAnnotatedTrend(options.previousTrends ?? [], {
        at: asOf,
        maturityLevel: maturity?.level ?? null,
        maturityScore: maturity?.score ?? null,
        accountabilityLevel: agents.overall.level,
        taxCents: integrationTax?.totalCents ?? null,
        methodologyVersion: METHODOLOGY_VERSION,
        changes: methodChanges(options.previousBasis ?? null, {
          methodologyVersion: METHODOLOGY_VERSION,
          costModelVersion: integrationTax?.modelVersion ?? null,
          assumptions: integrationTax?.assumptions ?? null,
        }),
      })
    : [];
  return {
    rollupVersion: ROLLUP_VERSION,
    reason: options.reason ?? 'roll-up',
    clusters,
    integrationTax,
    maturity,
    agents,
    selfAssessment: selfAssessment
      ? { id: selfAssessment.id, createdAt: selfAssessment.createdAt }
      : null,
    actions: { ordering: ACTION_ORDERING, items: actions },
    trends,
    vms,
    evidenceUploads: evidence.uploads,
    skippedEvidence: [...evidence.skipped],
  };
}

/** The stored overview: the organisation's figures and the rolled-up clusters' rows. */
export type StoredOverview = Omit<
  Overview,
  'organization' | 'computedAt' | 'clusters' | 'rollup'
> & {
  clusters: Record<string, Omit<FleetCluster, 'name' | 'production' | 'lastScanAt' | 'status'>>;
  skippedEvidence: SkippedEvidence[];
};

/** The overview read model from a roll-up (names and live scan statuses are joined at read). */
export function overviewModel(rollup: OrgRollupResult): StoredOverview {
  const tax = rollup.integrationTax;
  const agents = rollup.agents;
  return {
    methodologyVersion: METHODOLOGY_VERSION,
    maturity: rollup.maturity,
    accountability: {
      status: agents.status,
      agents: agents.summary.agents,
      level: agents.overall.level,
      pillars: agents.pillars.map((p) => ({ id: p.pillar, name: p.name, level: p.level })),
      lowest: agents.overall.weakest,
    },
    integrationTax: tax ? taxSummary(tax) : null,
    trends: rollup.trends,
    topActions: rollup.actions.items.slice(0, 5),
    skippedEvidence: rollup.skippedEvidence,
    clusters: Object.fromEntries(
      rollup.clusters.map((r) => {
        const lowest = [...r.maturity.pillars].sort(
          (a, b) => a.level - b.level || a.id.localeCompare(b.id),
        )[0];
        return [
          r.clusterId,
          {
            id: r.clusterId,
            level: r.maturity.level,
            score: r.maturity.score,
            lowestPillar: lowest ?? null,
            coverage: r.coverage,
            accountabilityLevel: r.accountability.level,
            agents: r.accountability.agents,
            taxCents: r.clusterTaxCents,
            scanId: r.scanId,
          },
        ];
      }),
    ),
  };
}

/** The overview's summary of a tax: total, lines, counts, and what most of it is. */
export function taxSummary(tax: IntegrationTax): NonNullable<Overview['integrationTax']> {
  const biggest = [...tax.lines].sort((a, b) => b.cents - a.cents)[0];
  return {
    totalCents: tax.totalCents,
    components: tax.lines.map((l) => ({ id: l.id, label: l.label, cents: l.cents })),
    tools: tax.tools.length,
    seams: tax.seamCount,
    hides:
      biggest && tax.totalCents > 0
        ? `${Math.round((biggest.cents / tax.totalCents) * 100)}% of it is ${biggest.label.toLowerCase()}`
        : 'no integration tax computed',
  };
}
