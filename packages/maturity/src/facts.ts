import type {
  ApplicationCoverage,
  ClusterSnapshot,
  ComponentId,
  DetectionResult,
  NetpolResult,
  NetworkFacts,
} from '@plumbline/contracts';
import { calicoMinor } from '@plumbline/netpol';

/**
 * Everything the criteria read, computed once from the snapshot, detection and the NetworkPolicy
 * analysis. Criteria are functions of these facts; a finding's fix is a patch of them, so a
 * what-if re-runs the same criteria on patched facts.
 */

export type Tri = boolean | null;

/** Spec text of an admission policy that checks pod security (privilege, host access, user). */
const POD_SECURITY_CHECK =
  /"podSecurity"|securityContext|"privileged"|allowPrivilegeEscalation|runAsNonRoot|hostPath|hostNetwork|hostPID|hostIPC|capabilities|seccompProfile/;

export interface MaturityFacts {
  mode: 'live' | 'offline';
  clusterIdSource: ClusterSnapshot['cluster']['idSource'];
  /** Components with a running workload (installed or partial). */
  running: ReadonlySet<ComponentId>;
  partial: ReadonlySet<ComponentId>;
  componentRefs: Partial<Record<ComponentId, string>>;
  calicoVersion: [number, number] | null;
  network: Pick<NetworkFacts, 'cni' | 'dataplane' | 'kubeProxyMode'> & {
    encryption: string[];
    encryptionReason: string;
  };
  policy: {
    enforced: Tri;
    enforcementReason: string;
    /** Workload refs of the enforcing engines. */
    engines: string[];
    /** Whether NetworkPolicies could be collected (live RBAC); null when unknown. */
    collected: Tri;
    evaluatedObjects: number;
    appWorkloads: number;
    appReplicas: number;
    /** Application workloads some policy isolates (either direction). */
    selectingAppWorkloads: number;
    ingressPct: number | null;
    egressPct: number | null;
    appNamespaces: string[];
    noDefaultDenyIngress: string[];
    noDefaultDenyEgress: string[];
    /** Evaluated cluster-scoped or tiered objects, e.g. `ClusterNetworkPolicy x2`. */
    clusterScoped: string[];
    /** AdminNetworkPolicy / BaselineAdminNetworkPolicy objects (any status). */
    anpBanp: string[];
    /** Isolated application workloads that still allow any peer on every port (ingress). */
    openAllowWorkloads: string[];
  };
  observability: { cniScraped: Tri; cniScrapeEvidence: string };
  multiCluster: { loadBalancers: string[] };
  edge: {
    ingresses: number;
    ingressHostsWithoutTls: string[];
    gateways: number;
    gatewaysWithoutTls: string[];
    routes: number;
    egressGateway: boolean;
  };
  resilience: {
    dns: { ref: string; replicas: number } | null;
    multiReplicaApps: string[];
    multiReplicaWithPdb: string[];
    replicatedShare: number | null;
    maglev: Tri;
    maglevEvidence: string;
    virtualMachines: number;
  };
  compliance: {
    /** Application namespaces neither labelled Pod Security enforce baseline|restricted nor
     *  covered by an enforcing pod-security admission policy. */
    appNamespacesWithoutPodSecurity: string[];
    /** Enforcing admission policies that check pod security (what they cover, by ref). */
    podSecurityPolicies: string[];
    clusterAdminSubjects: string[];
    rbacCollected: Tri;
  };
}

/** Namespaces of the platform rather than of applications (Plumbline's list). */
export const SYSTEM_NAMESPACE =
  /^(kube-system|kube-public|kube-node-lease|default-system|plumbline(-system)?|openshift(-.+)?|calico-(system|apiserver)|tigera-operator|cilium(-.+)?|kube-flannel|istio-system|linkerd(-.+)?|cert-manager|gatekeeper-system|kyverno|argocd|flux-system|ingress-nginx|metallb-system|local-path-storage|monitoring|kube-prometheus|falco|trivy-system|kubevirt)$/;

const wref = (kind: string, ns: string, name: string) => `${kind} ${ns}/${name}`;

