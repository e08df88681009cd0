import type {
  AgentsResponse,
  ClusterDetail,
  CostResponse,
  Finding,
  HistoryEntry,
  Overview,
  PlanEffortResponse,
  PlanLevelState,
  PlanRecord,
  RiskAcceptance,
  RiskAcceptanceList,
  ScanDiff,
  SelfAssessmentResponse,
} from '@plumbline/contracts';
import { ORG_ID, USER_ID } from './fake-api';

/**
 * Small read-API answers for the screens' tests, typed by the contracts (a change of shape fails
 * the typecheck here) and checked against the contracts' zod schemas in `fixtures.test.ts`.
 */

export const C1 = '5a1c9c3e-0000-4000-8000-000000000001';
export const C2 = '5a1c9c3e-0000-4000-8000-000000000002';
export const SCAN_NEW = '7b000000-0000-4000-8000-000000000003';
export const SCAN_MID = '7b000000-0000-4000-8000-000000000002';
export const SCAN_OLD = '7b000000-0000-4000-8000-000000000001';

const MATURITY_PILLARS = [
  ['workload-isolation', 'Workload isolation', 2],
  ['observability', 'Observability & troubleshooting', 1],
  ['multi-cluster', 'Multi-cluster connectivity', 2],
  ['edge-traffic', 'Edge traffic', 1],
  ['resilience', 'Resilience & recovery', 3],
  ['compliance', 'Compliance & audit evidence', 2],
] as const;

const ACCOUNTABILITY_PILLARS = [
  ['traceability', 'Traceability', 1],
  ['authorization-provenance', 'Authorization provenance', 0],
  ['identity-ownership', 'Identity & ownership', 2],
  ['policy-at-scale', 'Policy at scale', 1],
  ['human-oversight', 'Human oversight', 1],
] as const;

export const FINDING: Finding = {
  id: 'maturity/resilience.pdb:gap',
  domain: 'maturity',
  pillar: 'observability',
  pillarName: 'Observability & troubleshooting',
  kind: 'gap',
  severity: 'medium',
  title: 'Level 2 not met: PodDisruptionBudgets protect workloads',
  detail: '24 of 60 covered (40%)',
  remediation: 'Add a PodDisruptionBudget to every replicated workload.',
  evidence: ['Deployment shop/web', 'Deployment shop/api'],
  asi: null,
  currentLevel: 1,
  whatIfLevel: 2,
};

export const AGENT_FINDING: Finding = {
  id: 'accountability/traceability/trace.exporter',
  domain: 'accountability',
  pillar: 'traceability',
  pillarName: 'Traceability',
  kind: 'gap',
  severity: 'high',
  title: 'Every agent exports traces automatically',
  detail: 'ASI10 Rogue Agents: blocks level 1 of Traceability.',
  remediation: 'Set OTEL_EXPORTER_OTLP_ENDPOINT on every agent pod.',
  evidence: ['Deployment ai/agent: no exporter'],
  asi: 'ASI10',
  currentLevel: 0,
  whatIfLevel: 1,
};

