import type {
  AssumptionRange,
  CostAssumptionOverrides,
  CostAssumptions,
  CostResponse,
  RangedAssumption,
} from '@plumbline/contracts';
import { formatMoney } from '../../../format';
import { ASSUMPTION_RANGES } from '../../../vocabulary';

/**
 * The cost assumptions as the editor shows them: a label and unit for each, how it is typed in,
 * and the bounds the API's contract (`costAssumptionsSchema`) enforces, checked in the browser
 * so a mistake is explained before saving (`assumptions.test.ts` keeps the bounds in step with
 * the contract).
 */

export type AssumptionKey = keyof CostAssumptions;
export type AssumptionValue = CostAssumptions[AssumptionKey];

export type AssumptionKind =
  /** A count or hours: any number within the bounds. */
  | 'number'
  /** A whole number. */
  | 'integer'
  /** Dollars (not cents), as the model takes them. */
  | 'money'
  /** A share 0-1, typed in as a percentage. */
  | 'percent'
  | 'choice'
  | 'boolean'
  /** Dollars per tool. */
  | 'per-tool';

export interface AssumptionMeta {
  key: AssumptionKey;
  label: string;
  /** Shown after the value: "per year", "hours". */
  unit?: string;
  kind: AssumptionKind;
  group: string;
  min?: number;
  max?: number;
  /** Strictly above `min`. */
  exclusiveMin?: boolean;
  choices?: readonly { value: string; label: string }[];
}

export const ASSUMPTION_GROUPS = [
  'Platform team',
  'Incidents',
  'Licences',
  'Onboarding and upgrades',
  'Compute footprint',
  'Consolidation',
  'VM platform',
] as const;

/** The bounds of an assumption, from the contract's plausible ranges (the API enforces the same). */
function bounds(key: RangedAssumption): Pick<AssumptionMeta, 'min' | 'max' | 'exclusiveMin'> {
  const r: AssumptionRange = ASSUMPTION_RANGES[key];
  return r.exclusiveMin
    ? { min: r.min, max: r.max, exclusiveMin: true }
    : { min: r.min, max: r.max };
}

