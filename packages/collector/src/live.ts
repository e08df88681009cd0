import type { ClusterSnapshot } from '@plumbline/contracts';
import { connect, type KubeSource } from './connect.js';
import { discover, type ApiResource } from './discovery.js';
import { isObj, obj, str, type Obj } from './k8s.js';
import {
  ACCEPT_JSON,
  ACCEPT_METADATA_LIST,
  KubeApi,
  KubeApiAbortedError,
  KubeApiError,
  statusMessage,
  type RequestLimits,
} from './kube-api.js';
import type { RetryPolicy, Sleep } from './rate-limit.js';
import {
  isCollected,
  mayCollectGroup,
  SECRET_SKIPPED,
  SnapshotReducer,
  type ReducerOptions,
} from './reduce.js';
import { CONFIGMAP_ALLOW } from './rules.js';

/**
 * Live collection: discover what the API server serves, LIST every type the reducer uses page
 * by page (limit/continue), and reduce each page as it arrives, so memory holds the snapshot
 * and one page, never the cluster. Forbidden, missing or failing types are recorded in
 * `collection` and the scan goes on. Secrets are read as metadata only (PartialObjectMetadata),
 * their type from field selectors; ConfigMaps as metadata, and only allowlisted ones in full.
 */

export interface LiveOptions extends ReducerOptions {
  source: KubeSource;
  scanner: { name: string; version: string };
  collectedAt: string;
  /** Default: the kubeconfig's cluster name (`in-cluster` in a pod). */
  clusterName?: string;
  /** Objects per LIST page (default 500). */
  pageSize?: number;
  /** Client-side rate limit (defaults 50 requests/s, bursts of 100). */
  qps?: number;
  burst?: number;
  retry?: Partial<RetryPolicy>;
  /** Test hook for backoff and rate-limit waits. */
  sleep?: Sleep;
  /** Progress and problems (never object contents). */
  log?: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
  /**
   * Bounds for endpoints that are not trusted (agentless scans): connect and per-request
   * timeouts, largest answer, and `scanTimeoutMs` for the whole scan, after which it fails
   * (KubeApiAbortedError) instead of returning a partial snapshot. The CLI sets none.
   */
  limits?: RequestLimits & { scanTimeoutMs?: number };
}

export interface LiveStats {
  requests: number;
  retries: number;
  /** Response bytes (after gzip). */
  bytes: number;
  pages: number;
  objects: number;
  resourceTypes: number;
}

export const DEFAULT_PAGE_SIZE = 500;
export const DEFAULT_QPS = 50;
export const DEFAULT_BURST = 100;

/** Secret types listed one by one (field selector `type=`), so the type is known without data. */
export const SECRET_TYPES = [
  'Opaque',
  'kubernetes.io/service-account-token',
  'kubernetes.io/dockercfg',
  'kubernetes.io/dockerconfigjson',
  'kubernetes.io/basic-auth',
  'kubernetes.io/ssh-auth',
  'kubernetes.io/tls',
  'bootstrap.kubernetes.io/token',
  'helm.sh/release.v1',
] as const;
/** The type recorded for Secrets of any other (custom) type. */
export const SECRET_OTHER_TYPE = 'unknown';

/** Types every cluster is expected to serve, or whose absence is itself a finding. */
const EXPECTED: readonly string[] = [
  'core/Namespace',
  'core/Node',
  'core/Pod',
  'core/Service',
  'core/ServiceAccount',
  'core/ConfigMap',
  'apps/Deployment',
  'apps/DaemonSet',
  'apps/StatefulSet',
  'apps/ReplicaSet',
  'batch/Job',
  'batch/CronJob',
  'networking.k8s.io/NetworkPolicy',
  'networking.k8s.io/Ingress',
  'networking.k8s.io/IngressClass',
  'policy/PodDisruptionBudget',
  'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/RoleBinding',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'gateway.networking.k8s.io/Gateway',
  'gateway.networking.k8s.io/HTTPRoute',
  'policy.networking.k8s.io/AdminNetworkPolicy',
  'cilium.io/CiliumNetworkPolicy',
  'crd.projectcalico.org/NetworkPolicy',
  'kubevirt.io/VirtualMachine',
  'kubevirt.io/VirtualMachineInstance',
];
const NOT_SERVED = 'the API server does not serve this type (not installed)';

type Outcome = { status: 'ok' } | { status: 'forbidden' | 'not-served' | 'error'; message: string };

class LiveCollector {
  readonly stats: LiveStats = {
    requests: 0,
    retries: 0,
    bytes: 0,
    pages: 0,
    objects: 0,
    resourceTypes: 0,
  };

  constructor(
    private readonly api: KubeApi,
    private readonly reducer: SnapshotReducer,
    private readonly opts: LiveOptions,
  ) {}

  private log(level: 'info' | 'warn', message: string, fields?: Record<string, unknown>): void {
    this.opts.log?.(level, message, fields);
  }

