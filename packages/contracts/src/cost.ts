import { z } from 'zod';
import { text } from './text.js';

/**
 * The integration tax: the yearly cost of running a DIY networking/security stack, with every
 * input, formula and source visible. Money is in integer cents.
 */

/**
 * The plausible range of every numeric cost assumption: the API refuses (422) a value outside it
 * and the web editor checks the same bounds. Wide enough for any real organisation, narrow enough
 * that a typo (or `1e300`) cannot produce a meaningless tax. Documented, with the reasoning, in
 * docs/methodology/integration-tax.md ("Plausible ranges").
 */
export interface AssumptionRange {
  min: number;
  max: number;
  /** Strictly above `min`. */
  exclusiveMin?: boolean;
  integer?: boolean;
}

export const COST_ASSUMPTION_RANGES = {
  engineers: { min: 0, max: 10_000 },
  loadedSalary: { min: 0, max: 2_000_000 },
  glueShare: { min: 0, max: 1 },
  seamReference: { min: 0, max: 1_000, exclusiveMin: true },
  incidentsPerYear: { min: 0, max: 10_000 },
  extraMttrHours: { min: 0, max: 720 },
  engineersPerIncident: { min: 0, max: 500 },
  customerImpactingFraction: { min: 0, max: 1 },
  downtimeCostPerHour: { min: 0, max: 100_000_000 },
  licencePerTool: { min: 0, max: 100_000_000 },
  licenceByTool: { min: 0, max: 100_000_000 },
  overlapShare: { min: 0, max: 1 },
  hiresPerYear: { min: 0, max: 10_000 },
  rampWeeksPerExtraTool: { min: 0, max: 52 },
  upgradesPerToolPerYear: { min: 0, max: 365 },
  hoursPerClusterPerUpgrade: { min: 0, max: 1_000 },
  coordinationHoursPerUpgrade: { min: 0, max: 10_000 },
  cpuPricePerVcpuHour: { min: 0, max: 10 },
  memoryPricePerGibHour: { min: 0, max: 10 },
  complianceEvidenceHours: { min: 0, max: 100_000 },
  consolidatedTools: { min: 0, max: 50, integer: true },
  consolidatedPlatformLicence: { min: 0, max: 100_000_000 },
  migrationCost: { min: 0, max: 1_000_000_000 },
  vmPlatformFtes: { min: 0, max: 1_000 },
  hypervisorLicencePerVm: { min: 0, max: 1_000_000 },
} as const satisfies Record<string, AssumptionRange>;
export type RangedAssumption = keyof typeof COST_ASSUMPTION_RANGES;

/** A finite number within the assumption's plausible range; the message names the range. */
function ranged(key: RangedAssumption) {
  const r: AssumptionRange = COST_ASSUMPTION_RANGES[key];
  let n = z.number().finite();
  if (r.integer) n = n.int();
  n = r.exclusiveMin
    ? n.gt(r.min, { message: `must be more than ${r.min} (plausible range for ${key})` })
    : n.min(r.min, { message: `must be at least ${r.min} (plausible range for ${key})` });
  return n.max(r.max, { message: `must be at most ${r.max} (plausible range for ${key})` });
}

export const costAssumptionsSchema = z
  .object({
    engineers: ranged('engineers'),
    loadedSalary: ranged('loadedSalary'),
    glueShare: ranged('glueShare'),
    seamReference: ranged('seamReference'),
    seamCounting: z.enum(['detected', 'pairwise']),
    incidentsPerYear: ranged('incidentsPerYear'),
    extraMttrHours: ranged('extraMttrHours'),
    engineersPerIncident: ranged('engineersPerIncident'),
    customerImpactingFraction: ranged('customerImpactingFraction'),
    downtimeCostPerHour: ranged('downtimeCostPerHour'),
    licencePerTool: ranged('licencePerTool'),
    licenceByTool: z
      .record(text().min(1).max(64), ranged('licenceByTool'))
      .refine((r) => Object.keys(r).length <= 100, 'at most 100 tools'),
    overlapShare: ranged('overlapShare'),
    hiresPerYear: ranged('hiresPerYear'),
    rampWeeksPerExtraTool: ranged('rampWeeksPerExtraTool'),
    upgradesPerToolPerYear: ranged('upgradesPerToolPerYear'),
    hoursPerClusterPerUpgrade: ranged('hoursPerClusterPerUpgrade'),
    coordinationHoursPerUpgrade: ranged('coordinationHoursPerUpgrade'),
    cpuPricePerVcpuHour: ranged('cpuPricePerVcpuHour'),
    memoryPricePerGibHour: ranged('memoryPricePerGibHour'),
    complianceEvidenceHours: ranged('complianceEvidenceHours'),
    includeComputeFootprint: z.boolean(),
    consolidatedTools: ranged('consolidatedTools'),
    /** The consolidated platform's yearly licence as quoted; 0 = estimated from a list price per node. */
    consolidatedPlatformLicence: ranged('consolidatedPlatformLicence'),
    migrationCost: ranged('migrationCost'),
    /** Dual VM + container platform add-on (when VMs exist). */
    vmPlatformFtes: ranged('vmPlatformFtes'),
    hypervisorLicencePerVm: ranged('hypervisorLicencePerVm'),
  })
  .strict();
