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
import { PRODUCTS, productsOf, toolsOf } from './tools.js';

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

/** The sources of the assumptions left at their default, and the keys the organisation entered. */
function sourcesFor(
  keys: (keyof CostAssumptions)[],
  overrides: CostAssumptionOverrides,
): { sources: Record<string, string>; entered: string[] } {
  const sources: Record<string, string> = {};
  const entered: string[] = [];
  for (const k of keys) {
    if (overrides[k] !== undefined) entered.push(k);
    else sources[k] = SOURCES[k];
  }
  return { sources, entered };
}

/** What each formula symbol stands for (shown beside its value on the line and in the PDF). */
export const SYMBOL_MEANINGS: Record<string, string> = {
  g: 'share of platform engineering time spent on integration glue (entered or default)',
  E: 'platform engineers',
  R: 'loaded hourly rate: loaded cost per engineer / 2080 working hours',
  I: 'integration seams: pairs of products in the fleet that must work together',
  I_ref: 'seams in the reference stack the shares are calibrated on (5 tools = 10 seams)',
  N_inc: 'cross-tool incidents a year',
  dMTTR: 'extra hours to resolve an incident that spans tools',
  p: 'engineers working on such an incident',
  f: 'share of those incidents that reach customers',
  D: 'cost of an hour of customer-facing downtime',
  o: 'share of licence spend that pays for overlapping capability',
  licences: 'licence spend on the tools, dollars a year',
  H: 'platform hires a year',
  w: 'extra ramp-up weeks per additional tool',
  T: 'tools (products) detected in the fleet',
  U: 'upgrades of each tool a year',
  C: 'clusters',
  h_c: 'hours of work per cluster per upgrade',
  h_coord: 'hours of testing and coordination per upgrade',
  hours: 'hours a year assembling audit evidence across tools',
  vcpu: "vCPU requested by the tools' own pods (all copies)",
  memoryGib: "memory requested by the tools' own pods, GiB (all copies)",
  cpuPrice: 'price of a vCPU-hour',
  memoryPrice: 'price of a GiB-hour of memory',
};

/**
 * `v.toLocaleString('en-US')`, which builds a new Intl.NumberFormat on every call (ECMA-402:
 * toLocaleString(locales) is `new NumberFormat(locales).format(v)`): one formatter, made once.
 */
const EN_US = new Intl.NumberFormat('en-US');

/**
 * `EN_US.format(v)`. Safe integers (every dollar figure, rounded first) are grouped by hand: the
 * same text ("1,234,567", "-0"), without a call into ICU, which costs more than the rest of a
 * per-cluster line (a fleet priced on an assumption edit formats hundreds of them).
 */
export function grouped(v: number): string {
  if (!Number.isSafeInteger(v) || Object.is(v, -0)) return EN_US.format(v);
  const digits = String(v < 0 ? -v : v);
  let out = digits.length > 3 ? digits.slice(0, ((digits.length - 1) % 3) + 1) : digits;
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return v < 0 ? `-${out}` : out;
}

/** A value as a person reads it: whole numbers grouped, others to 4 significant digits. */
export function formatValue(v: number): string {
  if (Number.isInteger(v)) return grouped(v);
  if (Math.abs(v) >= 1000) return grouped(Math.round(v));
  return String(Number(v.toPrecision(4)));
}

/** Dollars with significant digits: "$91.35", "$0.004237" (never "$0.00" for a non-zero price). */
export function formatDollars(v: number): string {
  if (v !== 0 && Math.abs(v) < 1) return `$${Number(v.toPrecision(4))}`;
  if (Math.abs(v) < 100) return `$${v.toFixed(2)}`;
  return `$${grouped(Math.round(v))}`;
}

const MONEY_SYMBOLS = new Set(['R', 'D', 'licences', 'cpuPrice', 'memoryPrice']);

function symbolsOf(inputs: Record<string, number>): CostLine['symbols'] {
  return Object.entries(inputs).map(([symbol, value]) => ({
    symbol,
    meaning: SYMBOL_MEANINGS[symbol] ?? symbol,
    value,
  }));
}

