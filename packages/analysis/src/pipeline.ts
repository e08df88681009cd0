import {
  ANALYSIS_RESULT_VERSION,
  METHODOLOGY_VERSION,
  SNAPSHOT_OBJECT_LISTS,
  type AnalysisResult,
  type ClusterSnapshot,
  type DetectionResult,
  type IntegrationTax,
  type InventoryResult,
  type MaturityResult,
  type NetpolResult,
  type CostAssumptionOverrides,
  type AgentsResult,
  type EvidenceUpload,
} from '@plumbline/contracts';
import { assessAgents } from '@plumbline/agents';
import { computeIntegrationTax } from '@plumbline/cost';
import { detect } from '@plumbline/detection';
import { applicationCoverage, applicationNamespaces, assessMaturity } from '@plumbline/maturity';
import { analyzeNetworkPolicies, type NetpolAnalysis } from '@plumbline/netpol';

/**
 * The analysis pipeline: a registry of steps run in order. The CLI (`scan --analyze`) and the
 * worker both call analyze(), so they always agree. Steps are pure and deterministic; each sees
 * the input and the results of the steps before it. The NetworkPolicy, maturity, agents and
 * cost issues each register a step here.
 */

export interface AnalysisInput {
  snapshot: ClusterSnapshot;
  /** Validated evidence uploads (MCP configs, agent cards, traces, decision logs, probe reports,
   *  attestations, self-assessment answers): used by the agents step. */
  evidence?: readonly EvidenceUpload[];
  /** Organisation cost assumptions (validated overrides of the defaults): the cost step. */
  assumptions?: CostAssumptionOverrides;
}

/**
 * Working state of one analyze() call, shared by its steps and dropped with it: the
 * NetworkPolicy engine (it answers reachability questions) is built once by the netpol step and
 * reused by the agents step. A step run alone gets an empty one and computes what it needs.
 */
export interface StepScratch {
  netpol?: NetpolAnalysis;
  /** The application namespaces (netpol step), reused by the maturity step's facts. */
  appNamespaces?: string[];
}

export interface AnalysisStep<K extends string, R> {
  key: K;
  run(input: AnalysisInput, previous: Readonly<Record<string, unknown>>, scratch?: StepScratch): R;
}

/** Counts the objects of every list in the snapshot (keys sorted, so output is stable). */
export const inventoryStep: AnalysisStep<'inventory', InventoryResult> = {
  key: 'inventory',
  run({ snapshot }) {
    const counts: Record<string, number> = {
      configMaps: snapshot.config.configMaps.length,
      customResources: snapshot.config.customResources.length,
    };
    for (const list of SNAPSHOT_OBJECT_LISTS) counts[list] = snapshot[list].length;
    const resourceCounts: Record<string, number> = {};
    let totalObjects = 0;
    for (const key of Object.keys(counts).sort()) {
      resourceCounts[key] = counts[key]!;
      totalObjects += counts[key]!;
    }
    return { totalObjects, resourceCounts };
  },
};

/** Which networking, security and observability stack the cluster runs, with evidence. */
export const detectionStep: AnalysisStep<'detection', DetectionResult> = {
  key: 'detection',
  run({ snapshot }) {
    return detect(snapshot);
  },
};

/** NetworkPolicy analysis: isolation per workload, default-deny per namespace, coverage. */
export const netpolStep: AnalysisStep<'netpol', NetpolResult> = {
  key: 'netpol',
  run({ snapshot }, previous, scratch) {
    const detection = previous.detection as DetectionResult;
    const analysis = analyzeNetworkPolicies(snapshot, detection);
    if (scratch) scratch.netpol = analysis;
    // Application isolation: the one figure the criteria judge and the screens show first.
    const result = analysis.result;
    const namespaces = applicationNamespaces(snapshot, detection);
    if (scratch) scratch.appNamespaces = namespaces;
    result.coverage.applications = applicationCoverage(snapshot, detection, result, namespaces);
    return result;
  },
};

/** Operational maturity: six pillars, levels 0-4, findings with what-ifs. */
export const maturityStep: AnalysisStep<'maturity', MaturityResult> = {
  key: 'maturity',
  run({ snapshot }, previous, scratch) {
    return assessMaturity({
      snapshot,
      detection: previous.detection as DetectionResult,
      netpol: previous.netpol as NetpolResult,
      appNamespaces: scratch?.appNamespaces,
    });
  },
};

