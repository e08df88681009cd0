import {
  container,
  literal,
  RESTRICTED,
  type ClusterBuilder,
  type Json,
  type PodTemplate,
} from './builder.js';
import type { Rng } from './prng.js';
import type { StackChoice } from './types.js';

/** The platform products a cluster runs: each adds its namespace, workloads, CRDs and config. */

const READ_ALL = [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] }];

function tpl(labels: Record<string, string>, spec: Json, annotations?: Record<string, string>) {
  const t: PodTemplate = { labels, spec };
  if (annotations) t.annotations = annotations;
  return t;
}

export function chooseStack(rng: Rng, given: Partial<StackChoice> = {}): StackChoice {
  const provider =
    given.provider ??
    rng.weighted([
      ['eks', 35],
      ['gke', 25],
      ['aks', 20],
      ['kind', 10],
      ['k3s', 10],
    ] as const);
  const cniByProvider: Record<StackChoice['provider'], (readonly [StackChoice['cni'], number])[]> =
    {
      eks: [
        ['aws-vpc-cni', 60],
        ['cilium', 25],
        ['calico', 15],
      ],
      gke: [
        ['cilium', 55],
        ['calico', 45],
      ],
      aks: [
        ['cilium', 50],
        ['calico', 50],
      ],
      kind: [
        ['calico', 40],
        ['cilium', 40],
        ['flannel', 20],
      ],
      k3s: [
        ['flannel', 70],
        ['calico', 30],
      ],
    };
  const cni = given.cni ?? rng.weighted(cniByProvider[provider]);
  return {
    provider,
    cni,
    kubeProxyReplacement: given.kubeProxyReplacement ?? (cni === 'cilium' && rng.chance(0.6)),
    mesh:
      given.mesh ??
      rng.weighted([
        ['istio', 35],
        ['linkerd', 15],
        ['none', 50],
      ] as const),
    observability:
      given.observability ??
      rng.weighted([
        ['kube-prometheus', 55],
        ['opentelemetry', 30],
        ['none', 15],
      ] as const),
    ingress:
      given.ingress ??
      rng.weighted([
        ['ingress-nginx', 55],
        ['gateway-api', 30],
        ['none', 15],
      ] as const),
    policyEngine:
      given.policyEngine ??
      rng.weighted([
        ['kyverno', 40],
        ['gatekeeper', 25],
        ['none', 35],
      ] as const),
    agentPlatform: given.agentPlatform ?? (rng.chance(0.4) ? 'kagent' : 'none'),
  };
}

const PROVIDER_VERSION: Record<
  StackChoice['provider'],
  { version: string; os: string; kernel: string }