/** Symbol patterns by symbol list (the lines use a handful of fixed symbol sets). */
const SYMBOL_PATTERNS = new Map<string, RegExp>();

/** The formula with every symbol replaced by its value. */
function substituted(formula: string, inputs: Record<string, number>): string {
  const names = Object.keys(inputs).sort((a, b) => b.length - a.length);
  if (!names.length) return formula;
  const source = `\\b(${names.join('|')})\\b`;
  let re = SYMBOL_PATTERNS.get(source);
  if (!re) {
    re = new RegExp(source, 'g');
    if (SYMBOL_PATTERNS.size < 64) SYMBOL_PATTERNS.set(source, re);
  }
  return formula.replace(re, (m) =>
    MONEY_SYMBOLS.has(m) ? formatDollars(inputs[m]!) : formatValue(inputs[m]!),
  );
}

/** The line's computation in words, with values; the seam factor is spelt out where it applies. */
function explain(
  id: string,
  formula: string,
  inputs: Record<string, number>,
  dollars: number,
): string[] {
  const out = [`${substituted(formula, inputs)} = ${formatDollars(dollars)} a year.`];
  if (inputs.R !== undefined)
    out.push(
      `R = loaded cost per engineer / 2080 h = ${formatDollars(inputs.R * HOURS_PER_YEAR)} / 2080 = ${formatDollars(inputs.R)} an hour.`,
    );
  if (inputs.I !== undefined && inputs.I_ref !== undefined) {
    const factor = inputs.I / inputs.I_ref;
    const scaled =
      id === 'glue' && inputs.g !== undefined
        ? ` The glue share entered (${formatValue(inputs.g * 100)}%) is multiplied by it: ${formatValue(inputs.g * 100)}% x ${formatValue(factor)} = ${formatValue(inputs.g * factor * 100)}% of the team's time.`
        : id === 'mttr'
          ? ` The extra time per incident is multiplied by it.`
          : '';
    out.push(
      `I / I_ref = ${formatValue(inputs.I)} / ${formatValue(inputs.I_ref)} = ${formatValue(factor)}: the fleet has ${formatValue(inputs.I)} integration seams where the reference stack has ${formatValue(inputs.I_ref)}.${scaled}`,
    );
  }
  return out;
}

interface LineSpec {
  id: string;
  label: string;
  dollars: number;
  formula: string;
  inputs: Record<string, number>;
  keys: (keyof CostAssumptions)[];
  note: string | null;
}

/** The licences of the structure's tools, added up in tool order. */
function licenceTotal(s: Structure): number {
  let sum = 0;
  for (const l of s.licences) sum += l;
  return sum;
}

/**
 * The lines' amounts in dollars, in line order (glue, MTTR, licensing, onboarding, upgrades,
 * compliance): the one place their arithmetic is written, read by lineSpecs (which adds the
 * formulas and inputs) and by taxLinesCents (totals of what-ifs, which need the amounts only).
 */
function lineDollars(
  s: Structure,
  a: CostAssumptions,
): [number, number, number, number, number, number] {
  const R = a.loadedSalary / HOURS_PER_YEAR;
  const T = s.tools;
  const I = s.seams;
  const seamFactor = I / a.seamReference;
  const licenceSum = licenceTotal(s);
  return [
    a.glueShare * a.engineers * HOURS_PER_YEAR * R * seamFactor,
    a.incidentsPerYear *
      a.extraMttrHours *
      seamFactor *
      (a.engineersPerIncident * R + a.customerImpactingFraction * a.downtimeCostPerHour),
    T >= 1 ? a.overlapShare * licenceSum : 0,
    a.hiresPerYear * a.rampWeeksPerExtraTool * Math.max(T - 1, 0) * 40 * R,
    T *
      a.upgradesPerToolPerYear *
      (s.clusters * a.hoursPerClusterPerUpgrade + a.coordinationHoursPerUpgrade) *
      R,
    T >= 1 ? a.complianceEvidenceHours * R : 0,
  ];
}

