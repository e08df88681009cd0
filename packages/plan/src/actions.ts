import type {
  ClusterSnapshot,
  DetectionResult,
  MaturityPillarId,
  NetpolResult,
  PlanEffortOverrides,
  PolicyDialect,
  Workload,
} from '@plumbline/contracts';
import { CAPS, CRITERIA, THRESHOLDS, patch, type MaturityFacts } from '@plumbline/maturity';
import { DIALECT_NAMES, inDialect } from './dialect.js';
import {
  GENERATED_EFFORT,
  MANUAL_EFFORT,
  MANUAL_EFFORT_BY_LEVEL,
  effortOf,
  hoursFor,
  type EffortRow,
} from './effort.js';
import {
  PLAN_LABEL,
  objectName,
  wref,
  type BundleObject,
  type Json,
  type Manifest,
} from './k8s.js';

/**
 * The action catalogue for one scan. Generated actions produce Kubernetes objects (the bundle);
 * manual ones are the rubric's own fixes (install a component, change a setting) that no manifest
 * Plumbline could write would honestly achieve. Every action models its effect on the maturity
 * facts (what the planner searches over); for generated actions verification then re-runs the
 * full analysis on the snapshot with the objects applied, so the model is checked every time.
 */

export interface PlanContext {
  snapshot: ClusterSnapshot;
  detection: DetectionResult;
  netpol: NetpolResult;
  facts: MaturityFacts;
  effort?: PlanEffortOverrides;
  /** The language of the generated network policies (default: Kubernetes NetworkPolicy). */
  dialect?: PolicyDialect;
}

/** The rule-reference prefix of a dialect's own policies in the NetworkPolicy analysis. */
const DIALECT_REF: Record<PolicyDialect, RegExp> = {
  kubernetes: /^NetworkPolicy /,
  calico: /^(NetworkPolicy |Calico NetworkPolicy )/,
  cilium: /^(NetworkPolicy |CiliumNetworkPolicy )/,
};

export interface Action {
  id: string;
  title: string;
  kind: 'generated' | 'manual';
  /** Criterion and cap ids this action meets (or lifts). */
  addresses: string[];
  pillars: MaturityPillarId[];
  units: number;
  unit: string;
  hours: number;
  remediation: string;
  /** Canonical position: effects compose in this order. */
  order: number;
  effect(f: MaturityFacts): MaturityFacts;
  /** Objects for the snapshot as changed by the actions before this one (generated only). */
  generate?(s: ClusterSnapshot): BundleObject[];
}

const APPLY = new Set(['Deployment', 'StatefulSet']);
const labelsMatch = (
  sel: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
) => Object.entries(sel).every(([k, v]) => labels[k] === v);

/** The labels a generated PodDisruptionBudget selects a workload by ({} when none usable). */
export function pdbSelector(w: Workload): Record<string, string> {
  const m = w.selector?.matchLabels ?? {};
  if (Object.keys(m).length && !w.selector?.matchExpressions.length && labelsMatch(m, w.podLabels))
    return { ...m };
  return { ...w.podLabels };
}

function header(
  apiVersion: string,
  kind: string,
  name: string,
  namespace: string | undefined,
  action: string,
): Pick<Manifest, 'apiVersion' | 'kind' | 'metadata'> {
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      ...(namespace !== undefined ? { namespace } : {}),
      labels: { [PLAN_LABEL]: action },
    },
  };
}

function obj(action: string, partial: boolean, manifest: Manifest): BundleObject {
  const ns = manifest.metadata.namespace;
  const file = `${action}/${manifest.kind.toLowerCase()}-${ns ? `${ns}-` : ''}${manifest.metadata.name}.yaml`;
  return { file, action, partial, manifest };
}

/** Partial objects carry no plan label: they merge into objects the team owns. */
function partialHeader(apiVersion: string, kind: string, name: string, namespace?: string) {
  return {
    apiVersion,
    kind,
    metadata: { name, ...(namespace !== undefined ? { namespace } : {}) },
  };
}

// ------------------------------------------------------------------ network policies