> = {
  eks: {
    version: 'v1.31.4-eks-2d5f260',
    os: 'Amazon Linux 2023.6.20250115',
    kernel: '6.1.119-129.201.amzn2023.x86_64',
  },
  gke: {
    version: 'v1.31.5-gke.1023000',
    os: 'Container-Optimized OS from Google',
    kernel: '6.1.112+',
  },
  aks: { version: 'v1.31.3', os: 'Ubuntu 22.04.5 LTS', kernel: '5.15.0-1079-azure' },
  kind: { version: 'v1.32.2', os: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.8.0-51-generic' },
  k3s: { version: 'v1.31.4+k3s1', os: 'Ubuntu 24.04.1 LTS', kernel: '6.8.0-51-generic' },
};

export function kubernetesVersion(provider: StackChoice['provider']): string {
  return PROVIDER_VERSION[provider].version;
}

export function addNodes(b: ClusterBuilder, count: number): void {
  const { provider } = b.stack;
  const info = PROVIDER_VERSION[provider];
  const zones = ['a', 'b', 'c'];
  const pool = b.rng.hex(8);
  for (let i = 0; i < count; i++) {
    const zone = zones[i % zones.length]!;
    const ip = `10.0.${(i >> 8) & 255}.${i & 255}`;
    let name: string;
    let providerID: string;
    const labels: Record<string, string> = {
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
    };
    switch (provider) {
      case 'eks':
        name = `ip-10-0-${(i >> 8) & 255}-${i & 255}.eu-west-1.compute.internal`;
        providerID = `aws:///eu-west-1${zone}/i-0${b.rng.hex(16)}`;
        labels['eks.amazonaws.com/nodegroup'] = 'ng-default';
        labels['node.kubernetes.io/instance-type'] = 'm6i.2xlarge';
        labels['topology.kubernetes.io/region'] = 'eu-west-1';
        labels['topology.kubernetes.io/zone'] = `eu-west-1${zone}`;
        break;
      case 'gke':
        name = `gke-prod-default-pool-${pool}-${b.rng.suffix(4)}`;
        providerID = `gce://plumbline-demo/europe-west1-${zone}/${name}`;
        labels['cloud.google.com/gke-nodepool'] = 'default-pool';
        labels['node.kubernetes.io/instance-type'] = 'e2-standard-8';
        labels['topology.kubernetes.io/region'] = 'europe-west1';
        labels['topology.kubernetes.io/zone'] = `europe-west1-${zone}`;
        break;
      case 'aks':
        name = `aks-nodepool1-${pool}-vmss${i.toString(36).padStart(6, '0')}`;
        providerID = `azure:///subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/mc_prod/providers/Microsoft.Compute/virtualMachineScaleSets/aks-nodepool1-vmss/virtualMachines/${i}`;
        labels['kubernetes.azure.com/cluster'] = 'MC_prod_prod-aks_westeurope';
        labels['node.kubernetes.io/instance-type'] = 'Standard_D8s_v5';
        labels['topology.kubernetes.io/region'] = 'westeurope';
        labels['topology.kubernetes.io/zone'] = `westeurope-${(i % 3) + 1}`;
        break;
      case 'kind':
        name = i === 0 ? 'kind-control-plane' : i === 1 ? 'kind-worker' : `kind-worker${i}`;
        providerID = `kind://docker/kind/${name}`;
        if (i === 0) labels['node-role.kubernetes.io/control-plane'] = '';
        break;
      case 'k3s':
        name = `k3s-node-${i}`;
        providerID = `k3s://${name}`;
        labels['node.kubernetes.io/instance-type'] = 'k3s';
        if (i === 0) labels['node-role.kubernetes.io/control-plane'] = 'true';
        break;
    }
    labels['kubernetes.io/hostname'] = name;
    b.object(
      'v1',
      'Node',
      name,
      undefined,
      {
        spec: { providerID, podCIDR: `10.${64 + (i >> 8)}.${i & 255}.0/24` },
        status: {
          addresses: [
            { type: 'InternalIP', address: ip },
            { type: 'Hostname', address: name },
          ],
          capacity: { cpu: '8', memory: '32827092Ki', pods: '110' },
          nodeInfo: {
            architecture: 'amd64',
            operatingSystem: 'linux',
            kubeletVersion: info.version,
            kubeProxyVersion: info.version,
            kernelVersion: info.kernel,
            osImage: info.os,
            containerRuntimeVersion: 'containerd://1.7.25',
          },
        },
      },
      labels,
    );
    b.nodes.push({ name, ip });
  }
}

function systemBase(b: ClusterBuilder): void {
  for (const ns of ['default', 'kube-public', 'kube-node-lease']) b.namespace(ns);
  b.namespace('kube-system');
  b.deployment(
    'kube-system',
    'coredns',
    2,
    tpl(
      { 'k8s-app': 'kube-dns' },
      {
        serviceAccountName: 'coredns',
        priorityClassName: 'system-cluster-critical',
        containers: [
          container('coredns', 'registry.k8s.io/coredns/coredns:v1.11.3', {
            args: ['-conf', '/etc/coredns/Corefile'],
            ports: [
              { name: 'dns', containerPort: 53, protocol: 'UDP' },
              { name: 'dns-tcp', containerPort: 53 },
              { name: 'metrics', containerPort: 9153 },
            ],
            memory: '70Mi',
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
          }),
        ],
      },
    ),
    { 'k8s-app': 'kube-dns' },
  );
  b.operatorIdentity('kube-system', 'coredns', [
    {
      apiGroups: [''],
      resources: ['endpoints', 'services', 'pods', 'namespaces'],
      verbs: ['list', 'watch'],
    },
  ]);
  b.service('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }, [
    { name: 'dns', port: 53 },
    { name: 'dns-tcp', port: 53 },
  ]);
  b.pdb('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, 1);
  b.configMap('kube-system', 'coredns', {
    Corefile:
      '.:53 {\n    errors\n    health\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n    forward . /etc/resolv.conf\n    cache 30\n}\n',
  });
  if (!b.stack.kubeProxyReplacement) {
    const mode = b.rng.chance(0.3) ? 'ipvs' : 'iptables';
    b.configMap('kube-system', 'kube-proxy', {
      'config.conf': `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: "${mode}"\nclusterCIDR: 10.64.0.0/10\n`,
    });
    b.daemonSet(
      'kube-system',
      'kube-proxy',
      tpl(
        { 'k8s-app': 'kube-proxy' },
        {
          hostNetwork: true,
          serviceAccountName: 'kube-proxy',
          containers: [
            container('kube-proxy', 'registry.k8s.io/kube-proxy:v1.31.4', {
              command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf'],
              securityContext: { privileged: true },
              limits: false,
            }),
          ],
        },
      ),
    );
    b.serviceAccount('kube-system', 'kube-proxy');
  }
  b.clusterRole('cluster-admin', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]);
  b.clusterRole('view', READ_ALL, { 'kubernetes.io/bootstrapping': 'rbac-defaults' });
  b.clusterRole('edit', [{ apiGroups: ['', 'apps'], resources: ['*'], verbs: ['*'] }]);
}

