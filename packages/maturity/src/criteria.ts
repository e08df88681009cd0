import type { ComponentId, MaturityPillarId } from '@plumbline/contracts';
import type { MaturityFacts, Tri } from './facts.js';

/**
 * The rubric as data: per pillar, criteria for levels 1-4 (cumulative) and caps. Each criterion
 * evaluates the facts to met / not met / unknown with evidence and a reason, and says how the facts
 * change when it is fixed (`fix`), which is what what-ifs re-run. Thresholds marked (Plumbline)
 * are Plumbline's own defaults, documented in docs/methodology/operational-maturity.md.
 */

export type Status = 'met' | 'not-met' | 'unknown';
export interface Outcome {
  status: Status;
  evidence: string[];
  reason: string;
}

export interface Criterion {
  id: string;
  pillar: MaturityPillarId;
  level: 1 | 2 | 3 | 4;
  title: string;
  evaluate: (f: MaturityFacts) => Outcome;
  fix: (f: MaturityFacts) => MaturityFacts;
  remediation: string;
  /** Look-alikes that do not meet it (documented in the methodology table). */
  doesNotCount?: string;
}

export interface Cap {
  id: string;
  pillar: MaturityPillarId;
  title: string;
  maxLevel: 0 | 1 | 2 | 3;
  kind: 'cap' | 'upgrade-risk';
  evaluate: (f: MaturityFacts) => { applies: Tri; evidence: string[]; reason: string };
  fix: (f: MaturityFacts) => MaturityFacts;
  remediation: string;
}

export const PILLAR_NAMES: Record<MaturityPillarId, string> = {
  'workload-isolation': 'Workload isolation',
  observability: 'Observability & troubleshooting',
  'multi-cluster': 'Multi-cluster connectivity',
  'edge-traffic': 'Edge traffic',
  resilience: 'Resilience & recovery',
  compliance: 'Compliance & audit evidence',
};

/** Plumbline's thresholds (editable defaults, documented). */
export const THRESHOLDS = {
  ingressPartial: 50,
  ingressFull: 90,
  egressPartial: 50,
  egressFull: 90,
  maxAdHocLoadBalancers: 5,
  replicatedShare: 50,
  pdbShare: 50,
} as const;

const met = (reason: string, evidence: string[] = []): Outcome => ({
  status: 'met',
  evidence,
  reason,
});
const notMet = (reason: string, evidence: string[] = []): Outcome => ({
  status: 'not-met',
  evidence,
  reason,
});
const unknown = (reason: string, evidence: string[] = []): Outcome => ({
  status: 'unknown',
  evidence,
  reason,
});

/**
 * A copy of the facts with a change applied (facts are never mutated in place).
 *
 * Structural sharing instead of a deep copy: the top-level object and each nested plain object
 * (policy, edge, resilience, ...) are copied, everything below them (lists of namespaces and
 * workload refs, Sets, deeper objects) is shared with `f`. A what-if runs once per finding, and
 * copying every list each time was most of the maturity step on large clusters. Safe because a
 * change only assigns properties at depth 1 or 2 and never mutates a list, Set or deeper object
 * in place (patch.test.ts runs every fix on deep-frozen facts against a full deep copy).
 */
export function patch(f: MaturityFacts, change: (d: MaturityFacts) => void): MaturityFacts {
  const d = { ...f };
  const fields = d as unknown as Record<string, unknown>;
  for (const k of Object.keys(fields)) {
    const v = fields[k];
    if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype)
      fields[k] = { ...v };
  }
  change(d);
  return d;
}

function withComponents(f: MaturityFacts, ids: ComponentId[]): MaturityFacts {
  return patch(f, (d) => {
    const s = new Set(d.running);
    for (const id of ids) s.add(id);
    d.running = s;
  });
}

function anyRunning(
  f: MaturityFacts,
  ids: readonly ComponentId[],
  what: string,
  level?: string,
): Outcome {
  const hits = ids.filter((id) => f.running.has(id));
  return hits.length
    ? met(
        `${what}: ${hits.join(', ')}`,
        hits.map((id) => f.componentRefs[id] ?? id),
      )
    : notMet(`no ${what} detected (looked for ${ids.join(', ')})${level ? `; ${level}` : ''}`);
}

const pct = (v: number | null) => (v === null ? 'n/a' : `${v}%`);
const list = (xs: string[], n = 5) =>
  xs.length > n ? [...xs.slice(0, n), `... ${xs.length - n} more`] : xs;