export const OVERVIEW: Overview = {
  organization: { id: ORG_ID, name: 'Acme' },
  computedAt: '2026-03-10T11:00:00Z',
  methodologyVersion: '2026.3.0',
  maturity: {
    level: 1,
    score: 46,
    basis: 'production clusters',
    pillars: MATURITY_PILLARS.map(([id, name, level]) => ({ id, name, level })),
    lowest: MATURITY_PILLARS.filter(([, , l]) => l === 1).map(([id, name, level]) => ({
      id,
      name,
      level,
    })),
  },
  accountability: {
    status: 'assessed',
    agents: 3,
    level: 0,
    pillars: ACCOUNTABILITY_PILLARS.map(([id, name, level]) => ({ id, name, level })),
    lowest: ['authorization-provenance'],
  },
  integrationTax: {
    totalCents: 40_000_000,
    components: [
      { id: 'glue', label: 'Glue work', cents: 30_000_000 },
      { id: 'mttr', label: 'Extended MTTR', cents: 10_000_000 },
    ],
    tools: 6,
    seams: 12,
    hides: '75% of it is glue work',
  },
  clusters: [
    {
      id: C1,
      name: 'shop-prod-eu',
      production: true,
      level: 1,
      score: 46,
      lowestPillar: { id: 'observability', name: 'Observability & troubleshooting', level: 1 },
      coverage: { ingress: 82.1, egress: 100 },
      accountabilityLevel: 0,
      agents: 3,
      taxCents: 20_000_000,
      lastScanAt: '2026-03-10T10:00:00Z',
      status: 'succeeded',
      scanId: SCAN_NEW,
    },
    {
      id: C2,
      name: 'fresh-dev',
      production: false,
      level: null,
      score: null,
      lowestPillar: null,
      coverage: null,
      accountabilityLevel: null,
      agents: 0,
      taxCents: null,
      lastScanAt: null,
      status: 'never-scanned',
      scanId: null,
    },
  ],
  trends: [
    {
      at: '2026-03-01T00:00:00Z',
      maturityLevel: 0,
      maturityScore: 30,
      accountabilityLevel: 0,
      taxCents: 41_000_000,
      methodologyVersion: '2026.3.0',
      changes: [],
    },
    {
      at: '2026-03-10T00:00:00Z',
      maturityLevel: 1,
      maturityScore: 46,
      accountabilityLevel: 0,
      taxCents: 40_000_000,
      methodologyVersion: '2026.3.0',
      changes: [],
    },
  ],
  topActions: [
    {
      rank: 1,
      id: FINDING.id,
      domain: 'maturity',
      title: FINDING.title,
      remediation: FINDING.remediation,
      severity: 'medium',
      pillar: 'observability',
      pillarName: 'Observability & troubleshooting',
      clusters: ['shop-prod-eu'],
      effect: {
        level: { assessment: 'operational-maturity', from: 1, to: 2 },
        pillar: { from: 1, to: 2 },
        savesCentsPerYear: null,
      },
      why: 'raises the organisation level',
      evidence: FINDING.evidence,
    },
  ],
};

export const EMPTY_OVERVIEW: Overview = {
  ...OVERVIEW,
  computedAt: null,
  maturity: null,
  accountability: null,
  integrationTax: null,
  clusters: [],
  trends: [],
  topActions: [],
};