interface PortRule {
  protocol: string;
  port: number | string;
}

function servicePorts(s: ClusterSnapshot['services'][number]): PortRule[] {
  const seen = new Set<string>();
  const out: PortRule[] = [];
  for (const p of s.ports) {
    const port = p.targetPort ?? p.port;
    // Port 0 (a Service port without a usable target) is not a port a policy can name: the API
    // server refuses it, and Cilium reads it as every port.
    if (port === 0 || port === '0' || port === '') continue;
    const protocol = p.protocol || 'TCP';
    const key = `${protocol}/${port}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ protocol, port });
  }
  return out;
}

const portsJson = (ports: readonly PortRule[]): Json[] =>
  ports.map((p) => ({ protocol: p.protocol, port: p.port }));

const ANYWHERE: Json[] = [
  { namespaceSelector: {} },
  { ipBlock: { cidr: '0.0.0.0/0' } },
  { ipBlock: { cidr: '::/0' } },
];

interface NsView {
  workloads: Workload[];
  isolated: (w: Workload, dir: 'ingress' | 'egress') => boolean;
}

function namespaceView(s: ClusterSnapshot, netpol: NetpolResult): (ns: string) => NsView {
  const byNs = new Map<string, Workload[]>();
  for (const w of s.workloads) {
    if (w.hostNetwork || w.owner) continue;
    const l = byNs.get(w.namespace);
    if (l) l.push(w);
    else byNs.set(w.namespace, [w]);
  }
  const iso = new Map(netpol.workloads.map((w) => [w.ref, w]));
  return (ns) => ({
    workloads: byNs.get(ns) ?? [],
    isolated: (w, dir) => iso.get(`${w.namespace}/${w.name}[${w.kind}]`)?.[dir].isolated ?? false,
  });
}

function defaultDeny(action: string, ns: string, dir: 'Ingress' | 'Egress'): BundleObject {
  return obj(action, false, {
    ...header(
      'networking.k8s.io/v1',
      'NetworkPolicy',
      `plumbline-default-deny-${dir.toLowerCase()}`,
      ns,
      action,
    ),
    spec: { podSelector: {}, policyTypes: [dir] },
  });
}

/** Targets of allow rules: every pod, or (when some pods are already isolated by the team's own
 *  policies, whose allows must not be widened) each not-yet-isolated workload by its labels. */
function targets(
  v: NsView,
  dir: 'ingress' | 'egress',
): { name: string; selector: Record<string, string> }[] {
  const open = v.workloads.filter((w) => !v.isolated(w, dir));
  if (open.length === v.workloads.length) return [{ name: 'all', selector: {} }];
  return open
    .filter((w) => Object.keys(w.podLabels).length)
    .map((w) => ({ name: `${w.kind}-${w.name}`, selector: { ...w.podLabels } }));
}

function ingressObjects(
  ctx: PlanContext,
  s: ClusterSnapshot,
  namespaces: readonly string[],
): BundleObject[] {
  const action = 'netpol-ingress';
  const view = namespaceView(s, ctx.netpol);
  const out: BundleObject[] = [];
  const byNs = new Map<string, ClusterSnapshot['services']>();
  for (const svc of s.services) {
    if (!svc.selector || !Object.keys(svc.selector).length || !servicePorts(svc).length) continue;
    const l = byNs.get(svc.namespace);
    if (l) l.push(svc);
    else byNs.set(svc.namespace, [svc]);
  }
  for (const ns of namespaces) {
    const v = view(ns);
    out.push(defaultDeny(action, ns, 'Ingress'));
    const allow = (name: string, selector: Record<string, string>, ports: PortRule[]) =>
      out.push(
        obj(action, false, {
          ...header(
            'networking.k8s.io/v1',
            'NetworkPolicy',
            objectName('plumbline-allow-svc', name),
            ns,
            action,
          ),
          spec: {
            podSelector: Object.keys(selector).length ? { matchLabels: selector } : {},
            policyTypes: ['Ingress'],
            ingress: [{ from: ANYWHERE, ports: portsJson(ports) }],
          },
        }),
      );
    const services = byNs.get(ns) ?? [];
    const noneIsolated = v.workloads.every((w) => !v.isolated(w, 'ingress'));
    if (services.length > MAX_SERVICE_POLICIES && noneIsolated) {
      // Many Services and no pod isolated yet: one allow of every Service target port of the
      // namespace to its pods (a little wider than per Service, bounded in objects and in the
      // work of every policy engine that evaluates them).
      const seen = new Set<string>();
      const ports: PortRule[] = [];
      for (const svc of services)
        for (const p of servicePorts(svc))
          if (!seen.has(`${p.protocol}/${p.port}`)) {
            seen.add(`${p.protocol}/${p.port}`);
            ports.push(p);
          }
      allow('service-ports', {}, ports);
      continue;
    }
    for (const svc of services) {
      const ports = servicePorts(svc);
      const backends = v.workloads.filter((w) => labelsMatch(svc.selector!, w.podLabels));
      if (!backends.length) continue;
      const open = backends.filter((w) => !v.isolated(w, 'ingress'));
      if (!open.length) continue;
      if (open.length === backends.length) allow(svc.name, { ...svc.selector! }, ports);
      else
        for (const w of open)
          if (Object.keys(w.podLabels).length)
            allow(`${svc.name}-${w.name}`, { ...w.podLabels }, ports);
    }
  }
  return out;
}

/** Above this many Services in a namespace, one allow of their ports instead of one per Service. */
export const MAX_SERVICE_POLICIES = 25;

function dnsTarget(s: ClusterSnapshot): { ns: string; selector: Record<string, string> } {
  const svc = s.services.find(
    (x) =>
      x.namespace === 'kube-system' &&
      x.name === 'kube-dns' &&
      x.selector &&
      Object.keys(x.selector).length,
  );
  return {
    ns: 'kube-system',
    selector: svc?.selector ? { ...svc.selector } : { 'k8s-app': 'kube-dns' },
  };
}

function egressObjects(
  ctx: PlanContext,
  s: ClusterSnapshot,
  namespaces: readonly string[],
): BundleObject[] {
  const action = 'netpol-egress';
  const view = namespaceView(s, ctx.netpol);
  const dns = dnsTarget(s);
  // Every port a Service sends traffic to, cluster-wide (named ports resolve at the destination).
  const seen = new Set<string>();
  const svcPorts: PortRule[] = [];
  let hostBackends = false;
  const hostLabels = s.workloads.filter((w) => w.hostNetwork);
  for (const svc of s.services) {
    if (!svc.selector || !Object.keys(svc.selector).length) continue;
    for (const p of servicePorts(svc)) {
      const k = `${p.protocol}/${p.port}`;
      if (!seen.has(k)) {
        seen.add(k);
        svcPorts.push(p);
      }
    }
    if (
      hostLabels.some(
        (w) => w.namespace === svc.namespace && labelsMatch(svc.selector!, w.podLabels),
      )
    )
      hostBackends = true;
  }
  svcPorts.sort((a, b) => `${a.protocol}/${a.port}`.localeCompare(`${b.protocol}/${b.port}`));
  const apiUsers = new Set<string>();
  for (const b of s.roleBindings)
    for (const sub of b.subjects)
      if (sub.kind === 'ServiceAccount' && sub.namespace) apiUsers.add(sub.namespace);
  const out: BundleObject[] = [];
  for (const ns of namespaces) {
    const v = view(ns);
    out.push(defaultDeny(action, ns, 'Egress'));
    const rules: Json[] = [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': dns.ns } },
            podSelector: { matchLabels: dns.selector },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ];
    if (svcPorts.length)
      rules.push({
        to: hostBackends ? ANYWHERE : [{ namespaceSelector: {} }],
        ports: portsJson(svcPorts),
      });
    if (apiUsers.has(ns))
      rules.push({
        to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }],
        ports: [
          { protocol: 'TCP', port: 443 },
          { protocol: 'TCP', port: 6443 },
        ],
      });
    for (const t of targets(v, 'egress'))
      out.push(
        obj(action, false, {
          ...header(
            'networking.k8s.io/v1',
            'NetworkPolicy',
            objectName('plumbline-allow-egress', t.name),
            ns,
            action,
          ),
          spec: {
            podSelector: Object.keys(t.selector).length ? { matchLabels: t.selector } : {},
            policyTypes: ['Egress'],
            egress: rules,
          },
        }),
      );
  }
  return out;
}

// ------------------------------------------------------------------ resilience

function appControllers(ctx: PlanContext, s: ClusterSnapshot): Workload[] {
  const app = new Set(ctx.facts.policy.appNamespaces);
  return s.workloads.filter((w) => app.has(w.namespace) && APPLY.has(w.kind));
}

/** The Deployments to scale to 2 replicas: just enough to reach the replicated-share threshold. */
function toScale(ctx: PlanContext): Workload[] {
  const all = appControllers(ctx, ctx.snapshot);
  if (!all.length) return [];
  const multi = all.filter((w) => (w.replicas ?? 1) >= 2).length;
  const candidates = all
    .filter((w) => w.kind === 'Deployment' && (w.replicas ?? 1) === 1)
    .sort((a, b) => wref(a).localeCompare(wref(b)));
  const share = (m: number) => Math.round((1000 * m) / all.length) / 10;
  const out: Workload[] = [];
  for (const w of candidates) {
    if (share(multi + out.length) >= THRESHOLDS.replicatedShare) break;
    out.push(w);
  }
  return share(multi + out.length) >= THRESHOLDS.replicatedShare ? out : [];
}

/** The snapshot's usable PodDisruptionBudget selectors by namespace (built once per snapshot). */
const pdbIndex = new WeakMap<ClusterSnapshot, Map<string, Readonly<Record<string, string>>[]>>();
function pdbSelectorsIn(
  s: ClusterSnapshot,
  ns: string,
): readonly Readonly<Record<string, string>>[] {
  let byNs = pdbIndex.get(s);
  if (!byNs) {
    byNs = new Map();
    for (const p of s.podDisruptionBudgets) {
      if (
        p.selector === null ||
        p.selector.matchExpressions.length !== 0 ||
        Object.keys(p.selector.matchLabels).length === 0
      )
        continue;
      const l = byNs.get(p.namespace);
      if (l) l.push(p.selector.matchLabels);
      else byNs.set(p.namespace, [p.selector.matchLabels]);
    }
    pdbIndex.set(s, byNs);
  }
  return byNs.get(ns) ?? [];
}

function pdbCovered(s: ClusterSnapshot, w: Workload): boolean {
  return pdbSelectorsIn(s, w.namespace).some((sel) => labelsMatch(sel, w.podLabels));
}

// ------------------------------------------------------------------ the catalogue

const GENERATED_ORDER = [
  'admission-policies',
  'replicas',
  'dns-replicas',
  'pdb',
  'netpol-ingress',
  'netpol-egress',
  'pod-security-labels',
];

function generatedActions(ctx: PlanContext): Action[] {
  const f = ctx.facts;
  const s = ctx.snapshot;
  const out: Action[] = [];
  const add = (
    id: string,
    units: number,
    a: Omit<Action, 'id' | 'kind' | 'units' | 'unit' | 'hours' | 'order'>,
  ) => {
    if (units <= 0) return;
    const row = effortOf(id, GENERATED_EFFORT[id]!, ctx.effort);
    out.push({
      ...a,
      id,
      kind: 'generated',
      units,
      unit: row.unit,
      hours: hoursFor(row, units),
      order: GENERATED_ORDER.indexOf(id),
    });
  };

  // Replicas: scale just enough single-replica Deployments to 2.
  const scale = toScale(ctx);
  const controllers = appControllers(ctx, s).length;
  const scaledRefs = scale.map(wref);
  add('replicas', scale.length, {
    title: `Run ${scale.length} single-replica Deployments with 2 replicas`,
    addresses: ['resilience.replicated-apps', 'resilience.pdb'],
    pillars: ['resilience'],
    remediation: `Set spec.replicas: 2 on ${scaledRefs.slice(0, 5).join(', ')}${scale.length > 5 ? ` and ${scale.length - 5} more` : ''} (partial objects; stateless workloads only: check before applying).`,
    effect: (x) =>
      patch(x, (d) => {
        const multi = new Set([...d.resilience.multiReplicaApps, ...scaledRefs]);
        d.resilience.multiReplicaApps = [...multi];
        d.resilience.replicatedShare = Math.round((1000 * multi.size) / controllers) / 10;
      }),
    generate: () =>
      scale.map((w) =>
        obj('replicas', true, {
          ...partialHeader('apps/v1', w.kind, w.name, w.namespace),
          spec: { replicas: 2 },
        }),
      ),
  });

  const dns = f.resilience.dns;
  const dnsW = s.workloads.find(
    (w) =>
      w.kind === 'Deployment' &&
      w.namespace === 'kube-system' &&
      /^(coredns|kube-dns)$/.test(w.name),
  );
  add('dns-replicas', dns && dnsW && dns.replicas < 2 ? 1 : 0, {
    title: 'Run cluster DNS with 2 replicas',
    addresses: ['resilience.dns-redundant'],
    pillars: ['resilience'],
    remediation: `Set spec.replicas: 2 on ${dns?.ref ?? 'CoreDNS'} (a partial object; managed add-ons may reset it: set it in the add-on's configuration too).`,
    effect: (x) =>
      patch(
        x,
        (d) =>
          void (d.resilience.dns = d.resilience.dns ? { ...d.resilience.dns, replicas: 2 } : null),
      ),
    generate: () => [
      obj('dns-replicas', true, {
        ...partialHeader('apps/v1', 'Deployment', dnsW!.name, 'kube-system'),
        spec: { replicas: 2 },
      }),
    ],
  });

  // PDBs: every multi-replica application workload (after scaling) without one.
  const byRef = new Map(s.workloads.map((w) => [wref(w), w]));
  const coverable = (ref: string) => {
    const w = byRef.get(ref);
    return !!w && Object.keys(pdbSelector(w)).length > 0;
  };
  const scaled = new Set(scaledRefs);
  const pdbUnits = appControllers(ctx, s).filter(
    (w) =>
      ((w.replicas ?? 1) >= 2 || scaled.has(wref(w))) && !pdbCovered(s, w) && coverable(wref(w)),
  ).length;
  add('pdb', pdbUnits, {
    title: 'Add PodDisruptionBudgets to replicated application workloads',
    addresses: ['resilience.pdb'],
    pillars: ['resilience'],
    remediation:
      'A PodDisruptionBudget with maxUnavailable: 1 per replicated Deployment / StatefulSet, selecting its pods.',
    effect: (x) =>
      patch(x, (d) => {
        const covered = new Set(d.resilience.multiReplicaWithPdb);
        for (const ref of d.resilience.multiReplicaApps) if (coverable(ref)) covered.add(ref);
        d.resilience.multiReplicaWithPdb = d.resilience.multiReplicaApps.filter((r) =>
          covered.has(r),
        );
      }),
    generate: (cur) =>
      appControllers(ctx, cur)
        .filter(
          (w) =>
            (w.replicas ?? 1) >= 2 && !pdbCovered(cur, w) && Object.keys(pdbSelector(w)).length,
        )
        .map((w) =>
          obj('pdb', false, {
            ...header(
              'policy/v1',
              'PodDisruptionBudget',
              objectName('plumbline', w.kind, w.name),
              w.namespace,
              'pdb',
            ),
            spec: { maxUnavailable: 1, selector: { matchLabels: pdbSelector(w) } },
          }),
        ),
  });

  // Where policies of another language (Calico, Cilium, Antrea, cluster-scoped) already decide for
  // application pods, a default-deny interacts with their tiers and order: Plumbline does not
  // generate there (the criterion stays a manual step) rather than offer a bundle it cannot stand
  // behind. With a dialect chosen, that engine's own namespaced policies are the same language.
  const dialect = ctx.dialect ?? 'kubernetes';
  const own = DIALECT_REF[dialect];
  const appNs = new Set(f.policy.appNamespaces);
  const foreign = (dir: 'ingress' | 'egress') =>
    ctx.netpol.workloads.some(
      (w) =>
        appNs.has(w.namespace) &&
        [...w[dir].isolatedBy, ...w[dir].allowed.map((a) => a.rule)].some((r) => !own.test(r)),
    );
  const inLanguage = dialect === 'kubernetes' ? '' : ` as ${DIALECT_NAMES[dialect]}`;
  const noIngress = f.policy.noDefaultDenyIngress;
  add('netpol-ingress', f.policy.collected === null || foreign('ingress') ? 0 : noIngress.length, {
    title: `Default-deny ingress with Service allows in ${noIngress.length} application namespace${noIngress.length === 1 ? '' : 's'}${inLanguage}`,
    addresses: [
      'isolation.policies-in-use',
      'isolation.ingress-coverage-50',
      'isolation.ingress-coverage-90',
      'isolation.default-deny-ingress',
    ],
    pillars: ['workload-isolation'],
    remediation:
      'Per application namespace: a default-deny ingress NetworkPolicy, and for every Service an allow to its pods on its target ports from any pod or address (what the Service exposes today stays reachable; other ports close).',
    effect: (x) =>
      patch(x, (d) => {
        d.policy.noDefaultDenyIngress = [];
        if (d.policy.ingressPct !== null) d.policy.ingressPct = 100;
        d.policy.selectingAppWorkloads = d.policy.appWorkloads;
      }),
    generate: (cur) => inDialect(ingressObjects(ctx, cur, noIngress), dialect),
  });

  const noEgress = f.policy.noDefaultDenyEgress;
  add('netpol-egress', f.policy.collected === null || foreign('egress') ? 0 : noEgress.length, {
    title: `Default-deny egress with DNS and Service allows in ${noEgress.length} application namespace${noEgress.length === 1 ? '' : 's'}${inLanguage}`,
    addresses: [
      'isolation.policies-in-use',
      'isolation.egress-coverage-50',
      'isolation.egress-coverage-90',
      'isolation.default-deny-egress',
      'edge.egress-control',
    ],
    pillars: ['workload-isolation', 'edge-traffic'],
    remediation:
      'Per application namespace: a default-deny egress NetworkPolicy and an allow of DNS (cluster DNS pods, port 53), of every Service target port in the cluster, and of the API server (TCP 443/6443) where service accounts hold RBAC bindings. Other egress (the internet) is denied.',
    effect: (x) =>
      patch(x, (d) => {
        d.policy.noDefaultDenyEgress = [];
        if (d.policy.egressPct !== null) d.policy.egressPct = 100;
        d.policy.selectingAppWorkloads = d.policy.appWorkloads;
      }),
    generate: (cur) => inDialect(egressObjects(ctx, cur, noEgress), dialect),
  });

  // Admission policies where no admission mechanism runs yet: the built-in
  // ValidatingAdmissionPolicy (GA from Kubernetes 1.30), in Warn + Audit, never Deny at first.
  // Policies in audit mode do not count as enforcing Pod Security (packages/maturity), so this
  // meets the level-1 admission criterion only; the Pod Security labels meet level 2.
  const ADMISSION_ENGINES = [
    'kyverno',
    'gatekeeper',
    'validating-admission-policy',
    'pod-security-admission',
  ] as const;
  const noAdmission = !ADMISSION_ENGINES.some((id) => f.running.has(id));
  const policies = noAdmission && atLeast(s.cluster.kubernetesVersion, 1, 30) ? vapPolicies() : [];
  add('admission-policies', policies.length ? 1 : 0, {
    title:
      'Add ValidatingAdmissionPolicies: pod security basics, image pinning, owner labels (warn + audit)',
    addresses: ['compliance.admission'],
    pillars: ['compliance'],
    remediation:
      'Three ValidatingAdmissionPolicies with bindings in Warn + Audit (no privileged containers, host network or host PID; images pinned by tag or digest, never :latest; an owner label on Deployments, StatefulSets and DaemonSets), outside kube-system. Watch the warnings and audit annotations, fix what they name, then add Deny to validationActions.',
    effect: (x) =>
      patch(x, (d) => void (d.running = new Set([...d.running, 'validating-admission-policy']))),
    generate: () => policies.map((m) => obj('admission-policies', false, m)),
  });

  const noPsa = f.compliance.appNamespacesWithoutPodSecurity;
  const violators = baselineViolations(s, noPsa);
  add('pod-security-labels', noPsa.length, {
    title: `Enforce the baseline Pod Security Standard in ${noPsa.length} application namespace${noPsa.length === 1 ? '' : 's'}`,
    addresses: ['compliance.admission', 'compliance.pod-security-everywhere'],
    pillars: ['compliance'],
    remediation: `Label each application namespace pod-security.kubernetes.io/enforce: baseline (and warn: restricted) - built into the API server, no engine to install. Pods that break the baseline are refused on their next rollout${
      violators.length
        ? `: fix these first (or label their namespace later): ${violators.slice(0, 10).join('; ')}${violators.length > 10 ? `; and ${violators.length - 10} more` : ''}`
        : '; none of the scanned workloads does'
    }.`,
    effect: (x) =>
      patch(x, (d) => {
        d.running = new Set([...d.running, 'pod-security-admission']);
        d.compliance.appNamespacesWithoutPodSecurity = [];
      }),
    generate: () =>
      noPsa.map((ns) =>
        obj('pod-security-labels', true, {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name: ns,
            labels: {
              'pod-security.kubernetes.io/enforce': 'baseline',
              'pod-security.kubernetes.io/warn': 'restricted',
            },
          },
        }),
      ),
  });
  return out;
}