/** The tax lines' amounts, formulas and inputs (what taxLines renders). */
function lineSpecs(s: Structure, a: CostAssumptions): LineSpec[] {
  const R = a.loadedSalary / HOURS_PER_YEAR;
  const T = s.tools;
  const I = s.seams;
  const licenceSum = licenceTotal(s);
  const [glue, mttr, licensing, onboarding, upgrades, compliance] = lineDollars(s, a);
  const line = (
    id: string,
    label: string,
    dollars: number,
    formula: string,
    inputs: Record<string, number>,
    keys: (keyof CostAssumptions)[],
    note: string | null = null,
  ): LineSpec => ({ id, label, dollars, formula, inputs, keys, note });
  return [
    line(
      'glue',
      'Glue work',
      glue,
      'g x E x 2080 x R x (I / I_ref)',
      { g: a.glueShare, E: a.engineers, R, I, I_ref: a.seamReference },
      ['glueShare', 'engineers', 'loadedSalary', 'seamReference'],
    ),
    line(
      'mttr',
      'Extended MTTR',
      mttr,
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
      licensing,
      'o x sum(licence per tool)',
      { o: a.overlapShare, licences: licenceSum },
      ['overlapShare', 'licencePerTool'],
      licenceSum === 0 ? 'no licences entered (open source by default)' : null,
    ),
    line(
      'onboarding',
      'Onboarding drag',
      onboarding,
      'H x w x max(T - 1, 0) x 40 x R',
      { H: a.hiresPerYear, w: a.rampWeeksPerExtraTool, T, R },
      ['hiresPerYear', 'rampWeeksPerExtraTool', 'loadedSalary'],
    ),
    line(
      'upgrades',
      'Upgrade cost',
      upgrades,
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
      compliance,
      'compliance hours x R',
      { hours: a.complianceEvidenceHours, R },
      ['complianceEvidenceHours', 'loadedSalary'],
    ),
  ];
}

/** The five components (plus compliance evidence), each with formula, inputs and sources. */
export function taxLines(
  s: Structure,
  a: CostAssumptions,
  overrides: CostAssumptionOverrides = {},
): CostLine[] {
  return lineSpecs(s, a).map(({ id, label, dollars, formula, inputs, keys, note }): CostLine => ({
    id,
    label,
    cents: cents(dollars),
    formula,
    inputs,
    ...sourcesFor(keys, overrides),
    symbols: symbolsOf(inputs),
    explanation: explain(id, formula, inputs, Math.max(0, dollars)),
    note,
  }));
}

/** sumCents(taxLines(s, a)) without rendering the lines' texts (totals of what-ifs). */
function taxLinesCents(s: Structure, a: CostAssumptions): number {
  let sum = 0;
  for (const dollars of lineDollars(s, a)) sum += cents(dollars);
  return sum;
}

export function sumCents(lines: readonly CostLine[]): number {
  return lines.reduce((s, l) => s + l.cents, 0);
}

/** Reproduce a case from structure alone (the methodology's reference case, property tests). */
export function taxTotalCents(s: Structure, a: CostAssumptions): number {
  return taxLinesCents(s, a);
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
  /** The cluster's name, for its contribution to the tax (defaults to "cluster N"). */
  name?: string;
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
  /** Dollars a year per cluster (by index). */
  perCluster: number[];
}

/** One priced workload of a tool: its requests per copy and its copies. */
interface FootprintTerm {
  tool: string;
  cpu: number;
  mem: number;
  copies: number;
}

/** What one cluster's tools request, in the order the footprint adds it up. */
interface ClusterFootprint {
  terms: FootprintTerm[];
  /** DaemonSets of tools not priced: the node count is unknown. */
  unknownNodes: number;
  /**
   * The terms added up in whole units (micro-vCPU, bytes; exact): a fleet's footprint is the
   * sum of its clusters' in any order, and the fleet minus one cluster is that sum less its part.
   */
  microVcpu: number;
  bytes: number;
}

/** Whole units per vCPU and per GiB (cpu requests are in millicores at their finest). */
const MICRO_PER_VCPU = 1_000_000;
const BYTES_PER_GIB = 1024 ** 3;