function cni(b: ClusterBuilder): void {
  const { cni: kind } = b.stack;
  if (kind === 'calico') {
    b.crd('crd.projectcalico.org', 'FelixConfiguration', 'felixconfigurations', ['v1'], 'Cluster');
    b.crd('crd.projectcalico.org', 'IPPool', 'ippools', ['v1'], 'Cluster');
    b.crd('crd.projectcalico.org', 'NetworkPolicy', 'networkpolicies', ['v1']);
    b.crd(
      'crd.projectcalico.org',
      'GlobalNetworkPolicy',
      'globalnetworkpolicies',
      ['v1'],
      'Cluster',
    );
    const bpf = b.rng.chance(0.3);
    b.configMap('kube-system', 'calico-config', {
      calico_backend: 'bird',
      veth_mtu: '0',
      typha_service_name: 'none',
    });
    b.daemonSet(
      'kube-system',
      'calico-node',
      tpl(
        { 'k8s-app': 'calico-node' },
        {
          hostNetwork: true,
          serviceAccountName: 'calico-node',
          containers: [
            container('calico-node', 'quay.io/calico/node:v3.29.1', {
              env: [
                literal('DATASTORE_TYPE', 'kubernetes'),
                literal('CALICO_NETWORKING_BACKEND', 'bird'),
                literal('CALICO_IPV4POOL_IPIP', bpf ? 'Never' : 'Always'),
                literal('FELIX_BPFENABLED', String(bpf)),
                literal('CLUSTER_TYPE', 'k8s,bgp'),
              ],
              securityContext: { privileged: true },
              cpu: '250m',
            }),
          ],
        },
      ),
    );
    b.deployment(
      'kube-system',
      'calico-kube-controllers',
      1,
      tpl(
        { 'k8s-app': 'calico-kube-controllers' },
        {
          serviceAccountName: 'calico-kube-controllers',
          containers: [
            container('calico-kube-controllers', 'quay.io/calico/kube-controllers:v3.29.1'),
          ],
        },
      ),
    );
    b.operatorIdentity('kube-system', 'calico-node', READ_ALL);
    b.operatorIdentity('kube-system', 'calico-kube-controllers', READ_ALL);
    b.object('crd.projectcalico.org/v1', 'FelixConfiguration', 'default', undefined, {
      spec: { bpfEnabled: bpf, logSeverityScreen: 'Info', reportingInterval: '0s' },
    });
    b.object('crd.projectcalico.org/v1', 'IPPool', 'default-ipv4-ippool', undefined, {
      spec: { cidr: '10.64.0.0/10', ipipMode: bpf ? 'Never' : 'Always', natOutgoing: true },
    });
    b.object('crd.projectcalico.org/v1', 'GlobalNetworkPolicy', 'deny-metadata-egress', undefined, {
      spec: {
        order: 100,
        selector: 'all()',
        types: ['Egress'],
        egress: [
          { action: 'Deny', destination: { nets: ['169.254.169.254/32'] } },
          { action: 'Allow' },
        ],
      },
    });
  } else if (kind === 'cilium') {
    b.crd('cilium.io', 'CiliumNetworkPolicy', 'ciliumnetworkpolicies', ['v2']);
    b.crd(
      'cilium.io',
      'CiliumClusterwideNetworkPolicy',
      'ciliumclusterwidenetworkpolicies',
      ['v2'],
      'Cluster',
    );
    b.crd('cilium.io', 'CiliumIdentity', 'ciliumidentities', ['v2'], 'Cluster');
    const hubble = b.rng.chance(0.6);
    b.configMap('kube-system', 'cilium-config', {
      'cluster-name': 'default',
      'routing-mode': b.rng.chance(0.5) ? 'native' : 'tunnel',
      tunnel: 'vxlan',
      'kube-proxy-replacement': String(b.stack.kubeProxyReplacement),
      'enable-hubble': String(hubble),
      'enable-policy': 'default',
      ipam: 'cluster-pool',
    });
    b.daemonSet(
      'kube-system',
      'cilium',
      tpl(
        { 'k8s-app': 'cilium' },
        {
          hostNetwork: true,
          serviceAccountName: 'cilium',
          containers: [
            container('cilium-agent', 'quay.io/cilium/cilium:v1.16.5', {
              command: ['cilium-agent'],
              args: ['--config-dir=/tmp/cilium/config-map'],
              securityContext: { privileged: true },
              cpu: '200m',
              memory: '512Mi',
            }),
          ],
        },
      ),
    );
    b.deployment(
      'kube-system',
      'cilium-operator',
      2,
      tpl(
        { 'io.cilium/app': 'operator', name: 'cilium-operator' },
        {
          serviceAccountName: 'cilium-operator',
          containers: [container('cilium-operator', 'quay.io/cilium/operator-generic:v1.16.5')],
        },
      ),
    );
    if (hubble) {
      b.deployment(
        'kube-system',
        'hubble-relay',
        1,
        tpl(
          { 'k8s-app': 'hubble-relay' },
          {
            serviceAccountName: 'hubble-relay',
            containers: [container('hubble-relay', 'quay.io/cilium/hubble-relay:v1.16.5')],
          },
        ),
      );
    }
    b.operatorIdentity('kube-system', 'cilium', READ_ALL);
    b.operatorIdentity('kube-system', 'cilium-operator', READ_ALL);
    b.object('cilium.io/v2', 'CiliumClusterwideNetworkPolicy', 'allow-kube-dns', undefined, {
      spec: {
        endpointSelector: {},
        egress: [
          {
            toEndpoints: [
              {
                matchLabels: {
                  'k8s:io.kubernetes.pod.namespace': 'kube-system',
                  'k8s-app': 'kube-dns',
                },
              },
            ],
            toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }] }],
          },
        ],
      },
    });
  } else if (kind === 'flannel') {
    b.namespace('kube-flannel', { 'pod-security.kubernetes.io/enforce': 'privileged' });
    b.configMap('kube-flannel', 'kube-flannel-cfg', {
      'net-conf.json': '{\n  "Network": "10.64.0.0/10",\n  "Backend": { "Type": "vxlan" }\n}\n',
    });
    b.daemonSet(
      'kube-flannel',
      'kube-flannel-ds',
      tpl(
        { app: 'flannel', 'k8s-app': 'flannel' },
        {
          hostNetwork: true,
          serviceAccountName: 'flannel',
          containers: [
            container('kube-flannel', 'ghcr.io/flannel-io/flannel:v0.26.2', {
              command: ['/opt/bin/flanneld'],
              args: ['--ip-masq', '--kube-subnet-mgr'],
              securityContext: {
                privileged: false,
                capabilities: { add: ['NET_ADMIN', 'NET_RAW'] },
              },
            }),
          ],
        },
      ),
    );
    b.operatorIdentity('kube-flannel', 'flannel', READ_ALL);
  } else {
    b.crd('crd.k8s.amazonaws.com', 'ENIConfig', 'eniconfigs', ['v1alpha1'], 'Cluster');
    b.configMap('kube-system', 'amazon-vpc-cni', {
      'enable-network-policy-controller': String(b.rng.chance(0.5)),
      'enable-windows-ipam': 'false',
      'warm-ip-target': '5',
    });
    b.daemonSet(
      'kube-system',
      'aws-node',
      tpl(
        { 'k8s-app': 'aws-node' },
        {
          hostNetwork: true,
          serviceAccountName: 'aws-node',
          containers: [
            container(
              'aws-node',
              '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon-k8s-cni:v1.19.2',
              {
                env: [
                  literal('AWS_VPC_K8S_CNI_EXTERNALSNAT', 'false'),
                  literal('WARM_ENI_TARGET', '1'),
                  literal('NETWORK_POLICY_ENFORCING_MODE', 'standard'),
                ],
                securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } },
              },
            ),
            container(
              'aws-network-policy-agent',
              '602401143452.dkr.ecr.eu-west-1.amazonaws.com/amazon/aws-network-policy-agent:v1.1.6',
              { args: ['--enable-network-policy=false'], securityContext: { privileged: true } },
            ),
          ],
        },
      ),
    );
    b.operatorIdentity('kube-system', 'aws-node', READ_ALL);
  }
}