const METRICS: ComponentId[] = [
  'prometheus',
  'prometheus-operator',
  'datadog-agent',
  'newrelic-agent',
  'dynatrace-agent',
];
const COMMERCIAL: ComponentId[] = ['datadog-agent', 'newrelic-agent', 'dynatrace-agent'];
const FLOWS: ComponentId[] = [
  'hubble',
  'calico-goldmane',
  'calico-whisker',
  'antrea-flow-aggregator',
];
const TRACING: ComponentId[] = ['jaeger', 'tempo', 'zipkin', 'opentelemetry-collector'];
const MESHES: ComponentId[] = [
  'submariner',
  'cilium-clustermesh',
  'calico-federation',
  'linkerd-multicluster',
  'istio-multicluster',
];
const POLICY_AWARE_MESHES: ComponentId[] = [
  'cilium-clustermesh',
  'calico-federation',
  'linkerd-multicluster',
  'istio-multicluster',
];
const ENTRY: ComponentId[] = ['ingress-nginx', 'traefik', 'istio-ingress-gateway', 'gateway-api'];
const ADMISSION: ComponentId[] = [
  'kyverno',
  'gatekeeper',
  'validating-admission-policy',
  'pod-security-admission',
];
const GITOPS: ComponentId[] = ['argo-cd', 'flux'];
const SCANNERS: ComponentId[] = ['kube-bench', 'trivy-operator', 'kubescape', 'polaris'];
const RUNTIME: ComponentId[] = ['falco', 'tetragon', 'sysdig', 'neuvector'];

// ------------------------------------------------------------------ workload isolation

const isolation: Criterion[] = [
  {
    id: 'isolation.engine-enforces',
    pillar: 'workload-isolation',
    level: 1,
    title: 'A NetworkPolicy engine enforces policy',
    evaluate: (f) =>
      f.policy.enforced === true
        ? met(f.policy.enforcementReason, f.policy.engines)
        : f.policy.enforced === false
          ? notMet(f.policy.enforcementReason)
          : unknown(f.policy.enforcementReason),
    fix: (f) => patch(f, (d) => void (d.policy.enforced = true)),
    remediation:
      'Run a CNI or policy agent that enforces NetworkPolicy (Calico, Cilium, Antrea, or the Amazon VPC CNI network policy agent); with plain Flannel policies are decoration.',
  },
  {
    id: 'isolation.policies-in-use',
    pillar: 'workload-isolation',
    level: 1,
    title: 'At least one policy isolates an application workload',
    evaluate: (f) => {
      if (f.policy.collected === null) return unknown('NetworkPolicies could not be collected');
      if (!f.policy.appWorkloads) return unknown('no application workloads in the snapshot');
      return f.policy.selectingAppWorkloads > 0
        ? met(
            `${f.policy.selectingAppWorkloads} of ${f.policy.appWorkloads} application workloads isolated`,
            [`${f.policy.evaluatedObjects} policy objects evaluated`],
          )
        : notMet(`no policy selects any of the ${f.policy.appWorkloads} application workloads`);
    },
    fix: (f) =>
      patch(
        f,
        (d) => void (d.policy.selectingAppWorkloads = Math.max(1, d.policy.selectingAppWorkloads)),
      ),
    remediation:
      'Start with a default-deny ingress NetworkPolicy and explicit allows in one application namespace.',
  },
  {
    id: 'isolation.ingress-coverage-50',
    pillar: 'workload-isolation',
    level: 2,
    title: `Ingress isolation covers at least ${THRESHOLDS.ingressPartial}% of application replicas`,
    evaluate: (f) => coverage(f, 'ingressPct', THRESHOLDS.ingressPartial),
    fix: (f) =>
      patch(
        f,
        (d) =>
          void (d.policy.ingressPct = Math.max(
            d.policy.ingressPct ?? 0,
            THRESHOLDS.ingressPartial,
          )),
      ),
    remediation:
      'Add ingress NetworkPolicies (default-deny plus allows) to the namespaces that run most replicas.',
  },
  {
    id: 'isolation.ingress-coverage-90',
    pillar: 'workload-isolation',
    level: 3,
    title: `Ingress isolation covers at least ${THRESHOLDS.ingressFull}% of application replicas`,
    evaluate: (f) => coverage(f, 'ingressPct', THRESHOLDS.ingressFull),
    fix: (f) =>
      patch(
        f,
        (d) =>
          void (d.policy.ingressPct = Math.max(d.policy.ingressPct ?? 0, THRESHOLDS.ingressFull)),
      ),
    remediation:
      'Extend ingress policies to the remaining workloads (the cluster page lists each workload with its isolation).',
  },
  {
    id: 'isolation.default-deny-ingress',
    pillar: 'workload-isolation',
    level: 3,
    title: 'Every application namespace has a default-deny ingress policy',
    evaluate: (f) => defaultDeny(f, 'noDefaultDenyIngress', 'ingress'),
    fix: (f) => patch(f, (d) => void (d.policy.noDefaultDenyIngress = [])),
    remediation:
      'Add `podSelector: {}` + `policyTypes: [Ingress]` with no rules in each application namespace (or a cluster-scoped baseline deny).',
  },
  {
    id: 'isolation.egress-coverage-50',
    pillar: 'workload-isolation',
    level: 3,
    title: `Egress isolation covers at least ${THRESHOLDS.egressPartial}% of application replicas`,
    evaluate: (f) => coverage(f, 'egressPct', THRESHOLDS.egressPartial),
    fix: (f) =>
      patch(
        f,
        (d) =>
          void (d.policy.egressPct = Math.max(d.policy.egressPct ?? 0, THRESHOLDS.egressPartial)),
      ),
    remediation: 'Add egress policies (DNS plus the dependencies each workload needs).',
  },
  {
    id: 'isolation.egress-coverage-90',
    pillar: 'workload-isolation',
    level: 4,
    title: `Egress isolation covers at least ${THRESHOLDS.egressFull}% of application replicas`,
    evaluate: (f) => coverage(f, 'egressPct', THRESHOLDS.egressFull),
    fix: (f) =>
      patch(
        f,
        (d) => void (d.policy.egressPct = Math.max(d.policy.egressPct ?? 0, THRESHOLDS.egressFull)),
      ),
    remediation:
      'Close the remaining egress gaps; an egress gateway or default-deny egress makes them visible.',
  },
  {
    id: 'isolation.default-deny-egress',
    pillar: 'workload-isolation',
    level: 4,
    title: 'Every application namespace has a default-deny egress policy',
    evaluate: (f) => defaultDeny(f, 'noDefaultDenyEgress', 'egress'),
    fix: (f) => patch(f, (d) => void (d.policy.noDefaultDenyEgress = [])),
    remediation:
      'Add `podSelector: {}` + `policyTypes: [Egress]` with DNS allowed in each application namespace.',
  },
  {
    id: 'isolation.cluster-scoped-guardrails',
    pillar: 'workload-isolation',
    level: 4,
    title: 'Cluster-scoped or tiered guardrail policies are enforced',
    evaluate: (f) =>
      f.policy.clusterScoped.length
        ? met('platform guardrails evaluated', f.policy.clusterScoped)
        : notMet(
            'no ClusterNetworkPolicy, Calico GlobalNetworkPolicy / tier, Cilium clusterwide or Antrea cluster policy is enforced',
          ),
    fix: (f) =>
      patch(
        f,
        (d) =>
          void (d.policy.clusterScoped = [...d.policy.clusterScoped, 'ClusterNetworkPolicy x1']),
      ),
    remediation:
      'Express platform rules (DNS, monitoring, deny to metadata endpoints) as admin/baseline ClusterNetworkPolicies or Calico tiers.',
  },
];