  /** LIST `path` page by page; `take` gets each item of each page. */
  async pages(
    path: string,
    query: Record<string, string>,
    accept: string,
    take: (item: Obj, listApiVersion: string) => void,
  ): Promise<Outcome> {
    let cont: string | undefined;
    do {
      let r;
      try {
        r = await this.api.get(
          path,
          { ...query, limit: this.opts.pageSize ?? DEFAULT_PAGE_SIZE, continue: cont },
          accept,
        );
      } catch (e) {
        if (e instanceof KubeApiAbortedError) throw e;
        return { status: 'error', message: e instanceof KubeApiError ? e.message : String(e) };
      }
      if (r.status === 403) return { status: 'forbidden', message: statusMessage(r) };
      if (r.status === 404) return { status: 'not-served', message: NOT_SERVED };
      if (r.status === 410)
        return {
          status: 'error',
          message: 'the list expired while paging (410 Gone); objects seen before are kept',
        };
      if (r.status !== 200)
        return { status: 'error', message: `HTTP ${r.status}: ${statusMessage(r)}` };
      const body = obj(r.body);
      if (!Array.isArray(body.items))
        return { status: 'error', message: 'the answer is not a list' };
      if (accept === ACCEPT_METADATA_LIST && body.kind !== 'PartialObjectMetadataList') {
        // Fail closed: the server sent whole objects although only metadata was asked for.
        return {
          status: 'error',
          message: 'the API server ignored the metadata-only request; the objects were discarded',
        };
      }
      this.stats.pages++;
      const listApiVersion = str(body.apiVersion) ?? '';
      for (const item of body.items) if (isObj(item)) take(item, listApiVersion);
      cont = str(obj(body.metadata).continue) ?? undefined;
    } while (cont);
    return { status: 'ok' };
  }

  private record(resource: string, outcome: Outcome, objects: number): void {
    if (outcome.status === 'ok') {
      this.reducer.noteResource(resource);
      this.log('info', `listed ${resource}`, { objects });
    } else {
      this.reducer.noteResource(resource, outcome.status, outcome.message);
      this.log('warn', `${resource}: ${outcome.status}`, { reason: outcome.message });
    }
  }

  async listFull(res: ApiResource): Promise<boolean> {
    const resource = `${res.group}/${res.kind}`;
    let n = 0;
    const outcome = await this.pages(res.path, {}, ACCEPT_JSON, (item, listApiVersion) => {
      // Items of built-in lists carry no apiVersion/kind: they are the list's.
      if (typeof item.apiVersion !== 'string') item.apiVersion = listApiVersion;
      if (typeof item.kind !== 'string') item.kind = res.kind;
      this.reducer.add(item, res.path, res.namespaced);
      n++;
    });
    this.stats.objects += n;
    this.record(resource, outcome, n);
    return outcome.status === 'ok';
  }

  /** Secret names and types, never data: metadata-only lists, one per type. */
  async listSecrets(res: ApiResource): Promise<boolean> {
    const resource = 'core/Secret';
    let n = 0;
    const selectors: [string, string][] = SECRET_TYPES.map((t) => [`type=${t}`, t]);
    selectors.push([SECRET_TYPES.map((t) => `type!=${t}`).join(','), SECRET_OTHER_TYPE]);
    let outcome: Outcome = { status: 'ok' };
    for (const [fieldSelector, type] of selectors) {
      outcome = await this.pages(res.path, { fieldSelector }, ACCEPT_METADATA_LIST, (item) => {
        const meta = obj(item.metadata);
        // Only the identity is kept from the metadata (annotations can embed whole objects).
        this.reducer.add(
          {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: meta.name, namespace: meta.namespace },
            type,
          },
          res.path,
        );
        n++;
      });
      if (outcome.status !== 'ok') break;
    }
    this.stats.objects += n;
    this.record(resource, outcome, n);
    return outcome.status === 'ok';
  }

  /** ConfigMaps as metadata; only allowlisted ones are read in full. */
  async listConfigMaps(res: ApiResource): Promise<boolean> {
    const resource = 'core/ConfigMap';
    const wanted: { namespace: string; name: string }[] = [];
    let n = 0;
    let outcome = await this.pages(res.path, {}, ACCEPT_METADATA_LIST, (item) => {
      const meta = obj(item.metadata);
      const name = str(meta.name) ?? '';
      const namespace = str(meta.namespace) ?? '';
      n++;
      if (
        CONFIGMAP_ALLOW.some(
          (r) => (r.namespace === '*' || r.namespace === namespace) && r.name.test(name),
        )
      )
        wanted.push({ namespace, name });
      else
        this.reducer.add(
          { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace } },
          res.path,
        );
    });
    for (const w of wanted) {
      if (outcome.status !== 'ok') break;
      const path = `/api/v1/namespaces/${encodeURIComponent(w.namespace)}/configmaps/${encodeURIComponent(w.name)}`;
      let r;
      try {
        r = await this.api.get(path);
      } catch (e) {
        if (e instanceof KubeApiAbortedError) throw e;
        outcome = { status: 'error', message: String((e as Error).message) };
        break;
      }
      if (r.status === 404) {
        n--; // deleted since it was listed
        continue;
      }
      if (r.status !== 200 || !isObj(r.body)) {
        outcome = {
          status: r.status === 403 ? 'forbidden' : 'error',
          message: `reading ConfigMap ${w.namespace}/${w.name}: ${statusMessage(r)}`,
        };
        break;
      }
      const cm = r.body;
      cm.apiVersion ??= 'v1';
      cm.kind ??= 'ConfigMap';
      this.reducer.add(cm, path);
    }
    this.stats.objects += n;
    this.record(resource, outcome, n);
    return outcome.status === 'ok';
  }
}

