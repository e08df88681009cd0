import type {
  CostAssumptionOverrides,
  CostWorkload,
  CostAssumptions,
  CostLine,
  DetectionResult,
  IntegrationTax,
  Seam,
  Tool,
} from '@plumbline/contracts';
import { DEFAULT_ASSUMPTIONS, SOURCES } from './defaults.js';
import { cpuCores, memoryGib } from './quantity.js';
import { PRODUCTS, toolsOf } from './tools.js';

export const COST_MODEL_VERSION = '2026.11.0';
const HOURS_PER_YEAR = 2080;
const CLOCK_HOURS_PER_YEAR = 8760;

/** Dollars to integer cents, rounded once, at the end of a line. */
const cents = (dollars: number) => Math.max(0, Math.round(dollars * 100));

export function resolveAssumptions(overrides: CostAssumptionOverrides = {}): CostAssumptions {
  return {
    ...DEFAULT_ASSUMPTIONS,
    ...overrides,
    licenceByTool: { ...DEFAULT_ASSUMPTIONS.licenceByTool, ...(overrides.licenceByTool ?? {}) },
  };
}

export interface Structure {
  /** Tools T. */
  tools: number;
  /** Integration seams I. */
  seams: number;
  /** Clusters C. */
  clusters: number;
  /** Licence per tool, dollars a year (one entry per tool). */
  licences: readonly number[];
}

function sourcesFor(
  keys: (keyof CostAssumptions)[],
  overrides: CostAssumptionOverrides,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of keys) out[k] = k in overrides ? 'entered by the organisation' : SOURCES[k];
  return out;
}

/** The five components (plus compliance evidence), each with formula, inputs and sources. */
export function taxLines(
  s: Structure,
  a: CostAssumptions,
  overrides: CostAssumptionOverrides = {},
): CostLine[] {
  const R = a.loadedSalary / HOURS_PER_YEAR;
  const T = s.tools;
  const I = s.seams;
  const seamFactor = I / a.seamReference;
  const licenceSum = s.licences.reduce((x, y) => x + y, 0);
  const line = (
    id: string,
    label: string,
    dollars: number,
    formula: string,
    inputs: Record<string, number>,
    keys: (keyof CostAssumptions)[],
    note: string | null = null,
  ): CostLine => ({
    id,
    label,
    cents: cents(dollars),
    formula,
    inputs,
    sources: sourcesFor(keys, overrides),
    note,
  });
  return [
    line(
      'glue',
      'Glue work',
      a.glueShare * a.engineers * HOURS_PER_YEAR * R * seamFactor,
      'g x E x 2080 x R x (I / I_ref)',
      { g: a.glueShare, E: a.engineers, R, I, I_ref: a.seamReference },
      ['glueShare', 'engineers', 'loadedSalary', 'seamReference'],
    ),
    line(
      'mttr',
      'Extended MTTR',
      a.incidentsPerYear *
        a.extraMttrHours *
        seamFactor *
        (a.engineersPerIncident * R + a.customerImpactingFraction * a.downtimeCostPerHour),
      'N_inc x dMTTR x (I / I_ref) x (p x R + f x D)',
      {
        N_inc: a.incidentsPerYear,
        dMTTR: a.extraMttrHours,
        I,
        I_ref: a.seamReference,
        p: a.engineersPerIncident,
        R,
        f: a.customerImpactingFraction,
        D: a.downtimeCostPerHour,
      },
      [
        'incidentsPerYear',
        'extraMttrHours',
        'engineersPerIncident',
        'customerImpactingFraction',
        'downtimeCostPerHour',
        'loadedSalary',
      ],
      I === 0 ? 'no integration seams, no extra MTTR' : null,
    ),
    line(
      'licensing',
      'Licensing overlap',
      T >= 1 ? a.overlapShare * licenceSum : 0,
      'o x sum(licence per tool)',
      { o: a.overlapShare, licences: licenceSum },
      ['overlapShare', 'licencePerTool'],
      licenceSum === 0 ? 'no licences entered (open source by default)' : null,
    ),
    line(
      'onboarding',
      'Onboarding drag',
      a.hiresPerYear * a.rampWeeksPerExtraTool * Math.max(T - 1, 0) * 40 * R,
      'H x w x max(T - 1, 0) x 40 x R',
      { H: a.hiresPerYear, w: a.rampWeeksPerExtraTool, T, R },
      ['hiresPerYear', 'rampWeeksPerExtraTool', 'loadedSalary'],
    ),
    line(
      'upgrades',
      'Upgrade cost',
      T *
        a.upgradesPerToolPerYear *
        (s.clusters * a.hoursPerClusterPerUpgrade + a.coordinationHoursPerUpgrade) *
        R,
      'T x U x (C x h_c + h_coord) x R',
      {
        T,
        U: a.upgradesPerToolPerYear,
        C: s.clusters,
        h_c: a.hoursPerClusterPerUpgrade,
        h_coord: a.coordinationHoursPerUpgrade,
        R,
      },
      [
        'upgradesPerToolPerYear',
        'hoursPerClusterPerUpgrade',
        'coordinationHoursPerUpgrade',
        'loadedSalary',
      ],
    ),
    line(
      'compliance',
      'Compliance evidence',
      T >= 1 ? a.complianceEvidenceHours * R : 0,
      'compliance hours x R',
      { hours: a.complianceEvidenceHours, R },
      ['complianceEvidenceHours', 'loadedSalary'],
    ),
  ];
}