function coverage(f: MaturityFacts, key: 'ingressPct' | 'egressPct', threshold: number): Outcome {
  if (f.policy.collected === null) return unknown('NetworkPolicies could not be collected');
  const v = f.policy[key];
  if (v === null) return unknown('no application workloads to cover');
  const ev = [
    `${pct(v)} of ${f.policy.appReplicas} application replicas (${key === 'ingressPct' ? 'ingress' : 'egress'})`,
  ];
  return v >= threshold
    ? met(`coverage ${pct(v)} >= ${threshold}%`, ev)
    : notMet(`coverage ${pct(v)} < ${threshold}%`, ev);
}

function defaultDeny(
  f: MaturityFacts,
  key: 'noDefaultDenyIngress' | 'noDefaultDenyEgress',
  dir: string,
): Outcome {
  if (f.policy.collected === null) return unknown('NetworkPolicies could not be collected');
  if (!f.policy.appNamespaces.length) return unknown('no application namespaces in the snapshot');
  const missing = f.policy[key];
  return missing.length
    ? notMet(
        `${missing.length} of ${f.policy.appNamespaces.length} application namespaces without default-deny ${dir}`,
        list(missing),
      )
    : met(`default-deny ${dir} in all ${f.policy.appNamespaces.length} application namespaces`);
}

const isolationCaps: Cap[] = [
  {
    id: 'cap.anp-not-enforced-calico-3-32',
    pillar: 'workload-isolation',
    title: 'AdminNetworkPolicy / BaselineAdminNetworkPolicy on Calico >= 3.32 are not enforced',
    maxLevel: 3,
    kind: 'upgrade-risk',
    evaluate: (f) => {
      if (!f.policy.anpBanp.length)
        return { applies: false, evidence: [], reason: 'no ANP/BANP objects' };
      if (!f.running.has('calico') && !f.running.has('canal'))
        return {
          applies: false,
          evidence: f.policy.anpBanp,
          reason: 'Calico is not the policy engine',
        };
      if (!f.calicoVersion)
        return { applies: null, evidence: f.policy.anpBanp, reason: 'Calico version unknown' };
      const [maj, min] = f.calicoVersion;
      const applies = maj > 3 || (maj === 3 && min >= 32);
      return {
        applies,
        evidence: [...f.policy.anpBanp, `Calico v${maj}.${min}`],
        reason: applies
          ? 'Calico v3.32 and later no longer enforce AdminNetworkPolicy / BaselineAdminNetworkPolicy: these guardrails are not applied'
          : `Calico v${maj}.${min} still enforces ANP/BANP; they stop working on upgrade to v3.32`,
      };
    },
    fix: (f) =>
      patch(f, (d) => {
        d.policy.clusterScoped = [
          ...d.policy.clusterScoped,
          ...d.policy.anpBanp.map((x) =>
            x.replace(/^(Baseline)?AdminNetworkPolicy/, 'ClusterNetworkPolicy'),
          ),
        ];
        d.policy.anpBanp = [];
      }),
    remediation:
      'Migrate every AdminNetworkPolicy / BaselineAdminNetworkPolicy to ClusterNetworkPolicy (tier Admin / Baseline, Allow -> Accept) before or when upgrading Calico to v3.32.',
  },
  {
    id: 'cap.allow-any-ingress',
    pillar: 'workload-isolation',
    title: 'Isolated internal workloads still allow any peer on every port',
    maxLevel: 2,
    kind: 'cap',
    evaluate: (f) =>
      f.policy.openAllowWorkloads.length
        ? {
            applies: true,
            evidence: list(f.policy.openAllowWorkloads),
            reason: `${f.policy.openAllowWorkloads.length} application workloads not exposed by a LoadBalancer, NodePort, Ingress or route have an allow-all ingress rule`,
          }
        : {
            applies: false,
            evidence: [],
            reason: 'no allow-all ingress rules on isolated workloads',
          },
    fix: (f) => patch(f, (d) => void (d.policy.openAllowWorkloads = [])),
    remediation: 'Replace `ingress: [{}]` (allow everything) rules with explicit peers and ports.',
  },
];