function wholeUnits(terms: readonly FootprintTerm[]): { microVcpu: number; bytes: number } {
  let microVcpu = 0;
  let bytes = 0;
  for (const { cpu, mem, copies } of terms) {
    microVcpu += Math.round(cpu * MICRO_PER_VCPU) * copies;
    bytes += Math.round(mem * BYTES_PER_GIB) * copies;
  }
  return { microVcpu, bytes };
}

/** The component -> tool map the footprint prices by (it depends only on the tools' ids). */
function componentTools(tools: readonly Tool[]): Map<string, string> {
  const byComponent = new Map<string, string>();
  for (const t of tools) for (const c of t.components) byComponent.set(c, t.id);
  return byComponent;
}

/** One cluster's priced workloads (parsing the quantities is the costly part: done once). */
function clusterFootprint(
  { snapshot, detection }: ClusterInput,
  byComponent: ReadonlyMap<string, string>,
): ClusterFootprint {
  const terms: FootprintTerm[] = [];
  let unknownNodes = 0;
  const seen = new Set<string>();
  // The first workload by `Kind ns/name` (what a find over the list returns), built when needed.
  let byRef: Map<string, CostWorkload> | null = null;
  for (const comp of detection.components) {
    const tool = byComponent.get(comp.id);
    if (!tool || comp.status === 'remnant') continue;
    for (const ev of comp.evidence) {
      if (!byRef) {
        byRef = new Map();
        for (const x of snapshot.workloads) {
          const k = `${x.kind} ${x.namespace}/${x.name}`;
          if (!byRef.has(k)) byRef.set(k, x);
        }
      }
      const w = byRef.get(ev.ref);
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
      terms.push({ tool, cpu, mem, copies });
    }
  }
  return { terms, unknownNodes, ...wholeUnits(terms) };
}

/** A fleet's footprint in whole units (exact, whatever the order of its parts). */
interface FootprintTotals {
  microVcpu: number;
  bytes: number;
  unknownNodes: number;
}

function footprintTotals(parts: readonly ClusterFootprint[]): FootprintTotals {
  const t = { microVcpu: 0, bytes: 0, unknownNodes: 0 };
  for (const part of parts) {
    t.microVcpu += part.microVcpu;
    t.bytes += part.bytes;
    t.unknownNodes += part.unknownNodes;
  }
  return t;
}

/** The same totals without one cluster's part (exact: whole units subtract without error). */
function withoutPart(t: FootprintTotals, part: ClusterFootprint): FootprintTotals {
  return {
    microVcpu: t.microVcpu - part.microVcpu,
    bytes: t.bytes - part.bytes,
    unknownNodes: t.unknownNodes - part.unknownNodes,
  };
}

/** `footprint(parts, a).cents` from the totals, without the per-tool and per-cluster parts. */
function footprintCents(t: FootprintTotals, a: CostAssumptions): number | null {
  const vcpu = t.microVcpu / MICRO_PER_VCPU;
  const gib = t.bytes / BYTES_PER_GIB;
  const dollars =
    (vcpu * a.cpuPricePerVcpuHour + gib * a.memoryPricePerGibHour) * CLOCK_HOURS_PER_YEAR;
  return t.unknownNodes > 0 && vcpu === 0 && gib === 0 ? null : cents(dollars);
}

/**
 * A fleet's total as `sumCents(lines)` gives it: the tax lines of its structure plus, when
 * counted, its tools' own compute.
 */
function fleetTotalCents(s: Structure, totals: FootprintTotals, a: CostAssumptions): number {
  const fp = footprintCents(totals, a);
  return taxLinesCents(s, a) + (a.includeComputeFootprint && fp !== null ? fp : 0);
}

/**
 * The tools' own compute: requests x replicas (DaemonSets x nodes), priced per hour. The
 * totals are added up in whole units, so a fleet and the same fleet minus one cluster agree
 * exactly whichever way each is summed.
 */
