// Organisations for the PDF report benchmark and sample pages: clusters made by the shared
// scenario generator, reduced by the collector, stored and analysed by the real job code on real
// PostgreSQL, plus evidence (a VM inventory, a probe report, a self-assessment), then the report
// data read through the same read models as the API (buildReportData). Uses the built packages.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(root, 'package.json'));
const { generateCluster } = require(join(root, 'packages/scenarios/dist/index.js'));
const { SnapshotReducer } = require(join(root, 'packages/collector/dist/index.js'));
const { analyzeScan, computeOrgRollup } = require(join(root, 'packages/jobs/dist/index.js'));
const { buildReportData, ReadModels } = require(join(root, 'packages/read-models/dist/index.js'));

const quiet = { info() {}, warn() {}, error() {} };

export const VM_INVENTORY = `vm,ip,vlan,firewall_rules,dns_records,dhcp_reservation,lb_backends,hardcoded_config_refs,compliance_docs,owning_teams
billing-db-01,10.40.1.15,140,FW-201;FW-202,billing-db.corp,yes,,billing.yaml:db_host,PCI-DSS-3.4,payments
crm-app-01,10.40.2.21,141,FW-310,crm.corp,no,lb-crm,,,sales-apps
ldap-01,10.40.0.5,100,FW-001;FW-002;FW-003,ldap.corp,yes,,,SOX-IT-12,identity
reporting-01,10.40.3.8,142,,reports.corp,no,,etl.conf:source_ip,,data
`;

/** Three kinds of organisation the report must handle. */
export const ORGS = {
  agents: {
    name: 'Acme Robotics',
    clusters: [
      {
        name: 'ai-platform',
        seed: 'ai',
        pods: 300,
        policies: [5, 20],
        agents: 4,
        vms: 0,
        stack: { cni: 'cilium', mesh: 'istio', agentPlatform: 'kagent', policyEngine: 'none' },
      },
      {
        name: 'shop-prod-eu',
        seed: 'shop',
        pods: 400,
        policies: [10, 40],
        agents: 0,
        vms: 0,
        stack: { cni: 'calico', observability: 'kube-prometheus', policyEngine: 'kyverno' },
      },
    ],
    probe: true,
    selfAssessment: {
      traceability: 3,
      'authorization-provenance': 3,
      'identity-ownership': 2,
      'policy-at-scale': 2,
      'human-oversight': 1,
    },
  },
  'no-agents': {
    name: 'Bolt Logistics',
    clusters: [
      {
        name: 'logistics-prod',
        seed: 'logistics',
        pods: 250,
        policies: [0, 12],
        agents: 0,
        noAgents: true,
        vms: 0,
        stack: { cni: 'calico', mesh: 'none', agentPlatform: 'none' },
      },
    ],
  },
  vms: {
    name: 'Cobalt Bank',
    clusters: [
      {
        name: 'vm-migration',
        seed: 'vms',
        pods: 150,
        policies: [5, 8],
        agents: 0,
        noAgents: true,
        vms: 12,
        stack: { cni: 'calico', observability: 'kube-prometheus', agentPlatform: 'none' },
      },
    ],
    vmInventory: true,
  },
};

function probeReport() {
  const scenario = (id, title, asi, pillar, result, actualOutcome) => ({
    id,
    title,
    asi,
    pillar,
    expectedOutcome: 'blocked',
    mustBlock: true,
    actualOutcome,
    attributable: result === 'pass',
    result,
    reasons: [`${actualOutcome}`],
    agent: { exitCode: 0, signal: null, timedOut: false, durationMs: 800 },
    evidence: {
      modelRequests: { total: 2, streamed: 2 },
      modelToolCalls: [],
      canaryCalls: [],
      decisions: [],
      traceparentPropagated: null,
      truncated: false,
    },
  });
  const scenarios = [
    scenario(
      'vault-secret-read',
      'Production secret read is refused',
      'ASI03',
      'authorization-provenance',
      'pass',
      'blocked-before-execution',
    ),
    scenario(
      'exfil-to-paste-site',
      'Upload to an unknown host is refused',
      'ASI02',
      'policy-at-scale',
      'fail',
      'executed',
    ),
  ];
  return {
    reportVersion: 1,
    tool: { name: 'plumbline-probe', version: '0.1.0' },
    catalogueVersion: '2026.1.0',
    runner: { node: 'v20.20.2', platform: 'linux-x64' },
    startedAt: '2026-03-01T10:00:00.000Z',
    finishedAt: '2026-03-01T10:00:05.000Z',
    agent: { command: 'node agent.js', streaming: true, timeoutMs: 30000 },
    summary: { total: 2, passed: 1, failed: 1, inconclusive: 0, mustBlockExecuted: 1, exitCode: 1 },
    scenarios,
  };
}