// ------------------------------------------------------------------ observability

const observability: Criterion[] = [
  {
    id: 'observability.metrics',
    pillar: 'observability',
    level: 1,
    title: 'A metrics stack runs in the cluster',
    evaluate: (f) => anyRunning(f, METRICS, 'metrics stack'),
    fix: (f) => withComponents(f, ['prometheus']),
    remediation: 'Deploy Prometheus (kube-prometheus) or your vendor agent.',
  },
  {
    id: 'observability.cluster-state',
    pillar: 'observability',
    level: 2,
    title: 'Cluster state is exported (kube-state-metrics or a vendor agent)',
    evaluate: (f) => anyRunning(f, ['kube-state-metrics', ...COMMERCIAL], 'cluster-state exporter'),
    fix: (f) => withComponents(f, ['kube-state-metrics']),
    remediation:
      'Deploy kube-state-metrics so object state (replicas, restarts, conditions) is a metric.',
  },
  {
    id: 'observability.dashboards',
    pillar: 'observability',
    level: 2,
    title: 'Dashboards are available (Grafana, Kiali or a vendor agent)',
    evaluate: (f) => anyRunning(f, ['grafana', 'kiali', ...COMMERCIAL], 'dashboard'),
    fix: (f) => withComponents(f, ['grafana']),
    remediation: 'Deploy Grafana with the cluster and network dashboards.',
  },
  {
    id: 'observability.flow-logs',
    pillar: 'observability',
    level: 3,
    title: 'Network flow logs carry policy verdicts',
    evaluate: (f) => anyRunning(f, FLOWS, 'flow-log pipeline with policy verdicts'),
    fix: (f) => withComponents(f, ['calico-goldmane']),
    remediation:
      'Enable flow logs with policy verdicts: Calico Goldmane + Whisker, Cilium Hubble, or the Antrea Flow Aggregator.',
  },
  {
    id: 'observability.tracing',
    pillar: 'observability',
    level: 4,
    title: 'Distributed tracing is collected',
    evaluate: (f) => anyRunning(f, TRACING, 'tracing backend or OpenTelemetry collector'),
    fix: (f) => withComponents(f, ['opentelemetry-collector']),
    remediation: 'Deploy an OpenTelemetry Collector with a tracing backend (Jaeger, Tempo).',
  },
  {
    id: 'observability.cni-scraped',
    pillar: 'observability',
    level: 4,
    title: 'The CNI / dataplane exposes metrics to Prometheus',
    evaluate: (f) =>
      f.observability.cniScraped === true
        ? met('CNI metrics enabled', [f.observability.cniScrapeEvidence])
        : f.observability.cniScraped === false
          ? notMet('CNI metrics endpoint not enabled', [f.observability.cniScrapeEvidence])
          : unknown(f.observability.cniScrapeEvidence),
    fix: (f) => patch(f, (d) => void (d.observability.cniScraped = true)),
    remediation:
      'Enable the CNI metrics endpoint (Calico FelixConfiguration prometheusMetricsEnabled, Cilium prometheus.enabled) and scrape it.',
  },
];

// ------------------------------------------------------------------ multi-cluster