export const CLUSTER_DETAIL: ClusterDetail = {
  cluster: { id: C1, name: 'shop-prod-eu', production: true, lastScanAt: '2026-03-10T10:00:00Z' },
  latestScan: { id: SCAN_NEW, status: 'succeeded', createdAt: '2026-03-10T10:00:00Z', error: null },
  scan: {
    id: SCAN_NEW,
    collectedAt: '2026-03-10T09:59:00Z',
    createdAt: '2026-03-10T10:00:00Z',
    methodologyVersion: '2026.3.0',
  },
  stack: {
    layers: [
      {
        category: 'cni',
        components: [
          {
            id: 'calico',
            name: 'Calico',
            category: 'cni',
            status: 'installed',
            version: '3.29.1',
            confidence: 'high',
            attributes: {},
            evidence: [{ ref: 'DaemonSet kube-system/calico-node', signal: 'workload' }],
            overlapsWith: ['cilium'],
          },
          {
            id: 'cilium',
            name: 'Cilium',
            category: 'cni',
            status: 'partial',
            version: null,
            confidence: 'medium',
            attributes: {},
            evidence: [{ ref: 'CRD ciliumnetworkpolicies.cilium.io', signal: 'crd' }],
            overlapsWith: ['calico'],
          },
        ],
      },
    ],
    overlaps: [
      {
        capability: 'l3l4-policy',
        components: ['calico', 'cilium'],
        detail: 'Two engines enforce NetworkPolicy.',
      },
    ],
    network: {
      cni: 'calico',
      dataplane: 'iptables',
      encapsulation: 'ipip',
      kubeProxyMode: 'iptables',
      networkPolicy: { engines: ['calico'], enforced: true, reason: 'enforced by calico' },
      encryption: { methods: [], reason: 'no in-transit encryption configured' },
      facts: [],
    },
  },
  networkPolicy: {
    enforcement: { enforced: true, engines: ['calico'], reason: 'enforced by calico' },
    coverage: {
      weighting: 'replicas',
      workloads: 10,
      totalReplicas: 40,
      hostNetworkReplicas: 2,
      ingress: { isolatedReplicas: 30, isolatedWorkloads: 7, percent: 75 },
      egress: { isolatedReplicas: 10, isolatedWorkloads: 2, percent: 25 },
      applications: {
        namespaces: 1,
        workloads: 9,
        totalReplicas: 36,
        ingress: { isolatedReplicas: 24, isolatedWorkloads: 6, percent: 66.7 },
        egress: { isolatedReplicas: 9, isolatedWorkloads: 2, percent: 25 },
      },
    },
    namespaces: [
      {
        name: 'shop',
        declared: true,
        workloads: 10,
        replicas: 40,
        defaultDeny: { ingress: true, egress: false },
        defaultDenyBy: { ingress: ['NetworkPolicy shop/deny-all'], egress: [] },
        isolatedPercent: { ingress: 75, egress: 25 },
      },
    ],
  },
  maturity: {
    level: 1,
    score: 46,
    coverage: 90,
    cncfStage: 'Build',
    pillars: MATURITY_PILLARS.map(([id, name, level]) => ({
      id,
      name,
      level,
      score: level * 25,
      coverage: 100,
      cappedBy: null,
      criteria:
        id === 'observability'
          ? [
              {
                id: 'resilience.pdb',
                level: 2,
                title: 'PodDisruptionBudgets protect workloads',
                status: 'not-met' as const,
                evidence: ['Deployment shop/web', 'Deployment shop/api'],
                reason: '24 of 60 covered (40%)',
              },
              {
                id: 'observability.metrics',
                level: 1,
                title: 'Metrics are collected',
                status: 'met' as const,
                evidence: ['Deployment monitoring/prometheus'],
                reason: 'Prometheus scrapes the cluster',
              },
            ]
          : [],
    })),
  },
  accountability: { status: 'assessed', level: 0, agents: 3, shadowAgents: 1 },
  cost: {
    totalCents: 20_000_000,
    lines: [{ id: 'glue', label: 'Glue work', cents: 20_000_000, formula: 'g x E x 2080 x R' }],
  },
  findings: [FINDING, AGENT_FINDING],
};

const summary = (level: number, findings: Record<string, Finding['severity']>) => ({
  methodologyVersion: '2026.3.0',
  collectedAt: '2026-03-10T09:59:00Z',
  maturity: {
    level,
    score: level * 25,
    coverage: 100,
    pillars: MATURITY_PILLARS.map(([id, name, l]) => ({ id, name, level: l })),
  },
  accountability: {
    status: 'assessed' as const,
    level: 0,
    score: 10,
    agents: 3,
    shadowAgents: 1,
  },
  taxCents: 20_000_000,
  components: 5,
  replicas: 40,
  networkPolicy: { ingress: 75, egress: 25 },
  findings,
});

