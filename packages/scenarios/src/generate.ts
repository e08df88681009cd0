import {
  ClusterBuilder,
  container,
  fromSecret,
  literal,
  RESTRICTED,
  type Json,
  type Labels,
  type PodTemplate,
} from './builder.js';
import { createRng, type Rng } from './prng.js';
import { addNodes, addStack, chooseStack, kubernetesVersion } from './stack.js';
import type { GeneratedCluster, KubeObject, ScenarioOptions } from './types.js';

/**
 * A seeded generator of realistic clusters as raw Kubernetes objects: the platform stack drawn
 * from the seed, application namespaces with Deployments/StatefulSets/CronJobs and their pods,
 * Services, Ingresses or routes, NetworkPolicies (default-deny in some namespaces), AI agents
 * (API keys from Secrets or pasted as literals), an MCP server and optionally KubeVirt VMs.
 * Same options, same objects: no Math.random, no clock.
 */

const AREAS = [
  'checkout',
  'payments',
  'catalog',
  'search',
  'orders',
  'shipping',
  'inventory',
  'accounts',
  'billing',
  'identity',
  'notifications',
  'recommendations',
  'reviews',
  'pricing',
  'ledger',
  'reporting',
  'media',
  'profiles',
  'fulfilment',
  'analytics',
];
const PARTS = [
  'api',
  'web',
  'worker',
  'frontend',
  'backend',
  'consumer',
  'scheduler',
  'cache',
  'indexer',
  'sync',
  'gateway',
  'exporter',
];
const TEAMS = ['team-commerce', 'team-platform', 'team-data', 'team-growth', 'team-identity'];
const AGENT_NAMES = [
  'support-agent',
  'triage-agent',
  'sre-copilot',
  'billing-assistant',
  'code-review-agent',
  'sales-agent',
  'docs-agent',
  'incident-agent',
];

type AppKind = 'Deployment' | 'StatefulSet' | 'CronJob';

interface App {
  namespace: string;
  name: string;
  kind: AppKind;
  labels: Labels;
  port: number;
  replicas: number;
}

/** Split `total` into integer shares proportional to `weights` (largest remainder, stable). */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (total <= 0 || sum <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((s, n) => s + n, 0);
  const order = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i]!++;
    left--;
  }
  return out;
}

function fakeKey(rng: Rng, prefix: string): string {
  return `${prefix}FAKE${rng.hex(24)}`;
}

