import { existsSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions, type RequestOptions } from 'node:https';
import type { LookupFunction } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Where the cluster is and how to authenticate: a kubeconfig (file, KUBECONFIG, ~/.kube/config,
 * or text) with an optional context, or the pod's in-cluster service account. The official
 * client (@kubernetes/client-node) reads the configuration and applies its authentication
 * (client certificates, tokens, token files, exec and OIDC plugins); requests themselves are
 * made with Node's https module so the collector controls paging, Accept headers and retries.
 */

export type KubeSource =
  | { kind: 'kubeconfig'; files: string[]; context?: string }
  | { kind: 'kubeconfig-text'; text: string; context?: string }
  /** `pathPrefix` (tests): read the service account files below this folder. */
  | { kind: 'in-cluster'; pathPrefix?: string }
  | EndpointSource;

/**
 * An API server given directly (agentless scans from the SaaS): an https URL, a bearer token and
 * optionally the CA (PEM; without it the system trust store). TLS is always verified against the
 * URL's host name: there is no option to skip it. `pinnedAddress`: connect to this address
 * whatever DNS answers later (the caller checked it), so DNS rebinding cannot redirect the scan.
 */
export interface EndpointSource {
  kind: 'endpoint';
  server: string;
  token: string;
  caData?: string;
  pinnedAddress?: { address: string; family: 4 | 6 };
}

export interface SourceRequest {
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Resolve the connection the way kubectl does (without contacting anything): --kubeconfig,
 * then $KUBECONFIG, then ~/.kube/config, then the in-cluster service account. Null: none found.
 */
export function findKubeSource(
  req: SourceRequest,
  env: Record<string, string | undefined> = process.env,
  home: string = homedir(),
  exists: (path: string) => boolean = existsSync,
): KubeSource | null {
  const kubeconfig = (files: string[]): KubeSource =>
    req.context
      ? { kind: 'kubeconfig', files, context: req.context }
      : { kind: 'kubeconfig', files };
  if (req.inCluster) return { kind: 'in-cluster' };
  if (req.kubeconfig) return kubeconfig([req.kubeconfig]);
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f && exists(f));
  if (fromEnv.length) return kubeconfig(fromEnv);
  const file = join(home, '.kube', 'config');
  if (exists(file)) return kubeconfig([file]);
  if (env.KUBERNETES_SERVICE_HOST && exists(join(SERVICE_ACCOUNT_DIR, 'token')))
    return { kind: 'in-cluster' };
  return null;
}

export class ConnectError extends Error {}

/** An API server and fresh per-request options (credentials can rotate during a scan). */
export interface KubeTarget {
  /** Base URL, e.g. https://10.0.0.1:6443 (may carry a path prefix). */
  server: string;
  clusterName: string;
  contextName: string;
  requestOptions(): Promise<RequestOptions>;
  close(): void;
}

/** Always the pinned address, whatever the host name (the agent connects to one server only). */
function pinnedLookup(pin: { address: string; family: 4 | 6 }): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: pin.address, family: pin.family }]);
    else callback(null, pin.address, pin.family);
  };
}

/** A directly given endpoint: no kubeconfig, no proxy, bearer token, TLS verified. */
function connectEndpoint(source: EndpointSource): KubeTarget {
  let url: URL;
  try {
    url = new URL(source.server);
  } catch {
    throw new ConnectError('the API server address is not a URL');
  }
  if (url.protocol !== 'https:')
    throw new ConnectError('refusing a non-https API server (the API server must use TLS)');
  if (url.username || url.password || url.search || url.hash)
    throw new ConnectError('the API server URL may not carry credentials, a query or a fragment');
  const agent = new HttpsAgent({
    keepAlive: true,
    maxSockets: 4,
    rejectUnauthorized: true,
    ...(source.caData ? { ca: source.caData } : {}),
    ...(source.pinnedAddress ? { lookup: pinnedLookup(source.pinnedAddress) } : {}),
  });
  const headers = { Authorization: `Bearer ${source.token}` };
  return {
    server: `${url.origin}${url.pathname.replace(/\/+$/, '')}`,
    clusterName: url.hostname,
    contextName: 'endpoint',
    requestOptions: () => Promise.resolve({ agent, headers: { ...headers } }),
    close: () => agent.destroy(),
  };
}

/** Load the configuration with the official client and prepare a keep-alive connection. */
export async function connect(source: KubeSource): Promise<KubeTarget> {
  if (source.kind === 'endpoint') return connectEndpoint(source);
  if (source.kind === 'in-cluster' && !process.env.KUBERNETES_SERVICE_HOST)
    throw new ConnectError('not running in a pod: KUBERNETES_SERVICE_HOST is not set');
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    if (source.kind === 'in-cluster') kc.loadFromCluster(source.pathPrefix);
    else if (source.kind === 'kubeconfig-text') kc.loadFromString(source.text);
    else {
      // Like kubectl with several KUBECONFIG files: the first file's current context wins.
      kc.loadFromFile(source.files[0]!);
      for (const file of source.files.slice(1)) {
        const more = new KubeConfig();
        more.loadFromFile(file);
        kc.mergeConfig(more, true);
      }
    }
  } catch (e) {
    throw new ConnectError(`cannot read the cluster configuration: ${(e as Error).message}`);
  }
  if (source.kind !== 'in-cluster' && source.context) {
    if (!kc.getContextObject(source.context))
      throw new ConnectError(`context "${source.context}" is not in the kubeconfig`);
    kc.setCurrentContext(source.context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster?.server)
    throw new ConnectError('the kubeconfig has no current context with a cluster server');
  const server = cluster.server.replace(/\/+$/, '');
  const plainHttp = server.startsWith('http:');
  if (plainHttp && !cluster.skipTLSVerify)
    throw new ConnectError(`refusing plain HTTP to ${server} (the API server must use TLS)`);

  let agent: HttpAgent | HttpsAgent | undefined;
  const requestOptions = async (): Promise<RequestOptions> => {
    const opts: RequestOptions = {};
    try {
      await kc.applyToHTTPSOptions(opts);
    } catch (e) {
      throw new ConnectError(`cannot authenticate to the cluster: ${(e as Error).message}`);
    }
    if (!agent) {
      if (cluster.proxyUrl) agent = opts.agent as HttpsAgent;
      else if (plainHttp) agent = new HttpAgent({ keepAlive: true, maxSockets: 4 });
      else {
        const a: AgentOptions = { keepAlive: true, maxSockets: 4 };
        if (opts.ca) a.ca = opts.ca;
        if (opts.cert) a.cert = opts.cert;
        if (opts.key) a.key = opts.key;
        if (opts.pfx) a.pfx = opts.pfx;
        if (opts.passphrase) a.passphrase = opts.passphrase;
        if (opts.servername) a.servername = opts.servername;
        if (opts.rejectUnauthorized !== undefined) a.rejectUnauthorized = opts.rejectUnauthorized;
        agent = new HttpsAgent(a);
      }
    }
    const out: RequestOptions = { agent, headers: { ...opts.headers } };
    if (opts.auth) out.auth = opts.auth;
    return out;
  };
  return {
    server,
    clusterName: cluster.name,
    contextName: kc.getCurrentContext(),
    requestOptions,
    close: () => agent?.destroy(),
  };
}
