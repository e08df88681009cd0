import type {
  AgentCredential,
  AgentFinding,
  AgentItem,
  AgentItemKind,
  ClusterSnapshot,
  DesignPattern,
  DetectionResult,
  EnvVar,
  ModelRoute,
  SpecObject,
  Workload,
} from '@plumbline/contracts';
import { DESIGN_PATTERNS } from '@plumbline/contracts';
import {
  analyzeNetworkPolicies,
  parseSelector,
  selectorMatches,
  type NetpolAnalysis,
} from '@plumbline/netpol';
import { isPlaceholder } from './credentials.js';
import { snapshotLookup, type SnapshotLookup } from './lookup.js';
import type { EvidenceFacts } from './evidence.js';
import {
  CODE_EXEC,
  CODE_EXEC_ENV,
  CREDENTIAL_NAME,
  DISABLED_VALUE,
  DESIGN_PATTERN_KEY,
  FRAMEWORK_ENV,
  FRAMEWORK_TEXT,
  GATEWAY_HOST,
  GATEWAY_IMAGES,
  KIND_KEY,
  MCP_ARGS,
  MCP_IMAGE,
  MCP_NAME,
  MODEL_ENDPOINT_ENV,
  MODEL_HOST,
  MODEL_SERVER_IMAGES,
  NOT_CREDENTIAL_NAME,
  OLLAMA_PORT,
  OWNER_KEY,
  PROVIDER_DEFAULT_HOST,
  PROVIDER_HOSTS,
  PROVIDER_KEY_ENV,
  PUBLIC_PROBE_ADDRESS,
  PUBLIC_PROBE_PORT,
  REGISTRATION_KEY,
  REGISTRY_CR,
  SANDBOX_RUNTIME,
  ENABLED_VALUE,
  TRACING_ENV,
  TRACING_OFF,
} from './patterns.js';
import { rbacReach } from './rbac.js';
import {
  anyOf,
  arr,
  cmp,
  hostOf,
  isInternalHost,
  obj,
  schemeOf,
  sortedUnique,
  str,
} from './util.js';

/**
 * Agent discovery: which workloads and custom resources are AI agents, MCP servers, model servers
 * or gateways, and what the snapshot says about each one's credentials, identity, owner,
 * registration, egress, sandboxing, RBAC reach and supply chain. Evidence uploads add the MCP
 * servers of client configurations, agents seen only in agent cards or traces, and tools.
 */

/** Facts about an item the result does not show but criteria use. */
export interface ItemExtra {
  /** Could its credentials be resolved (false: a ModelConfig it names is not in the snapshot)? */
  credentialsKnown: boolean;
  /** Other agents it calls as tools (kagent `type: Agent` tools). */
  agentTools: string[];
  declaredPattern: DesignPattern | null;
  /** Names evidence may use for it (its name, Services selecting it). */
  keys: string[];
}

export interface Discovery {
  items: AgentItem[];
  extra: Map<string, ItemExtra>;
  sharedCredentials: { credential: string; items: string[] }[];
  platforms: { id: string; status: string }[];
}

interface Draft {
  item: AgentItem;
  extra: ItemExtra;
  /** The workload behind it, when it has one. */
  workload: Workload | null;
  endpoints: { name: string; value: string | null }[];
  providers: string[];
  /** kagent agents: the ModelConfig they name. */
  modelConfig?: { mc: SpecObject | undefined; name: string | null };
  /** K8sGPT: backend and base URL. */
  k8sgpt?: { backend: string; baseUrl: string | null };
}

type Service = ClusterSnapshot['services'][number];

function emptyItem(
  kind: AgentItemKind,
  ref: string,
  namespace: string | null,
  name: string,
  source: AgentItem['source'],
): AgentItem {
  return {
    kind,
    ref,
    namespace,
    name,
    source,
    framework: null,
    signals: [],
    serviceAccount: null,
    dedicatedServiceAccount: null,
    automountToken: null,
    credentials: [],
    sharedCredentials: [],
    owner: null,
    ownerSource: null,
    registered: false,
    registration: null,
    modelRoute: { route: kind === 'agent' ? 'unknown' : 'none', detail: '' },
    egress: null,
    sandbox: { sandboxed: false, runtimeClassName: null, via: null },
    rbac: null,
    exposure: null,
    artifacts: [],
    tracing: { exporter: null, signals: [] },
    workloadIdentity: null,
    codeExecution: false,
    autoRemediation: false,
    tools: [],
    findings: [],
  };
}

/** What the scanner writes in place of a withheld value. */
const WITHHELD = '[REDACTED]';

const pinnedImage = (image: string) => /@sha256:[0-9a-f]{64}$/i.test(image);

// Prefilters of the pattern lists (constant data): when none of a list matches, a find over it
// finds nothing, so the patterns are not tried one by one.
const ANY_PROVIDER_KEY = anyOf(PROVIDER_KEY_ENV.map((p) => p.name));
const ANY_FRAMEWORK_ENV = anyOf(FRAMEWORK_ENV.map((f) => f.name));
const ANY_FRAMEWORK_TEXT = anyOf(FRAMEWORK_TEXT.map((f) => f.pattern));
const ANY_MODEL_SERVER_IMAGE = anyOf(MODEL_SERVER_IMAGES.map((m) => m.pattern));
const ANY_GATEWAY_IMAGE = anyOf(GATEWAY_IMAGES.map((g) => g.pattern));

function providerOf(envName: string): string | null {
  if (!ANY_PROVIDER_KEY(envName)) return null;
  return PROVIDER_KEY_ENV.find((p) => p.name.test(envName))?.provider ?? null;
}

/** The first framework (list order) whose pattern matches one of the words. */
function frameworkText(words: readonly string[]): (typeof FRAMEWORK_TEXT)[number] | undefined {
  if (!words.some(ANY_FRAMEWORK_TEXT)) return undefined;
  return FRAMEWORK_TEXT.find((f) => words.some((x) => f.pattern.test(x)));
}

/**
 * The first key matching `key` whose value is set. A value that switches the control off
 * (`false`, `no`, `none`, `disabled`...) is the absence of the signal, never the signal, and the
 * scanner's `[REDACTED]` (a withheld value) is no value either.
 */
function firstMatch(records: readonly [string, Record<string, string>][], key: RegExp) {
  for (const [where, rec] of records)
    for (const k of Object.keys(rec).sort(cmp)) {
      const v = rec[k];
      if (key.test(k) && v && !DISABLED_VALUE.test(v.trim()) && v !== WITHHELD)
        return { key: k, value: v, where };
    }
  return null;
}

/** Where discovery reads a workload's declarations, in order (the object itself first). */
function workloadMeta(w: Workload): [string, Record<string, string>][] {
  return [
    ['annotation', w.annotations ?? {}],
    ['label', w.labels],
    ['pod label', w.podLabels],
    ['pod annotation', w.podAnnotations],
  ];
}

// ---------------------------------------------------------------- workload classification

/** Does a container image, command word or argument of the workload pass the test? */
function someWord(w: Workload, test: (s: string) => boolean): boolean {
  for (const c of w.containers) {
    if (test(c.image)) return true;
    for (const x of c.command) if (test(x)) return true;
    for (const x of c.args) if (test(x)) return true;
  }
  return false;
}

/** Does a container image of the workload pass the test? */
function someImage(w: Workload, test: (s: string) => boolean): boolean {
  for (const c of w.containers) if (test(c.image)) return true;
  return false;
}

/** Does an env var name of the workload pass the test? */
function someEnvName(w: Workload, test: (s: string) => boolean): boolean {
  for (const c of w.containers) for (const e of c.env) if (test(e.name)) return true;
  return false;
}