function addApps(b: ClusterBuilder, rng: Rng, count: number, podBudget: number): App[] {
  const nsCount = Math.max(1, Math.round(count / 12));
  const namespaces: { name: string; team: string }[] = [];
  for (let i = 0; i < nsCount; i++) {
    const area = AREAS[i % AREAS.length]!;
    const name = i < AREAS.length ? area : `${area}-${Math.floor(i / AREAS.length) + 1}`;
    const team = rng.pick(TEAMS);
    const labels: Labels = { team };
    const annotations: Labels = { owner: team };
    if (b.stack.mesh === 'istio' && rng.chance(0.7)) labels['istio-injection'] = 'enabled';
    if (b.stack.mesh === 'linkerd' && rng.chance(0.7)) annotations['linkerd.io/inject'] = 'enabled';
    if (rng.chance(0.5))
      labels['pod-security.kubernetes.io/enforce'] = rng.pick(['baseline', 'restricted']);
    b.namespace(name, labels, annotations);
    b.role(name, 'developer', [
      {
        apiGroups: ['', 'apps'],
        resources: ['pods', 'deployments', 'services'],
        verbs: ['get', 'list', 'watch', 'update'],
      },
    ]);
    b.roleBinding(name, 'developers', 'Role', 'developer', [
      { kind: 'Group', name: team, apiGroup: 'rbac.authorization.k8s.io' },
    ]);
    namespaces.push({ name, team });
  }

  const kinds: AppKind[] = Array.from({ length: count }, () =>
    rng.weighted([
      ['Deployment', 82],
      ['StatefulSet', 12],
      ['CronJob', 6],
    ] as const),
  );
  const weights = kinds.map((k) =>
    k === 'CronJob'
      ? 0
      : rng.weighted([
          [1, 25],
          [2, 30],
          [3, 20],
          [5, 12],
          [10, 9],
          [25, 4],
        ] as const),
  );
  const replicas = apportion(podBudget, weights);
  const used = new Set<string>();
  const apps: App[] = [];
  kinds.forEach((kind, i) => {
    const ns = namespaces[i % namespaces.length]!;
    let name = `${AREAS[i % AREAS.length]}-${rng.pick(PARTS)}`;
    while (used.has(`${ns.name}/${name}`)) name = `${name}-${rng.suffix(3)}`;
    used.add(`${ns.name}/${name}`);
    const labels: Labels = { app: name, 'app.kubernetes.io/name': name, team: ns.team };
    const port = rng.pick([8080, 8080, 3000, 5000, 9090]);
    const env: Json[] = [literal('LOG_LEVEL', rng.pick(['info', 'debug', 'warn']))];
    if (b.stack.observability === 'opentelemetry') {
      env.push(literal('OTEL_EXPORTER_OTLP_ENDPOINT', 'http://otel-collector.observability:4317'));
      env.push(literal('OTEL_SERVICE_NAME', name));
    }
    const secretVolumes: Json[] = [];
    if (rng.chance(0.3)) {
      const secret = `${name}-db`;
      b.secret(ns.name, secret, {
        username: name.replace(/-/g, '_'),
        password: `fake-password-${rng.hex(12)}`,
      });
      env.push(fromSecret('DB_PASSWORD', secret, 'password'));
    }
    if (rng.chance(0.3)) {
      b.configMap(ns.name, `${name}-config`, {
        FEATURE_FLAGS: 'new-checkout=false',
        CACHE_TTL: '300',
      });
      secretVolumes.push({ name: 'config', configMap: { name: `${name}-config` } });
    }
    let serviceAccountName = 'default';
    if (rng.chance(0.6)) {
      serviceAccountName = name;
      b.serviceAccount(ns.name, name, {}, rng.chance(0.5) ? false : undefined);
    }
    const hardened = rng.chance(0.55);
    const spec: Json = {
      serviceAccountName,
      containers: [
        container(
          name.split('-').pop()!,
          `registry.example.com/${ns.name}/${name}:${rng.int(1, 9)}.${rng.int(0, 30)}.${rng.int(0, 9)}`,
          {
            ports: kind === 'CronJob' ? undefined : [{ name: 'http', containerPort: port }],
            env,
            cpu: rng.pick(['50m', '100m', '250m', '500m']),
            memory: rng.pick(['64Mi', '128Mi', '256Mi', '512Mi', '1Gi']),
            limits: rng.chance(0.7),
            securityContext: hardened ? RESTRICTED : undefined,
          },
        ),
      ],
    };
    if (secretVolumes.length) spec.volumes = secretVolumes;
    const template: PodTemplate = { labels, spec };
    if (b.stack.observability === 'kube-prometheus' && rng.chance(0.5)) {
      template.annotations = { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port) };
    }
    const r = replicas[i] ?? 0;
    if (kind === 'Deployment')
      b.deployment(ns.name, name, r, template, { app: name, team: ns.team });
    else if (kind === 'StatefulSet')
      b.statefulSet(ns.name, name, r, template, { app: name, team: ns.team });
    else
      b.cronJob(ns.name, name, `${rng.int(0, 59)} ${rng.int(0, 23)} * * *`, {
        ...template,
        spec: { ...spec, restartPolicy: 'OnFailure' },
      });
    if (kind !== 'CronJob' && rng.chance(0.9)) {
      b.service(
        ns.name,
        name,
        { app: name },
        [{ name: 'http', port: 80, targetPort: port }],
        kind === 'StatefulSet' ? 'Headless' : rng.chance(0.05) ? 'LoadBalancer' : 'ClusterIP',
      );
      const exposed = /-(web|frontend|api|gateway)$/.test(name) && rng.chance(0.6);
      if (exposed && b.stack.ingress === 'ingress-nginx') {
        const host = `${name}.${ns.name}.example.com`;
        const tls = rng.chance(0.7);
        if (tls)
          b.secret(
            ns.name,
            `${name}-tls`,
            {
              'tls.crt': '-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n',
              'tls.key': 'fake-tls-key-material',
            },
            'kubernetes.io/tls',
          );
        b.object(
          'networking.k8s.io/v1',
          'Ingress',
          name,
          ns.name,
          {
            spec: {
              ingressClassName: 'nginx',
              rules: [
                {
                  host,
                  http: {
                    paths: [
                      {
                        path: '/',
                        pathType: 'Prefix',
                        backend: { service: { name, port: { number: 80 } } },
                      },
                    ],
                  },
                },
              ],
              ...(tls ? { tls: [{ hosts: [host], secretName: `${name}-tls` }] } : {}),
            },
          },
          {},
          { 'nginx.ingress.kubernetes.io/force-ssl-redirect': String(tls) },
        );
      } else if (exposed && b.stack.ingress === 'gateway-api') {
        b.object('gateway.networking.k8s.io/v1', 'HTTPRoute', name, ns.name, {
          spec: {
            parentRefs: [{ name: 'public', namespace: 'gateway-system' }],
            hostnames: [`${name}.example.com`],
            rules: [{ backendRefs: [{ name, port: 80 }] }],
          },
        });
      }
    }
    if (kind === 'Deployment' && r >= 2 && rng.chance(0.35))
      b.pdb(ns.name, name, { app: name }, Math.max(1, r - 1));
    apps.push({ namespace: ns.name, name, kind, labels, port, replicas: r });
  });
  return apps;
}

