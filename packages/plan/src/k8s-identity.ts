import type { ClusterSnapshot, EnvVar, Workload } from '@plumbline/contracts';
import type { Manifest } from './types.js';

/**
 * The in-memory side of the agent identity objects (applyToSnapshot): new ServiceAccounts, Roles
 * and RoleBindings, and the partial Deployment/StatefulSet fields the agent actions change
 * (object annotations, pod ServiceAccount and token automount, container env merged by name, as
 * `kubectl apply` merges them). Only the fields the bundle writes are read.
 */

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const obj = (x: unknown): Obj => (isObj(x) ? x : {});
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const str = (x: unknown): string | null => (typeof x === 'string' ? x : null);
const strings = (x: unknown): string[] => arr(x).filter((v): v is string => typeof v === 'string');

const sortedRecord = (r: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** A literal env var as the snapshot holds it (the bundle only writes non-secret values). */
function literalEnv(name: string, value: string): EnvVar {
  return { name, source: 'literal', value, looksLikeCredential: false, fingerprint: null };
}

/** A Deployment/StatefulSet patch's identity, annotation and env fields merged into a workload. */
export function patchWorkloadIdentity(w: Workload, m: Manifest): Workload {
  let out = w;
  const annotations = m.metadata.annotations;
  if (annotations && Object.keys(annotations).length)
    out = { ...out, annotations: sortedRecord({ ...(out.annotations ?? {}), ...annotations }) };
  const pod = obj(obj(obj(m.spec).template).spec);
  const sa = str(pod.serviceAccountName);
  if (sa) out = { ...out, serviceAccountName: sa };
  if (typeof pod.automountServiceAccountToken === 'boolean')
    out = { ...out, automountServiceAccountToken: pod.automountServiceAccountToken };
  const patches = arr(pod.containers).map(obj);
  if (patches.length)
    out = {
      ...out,
      containers: out.containers.map((c) => {
        const p = patches.find((x) => str(x.name) === c.name);
        if (!p) return c;
        const env = [...c.env];
        for (const e of arr(p.env).map(obj)) {
          const name = str(e.name);
          const value = str(e.value);
          if (!name || value === null) continue;
          const i = env.findIndex((x) => x.name === name);
          if (i >= 0) env[i] = literalEnv(name, value);
          else env.push(literalEnv(name, value));
        }
        return { ...c, env };
      }),
    };
  return out;
}

/** A new ServiceAccount, Role or RoleBinding added to the snapshot's lists (copied on write). */
export function applyRbacObject(out: ClusterSnapshot, m: Manifest, ns: string): void {
  if (m.kind === 'ServiceAccount') {
    const automount = (m as { automountServiceAccountToken?: unknown })
      .automountServiceAccountToken;
    out.serviceAccounts = [
      ...out.serviceAccounts.filter((s) => !(s.namespace === ns && s.name === m.metadata.name)),
      {
        namespace: ns,
        name: m.metadata.name,
        automountServiceAccountToken: typeof automount === 'boolean' ? automount : null,
        annotations: {},
        imagePullSecrets: [],
      },
    ];
    return;
  }
  if (m.kind === 'Role') {
    out.roles = [
      ...out.roles.filter(
        (r) => !(r.kind === 'Role' && r.namespace === ns && r.name === m.metadata.name),
      ),
      {
        kind: 'Role',
        namespace: ns,
        name: m.metadata.name,
        rules: arr((m as { rules?: unknown }).rules)
          .map(obj)
          .map((r) => ({
            apiGroups: strings(r.apiGroups),
            resources: strings(r.resources),
            verbs: strings(r.verbs),
            resourceNames: strings(r.resourceNames),
            nonResourceURLs: [],
          })),
        aggregated: false,
      },
    ];
    return;
  }
  const ref = obj((m as { roleRef?: unknown }).roleRef);
  out.roleBindings = [
    ...out.roleBindings.filter(
      (b) => !(b.kind === 'RoleBinding' && b.namespace === ns && b.name === m.metadata.name),
    ),
    {
      kind: 'RoleBinding',
      namespace: ns,
      name: m.metadata.name,
      roleRef: { kind: str(ref.kind) ?? 'Role', name: str(ref.name) ?? '' },
      subjects: arr((m as { subjects?: unknown }).subjects)
        .map(obj)
        .map((s) => ({
          kind: str(s.kind) ?? '',
          name: str(s.name) ?? '',
          namespace: str(s.namespace),
        })),
    },
  ];
}