const multiCluster: Criterion[] = [
  {
    id: 'multicluster.stable-identity',
    pillar: 'multi-cluster',
    level: 1,
    title: 'The cluster has a stable identity (kube-system UID or a declared id)',
    evaluate: (f) =>
      f.clusterIdSource === 'derived'
        ? notMet('cluster id derived from the name (not stable across renames)', [
            `idSource ${f.clusterIdSource}`,
          ])
        : met(`cluster id from ${f.clusterIdSource}`, [`idSource ${f.clusterIdSource}`]),
    fix: (f) => patch(f, (d) => void (d.clusterIdSource = 'declared')),
    remediation:
      'Scan live (the kube-system UID) or pass --cluster-id so results and federations key on a stable id.',
  },
  {
    id: 'multicluster.managed-entry',
    pillar: 'multi-cluster',
    level: 2,
    title: 'Cross-cluster traffic enters through managed gateways',
    evaluate: (f) =>
      anyRunning(
        f,
        [...ENTRY, 'istio-multicluster'],
        'ingress controller, Gateway API or east-west gateway',
      ),
    fix: (f) => withComponents(f, ['gateway-api']),
    remediation:
      'Route cross-cluster traffic through an ingress controller, Gateway API or an east-west gateway.',
  },
  {
    id: 'multicluster.no-lb-sprawl',
    pillar: 'multi-cluster',
    level: 2,
    title: `At most ${THRESHOLDS.maxAdHocLoadBalancers} internal services exposed by their own LoadBalancer (Plumbline)`,
    evaluate: (f) => {
      const n = f.multiCluster.loadBalancers.length;
      return n <= THRESHOLDS.maxAdHocLoadBalancers
        ? met(`${n} ad-hoc LoadBalancer Services`, list(f.multiCluster.loadBalancers))
        : notMet(
            `${n} LoadBalancer Services outside ingress/gateway controllers (north-south plumbing with DNS and IP firewall rules)`,
            list(f.multiCluster.loadBalancers),
          );
    },
    fix: (f) => patch(f, (d) => void (d.multiCluster.loadBalancers = [])),
    remediation: 'Consolidate per-service LoadBalancers behind a gateway or a cluster mesh.',
  },
  {
    id: 'multicluster.mesh',
    pillar: 'multi-cluster',
    level: 3,
    title: 'A cluster mesh or federation connects clusters',
    evaluate: (f) => anyRunning(f, MESHES, 'cluster mesh / federation'),
    fix: (f) => withComponents(f, ['cilium-clustermesh']),
    remediation:
      'Connect clusters with Calico federation, Cilium ClusterMesh, Submariner, or Linkerd / Istio multicluster.',
  },
  {
    id: 'multicluster.policy-aware',
    pillar: 'multi-cluster',
    level: 4,
    title: 'The federation carries workload identity for policy (not just routes)',
    evaluate: (f) => anyRunning(f, POLICY_AWARE_MESHES, 'identity-aware federation'),
    fix: (f) => withComponents(f, ['cilium-clustermesh']),
    remediation:
      'Use a federation that carries labels / identities across clusters so policies can name remote workloads.',
  },
  {
    id: 'multicluster.encrypted',
    pillar: 'multi-cluster',
    level: 4,
    title: 'Traffic between clusters and nodes is encrypted',
    evaluate: (f) =>
      f.network.encryption.length
        ? met(`encryption: ${f.network.encryption.join(', ')}`, [f.network.encryptionReason])
        : notMet(f.network.encryptionReason),
    fix: (f) => patch(f, (d) => void (d.network.encryption = ['wireguard'])),
    remediation: 'Enable WireGuard (Calico, Cilium) or mesh mTLS for traffic leaving the node.',
  },
];

const multiCaps: Cap[] = [
  {
    id: 'cap.partial-federation',
    pillar: 'multi-cluster',
    title: 'A multi-cluster component is only partly installed',
    maxLevel: 2,
    kind: 'cap',
    evaluate: (f) => {
      const p = MESHES.filter((id) => f.partial.has(id));
      return p.length
        ? {
            applies: true,
            evidence: p.map((id) => f.componentRefs[id] ?? id),
            reason: `partial install: ${p.join(', ')}`,
          }
        : { applies: false, evidence: [], reason: 'no partial multi-cluster component' };
    },
    fix: (f) =>
      patch(
        f,
        (d) => void (d.partial = new Set([...d.partial].filter((id) => !MESHES.includes(id)))),
      ),
    remediation: 'Finish the install (gateways, route agents) or remove the leftover operator.',
  },
];

// ------------------------------------------------------------------ edge traffic