export const HISTORY: HistoryEntry[] = [
  {
    scanId: '7b000000-0000-4000-8000-000000000004',
    status: 'failed',
    createdAt: '2026-03-11T00:00:00Z',
    collectedAt: null,
    summary: null,
  },
  {
    scanId: SCAN_NEW,
    status: 'succeeded',
    createdAt: '2026-03-10T00:00:00Z',
    collectedAt: '2026-03-10T00:00:00Z',
    summary: summary(1, { [FINDING.id]: 'medium' }),
  },
  {
    scanId: SCAN_MID,
    status: 'succeeded',
    createdAt: '2026-03-05T00:00:00Z',
    collectedAt: '2026-03-05T00:00:00Z',
    summary: summary(1, {}),
  },
  {
    scanId: SCAN_OLD,
    status: 'succeeded',
    createdAt: '2026-03-01T00:00:00Z',
    collectedAt: '2026-03-01T00:00:00Z',
    summary: summary(0, {}),
  },
];

export function diffOf(from: string | null, to: string): ScanDiff {
  return {
    from: { scanId: from, collectedAt: from ? '2026-03-05T00:00:00Z' : null },
    to: { scanId: to, collectedAt: '2026-03-10T00:00:00Z' },
    new: to === SCAN_NEW ? [FINDING] : [],
    fixed: from === SCAN_OLD ? [AGENT_FINDING] : [],
    regressed: [],
    unchanged: 3,
    levels: {
      maturity: { from: from ? 0 : null, to: 1 },
      accountability: { from: from ? 0 : null, to: 0 },
      taxCents: { from: from ? 21_000_000 : null, to: 20_000_000 },
    },
  };
}

const QUESTIONS = ACCOUNTABILITY_PILLARS.map(([pillar, name]) => ({
  pillar,
  name,
  question: `How well do you do ${name.toLowerCase()}?`,
}));

export const SELF_ASSESSMENT: SelfAssessmentResponse = {
  questions: QUESTIONS,
  answerScale: [
    { value: 0, label: "can't" },
    { value: 1, label: 'days of manual work' },
    { value: 2, label: 'hours' },
    { value: 3, label: 'minutes, automatically' },
    { value: 4, label: 'continuously proven' },
  ],
  current: null,
  claimedVsEvidenced: ACCOUNTABILITY_PILLARS.map(([pillar, name, level]) => ({
    pillar,
    name,
    question: `How well do you do ${name.toLowerCase()}?`,
    claimed: null,
    evidenced: level,
    gap: null,
  })),
};

/** `GET agents` of a small fleet: each list fits its first page. */
export const AGENTS: AgentsResponse = {
  computedAt: '2026-03-10T11:00:00Z',
  status: 'assessed',
  summary: {
    agents: 2,
    mcpServers: 1,
    modelServers: 0,
    gateways: 0,
    shadowAgents: 1,
    unownedAgents: 1,
    sharedCredentials: 0,
  },
  overall: { level: 0, levelName: 'Invisible', weakest: ['authorization-provenance'] },
  pillars: ACCOUNTABILITY_PILLARS.map(([pillar, name, level]) => ({
    pillar,
    name,
    level,
    cluster: 'shop-prod-eu',
    criteria: [],
  })),
  principles: [],
  items: [],
  findings: [{ ...AGENT_FINDING, cluster: 'shop-prod-eu' }],
  claimedVsEvidenced: SELF_ASSESSMENT.claimedVsEvidenced,
  probes: [],
  pages: {
    items: { total: 0, nextCursor: null },
    findings: { total: 1, nextCursor: null },
    principles: { total: 0, nextCursor: null },
  },
};

export const EFFECTIVE: CostResponse['assumptions']['effective'] = {
  engineers: 10,
  loadedSalary: 190000,
  glueShare: 0.1,
  seamReference: 10,
  seamCounting: 'detected',
  incidentsPerYear: 24,
  extraMttrHours: 2,
  engineersPerIncident: 4,
  customerImpactingFraction: 0,
  downtimeCostPerHour: 300000,
  licencePerTool: 0,
  licenceByTool: {},
  overlapShare: 0.15,
  hiresPerYear: 5,
  rampWeeksPerExtraTool: 1,
  upgradesPerToolPerYear: 4,
  hoursPerClusterPerUpgrade: 0.5,
  coordinationHoursPerUpgrade: 40,
  cpuPricePerVcpuHour: 0.031611,
  memoryPricePerGibHour: 0.004237,
  complianceEvidenceHours: 0,
  includeComputeFootprint: true,
  consolidatedTools: 1,
  consolidatedPlatformLicence: 0,
  migrationCost: 250000,
  vmPlatformFtes: 1,
  hypervisorLicencePerVm: 0,
};