function addAgents(
  b: ClusterBuilder,
  rng: Rng,
  count: number,
  landmarks: GeneratedCluster['landmarks'],
): void {
  const ns = 'ai-agents';
  b.namespace(ns, { team: 'team-ml' }, { owner: 'team-ml' });
  // The MCP server the agents call, with a service account that can read the cluster.
  const mcp = 'mcp-server';
  b.serviceAccount(ns, mcp);
  b.clusterRole('mcp-server-reader', [
    {
      apiGroups: ['', 'apps'],
      resources: ['pods', 'pods/log', 'deployments', 'events'],
      verbs: ['get', 'list', 'watch'],
    },
  ]);
  b.clusterRoleBinding('mcp-server-reader', 'mcp-server-reader', [
    { kind: 'ServiceAccount', name: mcp, namespace: ns },
  ]);
  b.deployment(
    ns,
    mcp,
    1,
    {
      labels: { app: mcp, 'app.kubernetes.io/component': 'mcp-server' },
      spec: {
        serviceAccountName: mcp,
        containers: [
          container('mcp', 'ghcr.io/example/mcp-server-kubernetes:0.9.1', {
            args: ['--transport=streamable-http', '--port=8080'],
            ports: [{ name: 'http', containerPort: 8080 }],
            securityContext: RESTRICTED,
          }),
        ],
      },
    },
    { app: mcp },
  );
  b.service(ns, mcp, { app: mcp }, [{ name: 'http', port: 8080 }]);
  landmarks.mcpServer = { namespace: ns, name: mcp };

  const providerSecret = 'llm-provider-keys';
  const secretKey = fakeKey(rng, 'sk-proj-');
  b.secret(ns, providerSecret, { OPENAI_API_KEY: secretKey });
  landmarks.fakeKeys.push(secretKey);
  for (let i = 0; i < count; i++) {
    const base = AGENT_NAMES[i % AGENT_NAMES.length]!;
    const name =
      i < AGENT_NAMES.length ? base : `${base}-${Math.floor(i / AGENT_NAMES.length) + 1}`;
    // Every third agent has its key pasted into the manifest: the finding the scan must surface.
    const literalKey = i % 3 === 1;
    const env: Json[] = [];
    if (literalKey) {
      const key = fakeKey(rng, 'sk-proj-');
      landmarks.fakeKeys.push(key);
      env.push(literal('OPENAI_API_KEY', key));
    } else env.push(fromSecret('OPENAI_API_KEY', providerSecret, 'OPENAI_API_KEY'));
    env.push(
      literal('OPENAI_BASE_URL', 'https://api.openai.com/v1'),
      literal('MODEL', rng.pick(['gpt-4.1', 'gpt-4o-mini', 'o4-mini'])),
      literal('MCP_SERVER_URL', `http://${mcp}.${ns}:8080/mcp`),
    );
    if (b.stack.observability === 'opentelemetry')
      env.push(literal('OTEL_EXPORTER_OTLP_ENDPOINT', 'http://otel-collector.observability:4317'));
    const sa = rng.chance(0.5) ? name : 'default';
    if (sa !== 'default') b.serviceAccount(ns, sa);
    if (i === 0 && rng.chance(0.5)) {
      // An agent bound to cluster-admin: broad authority a reviewer should see.
      b.clusterRoleBinding(`${name}-admin`, 'cluster-admin', [
        { kind: 'ServiceAccount', name: sa, namespace: ns },
      ]);
    }
    b.deployment(
      ns,
      name,
      1,
      {
        labels: { app: name, 'app.kubernetes.io/component': 'agent' },
        annotations: { owner: 'team-ml' },
        spec: {
          serviceAccountName: sa,
          containers: [
            container('agent', `ghcr.io/example/${base}:${rng.int(0, 3)}.${rng.int(0, 20)}.0`, {
              command: [
                'python',
                '-m',
                rng.pick(['langgraph_app', 'crewai_app', 'agents_sdk_app']),
              ],
              env,
              memory: '512Mi',
            }),
          ],
        },
      },
      { app: name },
    );
    landmarks.agents.push({
      namespace: ns,
      name,
      keySource: literalKey ? 'literal' : 'secretKeyRef',
    });
  }
  if (b.stack.agentPlatform === 'kagent') {
    b.namespace('kagent');
    b.crd('kagent.dev', 'Agent', 'agents', ['v1alpha2']);
    b.crd('kagent.dev', 'ModelConfig', 'modelconfigs', ['v1alpha2']);
    b.crd('kagent.dev', 'RemoteMCPServer', 'remotemcpservers', ['v1alpha2']);
    b.operatorIdentity('kagent', 'kagent-controller', [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    ]);
    b.deployment('kagent', 'kagent-controller', 1, {
      labels: { app: 'kagent', 'app.kubernetes.io/component': 'controller' },
      spec: {
        serviceAccountName: 'kagent-controller',
        containers: [container('controller', 'cr.kagent.dev/kagent-dev/kagent/controller:0.5.5')],
      },
    });
    const kagentKey = fakeKey(rng, 'sk-proj-');
    landmarks.fakeKeys.push(kagentKey);
    b.secret('kagent', 'kagent-openai', { OPENAI_API_KEY: kagentKey });
    b.object('kagent.dev/v1alpha2', 'ModelConfig', 'default-model-config', 'kagent', {
      spec: {
        provider: 'OpenAI',
        model: 'gpt-4.1-mini',
        apiKeySecret: 'kagent-openai',
        apiKeySecretKey: 'OPENAI_API_KEY',
      },
    });
    b.object('kagent.dev/v1alpha2', 'RemoteMCPServer', 'cluster-tools', 'kagent', {
      spec: { url: `http://${mcp}.${ns}:8080/mcp`, protocol: 'STREAMABLE_HTTP' },
    });
    b.object('kagent.dev/v1alpha2', 'Agent', 'k8s-agent', 'kagent', {
      spec: {
        type: 'Declarative',
        declarative: {
          modelConfig: 'default-model-config',
          systemMessage: 'You are a Kubernetes troubleshooting agent.',
          tools: [
            { type: 'McpServer', mcpServer: { name: 'cluster-tools', kind: 'RemoteMCPServer' } },
          ],
        },
      },
    });
  }
}