function footprint(parts: readonly ClusterFootprint[], a: CostAssumptions): Footprint {
  const totals = footprintTotals(parts);
  const vcpu = totals.microVcpu / MICRO_PER_VCPU;
  const gib = totals.bytes / BYTES_PER_GIB;
  const { unknownNodes } = totals;
  const perTool = new Map<string, number>();
  const perCluster: number[] = [];
  for (const part of parts) {
    perCluster.push(0);
    for (const { tool, cpu, mem, copies } of part.terms) {
      const dollars =
        (cpu * a.cpuPricePerVcpuHour + mem * a.memoryPricePerGibHour) *
        copies *
        CLOCK_HOURS_PER_YEAR;
      perTool.set(tool, (perTool.get(tool) ?? 0) + dollars);
      perCluster[perCluster.length - 1]! += a.includeComputeFootprint ? dollars : 0;
    }
  }
  const reason =
    unknownNodes > 0
      ? `${unknownNodes} DaemonSet(s) not priced: node count unknown (declare it with --node-count)`
      : 'requests x replicas (DaemonSets x nodes), OpenCost prices, 8760 h a year';
  return {
    cents: footprintCents(totals, a),
    vcpu,
    memoryGib: gib,
    reason,
    perTool,
    perCluster,
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
interface FleetLines {
  tools: Tool[];
  seams: Seam[];
  lines: CostLine[];
  fp: Footprint;
  structure: (toolList: readonly Tool[], seamCount: number, asm: CostAssumptions) => Structure;
  /** The tools' ids in order, and each cluster's footprint part priced by them. */
  toolIds: string;
  parts: readonly ClusterFootprint[];
}

/** Tools, seams and the tax lines of one fleet (the organisation, or the organisation minus one cluster). */
function fleetLines(
  clusters: readonly ClusterInput[],
  a: CostAssumptions,
  overrides: CostAssumptionOverrides,
  /** Per-cluster footprint parts priced by `toolIds` (reused when the fleet has those tools). */
  known?: { toolIds: string; parts: readonly ClusterFootprint[] },
): FleetLines {
  const { tools, seams } = fleetTools(clusters, a);
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
  const toolIds = tools.map((t) => t.id).join(',');
  const parts = footprintParts(clusters, tools, toolIds, known);
  const fp = footprint(parts, a);
  const lines = taxLines(structure(tools, seams.length, a), a, overrides);
  if (a.includeComputeFootprint && fp.cents !== null) {
    const inputs = {
      vcpu: fp.vcpu,
      memoryGib: fp.memoryGib,
      cpuPrice: a.cpuPricePerVcpuHour,
      memoryPrice: a.memoryPricePerGibHour,
    };
    lines.push({
      id: 'footprint',
      label: 'Compute footprint of the tools',
      cents: fp.cents,
      formula: '(vcpu x cpuPrice + memoryGib x memoryPrice) x 8760 h',
      inputs,
      ...sourcesFor(['cpuPricePerVcpuHour', 'memoryPricePerGibHour'], overrides),
      symbols: symbolsOf(inputs),
      explanation: explain(
        'footprint',
        '(vcpu x cpuPrice + memoryGib x memoryPrice) x 8760 h',
        inputs,
        fp.cents / 100,
      ),
      note: fp.reason,
    });
  }
  return { tools, seams, lines, fp, structure, toolIds, parts };
}

/** The fleet's tools and its seams (detected, or every pair when so assumed). */
function fleetTools(
  clusters: readonly ClusterInput[],
  a: CostAssumptions,
): { tools: Tool[]; seams: Seam[] } {
  return toolSet(
    clusters.map((c) => c.detection),
    a,
  );
}

function toolSet(
  detections: readonly DetectionResult[],
  a: CostAssumptions,
): { tools: Tool[]; seams: Seam[] } {
  const { tools, seams: detectedSeams } = toolsOf(detections);
  const seams: Seam[] =
    a.seamCounting === 'pairwise'
      ? tools.flatMap((x, i) =>
          tools.slice(i + 1).map((y) => ({
            tools: [x.id, y.id] as [string, string],
            reason: 'pairwise (every tool with every tool)',
          })),
        )
      : detectedSeams;
  return { tools, seams };
}

function withIds(set: { tools: Tool[]; seams: Seam[] }) {
  return { ...set, toolIds: set.tools.map((t) => t.id).join(',') };
}

/**
 * One cluster's tools and seams, derived once per detection object and way of counting seams:
 * pricing a fleet prices each cluster alone too, again on every assumption edit. Only
 * fleetTotal reads them, and nothing it returns is changed by its callers.
 */
const clusterToolsCache = new WeakMap<
  DetectionResult,
  Map<CostAssumptions['seamCounting'], { tools: Tool[]; seams: Seam[]; toolIds: string }>
>();

function clusterTools(detection: DetectionResult, a: CostAssumptions) {
  let byCounting = clusterToolsCache.get(detection);
  if (!byCounting) clusterToolsCache.set(detection, (byCounting = new Map()));
  let set = byCounting.get(a.seamCounting);
  if (!set) {
    set = withIds(toolSet([detection], a));
    byCounting.set(a.seamCounting, set);
  }
  return set;
}

/** Each cluster's footprint terms, priced by the fleet's tools (reused when given for them). */
function footprintParts(
  clusters: readonly ClusterInput[],
  tools: readonly Tool[],
  toolIds: string,
  known?: { toolIds: string; parts: readonly ClusterFootprint[] },
): readonly ClusterFootprint[] {
  if (known && known.toolIds === toolIds) return known.parts;
  let byComponent: Map<string, string> | null = null;
  return clusters.map((c) => {
    // A cluster's terms depend on its detection, its workloads, its node count and the tools'
    // ids: reused while all four are the same (a fleet is priced again on every assumption edit).
    // By tool ids, then node count: no key string built per cluster (the tool ids are one
    // string for the whole fleet, whose hash is computed once).
    const nodeCount = c.snapshot.cluster.nodeCount;
    let byTools = partsCache.get(c.detection)?.get(c.snapshot.workloads);
    const hit = byTools?.get(toolIds)?.get(nodeCount);
    if (hit) return hit;
    const part = clusterFootprint(c, (byComponent ??= componentTools(tools)));
    if (!byTools) {
      byTools = new Map();
      let byWorkloads = partsCache.get(c.detection);
      if (!byWorkloads) partsCache.set(c.detection, (byWorkloads = new WeakMap()));
      byWorkloads.set(c.snapshot.workloads, byTools);
    }
    let byNodes = byTools.get(toolIds);
    if (!byNodes) {
      // A cluster is priced alone, in its fleet, and in the fleet minus a cluster that brings
      // its own tools: a few tool sets each; the oldest goes past eight.
      if (byTools.size >= 8) byTools.delete(byTools.keys().next().value!);
      byTools.set(toolIds, (byNodes = new Map()));
    }
    byNodes.set(nodeCount, part);
    return part;
  });
}

const partsCache = new WeakMap<
  DetectionResult,
  WeakMap<readonly CostWorkload[], Map<string, Map<number | null, ClusterFootprint>>>
>();

/**
 * A fleet's total, `sumCents(fleetLines(...).lines)`, without the lines' texts or breakdowns:
 * the fleet minus one cluster that brings tools of its own, or one cluster alone.
 */
function fleetTotal(
  clusters: readonly ClusterInput[],
  a: CostAssumptions,
  known?: { toolIds: string; parts: readonly ClusterFootprint[] },
): { tools: Tool[]; seams: Seam[]; totalCents: number } {
  const { tools, seams, toolIds } =
    clusters.length === 1
      ? clusterTools(clusters[0]!.detection, a)
      : withIds(fleetTools(clusters, a));
  const s: Structure = {
    tools: tools.length,
    seams: seams.length,
    clusters: clusters.length,
    licences: tools.map((t) => licenceOf(t.id, a)),
  };
  const parts = footprintParts(clusters, tools, toolIds, known);
  return { tools, seams, totalCents: fleetTotalCents(s, footprintTotals(parts), a) };
}

/**
 * Calico Cloud Pro list price, US$0.025 per vCPU-hour (docs.tigera.io/calico-cloud/operations/usage-metrics),
 * for a 4-vCPU node over 8760 h: the platform licence per node a year when no quote is entered.
 * The range prices 2-vCPU to 12-vCPU nodes.
 */
export const PLATFORM_LICENCE = {
  perVcpuHour: 0.025,
  vcpuPerNode: 4,
  vcpuPerNodeRange: [2, 12] as const,
  /** Nodes assumed for a cluster whose node count is unknown (the smallest HA control plane). */
  nodesWhenUnknown: 3,
} as const;

/** Nodes of the fleet, and how many clusters had to be assumed. */
function fleetNodes(clusters: readonly ClusterInput[]): { nodes: number; assumed: number } {
  let nodes = 0;
  let assumed = 0;
  for (const { snapshot } of clusters) {
    const n = snapshot.cluster.nodeCount;
    if (n === null) {
      assumed++;
      nodes += PLATFORM_LICENCE.nodesWhenUnknown;
    } else nodes += n;
  }
  return { nodes, assumed };
}

/** `computeIntegrationTax(clusters, overrides).totalCents`, without the breakdowns and texts. */
export function integrationTaxCents(
  clusters: readonly ClusterInput[],
  overrides: CostAssumptionOverrides = {},
): number {
  return fleetTotal(clusters, resolveAssumptions(overrides)).totalCents;
}

export function computeIntegrationTax(
  clusters: readonly ClusterInput[],
  overrides: CostAssumptionOverrides = {},
): IntegrationTax {
  const a = resolveAssumptions(overrides);
  const {
    tools,
    seams,
    lines,
    fp,
    structure,
    toolIds,
    parts: fleetParts,
  } = fleetLines(clusters, a, overrides);
  const T = tools.length;
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
    taxLinesCents(structure(tools, seams.length, asm), asm) +
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
  const consolidatedTaxCents = taxLinesCents(
    {
      tools: Tc,
      seams: (Tc * (Tc - 1)) / 2,
      clusters: clusters.length,
      licences: Array.from({ length: Tc }, () => 0),
    },
    consolidatedAssumptions,
  );
  const licenceSpendCents = tools.reduce((s, t) => s + cents(licenceOf(t.id, a)), 0);
  const quoted = a.consolidatedPlatformLicence > 0;
  const { nodes, assumed } = fleetNodes(clusters);
  const perNodeYear = (vcpu: number) => PLATFORM_LICENCE.perVcpuHour * vcpu * CLOCK_HOURS_PER_YEAR;
  const platformLicenceCents = quoted
    ? cents(a.consolidatedPlatformLicence)
    : cents(perNodeYear(PLATFORM_LICENCE.vcpuPerNode) * nodes);
  const nodesText = `${nodes} node${nodes === 1 ? '' : 's'}${assumed ? ` (${PLATFORM_LICENCE.nodesWhenUnknown} assumed for each of ${assumed} cluster${assumed === 1 ? '' : 's'} with an unknown node count)` : ''}`;
  const platformLicenceBasis = quoted
    ? 'the licence entered by the organisation'
    : `estimated: list price $${PLATFORM_LICENCE.perVcpuHour} per vCPU-hour (Calico Cloud Pro) x ${PLATFORM_LICENCE.vcpuPerNode} vCPU per node x 8760 h = ${formatDollars(perNodeYear(PLATFORM_LICENCE.vcpuPerNode))} per node a year, x ${nodesText}; enter your quote to replace it`;
  const migrationCostCents = cents(a.migrationCost);
  const scenario = (licenceCents: number) => {
    const savings = totalCents + licenceSpendCents - (consolidatedTaxCents + licenceCents);
    return {
      annualSavingsCents: savings,
      threeYearRoi:
        migrationCostCents > 0
          ? Math.round(((3 * savings - migrationCostCents) / migrationCostCents) * 1000) / 1000
          : null,
      paybackMonths:
        savings > 0 ? Math.round((migrationCostCents / (savings / 12)) * 10) / 10 : null,
    };
  };
  const [lowVcpu, highVcpu] = PLATFORM_LICENCE.vcpuPerNodeRange;
  const lowCents = cents(perNodeYear(lowVcpu) * nodes);
  const highCents = cents(perNodeYear(highVcpu) * nodes);
  const low = scenario(lowCents);
  const high = scenario(highCents);
  const consolidation = {
    consolidatedTools: Tc,
    consolidatedTaxCents,
    platformLicenceCents,
    migrationCostCents,
    ...scenario(platformLicenceCents),
    platformLicenceBasis,
    platformLicenceRange: quoted
      ? null
      : {
          lowCents,
          highCents,
          threeYearRoi: [high.threeYearRoi, low.threeYearRoi] as [number | null, number | null],
          paybackMonths: [low.paybackMonths, high.paybackMonths] as [number | null, number | null],
          basis: `the same list price for ${lowVcpu}-vCPU to ${highVcpu}-vCPU nodes (${formatDollars(perNodeYear(lowVcpu))} to ${formatDollars(perNodeYear(highVcpu))} per node a year)`,
        },
  };

  // Per cluster: the tax of the fleet minus the tax without it, and what it brings.
  // How many clusters run each product (and Calico policy-only): a cluster whose products all
  // run elsewhere too leaves the fleet's tools and seams as they are when it is left out.
  const productClusters = new Map<string, number>();
  let policyOnlyClusters = 0;
  for (const c of clusters) {
    const p = productsOf(c.detection);
    for (const id of p.ids) productClusters.set(id, (productClusters.get(id) ?? 0) + 1);
    if (p.policyOnly) policyOnlyClusters++;
  }
  const licences = tools.map((t) => licenceOf(t.id, a));
  const fleetTotals = footprintTotals(fleetParts);
  const perCluster = clusters.map((c, i) => {
    const own = productsOf(c.detection);
    const keepsTools =
      own.ids.every((id) => productClusters.get(id)! > 1) &&
      (!own.policyOnly || policyOnlyClusters > 1);
    // The fleet minus this cluster. When it keeps the same tools (the common case), only C and
    // the footprint change: the fleet's totals less this cluster's part (O(1) per cluster).
    // Otherwise its tools and seams are derived again.
    let without: { tools: readonly Tool[]; seams: readonly Seam[]; totalCents: number } | null =
      null;
    if (clusters.length > 1 && keepsTools) {
      without = {
        tools,
        seams,
        totalCents: fleetTotalCents(
          { tools: tools.length, seams: seams.length, clusters: clusters.length - 1, licences },
          withoutPart(fleetTotals, fleetParts[i]!),
          a,
        ),
      };
    } else if (clusters.length > 1)
      without = fleetTotal(
        clusters.filter((_, j) => j !== i),
        a,
        { toolIds, parts: fleetParts.filter((_, j) => j !== i) },
      );
    const withoutCents = without?.totalCents ?? 0;
    const addsTools = tools
      .filter((t) => !without?.tools.some((x) => x.id === t.id))
      .map((t) => t.id)
      .sort();
    const addsSeams = Math.max(0, seams.length - (without?.seams.length ?? 0));
    const marginalCents = totalCents - withoutCents;
    const parts: string[] = [];
    if (addsTools.length)
      parts.push(
        `brings ${addsTools.length} tool(s) no other cluster runs (${addsTools.join(', ')})`,
      );
    if (addsSeams)
      parts.push(
        `adds ${addsSeams} integration seam(s) (${seams.length - addsSeams} -> ${seams.length})`,
      );
    if (!addsTools.length && !addsSeams) parts.push('runs only tools other clusters already run');
    parts.push('counts once more in upgrade hours (C)');
    if (fp.perCluster[i])
      parts.push(`its tools' pods request compute (${formatDollars(fp.perCluster[i]!)} a year)`);
    return {
      cluster: c.name ?? `cluster ${i + 1}`,
      marginalCents,
      addsTools,
      addsSeams,
      why: `${formatDollars(marginalCents / 100)} a year: ${parts.join('; ')}. Glue work and extended MTTR grow with the seams (I), onboarding with the tools (T).`,
    };
  });

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
          taxLinesCents(structure(remaining, remainingSeams.length, a), a) +
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
    perCluster: perCluster.sort(
      (x, y) => y.marginalCents - x.marginalCents || x.cluster.localeCompare(y.cluster),
    ),
    whatIfs: whatIfs.sort(
      (x, y) => y.savesCents - x.savesCents || (x.removesTool < y.removesTool ? -1 : 1),
    ),
    assumptions: a,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
