import { isObj, obj, str, strings } from './k8s.js';
import { statusMessage, type KubeApi } from './kube-api.js';

/**
 * Which resource types the API server serves: /api and /apis, then each group version's
 * resource list. Each resource is taken once, at the first version that serves it with the
 * group's preferred version first (as kubectl does), so the same objects are never listed twice.
 */

export interface ApiResource {
  /** `core` for the core group (as in the snapshot's `collection`). */
  group: string;
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  /** `/api/v1/pods`, `/apis/apps/v1/deployments`. */
  path: string;
}

export interface DiscoveryProblem {
  groupVersion: string;
  message: string;
}

export interface Discovery {
  resources: ApiResource[];
  problems: DiscoveryProblem[];
}

function resourcesOf(group: string, version: string, body: unknown): ApiResource[] {
  const prefix = group === 'core' ? `/api/${version}` : `/apis/${group}/${version}`;
  const out: ApiResource[] = [];
  for (const r of Array.isArray(obj(body).resources) ? (obj(body).resources as unknown[]) : []) {
    const x = obj(r);
    const plural = str(x.name);
    const kind = str(x.kind);
    if (!plural || !kind || plural.includes('/')) continue; // subresources (pods/log...) are not lists
    out.push({
      group,
      version,
      plural,
      kind,
      namespaced: x.namespaced === true,
      verbs: strings(x.verbs),
      path: `${prefix}/${plural}`,
    });
  }
  return out;
}

/** Discover the served resources of every group that `wantGroup` accepts. */
export async function discover(
  api: KubeApi,
  wantGroup: (group: string) => boolean,
): Promise<Discovery> {
  const problems: DiscoveryProblem[] = [];
  const resources: ApiResource[] = [];
  const core = await api.get('/api/v1');
  if (core.status !== 200)
    throw new Error(`cannot discover the core API (/api/v1): ${statusMessage(core)}`);
  resources.push(...resourcesOf('core', 'v1', core.body));

  const apis = await api.get('/apis');
  if (apis.status !== 200)
    throw new Error(`cannot discover API groups (/apis): ${statusMessage(apis)}`);
  const groups = Array.isArray(obj(apis.body).groups) ? (obj(apis.body).groups as unknown[]) : [];
  for (const g of groups.filter(isObj)) {
    const name = str(g.name);
    if (!name || !wantGroup(name)) continue;
    const preferred = str(obj(g.preferredVersion).version);
    const versions = (Array.isArray(g.versions) ? g.versions : [])
      .map((v) => str(obj(v).version))
      .filter((v): v is string => !!v);
    const ordered = preferred ? [preferred, ...versions.filter((v) => v !== preferred)] : versions;
    const taken = new Set<string>();
    for (const version of ordered) {
      const r = await api.get(`/apis/${name}/${version}`);
      if (r.status !== 200) {
        // An aggregated API whose server is down answers 503: note it, keep going.
        problems.push({ groupVersion: `${name}/${version}`, message: statusMessage(r) });
        continue;
      }
      for (const res of resourcesOf(name, version, r.body)) {
        if (taken.has(res.plural)) continue;
        taken.add(res.plural);
        resources.push(res);
      }
    }
  }
  return { resources, problems };
}
