import { z } from 'zod';
import { text } from './text.js';

/**
 * The integration tax: the yearly cost of running a DIY networking/security stack, with every
 * input, formula and source visible. Money is in integer cents.
 */

export const costAssumptionsSchema = z
  .object({
    engineers: z.number().nonnegative(),
    loadedSalary: z.number().nonnegative(),
    glueShare: z.number().min(0).max(1),
    seamReference: z.number().positive(),
    seamCounting: z.enum(['detected', 'pairwise']),
    incidentsPerYear: z.number().nonnegative(),
    extraMttrHours: z.number().nonnegative(),
    engineersPerIncident: z.number().nonnegative(),
    customerImpactingFraction: z.number().min(0).max(1),
    downtimeCostPerHour: z.number().nonnegative(),
    licencePerTool: z.number().nonnegative(),
    licenceByTool: z.record(text(), z.number().nonnegative()),
    overlapShare: z.number().min(0).max(1),
    hiresPerYear: z.number().nonnegative(),
    rampWeeksPerExtraTool: z.number().nonnegative(),
    upgradesPerToolPerYear: z.number().nonnegative(),
    hoursPerClusterPerUpgrade: z.number().nonnegative(),
    coordinationHoursPerUpgrade: z.number().nonnegative(),
    cpuPricePerVcpuHour: z.number().nonnegative(),
    memoryPricePerGibHour: z.number().nonnegative(),
    complianceEvidenceHours: z.number().nonnegative(),
    includeComputeFootprint: z.boolean(),
    consolidatedTools: z.number().int().nonnegative(),
    consolidatedPlatformLicence: z.number().nonnegative(),
    migrationCost: z.number().nonnegative(),
    /** Dual VM + container platform add-on (when VMs exist). */
    vmPlatformFtes: z.number().nonnegative(),
    hypervisorLicencePerVm: z.number().nonnegative(),
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
      })
      .strict(),
    whatIfs: z.array(
      z.object({ action: text(), removesTool: text(), savesCents: z.number().int() }).strict(),
    ),
    assumptions: costAssumptionsSchema,
  })
  .strict();
export type IntegrationTax = z.infer<typeof integrationTaxSchema>;
