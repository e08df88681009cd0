#!/usr/bin/env node
// Demo data for `npm run demo` (legacy-dev's second agent holds a literal, fake API key: the
// shadow-agent case): clusters made by the shared scenario generator, scanned through
// the real scanner offline path and uploaded to the running API, a few scans of history each, so
// the real pipeline analyses them. shop-prod-eu shows the path off level 1: after its first scan
// the seed asks the scanner for the plan to level 2 (`plumbline-scanner plan`), and its later
// scans include the generated bundle plus the plan's manual steps done by hand (TLS on every
// Ingress, kube-state-metrics, no cluster-admin for a workload), so its history goes 1 -> 2.
// Never reads ../shared. Usage:
//   node infra/local/seed-demo-data.mjs --url http://127.0.0.1:3000 --token-file FILE --password PW
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(root, 'package.json'));
const { generateCluster } = require(join(root, 'packages/scenarios/dist/index.js'));
const YAML = require('yaml');

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    'token-file': { type: 'string' },
    email: { type: 'string', default: 'demo@plumbline.local' },
    password: { type: 'string', default: 'plumbline-demo' },
  },
});

const CLUSTERS = [
  {
    name: 'shop-prod-eu',
    seed: 'shop',
    pods: 400,
    // The same workloads in every scan: the bundle made from the first scan fits the later ones.
    growth: 0,
    policies: [10, 10, 10],
    // After scan 0: the plan to level 2 is applied (its bundle and its manual steps).
    remediate: { afterScan: 0, targetLevel: 2 },
    nodes: 6,
    stack: {
      cni: 'calico',
      mesh: 'none',
      observability: 'kube-prometheus',
      ingress: 'ingress-nginx',
      policyEngine: 'kyverno',
      agentPlatform: 'none',
    },
    agents: 0,
    vms: 0,
  },
  {
    name: 'ai-platform',
    seed: 'ai',
    pods: 300,
    policies: [5, 10, 20],
    nodes: 5,
    stack: {
      cni: 'cilium',
      mesh: 'istio',
      observability: 'opentelemetry',
      ingress: 'gateway-api',
      policyEngine: 'none',
      agentPlatform: 'kagent',
    },
    agents: 4,
    vms: 0,
  },
  {
    name: 'legacy-dev',
    seed: 'legacy',
    pods: 120,
    policies: [0, 0, 0],
    nodes: 3,
    stack: {
      cni: 'flannel',
      mesh: 'none',
      observability: 'none',
      ingress: 'none',
      policyEngine: 'none',
      agentPlatform: 'none',
    },
    agents: 2,
    vms: 0,
  },
  {
    name: 'vm-migration',
    seed: 'vms',
    pods: 150,
    policies: [5, 5, 8],
    nodes: 4,
    stack: {
      cni: 'calico',
      mesh: 'none',
      observability: 'kube-prometheus',
      ingress: 'none',
      policyEngine: 'none',
      agentPlatform: 'none',
    },
    agents: 0,
    vms: 12,
  },
];

const VM_INVENTORY = `vm,ip,vlan,firewall_rules,dns_records,dhcp_reservation,lb_backends,hardcoded_config_refs,compliance_docs,owning_teams
billing-db-01,10.40.1.15,140,FW-201;FW-202,billing-db.corp,yes,,billing.yaml:db_host,PCI-DSS-3.4,payments
crm-app-01,10.40.2.21,141,FW-310,crm.corp,no,lb-crm,,,sales-apps
ldap-01,10.40.0.5,100,FW-001;FW-002;FW-003,ldap.corp,yes,,,SOX-IT-12,identity
reporting-01,10.40.3.8,142,,reports.corp,no,,etl.conf:source_ip,,data
`;

const weeksAgo = (w) => new Date(Date.now() - w * 7 * 86_400_000).toISOString();

const bundles = new Map();
const scannerCli = (args) =>
  spawnSync(process.execPath, [join(root, 'apps/scanner/dist/main.js'), ...args], {
    encoding: 'utf8',
  });