function collectionStatus(snapshot: ClusterSnapshot, resource: string): Tri {
  if (snapshot.mode === 'offline') return true;
  const e = snapshot.collection.find((c) => c.resource === resource);
  if (!e) return null;
  return e.status === 'ok' ? true : e.status === 'not-served' ? true : null;
}

function envOn(snapshot: ClusterSnapshot, workloadName: RegExp, env: string): string | null {
  for (const w of snapshot.workloads) {
    if (!workloadName.test(w.name)) continue;
    for (const c of w.containers)
      for (const e of c.env)
        if (e.name === env && e.source === 'literal' && e.value !== undefined) return e.value;
  }
  return null;
}

function configValue(snapshot: ClusterSnapshot, cm: string, key: string): string | null {
  const c = snapshot.config.configMaps.find((m) => m.name === cm);
  return c?.data[key]?.trim() ?? null;
}

/**
 * Namespaces that hold applications: not platform namespaces (SYSTEM_NAMESPACE) and not only
 * the workloads of detected components.
 */
export function applicationNamespaces(
  snapshot: ClusterSnapshot,
  detection: DetectionResult,
): string[] {
  const componentWorkloads = new Set<string>();
  for (const c of detection.components) {
    if (c.status === 'remnant') continue;
    for (const e of c.evidence) componentWorkloads.add(e.ref);
  }
  const nsWorkloads = new Map<string, ClusterSnapshot['workloads']>();
  for (const w of snapshot.workloads) {
    if (w.hostNetwork) continue;
    const list = nsWorkloads.get(w.namespace);
    if (list) list.push(w);
    else nsWorkloads.set(w.namespace, [w]);
  }
  // Refs are built only where they are compared (and `every` stops at the first non-component).
  return [...nsWorkloads.entries()]
    .filter(
      ([ns, ws]) =>
        !SYSTEM_NAMESPACE.test(ns) &&
        !ws.every((w) => componentWorkloads.has(wref(w.kind, w.namespace, w.name))),
    )
    .map(([ns]) => ns)
    .sort();
}

/**
 * NetworkPolicy isolation of application replicas (ingress and egress): the one definition of
 * "ingress isolation" the criteria judge and the screens show (percent to one decimal).
 */
export function applicationCoverage(
  snapshot: ClusterSnapshot,
  detection: DetectionResult,
  netpol: NetpolResult,
  namespaces: readonly string[] = applicationNamespaces(snapshot, detection),
): ApplicationCoverage {
  return coverageOf(namespaces, appWorkloadsOf(namespaces, netpol));
}

/** The NetworkPolicy results of the workloads in application namespaces (host network aside). */
function appWorkloadsOf(
  namespaces: readonly string[],
  netpol: NetpolResult,
): NetpolResult['workloads'] {
  const isApp = new Set(namespaces);
  return netpol.workloads.filter((w) => isApp.has(w.namespace) && !w.hostNetwork);
}

/** applicationCoverage with the application namespaces and their workloads already known. */
function coverageOf(
  namespaces: readonly string[],
  apps: NetpolResult['workloads'],
): ApplicationCoverage {
  const totalReplicas = apps.reduce((n, w) => n + w.replicas, 0);
  const dir = (d: 'ingress' | 'egress') => {
    const isolated = apps.filter((w) => w[d].isolated);
    const isolatedReplicas = isolated.reduce((n, w) => n + w.replicas, 0);
    return {
      isolatedReplicas,
      isolatedWorkloads: isolated.length,
      percent: totalReplicas ? Math.round((1000 * isolatedReplicas) / totalReplicas) / 10 : null,
    };
  };
  return {
    namespaces: namespaces.length,
    workloads: apps.length,
    totalReplicas,
    ingress: dir('ingress'),
    egress: dir('egress'),
  };
}

/**
 * `appNamespaces`: applicationNamespaces(snapshot, detection) when the caller has it already (the
 * analysis pipeline computes it for the NetworkPolicy coverage), so it is not computed twice.
 */