export function sumCents(lines: readonly CostLine[]): number {
  return lines.reduce((s, l) => s + l.cents, 0);
}

/** Reproduce a case from structure alone (the methodology's reference case, property tests). */
export function taxTotalCents(s: Structure, a: CostAssumptions): number {
  return sumCents(taxLines(s, a));
}

/**
 * What pricing reads from a cluster: its node count and workloads (kind, copies, container
 * requests). A whole ClusterSnapshot satisfies it; the stored per-scan digest carries only the
 * detected tools' workloads, so repricing never needs the snapshot.
 */
export interface CostSnapshot {
  cluster: { nodeCount: number | null };
  workloads: readonly CostWorkload[];
}

export interface ClusterInput {
  snapshot: CostSnapshot;
  detection: DetectionResult;
}

/** The part of a snapshot pricing needs (for the per-scan digest): the tools' own workloads. */
export function costInputOf(
  snapshot: CostSnapshot,
  detection: DetectionResult,
): { nodeCount: number | null; workloads: CostWorkload[] } {
  const refs = new Set(
    detection.components
      .filter((c) => c.status !== 'remnant')
      .flatMap((c) => c.evidence.map((e) => e.ref)),
  );
  return {
    nodeCount: snapshot.cluster.nodeCount,
    workloads: snapshot.workloads
      .filter((w) => refs.has(`${w.kind} ${w.namespace}/${w.name}`))
      .map((w) => ({
        kind: w.kind,
        namespace: w.namespace,
        name: w.name,
        replicas: w.replicas,
        containers: w.containers.map((c) => ({
          init: c.init,
          resources: { requests: { ...c.resources.requests } },
        })),
      })),
  };
}

interface Footprint {
  cents: number | null;
  vcpu: number;
  memoryGib: number;
  reason: string;
  perTool: Map<string, number>;
}

/** The tools' own compute: requests x replicas (DaemonSets x nodes), priced per hour. */
function footprint(
  clusters: readonly ClusterInput[],
  tools: readonly Tool[],
  a: CostAssumptions,
): Footprint {
  const byComponent = new Map<string, string>();
  for (const t of tools) for (const c of t.components) byComponent.set(c, t.id);
  let vcpu = 0;
  let gib = 0;
  let unknownNodes = 0;
  const perTool = new Map<string, number>();
  for (const { snapshot, detection } of clusters) {
    const seen = new Set<string>();
    for (const comp of detection.components) {
      const tool = byComponent.get(comp.id);
      if (!tool || comp.status === 'remnant') continue;
      for (const ev of comp.evidence) {
        const w = snapshot.workloads.find((x) => `${x.kind} ${x.namespace}/${x.name}` === ev.ref);
        if (!w || seen.has(ev.ref)) continue;
        seen.add(ev.ref);
        let copies = w.replicas ?? 1;
        if (w.kind === 'DaemonSet') {
          if (snapshot.cluster.nodeCount === null) {
            unknownNodes++;
            continue;
          }
          copies = snapshot.cluster.nodeCount;
        }
        let cpu = 0;
        let mem = 0;
        for (const c of w.containers) {
          if (c.init) continue;
          cpu += cpuCores(c.resources.requests.cpu) ?? 0;
          mem += memoryGib(c.resources.requests.memory) ?? 0;
        }
        vcpu += cpu * copies;
        gib += mem * copies;
        const dollars =
          (cpu * a.cpuPricePerVcpuHour + mem * a.memoryPricePerGibHour) *
          copies *
          CLOCK_HOURS_PER_YEAR;
        perTool.set(tool, (perTool.get(tool) ?? 0) + dollars);
      }
    }
  }
  const dollars =
    (vcpu * a.cpuPricePerVcpuHour + gib * a.memoryPricePerGibHour) * CLOCK_HOURS_PER_YEAR;
  const reason =
    unknownNodes > 0
      ? `${unknownNodes} DaemonSet(s) not priced: node count unknown (declare it with --node-count)`
      : 'requests x replicas (DaemonSets x nodes), OpenCost prices, 8760 h a year';
  return {
    cents: unknownNodes > 0 && vcpu === 0 && gib === 0 ? null : cents(dollars),
    vcpu,
    memoryGib: gib,
    reason,
    perTool,
  };
}