/**
 * The plan's manual steps for shop-prod-eu's stack, as its team would do them by hand: TLS on
 * every Ingress, kube-state-metrics deployed, cluster-admin bindings of workloads replaced.
 */
function manualSteps(objects) {
  const out = [];
  for (const o of objects) {
    if (
      o.kind === 'ClusterRoleBinding' &&
      o.roleRef?.name === 'cluster-admin' &&
      (o.subjects ?? []).some((s) => !String(s.name).startsWith('system:'))
    )
      continue;
    if (o.kind === 'Ingress' && !o.spec?.tls?.length) {
      const hosts = (o.spec?.rules ?? []).map((r) => r.host).filter(Boolean);
      out.push({
        ...o,
        spec: { ...o.spec, tls: [{ hosts, secretName: `${o.metadata.name}-tls` }] },
      });
      continue;
    }
    out.push(o);
  }
  const labels = { 'app.kubernetes.io/name': 'kube-state-metrics' };
  out.push({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'kube-state-metrics', namespace: 'monitoring', labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'kube-state-metrics',
              image: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.13.0',
            },
          ],
        },
      },
    },
  });
  return out;
}

function scan(cluster, i) {
  const generated = generateCluster({
    seed: cluster.seed,
    pods: cluster.pods + i * (cluster.growth ?? 20),
    policies: cluster.policies[i],
    agents: cluster.agents,
    vms: cluster.vms,
    stack: cluster.stack,
  });
  const dir = mkdtempSync(join(tmpdir(), `plumbline-demo-${cluster.name}-`));
  const fix = cluster.remediate;
  const remediated = fix && i > fix.afterScan;
  try {
    writeFileSync(
      join(dir, 'cluster.yaml'),
      (remediated ? manualSteps(generated.objects) : generated.objects)
        .map((o) => YAML.stringify(o))
        .join('---\n'),
    );
    if (fix && i === fix.afterScan) {
      // The plan from this scan to the target level: a verified, kustomize-ready bundle.
      const out = join(mkdtempSync(join(tmpdir(), `plumbline-demo-plan-`)), 'bundle');
      const p = scannerCli([
        'plan',
        '--from-dir',
        dir,
        '--cluster-id',
        `demo-${cluster.name}`,
        '--target-level',
        String(fix.targetLevel),
        '--out',
        out,
      ]);
      if (p.status !== 0)
        throw new Error(`plan of ${cluster.name} failed: ${p.stderr.slice(-500)}`);
      bundles.set(cluster.name, out);
    }
    const extra = remediated ? ['--from-dir', bundles.get(cluster.name)] : [];
    const r = scannerCli([
      'scan',
      '--from-dir',
      dir,
      ...extra,
      '--cluster-name',
      cluster.name,
      '--cluster-id',
      `demo-${cluster.name}`,
      '--node-count',
      String(cluster.nodes),
      '--collected-at',
      weeksAgo(2 - i),
      '--upload',
      values.url,
      '--token-file',
      values['token-file'],
    ]);
    if (r.status !== 0) throw new Error(`scan of ${cluster.name} failed: ${r.stderr.slice(-500)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function uploadVmInventory() {
  const login = await fetch(`${values.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: values.email, password: values.password }),
  });
  if (!login.ok) throw new Error(`demo login failed: ${login.status}`);
  const { csrfToken, organizationId } = await login.json();
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const res = await fetch(`${values.url}/v1/orgs/${organizationId}/evidence`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({
      filename: 'vm-inventory.csv',
      kind: 'vm-inventory',
      content: VM_INVENTORY,
    }),
  });
  if (!res.ok) throw new Error(`VM inventory upload failed: ${res.status} ${await res.text()}`);
}

// Round by round, so each trend point (dated by collection time) covers the whole fleet.
for (let i = 0; i < 3; i++) for (const cluster of CLUSTERS) scan(cluster, i);
await uploadVmInventory();
for (const dir of bundles.values()) rmSync(dirname(dir), { recursive: true, force: true });
console.log(`[demo] seeded ${CLUSTERS.length} clusters x 3 scans and a VM inventory`);
