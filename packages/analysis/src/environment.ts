import type { ClusterSnapshot } from '@plumbline/contracts';

/** Name tokens that mark a production cluster (`shop-prod-eu`, `prd1`, `live`). */
const PRODUCTION = /^(prod|prd|production|live)\d*$/;
/** Tokens that mark a non-production one (checked first: `preprod`, `prod-staging`). */
const NON_PRODUCTION =
  /^(dev|develop|development|test|testing|tst|qa|uat|stage|staging|stg|sandbox|sbx|preprod|pre|nonprod|demo|lab|ci|perf|canary)\d*$/;
/** Label keys that state an environment (any prefix): `environment=`, `env=`, `stage=`. */
const ENV_KEY = /^(?:[\w.-]+\/)?(environment|env|stage|tier|deployment-environment)$/i;

export interface InferredEnvironment {
  production: boolean;
  /** In words: which label or name token decided it. */
  reason: string;
}

function classify(value: string): boolean | null {
  const tokens = value
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (tokens.some((t) => NON_PRODUCTION.test(t))) return false;
  if (tokens.some((t) => PRODUCTION.test(t))) return true;
  return null;
}

/**
 * Production or not, from what the snapshot says: an environment label on the nodes or the
 * kube-system namespace first (`environment=production`), then the cluster name's tokens
 * (`prod`, `prd`, `production`, `live`; a non-production token such as `staging` or `preprod`
 * wins). Unknown means non-production, and the reason says so. An admin can override it.
 */
export function inferEnvironment(
  snapshot: Pick<ClusterSnapshot, 'cluster' | 'nodes' | 'namespaces'>,
): InferredEnvironment {
  const labelled = [
    ...snapshot.nodes.map((n) => ({ where: `node ${n.name}`, labels: n.labels })),
    ...snapshot.namespaces
      .filter((n) => n.name === 'kube-system' || n.name === 'default')
      .map((n) => ({ where: `namespace ${n.name}`, labels: n.labels })),
  ];
  for (const { where, labels } of labelled) {
    for (const [k, v] of Object.entries(labels)) {
      if (!ENV_KEY.test(k)) continue;
      const c = classify(v);
      if (c !== null)
        return {
          production: c,
          reason: `label ${k}=${v} on ${where}`,
        };
    }
  }
  const byName = classify(snapshot.cluster.name);
  if (byName !== null)
    return {
      production: byName,
      reason: `the cluster name "${snapshot.cluster.name}" ${byName ? 'marks production' : 'marks a non-production environment'}`,
    };
  return {
    production: false,
    reason: `nothing marks "${snapshot.cluster.name}" as production (no environment label, no prod/prd/production/live in its name)`,
  };
}