const imagesOf = (w: Workload) => w.containers.map((c) => c.image);

/** The first entry (list order) whose pattern matches one of the images. */
function firstImageMatch<T extends { pattern: RegExp }>(
  list: readonly T[],
  images: readonly string[],
): T | undefined {
  return list.find((m) => images.some((i) => m.pattern.test(i)));
}
const wordsOf = (w: Workload) => w.containers.flatMap((c) => [c.image, ...c.command, ...c.args]);
const envNamesOf = (w: Workload) => w.containers.flatMap((c) => c.env.map((e) => e.name));

/** The first framework of FRAMEWORK_TEXT an image, command word or argument names. */
const textFrameworkOf = (w: Workload) =>
  someWord(w, ANY_FRAMEWORK_TEXT) ? frameworkText(wordsOf(w)) : undefined;

/** The framework by text, else by env var name (`envFramework`: one of FRAMEWORK_ENV is set). */
function frameworkOfWorkload(w: Workload, envFramework: boolean): string | null {
  return (
    textFrameworkOf(w)?.framework ??
    (envFramework
      ? FRAMEWORK_ENV.find((f) => envNamesOf(w).some((n) => f.name.test(n)))?.framework
      : undefined) ??
    null
  );
}

// Tests passed to someImage / someEnvName, made once (not a closure per workload).
const isMcpImage = (i: string) => MCP_IMAGE.test(i);
const isModelEndpointEnv = (n: string) => MODEL_ENDPOINT_ENV.test(n);

// The lists are built only when a quick test says they are not empty: most workloads are no
// agent, MCP server, model server or gateway, and classifying them allocates next to nothing.
function classifyWorkload(
  w: Workload,
): { kind: AgentItemKind; framework: string | null; signals: string[] } | null {
  const declared =
    w.annotations?.[KIND_KEY] ??
    w.labels[KIND_KEY] ??
    w.podLabels[KIND_KEY] ??
    w.podAnnotations[KIND_KEY];
  const envFramework = someEnvName(w, ANY_FRAMEWORK_ENV);
  if (declared && ['agent', 'mcp-server', 'model-server', 'gateway'].includes(declared))
    return {
      kind: declared as AgentItemKind,
      framework: frameworkOfWorkload(w, envFramework),
      signals: [`label or annotation ${KIND_KEY}=${declared}`],
    };

  const engine = someImage(w, ANY_MODEL_SERVER_IMAGE)
    ? firstImageMatch(MODEL_SERVER_IMAGES, imagesOf(w))
    : undefined;
  if (engine)
    return {
      kind: 'model-server',
      framework: engine.engine,
      signals: [`image matches ${engine.engine}`],
    };
  if (w.containers.some((c) => c.ports.some((p) => p.containerPort === OLLAMA_PORT)))
    return {
      kind: 'model-server',
      framework: 'ollama',
      signals: [`container port ${OLLAMA_PORT} (Ollama)`],
    };

  const gw = someImage(w, ANY_GATEWAY_IMAGE)
    ? firstImageMatch(GATEWAY_IMAGES, imagesOf(w))
    : undefined;
  if (gw)
    return { kind: 'gateway', framework: gw.product, signals: [`image matches ${gw.product}`] };

  const mcpImage = someImage(w, isMcpImage);
  const mcpName = MCP_NAME.test(w.name);
  const mcpArgs = w.containers.some(
    (c) => c.command.some((a) => MCP_ARGS.test(a)) || c.args.some((a) => MCP_ARGS.test(a)),
  );
  if (mcpImage || mcpName || mcpArgs) {
    const mcpSignals: string[] = [];
    if (mcpImage) mcpSignals.push('MCP server image');
    if (mcpName) mcpSignals.push(`name ${w.name}`);
    if (mcpArgs) mcpSignals.push('MCP server arguments');
    return {
      kind: 'mcp-server',
      framework: frameworkOfWorkload(w, envFramework),
      signals: mcpSignals,
    };
  }

  const signals: string[] = [];
  if (someEnvName(w, ANY_PROVIDER_KEY)) {
    const keys = sortedUnique(envNamesOf(w).filter((n) => providerOf(n)));
    if (keys.length) signals.push(`model provider key env ${keys.join(', ')}`);
  }
  if (envFramework) {
    const fwEnv = sortedUnique(
      envNamesOf(w).filter((n) => FRAMEWORK_ENV.some((f) => f.name.test(n))),
    );
    if (fwEnv.length) signals.push(`agent framework env ${fwEnv.slice(0, 5).join(', ')}`);
  }
  const fwText = textFrameworkOf(w);
  if (fwText) signals.push(`image or command mentions ${fwText.framework}`);
  if (someEnvName(w, isModelEndpointEnv)) {
    const endpoints = sortedUnique(envNamesOf(w).filter((n) => MODEL_ENDPOINT_ENV.test(n)));
    if (endpoints.length) signals.push(`model endpoint env ${endpoints.join(', ')}`);
  }
  if (!signals.length) return null;
  return { kind: 'agent', framework: frameworkOfWorkload(w, envFramework), signals };
}

// ---------------------------------------------------------------- credentials

function envCredential(e: EnvVar, ns: string, ref: string): AgentCredential | null {
  const provider = providerOf(e.name);
  if (e.source === 'secretKeyRef')
    return {
      name: e.name,
      source: 'secretKeyRef',
      secret: `${ns}/${e.secretName}`,
      key: e.key,
      looksLikeCredential: false,
      provider,
      id: `Secret ${ns}/${e.secretName}[${e.key}]`,
    };
  if (e.source !== 'literal') return null;
  const named = CREDENTIAL_NAME.test(e.name) && !NOT_CREDENTIAL_NAME.test(e.name);
  const withheld = e.value === undefined && e.fingerprint !== null;
  if (!(e.looksLikeCredential || (named && withheld) || (provider && withheld))) return null;
  return {
    name: e.name,
    source: 'literal',
    secret: null,
    key: null,
    looksLikeCredential: true,
    provider,
    id: e.fingerprint
      ? `literal value, fingerprint ${e.fingerprint}`
      : `literal value in ${ref} ${e.name}`,
  };
}

/**
 * Tracing a container's env turns on, read from names AND values: a toggle counts only with a
 * visible true value, and a family switched off in the same container (`OTEL_SDK_DISABLED=true`,
 * `OTEL_TRACES_EXPORTER=none`, `LANGSMITH_TRACING=false`) does not count at all.
 */
export function tracingSignals(env: readonly EnvVar[]): string[] {
  const visible = (e: EnvVar) => (e.source === 'literal' ? (e.value?.trim() ?? null) : null);
  const off = new Set<string>();
  for (const e of env)
    for (const f of TRACING_OFF) {
      if (!f.name.test(e.name)) continue;
      const v = visible(e);
      if (v !== null && f.off.test(v)) off.add(f.family);
    }
  const out: string[] = [];
  for (const e of env)
    for (const t of TRACING_ENV) {
      if (!t.name.test(e.name) || off.has(t.family)) continue;
      const v = visible(e);
      if (t.type === 'toggle' && !(v !== null && ENABLED_VALUE.test(v))) continue;
      if (t.type === 'exporter' && (v === null || /^none$/i.test(v))) continue;
      out.push(`${t.label} (${e.name}${t.type === 'endpoint' ? '' : `=${v}`})`);
    }
  return out;
}

// ---------------------------------------------------------------- identity helpers