function licenceOf(tool: string, a: CostAssumptions): number {
  return a.licenceByTool[tool] ?? a.licencePerTool;
}

const SENSITIVE_INPUTS: readonly (keyof CostAssumptions)[] = [
  'engineers',
  'loadedSalary',
  'glueShare',
  'incidentsPerYear',
  'extraMttrHours',
  'engineersPerIncident',
  'customerImpactingFraction',
  'downtimeCostPerHour',
  'licencePerTool',
  'overlapShare',
  'hiresPerYear',
  'rampWeeksPerExtraTool',
  'upgradesPerToolPerYear',
  'hoursPerClusterPerUpgrade',
  'coordinationHoursPerUpgrade',
  'complianceEvidenceHours',
];

/**
 * The organisation's integration tax over its fleet: C = its clusters, its engineers once,
 * tools and seams as the union over clusters. Never a sum of per-cluster taxes.
 */
export function computeIntegrationTax(
  clusters: readonly ClusterInput[],
  overrides: CostAssumptionOverrides = {},
): IntegrationTax {
  const a = resolveAssumptions(overrides);
  const { tools, seams: detectedSeams } = toolsOf(clusters.map((c) => c.detection));
  const T = tools.length;
  const seams: Seam[] =
    a.seamCounting === 'pairwise'
      ? tools.flatMap((x, i) =>
          tools.slice(i + 1).map((y) => ({
            tools: [x.id, y.id] as [string, string],
            reason: 'pairwise (every tool with every tool)',
          })),
        )
      : detectedSeams;
  const structure = (
    toolList: readonly Tool[],
    seamCount: number,
    asm: CostAssumptions,
  ): Structure => ({
    tools: toolList.length,
    seams: seamCount,
    clusters: clusters.length,
    licences: toolList.map((t) => licenceOf(t.id, asm)),
  });
  const lines = taxLines(structure(tools, seams.length, a), a, overrides);
  const fp = footprint(clusters, tools, a);
  if (a.includeComputeFootprint && fp.cents !== null) {
    lines.push({
      id: 'footprint',
      label: 'Compute footprint of the tools',
      cents: fp.cents,
      formula: 'sum(requests x copies x price) x 8760 h',
      inputs: {
        vcpu: fp.vcpu,
        memoryGib: fp.memoryGib,
        cpuPrice: a.cpuPricePerVcpuHour,
        memoryPrice: a.memoryPricePerGibHour,
      },
      sources: sourcesFor(['cpuPricePerVcpuHour', 'memoryPricePerGibHour'], overrides),
      note: fp.reason,
    });
  }
  const totalCents = sumCents(lines);
  const lineCents = (id: string) => lines.find((l) => l.id === id)?.cents ?? 0;

  // Per seam: glue and MTTR scale with seams, so each seam carries an equal share of them.
  const seamCost = seams.length ? (lineCents('glue') + lineCents('mttr')) / seams.length : 0;
  const perSeam = seams.map((s) => ({ tools: s.tools, cents: Math.round(seamCost) }));
  const perTool = tools.map((t) => {
    const ownSeams = seams.filter((s) => s.tools.includes(t.id)).length;
    const shared =
      (lineCents('onboarding') + lineCents('upgrades') + lineCents('compliance')) / Math.max(T, 1);
    const value =
      (ownSeams * seamCost) / 2 +
      a.overlapShare * licenceOf(t.id, a) * 100 +
      shared +
      (fp.perTool.get(t.id) ?? 0) * 100 * (a.includeComputeFootprint ? 1 : 0);
    return { tool: t.id, cents: Math.round(value) };
  });

  // Sensitivity: each input +/-25%, ranked by the swing of the total (a tornado table).
  const totalWith = (asm: CostAssumptions) =>
    sumCents(taxLines(structure(tools, seams.length, asm), asm)) +
    (lines.find((l) => l.id === 'footprint')?.cents ?? 0);
  const sensitivity = SENSITIVE_INPUTS.map((input) => {
    const v = a[input] as number;
    const clamp = (x: number) =>
      ['glueShare', 'customerImpactingFraction', 'overlapShare'].includes(input)
        ? Math.min(x, 1)
        : x;
    const lowCents = totalWith({ ...a, [input]: clamp(v * 0.75) });
    const highCents = totalWith({ ...a, [input]: clamp(v * 1.25) });
    return { input, lowCents, highCents, swingCents: highCents - lowCents };
  }).sort(
    (x, y) => Math.abs(y.swingCents) - Math.abs(x.swingCents) || (x.input < y.input ? -1 : 1),
  );

  // Consolidated platform: T' tools, seams between them only, one platform licence.
  const Tc = a.consolidatedTools;
  const consolidatedAssumptions = { ...a, licencePerTool: 0, licenceByTool: {} };
  const consolidatedLines = taxLines(
    {
      tools: Tc,
      seams: (Tc * (Tc - 1)) / 2,
      clusters: clusters.length,
      licences: Array.from({ length: Tc }, () => 0),
    },
    consolidatedAssumptions,
  );
  const consolidatedTaxCents = sumCents(consolidatedLines);
  const licenceSpendCents = tools.reduce((s, t) => s + cents(licenceOf(t.id, a)), 0);
  const platformLicenceCents = cents(a.consolidatedPlatformLicence);
  const annualSavingsCents =
    totalCents + licenceSpendCents - (consolidatedTaxCents + platformLicenceCents);
  const migrationCostCents = cents(a.migrationCost);
  const consolidation = {
    consolidatedTools: Tc,
    consolidatedTaxCents,
    platformLicenceCents,
    annualSavingsCents,
    migrationCostCents,
    threeYearRoi:
      migrationCostCents > 0
        ? Math.round(((3 * annualSavingsCents - migrationCostCents) / migrationCostCents) * 1000) /
          1000
        : null,
    paybackMonths:
      annualSavingsCents > 0
        ? Math.round((migrationCostCents / (annualSavingsCents / 12)) * 10) / 10
        : null,
  };

  // What-if per overlap: removing one of the overlapping tools removes its seams and licence.
  const whatIfs: IntegrationTax['whatIfs'] = [];
  const productOf = (componentId: string) =>
    PRODUCTS.find((p) => (p.components as readonly string[]).includes(componentId))?.id;
  const seenTools = new Set<string>();
  for (const { detection } of clusters) {
    for (const o of detection.overlaps) {
      const products = [...new Set(o.components.map(productOf).filter((p): p is string => !!p))];
      if (products.length < 2) continue;
      for (const remove of products.slice(1)) {
        if (seenTools.has(remove) || !tools.some((t) => t.id === remove)) continue;
        seenTools.add(remove);
        const remaining = tools.filter((t) => t.id !== remove);
        const remainingSeams = seams.filter((s) => !s.tools.includes(remove));
        const after =
          sumCents(taxLines(structure(remaining, remainingSeams.length, a), a)) +
          Math.round(
            (lines.find((l) => l.id === 'footprint')?.cents ?? 0) -
              (fp.perTool.get(remove) ?? 0) * 100 * (a.includeComputeFootprint ? 1 : 0),
          );
        whatIfs.push({
          action: `consolidate ${o.capability}: keep ${products[0]}, remove ${remove}`,
          removesTool: remove,
          savesCents: Math.max(0, totalCents - after),
        });
      }
    }
  }

  return {
    modelVersion: COST_MODEL_VERSION,
    clusters: clusters.length,
    tools,
    seams,
    seamCount: seams.length,
    lines,
    totalCents,
    footprint: {
      cents: fp.cents,
      vcpu: round(fp.vcpu),
      memoryGib: round(fp.memoryGib),
      reason: fp.reason,
    },
    perTool,
    perSeam,
    sensitivity,
    consolidation,
    whatIfs: whatIfs.sort(
      (x, y) => y.savesCents - x.savesCents || (x.removesTool < y.removesTool ? -1 : 1),
    ),
    assumptions: a,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