const DEFAULTS: CostResponse['assumptions']['defaults'] = Object.entries(EFFECTIVE).map(
  ([key, value]) => ({
    key,
    default: value,
    source: `Plumbline default for ${key}`,
    overridden: false,
  }),
);

export function costWith(
  totalCents: number,
  overrides: Record<string, unknown> = {},
): CostResponse {
  const effective = { ...EFFECTIVE, ...overrides } as CostResponse['assumptions']['effective'];
  return {
    computedAt: '2026-03-10T11:00:00Z',
    integrationTax: {
      modelVersion: '2026.3.0',
      clusters: 1,
      tools: [
        { id: 'calico', name: 'Calico', layer: 'network', components: ['calico'], clusters: 1 },
      ],
      seams: [],
      seamCount: 0,
      lines: [
        {
          id: 'glue',
          label: 'Glue work',
          cents: totalCents,
          formula: 'g x E x 2080 x R x (I / I_ref)',
          inputs: { g: effective.glueShare, E: effective.engineers, I: 28, I_ref: 10 },
          sources: Object.fromEntries(
            (['glueShare', 'engineers'] as const)
              .filter((k) => !(k in overrides))
              .map((k) => [k, `Plumbline default for ${k}`]),
          ),
          entered: (['glueShare', 'engineers'] as const).filter((k) => k in overrides),
          symbols: [
            { symbol: 'g', meaning: 'share of time on glue', value: effective.glueShare },
            { symbol: 'E', meaning: 'platform engineers', value: effective.engineers },
            { symbol: 'I', meaning: 'integration seams', value: 28 },
            { symbol: 'I_ref', meaning: 'seams in the reference stack', value: 10 },
          ],
          explanation: [
            "I / I_ref = 28 / 10 = 2.8: the fleet has 28 integration seams where the reference stack has 10. The glue share entered (10%) is multiplied by it: 10% x 2.8 = 28% of the team's time.",
          ],
          note: null,
        },
      ],
      totalCents,
      footprint: { cents: 0, vcpu: 0, memoryGib: 0, reason: 'none' },
      perTool: [{ tool: 'calico', cents: totalCents }],
      perSeam: [],
      sensitivity: [
        {
          input: 'engineers',
          lowCents: totalCents / 2,
          highCents: totalCents * 2,
          swingCents: totalCents * 1.5,
        },
      ],
      consolidation: {
        consolidatedTools: 1,
        consolidatedTaxCents: 0,
        platformLicenceCents: 0,
        annualSavingsCents: totalCents,
        migrationCostCents: 25_000_000,
        threeYearRoi: 1.5,
        paybackMonths: 4.2,
        platformLicenceBasis: 'estimated: list price x 18 nodes',
        platformLicenceRange: {
          lowCents: 788_400,
          highCents: 4_730_400,
          threeYearRoi: [1.3, 1.6],
          paybackMonths: [4.1, 4.6],
          basis: 'the same list price for 2-vCPU to 12-vCPU nodes',
        },
      },
      perCluster: [
        {
          cluster: 'shop-prod-eu',
          marginalCents: totalCents / 4,
          addsTools: ['calico'],
          addsSeams: 3,
          why: '$100,000 a year: brings 1 tool(s) no other cluster runs (calico)',
        },
        {
          cluster: 'legacy-dev',
          marginalCents: totalCents / 10,
          addsTools: [],
          addsSeams: 0,
          why: '$40,000 a year: runs only tools other clusters already run',
        },
      ],
      whatIfs: [],
      assumptions: effective,
    },
    assumptions: {
      version: Object.keys(overrides).length ? 1 : 0,
      updatedAt: Object.keys(overrides).length ? '2026-03-10T12:00:00Z' : null,
      overrides,
      effective,
      defaults: DEFAULTS.map((d) => ({ ...d, overridden: d.key in overrides })),
    },
    vms: null,
  };
}

