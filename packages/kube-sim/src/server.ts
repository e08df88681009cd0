import { generateCluster, type ScenarioOptions } from '@plumbline/scenarios';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { stringify } from 'yaml';
import { createCertificate, type TlsMaterial } from './certs.js';
import { loadManifests, manifestFiles } from './load.js';
import {
  ClusterState,
  type Duplicate,
  type Raw,
  type Refusal,
  type ServedResource,
  type StateInput,
  type StoredObject,
} from './state.js';

/**
 * An HTTPS server that answers like a read-only Kubernetes API server over the objects it was
 * given: /version, discovery, LIST (limit/continue/resourceVersion, label and field selectors),
 * GET, metadata-only responses (PartialObjectMetadata[List]), gzip, 403 for chosen resources,
 * injected 429/5xx bursts, 405 for every write verb, and a log of every request.
 */

export interface Fault {
  /** HTTP status to answer with (429, 500, 503, 504...). */
  status: number;
  /** Out of every `every` matching requests, the first `count` fail. */
  every: number;
  count: number;
  /** Only requests whose path starts with this (default: every API request). */
  pathPrefix?: string;
  /** Retry-After header for 429/503, in seconds (default 1). */
  retryAfterSeconds?: number;
}

export interface KubeSimOptions {
  /** Serve these manifest files: a folder, and optionally paths below it (files or folders). */
  dir?: string;
  paths?: readonly string[];
  /** Serve these objects, after any files. */
  objects?: readonly object[];
  /** Serve a generated cluster (packages/scenarios), after files and objects. */
  scenario?: ScenarioOptions;
  /** gitVersion reported by /version (default v1.31.4). */
  kubernetesVersion?: string;
  /** Serve custom resources whose CRD is not in the input (test aid; see README). */
  inferCrds?: boolean;
  /** Add the namespaces every cluster has (default true). */
  systemNamespaces?: boolean;
  /** Resources that answer 403: `group/plural` (`core/secrets`, `rbac.authorization.k8s.io/clusterroles`). */
  forbidden?: readonly string[];
  faults?: readonly Fault[];
  /** Require `Authorization: Bearer <token>` (default: a fixed test token). null: no auth. */
  token?: string | null;
  /** Misbehave like an old server or a proxy: answer metadata-only requests with whole objects. */
  ignoreMetadataAccept?: boolean;
  /** Reuse a certificate (generating one takes a few milliseconds). */
  tls?: TlsMaterial;
  host?: string;
  port?: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  accept: string | null;
  status: number;
}

export interface KubeSim {
  /** https://127.0.0.1:PORT */
  url: string;
  /** PEM of the server's self-signed certificate (trust it, never skip verification). */
  caCert: string;
  token: string | null;
  /** A kubeconfig (YAML) for this server with the CA as certificate-authority-data. */
  kubeconfig(opts?: { context?: string; cluster?: string; token?: string }): string;
  /** Every request received, in order. */
  readonly requests: RequestLogEntry[];
  /** Input documents not served, and same-named objects of which only the first is served. */
  readonly refused: readonly Refusal[];
  readonly duplicates: readonly Duplicate[];
  /** Served resources and object counts (`group/plural` -> objects). */
  resources(): ServedResource[];
  objectCount(): number;
  close(): Promise<void>;
}

export const DEFAULT_TOKEN = 'kube-sim-test-token';
const WRITE_VERBS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const GZIP_MIN_BYTES = 128 * 1024;

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function status(code: number, reason: string, message: string, details?: Raw): Reply {
  return {
    status: code,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    },
  };
}

/** What the client accepts: plain JSON, metadata-only, or nothing we can produce. */
function negotiate(accept: string | undefined, list: boolean): 'json' | 'metadata' | null {
  if (!accept) return 'json';
  const wanted = list ? 'PartialObjectMetadataList' : 'PartialObjectMetadata';
  for (const part of accept.split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    const p = Object.fromEntries(
      params.map((x) => {
        const i = x.indexOf('=');
        return i < 0 ? [x, ''] : [x.slice(0, i), x.slice(i + 1)];
      }),
    );
    if (type !== 'application/json' && type !== '*/*' && type !== 'application/*') continue;
    if (p.as === undefined) return 'json';
    if (p.as === wanted && p.g === 'meta.k8s.io' && (p.v === 'v1' || p.v === 'v1beta1'))
      return 'metadata';
    // Table, APIGroupDiscoveryList... are not served: try the next alternative.
  }
  return null;
}

