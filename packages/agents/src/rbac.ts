import type { AgentItem, ClusterSnapshot } from '@plumbline/contracts';
import { BUILTIN_ROLES, HIGH_STAKES_RESOURCES, WRITE_VERBS } from './patterns.js';
import { cmp, sortedUnique } from './util.js';

/**
 * The RBAC reach of a ServiceAccount: which bindings name it (directly or through the
 * `system:serviceaccounts[:ns]` and `system:authenticated` groups), and whether what they grant
 * is cluster-admin, wildcards, Secret reads or high-stakes writes. Built-in roles that manifests
 * do not carry (cluster-admin, admin, edit, view) are known by name.
 */

type Rbac = NonNullable<AgentItem['rbac']>;
type Rule = ClusterSnapshot['roles'][number]['rules'][number];

const RBAC_TYPES =
  /^rbac\.authorization\.k8s\.io\/(Role|ClusterRole|RoleBinding|ClusterRoleBinding)$/;

const BUILTIN_RULES: Record<'cluster-admin' | 'admin' | 'edit' | 'view', Rule[]> = {
  'cluster-admin': [rule(['*'], ['*'], ['*'])],
  admin: [
    rule(['', 'apps', 'batch'], ['*'], ['*']),
    rule(['rbac.authorization.k8s.io'], ['roles', 'rolebindings'], ['*']),
  ],
  edit: [
    rule(['', 'apps', 'batch'], ['*'], ['create', 'update', 'patch', 'delete', 'get', 'list']),
  ],
  view: [
    rule(
      ['', 'apps', 'batch'],
      ['pods', 'services', 'deployments', 'configmaps'],
      ['get', 'list', 'watch'],
    ),
  ],
};

function rule(apiGroups: string[], resources: string[], verbs: string[]): Rule {
  return { apiGroups, resources, verbs, resourceNames: [], nonResourceURLs: [] };
}

/** Could RBAC objects be read (live scans may be forbidden)? */
export function rbacCollected(snapshot: ClusterSnapshot): boolean {
  return !snapshot.collection.some(
    (c) => RBAC_TYPES.test(c.resource) && ['forbidden', 'error'].includes(c.status),
  );
}

export function rbacReach(snapshot: ClusterSnapshot, namespace: string, sa: string): Rbac {
  const known = rbacCollected(snapshot);
  const out: Rbac = {
    known,
    bindings: [],
    clusterAdmin: false,
    wildcard: false,
    secretsRead: false,
    writes: [],
  };
  const writes: string[] = [];
  for (const b of snapshot.roleBindings) {
    const names = b.subjects.some((s) => {
      if (s.kind === 'ServiceAccount')
        return s.name === sa && (s.namespace ?? b.namespace) === namespace;
      if (s.kind === 'Group')
        return [
          'system:serviceaccounts',
          `system:serviceaccounts:${namespace}`,
          'system:authenticated',
        ].includes(s.name);
      return false;
    });
    if (!names) continue;
    const clusterWide = b.kind === 'ClusterRoleBinding';
    const scope = clusterWide ? 'cluster-wide' : `in ${b.namespace ?? namespace}`;
    const role = snapshot.roles.find((r) =>
      b.roleRef.kind === 'ClusterRole'
        ? r.kind === 'ClusterRole' && r.name === b.roleRef.name
        : r.kind === 'Role' && r.name === b.roleRef.name && r.namespace === b.namespace,
    );
    const builtin = BUILTIN_ROLES[b.roleRef.name];
    const rules =
      role?.rules ?? (builtin && b.roleRef.kind === 'ClusterRole' ? BUILTIN_RULES[builtin] : null);
    const note = role ? '' : builtin ? ' (built-in)' : ' (role not in the snapshot)';
    out.bindings.push(
      `${b.kind} ${b.namespace ? `${b.namespace}/` : ''}${b.name} -> ${b.roleRef.kind} ${b.roleRef.name}${note}`,
    );
    if (b.roleRef.name === 'cluster-admin' && clusterWide) out.clusterAdmin = true;
    for (const r of rules ?? []) {
      const verbs = r.verbs.map((v) => v.toLowerCase());
      const anyVerb = verbs.includes('*');
      const anyResource = r.resources.includes('*');
      if (anyVerb || anyResource) out.wildcard = true;
      if (anyVerb && anyResource && r.apiGroups.includes('*') && clusterWide)
        out.clusterAdmin = true;
      const coreGroup = r.apiGroups.includes('') || r.apiGroups.includes('*');
      if (
        coreGroup &&
        (anyResource || r.resources.includes('secrets')) &&
        r.resourceNames.length === 0 &&
        (anyVerb || verbs.some((v) => ['get', 'list', 'watch'].includes(v)))
      )
        out.secretsRead = true;
      const writeVerbs = verbs.filter((v) => (WRITE_VERBS as readonly string[]).includes(v));
      if (!writeVerbs.length) continue;
      const targets = r.resources.filter((x) =>
        (HIGH_STAKES_RESOURCES as readonly string[]).includes(x),
      );
      if (targets.length)
        writes.push(`${writeVerbs.sort(cmp).join(',')} ${targets.sort(cmp).join(',')} (${scope})`);
    }
  }
  out.bindings.sort(cmp);
  out.writes = sortedUnique(writes).slice(0, 20);
  return out;
}