function addVirtualMachines(b: ClusterBuilder, rng: Rng, count: number): void {
  b.namespace('kubevirt');
  b.crd('kubevirt.io', 'VirtualMachine', 'virtualmachines', ['v1'], 'Namespaced');
  b.crd('kubevirt.io', 'VirtualMachineInstance', 'virtualmachineinstances', ['v1'], 'Namespaced');
  b.crd('kubevirt.io', 'KubeVirt', 'kubevirts', ['v1'], 'Namespaced');
  b.operatorIdentity('kubevirt', 'kubevirt-operator', [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
  ]);
  b.deployment('kubevirt', 'virt-operator', 2, {
    labels: { 'kubevirt.io': 'virt-operator' },
    spec: {
      serviceAccountName: 'kubevirt-operator',
      containers: [container('virt-operator', 'quay.io/kubevirt/virt-operator:v1.4.0')],
    },
  });
  b.object('kubevirt.io/v1', 'KubeVirt', 'kubevirt', 'kubevirt', {
    spec: { configuration: { developerConfiguration: { featureGates: [] } } },
  });
  const vmNamespaces = ['vms-legacy', 'vms-windows'];
  for (const ns of vmNamespaces) b.namespace(ns, { team: 'team-platform' });
  for (let i = 0; i < count; i++) {
    const ns = vmNamespaces[i % vmNamespaces.length]!;
    const name = `${ns === 'vms-windows' ? 'win' : 'rhel'}-${String(i).padStart(3, '0')}`;
    const multus = rng.chance(0.3);
    const interfaces: Json[] = [{ name: 'default', masquerade: {} }];
    const networks: Json[] = [{ name: 'default', pod: {} }];
    if (multus) {
      interfaces.push({ name: 'storage', bridge: {} });
      networks.push({ name: 'storage', multus: { networkName: `${ns}/storage-net` } });
    }
    const running = rng.chance(0.8);
    const domain = {
      cpu: { cores: rng.pick([2, 4, 8]) },
      memory: { guest: rng.pick(['4Gi', '8Gi', '16Gi']) },
      devices: { interfaces, disks: [{ name: 'root', disk: { bus: 'virtio' } }] },
    };
    b.object('kubevirt.io/v1', 'VirtualMachine', name, ns, {
      spec: {
        runStrategy: running ? 'Always' : 'Halted',
        template: { metadata: { labels: { 'kubevirt.io/vm': name } }, spec: { domain, networks } },
      },
    });
    if (running)
      b.object('kubevirt.io/v1', 'VirtualMachineInstance', name, ns, {
        spec: { domain, networks },
      });
  }
}