export const ASSUMPTIONS: readonly AssumptionMeta[] = [
  {
    key: 'engineers',
    label: 'Platform engineers',
    kind: 'number',
    group: 'Platform team',
    ...bounds('engineers'),
  },
  {
    key: 'loadedSalary',
    label: 'Loaded cost per engineer',
    unit: 'per year',
    kind: 'money',
    group: 'Platform team',
    ...bounds('loadedSalary'),
  },
  {
    key: 'glueShare',
    label: 'Time spent on integration glue',
    kind: 'percent',
    group: 'Platform team',
    ...bounds('glueShare'),
  },
  {
    key: 'seamReference',
    label: 'Seams in the reference stack',
    unit: 'seams',
    kind: 'number',
    group: 'Platform team',
    ...bounds('seamReference'),
  },
  {
    key: 'seamCounting',
    label: 'How seams are counted',
    kind: 'choice',
    group: 'Platform team',
    choices: [
      { value: 'detected', label: 'from the detected stack' },
      { value: 'pairwise', label: 'every pair of tools' },
    ],
  },
  {
    key: 'incidentsPerYear',
    label: 'Cross-tool incidents',
    unit: 'per year',
    kind: 'number',
    group: 'Incidents',
    ...bounds('incidentsPerYear'),
  },
  {
    key: 'extraMttrHours',
    label: 'Extra time to resolve one',
    unit: 'hours',
    kind: 'number',
    group: 'Incidents',
    ...bounds('extraMttrHours'),
  },
  {
    key: 'engineersPerIncident',
    label: 'Engineers on an incident',
    kind: 'number',
    group: 'Incidents',
    ...bounds('engineersPerIncident'),
  },
  {
    key: 'customerImpactingFraction',
    label: 'Incidents that reach customers',
    kind: 'percent',
    group: 'Incidents',
    ...bounds('customerImpactingFraction'),
  },
  {
    key: 'downtimeCostPerHour',
    label: 'Cost of an hour of downtime',
    kind: 'money',
    group: 'Incidents',
    ...bounds('downtimeCostPerHour'),
  },
  {
    key: 'licencePerTool',
    label: 'Licence per tool',
    unit: 'per year',
    kind: 'money',
    group: 'Licences',
    ...bounds('licencePerTool'),
  },
  {
    key: 'licenceByTool',
    label: 'Licence of a particular tool',
    unit: 'per year',
    kind: 'per-tool',
    group: 'Licences',
    ...bounds('licenceByTool'),
  },
  {
    key: 'overlapShare',
    label: 'Licence spend on overlapping capability',
    kind: 'percent',
    group: 'Licences',
    ...bounds('overlapShare'),
  },
  {
    key: 'hiresPerYear',
    label: 'Platform hires',
    unit: 'per year',
    kind: 'number',
    group: 'Onboarding and upgrades',
    ...bounds('hiresPerYear'),
  },
  {
    key: 'rampWeeksPerExtraTool',
    label: 'Extra ramp-up per additional tool',
    unit: 'weeks',
    kind: 'number',
    group: 'Onboarding and upgrades',
    ...bounds('rampWeeksPerExtraTool'),
  },
  {
    key: 'upgradesPerToolPerYear',
    label: 'Upgrades of each tool',
    unit: 'per year',
    kind: 'number',
    group: 'Onboarding and upgrades',
    ...bounds('upgradesPerToolPerYear'),
  },
  {
    key: 'hoursPerClusterPerUpgrade',
    label: 'Work per cluster per upgrade',
    unit: 'hours',
    kind: 'number',
    group: 'Onboarding and upgrades',
    ...bounds('hoursPerClusterPerUpgrade'),
  },
  {
    key: 'coordinationHoursPerUpgrade',
    label: 'Testing and coordination per upgrade',
    unit: 'hours',
    kind: 'number',
    group: 'Onboarding and upgrades',
    ...bounds('coordinationHoursPerUpgrade'),
  },
  {
    key: 'complianceEvidenceHours',
    label: 'Assembling audit evidence across tools',
    unit: 'hours a year',
    kind: 'number',
    group: 'Onboarding and upgrades',
    ...bounds('complianceEvidenceHours'),
  },
  {
    key: 'includeComputeFootprint',
    label: 'Count the tools’ own CPU and memory',
    kind: 'boolean',
    group: 'Compute footprint',
  },
  {
    key: 'cpuPricePerVcpuHour',
    label: 'CPU price',
    unit: 'per vCPU-hour',
    kind: 'money',
    group: 'Compute footprint',
    ...bounds('cpuPricePerVcpuHour'),
  },
  {
    key: 'memoryPricePerGibHour',
    label: 'Memory price',
    unit: 'per GiB-hour',
    kind: 'money',
    group: 'Compute footprint',
    ...bounds('memoryPricePerGibHour'),
  },
  {
    key: 'consolidatedTools',
    label: 'Tools after consolidation',
    kind: 'integer',
    group: 'Consolidation',
    ...bounds('consolidatedTools'),
  },
  {
    key: 'consolidatedPlatformLicence',
    label: 'Licence of the consolidated platform',
    unit: 'per year',
    kind: 'money',
    group: 'Consolidation',
    ...bounds('consolidatedPlatformLicence'),
  },
  {
    key: 'migrationCost',
    label: 'One-off migration cost',
    kind: 'money',
    group: 'Consolidation',
    ...bounds('migrationCost'),
  },
  {
    key: 'vmPlatformFtes',
    label: 'Engineers duplicated while VMs and containers run side by side',
    kind: 'number',
    group: 'VM platform',
    ...bounds('vmPlatformFtes'),
  },
  {
    key: 'hypervisorLicencePerVm',
    label: 'Hypervisor licence per VM',
    unit: 'per year',
    kind: 'money',
    group: 'VM platform',
    ...bounds('hypervisorLicencePerVm'),
  },
];

export const ASSUMPTION_BY_KEY: ReadonlyMap<string, AssumptionMeta> = new Map(
  ASSUMPTIONS.map((a) => [a.key, a]),
);

/** An assumption's label, or the key itself for one this version does not know. */
export function assumptionLabel(key: string): string {
  return ASSUMPTION_BY_KEY.get(key)?.label ?? key;
}

/** What the form holds: text as typed, a checkbox, or text per tool. */
export type RawValue = string | boolean | Readonly<Record<string, string>>;

/** 0.1 -> "10"; floating-point noise is trimmed. */
function percentText(v: number): string {
  return String(Number((v * 100).toPrecision(12)));
}

/** A value as the form shows it. */
export function toRaw(meta: AssumptionMeta, value: AssumptionValue): RawValue {
  if (meta.kind === 'boolean') return value === true;
  if (meta.kind === 'per-tool') {
    const rec = (typeof value === 'object' && value !== null ? value : {}) as Record<
      string,
      number
    >;
    return Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, String(v)]));
  }
  if (meta.kind === 'percent' && typeof value === 'number') return percentText(value);
  return String(value);
}

export type Parsed = { ok: true; value: AssumptionValue } | { ok: false; error: string };

function boundsError(meta: AssumptionMeta, n: number, shown: (v: number) => string): string | null {
  const { min, max, exclusiveMin } = meta;
  if (min !== undefined && (exclusiveMin ? n <= min : n < min)) {
    return exclusiveMin ? `must be more than ${shown(min)}` : `must be at least ${shown(min)}`;
  }
  if (max !== undefined && n > max) return `must be at most ${shown(max)}`;
  return null;
}