/** Collect a snapshot from a live cluster. Throws when the API cannot be reached at all. */
export async function collectLive(
  opts: LiveOptions,
): Promise<{ snapshot: ClusterSnapshot; stats: LiveStats }> {
  const target = await connect(opts.source);
  const { scanTimeoutMs, ...limits } = opts.limits ?? {};
  const deadline = scanTimeoutMs === undefined ? undefined : new AbortController();
  const timer =
    deadline &&
    setTimeout(
      () =>
        deadline.abort(new Error(`the scan took longer than ${scanTimeoutMs} ms and was stopped`)),
      scanTimeoutMs,
    );
  const api = new KubeApi(target, {
    qps: opts.qps ?? DEFAULT_QPS,
    burst: opts.burst ?? DEFAULT_BURST,
    retry: opts.retry,
    sleep: opts.sleep,
    userAgent: `${opts.scanner.name}/${opts.scanner.version}`,
    limits,
    signal: deadline?.signal,
  });
  const reducer = new SnapshotReducer(opts);
  const collector = new LiveCollector(api, reducer, opts);
  const log = (level: 'info' | 'warn', m: string, f?: Record<string, unknown>) =>
    opts.log?.(level, m, f);
  try {
    let kubernetesVersion: string | undefined;
    const version = await api.get('/version');
    if (version.status === 200) kubernetesVersion = str(obj(version.body).gitVersion) ?? undefined;
    else {
      reducer.warn('/version', `Kubernetes version unknown: ${statusMessage(version)}`);
      log('warn', 'Kubernetes version unknown', { reason: statusMessage(version) });
    }

    const { resources, problems } = await discover(api, mayCollectGroup);
    for (const p of problems) {
      reducer.warn(`/apis/${p.groupVersion}`, `API group version not available: ${p.message}`);
      log('warn', `API group version ${p.groupVersion} not available`, { reason: p.message });
    }

    let clusterUid: string | undefined;
    const ks = await api.get('/api/v1/namespaces/kube-system');
    if (ks.status === 200) clusterUid = str(obj(obj(ks.body).metadata).uid) ?? undefined;
    if (!clusterUid) {
      const why = ks.status === 200 ? 'it has no uid' : statusMessage(ks);
      reducer.warn(
        '/api/v1/namespaces/kube-system',
        `cluster id derived from the name: cannot read the kube-system namespace (${why})`,
      );
      log(
        'warn',
        'cannot read the kube-system namespace; the cluster id is derived from the name',
        { reason: why },
      );
    }

    const toList = resources
      .filter((r) => r.verbs.includes('list') && isCollected(r.group, r.kind))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    let succeeded = 0;
    for (const res of toList) {
      let ok: boolean;
      if (res.group === 'core' && res.kind === 'Secret') {
        if (!opts.includeSecretMetadata) {
          reducer.noteResource('core/Secret', 'skipped', SECRET_SKIPPED);
          continue;
        }
        ok = await collector.listSecrets(res);
      } else if (res.group === 'core' && res.kind === 'ConfigMap')
        ok = await collector.listConfigMaps(res);
      else ok = await collector.listFull(res);
      if (ok) succeeded++;
    }
    if (toList.length > 0 && succeeded === 0)
      throw new KubeApiError('no resource type could be listed (see the warnings above)');
    const served = new Set(resources.map((r) => `${r.group}/${r.kind}`));
    for (const expected of EXPECTED)
      if (!served.has(expected)) reducer.noteResource(expected, 'not-served', NOT_SERVED);

    collector.stats.requests = api.requests;
    collector.stats.retries = api.retries;
    collector.stats.bytes = api.bytes;
    collector.stats.resourceTypes = toList.length;
    const snapshot = reducer.finish({
      scanner: opts.scanner,
      collectedAt: opts.collectedAt,
      mode: 'live',
      clusterName:
        opts.clusterName ?? (opts.source.kind === 'in-cluster' ? 'in-cluster' : target.clusterName),
      clusterUid,
      kubernetesVersion,
    });
    return { snapshot, stats: collector.stats };
  } finally {
    if (timer) clearTimeout(timer);
    target.close();
  }
}