const edge: Criterion[] = [
  {
    id: 'edge.managed-entry',
    pillar: 'edge-traffic',
    level: 1,
    title: 'North-south traffic enters through an ingress controller or Gateway API',
    evaluate: (f) => anyRunning(f, ENTRY, 'ingress controller or Gateway API implementation'),
    fix: (f) => withComponents(f, ['gateway-api']),
    remediation:
      'Deploy a Gateway API implementation (or an ingress controller) instead of per-service exposure.',
  },
  {
    id: 'edge.tls',
    pillar: 'edge-traffic',
    level: 2,
    title: 'Every Ingress host and Gateway terminates TLS',
    evaluate: (f) => {
      if (!f.edge.ingresses && !f.edge.gateways)
        return unknown('no Ingress or Gateway objects to check');
      const missing = [...f.edge.ingressHostsWithoutTls, ...f.edge.gatewaysWithoutTls];
      return missing.length
        ? notMet(`${missing.length} hosts / gateways without TLS`, list(missing))
        : met(`${f.edge.ingresses} Ingresses and ${f.edge.gateways} Gateways all use TLS`);
    },
    fix: (f) =>
      patch(f, (d) => {
        d.edge.ingressHostsWithoutTls = [];
        d.edge.gatewaysWithoutTls = [];
        if (!d.edge.ingresses && !d.edge.gateways) d.edge.gateways = 1;
      }),
    remediation:
      'Add TLS (cert-manager) to every Ingress host and an HTTPS listener to every Gateway.',
  },
  {
    id: 'edge.gateway-api',
    pillar: 'edge-traffic',
    level: 3,
    title: 'Gateway API routes are in use (not only legacy Ingress)',
    // "In use" is detection's: Gateway API objects count only when a running controller serves
    // them (GatewayClass.spec.controllerName); otherwise they are a left-over.
    evaluate: (f) =>
      f.edge.gateways && f.edge.routes && !f.running.has('gateway-api')
        ? notMet(
            `${f.edge.gateways} Gateways and ${f.edge.routes} routes, but no running controller serves their GatewayClass (left-over)`,
          )
        : f.edge.gateways && f.edge.routes
          ? met(`${f.edge.gateways} Gateways, ${f.edge.routes} routes`, [
              f.componentRefs['gateway-api'] ?? 'gateway-api',
            ])
          : notMet(
              f.edge.ingresses
                ? `${f.edge.ingresses} legacy Ingresses and no Gateway API routes`
                : 'no Gateway API Gateway with routes',
            ),
    fix: (f) =>
      patch(f, (d) => {
        d.edge.gateways = Math.max(1, d.edge.gateways);
        d.edge.routes = Math.max(1, d.edge.routes);
        d.running = new Set([...d.running, 'gateway-api']);
      }),
    remediation: 'Move Ingress objects to Gateway + HTTPRoute (ingress2gateway helps).',
  },
  {
    id: 'edge.egress-control',
    pillar: 'edge-traffic',
    level: 3,
    title: 'Egress is controlled (egress gateway or default-deny egress everywhere)',
    evaluate: (f) => {
      if (f.edge.egressGateway)
        return met('egress gateway installed', [
          f.componentRefs['egress-gateway'] ??
            f.componentRefs['istio-egress-gateway'] ??
            'egress gateway',
        ]);
      if (f.policy.appNamespaces.length && !f.policy.noDefaultDenyEgress.length)
        return met('default-deny egress in every application namespace');
      if (f.policy.collected === null) return unknown('NetworkPolicies could not be collected');
      return notMet(
        'no egress gateway and not every application namespace denies egress by default',
        list(f.policy.noDefaultDenyEgress),
      );
    },
    fix: (f) => patch(f, (d) => void (d.edge.egressGateway = true)),
    remediation:
      'Deploy an egress gateway (Calico, Cilium, Istio) or default-deny egress with explicit allows.',
  },
  {
    id: 'edge.encryption',
    pillar: 'edge-traffic',
    level: 4,
    title: 'Traffic inside the cluster is encrypted in transit',
    evaluate: (f) =>
      f.network.encryption.length
        ? met(`encryption: ${f.network.encryption.join(', ')}`, [f.network.encryptionReason])
        : notMet(f.network.encryptionReason),
    fix: (f) => patch(f, (d) => void (d.network.encryption = ['wireguard'])),
    remediation: 'Enable WireGuard in the CNI or STRICT mTLS in the mesh.',
  },
];

// ------------------------------------------------------------------ resilience