interface Selector {
  key: string;
  op: '=' | '!=' | 'exists' | '!exists' | 'in' | 'notin';
  values: string[];
}

function parseLabelSelector(text: string): Selector[] | null {
  const out: Selector[] = [];
  for (const term of text
    .split(/,(?![^(]*\))/)
    .map((t) => t.trim())
    .filter(Boolean)) {
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term)))
      out.push({
        key: m[1]!,
        op: m[2] as 'in' | 'notin',
        values: m[3]!.split(',').map((v) => v.trim()),
      });
    else if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(term)))
      out.push({ key: m[1]!, op: m[2] === '!=' ? '!=' : '=', values: [m[3]!] });
    else if ((m = /^!([\w./-]+)$/.exec(term))) out.push({ key: m[1]!, op: '!exists', values: [] });
    else if ((m = /^([\w./-]+)$/.exec(term))) out.push({ key: m[1]!, op: 'exists', values: [] });
    else return null;
  }
  return out;
}

function matches(selectors: Selector[], get: (key: string) => string | undefined): boolean {
  return selectors.every((s) => {
    const v = get(s.key);
    switch (s.op) {
      case '=':
        return v === s.values[0];
      case '!=':
        return v !== s.values[0];
      case 'exists':
        return v !== undefined;
      case '!exists':
        return v === undefined;
      case 'in':
        return v !== undefined && s.values.includes(v);
      case 'notin':
        return v === undefined || !s.values.includes(v);
    }
    return false;
  });
}

const FIELD_LABELS: Record<string, string[]> = {
  '*': ['metadata.name', 'metadata.namespace'],
  'core/secrets': ['type'],
  'core/pods': ['spec.nodeName', 'status.phase', 'spec.serviceAccountName'],
  'core/events': ['involvedObject.kind', 'involvedObject.name', 'reason', 'type'],
};

function field(o: Raw, path: string): string | undefined {
  let cur: unknown = o;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Raw)[part];
  }
  return typeof cur === 'string' ? cur : cur === undefined ? '' : String(cur);
}

function encodeContinue(rv: number, start: number): string {
  return Buffer.from(JSON.stringify({ rv, start }), 'utf8').toString('base64url');
}
function decodeContinue(token: string): { rv: number; start: number } | null {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (
      typeof v === 'object' &&
      v !== null &&
      Number.isInteger((v as Raw).rv) &&
      Number.isInteger((v as Raw).start) &&
      ((v as Raw).start as number) >= 0
    )
      return v as { rv: number; start: number };
  } catch {
    return null;
  }
  return null;
}

function metadataOnly(o: Raw): Raw {
  return { apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: o.metadata };
}

class Handler {
  readonly requests: RequestLogEntry[] = [];
  private readonly faultCounters: number[];