function mesh(b: ClusterBuilder): void {
  if (b.stack.mesh === 'istio') {
    b.namespace('istio-system');
    for (const [kind, plural] of [
      ['PeerAuthentication', 'peerauthentications'],
      ['AuthorizationPolicy', 'authorizationpolicies'],
    ] as const)
      b.crd('security.istio.io', kind, plural, ['v1', 'v1beta1']);
    for (const [kind, plural] of [
      ['VirtualService', 'virtualservices'],
      ['DestinationRule', 'destinationrules'],
      ['Gateway', 'gateways'],
    ] as const)
      b.crd('networking.istio.io', kind, plural, ['v1', 'v1beta1', 'v1alpha3']);
    b.configMap('istio-system', 'istio', {
      mesh: 'defaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\nenablePrometheusMerge: true\noutboundTrafficPolicy:\n  mode: ALLOW_ANY\n',
      meshNetworks: 'networks: {}\n',
    });
    b.deployment(
      'istio-system',
      'istiod',
      2,
      tpl(
        { app: 'istiod', istio: 'pilot' },
        {
          serviceAccountName: 'istiod',
          containers: [
            container('discovery', 'docker.io/istio/pilot:1.24.2', {
              args: ['discovery', '--monitoringAddr=:15014'],
              env: [
                literal('PILOT_ENABLE_AMBIENT', 'false'),
                literal('ISTIO_META_CLUSTER_ID', 'Kubernetes'),
              ],
              ports: [{ containerPort: 15010 }, { containerPort: 15012 }, { containerPort: 15017 }],
              cpu: '500m',
              memory: '2Gi',
              securityContext: RESTRICTED,
            }),
          ],
        },
      ),
    );
    b.service('istio-system', 'istiod', { app: 'istiod' }, [
      { name: 'grpc-xds', port: 15010 },
      { name: 'https-dns', port: 15012 },
      { name: 'https-webhook', port: 443, targetPort: 15017 },
    ]);
    b.operatorIdentity('istio-system', 'istiod', READ_ALL);
    b.object(
      'admissionregistration.k8s.io/v1',
      'MutatingWebhookConfiguration',
      'istio-sidecar-injector',
      undefined,
      {
        webhooks: [
          {
            name: 'namespace.sidecar-injector.istio.io',
            clientConfig: {
              service: { name: 'istiod', namespace: 'istio-system', path: '/inject' },
            },
            admissionReviewVersions: ['v1'],
            sideEffects: 'None',
          },
        ],
      },
    );
    b.object('security.istio.io/v1', 'PeerAuthentication', 'default', 'istio-system', {
      spec: { mtls: { mode: b.rng.chance(0.6) ? 'STRICT' : 'PERMISSIVE' } },
    });
  } else if (b.stack.mesh === 'linkerd') {
    b.namespace('linkerd', { 'linkerd.io/is-control-plane': 'true' });
    b.crd('policy.linkerd.io', 'Server', 'servers', ['v1beta3']);
    b.crd('policy.linkerd.io', 'AuthorizationPolicy', 'authorizationpolicies', ['v1alpha1']);
    b.configMap('linkerd', 'linkerd-config', {
      values:
        'controllerReplicas: 1\nproxy:\n  image:\n    version: edge-24.11.8\nidentityTrustDomain: cluster.local\n',
    });
    for (const name of ['linkerd-destination', 'linkerd-identity', 'linkerd-proxy-injector']) {
      b.deployment(
        'linkerd',
        name,
        1,
        tpl(
          { 'linkerd.io/control-plane-component': name.replace('linkerd-', '') },
          {
            serviceAccountName: name,
            containers: [
              container(name.replace('linkerd-', ''), 'cr.l5d.io/linkerd/controller:edge-24.11.8', {
                securityContext: RESTRICTED,
              }),
            ],
          },
        ),
      );
      b.operatorIdentity('linkerd', name, READ_ALL);
    }
  }
}