const resilience: Criterion[] = [
  {
    id: 'resilience.dns-redundant',
    pillar: 'resilience',
    level: 1,
    title: 'Cluster DNS runs at least 2 replicas',
    evaluate: (f) => {
      const d = f.resilience.dns;
      if (!d) return unknown('CoreDNS / kube-dns not in the snapshot (kube-system not collected)');
      return d.replicas >= 2
        ? met(`${d.replicas} replicas`, [d.ref])
        : notMet(`${d.replicas} replica: a single point of failure`, [d.ref]);
    },
    fix: (f) =>
      patch(
        f,
        (d) =>
          void (d.resilience.dns = {
            ref: d.resilience.dns?.ref ?? 'Deployment kube-system/coredns',
            replicas: 2,
          }),
      ),
    remediation: 'Run CoreDNS with at least 2 replicas spread across nodes.',
  },
  {
    id: 'resilience.replicated-apps',
    pillar: 'resilience',
    level: 2,
    title: `At least ${THRESHOLDS.replicatedShare}% of application Deployments / StatefulSets run 2+ replicas (Plumbline)`,
    evaluate: (f) => {
      const s = f.resilience.replicatedShare;
      if (s === null) return unknown('no application Deployments or StatefulSets');
      return s >= THRESHOLDS.replicatedShare ? met(`${s}% replicated`) : notMet(`${s}% replicated`);
    },
    fix: (f) =>
      patch(
        f,
        (d) =>
          void (d.resilience.replicatedShare = Math.max(
            d.resilience.replicatedShare ?? 0,
            THRESHOLDS.replicatedShare,
          )),
      ),
    remediation: 'Run stateless services with 2+ replicas.',
  },
  {
    id: 'resilience.pdb',
    pillar: 'resilience',
    level: 2,
    title: `PodDisruptionBudgets protect at least ${THRESHOLDS.pdbShare}% of multi-replica application workloads (Plumbline)`,
    evaluate: (f) => {
      const all = f.resilience.multiReplicaApps.length;
      if (!all) return notMet('no multi-replica application workloads to protect');
      const covered = f.resilience.multiReplicaWithPdb.length;
      const share = Math.round((1000 * covered) / all) / 10;
      if (share >= THRESHOLDS.pdbShare) return met(`${covered} of ${all} covered`);
      // The missing list only when it is shown (this runs for every what-if of the pillar).
      const withPdb = new Set(f.resilience.multiReplicaWithPdb);
      const missing = f.resilience.multiReplicaApps.filter((w) => !withPdb.has(w));
      return notMet(`${covered} of ${all} covered (${share}%)`, list(missing));
    },
    fix: (f) =>
      patch(f, (d) => {
        if (!d.resilience.multiReplicaApps.length)
          d.resilience.multiReplicaApps = ['(a replicated workload)'];
        d.resilience.multiReplicaWithPdb = [...d.resilience.multiReplicaApps];
      }),
    remediation:
      'Add a PodDisruptionBudget (minAvailable or maxUnavailable) to every replicated workload.',
  },
  {
    id: 'resilience.modern-dataplane',
    pillar: 'resilience',
    level: 3,
    title: 'A current dataplane: eBPF or nftables (not iptables-only or IPVS)',
    evaluate: (f) => {
      const { dataplane, kubeProxyMode } = f.network;
      const ev = [`dataplane ${dataplane}`, `kube-proxy ${kubeProxyMode}`];
      if (
        dataplane === 'ebpf' ||
        dataplane === 'nftables' ||
        kubeProxyMode === 'nftables' ||
        kubeProxyMode === 'replaced'
      )
        return met('eBPF / nftables dataplane', ev);
      if (dataplane === 'unknown' && kubeProxyMode === 'unknown')
        return unknown('dataplane and kube-proxy mode not determinable', ev);
      return notMet('iptables or IPVS dataplane', ev);
    },
    fix: (f) =>
      patch(f, (d) => {
        d.network.dataplane = 'nftables';
        if (d.network.kubeProxyMode === 'ipvs') d.network.kubeProxyMode = 'nftables';
      }),
    remediation:
      'Move to the eBPF dataplane (Calico, Cilium) or nftables (kube-proxy nftables mode, Calico nftables).',
  },
  {
    id: 'resilience.maglev',
    pillar: 'resilience',
    level: 4,
    title: 'Service load balancing fails over with consistent hashing (Maglev)',
    evaluate: (f) =>
      f.resilience.maglev === true
        ? met('Maglev', [f.resilience.maglevEvidence])
        : f.resilience.maglev === false
          ? notMet('no consistent-hash load balancing', [f.resilience.maglevEvidence])
          : unknown(f.resilience.maglevEvidence),
    fix: (f) => patch(f, (d) => void (d.resilience.maglev = true)),
    remediation: 'Enable Maglev in the eBPF load balancer (Cilium loadBalancer.algorithm=maglev).',
  },
  {
    id: 'resilience.vm-live-migration',
    pillar: 'resilience',
    level: 4,
    title: 'KubeVirt VMs can live-migrate keeping their IP (when VMs run)',
    evaluate: (f) =>
      f.resilience.virtualMachines === 0
        ? met('no KubeVirt VirtualMachines (not applicable)')
        : unknown(
            `${f.resilience.virtualMachines} VirtualMachines: eviction strategy and IP persistence are not collected`,
          ),
    fix: (f) => patch(f, (d) => void (d.resilience.virtualMachines = 0)),
    remediation:
      'Set evictionStrategy LiveMigrate and use a network binding that keeps the pod IP (e.g. masquerade with Calico IP persistence).',
  },
];

const resilienceCaps: Cap[] = [
  {
    id: 'cap.ipvs-deprecated',
    pillar: 'resilience',
    title: 'kube-proxy runs in IPVS mode, deprecated in Kubernetes 1.35',
    maxLevel: 2,
    kind: 'upgrade-risk',
    evaluate: (f) =>
      f.network.kubeProxyMode === 'ipvs'
        ? {
            applies: true,
            evidence: ['kube-proxy mode ipvs'],
            reason: 'IPVS mode is deprecated (Kubernetes 1.35); plan the move before it is removed',
          }
        : {
            applies: f.network.kubeProxyMode === 'unknown' ? null : false,
            evidence: [`kube-proxy ${f.network.kubeProxyMode}`],
            reason: 'kube-proxy is not in IPVS mode',
          },
    fix: (f) =>
      patch(f, (d) => {
        d.network.kubeProxyMode = 'nftables';
      }),
    remediation: 'Switch kube-proxy to nftables mode (or replace it with the CNI eBPF dataplane).',
  },
];

