import {
  minimalSnapshot,
  type ClusterSnapshot,
  type SpecObject,
  type Workload,
} from '@plumbline/contracts';

/** Small snapshot builder for the semantics tests (pure: no I/O). */

export interface W {
  ns: string;
  name: string;
  labels?: Record<string, string>;
  kind?: Workload['kind'];
  replicas?: number | null;
  ports?: { name?: string; port: number; protocol?: string }[];
  hostNetwork?: boolean;
  sa?: string;
}

export function workload(w: W): Workload {
  return {
    kind: w.kind ?? 'Deployment',
    namespace: w.ns,
    name: w.name,
    uid: null,
    labels: {},
    replicas: w.replicas === undefined ? 1 : w.replicas,
    selector: null,
    podLabels: w.labels ?? { app: w.name },
    podAnnotations: {},
    serviceAccountName: w.sa ?? 'default',
    automountServiceAccountToken: null,
    hostNetwork: w.hostNetwork ?? false,
    hostPID: false,
    runtimeClassName: null,
    schedule: null,
    owner: null,
    containers: [
      {
        name: 'main',
        init: false,
        image: 'example/app:1',
        command: [],
        args: [],
        ports: (w.ports ?? []).map((p) => ({
          name: p.name ?? null,
          containerPort: p.port,
          hostPort: null,
          protocol: p.protocol ?? 'TCP',
        })),
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
        env: [],
        envFrom: [],
      },
    ],
    secretVolumes: [],
    configMapVolumes: [],
  };
}

export function object(
  apiVersion: string,
  kind: string,
  name: string,
  spec: unknown,
  namespace: string | null = null,
  labels: Record<string, string> = {},
): SpecObject {
  return {
    apiVersion,
    kind,
    namespace,
    name,
    labels,
    spec: spec as SpecObject['spec'],
  };
}

export const np = (ns: string, name: string, spec: unknown) =>
  object('networking.k8s.io/v1', 'NetworkPolicy', name, spec, ns);

export function cluster(opts: {
  namespaces?: Record<string, Record<string, string>>;
  workloads: W[];
  objects?: SpecObject[];
  nodeCount?: number;
}): ClusterSnapshot {
  const s = minimalSnapshot('test');
  s.namespaces = Object.entries(opts.namespaces ?? {}).map(([name, labels]) => ({
    name,
    uid: null,
    labels,
    annotations: {},
  }));
  s.workloads = opts.workloads.map(workload);
  for (const o of opts.objects ?? []) {
    if (o.kind === 'NetworkPolicy' && o.apiVersion.startsWith('networking.k8s.io'))
      s.networkPolicies.push(o);
    else s.policyObjects.push(o);
  }
  if (opts.nodeCount !== undefined) {
    s.cluster.nodeCount = opts.nodeCount;
    s.cluster.nodeCountSource = 'declared';
  }
  return s;
}