function observability(b: ClusterBuilder): void {
  if (b.stack.observability === 'kube-prometheus') {
    b.namespace('monitoring');
    for (const [kind, plural] of [
      ['Prometheus', 'prometheuses'],
      ['Alertmanager', 'alertmanagers'],
      ['ServiceMonitor', 'servicemonitors'],
      ['PodMonitor', 'podmonitors'],
      ['PrometheusRule', 'prometheusrules'],
    ] as const)
      b.crd('monitoring.coreos.com', kind, plural, ['v1']);
    b.deployment(
      'monitoring',
      'prometheus-operator',
      1,
      tpl(
        { 'app.kubernetes.io/name': 'prometheus-operator' },
        {
          serviceAccountName: 'prometheus-operator',
          containers: [
            container(
              'prometheus-operator',
              'quay.io/prometheus-operator/prometheus-operator:v0.79.2',
              { securityContext: RESTRICTED },
            ),
          ],
        },
      ),
    );
    b.operatorIdentity('monitoring', 'prometheus-operator', READ_ALL);
    b.statefulSet(
      'monitoring',
      'prometheus-k8s',
      2,
      tpl(
        { 'app.kubernetes.io/name': 'prometheus', prometheus: 'k8s' },
        {
          serviceAccountName: 'prometheus-k8s',
          containers: [
            container('prometheus', 'quay.io/prometheus/prometheus:v3.1.0', {
              memory: '2Gi',
              cpu: '500m',
            }),
          ],
        },
      ),
    );
    b.operatorIdentity('monitoring', 'prometheus-k8s', READ_ALL);
    b.statefulSet(
      'monitoring',
      'alertmanager-main',
      1,
      tpl(
        { 'app.kubernetes.io/name': 'alertmanager' },
        { containers: [container('alertmanager', 'quay.io/prometheus/alertmanager:v0.28.0')] },
      ),
    );
    b.daemonSet(
      'monitoring',
      'node-exporter',
      tpl(
        { 'app.kubernetes.io/name': 'node-exporter' },
        {
          hostNetwork: true,
          hostPID: true,
          containers: [
            container('node-exporter', 'quay.io/prometheus/node-exporter:v1.8.2', {
              memory: '180Mi',
            }),
          ],
        },
      ),
    );
    b.deployment(
      'monitoring',
      'grafana',
      1,
      tpl(
        { 'app.kubernetes.io/name': 'grafana' },
        {
          containers: [
            container('grafana', 'grafana/grafana:11.4.0', {
              ports: [{ name: 'http', containerPort: 3000 }],
            }),
          ],
        },
      ),
    );
    b.object('monitoring.coreos.com/v1', 'Prometheus', 'k8s', 'monitoring', {
      spec: {
        replicas: 2,
        serviceAccountName: 'prometheus-k8s',
        serviceMonitorSelector: {},
        retention: '15d',
      },
    });
    b.object('monitoring.coreos.com/v1', 'Alertmanager', 'main', 'monitoring', {
      spec: { replicas: 1 },
    });
  } else if (b.stack.observability === 'opentelemetry') {
    b.namespace('observability');
    b.crd('opentelemetry.io', 'OpenTelemetryCollector', 'opentelemetrycollectors', ['v1beta1']);
    b.crd('opentelemetry.io', 'Instrumentation', 'instrumentations', ['v1alpha1']);
    b.deployment(
      'observability',
      'otel-collector',
      2,
      tpl(
        { 'app.kubernetes.io/name': 'otel-collector' },
        {
          containers: [
            container('otelcol', 'otel/opentelemetry-collector-contrib:0.116.0', {
              ports: [
                { name: 'otlp-grpc', containerPort: 4317 },
                { name: 'otlp-http', containerPort: 4318 },
              ],
              securityContext: RESTRICTED,
            }),
          ],
        },
      ),
    );
    b.service('observability', 'otel-collector', { 'app.kubernetes.io/name': 'otel-collector' }, [
      { name: 'otlp-grpc', port: 4317 },
      { name: 'otlp-http', port: 4318 },
    ]);
    b.daemonSet(
      'observability',
      'otel-agent',
      tpl(
        { 'app.kubernetes.io/name': 'otel-agent' },
        {
          containers: [
            container('otelcol', 'otel/opentelemetry-collector-contrib:0.116.0', {
              memory: '200Mi',
            }),
          ],
        },
      ),
    );
    b.object('opentelemetry.io/v1beta1', 'OpenTelemetryCollector', 'cluster', 'observability', {
      spec: { mode: 'deployment', config: { receivers: { otlp: { protocols: { grpc: {} } } } } },
    });
  }
}