// --- plans (the roadmap) -----------------------------------------------------------------------

export const PLAN_READY_ID = '9c000000-0000-4000-8000-000000000003';
export const PLAN_MANUAL_ID = '9c000000-0000-4000-8000-000000000002';
export const PLAN_UNREACHABLE_ID = '9c000000-0000-4000-8000-000000000001';
export const PLAN_QUEUED_ID = '9c000000-0000-4000-8000-000000000004';

type Pillars = PlanLevelState['pillars'];
const pillarsAt = (over: Partial<Pillars> = {}): Pillars => ({
  ...(Object.fromEntries(MATURITY_PILLARS.map(([id, , level]) => [id, level])) as Pillars),
  ...over,
});
const state = (level: number, taxCents: number, over: Partial<Pillars> = {}): PlanLevelState => ({
  level,
  pillars: pillarsAt(over),
  taxCents,
});

const FROM = state(1, 20_000_000);
const AFTER_PDB = state(1, 20_000_000, { observability: 2 });
const AFTER_INGRESS = state(1, 19_500_000, { observability: 2, 'workload-isolation': 3 });
const AFTER_GATEWAY = state(2, 19_500_000, {
  observability: 2,
  'workload-isolation': 3,
  'edge-traffic': 2,
});

const planRecord = (over: Partial<PlanRecord>): PlanRecord => ({
  id: PLAN_READY_ID,
  clusterId: C1,
  clusterName: 'shop-prod-eu',
  scanId: SCAN_NEW,
  scanCollectedAt: '2026-03-10T09:59:00Z',
  target: { level: 2, pillar: null },
  dialect: 'kubernetes',
  status: 'ready',
  reason: null,
  effortVersion: 0,
  plan: null,
  verification: null,
  bundle: null,
  requestedById: null,
  createdAt: '2026-03-12T10:00:00Z',
  finishedAt: '2026-03-12T10:00:04Z',
  ...over,
});

/** Level 1 to 2: two generated steps (in the bundle) and one manual step, over two phases. */
export const PLAN_READY: PlanRecord = planRecord({
  plan: {
    reachable: true,
    target: { level: 2, pillar: null },
    from: FROM,
    to: AFTER_GATEWAY,
    bundlePromise: pillarsAt({ observability: 2, 'workload-isolation': 3 }),
    steps: [
      {
        id: 'pdb',
        title: 'Add PodDisruptionBudgets to replicated application workloads',
        kind: 'generated',
        addresses: ['resilience.pdb'],
        confirms: [],
        findings: ['resilience.pdb:gap'],
        pillars: ['observability'],
        units: 36,
        unit: 'workload',
        hours: 10,
        remediation:
          'A PodDisruptionBudget with maxUnavailable: 1 per replicated Deployment / StatefulSet, selecting its pods.',
        after: AFTER_PDB,
        taxDeltaCents: 0,
      },
      {
        id: 'netpol-ingress',
        title: 'Default-deny ingress with Service allows in 1 application namespace',
        kind: 'generated',
        addresses: ['isolation.ingress-coverage-50'],
        confirms: [],
        findings: ['isolation.ingress-coverage-50:gap'],
        pillars: ['workload-isolation'],
        units: 1,
        unit: 'namespace',
        hours: 5,
        remediation:
          'Per application namespace: a default-deny ingress NetworkPolicy, and an allow for every Service.',
        after: AFTER_INGRESS,
        taxDeltaCents: -500_000,
      },
      {
        id: 'manual:edge-traffic.gateway-api',
        title: 'Route edge traffic through one Gateway API implementation',
        kind: 'manual',
        addresses: ['edge-traffic.gateway-api'],
        confirms: ['observability.metrics'],
        findings: [],
        pillars: ['edge-traffic'],
        units: 1,
        unit: 'cluster',
        hours: 40,
        remediation: 'Install one Gateway API implementation and move the Ingresses to HTTPRoutes.',
        after: AFTER_GATEWAY,
        taxDeltaCents: 0,
      },
    ],
    hours: 55,
    roadmap: [
      { byDay: 30, steps: ['pdb', 'netpol-ingress'], hours: 15, after: AFTER_INGRESS },
      {
        byDay: null,
        steps: ['manual:edge-traffic.gateway-api'],
        hours: 40,
        after: AFTER_GATEWAY,
      },
    ],
    hoursPerPhase: 20,
    alreadyMet: false,
    accepted: [],
  },
  verification: {
    ok: true,
    promised: pillarsAt({ observability: 2, 'workload-isolation': 3 }),
    reached: pillarsAt({ observability: 2, 'workload-isolation': 3 }),
    level: { promised: 1, reached: 1 },
    taxCents: { before: 20_000_000, after: 19_500_000 },
    connectivity: {
      checked: 14,
      cut: [],
      newlyIsolated: { ingress: 6, egress: 0 },
      newlyDenied: ['shop/web → shop/db on port 5432 (no Service exposes it)'],
    },
    problems: [],
  },
  bundle: { bytes: 12_800, files: 40, objects: 37, sha256: 'ab'.repeat(32) },
});

