import {
  ANALYSIS_RESULT_VERSION,
  METHODOLOGY_VERSION,
  SNAPSHOT_OBJECT_LISTS,
  type AnalysisResult,
  type ClusterSnapshot,
  type InventoryResult,
} from '@plumbline/contracts';

/**
 * The analysis pipeline is a registry of steps run in order. Each later issue (detection,
 * NetworkPolicy, maturity, agents, cost) registers a step; the CLI and the worker both call
 * analyze(), so they always agree. Steps must be pure and deterministic.
 */

export interface AnalysisInput {
  snapshot: ClusterSnapshot;
}

export interface AnalysisStep<K extends string, R> {
  key: K;
  run(input: AnalysisInput, previous: Readonly<Record<string, unknown>>): R;
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

export function analyze(input: AnalysisInput): AnalysisResult {
  const steps: Record<string, unknown> = {};
  steps[inventoryStep.key] = inventoryStep.run(input, steps);
  const cluster = input.snapshot.cluster;
  return {
    resultVersion: ANALYSIS_RESULT_VERSION,
    methodologyVersion: METHODOLOGY_VERSION,
    cluster:
      cluster.id === undefined ? { name: cluster.name } : { name: cluster.name, id: cluster.id },
    steps: steps as AnalysisResult['steps'],
  };
}