function parseNumber(text: string): number | null {
  const t = text.trim().replace(/[$,\s]/g, '');
  if (t === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** Check and convert what was typed; the error says what is wrong in words. */
export function parseRaw(meta: AssumptionMeta, raw: RawValue): Parsed {
  switch (meta.kind) {
    case 'boolean':
      return { ok: true, value: raw === true };
    case 'choice': {
      const choice = meta.choices?.find((c) => c.value === raw);
      return choice
        ? { ok: true, value: choice.value as AssumptionValue }
        : { ok: false, error: 'choose one of the options' };
    }
    case 'per-tool': {
      const out: Record<string, number> = {};
      for (const [tool, text] of Object.entries(raw as Record<string, string>)) {
        if (text.trim() === '') continue;
        const n = parseNumber(text);
        if (n === null) return { ok: false, error: `${tool}: enter a number of dollars` };
        const err = boundsError(meta, n, (v) => formatMoney(v * 100));
        if (err) return { ok: false, error: `${tool}: ${err}` };
        out[tool] = n;
      }
      return { ok: true, value: out };
    }
    case 'percent': {
      const n = parseNumber(raw as string);
      if (n === null) return { ok: false, error: 'enter a percentage, e.g. 10' };
      const err = boundsError(meta, n / 100, (v) => `${v * 100}%`);
      return err ? { ok: false, error: err } : { ok: true, value: n / 100 };
    }
    default: {
      const n = parseNumber(raw as string);
      if (n === null)
        return {
          ok: false,
          error: meta.kind === 'money' ? 'enter an amount in dollars' : 'enter a number',
        };
      if (meta.kind === 'integer' && !Number.isInteger(n)) {
        return { ok: false, error: 'must be a whole number' };
      }
      const err = boundsError(meta, n, (v) =>
        meta.kind === 'money' ? formatMoney(v * 100) : String(v),
      );
      return err ? { ok: false, error: err } : { ok: true, value: n };
    }
  }
}

/** A value in words: "$190,000", "10%", "detected", "yes". */
export function formatAssumption(meta: AssumptionMeta, value: AssumptionValue | undefined): string {
  if (value === undefined) return '—';
  switch (meta.kind) {
    case 'boolean':
      return value ? 'yes' : 'no';
    case 'choice':
      return meta.choices?.find((c) => c.value === value)?.label ?? String(value);
    case 'percent':
      return `${percentText(value as number)}%`;
    case 'money': {
      const n = value as number;
      return n !== 0 && Math.abs(n) < 1 ? `$${n}` : formatMoney(Math.round(n * 100));
    }
    case 'per-tool': {
      const entries = Object.entries(value as Record<string, number>);
      return entries.length
        ? entries.map(([t, v]) => `${t} ${formatMoney(Math.round(v * 100))}`).join(', ')
        : 'none entered';
    }
    default:
      return String(value);
  }
}

/** One row of the form: what is typed, and whether it overrides the default. */
export interface FieldState {
  raw: RawValue;
  overridden: boolean;
}
export type FormState = Readonly<Record<string, FieldState>>;

type Assumptions = CostResponse['assumptions'];

/** The form as the organisation's current assumptions fill it. */
export function initialForm(assumptions: Assumptions): FormState {
  const overridden = new Set(Object.keys(assumptions.overrides));
  const out: Record<string, FieldState> = {};
  for (const meta of ASSUMPTIONS) {
    out[meta.key] = {
      raw: toRaw(meta, assumptions.effective[meta.key]),
      overridden: overridden.has(meta.key),
    };
  }
  return out;
}

/** The default of an assumption as the API lists it. */
export function defaultOf(assumptions: Assumptions, key: string): AssumptionValue | undefined {
  return assumptions.defaults.find((d) => d.key === key)?.default as AssumptionValue | undefined;
}

/**
 * The overrides to send (every field marked as overriding its default), or the errors to show
 * first, by key.
 */
export function buildOverrides(
  form: FormState,
):
  { ok: true; overrides: CostAssumptionOverrides } | { ok: false; errors: Record<string, string> } {
  const overrides: Record<string, AssumptionValue> = {};
  const errors: Record<string, string> = {};
  for (const meta of ASSUMPTIONS) {
    const field = form[meta.key];
    if (!field?.overridden) continue;
    const parsed = parseRaw(meta, field.raw);
    if (parsed.ok) overrides[meta.key] = parsed.value;
    else errors[meta.key] = parsed.error;
  }
  return Object.keys(errors).length
    ? { ok: false, errors }
    : { ok: true, overrides: overrides as CostAssumptionOverrides };
}