/** The integration tax of this cluster's stack (C = 1), with the given or default assumptions. */
export const costStep: AnalysisStep<'cost', IntegrationTax> = {
  key: 'cost',
  run({ snapshot, assumptions }, previous) {
    const detection = previous.detection as DetectionResult;
    return computeIntegrationTax(
      [{ snapshot, detection, name: snapshot.cluster.name }],
      assumptions ?? {},
    );
  },
};

/** AI agents: discovery and the five-pillar accountability assessment, with the evidence uploads. */
export const agentsStep: AnalysisStep<'agents', AgentsResult> = {
  key: 'agents',
  run({ snapshot, evidence }, previous, scratch) {
    return assessAgents({
      snapshot,
      detection: previous.detection as DetectionResult,
      evidence: evidence ?? [],
      netpol: scratch?.netpol ?? null,
    });
  },
};

/** The registered steps, in order. */
export const STEPS = [
  inventoryStep,
  detectionStep,
  netpolStep,
  maturityStep,
  costStep,
  agentsStep,
] as const;

type Keyed = {
  kind?: unknown;
  namespace?: unknown;
  name?: unknown;
  apiVersion?: unknown;
  resource?: unknown;
  source?: unknown;
};
const text = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * Kind, namespace, name, apiVersion, resource, source (unrolled: this runs for every pair the
 * sort compares).
 */
function compare(a: Keyed, b: Keyed): number {
  let x = text(a.kind);
  let y = text(b.kind);
  if (x !== y) return x < y ? -1 : 1;
  x = text(a.namespace);
  y = text(b.namespace);
  if (x !== y) return x < y ? -1 : 1;
  x = text(a.name);
  y = text(b.name);
  if (x !== y) return x < y ? -1 : 1;
  x = text(a.apiVersion);
  y = text(b.apiVersion);
  if (x !== y) return x < y ? -1 : 1;
  x = text(a.resource);
  y = text(b.resource);
  if (x !== y) return x < y ? -1 : 1;
  x = text(a.source);
  y = text(b.source);
  if (x !== y) return x < y ? -1 : 1;
  // Identity ties are rare (duplicates); fall back to the whole object.
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  return ja < jb ? -1 : ja > jb ? 1 : 0;
}

/** The snapshot's lists in a canonical order, so shuffled arrays give byte-identical results. */
function canonical(snapshot: ClusterSnapshot): ClusterSnapshot {
  const sorted = <T>(list: readonly T[]): T[] => {
    // Scanner output is usually in this order already: one pass checks that, and a stable sort
    // of a list already in order leaves it as it is, so the copy alone is the same answer.
    let ordered = true;
    for (let i = 1; i < list.length; i++)
      if (compare(list[i - 1] as Keyed, list[i] as Keyed) > 0) {
        ordered = false;
        break;
      }
    return ordered ? list.slice() : [...list].sort((a, b) => compare(a as Keyed, b as Keyed));
  };
  const out: ClusterSnapshot = { ...snapshot };
  for (const list of SNAPSHOT_OBJECT_LISTS) {
    (out as Record<string, unknown>)[list] = sorted(snapshot[list] as readonly unknown[]);
  }
  out.config = {
    configMaps: sorted(snapshot.config.configMaps),
    customResources: sorted(snapshot.config.customResources),
  };
  out.collection = sorted(snapshot.collection);
  out.warnings = sorted(snapshot.warnings);
  return out;
}

export function analyze(input: AnalysisInput): AnalysisResult {
  return analyzeWithNetpol(input).result;
}

/**
 * analyze(), also handing back the NetworkPolicy analysis it ran (its engine answers
 * reachability questions), for callers that compare connectivity (the plan's verification)
 * without building the engine a second time.
 */
export function analyzeWithNetpol(input: AnalysisInput): {
  result: AnalysisResult;
  netpol: NetpolAnalysis;
} {
  const snapshot = canonical(input.snapshot);
  const steps: Record<string, unknown> = {};
  const scratch: StepScratch = {};
  for (const step of STEPS) steps[step.key] = step.run({ ...input, snapshot }, steps, scratch);
  const cluster = snapshot.cluster;
  return {
    result: {
      resultVersion: ANALYSIS_RESULT_VERSION,
      methodologyVersion: METHODOLOGY_VERSION,
      cluster: { name: cluster.name, id: cluster.id },
      steps: steps as AnalysisResult['steps'],
    },
    netpol: scratch.netpol!,
  };
}
