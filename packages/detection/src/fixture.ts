import {
  emptySnapshot,
  type ClusterSnapshot,
  type Container,
  type EnvVar,
  type Workload,
} from '@plumbline/contracts';
import type { FixtureSpec } from './rule.js';

/** Build a valid ClusterSnapshot from a compact fixture description (rule fixtures, tests). */
export function snapshotFromSpec(spec: FixtureSpec, clusterName = 'fixture'): ClusterSnapshot {
  const s = emptySnapshot({
    scanner: { name: 'fixture', version: '0' },
    collectedAt: '2026-01-01T00:00:00Z',
    mode: 'offline',
    cluster: {
      name: clusterName,
      id: `declared-${clusterName}`,
      idSource: 'declared',
      kubernetesVersion: null,
      provider: 'unknown',
      providerEvidence: [],
      nodeCount: null,
      nodeCountSource: 'unknown',
    },
  });
  s.workloads = (spec.workloads ?? []).map((w): Workload => ({
    kind: w.kind,
    namespace: w.namespace,
    name: w.name,
    uid: null,
    labels: {},
    replicas: w.kind === 'DaemonSet' ? null : 1,
    selector: null,
    podLabels: w.podLabels ?? {},
    podAnnotations: w.podAnnotations ?? {},
    serviceAccountName: 'default',
    automountServiceAccountToken: null,
    hostNetwork: false,
    hostPID: false,
    runtimeClassName: null,
    schedule: null,
    owner: null,
    containers: (w.images ?? (w.containers ?? ['c0']).map(() => 'example/image:1.0')).map(
      (image, i): Container => ({
        name: w.containers?.[i] ?? `c${i}`,
        init: false,
        image,
        command: [],
        args: i === 0 ? (w.args ?? []) : [],
        ports: [],
        resources: { requests: {}, limits: {} },
        securityContext: {
          privileged: null,
          runAsNonRoot: null,
          runAsUser: null,
          readOnlyRootFilesystem: null,
          allowPrivilegeEscalation: null,
          capabilitiesAdd: [],
          capabilitiesDrop: [],
        },
        env:
          i === 0
            ? Object.entries(w.env ?? {}).map(([name, value]): EnvVar => ({
                name,
                source: 'literal',
                value,
                looksLikeCredential: false,
                fingerprint: null,
              }))
            : [],
        envFrom: [],
      }),
    ),
    secretVolumes: [],
    configMapVolumes: [],
  }));
  s.crds = (spec.crds ?? []).map((gk) => {
    const [group, kind] = gk.split('/') as [string, string];
    const plural = `${kind.toLowerCase()}s`;
    return {
      name: `${plural}.${group}`,
      group,
      kind,
      plural,
      scope: 'Namespaced',
      versions: ['v1'],
    };
  });
  s.apiServices = (spec.apiServices ?? []).map((g) => ({
    name: `v1.${g}`,
    group: g,
    version: 'v1',
    service: null,
  }));
  s.webhookConfigurations = (spec.webhooks ?? []).map((name) => ({
    kind: 'ValidatingWebhookConfiguration' as const,
    name,
    webhooks: [],
  }));
  s.namespaces = (spec.namespaces ?? []).map((n) => ({
    name: n.name,
    uid: null,
    labels: n.labels ?? {},
    annotations: {},
  }));
  for (const o of spec.objects ?? []) {
    const obj = {
      apiVersion: o.apiVersion,
      kind: o.kind,
      namespace: o.namespace ?? null,
      name: o.name,
      labels: {},
      spec: (o.spec ?? {}) as ClusterSnapshot['policyObjects'][number]['spec'],
    };
    if (o.list === 'customResources') s.config.customResources.push(obj);
    else s[o.list].push(obj);
  }
  s.virtualMachines = (spec.virtualMachines ?? []).map((v) => ({
    kind: 'VirtualMachine' as const,
    namespace: v.namespace,
    name: v.name,
    runStrategy: 'Always',
    interfaces: [],
    networks: [],
  }));
  s.config.configMaps = (spec.configMaps ?? []).map((c) => ({ ...c, withheldKeys: [] }));
  s.ingressClasses = (spec.ingressClasses ?? []).map((c) => ({
    name: c.name,
    controller: c.controller,
    isDefault: false,
  }));
  s.services = (spec.services ?? []).map((svc) => ({
    namespace: svc.namespace,
    name: svc.name,
    type: svc.type,
    selector: null,
    ports: [],
    externalName: null,
    loadBalancerClass: null,
    annotations: svc.annotations ?? {},
  }));
  return s;
}