function addNetworkPolicies(
  b: ClusterBuilder,
  rng: Rng,
  target: number,
  apps: App[],
  landmarks: GeneratedCluster['landmarks'],
): void {
  const namespaces = [...new Set(apps.map((a) => a.namespace))];
  // Some namespaces are locked down with a default-deny (ingress, sometimes egress too).
  const locked = namespaces.filter(() => rng.chance(0.45));
  if (locked.length === 0 && namespaces.length > 0) locked.push(namespaces[0]!);
  for (const ns of locked) {
    if (b.networkPolicies >= target) return;
    const egress = rng.chance(0.4);
    b.networkPolicy(ns, 'default-deny', {
      podSelector: {},
      policyTypes: egress ? ['Ingress', 'Egress'] : ['Ingress'],
    });
    landmarks.defaultDenyNamespaces.push(ns);
    if (egress && b.networkPolicies < target) {
      b.networkPolicy(ns, 'allow-dns', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: {
                  matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
                },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      });
    }
  }
  const served = apps.filter((a) => a.kind !== 'CronJob');
  const pool = served.length ? served : apps;
  const ingressNs = b.stack.ingress === 'ingress-nginx' ? 'ingress-nginx' : 'gateway-system';
  for (let round = 0; b.networkPolicies < target; round++) {
    for (const app of pool) {
      if (b.networkPolicies >= target) return;
      const variant = round % 4;
      const name =
        round < 4
          ? `${app.name}-${['allow-same-ns', 'allow-ingress', 'allow-monitoring', 'allow-egress'][variant]}`
          : `${app.name}-allow-${round}`;
      const podSelector = { matchLabels: { app: app.name } };
      let spec: Json;
      if (variant === 0)
        spec = {
          podSelector,
          policyTypes: ['Ingress'],
          ingress: [{ from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: app.port }] }],
        };
      else if (variant === 1)
        spec = {
          podSelector,
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ingressNs } },
                },
              ],
              ports: [{ protocol: 'TCP', port: app.port }],
            },
          ],
        };
      else if (variant === 2)
        spec = {
          podSelector,
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: {
                    matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' },
                  },
                },
              ],
              ports: [{ protocol: 'TCP', port: 9090 }],
            },
          ],
        };
      else
        spec = {
          podSelector,
          policyTypes: ['Egress'],
          egress: [
            {
              to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.0.0.0/24'] } }],
              ports: [{ protocol: 'TCP', port: rng.pick([5432, 6379, 443]) }],
            },
          ],
        };
      b.networkPolicy(app.namespace, name, spec);
    }
    if (pool.length === 0) {
      b.networkPolicy('default', `policy-${b.networkPolicies}`, {
        podSelector: {},
        policyTypes: ['Ingress'],
      });
    }
  }
}