export function computeFacts(
  snapshot: ClusterSnapshot,
  detection: DetectionResult,
  netpol: NetpolResult,
  appNamespaces: string[] = applicationNamespaces(snapshot, detection),
): MaturityFacts {
  const running = new Set<ComponentId>();
  const partial = new Set<ComponentId>();
  const componentRefs: Partial<Record<ComponentId, string>> = {};
  const componentWorkloads = new Set<string>();
  for (const c of detection.components) {
    if (c.status === 'remnant') continue;
    running.add(c.id);
    if (c.status === 'partial') partial.add(c.id);
    componentRefs[c.id] = c.evidence[0]?.ref ?? c.id;
    for (const e of c.evidence) componentWorkloads.add(e.ref);
  }
  const calico = detection.components.find((c) => c.id === 'calico' || c.id === 'canal');

  // ---- application namespaces: not platform namespaces, not only component workloads
  const isApp = new Set(appNamespaces);

  // ---- NetworkPolicy coverage of application workloads (one computation, shown everywhere)
  const apps = appWorkloadsOf(appNamespaces, netpol);
  const appCoverage = coverageOf(appNamespaces, apps);
  const replicas = appCoverage.totalReplicas;
  const nsResult = new Map(netpol.namespaces.map((n) => [n.name, n]));
  const clusterScoped: string[] = [];
  const anpBanp: string[] = [];
  for (const k of netpol.objects.byKind) {
    if (['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'].includes(k.kind))
      anpBanp.push(`${k.kind} x${k.count}`);
    const tiered =
      k.kind === 'ClusterNetworkPolicy' ||
      k.kind === 'AdminNetworkPolicy' ||
      k.kind === 'BaselineAdminNetworkPolicy' ||
      k.kind === 'GlobalNetworkPolicy' ||
      k.kind === 'CiliumClusterwideNetworkPolicy' ||
      (k.group === 'projectcalico.org' && k.kind === 'Tier') ||
      (k.group === 'crd.projectcalico.org' && k.kind === 'Tier');
    if (tiered && (k.evaluated > 0 || k.kind === 'Tier'))
      clusterScoped.push(`${k.group}/${k.kind} x${k.evaluated || k.count}`);
  }

  // ---- observability: CNI metrics scraped
  let cniScraped: Tri = null;
  let cniScrapeEvidence = 'no CNI detected';
  const cni = detection.network.cni;
  if (cni === 'calico' || cni === 'canal' || running.has('calico')) {
    const env = envOn(snapshot, /^(calico-node|canal)$/, 'FELIX_PROMETHEUSMETRICSENABLED');
    const felix = snapshot.config.customResources.find(
      (o) =>
        o.kind === 'FelixConfiguration' &&
        (o.spec as Record<string, unknown> | null)?.prometheusMetricsEnabled === true,
    );
    cniScraped = env?.toLowerCase() === 'true' || !!felix;
    cniScrapeEvidence = felix
      ? `FelixConfiguration ${felix.name} prometheusMetricsEnabled=true`
      : `FELIX_PROMETHEUSMETRICSENABLED=${env ?? '(unset)'}`;
  } else if (cni === 'cilium') {
    const addr = configValue(snapshot, 'cilium-config', 'prometheus-serve-addr');
    cniScraped = !!addr;
    cniScrapeEvidence = `cilium-config prometheus-serve-addr=${addr ?? '(unset)'}`;
  } else if (cni) {
    const w = snapshot.workloads.find(
      (x) =>
        x.kind === 'DaemonSet' &&
        componentWorkloads.has(wref(x.kind, x.namespace, x.name)) &&
        x.podAnnotations['prometheus.io/scrape'] === 'true',
    );
    cniScraped = w ? true : null;
    cniScrapeEvidence = w
      ? `prometheus.io/scrape=true on ${wref(w.kind, w.namespace, w.name)}`
      : `no scrape configuration known for ${cni}`;
  }

  // ---- edge
  const ingressHostsWithoutTls: string[] = [];
  for (const i of snapshot.ingresses) {
    const tlsHosts = new Set(i.tls.flatMap((t) => t.hosts));
    for (const r of i.rules)
      if (!r.host || !tlsHosts.has(r.host))
        ingressHostsWithoutTls.push(`Ingress ${i.namespace}/${i.name} host ${r.host ?? '*'}`);
  }
  const gatewaysWithoutTls: string[] = [];
  let gateways = 0;
  let routes = 0;
  for (const o of snapshot.gatewayApi) {
    if (o.kind === 'Gateway') {
      gateways++;
      const listeners = (o.spec as { listeners?: { protocol?: string }[] } | null)?.listeners ?? [];
      if (!listeners.some((l) => /^(HTTPS|TLS)$/.test(l.protocol ?? '')))
        gatewaysWithoutTls.push(`Gateway ${o.namespace}/${o.name}`);
    } else if (/Route$/.test(o.kind)) routes++;
  }

  // ---- multi-cluster: LoadBalancer services outside ingress / gateway controllers
  const edgeNamespaces = new Set<string>();
  for (const id of [
    'ingress-nginx',
    'traefik',
    'istio-ingress-gateway',
    'istio-multicluster',
    'istio',
    'metallb',
  ] as const) {
    const ref = componentRefs[id];
    const m = ref ? /\s([^/\s]+)\//.exec(ref) : null;
    if (m) edgeNamespaces.add(m[1]!);
  }
  const loadBalancers = snapshot.services
    .filter(
      (s) =>
        s.type === 'LoadBalancer' &&
        !edgeNamespaces.has(s.namespace) &&
        !/ingress|gateway/i.test(s.name),
    )
    .map((s) => `Service ${s.namespace}/${s.name}`);

  // ---- resilience
  const dnsW = snapshot.workloads.find(
    (w) =>
      w.namespace === 'kube-system' &&
      /^(coredns|kube-dns)$/.test(w.name) &&
      w.kind === 'Deployment',
  );
  const appWorkloads = snapshot.workloads.filter(
    (w) => isApp.has(w.namespace) && (w.kind === 'Deployment' || w.kind === 'StatefulSet'),
  );
  const multi = appWorkloads.filter((w) => (w.replicas ?? 1) >= 2);
  const pdbsByNs = new Map<string, ClusterSnapshot['podDisruptionBudgets']>();
  for (const p of snapshot.podDisruptionBudgets) {
    const list = pdbsByNs.get(p.namespace);
    if (list) list.push(p);
    else pdbsByNs.set(p.namespace, [p]);
  }
  // A PDB selecting by labels only (at least one), every one of them on the workload's pods.
  const pdbSelects = (matchLabels: Record<string, string>, podLabels: Record<string, string>) => {
    let n = 0;
    for (const k in matchLabels) {
      if (!Object.prototype.hasOwnProperty.call(matchLabels, k)) continue;
      n++;
      if (podLabels[k] !== matchLabels[k]) return false;
    }
    return n > 0;
  };
  const pdbCovers = (w: (typeof multi)[number]) =>
    (pdbsByNs.get(w.namespace) ?? []).some(
      (p) =>
        p.selector !== null &&
        p.selector.matchExpressions.length === 0 &&
        pdbSelects(p.selector.matchLabels, w.podLabels),
    );
  let maglev: Tri;
  let maglevEvidence: string;
  const algo =
    configValue(snapshot, 'cilium-config', 'bpf-lb-algorithm') ??
    configValue(snapshot, 'cilium-config', 'loadbalancer-algorithm');
  if (running.has('cilium')) {
    maglev = algo === 'maglev';
    maglevEvidence = `cilium-config bpf-lb-algorithm=${algo ?? '(unset: random)'}`;
  } else if (detection.network.dataplane === 'ebpf') {
    maglev = null;
    maglevEvidence = 'Calico eBPF: consistent hashing is not determinable from the snapshot';
  } else {
    maglev = false;
    maglevEvidence = `dataplane ${detection.network.dataplane}, kube-proxy ${detection.network.kubeProxyMode}: no consistent-hash load balancing`;
  }

  // ---- compliance
  // Pod security by admission policy: only an engine that runs, a policy that checks pod
  // security (not e.g. an owner label), in enforce mode; a namespaced policy covers its namespace.
  const podSecurityPolicies: string[] = [];
  const coveredNamespaces = new Set<string>();
  let coversAll = false;
  const vapBindings = snapshot.config.customResources.filter(
    (o) => o.kind === 'ValidatingAdmissionPolicyBinding',
  );
  for (const o of snapshot.config.customResources) {
    const group = o.apiVersion.split('/')[0] ?? '';
    // The spec as text, for the policy kinds below only (most custom resources are none).
    const specText = () => JSON.stringify(o.spec ?? {});
    let enforcing: boolean;
    let scope: string[] | 'all' = 'all';
    if (/^(kyverno\.io|policies\.kyverno\.io)$/.test(group) && running.has('kyverno')) {
      const spec = specText();
      if (!POD_SECURITY_CHECK.test(spec)) continue;
      enforcing = /"(validationFailureAction|failureAction)":"Enforce"/i.test(spec);
      if (o.namespace) scope = [o.namespace];
    } else if (group === 'constraints.gatekeeper.sh' && running.has('gatekeeper')) {
      if (!/^K8sPSP|PodSecurity/i.test(o.kind)) continue;
      enforcing = !/"enforcementAction":"(dryrun|warn)"/i.test(specText());
      const match = (o.spec as { match?: { namespaces?: unknown } } | null)?.match;
      if (Array.isArray(match?.namespaces))
        scope = match.namespaces.filter((n): n is string => typeof n === 'string');
    } else if (o.kind === 'ValidatingAdmissionPolicy' && group === 'admissionregistration.k8s.io') {
      if (!POD_SECURITY_CHECK.test(specText())) continue;
      enforcing = vapBindings.some((b) => {
        const bs = JSON.stringify(b.spec ?? {});
        return bs.includes(`"policyName":"${o.name}"`) && /"Deny"/.test(bs);
      });
    } else continue;
    if (!enforcing) continue;
    podSecurityPolicies.push(`${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`);
    if (scope === 'all') coversAll = true;
    else for (const n of scope) coveredNamespaces.add(n);
  }
  const nsByName = new Map(snapshot.namespaces.map((n) => [n.name, n]));
  const appNamespacesWithoutPodSecurity = appNamespaces.filter((n) => {
    if (coversAll || coveredNamespaces.has(n)) return false;
    const ns = nsByName.get(n);
    // `privileged` (or no label) is the absence of the control, not a weak form of it.
    return !/^(baseline|restricted)$/.test(ns?.labels['pod-security.kubernetes.io/enforce'] ?? '');
  });
  const clusterAdminSubjects: string[] = [];
  for (const b of snapshot.roleBindings) {
    if (b.kind !== 'ClusterRoleBinding' || b.roleRef.name !== 'cluster-admin') continue;
    for (const s of b.subjects) {
      if (s.kind === 'Group' && /^system:/.test(s.name)) continue;
      if (s.kind === 'ServiceAccount' && s.namespace === 'kube-system') continue;
      if (s.kind === 'User' && /^system:/.test(s.name)) continue;
      clusterAdminSubjects.push(
        `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name} (ClusterRoleBinding ${b.name})`,
      );
    }
  }

  // Workloads meant to be reached from anywhere: behind a LoadBalancer / NodePort Service or an
  // Ingress / route backend. An allow-all ingress rule is expected there, not a gap.
  const backends = new Set<string>();
  for (const i of snapshot.ingresses)
    for (const r of i.rules)
      for (const p of r.paths) if (p.service) backends.add(`${i.namespace}/${p.service}`);
  for (const o of snapshot.gatewayApi)
    if (/Route$/.test(o.kind))
      for (const rule of (
        o.spec as { rules?: { backendRefs?: { name?: string; namespace?: string }[] }[] } | null
      )?.rules ?? [])
        for (const b of rule.backendRefs ?? [])
          if (b.name) backends.add(`${b.namespace ?? o.namespace}/${b.name}`);
  const exposedSelectors = new Map<string, Record<string, string>[]>();
  for (const s of snapshot.services) {
    if (
      !s.selector ||
      !(
        s.type === 'LoadBalancer' ||
        s.type === 'NodePort' ||
        backends.has(`${s.namespace}/${s.name}`)
      )
    )
      continue;
    const list = exposedSelectors.get(s.namespace);
    if (list) list.push(s.selector);
    else exposedSelectors.set(s.namespace, [s.selector]);
  }
  // Built on first use: only isolated workloads with an allow-all ingress rule are looked up.
  let workloadLabels: Map<string, Record<string, string>> | null = null;
  const exposed = (ns: string, ref: string) => {
    workloadLabels ??= new Map(
      snapshot.workloads.map((w) => [wref(w.kind, w.namespace, w.name), w.podLabels]),
    );
    const m = /^([^/]+)\/(.+)\[(\w+)\]$/.exec(ref);
    const labels = m ? workloadLabels.get(wref(m[3]!, m[1]!, m[2]!)) : undefined;
    return (
      !!labels &&
      (exposedSelectors.get(ns) ?? []).some((sel) =>
        Object.entries(sel).every(([k, v]) => labels[k] === v),
      )
    );
  };
  const openAllowWorkloads = apps
    .filter(
      (w) =>
        w.ingress.isolated &&
        w.ingress.allowed.some((a) => a.peer === 'any peer' && a.ports === 'all ports') &&
        !exposed(w.namespace, w.ref),
    )
    .map((w) => w.ref);

  return {
    mode: snapshot.mode,
    clusterIdSource: snapshot.cluster.idSource,
    running,
    partial,
    componentRefs,
    calicoVersion: calico ? calicoMinor(calico.version) : null,
    network: {
      cni: detection.network.cni,
      dataplane: detection.network.dataplane,
      kubeProxyMode: detection.network.kubeProxyMode,
      encryption: [...detection.network.encryption.methods],
      encryptionReason: detection.network.encryption.reason,
    },
    policy: {
      enforced: detection.network.networkPolicy.enforced,
      enforcementReason: detection.network.networkPolicy.reason,
      engines: detection.network.networkPolicy.engines.map((id) => componentRefs[id] ?? id),
      collected: collectionStatus(snapshot, 'networking.k8s.io/NetworkPolicy'),
      evaluatedObjects: netpol.objects.evaluated,
      appWorkloads: apps.length,
      appReplicas: replicas,
      selectingAppWorkloads: apps.filter((w) => w.ingress.isolated || w.egress.isolated).length,
      ingressPct: appCoverage.ingress.percent,
      egressPct: appCoverage.egress.percent,
      appNamespaces,
      noDefaultDenyIngress: appNamespaces.filter((n) => !nsResult.get(n)?.defaultDeny.ingress),
      noDefaultDenyEgress: appNamespaces.filter((n) => !nsResult.get(n)?.defaultDeny.egress),
      clusterScoped,
      anpBanp,
      openAllowWorkloads,
    },
    observability: { cniScraped, cniScrapeEvidence },
    multiCluster: { loadBalancers },
    edge: {
      ingresses: snapshot.ingresses.length,
      ingressHostsWithoutTls,
      gateways,
      gatewaysWithoutTls,
      routes,
      egressGateway: running.has('egress-gateway') || running.has('istio-egress-gateway'),
    },
    resilience: {
      dns: dnsW
        ? { ref: wref(dnsW.kind, dnsW.namespace, dnsW.name), replicas: dnsW.replicas ?? 1 }
        : null,
      multiReplicaApps: multi.map((w) => wref(w.kind, w.namespace, w.name)),
      multiReplicaWithPdb: multi.filter(pdbCovers).map((w) => wref(w.kind, w.namespace, w.name)),
      replicatedShare: appWorkloads.length
        ? Math.round((1000 * multi.length) / appWorkloads.length) / 10
        : null,
      maglev,
      maglevEvidence,
      virtualMachines: snapshot.virtualMachines.filter((v) => v.kind === 'VirtualMachine').length,
    },
    compliance: {
      appNamespacesWithoutPodSecurity,
      podSecurityPolicies: podSecurityPolicies.sort(),
      clusterAdminSubjects,
      rbacCollected: collectionStatus(snapshot, 'rbac.authorization.k8s.io/ClusterRoleBinding'),
    },
  };
}