export type CostAssumptions = z.infer<typeof costAssumptionsSchema>;

/** Partial overrides, as stored per organisation or given with `--assumptions`. */
export const costAssumptionOverridesSchema = costAssumptionsSchema.partial().strict();
export type CostAssumptionOverrides = z.infer<typeof costAssumptionOverridesSchema>;

export const costLineSchema = z
  .object({
    id: text(),
    label: text(),
    cents: z.number().int().nonnegative(),
    formula: text(),
    /** Every input of the formula with its value. */
    inputs: z.record(text(), z.number()),
    /** Where each default comes from (only for inputs left at their default). */
    sources: z.record(text(), text()),
    /** The assumptions of this line the organisation entered (not at their default). */
    entered: z.array(z.string()).default([]),
    /** Every symbol of the formula: what it stands for and its value. */
    symbols: z
      .array(z.object({ symbol: z.string(), meaning: z.string(), value: z.number() }).strict())
      .default([]),
    /** The computation in words, with the values (e.g. how I / I_ref scales the entered share). */
    explanation: z.array(z.string()).default([]),
    note: text().nullable(),
  })
  .strict();
export type CostLine = z.infer<typeof costLineSchema>;

export const toolSchema = z
  .object({
    id: text(),
    name: text(),
    layer: text(),
    components: z.array(text()),
    clusters: z.number().int().nonnegative(),
  })
  .strict();
export type Tool = z.infer<typeof toolSchema>;

export const seamSchema = z.object({ tools: z.tuple([text(), text()]), reason: text() }).strict();
export type Seam = z.infer<typeof seamSchema>;

export const integrationTaxSchema = z
  .object({
    modelVersion: text(),
    clusters: z.number().int().nonnegative(),
    tools: z.array(toolSchema),
    seams: z.array(seamSchema),
    seamCount: z.number().int().nonnegative(),
    lines: z.array(costLineSchema),
    totalCents: z.number().int().nonnegative(),
    footprint: z
      .object({
        cents: z.number().int().nonnegative().nullable(),
        vcpu: z.number().nonnegative(),
        memoryGib: z.number().nonnegative(),
        reason: text(),
      })
      .strict(),
    perTool: z.array(z.object({ tool: text(), cents: z.number().int() }).strict()),
    perSeam: z.array(
      z.object({ tools: z.tuple([text(), text()]), cents: z.number().int() }).strict(),
    ),
    sensitivity: z.array(
      z
        .object({
          input: text(),
          lowCents: z.number().int(),
          highCents: z.number().int(),
          swingCents: z.number().int(),
        })
        .strict(),
    ),
    consolidation: z
      .object({
        consolidatedTools: z.number().int(),
        consolidatedTaxCents: z.number().int(),
        platformLicenceCents: z.number().int(),
        annualSavingsCents: z.number().int(),
        migrationCostCents: z.number().int(),
        threeYearRoi: z.number().nullable(),
        paybackMonths: z.number().nullable(),
        /** Where the platform licence comes from (a quote entered, or a list price x nodes). */
        platformLicenceBasis: z.string().default(''),
        /**
         * The scenario over the plausible range of the platform licence (only when it is
         * estimated): return and payback at the low and high licence.
         */
        platformLicenceRange: z
          .object({
            lowCents: z.number().int(),
            highCents: z.number().int(),
            threeYearRoi: z.tuple([z.number().nullable(), z.number().nullable()]),
            paybackMonths: z.tuple([z.number().nullable(), z.number().nullable()]),
            basis: z.string(),
          })
          .strict()
          .nullable()
          .default(null),
      })
      .strict(),
    /**
     * What each cluster adds to the organisation's tax: the tax with the fleet minus the tax
     * without that cluster, and why (the tools and seams only it brings, its share of upgrades,
     * its footprint). The contributions need not add up to the total (tools shared by several
     * clusters are in nobody's marginal share).
     */
    perCluster: z
      .array(
        z
          .object({
            cluster: z.string(),
            marginalCents: z.number().int(),
            addsTools: z.array(z.string()),
            addsSeams: z.number().int().nonnegative(),
            why: z.string(),
          })
          .strict(),
      )
      .default([]),
    whatIfs: z.array(
      z.object({ action: text(), removesTool: text(), savesCents: z.number().int() }).strict(),
    ),
    assumptions: costAssumptionsSchema,
  })
  .strict();
export type IntegrationTax = z.infer<typeof integrationTaxSchema>;
