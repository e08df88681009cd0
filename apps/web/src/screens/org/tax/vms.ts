/**
 * VM migration readiness as `GET /cost` carries it (`vms`, typed `unknown` in the contract: it
 * comes from the roll-up as stored). Read defensively: a shape this version does not know is
 * reported in words instead of breaking the page.
 */

export interface VmRow {
  vm: string;
  source: string;
  dependencies: number;
  riskScore: number;
  teamsL2: string[];
  teamsL3: string[];
  keepsIpWithL2: boolean;
  reasons: string[];
}

export interface VmReadiness {
  vms: VmRow[];
  approvalQuestions: { question: string; answer: string; vms: string[] }[];
  dualPlatformCents: number;
  dualPlatformFormula: string;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

function isVmRow(v: unknown): v is VmRow {
  return (
    isObj(v) &&
    typeof v.vm === 'string' &&
    typeof v.source === 'string' &&
    typeof v.dependencies === 'number' &&
    typeof v.riskScore === 'number' &&
    isStrings(v.teamsL2) &&
    isStrings(v.teamsL3) &&
    typeof v.keepsIpWithL2 === 'boolean' &&
    isStrings(v.reasons)
  );
}

/** The VM section's data, or null when the API sent none; throws on a shape it cannot read. */
export function readVms(value: unknown): VmReadiness | null {
  if (value === null || value === undefined) return null;
  if (
    !isObj(value) ||
    !Array.isArray(value.vms) ||
    !value.vms.every(isVmRow) ||
    !Array.isArray(value.approvalQuestions) ||
    !value.approvalQuestions.every(
      (q) =>
        isObj(q) &&
        typeof q.question === 'string' &&
        typeof q.answer === 'string' &&
        isStrings(q.vms),
    ) ||
    typeof value.dualPlatformCents !== 'number' ||
    typeof value.dualPlatformFormula !== 'string'
  ) {
    throw new Error('the VM readiness data has a shape this version of the app does not know');
  }
  return value as unknown as VmReadiness;
}

/** Riskiest first, then by name. */
export function sortVms(rows: readonly VmRow[]): VmRow[] {
  return [...rows].sort((a, b) => b.riskScore - a.riskScore || a.vm.localeCompare(b.vm));
}