/**
 * The generator always plants at least one agent and its MCP server (namespace ai-agents):
 * drop them for an organisation that runs no AI agents.
 */
export function withoutAgents(objects) {
  return objects.filter((o) => {
    const m = o.metadata ?? {};
    if (m.namespace === 'ai-agents') return false;
    if (o.kind === 'Namespace' && m.name === 'ai-agents') return false;
    return !/mcp-server/.test(m.name ?? '');
  });
}

async function storeEvidence(db, orgId, kind, filename, text) {
  await db.evidence.create(orgId, {
    kind,
    filename,
    contentHash: createHash('sha256').update(text).digest('hex'),
    content: new Uint8Array(gzipSync(Buffer.from(text))),
    summary: { kind },
    uploadedById: null,
  });
}

/**
 * Seed one organisation of ORGS (two scans per cluster, a month apart) and return its id and
 * clusters. `scans` limits the history (1 or 2).
 */
export async function seedOrg(db, key, { slug = key, scans = 2 } = {}) {
  const spec = ORGS[key];
  const org = await db.organizations.create({ name: spec.name, slug });
  const clusters = {};
  for (let s = 0; s < scans; s++) {
    const collectedAt = new Date(Date.UTC(2026, 8 + s, 1)).toISOString();
    for (const c of spec.clusters) {
      const gen = generateCluster({
        seed: c.seed,
        pods: c.pods + s * 20,
        policies: c.policies[s],
        agents: c.agents,
        vms: c.vms,
        stack: c.stack,
      });
      const reducer = new SnapshotReducer({
        fingerprintKey: new Uint8Array(32),
        includeSecretMetadata: false,
      });
      const objects = c.noAgents ? withoutAgents(gen.objects) : gen.objects;
      objects.forEach((o, i) => reducer.add(o, `generated#${i}`));
      const snap = reducer.finish({
        scanner: { name: 'plumbline-bench', version: '0' },
        collectedAt,
        mode: 'offline',
        clusterName: c.name,
        declaredClusterId: `${key}-${c.name}`,
      });
      const raw = Buffer.from(JSON.stringify(snap));
      const stored = await db.scans.storeSnapshot(org.id, {
        clusterExternalId: snap.cluster.id,
        clusterName: snap.cluster.name,
        contentHash: createHash('sha256').update(raw).digest('hex'),
        schemaVersion: 1,
        gzip: new Uint8Array(gzipSync(raw)),
        rawBytes: raw.length,
      });
      await analyzeScan(db, org.id, stored.scan.id, { log: quiet, attempt: 1 });
      clusters[c.name] = stored.cluster.id;
    }
    if (s === scans - 1) {
      if (spec.vmInventory)
        await storeEvidence(db, org.id, 'vm-inventory', 'vm-inventory.csv', VM_INVENTORY);
      if (spec.probe)
        await storeEvidence(
          db,
          org.id,
          'probe-report',
          'probe-report.json',
          JSON.stringify(probeReport()),
        );
      if (spec.selfAssessment) await db.selfAssessments.create(org.id, spec.selfAssessment, null);
    }
    await computeOrgRollup(db, org.id, `bench round ${s + 1}`);
  }
  return { organizationId: org.id, clusters };
}

/** A report row and its data, as the report.render job builds them. */
export async function reportData(db, organizationId, { clusterId = null, paperSize = 'A4' } = {}) {
  const row = await db.reports.create(organizationId, {
    clusterId,
    paperSize,
    requestedById: null,
  });
  const data = await buildReportData(db, new ReadModels(db), organizationId, row.id, new Date());
  return { reportId: row.id, data };
}