function ingress(b: ClusterBuilder): void {
  if (b.stack.ingress === 'ingress-nginx') {
    b.namespace('ingress-nginx');
    b.deployment(
      'ingress-nginx',
      'ingress-nginx-controller',
      2,
      tpl(
        { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
        {
          serviceAccountName: 'ingress-nginx',
          containers: [
            container('controller', 'registry.k8s.io/ingress-nginx/controller:v1.12.0', {
              args: ['/nginx-ingress-controller', '--ingress-class=nginx'],
              ports: [
                { name: 'http', containerPort: 80 },
                { name: 'https', containerPort: 443 },
              ],
              securityContext: {
                runAsNonRoot: true,
                runAsUser: 101,
                capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
              },
            }),
          ],
        },
      ),
    );
    b.service(
      'ingress-nginx',
      'ingress-nginx-controller',
      { 'app.kubernetes.io/name': 'ingress-nginx' },
      [
        { name: 'http', port: 80 },
        { name: 'https', port: 443 },
      ],
      'LoadBalancer',
    );
    b.operatorIdentity('ingress-nginx', 'ingress-nginx', READ_ALL);
    b.object(
      'networking.k8s.io/v1',
      'IngressClass',
      'nginx',
      undefined,
      { spec: { controller: 'k8s.io/ingress-nginx' } },
      {},
      {
        'ingressclass.kubernetes.io/is-default-class': 'true',
      },
    );
    b.object(
      'admissionregistration.k8s.io/v1',
      'ValidatingWebhookConfiguration',
      'ingress-nginx-admission',
      undefined,
      {
        webhooks: [
          {
            name: 'validate.nginx.ingress.kubernetes.io',
            clientConfig: {
              service: {
                name: 'ingress-nginx-controller-admission',
                namespace: 'ingress-nginx',
                path: '/networking/v1/ingresses',
              },
            },
            admissionReviewVersions: ['v1'],
            sideEffects: 'None',
          },
        ],
      },
    );
    b.helmRelease('ingress-nginx', 'ingress-nginx');
  } else if (b.stack.ingress === 'gateway-api') {
    for (const [kind, plural] of [
      ['GatewayClass', 'gatewayclasses'],
      ['Gateway', 'gateways'],
      ['HTTPRoute', 'httproutes'],
      ['GRPCRoute', 'grpcroutes'],
    ] as const)
      b.crd(
        'gateway.networking.k8s.io',
        kind,
        plural,
        ['v1', 'v1beta1'],
        kind === 'GatewayClass' ? 'Cluster' : 'Namespaced',
      );
    b.namespace('gateway-system');
    b.deployment(
      'gateway-system',
      'envoy-gateway',
      1,
      tpl(
        { 'app.kubernetes.io/name': 'envoy-gateway' },
        {
          serviceAccountName: 'envoy-gateway',
          containers: [
            container('envoy-gateway', 'docker.io/envoyproxy/gateway:v1.2.5', {
              securityContext: RESTRICTED,
            }),
          ],
        },
      ),
    );
    b.operatorIdentity('gateway-system', 'envoy-gateway', READ_ALL);
    b.object('gateway.networking.k8s.io/v1', 'GatewayClass', 'eg', undefined, {
      spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' },
    });
    b.object('gateway.networking.k8s.io/v1', 'Gateway', 'public', 'gateway-system', {
      spec: {
        gatewayClassName: 'eg',
        listeners: [
          {
            name: 'https',
            protocol: 'HTTPS',
            port: 443,
            allowedRoutes: { namespaces: { from: 'All' } },
          },
        ],
      },
    });
  }
}

function policyEngine(b: ClusterBuilder): void {
  if (b.stack.policyEngine === 'kyverno') {
    b.namespace('kyverno');
    b.crd('kyverno.io', 'ClusterPolicy', 'clusterpolicies', ['v1'], 'Cluster');
    b.crd('kyverno.io', 'Policy', 'policies', ['v1']);
    for (const name of ['kyverno-admission-controller', 'kyverno-background-controller']) {
      b.deployment(
        'kyverno',
        name,
        name.includes('admission') ? 3 : 1,
        tpl(
          {
            'app.kubernetes.io/component': name.replace('kyverno-', ''),
            'app.kubernetes.io/part-of': 'kyverno',
          },
          {
            serviceAccountName: name,
            containers: [
              container('kyverno', 'ghcr.io/kyverno/kyverno:v1.13.2', {
                securityContext: RESTRICTED,
              }),
            ],
          },
        ),
      );
      b.operatorIdentity('kyverno', name, READ_ALL);
    }
    b.object('kyverno.io/v1', 'ClusterPolicy', 'require-labels', undefined, {
      spec: {
        validationFailureAction: b.rng.chance(0.5) ? 'Enforce' : 'Audit',
        rules: [
          {
            name: 'check-team',
            match: { any: [{ resources: { kinds: ['Pod'] } }] },
            validate: {
              message: 'label team is required',
              pattern: { metadata: { labels: { team: '?*' } } },
            },
          },
        ],
      },
    });
    b.object(
      'admissionregistration.k8s.io/v1',
      'ValidatingWebhookConfiguration',
      'kyverno-resource-validating-webhook-cfg',
      undefined,
      {
        webhooks: [
          {
            name: 'validate.kyverno.svc-fail',
            clientConfig: {
              service: { name: 'kyverno-svc', namespace: 'kyverno', path: '/validate/fail' },
            },
            admissionReviewVersions: ['v1'],
            sideEffects: 'NoneOnDryRun',
          },
        ],
      },
    );
  } else if (b.stack.policyEngine === 'gatekeeper') {
    b.namespace('gatekeeper-system', { 'admission.gatekeeper.sh/ignore': 'no-self-managing' });
    b.crd(
      'templates.gatekeeper.sh',
      'ConstraintTemplate',
      'constrainttemplates',
      ['v1'],
      'Cluster',
    );
    b.crd(
      'constraints.gatekeeper.sh',
      'K8sRequiredLabels',
      'k8srequiredlabels',
      ['v1beta1'],
      'Cluster',
    );
    b.deployment(
      'gatekeeper-system',
      'gatekeeper-controller-manager',
      3,
      tpl(
        { 'control-plane': 'controller-manager', 'gatekeeper.sh/operation': 'webhook' },
        {
          serviceAccountName: 'gatekeeper-admin',
          containers: [
            container('manager', 'openpolicyagent/gatekeeper:v3.18.2', {
              securityContext: RESTRICTED,
            }),
          ],
        },
      ),
    );
    b.operatorIdentity('gatekeeper-system', 'gatekeeper-admin', READ_ALL);
    b.object('templates.gatekeeper.sh/v1', 'ConstraintTemplate', 'k8srequiredlabels', undefined, {
      spec: {
        crd: { spec: { names: { kind: 'K8sRequiredLabels' } } },
        targets: [
          {
            target: 'admission.k8s.gatekeeper.sh',
            rego: 'package k8srequiredlabels\nviolation[{"msg": msg}] { false }\n',
          },
        ],
      },
    });
    b.object(
      'constraints.gatekeeper.sh/v1beta1',
      'K8sRequiredLabels',
      'ns-must-have-team',
      undefined,
      {
        spec: {
          match: { kinds: [{ apiGroups: [''], kinds: ['Namespace'] }] },
          parameters: { labels: ['team'] },
        },
      },
    );
  }
}

/** Platform products in the order a cluster gets them. */
export function addStack(b: ClusterBuilder): void {
  systemBase(b);
  cni(b);
  mesh(b);
  observability(b);
  ingress(b);
  policyEngine(b);
}