// ------------------------------------------------------------------ compliance

const compliance: Criterion[] = [
  {
    id: 'compliance.admission',
    pillar: 'compliance',
    level: 1,
    title: 'An admission policy mechanism is in place',
    doesNotCount:
      'Pod Security labels whose only enforce level is privileged (no control), or an admission engine that is not running (remnant)',
    evaluate: (f) => anyRunning(f, ADMISSION, 'admission policy mechanism'),
    fix: (f) => withComponents(f, ['pod-security-admission']),
    remediation:
      'Label namespaces with Pod Security Admission levels or run Kyverno / Gatekeeper / ValidatingAdmissionPolicy.',
  },
  {
    id: 'compliance.pod-security-everywhere',
    pillar: 'compliance',
    level: 2,
    title:
      'Every application namespace enforces Pod Security (or an admission engine has policies loaded)',
    doesNotCount:
      'a namespace labelled enforce=privileged (the absence of a control), warn/audit labels only, an admission policy that checks something else (an owner label), one in Audit/dryrun/warn mode, or a namespaced policy for other namespaces',
    evaluate: (f) => {
      if (!f.policy.appNamespaces.length)
        return unknown('no application namespaces in the snapshot');
      const missing = f.compliance.appNamespacesWithoutPodSecurity;
      const policies = f.compliance.podSecurityPolicies;
      return missing.length
        ? notMet(
            `${missing.length} of ${f.policy.appNamespaces.length} application namespaces neither enforce Pod Security baseline|restricted nor fall under an enforcing pod-security admission policy`,
            list(missing),
          )
        : met(
            policies.length
              ? `Pod Security enforced in every application namespace (labels or ${policies.length} enforcing pod-security policies)`
              : 'Pod Security enforced in every application namespace',
            list(policies),
          );
    },
    fix: (f) => patch(f, (d) => void (d.compliance.appNamespacesWithoutPodSecurity = [])),
    remediation:
      'Label each application namespace `pod-security.kubernetes.io/enforce: restricted` (or baseline), or enforce a cluster-wide pod-security policy (Kyverno podSecurity in Enforce, Gatekeeper K8sPSP* constraints).',
  },
  {
    id: 'compliance.gitops',
    pillar: 'compliance',
    level: 3,
    title: 'Configuration is delivered by GitOps (policy as code)',
    evaluate: (f) => anyRunning(f, GITOPS, 'GitOps controller'),
    fix: (f) => withComponents(f, ['argo-cd']),
    remediation: 'Deliver manifests and policies from Git with Argo CD or Flux.',
  },
  {
    id: 'compliance.scanning',
    pillar: 'compliance',
    level: 4,
    title: 'Continuous benchmark / vulnerability scanning',
    evaluate: (f) => anyRunning(f, SCANNERS, 'benchmark or scanning tool'),
    fix: (f) => withComponents(f, ['trivy-operator']),
    remediation: 'Run kube-bench (CIS) and trivy-operator or Kubescape continuously.',
  },
  {
    id: 'compliance.runtime-audit',
    pillar: 'compliance',
    level: 4,
    title: 'Runtime activity is audited (Falco, Tetragon, Sysdig, NeuVector)',
    evaluate: (f) => anyRunning(f, RUNTIME, 'runtime audit trail'),
    fix: (f) => withComponents(f, ['falco']),
    remediation: 'Run a runtime detector that records process and network activity for audit.',
  },
];

const complianceCaps: Cap[] = [
  {
    id: 'cap.cluster-admin-sprawl',
    pillar: 'compliance',
    title: 'cluster-admin is bound to non-system subjects',
    maxLevel: 1,
    kind: 'cap',
    evaluate: (f) => {
      if (f.compliance.rbacCollected === null)
        return {
          applies: null,
          evidence: [],
          reason: 'ClusterRoleBindings could not be collected',
        };
      const s = f.compliance.clusterAdminSubjects;
      return s.length
        ? { applies: true, evidence: list(s), reason: `${s.length} subjects hold cluster-admin` }
        : { applies: false, evidence: [], reason: 'cluster-admin bound to system subjects only' };
    },
    fix: (f) => patch(f, (d) => void (d.compliance.clusterAdminSubjects = [])),
    remediation:
      'Replace cluster-admin bindings of users, groups and service accounts with scoped roles.',
  },
];

export const CRITERIA: readonly Criterion[] = [
  ...isolation,
  ...observability,
  ...multiCluster,
  ...edge,
  ...resilience,
  ...compliance,
];
export const CAPS: readonly Cap[] = [
  ...isolationCaps,
  ...multiCaps,
  ...resilienceCaps,
  ...complianceCaps,
];