export function generateCluster(options: ScenarioOptions): GeneratedCluster {
  const seed = String(options.seed);
  const rng = createRng(seed);
  const stack = chooseStack(rng.fork('stack'), options.stack);
  const pods = Math.max(0, Math.floor(options.pods ?? 200));
  const workloads = Math.max(1, Math.floor(options.workloads ?? Math.round(pods * 0.2)));
  const policies = Math.max(0, Math.floor(options.policies ?? Math.round(workloads / 4)));
  const vms = Math.max(0, Math.floor(options.vms ?? 0));
  const agents = Math.max(
    1,
    Math.floor(options.agents ?? Math.min(25, 2 + Math.floor(workloads / 500))),
  );

  const b = new ClusterBuilder(rng.fork('objects'), stack);
  addNodes(b, Math.max(1, Math.min(5000, Math.ceil(pods / 30))));
  addStack(b);
  const landmarks: GeneratedCluster['landmarks'] = {
    agents: [],
    mcpServer: { namespace: '', name: '' },
    defaultDenyNamespaces: [],
    fakeKeys: [],
  };
  addAgents(b, rng.fork('agents'), agents, landmarks);
  if (vms > 0) addVirtualMachines(b, rng.fork('vms'), vms);
  const appCount = Math.max(0, workloads - b.workloads);
  const apps = addApps(b, rng.fork('apps'), appCount, Math.max(0, pods - b.pods));
  addNetworkPolicies(b, rng.fork('policies'), policies, apps, landmarks);

  const byKind: Record<string, number> = {};
  for (const o of b.objects) {
    const k = `${o.apiVersion}/${o.kind}`;
    byKind[k] = (byKind[k] ?? 0) + 1;
  }
  const objects: KubeObject[] = b.objects;
  return {
    seed,
    stack,
    kubernetesVersion: kubernetesVersion(stack.provider),
    objects,
    counts: {
      pods: b.pods,
      workloads: b.workloads,
      networkPolicies: b.networkPolicies,
      namespaces: byKind['v1/Namespace'] ?? 0,
      nodes: b.nodes.length,
      virtualMachines: byKind['kubevirt.io/v1/VirtualMachine'] ?? 0,
      agents: landmarks.agents.length,
      byKind,
    },
    landmarks,
  };
}