  constructor(
    private readonly state: ClusterState,
    private readonly opts: KubeSimOptions,
    private readonly token: string | null,
    private readonly address: () => string,
  ) {
    this.faultCounters = (opts.faults ?? []).map(() => 0);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://kube-sim');
    const query = Object.fromEntries(url.searchParams.entries());
    const accept = req.headers.accept ?? null;
    const method = req.method ?? 'GET';
    let reply: Reply;
    try {
      reply = this.route(method, url.pathname, query, req);
    } catch (e) {
      reply = status(500, 'InternalError', `kube-sim: ${(e as Error).message}`);
    }
    this.requests.push({ method, path: url.pathname, query, accept, status: reply.status });
    let body = Buffer.from(
      typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body),
      'utf8',
    );
    const headers: Record<string, string> = {
      'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json',
      ...reply.headers,
    };
    if (body.length >= GZIP_MIN_BYTES && /\bgzip\b/.test(String(req.headers['accept-encoding']))) {
      body = gzipSync(body, { level: 1 });
      headers['content-encoding'] = 'gzip';
    }
    headers['content-length'] = String(body.length);
    const send = () => {
      res.writeHead(reply.status, headers);
      res.end(body);
    };
    // Read any request body to its end first (writes are refused, but the connection stays
    // usable for the next request).
    if (req.complete) send();
    else {
      req.on('end', send);
      req.resume();
    }
  }

  private route(
    method: string,
    path: string,
    query: Record<string, string>,
    req: IncomingMessage,
  ): Reply {
    if (WRITE_VERBS.has(method) || (method !== 'GET' && method !== 'HEAD')) {
      return status(405, 'MethodNotAllowed', `kube-sim is read-only: ${method} is not allowed`);
    }
    if (['/healthz', '/livez', '/readyz'].includes(path)) return { status: 200, body: 'ok' };
    if (this.token !== null) {
      const auth = req.headers.authorization ?? '';
      if (auth !== `Bearer ${this.token}`) return status(401, 'Unauthorized', 'Unauthorized');
    }
    const fault = this.fault(path);
    if (fault) return fault;
    if (path === '/version') {
      const git = this.opts.kubernetesVersion ?? 'v1.31.4';
      const m = /^v(\d+)\.(\d+)/.exec(git);
      return {
        status: 200,
        body: {
          major: m?.[1] ?? '1',
          minor: m?.[2] ?? '31',
          gitVersion: git,
          gitCommit: '0000000000000000000000000000000000000000',
          gitTreeState: 'clean',
          buildDate: '2026-01-01T00:00:00Z',
          goVersion: 'go1.23.4',
          compiler: 'gc',
          platform: 'linux/amd64',
        },
      };
    }
    const accept = req.headers.accept;
    const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
    if (segments[0] === 'api') {
      if (segments.length === 1) {
        if (negotiate(accept, false) === null)
          return status(406, 'NotAcceptable', 'only application/json discovery is served');
        return {
          status: 200,
          body: {
            kind: 'APIVersions',
            versions: ['v1'],
            serverAddressByClientCIDRs: [
              { clientCIDR: '0.0.0.0/0', serverAddress: this.address() },
            ],
          },
        };
      }
      if (segments[1] !== 'v1')
        return status(404, 'NotFound', 'the server could not find the requested resource');
      return this.resourcePath('', 'v1', segments.slice(2), query, accept);
    }
    if (segments[0] === 'apis') {
      const groups = this.state.groups();
      if (segments.length === 1) {
        if (negotiate(accept, false) === null)
          return status(406, 'NotAcceptable', 'only application/json discovery is served');
        return {
          status: 200,
          body: {
            kind: 'APIGroupList',
            apiVersion: 'v1',
            groups: groups.map((g) => this.groupBody(g)),
          },
        };
      }
      const g = groups.find((x) => x.name === segments[1]);
      if (!g) return status(404, 'NotFound', 'the server could not find the requested resource');
      if (segments.length === 2)
        return { status: 200, body: { kind: 'APIGroup', apiVersion: 'v1', ...this.groupBody(g) } };
      const version = segments[2]!;
      if (!g.versions.includes(version))
        return status(404, 'NotFound', 'the server could not find the requested resource');
      return this.resourcePath(g.name, version, segments.slice(3), query, accept);
    }
    return status(404, 'NotFound', 'the server could not find the requested resource');
  }

  private groupBody(g: { name: string; versions: string[] }) {
    return {
      name: g.name,
      versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${g.name}/${g.versions[0]}`, version: g.versions[0] },
    };
  }

  private fault(path: string): Reply | null {
    const faults = this.opts.faults ?? [];
    for (let i = 0; i < faults.length; i++) {
      const f = faults[i]!;
      if (f.pathPrefix && !path.startsWith(f.pathPrefix)) continue;
      const n = this.faultCounters[i]!;
      this.faultCounters[i] = n + 1;
      if (n % Math.max(1, f.every) < f.count) {
        const reply =
          f.status === 429
            ? status(
                429,
                'TooManyRequests',
                'the server has received too many requests and has asked us to try again later',
              )
            : status(
                f.status,
                f.status === 504 ? 'Timeout' : 'InternalError',
                `injected fault ${f.status}`,
              );
        if (f.status === 429 || f.status === 503)
          reply.headers = { 'retry-after': String(f.retryAfterSeconds ?? 1) };
        return reply;
      }
    }
    return null;
  }

  private resourcePath(
    group: string,
    version: string,
    rest: string[],
    query: Record<string, string>,
    accept: string | undefined,
  ): Reply {
    const gv = group ? `${group}/${version}` : version;
    if (rest.length === 0) {
      if (negotiate(accept, false) === null)
        return status(406, 'NotAcceptable', 'only application/json discovery is served');
      return {
        status: 200,
        body: {
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion: gv,
          resources: this.state.resourcesAt(group, version).map((r) => ({
            name: r.plural,
            singularName: r.singular,
            namespaced: r.namespaced,
            kind: r.kind,
            verbs: [
              'create',
              'delete',
              'deletecollection',
              'get',
              'list',
              'patch',
              'update',
              'watch',
            ],
            ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
            storageVersionHash: Buffer.from(`${gv}/${r.plural}`).toString('base64').slice(0, 12),
          })),
        },
      };
    }
    // [plural], [plural, name], [namespaces, ns, plural], [namespaces, ns, plural, name]
    let namespace: string | null = null;
    let plural: string;
    let name: string | null = null;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1]!;
      plural = rest[2]!;
      name = rest[3] ?? null;
      if (rest.length > 4)
        return status(404, 'NotFound', 'subresources are not served by kube-sim');
    } else {
      plural = rest[0]!;
      name = rest[1] ?? null;
      if (rest.length > 2)
        return status(404, 'NotFound', 'subresources are not served by kube-sim');
    }
    const r = this.state.resolve(group, version, plural);
    if (!r) return status(404, 'NotFound', 'the server could not find the requested resource');
    if (namespace !== null && !r.namespaced)
      return status(404, 'NotFound', 'the server could not find the requested resource');
    const resourceName = group ? `${r.plural}.${group}` : r.plural;
    const forbidden = (this.opts.forbidden ?? []).some(
      (f) => f === `${group || 'core'}/${r.plural}` || (group === '' && f === r.plural),
    );
    if (forbidden) {
      const verb = name === null ? 'list' : 'get';
      const scope = namespace === null ? 'at the cluster scope' : `in the namespace "${namespace}"`;
      return status(
        403,
        'Forbidden',
        `${resourceName}${name ? ` "${name}"` : ''} is forbidden: User "system:serviceaccount:plumbline:plumbline-scanner" cannot ${verb} resource "${r.plural}" in API group "${group}" ${scope}`,
        { kind: r.plural, group },
      );
    }
    if (query.watch === 'true' || query.watch === '1')
      return status(405, 'MethodNotAllowed', 'watch is not served by kube-sim');
    const negotiated = negotiate(accept, name === null);
    const mode = negotiated === 'metadata' && this.opts.ignoreMetadataAccept ? 'json' : negotiated;
    if (mode === null) return status(406, 'NotAcceptable', `the server does not serve ${accept}`);
    const present = (o: Raw): Raw => {
      if (mode === 'metadata') return metadataOnly(o);
      if (r.origin === 'builtin') {
        // Built-in list items carry no apiVersion/kind, as from a real API server.
        if (name !== null) return { ...o, apiVersion: gv, kind: r.kind };
        const { apiVersion: _a, kind: _k, ...rest } = o;
        return rest;
      }
      return { ...o, apiVersion: gv, kind: r.kind };
    };
    if (name !== null) {
      const found = this.state.list(r).find((s) => s.name === name && s.namespace === namespace);
      if (!found)
        return status(404, 'NotFound', `${resourceName} "${name}" not found`, {
          name,
          kind: r.plural,
          group,
        });
      return { status: 200, body: present(found.object) };
    }
    return this.list(r, gv, namespace, query, mode, present);
  }

  private list(
    r: ServedResource,
    gv: string,
    namespace: string | null,
    query: Record<string, string>,
    mode: 'json' | 'metadata',
    present: (o: Raw) => Raw,
  ): Reply {
    const rv = this.state.resourceVersion;
    if (query.resourceVersion && query.resourceVersion !== '0') {
      const asked = Number(query.resourceVersion);
      if (!Number.isInteger(asked) || asked < 0)
        return status(400, 'BadRequest', `invalid resourceVersion ${query.resourceVersion}`);
      if (asked > rv)
        return status(504, 'Timeout', `Too large resource version: ${asked}, current: ${rv}`);
    }
    let items: StoredObject[] = this.state.list(r);
    if (namespace !== null) items = items.filter((s) => s.namespace === namespace);
    if (query.labelSelector) {
      const sel = parseLabelSelector(query.labelSelector);
      if (!sel)
        return status(400, 'BadRequest', `unable to parse requirement: ${query.labelSelector}`);
      items = items.filter((s) => {
        const labels = ((s.object.metadata as Raw).labels ?? {}) as Record<string, string>;
        return matches(sel, (k) => labels[k]);
      });
    }
    if (query.fieldSelector) {
      const sel = parseLabelSelector(query.fieldSelector);
      if (!sel) return status(400, 'BadRequest', `invalid field selector: ${query.fieldSelector}`);
      const allowed = [
        ...FIELD_LABELS['*']!,
        ...(FIELD_LABELS[`${r.group || 'core'}/${r.plural}`] ?? []),
      ];
      const bad = sel.find((s) => !allowed.includes(s.key) || !['=', '!='].includes(s.op));
      if (bad)
        return status(
          400,
          'BadRequest',
          `"${bad.key}" is not a known field selector: only "${allowed.join('", "')}"`,
        );
      items = items.filter((s) => matches(sel, (k) => field(s.object, k)));
    }
    let start = 0;
    let listRv = rv;
    if (query.continue) {
      const token = decodeContinue(query.continue);
      if (!token) return status(400, 'BadRequest', 'continue key is not valid');
      start = token.start;
      listRv = token.rv;
    }
    const limit = query.limit ? Number(query.limit) : 0;
    if (query.limit && (!Number.isInteger(limit) || limit < 0))
      return status(400, 'BadRequest', `invalid limit ${query.limit}`);
    const end = limit > 0 ? Math.min(items.length, start + limit) : items.length;
    const page = items.slice(start, end).map((s) => present(s.object));
    const metadata: Raw = { resourceVersion: String(listRv) };
    if (end < items.length) {
      metadata.continue = encodeContinue(listRv, end);
      metadata.remainingItemCount = items.length - end;
    }
    return {
      status: 200,
      body:
        mode === 'metadata'
          ? {
              kind: 'PartialObjectMetadataList',
              apiVersion: 'meta.k8s.io/v1',
              metadata,
              items: page,
            }
          : { kind: `${r.kind}List`, apiVersion: gv, metadata, items: page },
    };
  }
}

/** Start a simulator on 127.0.0.1 (random port unless given). */
export async function startKubeSim(opts: KubeSimOptions = {}): Promise<KubeSim> {
  const inputs: StateInput[] = [];
  const refusedOnLoad: Refusal[] = [];
  if (opts.dir) {
    const loaded = loadManifests(opts.dir, manifestFiles(opts.dir, opts.paths ?? ['.']));
    inputs.push(...loaded.objects);
    refusedOnLoad.push(...loaded.refused);
  }
  (opts.objects ?? []).forEach((o, i) =>
    inputs.push({ object: o as Raw, source: `objects[${i}]` }),
  );
  let kubernetesVersion = opts.kubernetesVersion;
  if (opts.scenario) {
    const cluster = generateCluster(opts.scenario);
    cluster.objects.forEach((o, i) => inputs.push({ object: o, source: `scenario[${i}]` }));
    kubernetesVersion ??= cluster.kubernetesVersion;
  }
  const state = new ClusterState(inputs, {
    inferCrds: opts.inferCrds === true,
    systemNamespaces: opts.systemNamespaces !== false,
  });
  const tls = opts.tls ?? (await createCertificate());
  const token = opts.token === undefined ? DEFAULT_TOKEN : opts.token;
  let address = '';
  const handler = new Handler(state, { ...opts, kubernetesVersion }, token, () => address);
  const server: Server = createServer(
    { key: tls.key, cert: tls.cert, keepAlive: true },
    (req, res) => handler.handle(req, res),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const info = server.address() as AddressInfo;
  address = `${info.address}:${info.port}`;
  const url = `https://${address}`;
  return {
    url,
    caCert: tls.cert,
    token,
    kubeconfig: (k = {}) => {
      const context = k.context ?? 'kube-sim';
      const cluster = k.cluster ?? 'kube-sim';
      const userToken = k.token ?? token;
      return stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: cluster,
            cluster: {
              server: url,
              'certificate-authority-data': Buffer.from(tls.cert, 'utf8').toString('base64'),
            },
          },
        ],
        users: [{ name: `${cluster}-user`, user: userToken ? { token: userToken } : {} }],
        contexts: [{ name: context, context: { cluster, user: `${cluster}-user` } }],
        'current-context': context,
      });
    },
    requests: handler.requests,
    refused: [...refusedOnLoad, ...state.refused],
    duplicates: state.duplicates,
    resources: () => [...state.resources.values()],
    objectCount: () => state.count(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