/** An earlier plan whose steps are all manual: no manifests, so no verification. */
export const PLAN_MANUAL: PlanRecord = planRecord({
  id: PLAN_MANUAL_ID,
  target: { level: 2, pillar: 'observability' },
  createdAt: '2026-03-11T10:00:00Z',
  finishedAt: '2026-03-11T10:00:03Z',
  plan: {
    reachable: true,
    target: { level: 2, pillar: 'observability' },
    from: FROM,
    to: state(1, 20_000_000, { observability: 2 }),
    bundlePromise: pillarsAt(),
    steps: [
      {
        id: 'manual:observability.traces',
        title: 'Export traces from every application',
        kind: 'manual',
        addresses: ['observability.metrics'],
        confirms: [],
        findings: [],
        pillars: ['observability'],
        units: 1,
        unit: 'cluster',
        hours: 40,
        remediation: 'Install an OpenTelemetry collector and point the applications at it.',
        after: state(1, 20_000_000, { observability: 2 }),
        taxDeltaCents: 0,
      },
    ],
    hours: 40,
    roadmap: [
      {
        byDay: 30,
        steps: ['manual:observability.traces'],
        hours: 40,
        after: state(1, 20_000_000, { observability: 2 }),
      },
    ],
    hoursPerPhase: 60,
    alreadyMet: false,
    accepted: ['resilience.pdb'],
  },
  verification: null,
  bundle: { bytes: 2_100, files: 2, objects: 0, sha256: 'cd'.repeat(32) },
});

/** Level 4 is out of reach from this scan's evidence. */
export const PLAN_UNREACHABLE: PlanRecord = planRecord({
  id: PLAN_UNREACHABLE_ID,
  target: { level: 4, pillar: null },
  status: 'unreachable',
  reason: 'level 4 is out of reach from this scan’s evidence',
  createdAt: '2026-03-10T12:00:00Z',
  finishedAt: '2026-03-10T12:00:02Z',
  plan: {
    reachable: false,
    target: { level: 4, pillar: null },
    from: FROM,
    reason: 'level 4 is out of reach from this scan’s evidence',
    blockers: [
      {
        id: 'resilience.pdb',
        pillar: 'resilience',
        reason: 'no action of the catalogue meets it from this evidence',
      },
    ],
    accepted: [],
  },
});