/** Is a Kubernetes version (v1.30.2, 1.31+, v1.29.4-eks) at least major.minor? */
export function atLeast(version: string | null, major: number, minor: number): boolean {
  const m = /(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}

const SYSTEM_NS = ['kube-system', 'kube-public', 'kube-node-lease'];
const CONTROLLERS = ['deployments', 'statefulsets', 'daemonsets'];

function vapPolicies(): Manifest[] {
  const action = 'admission-policies';
  const policy = (name: string, rules: Json, validations: Json[]): Manifest => ({
    ...header(
      'admissionregistration.k8s.io/v1',
      'ValidatingAdmissionPolicy',
      name,
      undefined,
      action,
    ),
    spec: { failurePolicy: 'Fail', matchConstraints: { resourceRules: rules }, validations },
  });
  const binding = (name: string): Manifest => ({
    ...header(
      'admissionregistration.k8s.io/v1',
      'ValidatingAdmissionPolicyBinding',
      name,
      undefined,
      action,
    ),
    spec: {
      policyName: name,
      validationActions: ['Warn', 'Audit'],
      matchResources: {
        namespaceSelector: {
          matchExpressions: [
            { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: SYSTEM_NS },
          ],
        },
      },
    },
  });
  const pods: Json = [
    { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] },
  ];
  const controllers: Json = [
    {
      apiGroups: ['apps'],
      apiVersions: ['v1'],
      operations: ['CREATE', 'UPDATE'],
      resources: CONTROLLERS,
    },
  ];
  const containers =
    'object.spec.containers + (has(object.spec.initContainers) ? object.spec.initContainers : [])';
  return [
    policy('plumbline-pod-security-basics', pods, [
      {
        expression: '!has(object.spec.hostNetwork) || !object.spec.hostNetwork',
        message: 'host network is not allowed',
      },
      {
        expression: '!has(object.spec.hostPID) || !object.spec.hostPID',
        message: 'host PID is not allowed',
      },
      {
        expression: `(${containers}).all(c, !has(c.securityContext) || !has(c.securityContext.privileged) || !c.securityContext.privileged)`,
        message: 'privileged containers are not allowed',
      },
    ]),
    binding('plumbline-pod-security-basics'),
    policy('plumbline-image-pinning', pods, [
      {
        expression: `(${containers}).all(c, c.image.contains('@sha256:') || (c.image.split('/')[size(c.image.split('/')) - 1].contains(':') && !c.image.endsWith(':latest')))`,
        message: 'images must be pinned by tag or digest, never :latest',
      },
    ]),
    binding('plumbline-image-pinning'),
    policy('plumbline-owner-label', controllers, [
      {
        expression: "has(object.metadata.labels) && 'owner' in object.metadata.labels",
        message: 'workloads carry an owner label',
      },
    ]),
    binding('plumbline-owner-label'),
  ];
}

