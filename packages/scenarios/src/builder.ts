import type { Rng } from './prng.js';
import type { KubeObject, ObjectMeta, OwnerReference, StackChoice } from './types.js';

/** Building blocks: objects with uids, workloads with their ReplicaSets and pods, services... */

export type Labels = Record<string, string>;
export type Json = Record<string, unknown>;

export interface PodTemplate {
  labels: Labels;
  annotations?: Labels;
  spec: Json;
}

export interface NodeInfo {
  name: string;
  ip: string;
}

export interface ContainerOptions {
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  env?: Json[];
  args?: string[];
  command?: string[];
  cpu?: string;
  memory?: string;
  limits?: boolean;
  securityContext?: Json;
  volumeMounts?: Json[];
}

export function container(name: string, image: string, o: ContainerOptions = {}): Json {
  const requests = { cpu: o.cpu ?? '100m', memory: o.memory ?? '128Mi' };
  const c: Json = {
    name,
    image,
    imagePullPolicy: 'IfNotPresent',
    resources:
      o.limits === false ? { requests } : { requests, limits: { memory: requests.memory } },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  };
  if (o.command) c.command = o.command;
  if (o.args) c.args = o.args;
  if (o.ports) c.ports = o.ports.map((p) => ({ protocol: 'TCP', ...p }));
  if (o.env) c.env = o.env;
  if (o.securityContext) c.securityContext = o.securityContext;
  if (o.volumeMounts) c.volumeMounts = o.volumeMounts;
  return c;
}

export const RESTRICTED: Json = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