function workloadIdentity(
  w: {
    namespace: string;
    podLabels: Record<string, string>;
    podAnnotations: Record<string, string>;
    annotations?: Record<string, string> | undefined;
  },
  snapshot: ClusterSnapshot,
  look: SnapshotLookup,
  detection: DetectionResult,
  sa: string | null,
): string | null {
  const has = (id: string) =>
    detection.components.some((c) => c.id === id && c.status !== 'remnant');
  const ns = look.namespace(w.namespace);
  const nsLabels = ns?.labels ?? {};
  const nsAnn = ns?.annotations ?? {};
  const pod = { ...(w.annotations ?? {}), ...w.podLabels, ...w.podAnnotations };
  if (has('istio')) {
    const inject = pod['sidecar.istio.io/inject'];
    if (inject !== 'false') {
      if (inject === 'true') return 'Istio mTLS (sidecar)';
      if (nsLabels['istio-injection'] === 'enabled' || nsLabels['istio.io/rev'])
        return 'Istio mTLS (namespace sidecar injection)';
    }
    const ambient = pod['istio.io/dataplane-mode'] ?? nsLabels['istio.io/dataplane-mode'];
    if (ambient === 'ambient') return 'Istio ambient mTLS';
  }
  if (has('linkerd')) {
    const inject = pod['linkerd.io/inject'] ?? nsAnn['linkerd.io/inject'];
    if (inject === 'enabled') return 'Linkerd mTLS';
  }
  if (has('spire')) {
    const managed = pod['spiffe.io/spire-managed-identity'];
    if (managed && !DISABLED_VALUE.test(managed))
      return 'SPIFFE/SPIRE (spiffe.io label or annotation)';
    if (pod['spiffe.io/spiffe-id']) return `SPIFFE/SPIRE (spiffe.io/spiffe-id)`;
    // SPIRE controller manager: a ClusterSPIFFEID whose pod and namespace selectors match.
    for (const o of snapshot.config.customResources) {
      if (o.kind !== 'ClusterSPIFFEID' || !/^spire\.spiffe\.io\//.test(o.apiVersion)) continue;
      const spec = obj(o.spec);
      const podSel = parseSelector(spec.podSelector) ?? parseSelector({});
      const nsSel = parseSelector(spec.namespaceSelector) ?? parseSelector({});
      if (!podSel || !nsSel) continue;
      if (!selectorMatches(podSel, w.podLabels)) continue;
      if (!selectorMatches(nsSel, { 'kubernetes.io/metadata.name': w.namespace, ...nsLabels }))
        continue;
      return `SPIFFE/SPIRE (ClusterSPIFFEID ${o.name})`;
    }
  }
  const saObj = sa ? look.serviceAccount(w.namespace, sa) : null;
  const ann = saObj?.annotations ?? {};
  if (ann['eks.amazonaws.com/role-arn']) return 'EKS IAM roles for service accounts';
  if (ann['iam.gke.io/gcp-service-account']) return 'GKE Workload Identity';
  if (ann['azure.workload.identity/client-id'] || pod['azure.workload.identity/use'] === 'true')
    return 'Azure Workload Identity';
  return null;
}

function sandboxOf(runtimeClassName: string | null): AgentItem['sandbox'] {
  const hit = runtimeClassName
    ? SANDBOX_RUNTIME.find((s) => s.pattern.test(runtimeClassName))
    : null;
  return {
    sandboxed: !!hit,
    runtimeClassName,
    via: hit ? `RuntimeClass ${runtimeClassName} (${hit.via})` : null,
  };
}

// ---------------------------------------------------------------- services and routes

function serviceFor(look: SnapshotLookup, host: string, ns: string | null): Service | null {
  const parts = host.split('.');
  let name: string;
  let namespace: string | null;
  if (parts.length === 1) [name, namespace] = [parts[0]!, ns];
  else if (parts.length === 2 || parts[2] === 'svc') [name, namespace] = [parts[0]!, parts[1]!];
  else return null;
  return look.service(namespace, name);
}

function selects(
  svc: Service,
  w: { namespace: string; podLabels: Record<string, string> },
): boolean {
  const sel = svc.selector;
  // A non-empty selector, in the workload's namespace, every label of it on the pods.
  if (!sel || svc.namespace !== w.namespace) return false;
  let n = 0;
  for (const k in sel) {
    if (!Object.prototype.hasOwnProperty.call(sel, k)) continue;
    n++;
    if (w.podLabels[k] !== sel[k]) return false;
  }
  return n > 0;
}

const ROUTE_RANK: Record<ModelRoute, number> = {
  'direct-provider': 6,
  'external-endpoint': 5,
  unknown: 4,
  'internal-endpoint': 3,
  gateway: 1,
  'in-cluster-model': 1,
  none: 0,
};

function routeOfUrl(
  url: string,
  ns: string | null,
  look: SnapshotLookup,
  drafts: readonly Draft[],
): { route: ModelRoute; detail: string } {
  if (/[<>{}$]/.test(url))
    return { route: 'unknown', detail: `base URL ${url} is a template placeholder` };
  const host = hostOf(url);
  if (!host) return { route: 'unknown', detail: `cannot read a host from ${url}` };
  if (PROVIDER_HOSTS.test(host))
    return { route: 'direct-provider', detail: `calls ${host} directly` };
  const svc = serviceFor(look, host, ns);
  if (svc) {
    const target = drafts.find((d) => d.workload && selects(svc, d.workload));
    if (target?.item.kind === 'gateway')
      return {
        route: 'gateway',
        detail: `through gateway ${target.item.ref} (Service ${svc.namespace}/${svc.name})`,
      };
    if (target?.item.kind === 'model-server')
      return {
        route: 'in-cluster-model',
        detail: `in-cluster model server ${target.item.ref} (Service ${svc.namespace}/${svc.name})`,
      };
  }
  const cr = drafts.find(
    (d) =>
      !d.workload && d.item.kind !== 'agent' && d.extra.keys.some((k) => k === host.split('.')[0]),
  );
  if (cr?.item.kind === 'model-server')
    return { route: 'in-cluster-model', detail: `in-cluster model server ${cr.item.ref}` };
  if (GATEWAY_HOST.test(host)) return { route: 'gateway', detail: `through gateway host ${host}` };
  if (isInternalHost(host)) {
    if (MODEL_HOST.test(host))
      return { route: 'in-cluster-model', detail: `internal model server ${host}` };
    return {
      route: 'internal-endpoint',
      detail: `internal endpoint ${host}: not recognisable as a gateway or model server`,
    };
  }
  return { route: 'external-endpoint', detail: `calls external endpoint ${host}` };
}

function worstRoute(routes: { route: ModelRoute; detail: string }[]): {
  route: ModelRoute;
  detail: string;
} {
  if (!routes.length) return { route: 'unknown', detail: 'no model endpoint visible' };
  const worst = [...routes].sort(
    (a, b) => ROUTE_RANK[b.route] - ROUTE_RANK[a.route] || cmp(a.detail, b.detail),
  );
  return {
    route: worst[0]!.route,
    detail: sortedUnique(routes.map((r) => r.detail)).join('; '),
  };
}

/**
 * How a workload can be reached from outside the cluster: LoadBalancer / NodePort Services
 * selecting its pods, Ingresses, Gateway API routes and Istio gateway VirtualServices sending to
 * such a Service (any type), host network and host ports.
 */
function exposurePaths(snapshot: ClusterSnapshot, look: SnapshotLookup, w: Workload): string[] {
  const out: string[] = [];
  if (w.hostNetwork) out.push('hostNetwork');
  for (const c of w.containers)
    for (const p of c.ports) if (p.hostPort) out.push(`hostPort ${p.hostPort} (${c.name})`);
  const svcs = look.servicesIn(w.namespace).filter((s) => selects(s, w));
  const svcRef = (s: Service) => `${s.namespace}/${s.name}`;
  const isSvc = (ns: string, name: string | null) =>
    !!name && svcs.some((s) => s.namespace === ns && s.name === name);
  for (const s of svcs)
    if (s.type === 'LoadBalancer' || s.type === 'NodePort')
      out.push(`${s.type} Service ${svcRef(s)}`);
  // Routes below reach the workload only through one of these Services.
  if (!svcs.length) return sortedUnique(out);
  // An Ingress sends to Services of its own namespace: only the workload's namespace can match
  // (all of `svcs` are in it), so only its Ingresses are read (not every Ingress per agent).
  for (const i of look.ingressesIn(w.namespace))
    if (i.rules.some((r) => r.paths.some((p) => isSvc(i.namespace, p.service))))
      out.push(`Ingress ${i.namespace}/${i.name}`);
  for (const o of snapshot.gatewayApi) {
    if (!/Route$/.test(o.kind)) continue;
    const ns = o.namespace ?? 'default';
    const hit = arr(obj(o.spec).rules).some((r) =>
      arr(obj(r).backendRefs).some((b) => {
        const ref = obj(b);
        const kind = str(ref.kind) ?? 'Service';
        return kind === 'Service' && isSvc(str(ref.namespace) ?? ns, str(ref.name));
      }),
    );
    if (hit) out.push(`${o.kind} ${ns}/${o.name}`);
  }
  for (const o of snapshot.config.customResources) {
    if (o.kind !== 'VirtualService' || !/^networking\.istio\.io\//.test(o.apiVersion)) continue;
    const spec = obj(o.spec);
    const gateways = arr(spec.gateways).filter((g): g is string => typeof g === 'string');
    if (!gateways.some((g) => g !== 'mesh')) continue;
    const ns = o.namespace ?? 'default';
    const hit = ['http', 'tcp', 'tls'].some((k) =>
      arr(spec[k]).some((r) =>
        arr(obj(r).route).some((rt) => {
          const host = str(obj(obj(rt).destination).host);
          const svc = host ? serviceFor(look, host, ns) : null;
          return !!svc && svcs.includes(svc);
        }),
      ),
    );
    if (hit) out.push(`Istio VirtualService ${ns}/${o.name} (gateway ${gateways.join(', ')})`);
  }
  return sortedUnique(out);
}

// ---------------------------------------------------------------- custom resources

const KAGENT = /^kagent\.dev\//;
const SANDBOX_GROUP = /^agents\.x-k8s\.io\//;
const K8SGPT = /^core\.k8sgpt\.ai\//;
const LWS = /^leaderworkerset\.x-k8s\.io\//;

function crRef(o: SpecObject): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

function crOwner(o: SpecObject): { owner: string; source: string } | null {
  const hit = firstMatch([['label', o.labels]], OWNER_KEY);
  return hit ? { owner: hit.value, source: `${hit.where} ${hit.key}` } : null;
}

/** `npx -y pkg@1.0` style command lines in CR specs -> package artifacts. */
function packageArtifact(command: string | null, args: string[]): AgentItem['artifacts'] {
  if (!command || !/^(npx|uvx|bunx|pnpx|pipx)$/.test(command.split('/').pop() ?? '')) return [];
  const spec = args.find((a) => !a.startsWith('-'));
  if (!spec) return [];
  const at = spec.lastIndexOf('@');
  const py = /==(.+)$/.exec(spec);
  const version = py ? py[1]! : at > 0 ? spec.slice(at + 1) : null;
  return [
    {
      type: 'package',
      ref: spec,
      pinned: !!version && /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(version),
    },
  ];
}

interface PodTemplateFacts {
  images: string[];
  env: { name: string; value: string | null; secret: { name: string; key: string } | null }[];
  serviceAccount: string | null;
  runtimeClassName: string | null;
}

function podTemplate(spec: unknown): PodTemplateFacts {
  const s = obj(spec);
  const containers = [...arr(s.containers), ...arr(s.initContainers)].map(obj);
  return {
    images: sortedUnique(containers.map((c) => str(c.image)).filter((x): x is string => !!x)),
    env: containers.flatMap((c) =>
      arr(c.env)
        .map(obj)
        .map((e) => {
          const ref = obj(obj(e.valueFrom).secretKeyRef);
          const sName = str(ref.name);
          const sKey = str(ref.key);
          return {
            name: str(e.name) ?? '',
            value: typeof e.value === 'string' ? e.value : null,
            secret: sName && sKey ? { name: sName, key: sKey } : null,
          };
        }),
    ),
    serviceAccount: str(s.serviceAccountName),
    runtimeClassName: str(s.runtimeClassName),
  };
}

function templateCredentials(t: PodTemplateFacts, ns: string, ref: string): AgentCredential[] {
  const out: AgentCredential[] = [];
  for (const e of t.env) {
    if (e.secret)
      out.push({
        name: e.name,
        source: 'secretKeyRef',
        secret: `${ns}/${e.secret.name}`,
        key: e.secret.key,
        looksLikeCredential: false,
        provider: providerOf(e.name),
        id: `Secret ${ns}/${e.secret.name}[${e.secret.key}]`,
      });
    else if (
      e.value !== null &&
      CREDENTIAL_NAME.test(e.name) &&
      !NOT_CREDENTIAL_NAME.test(e.name) &&
      !isPlaceholder(e.value)
    )
      out.push({
        name: e.name,
        source: 'literal',
        secret: null,
        key: null,
        looksLikeCredential: true,
        provider: providerOf(e.name),
        id: `literal value in ${ref} ${e.name}`,
      });
  }
  return out;
}

function kagentModelRoute(
  mc: SpecObject | undefined,
  name: string | null,
  look: SnapshotLookup,
  drafts: readonly Draft[],
): { route: ModelRoute; detail: string } {
  if (!name) return { route: 'unknown', detail: 'no ModelConfig named' };
  if (!mc) return { route: 'unknown', detail: `ModelConfig ${name} is not in the snapshot` };
  const spec = obj(mc.spec);
  const provider = (str(spec.provider) ?? '').toLowerCase();
  const urls: string[] = [];
  for (const [k, v] of Object.entries(spec)) {
    if (!v || typeof v !== 'object') continue;
    for (const f of ['baseUrl', 'baseURL', 'endpoint', 'host', 'url']) {
      const u = str(obj(v)[f]);
      if (u && k !== 'tls') urls.push(u);
    }
  }
  if (urls.length) return worstRoute(urls.map((u) => routeOfUrl(u, mc.namespace, look, drafts)));
  const key =
    provider === 'openai'
      ? 'openai'
      : provider === 'anthropic'
        ? 'anthropic'
        : provider === 'azureopenai'
          ? 'azure-openai'
          : provider.includes('gemini')
            ? 'google'
            : null;
  if (key)
    return {
      route: 'direct-provider',
      detail: `ModelConfig ${mc.namespace}/${mc.name} (${str(spec.provider)}) has no base URL: calls ${PROVIDER_DEFAULT_HOST[key]} directly`,
    };
  return {
    route: 'unknown',
    detail: `ModelConfig ${mc.namespace}/${mc.name} (${str(spec.provider) ?? 'no provider'})`,
  };
}

/**
 * An agent registry entry naming this workload: a `plumbline.io` `AgentRegistration` whose
 * `spec.workloadRef` is `{kind?, name, namespace?}` (namespace defaults to the entry's own), or
 * whose `spec.selector` (a label selector) matches the workload's pods in the entry's namespace.
 */
function registryEntryFor(snapshot: ClusterSnapshot, w: Workload): string | null {
  for (const o of snapshot.config.customResources) {
    if (!REGISTRY_CR.group.test(o.apiVersion.split('/')[0] ?? '') || !REGISTRY_CR.kind.test(o.kind))
      continue;
    const spec = obj(o.spec);
    const ref = obj(spec.workloadRef);
    const ns = str(ref.namespace) ?? o.namespace;
    const name = str(ref.name);
    const kind = str(ref.kind);
    const byRef = name === w.name && ns === w.namespace && (!kind || kind === w.kind);
    const sel = parseSelector(spec.selector);
    const bySelector =
      !name &&
      !!sel &&
      sel.requirements.length > 0 &&
      o.namespace === w.namespace &&
      selectorMatches(sel, w.podLabels);
    if (byRef || bySelector) return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
  }
  return null;
}

// ---------------------------------------------------------------- discovery

export function discover(
  snapshot: ClusterSnapshot,
  detection: DetectionResult,
  evidence: EvidenceFacts,
  netpol?: NetpolAnalysis | null,
): Discovery {
  const drafts: Draft[] = [];
  // Services, ServiceAccounts and Namespaces by namespace and name, for this call only (a cache
  // beyond the call, such as a WeakMap keyed by the snapshot, keeps every analysed snapshot
  // alive through young-generation collections until a full one: see lookup.ts).
  const look = snapshotLookup(snapshot);
  // Whether one workload alone runs as `namespace/account`: the users of every account are
  // counted once, when the first agent asks (a cluster without agents never pays for it).
  let saUse: Map<string, number> | null = null;
  const soleUser = (key: string): boolean => {
    if (!saUse) {
      saUse = new Map<string, number>();
      for (const w of snapshot.workloads) {
        const k = `${w.namespace}/${w.serviceAccountName || 'default'}`;
        saUse.set(k, (saUse.get(k) ?? 0) + 1);
      }
    }
    return saUse.get(key) === 1;
  };
  const hasPlatform = (id: string) =>
    detection.components.some((c) => c.id === id && c.status !== 'remnant');

  // ---- workloads
  for (const w of snapshot.workloads) {
    if (w.namespace === 'plumbline' || w.namespace === 'plumbline-system') continue;
    const cls = classifyWorkload(w);
    if (!cls) continue;
    const ref = `${w.kind} ${w.namespace}/${w.name}`;
    const item = emptyItem(cls.kind, ref, w.namespace, w.name, 'workload');
    item.framework = cls.framework;
    item.signals = cls.signals;
    const sa = w.serviceAccountName || 'default';
    item.serviceAccount = sa;
    item.dedicatedServiceAccount = sa !== 'default' && soleUser(`${w.namespace}/${sa}`);
    const saObj = look.serviceAccount(w.namespace, sa);
    item.automountToken =
      w.automountServiceAccountToken ?? saObj?.automountServiceAccountToken ?? true;
    const creds: AgentCredential[] = [];
    const endpoints: Draft['endpoints'] = [];
    const providers: string[] = [];
    const tracing: string[] = [];
    for (const c of w.containers) {
      for (const e of c.env) {
        const cred = envCredential(e, w.namespace, ref);
        if (cred) creds.push(cred);
        const p = providerOf(e.name);
        if (p) providers.push(p);
        if (MODEL_ENDPOINT_ENV.test(e.name))
          endpoints.push({
            name: e.name,
            value: e.source === 'literal' ? (e.value ?? null) : null,
          });
        if (CODE_EXEC_ENV.test(e.name)) item.codeExecution = true;
      }
      for (const f of c.envFrom)
        if (f.kind === 'secret')
          creds.push({
            name: `envFrom${f.prefix ? ` ${f.prefix}*` : ''}`,
            source: 'envFrom-secret',
            secret: `${w.namespace}/${f.name}`,
            key: null,
            looksLikeCredential: false,
            provider: null,
            id: `Secret ${w.namespace}/${f.name} (all keys)`,
          });
      if ([c.image, ...c.command, ...c.args].some((x) => CODE_EXEC.test(x)))
        item.codeExecution = true;
      tracing.push(...tracingSignals(c.env));
    }
    item.credentials = dedupeCredentials(creds);
    item.tracing = { exporter: tracing.length > 0, signals: sortedUnique(tracing) };
    const owner = firstMatch(workloadMeta(w), OWNER_KEY);
    const ns = look.namespace(w.namespace);
    const nsOwner = ns
      ? firstMatch(
          [
            ['namespace label', ns.labels],
            ['namespace annotation', ns.annotations],
          ],
          OWNER_KEY,
        )
      : null;
    const o = owner ?? nsOwner;
    if (o) {
      item.owner = o.value;
      item.ownerSource = `${o.where} ${o.key}`;
    }
    const reg = firstMatch(workloadMeta(w), REGISTRATION_KEY);
    const entry = reg ? null : registryEntryFor(snapshot, w);
    if (reg) {
      item.registered = true;
      item.registration = `${reg.where} ${reg.key}=${reg.value}`;
    } else if (entry) {
      item.registered = true;
      item.registration = `registry entry ${entry}`;
    }
    item.sandbox = sandboxOf(w.runtimeClassName);
    item.rbac = rbacReach(snapshot, w.namespace, sa);
    item.artifacts = sortedUnique(w.containers.map((c) => c.image)).map((image) => ({
      type: 'image' as const,
      ref: image,
      pinned: pinnedImage(image),
    }));
    item.workloadIdentity = workloadIdentity(w, snapshot, look, detection, sa);
    const declared =
      w.annotations?.[DESIGN_PATTERN_KEY] ??
      w.podAnnotations[DESIGN_PATTERN_KEY] ??
      w.labels[DESIGN_PATTERN_KEY];
    const keys = [
      w.name,
      ...look
        .servicesIn(w.namespace)
        .filter((s) => selects(s, w))
        .map((s) => s.name),
    ];
    drafts.push({
      item,
      workload: w,
      endpoints,
      providers: sortedUnique(providers),
      extra: {
        credentialsKnown: true,
        agentTools: [],
        declaredPattern: (DESIGN_PATTERNS as readonly string[]).includes(declared ?? '')
          ? (declared as DesignPattern)
          : null,
        keys: sortedUnique(keys),
      },
    });
  }

  // ---- custom resources
  const crs = snapshot.config.customResources;
  const modelConfigs = crs.filter((o) => KAGENT.test(o.apiVersion) && o.kind === 'ModelConfig');
  const crDraft = (
    kind: AgentItemKind,
    o: SpecObject,
    framework: string | null,
    registration: string,
  ) => {
    const item = emptyItem(kind, crRef(o), o.namespace, o.name, 'custom-resource');
    item.framework = framework;
    item.registered = true;
    item.registration = registration;
    const ow = crOwner(o);
    if (ow) {
      item.owner = ow.owner;
      item.ownerSource = ow.source;
    }
    const d: Draft = {
      item,
      workload: null,
      endpoints: [],
      providers: [],
      extra: { credentialsKnown: true, agentTools: [], declaredPattern: null, keys: [o.name] },
    };
    drafts.push(d);
    return d;
  };
  const remoteServers: SpecObject[] = [];
  for (const o of crs) {
    const spec = obj(o.spec);
    if (KAGENT.test(o.apiVersion) && (o.kind === 'Agent' || o.kind === 'SandboxAgent')) {
      const d = crDraft('agent', o, 'kagent', `kagent.dev ${o.kind}`);
      const decl = obj(spec.declarative);
      d.item.signals = [`kagent.dev ${o.kind}${str(spec.type) ? ` (${str(spec.type)})` : ''}`];
      if (str(spec.framework)) d.item.signals.push(`framework ${str(spec.framework)}`);
      const tools: string[] = [];
      for (const t of arr(decl.tools ?? spec.tools).map(obj)) {
        const mcp = obj(t.mcpServer);
        const agent = obj(t.agent);
        if (str(mcp.name)) {
          const names = arr(mcp.toolNames).filter((x): x is string => typeof x === 'string');
          tools.push(
            ...(names.length ? names : [`${str(mcp.kind) ?? 'MCPServer'} ${str(mcp.name)}`]),
          );
        }
        if (str(agent.name)) {
          d.extra.agentTools.push(str(agent.name)!);
          tools.push(`agent ${str(agent.name)}`);
        }
      }
      d.item.tools = sortedUnique(tools);
      if (o.kind === 'SandboxAgent' && hasPlatform('agent-sandbox'))
        d.item.sandbox = {
          sandboxed: true,
          runtimeClassName: null,
          via: 'kagent SandboxAgent on agent-sandbox',
        };
      const mcName = str(decl.modelConfig) ?? str(spec.modelConfigName) ?? str(spec.modelConfig);
      const mc = mcName
        ? modelConfigs.find((m) => m.name === mcName && m.namespace === o.namespace)
        : undefined;
      if (mc) {
        const ms = obj(mc.spec);
        // The scanner withholds values under sensitive field names (`apiKeySecret`): then the
        // Secret is known only as "the one this ModelConfig names".
        const visible = (v: string | null) => (v === null || v === WITHHELD ? null : v);
        const named = str(ms.apiKeySecretRef) ?? str(ms.apiKeySecret);
        const sName = visible(named);
        const sKey = visible(str(ms.apiKeySecretKey));
        if (named)
          d.item.credentials = [
            {
              name: `ModelConfig ${mc.name} apiKeySecretRef`,
              source: 'secret-reference',
              secret: sName ? `${mc.namespace}/${sName}` : null,
              key: sKey,
              looksLikeCredential: false,
              provider: (str(ms.provider) ?? '').toLowerCase() || null,
              id: sName
                ? `Secret ${mc.namespace}/${sName}[${sKey ?? '*'}]`
                : `Secret named by ModelConfig ${mc.namespace}/${mc.name} (name withheld by the scanner)`,
            },
          ];
        d.item.signals.push(`ModelConfig ${mc.namespace}/${mc.name}`);
      } else if (mcName) d.extra.credentialsKnown = false;
      d.modelConfig = { mc, name: mcName };
    } else if (KAGENT.test(o.apiVersion) && (o.kind === 'MCPServer' || o.kind === 'ToolServer')) {
      const d = crDraft('mcp-server', o, null, `kagent.dev ${o.kind}`);
      const dep = obj(spec.deployment);
      const stdio = obj(obj(spec.config).stdio);
      const cmd = str(dep.cmd) ?? str(stdio.command);
      const args = arr(dep.args ?? stdio.args).filter((x): x is string => typeof x === 'string');
      d.item.signals = [`kagent.dev ${o.kind}`];
      d.item.artifacts = [
        ...packageArtifact(cmd, args),
        ...(str(dep.image)
          ? [{ type: 'image' as const, ref: str(dep.image)!, pinned: pinnedImage(str(dep.image)!) }]
          : []),
      ];
      if ([cmd ?? '', ...args].some((a) => CODE_EXEC.test(a))) d.item.codeExecution = true;
      const remote =
        str(obj(obj(spec.config).sse).url) ?? str(obj(obj(spec.config).streamableHttp).url);
      if (remote) remoteServers.push({ ...o, spec: { url: remote } });
    } else if (KAGENT.test(o.apiVersion) && o.kind === 'RemoteMCPServer') {
      remoteServers.push(o);
    } else if (SANDBOX_GROUP.test(o.apiVersion) && o.kind === 'Sandbox') {
      const d = crDraft('agent', o, null, 'agents.x-k8s.io Sandbox');
      const tpl = podTemplate(obj(obj(spec.podTemplate).spec));
      d.item.signals = ['agents.x-k8s.io Sandbox (isolated agent runtime)'];
      d.item.codeExecution = true;
      d.item.sandbox = {
        sandboxed: true,
        runtimeClassName: tpl.runtimeClassName,
        via: tpl.runtimeClassName
          ? `agent-sandbox, RuntimeClass ${tpl.runtimeClassName}`
          : 'agent-sandbox',
      };
      d.item.artifacts = tpl.images.map((i) => ({
        type: 'image' as const,
        ref: i,
        pinned: pinnedImage(i),
      }));
      d.item.credentials = templateCredentials(tpl, o.namespace ?? 'default', d.item.ref);
      d.item.serviceAccount = tpl.serviceAccount;
      d.item.framework = frameworkText(tpl.images)?.framework ?? null;
    } else if (K8SGPT.test(o.apiVersion) && o.kind === 'K8sGPT') {
      const d = crDraft('agent', o, 'k8sgpt', 'core.k8sgpt.ai K8sGPT');
      const ai = obj(spec.ai);
      const backend = (str(ai.backend) ?? 'openai').toLowerCase();
      d.item.signals = [`core.k8sgpt.ai K8sGPT (backend ${backend})`];
      const secret = obj(ai.secret);
      const ns = o.namespace ?? 'default';
      if (str(secret.name))
        d.item.credentials = [
          {
            name: 'spec.ai.secret',
            source: 'secret-reference',
            secret: `${ns}/${str(secret.name)}`,
            key: str(secret.key),
            looksLikeCredential: false,
            provider: backend,
            id: `Secret ${ns}/${str(secret.name)}[${str(secret.key) ?? '*'}]`,
          },
        ];
      d.item.autoRemediation = obj(ai.autoRemediation).enabled === true;
      const repo = str(spec.repository);
      const version = str(spec.version);
      if (repo) {
        const image = `${repo}${version ? `:${version}` : ''}`;
        d.item.artifacts = [{ type: 'image', ref: image, pinned: pinnedImage(image) }];
      }
      const baseUrl = str(ai.baseUrl);
      d.k8sgpt = { backend, baseUrl };
    } else if (LWS.test(o.apiVersion) && o.kind === 'LeaderWorkerSet') {
      const lwt = obj(spec.leaderWorkerTemplate);
      const leader = podTemplate(obj(obj(lwt.leaderTemplate).spec));
      const worker = podTemplate(obj(obj(lwt.workerTemplate).spec));
      const images = sortedUnique([...leader.images, ...worker.images]);
      const engine = MODEL_SERVER_IMAGES.find((m) => images.some((i) => m.pattern.test(i)));
      if (!engine) continue;
      const d = crDraft(
        'model-server',
        o,
        engine.engine,
        'leaderworkerset.x-k8s.io LeaderWorkerSet',
      );
      d.item.registered = false;
      d.item.registration = null;
      d.item.signals = [`LeaderWorkerSet serving ${engine.engine}`];
      d.item.artifacts = images.map((i) => ({
        type: 'image' as const,
        ref: i,
        pinned: pinnedImage(i),
      }));
      const ns = o.namespace ?? 'default';
      d.item.credentials = dedupeCredentials([
        ...templateCredentials(leader, ns, d.item.ref),
        ...templateCredentials(worker, ns, d.item.ref),
      ]);
      d.item.serviceAccount = leader.serviceAccount ?? worker.serviceAccount;
      d.item.sandbox = sandboxOf(leader.runtimeClassName ?? worker.runtimeClassName);
      const lbl = obj(obj(obj(lwt.leaderTemplate).metadata).labels);
      const svcs = look
        .servicesIn(ns)
        .filter(
          (s) =>
            !!s.selector &&
            Object.entries(s.selector).every(
              ([k, v]) =>
                (k === 'leaderworkerset.sigs.k8s.io/name' && v === o.name) || lbl[k] === v,
            ),
        );
      d.extra.keys = sortedUnique([o.name, ...svcs.map((s) => s.name)]);
    }
  }

  // ---- remote MCP servers: the workload behind an in-cluster URL, or a remote item
  for (const o of remoteServers) {
    const url = str(obj(o.spec).url) ?? '';
    const host = hostOf(url);
    const svc = host ? serviceFor(look, host, o.namespace) : null;
    const target = svc ? drafts.find((d) => d.workload && selects(svc, d.workload)) : undefined;
    if (target) {
      if (!target.item.registered) {
        target.item.registered = true;
        target.item.registration = `kagent.dev ${o.kind} ${o.namespace}/${o.name}`;
      }
      target.item.signals = sortedUnique([
        ...target.item.signals,
        `registered as kagent.dev ${o.kind} ${o.name}`,
      ]);
      continue;
    }
    const d = crDraft('mcp-server', o, null, `kagent.dev ${o.kind}`);
    d.item.signals = [`kagent.dev ${o.kind}, url host ${host ?? '(none)'}`];
    const headers = arr(obj(o.spec).headersFrom);
    if (headers.length)
      d.item.credentials = headers
        .map(obj)
        .map((h) => obj(obj(h.valueFrom)))
        .filter((v) => str(v.name))
        .map((v) => ({
          name: 'headersFrom',
          source: 'secret-reference' as const,
          secret: `${o.namespace ?? 'default'}/${str(v.name)}`,
          key: str(v.key),
          looksLikeCredential: false,
          provider: null,
          id: `Secret ${o.namespace ?? 'default'}/${str(v.name)}[${str(v.key) ?? '*'}]`,
        }));
    if (host && !isInternalHost(host)) {
      if (!headers.length)
        d.item.findings.push({
          asi: 'ASI04',
          message: `remote MCP server ${host} is called without credentials (no headersFrom)`,
        });
      if (schemeOf(url) === 'http')
        d.item.findings.push({
          asi: 'ASI04',
          message: `remote MCP server ${host} over plain http`,
        });
    }
  }

  // ---- MCP servers of uploaded client configurations
  for (const s of evidence.mcpServers) {
    const ref = `mcp-client-config ${s.source}#${s.name}`;
    const item = emptyItem('mcp-server', ref, null, s.name, 'evidence');
    item.signals = [
      s.transport === 'stdio'
        ? `stdio server started by ${s.launcher ?? 'a local command'} on the client`
        : `remote server ${s.host ?? ''}`,
    ];
    if (s.artifact && s.artifactType)
      item.artifacts = [{ type: s.artifactType, ref: s.artifact, pinned: s.pinned === true }];
    item.credentials = s.staticCredentials.map((c) => ({
      name: c,
      source: c.startsWith('header') ? ('mcp-config-header' as const) : ('mcp-config-env' as const),
      secret: null,
      key: null,
      looksLikeCredential: true,
      provider: null,
      id: `literal value in ${ref} ${c}`,
    }));
    item.codeExecution = s.codeExec;
    drafts.push({
      item,
      workload: null,
      endpoints: [],
      providers: [],
      extra: { credentialsKnown: true, agentTools: [], declaredPattern: null, keys: [s.name] },
    });
  }

  // ---- agents known only from agent cards and traces
  const agentDrafts = () => drafts.filter((d) => d.item.kind === 'agent');
  const matchAgent = (key: string) => {
    const k = key.toLowerCase();
    return agentDrafts().find((d) => d.extra.keys.some((x) => x.toLowerCase() === k));
  };
  for (const c of evidence.cards) {
    const hostKey = c.host && isInternalHost(c.host) ? c.host.split('.')[0]! : null;
    const d = matchAgent(c.name) ?? (hostKey ? matchAgent(hostKey) : undefined);
    if (d) {
      if (!d.item.registered) {
        d.item.registered = true;
        d.item.registration = `A2A agent card ${c.source}`;
      }
      if (!d.item.owner && c.owner) {
        d.item.owner = c.owner;
        d.item.ownerSource = `A2A agent card ${c.source} provider.organization`;
      }
      d.item.tools = sortedUnique([...d.item.tools, ...c.skills.map((s) => `skill ${s}`)]);
      continue;
    }
    const item = emptyItem('agent', `a2a-agent-card ${c.source}`, null, c.name, 'evidence');
    item.signals = [`A2A agent card ${c.source}`];
    item.registered = true;
    item.registration = `A2A agent card ${c.source}`;
    if (c.owner) {
      item.owner = c.owner;
      item.ownerSource = `A2A agent card ${c.source} provider.organization`;
    }
    item.tools = c.skills.map((s) => `skill ${s}`);
    drafts.push({
      item,
      workload: null,
      endpoints: [],
      providers: [],
      extra: { credentialsKnown: false, agentTools: [], declaredPattern: null, keys: [c.name] },
    });
  }
  const traces = evidence.traces;
  if (traces) {
    for (const key of [...traces.agentKeys].sort(cmp)) {
      if (matchAgent(key)) continue;
      if (drafts.some((d) => d.item.kind !== 'agent' && d.extra.keys.includes(key))) continue;
      const item = emptyItem('agent', `trace agent ${key}`, null, key, 'evidence');
      item.signals = [`seen acting in OTLP traces (${traces.sources.join(', ')})`];
      drafts.push({
        item,
        workload: null,
        endpoints: [],
        providers: [],
        extra: { credentialsKnown: false, agentTools: [], declaredPattern: null, keys: [key] },
      });
    }
  }

  // ---- tracing, tools and code execution from evidence
  for (const d of drafts) {
    if (d.item.kind !== 'agent') continue;
    const keys = d.extra.keys.map((k) => k.toLowerCase());
    const inTraces = traces
      ? [...traces.agentKeys].filter((k) => keys.includes(k.toLowerCase()))
      : [];
    if (inTraces.length) {
      d.item.tracing = {
        exporter: true,
        signals: sortedUnique([
          ...d.item.tracing.signals,
          `spans in OTLP sample (${traces!.sources.join(', ')})`,
        ]),
      };
      for (const k of inTraces)
        d.item.tools = sortedUnique([...d.item.tools, ...(traces!.toolsByAgent.get(k) ?? [])]);
    }
    const dec = evidence.decisions;
    if (dec)
      for (const [actor, tools] of dec.toolsByActor)
        if (keys.includes(actor.toLowerCase()))
          d.item.tools = sortedUnique([...d.item.tools, ...tools]);
    if (d.item.tools.some((t) => CODE_EXEC.test(t))) d.item.codeExecution = true;
  }

  // ---- model routes (needs every gateway and model server known)
  for (const d of drafts) {
    const it = d.item;
    if (it.kind !== 'agent') continue;
    const mc = d.modelConfig;
    const kg = d.k8sgpt;
    if (mc) it.modelRoute = kagentModelRoute(mc.mc, mc.name, look, drafts);
    else if (kg) {
      if (kg.baseUrl) it.modelRoute = routeOfUrl(kg.baseUrl, it.namespace, look, drafts);
      else {
        const host =
          PROVIDER_DEFAULT_HOST[kg.backend === 'azureopenai' ? 'azure-openai' : kg.backend];
        it.modelRoute = host
          ? {
              route: 'direct-provider',
              detail: `backend ${kg.backend} without baseUrl: calls ${host} directly`,
            }
          : { route: 'unknown', detail: `backend ${kg.backend}` };
      }
    } else if (d.workload) {
      const routes = d.endpoints.map((e) =>
        e.value
          ? routeOfUrl(e.value, it.namespace, look, drafts)
          : { route: 'unknown' as const, detail: `${e.name} is set but its value is not visible` },
      );
      if (!routes.length)
        for (const p of d.providers)
          routes.push({
            route: 'direct-provider',
            detail: `${p} key without a base URL: calls ${PROVIDER_DEFAULT_HOST[p] ?? p} directly`,
          });
      it.modelRoute = routes.length
        ? worstRoute(routes)
        : { route: 'unknown', detail: 'no model endpoint visible' };
    } else it.modelRoute = { route: 'unknown', detail: 'not visible in the snapshot' };
  }

  // ---- egress controls (NetworkPolicy engine)
  const needEgress = drafts.filter(
    (d) => d.workload && (d.item.kind === 'agent' || d.item.kind === 'mcp-server'),
  );
  if (needEgress.length) {
    const np = netpol ?? analyzeNetworkPolicies(snapshot, detection);
    const enforced = detection.network.networkPolicy.enforced;
    // The NetworkPolicy results by workload ref (the first of a ref, as a find gives).
    const byRef = new Map<string, (typeof np.result.workloads)[number]>();
    for (const x of np.result.workloads) if (!byRef.has(x.ref)) byRef.set(x.ref, x);
    for (const d of needEgress) {
      const w = d.workload!;
      const ref = `${w.namespace}/${w.name}[${w.kind}]`;
      const nw = byRef.get(ref);
      if (!nw) continue;
      const reach = np.engine.mayReach(ref, PUBLIC_PROBE_ADDRESS, PUBLIC_PROBE_PORT);
      const internetBlocked = 'error' in reach ? null : !reach.egress.allowed;
      const isolated = nw.hostNetwork ? false : nw.egress.isolated;
      const by = nw.egress.isolatedBy;
      const detail = nw.hostNetwork
        ? 'host network: NetworkPolicy does not apply'
        : !isolated
          ? 'no egress policy selects its pods (default allow)'
          : internetBlocked
            ? `egress isolated by ${by.join(', ')}; TCP ${PUBLIC_PROBE_PORT} to a public address is denied`
            : `egress isolated by ${by.join(', ')}, but TCP ${PUBLIC_PROBE_PORT} to a public address is allowed${'error' in reach ? '' : ` (${reach.egress.by})`}`;
      d.item.egress = {
        isolated,
        internetBlocked: nw.hostNetwork ? false : internetBlocked,
        enforced,
        by,
        detail,
      };
    }
  }

  // ---- exposure: reachable from outside the cluster x what its mounted identity may do
  for (const d of drafts) {
    const it = d.item;
    const w = d.workload;
    if (!w || !['agent', 'mcp-server', 'model-server'].includes(it.kind)) continue;
    const paths = exposurePaths(snapshot, look, w);
    if (!paths.length) continue;
    const r = it.rbac;
    const power =
      it.automountToken === false || !r
        ? []
        : [
            r.clusterAdmin ? 'cluster-admin' : '',
            r.wildcard ? 'wildcard RBAC rules' : '',
            r.secretsRead ? 'Secret reads' : '',
            ...r.writes.slice(0, 3),
          ].filter(Boolean);
    it.exposure = { paths, power };
  }

  // ---- findings per item
  for (const d of drafts) {
    const it = d.item;
    const f: AgentFinding[] = [...it.findings];
    for (const c of it.credentials)
      if (c.source === 'literal')
        f.push({
          asi: 'ASI03',
          message: `${c.name} is a literal value in the manifest (static credential; value not shown)`,
        });
    if (it.kind === 'agent' && !it.registered)
      f.push({
        asi: 'ASI10',
        message: 'shadow agent: not declared to an agent platform, registry or annotation',
      });
    if (it.exposure?.power.length)
      f.push({
        asi: 'ASI03',
        message: `CRITICAL exposure: reachable from outside the cluster (${it.exposure.paths.join(', ')}) with an identity that holds ${it.exposure.power.join(', ')}`,
      });
    if (it.rbac?.clusterAdmin)
      f.push({ asi: 'ASI03', message: `ServiceAccount ${it.serviceAccount} is cluster-admin` });
    else if (it.rbac?.wildcard)
      f.push({
        asi: 'ASI03',
        message: `ServiceAccount ${it.serviceAccount} holds wildcard RBAC rules`,
      });
    if (it.autoRemediation)
      f.push({
        asi: 'ASI08',
        message: 'auto-remediation enabled: changes are applied without a human',
      });
    for (const a of it.artifacts)
      if (!a.pinned)
        f.push({
          asi: 'ASI04',
          message: `${a.type} ${a.ref} is not pinned${a.type === 'image' ? ' by digest' : ' to an exact version'}`,
        });
    if (it.codeExecution && !it.sandbox.sandboxed)
      f.push({
        asi: 'ASI05',
        message: 'executes code without a sandbox runtime (gVisor, Kata, agent-sandbox)',
      });
    if (it.kind === 'agent' && it.modelRoute.route === 'direct-provider')
      f.push({ asi: 'ASI02', message: `model calls bypass any gateway: ${it.modelRoute.detail}` });
    it.findings = dedupeFindings(f);
  }

  // ---- shared credentials
  const byCred = new Map<string, Set<string>>();
  for (const d of drafts)
    for (const c of d.item.credentials) {
      const set = byCred.get(c.id) ?? new Set<string>();
      set.add(d.item.ref);
      byCred.set(c.id, set);
    }
  const sharedCredentials = [...byCred.entries()]
    .filter(([, refs]) => refs.size > 1)
    .map(([credential, refs]) => ({ credential, items: [...refs].sort(cmp) }))
    .sort((a, b) => cmp(a.credential, b.credential));
  for (const d of drafts) {
    d.item.sharedCredentials = sortedUnique(
      d.item.credentials.map((c) => c.id).filter((id) => (byCred.get(id)?.size ?? 0) > 1),
    );
    if (d.item.sharedCredentials.length)
      d.item.findings = dedupeFindings([
        ...d.item.findings,
        ...d.item.sharedCredentials.map((id) => ({
          asi: 'ASI03' as const,
          message: `credential ${id} is shared with ${[...byCred.get(id)!]
            .filter((r) => r !== d.item.ref)
            .sort(cmp)
            .join(', ')}`,
        })),
      ]);
  }

  drafts.sort((a, b) => cmp(a.item.kind, b.item.kind) || cmp(a.item.ref, b.item.ref));
  const extra = new Map<string, ItemExtra>();
  const items: AgentItem[] = [];
  for (const d of drafts) {
    if (extra.has(d.item.ref)) continue;
    extra.set(d.item.ref, d.extra);
    items.push(d.item);
  }
  const platforms = detection.components
    .filter((c) => c.category === 'ai-agents' || c.category === 'ai-serving')
    .map((c) => ({ id: c.id, status: c.status }))
    .sort((a, b) => cmp(a.id, b.id));
  return { items, extra, sharedCredentials, platforms };
}

function dedupeCredentials(list: AgentCredential[]): AgentCredential[] {
  const seen = new Map<string, AgentCredential>();
  for (const c of list) {
    const k = `${c.id}\u0000${c.name}`;
    if (!seen.has(k)) seen.set(k, c);
  }
  return [...seen.values()].sort((a, b) => cmp(a.id, b.id) || cmp(a.name, b.name));
}

function dedupeFindings(list: AgentFinding[]): AgentFinding[] {
  const seen = new Map<string, AgentFinding>();
  for (const f of list) seen.set(`${f.asi}\u0000${f.message}`, f);
  return [...seen.values()].sort((a, b) => cmp(a.asi, b.asi) || cmp(a.message, b.message));
}