/** Just asked for: the worker has not started. */
export const PLAN_QUEUED: PlanRecord = planRecord({
  id: PLAN_QUEUED_ID,
  status: 'queued',
  createdAt: '2026-03-13T10:00:00Z',
  finishedAt: null,
});

export const PLAN_EFFORT: PlanEffortResponse = {
  version: 0,
  overrides: {},
  hoursPerPhase: { value: 60, default: 60 },
  actions: [
    {
      id: 'pdb',
      kind: 'generated',
      unit: 'workload',
      default: { baseHours: 1, perUnitHours: 0.25 },
      effective: { baseHours: 1, perUnitHours: 0.25 },
      overridden: false,
    },
    {
      id: 'netpol-ingress',
      kind: 'generated',
      unit: 'namespace',
      default: { baseHours: 4, perUnitHours: 1 },
      effective: { baseHours: 4, perUnitHours: 1 },
      overridden: false,
    },
  ],
  manualByLevel: [
    { level: 1, baseHours: 8 },
    { level: 2, baseHours: 16 },
  ],
  source: 'docs/methodology/remediation-plan.md',
};

// ---------------------------------------------------------------- accepted risks

export const RISK_ACTIVE_ID = 'ac000000-0000-4000-8000-000000000001';
export const RISK_EXPIRED_ID = 'ac000000-0000-4000-8000-000000000002';
export const RISK_REVOKED_ID = 'ac000000-0000-4000-8000-000000000003';
export const RISK_OTHER_CLUSTER_ID = 'ac000000-0000-4000-8000-000000000004';

/** An accepted risk as `GET /risk-acceptances` lists it (noon UTC: the same day everywhere). */
export function riskAcceptance(over: Partial<RiskAcceptance> = {}): RiskAcceptance {
  return {
    id: RISK_ACTIVE_ID,
    clusterId: C1,
    clusterName: 'shop-prod-eu',
    kind: 'criterion',
    targetId: 'resilience.pdb',
    title: 'PodDisruptionBudgets protect workloads',
    owner: 'Platform team',
    reason: 'Single-replica batch workloads; a PDB would block node drains.',
    expiresAt: '2026-06-30T12:00:00.000Z',
    state: 'active',
    createdById: USER_ID,
    createdAt: '2026-03-01T12:00:00.000Z',
    revokedAt: null,
    revokedById: null,
    ...over,
  };
}

/**
 * One of each state: the PDB criterion accepted for shop-prod-eu (active), the agent finding
 * accepted for every cluster (expired), the metrics criterion (revoked), and the agent finding
 * accepted for another cluster only (active there, not here).
 */
export const RISKS: RiskAcceptanceList = {
  items: [
    riskAcceptance(),
    riskAcceptance({
      id: RISK_EXPIRED_ID,
      clusterId: null,
      clusterName: null,
      kind: 'finding',
      targetId: AGENT_FINDING.id,
      title: AGENT_FINDING.id,
      owner: 'AI platform',
      reason: 'Traces are exported by the gateway until the agents are upgraded.',
      expiresAt: '2026-03-01T12:00:00.000Z',
      state: 'expired',
      createdAt: '2026-01-15T12:00:00.000Z',
    }),
    riskAcceptance({
      id: RISK_REVOKED_ID,
      targetId: 'observability.metrics',
      title: 'Metrics are collected',
      owner: 'SRE',
      state: 'revoked',
      revokedAt: '2026-03-05T12:00:00.000Z',
      revokedById: USER_ID,
    }),
    riskAcceptance({
      id: RISK_OTHER_CLUSTER_ID,
      clusterId: C2,
      clusterName: 'fresh-dev',
      kind: 'finding',
      targetId: AGENT_FINDING.id,
      title: AGENT_FINDING.id,
      owner: 'Staging owners',
      expiresAt: '2026-09-01T12:00:00.000Z',
    }),
  ],
  counts: { active: 2, expired: 1, revoked: 1 },
};