/** Baseline capabilities (Pod Security Standards, baseline profile). */
const BASELINE_CAPS = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** Workloads in these namespaces the baseline Pod Security Standard would refuse, and why. */
export function baselineViolations(s: ClusterSnapshot, namespaces: readonly string[]): string[] {
  const ns = new Set(namespaces);
  const out: string[] = [];
  for (const w of s.workloads) {
    if (!ns.has(w.namespace) || w.owner) continue;
    const why: string[] = [];
    if (w.hostNetwork) why.push('hostNetwork');
    if (w.hostPID) why.push('hostPID');
    for (const c of w.containers) {
      if (c.securityContext.privileged) why.push(`${c.name} privileged`);
      if (c.ports.some((p) => p.hostPort !== null && p.hostPort !== 0))
        why.push(`${c.name} hostPort`);
      const extra = c.securityContext.capabilitiesAdd.filter(
        (x) => !BASELINE_CAPS.has(x.replace(/^CAP_/, '')),
      );
      if (extra.length) why.push(`${c.name} adds ${extra.join(',')}`);
    }
    if (why.length) out.push(`${wref(w)} (${[...new Set(why)].join(', ')})`);
  }
  return out.sort();
}

/** Manual actions: the rubric's own fixes for criteria and caps no generated action addresses. */
function manualActions(ctx: PlanContext, covered: ReadonlySet<string>): Action[] {
  // Criteria default to the effort of their level; caps (which hold a pillar below level 2
  // and up) to level 2's.
  const sources = [
    ...CRITERIA.filter((c) => !covered.has(c.id)).map((c) => ({ c, level: c.level })),
    ...CAPS.map((c) => ({ c, level: 2 as const })),
  ];
  return sources.map(({ c, level }, i) => {
    const id = `manual:${c.id}`;
    const row: EffortRow = effortOf(
      id,
      MANUAL_EFFORT[id] ?? MANUAL_EFFORT_BY_LEVEL[level],
      ctx.effort,
    );
    return {
      id,
      title: c.title,
      kind: 'manual',
      addresses: [c.id],
      pillars: [c.pillar],
      units: 1,
      unit: row.unit,
      hours: hoursFor(row, 1),
      remediation: c.remediation,
      order: 100 + i,
      effect: c.fix,
    };
  });
}

/** Every action for this scan, in canonical order. */
export function catalogue(ctx: PlanContext): Action[] {
  const generated = generatedActions(ctx);
  const covered = new Set(generated.flatMap((a) => a.addresses));
  // A criterion a generated action would address stays manual when that action does not apply
  // here (e.g. nothing to scale): the planner must still see a way to meet it, or say why not.
  const offered = new Set(GENERATED_ADDRESSES.filter((id) => covered.has(id)));
  return [...generated, ...manualActions(ctx, offered)];
}

const GENERATED_ADDRESSES = [
  'resilience.replicated-apps',
  'resilience.pdb',
  'resilience.dns-redundant',
  'isolation.policies-in-use',
  'isolation.ingress-coverage-50',
  'isolation.ingress-coverage-90',
  'isolation.default-deny-ingress',
  'isolation.egress-coverage-50',
  'isolation.egress-coverage-90',
  'isolation.default-deny-egress',
  'edge.egress-control',
  'compliance.admission',
  'compliance.pod-security-everywhere',
];
