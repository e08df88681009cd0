import type { ClusterSnapshot, SpecObject, Workload } from '@plumbline/contracts';
import { applyRbacObject, patchWorkloadIdentity } from './k8s-identity.js';

/**
 * The bundle's objects: Kubernetes manifests (what `kubectl apply -k` takes), new objects or
 * partial ones (only the fields that change, merged into the live object by `kubectl apply`), and
 * the same change applied to a snapshot in memory, which is what verification re-analyses.
 */

export type { BundleObject, Json, Manifest } from './types.js';
import type { BundleObject } from './types.js';

export const PLAN_LABEL = 'plumbline.io/plan';
export const wref = (w: Pick<Workload, 'kind' | 'namespace' | 'name'>) =>
  `${w.kind} ${w.namespace}/${w.name}`;

const sorted = (r: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** DNS-1123 name from parts, at most 63 characters, stable. */
export function objectName(...parts: string[]): string {
  const raw = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  if (raw.length <= 63) return raw;
  let h = 2166136261;
  for (let i = 0; i < raw.length; i++) h = Math.imul(h ^ raw.charCodeAt(i), 16777619) >>> 0;
  return `${raw.slice(0, 54).replace(/-$/, '')}-${h.toString(16).padStart(8, '0')}`;
}

/** Apply bundle objects to a snapshot (a new snapshot; the input is not changed). */
export function applyToSnapshot(
  snapshot: ClusterSnapshot,
  objects: readonly BundleObject[],
): ClusterSnapshot {
  const out: ClusterSnapshot = {
    ...snapshot,
    namespaces: [...snapshot.namespaces],
    workloads: [...snapshot.workloads],
    networkPolicies: [...snapshot.networkPolicies],
    policyObjects: [...snapshot.policyObjects],
    podDisruptionBudgets: [...snapshot.podDisruptionBudgets],
    config: { ...snapshot.config, customResources: [...snapshot.config.customResources] },
  };
  const wIndex = new Map(
    out.workloads.map((w, i) => [`${w.kind}\u0000${w.namespace}\u0000${w.name}`, i]),
  );
  for (const { manifest: m } of objects) {
    const ns = m.metadata.namespace ?? 'default';
    switch (m.kind) {
      case 'NetworkPolicy':
      case 'CiliumNetworkPolicy': {
        const o: SpecObject = {
          apiVersion: m.apiVersion,
          kind: m.kind,
          namespace: ns,
          name: m.metadata.name,
          labels: sorted(m.metadata.labels ?? {}),
          spec: m.spec as SpecObject['spec'],
        };
        // Kubernetes NetworkPolicies are their own list; Calico and Cilium policies are CNI objects.
        if (m.apiVersion === 'networking.k8s.io/v1') out.networkPolicies.push(o);
        else out.policyObjects.push(o);
        break;
      }
      case 'PodDisruptionBudget': {
        const spec = m.spec as {
          maxUnavailable?: number | string;
          minAvailable?: number | string;
          selector: { matchLabels: Record<string, string> };
        };
        out.podDisruptionBudgets.push({
          namespace: ns,
          name: m.metadata.name,
          minAvailable: spec.minAvailable ?? null,
          maxUnavailable: spec.maxUnavailable ?? null,
          selector: { matchLabels: sorted(spec.selector.matchLabels), matchExpressions: [] },
        });
        break;
      }
      case 'Deployment':
      case 'StatefulSet': {
        const i = wIndex.get(`${m.kind}\u0000${ns}\u0000${m.metadata.name}`);
        const replicas = (m.spec as { replicas?: number } | undefined)?.replicas;
        if (i !== undefined && typeof replicas === 'number')
          out.workloads[i] = { ...out.workloads[i]!, replicas };
        if (i !== undefined) out.workloads[i] = patchWorkloadIdentity(out.workloads[i]!, m);
        break;
      }
      case 'Namespace': {
        const i = out.namespaces.findIndex((n) => n.name === m.metadata.name);
        const labels = m.metadata.labels ?? {};
        if (i >= 0)
          out.namespaces[i] = {
            ...out.namespaces[i]!,
            labels: sorted({ ...out.namespaces[i]!.labels, ...labels }),
          };
        else
          out.namespaces.push({
            name: m.metadata.name,
            uid: null,
            labels: sorted(labels),
            annotations: {},
          });
        break;
      }
      case 'ClusterPolicy':
      case 'ValidatingAdmissionPolicy':
      case 'ValidatingAdmissionPolicyBinding':
        out.config.customResources.push({
          apiVersion: m.apiVersion,
          kind: m.kind,
          namespace: null,
          name: m.metadata.name,
          labels: sorted(m.metadata.labels ?? {}),
          spec: m.spec as SpecObject['spec'],
        });
        break;
      case 'ServiceAccount':
      case 'Role':
      case 'RoleBinding':
        applyRbacObject(out, m, ns);
        break;
      default:
        throw new Error(`bundle object of kind ${m.kind} cannot be applied in memory`);
    }
  }
  return out;
}