export function literal(name: string, value: string): Json {
  return { name, value };
}
export function fromSecret(name: string, secret: string, key: string): Json {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

export class ClusterBuilder {
  readonly objects: KubeObject[] = [];
  readonly nodes: NodeInfo[] = [];
  pods = 0;
  workloads = 0;
  networkPolicies = 0;
  private podIp = 0;

  constructor(
    readonly rng: Rng,
    readonly stack: StackChoice,
  ) {}

  add<T extends KubeObject>(o: T): T {
    this.objects.push(o);
    return o;
  }

  meta(name: string, namespace?: string, labels?: Labels, annotations?: Labels): ObjectMeta {
    const m: ObjectMeta = { name, uid: this.rng.uuid() };
    if (namespace !== undefined) m.namespace = namespace;
    if (labels && Object.keys(labels).length) m.labels = labels;
    if (annotations && Object.keys(annotations).length) m.annotations = annotations;
    return m;
  }

  object(
    apiVersion: string,
    kind: string,
    name: string,
    namespace: string | undefined,
    fields: Json = {},
    labels?: Labels,
    annotations?: Labels,
  ): KubeObject {
    return this.add({
      apiVersion,
      kind,
      metadata: this.meta(name, namespace, labels, annotations),
      ...fields,
    });
  }

  namespace(name: string, labels: Labels = {}, annotations: Labels = {}): KubeObject {
    const ns = this.object(
      'v1',
      'Namespace',
      name,
      undefined,
      { spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } },
      { 'kubernetes.io/metadata.name': name, ...labels },
      annotations,
    );
    // What the controllers of every cluster create in each namespace.
    this.object('v1', 'ServiceAccount', 'default', name);
    this.object('v1', 'ConfigMap', 'kube-root-ca.crt', name, {
      data: {
        'ca.crt':
          '-----BEGIN CERTIFICATE-----\nMIIC5zCCAc+gAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJl\ncm5ldGVzMB4XDTI2MDEwMTAwMDAwMFoXDTM2MDEwMTAwMDAwMFowFTETMBEGA1UE\n-----END CERTIFICATE-----\n',
      },
    });
    return ns;
  }

  private ownerRef(o: KubeObject): OwnerReference {
    return {
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.metadata.name,
      uid: o.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    };
  }

  private nextPodIp(): string {
    const n = this.podIp++;
    return `10.${64 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}`;
  }

  private makePods(
    owner: KubeObject,
    namespace: string,
    names: string[],
    template: PodTemplate,
    extraLabels: Labels,
    nodeFor: (i: number) => NodeInfo,
  ): void {
    // Pods of one controller share their spec and labels, as in a real cluster (and in memory).
    const labels = { ...template.labels, ...extraLabels };
    const ownerReferences = [this.ownerRef(owner)];
    const hostNetwork = template.spec.hostNetwork === true;
    names.forEach((name, i) => {
      const node = nodeFor(i);
      const metadata: ObjectMeta = {
        name,
        namespace,
        uid: this.rng.uuid(),
        labels,
        ownerReferences,
      };
      if (template.annotations) metadata.annotations = template.annotations;
      this.add({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata,
        spec: { ...template.spec, nodeName: node.name },
        status: {
          phase: 'Running',
          hostIP: node.ip,
          podIP: hostNetwork ? node.ip : this.nextPodIp(),
          qosClass: 'Burstable',
        },
      });
    });
    this.pods += names.length;
  }

  private nodeAt = (i: number): NodeInfo => {
    if (this.nodes.length === 0) throw new Error('add nodes before workloads');
    return this.nodes[i % this.nodes.length]!;
  };

  private randomNode = (): NodeInfo => this.rng.pick(this.nodes);

  private templateOf(t: PodTemplate): Json {
    const metadata: Json = { labels: t.labels };
    if (t.annotations) metadata.annotations = t.annotations;
    return { metadata, spec: t.spec };
  }

  deployment(
    namespace: string,
    name: string,
    replicas: number,
    template: PodTemplate,
    labels: Labels = {},
  ): KubeObject {
    const hash = this.rng.suffix(10);
    const d = this.object(
      'apps/v1',
      'Deployment',
      name,
      namespace,
      {
        spec: {
          replicas,
          selector: { matchLabels: template.labels },
          strategy: { type: 'RollingUpdate' },
          template: this.templateOf(template),
        },
        status: { replicas, readyReplicas: replicas, availableReplicas: replicas },
      },
      labels,
      { 'deployment.kubernetes.io/revision': '1' },
    );
    const rsName = `${name}-${hash}`;
    const rsLabels = { ...template.labels, 'pod-template-hash': hash };
    const rs = this.add({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace,
        uid: this.rng.uuid(),
        labels: rsLabels,
        ownerReferences: [this.ownerRef(d)],
      },
      spec: {
        replicas,
        selector: { matchLabels: rsLabels },
        template: this.templateOf({ ...template, labels: rsLabels }),
      },
      status: { replicas, readyReplicas: replicas },
    });
    const names = Array.from({ length: replicas }, () => `${rsName}-${this.rng.suffix(5)}`);
    this.makePods(rs, namespace, names, template, { 'pod-template-hash': hash }, this.randomNode);
    this.workloads++;
    return d;
  }

  statefulSet(
    namespace: string,
    name: string,
    replicas: number,
    template: PodTemplate,
    labels: Labels = {},
  ): KubeObject {
    const s = this.object(
      'apps/v1',
      'StatefulSet',
      name,
      namespace,
      {
        spec: {
          replicas,
          serviceName: name,
          selector: { matchLabels: template.labels },
          template: this.templateOf(template),
        },
        status: { replicas, readyReplicas: replicas },
      },
      labels,
    );
    const names = Array.from({ length: replicas }, (_, i) => `${name}-${i}`);
    this.makePods(
      s,
      namespace,
      names,
      template,
      { 'apps.kubernetes.io/pod-index': '0' },
      this.randomNode,
    );
    this.workloads++;
    return s;
  }

  daemonSet(namespace: string, name: string, template: PodTemplate, labels: Labels = {}) {
    const n = this.nodes.length;
    const ds = this.object(
      'apps/v1',
      'DaemonSet',
      name,
      namespace,
      {
        spec: {
          selector: { matchLabels: template.labels },
          updateStrategy: { type: 'RollingUpdate' },
          template: this.templateOf(template),
        },
        status: { desiredNumberScheduled: n, numberReady: n },
      },
      labels,
    );
    const names = Array.from({ length: n }, () => `${name}-${this.rng.suffix(5)}`);
    this.makePods(ds, namespace, names, template, {}, this.nodeAt);
    this.workloads++;
    return ds;
  }

  cronJob(namespace: string, name: string, schedule: string, template: PodTemplate): KubeObject {
    const c = this.object('batch/v1', 'CronJob', name, namespace, {
      spec: {
        schedule,
        concurrencyPolicy: 'Forbid',
        jobTemplate: {
          spec: { template: this.templateOf({ ...template, spec: { ...template.spec } }) },
        },
      },
    });
    this.workloads++;
    return c;
  }

  service(
    namespace: string,
    name: string,
    selector: Labels,
    ports: { name: string; port: number; targetPort?: number | string }[],
    type: 'ClusterIP' | 'LoadBalancer' | 'NodePort' | 'Headless' = 'ClusterIP',
    annotations: Labels = {},
  ): KubeObject {
    const spec: Json = {
      selector,
      ports: ports.map((p) => ({
        name: p.name,
        port: p.port,
        targetPort: p.targetPort ?? p.port,
        protocol: 'TCP',
      })),
      type: type === 'Headless' ? 'ClusterIP' : type,
    };
    if (type === 'Headless') spec.clusterIP = 'None';
    return this.object('v1', 'Service', name, namespace, { spec }, {}, annotations);
  }

  serviceAccount(namespace: string, name: string, annotations: Labels = {}, automount?: boolean) {
    const fields: Json = {};
    if (automount !== undefined) fields.automountServiceAccountToken = automount;
    return this.object('v1', 'ServiceAccount', name, namespace, fields, {}, annotations);
  }

  secret(
    namespace: string,
    name: string,
    data: Record<string, string>,
    type = 'Opaque',
    labels: Labels = {},
  ): KubeObject {
    const encoded: Record<string, string> = {};
    for (const [k, v] of Object.entries(data)) encoded[k] = b64(v);
    return this.object('v1', 'Secret', name, namespace, { type, data: encoded }, labels);
  }

  configMap(namespace: string, name: string, data: Record<string, string>, labels: Labels = {}) {
    return this.object('v1', 'ConfigMap', name, namespace, { data }, labels);
  }

  clusterRole(name: string, rules: Json[], labels: Labels = {}): KubeObject {
    return this.object(
      'rbac.authorization.k8s.io/v1',
      'ClusterRole',
      name,
      undefined,
      { rules },
      labels,
    );
  }

  clusterRoleBinding(name: string, role: string, subjects: Json[]): KubeObject {
    return this.object('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', name, undefined, {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects,
    });
  }

  role(namespace: string, name: string, rules: Json[]): KubeObject {
    return this.object('rbac.authorization.k8s.io/v1', 'Role', name, namespace, { rules });
  }

  roleBinding(namespace: string, name: string, roleKind: string, role: string, subjects: Json[]) {
    return this.object('rbac.authorization.k8s.io/v1', 'RoleBinding', name, namespace, {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: role },
      subjects,
    });
  }

  /** A ServiceAccount with a ClusterRole and its binding (what every operator installs). */
  operatorIdentity(namespace: string, name: string, rules: Json[]): void {
    this.serviceAccount(namespace, name);
    this.clusterRole(name, rules);
    this.clusterRoleBinding(name, name, [{ kind: 'ServiceAccount', name, namespace }]);
  }

  crd(
    group: string,
    kind: string,
    plural: string,
    versions: string[],
    scope: 'Namespaced' | 'Cluster' = 'Namespaced',
  ): KubeObject {
    return this.object(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      `${plural}.${group}`,
      undefined,
      {
        spec: {
          group,
          names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
          scope,
          versions: versions.map((v, i) => ({
            name: v,
            served: true,
            storage: i === 0,
            schema: {
              openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          })),
        },
      },
    );
  }

  networkPolicy(namespace: string, name: string, spec: Json, labels: Labels = {}): KubeObject {
    this.networkPolicies++;
    return this.object('networking.k8s.io/v1', 'NetworkPolicy', name, namespace, { spec }, labels);
  }

  pdb(namespace: string, name: string, selector: Labels, minAvailable: number | string) {
    return this.object('policy/v1', 'PodDisruptionBudget', name, namespace, {
      spec: { minAvailable, selector: { matchLabels: selector } },
    });
  }

  /** Helm's release record: what `helm install` leaves behind (type helm.sh/release.v1). */
  helmRelease(namespace: string, release: string): void {
    this.secret(
      namespace,
      `sh.helm.release.v1.${release}.v1`,
      { release: `H4sIAAAAAAAC/fake-helm-release-${release}` },
      'helm.sh/release.v1',
      { owner: 'helm', name: release, status: 'deployed', version: '1' },
    );
  }
}
