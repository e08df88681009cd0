import type { ClusterSnapshot, CostAssumptionOverrides } from '@plumbline/contracts';
import { resolveAssumptions } from './model.js';

/**
 * VM-to-Kubernetes migration readiness (KubeVirt): which VMs are entangled with firewall rules,
 * DNS, DHCP, load balancers, hard-coded config and compliance documents; which teams each
 * migration involves under L2 (keeps IP/VLAN/MAC) versus L3 (new pod IP) networking; a risk
 * ranking; the four approval questions; the cost of running both platforms side by side.
 */

export interface VmInventoryRow {
  line: number;
  vm: string;
  ip: string | null;
  vlan: string | null;
  firewallRules: string[];
  dnsRecords: string[];
  dhcpReservation: boolean;
  lbBackends: string[];
  hardcodedConfigRefs: string[];
  complianceDocs: string[];
  owningTeams: string[];
}

export interface VmParseResult {
  rows: VmInventoryRow[];
  errors: { line: number; message: string }[];
}

const COLUMNS = [
  'vm',
  'ip',
  'vlan',
  'firewall_rules',
  'dns_records',
  'dhcp_reservation',
  'lb_backends',
  'hardcoded_config_refs',
  'compliance_docs',
  'owning_teams',
] as const;

/** RFC 4180-style fields: commas, double quotes, "" escapes; one record per line. */
function splitCsvLine(line: string): string[] | null {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur === '') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (quoted) return null;
  out.push(cur);
  return out.map((f) => f.trim());
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(';')
    .map((x) => x.trim())
    .filter(Boolean);

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** Parse a VM inventory. Malformed rows are reported by line number; nothing else is dropped. */
export function parseVmInventoryCsv(text: string): VmParseResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const errors: VmParseResult['errors'] = [];
  const rows: VmInventoryRow[] = [];
  const header = splitCsvLine(lines[0] ?? '')?.map((h) => h.toLowerCase().replace(/[\s-]+/g, '_'));
  if (!header || !header.includes('vm')) {
    return {
      rows,
      errors: [{ line: 1, message: `header must name the columns: ${COLUMNS.join(', ')}` }],
    };
  }
  const unknown = header.filter((h) => !(COLUMNS as readonly string[]).includes(h));
  if (unknown.length)
    errors.push({ line: 1, message: `unknown column(s) ignored: ${unknown.join(', ')}` });
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (!raw.trim()) continue;
    const lineNo = i + 1;
    const fields = splitCsvLine(raw);
    if (!fields) {
      errors.push({ line: lineNo, message: 'unterminated quoted field' });
      continue;
    }
    if (fields.length !== header.length) {
      errors.push({
        line: lineNo,
        message: `expected ${header.length} fields, found ${fields.length}`,
      });
      continue;
    }
    const get = (c: (typeof COLUMNS)[number]) => {
      const idx = header.indexOf(c);
      return idx < 0 ? undefined : fields[idx];
    };
    const vm = get('vm') ?? '';
    if (!vm) {
      errors.push({ line: lineNo, message: 'vm name is empty' });
      continue;
    }
    const ip = get('ip') || null;
    if (ip && !IPV4.test(ip)) {
      errors.push({ line: lineNo, message: `"${ip}" is not an IPv4 address` });
      continue;
    }
    const dhcp = (get('dhcp_reservation') ?? '').toLowerCase();
    if (
      dhcp &&
      !['yes', 'no', 'true', 'false', '1', '0', 'y', 'n'].includes(dhcp) &&
      !IPV4.test(dhcp)
    ) {
      errors.push({
        line: lineNo,
        message: `dhcp_reservation must be yes/no (or the reserved IP), got "${dhcp}"`,
      });
      continue;
    }
    rows.push({
      line: lineNo,
      vm,
      ip,
      vlan: get('vlan') || null,
      firewallRules: list(get('firewall_rules')),
      dnsRecords: list(get('dns_records')),
      dhcpReservation: ['yes', 'true', '1', 'y'].includes(dhcp) || IPV4.test(dhcp),
      lbBackends: list(get('lb_backends')),
      hardcodedConfigRefs: list(get('hardcoded_config_refs')),
      complianceDocs: list(get('compliance_docs')),
      owningTeams: list(get('owning_teams')),
    });
  }
  return { rows, errors };
}

export interface VmAssessment {
  vms: {
    vm: string;
    source: 'inventory' | 'cluster';
    dependencies: number;
    riskScore: number;
    teamsL2: string[];
    teamsL3: string[];
    keepsIpWithL2: boolean;
    reasons: string[];
  }[];
  approvalQuestions: { question: string; answer: string; vms: string[] }[];
  dualPlatformCents: number;
  dualPlatformFormula: string;
}

const WEIGHTS = { firewall: 3, compliance: 3, hardcoded: 2, lb: 2, dns: 1, dhcp: 1 } as const;

/** Assess inventory rows plus the KubeVirt VMs found in snapshots. */
export function assessVmMigration(
  rows: readonly VmInventoryRow[],
  snapshots: readonly Pick<ClusterSnapshot, 'virtualMachines'>[],
  overrides: CostAssumptionOverrides = {},
): VmAssessment {
  const a = resolveAssumptions(overrides);
  const vms: VmAssessment['vms'] = rows.map((r) => {
    const deps =
      r.firewallRules.length +
      r.dnsRecords.length +
      (r.dhcpReservation ? 1 : 0) +
      r.lbBackends.length +
      r.hardcodedConfigRefs.length +
      r.complianceDocs.length;
    const risk =
      WEIGHTS.firewall * r.firewallRules.length +
      WEIGHTS.compliance * r.complianceDocs.length +
      WEIGHTS.hardcoded * r.hardcodedConfigRefs.length +
      WEIGHTS.lb * r.lbBackends.length +
      WEIGHTS.dns * r.dnsRecords.length +
      WEIGHTS.dhcp * (r.dhcpReservation ? 1 : 0);
    // L3 gives the VM a new pod IP: everything keyed on the old IP breaks, and its owner with it.
    const teams = new Set<string>(['platform']);
    const reasons: string[] = [];
    if (r.firewallRules.length) {
      teams.add('security');
      reasons.push(`${r.firewallRules.length} firewall rule(s) name its IP`);
    }
    if (r.dnsRecords.length || r.dhcpReservation || r.lbBackends.length) {
      teams.add('network');
      reasons.push('DNS/DHCP/load-balancer entries point at its IP');
    }
    if (r.hardcodedConfigRefs.length) {
      teams.add('application');
      reasons.push(`${r.hardcodedConfigRefs.length} hard-coded config reference(s)`);
    }
    if (r.complianceDocs.length) {
      teams.add('security');
      reasons.push(`${r.complianceDocs.length} compliance document(s) cite it`);
    }
    for (const t of r.owningTeams) teams.add(t);
    return {
      vm: r.vm,
      source: 'inventory' as const,
      dependencies: deps,
      riskScore: risk,
      teamsL2: ['platform'],
      teamsL3: [...teams].sort(),
      keepsIpWithL2: true,
      reasons,
    };
  });
  for (const s of snapshots) {
    for (const v of s.virtualMachines) {
      if (v.kind !== 'VirtualMachine' || vms.some((x) => x.vm === v.name)) continue;
      const bridged = v.interfaces.some(
        (i) => i.binding === 'bridge' || i.binding === 'sriov' || i.binding === 'macvtap',
      );
      const multus = v.networks.some((n) => n.type === 'multus');
      vms.push({
        vm: v.name,
        source: 'cluster',
        dependencies: 0,
        riskScore: 0,
        teamsL2: ['platform'],
        teamsL3: ['platform'],
        keepsIpWithL2: bridged || multus,
        reasons: [
          `KubeVirt ${v.namespace}/${v.name}: ${v.interfaces.map((i) => i.binding).join(', ') || 'no interfaces'} on ${v.networks.map((n) => n.type).join(', ') || 'no networks'}; not in the inventory, dependencies unknown`,
        ],
      });
    }
  }
  vms.sort(
    (x, y) =>
      y.riskScore - x.riskScore || y.dependencies - x.dependencies || (x.vm < y.vm ? -1 : 1),
  );

  const staticIpVms = rows
    .filter((r) => r.firewallRules.length || r.complianceDocs.length)
    .map((r) => r.vm);
  const vlanOwners = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!r.vlan) continue;
    const set = vlanOwners.get(r.vlan) ?? new Set<string>();
    for (const t of r.owningTeams) set.add(t);
    vlanOwners.set(r.vlan, set);
  }
  const stuck = rows
    .filter((r) => r.hardcodedConfigRefs.length > 0 || r.owningTeams.length === 0)
    .map((r) => r.vm);
  const approvalQuestions = [
    {
      question:
        'Is this migration also a modernisation (re-platforming the workload), or only a change of where the VM runs?',
      answer: 'to be answered by the application owners',
      vms: [] as string[],
    },
    {
      question: 'Which VMs have static IPs referenced in firewall rules or compliance documents?',
      answer: staticIpVms.length
        ? `${staticIpVms.length} VM(s): keep their IP (L2 bridge) or plan rule and document changes`
        : 'none in the inventory',
      vms: staticIpVms,
    },
    {
      question: 'Who owns the VLANs the VMs sit on?',
      answer: vlanOwners.size
        ? [...vlanOwners.entries()]
            .map(([vlan, t]) => `VLAN ${vlan}: ${[...t].sort().join(', ') || 'no owner recorded'}`)
            .join('; ')
        : 'no VLANs recorded',
      vms: [],
    },
    {
      question: 'What happens to VMs that cannot be modernised?',
      answer: stuck.length
        ? `${stuck.length} VM(s) have hard-coded configuration or no owner: decide lift-and-shift (L2) or retirement`
        : 'none flagged',
      vms: stuck,
    },
  ];
  const vmCount = vms.length;
  const dollars = vmCount
    ? a.vmPlatformFtes * a.loadedSalary + vmCount * a.hypervisorLicencePerVm
    : 0;
  return {
    vms,
    approvalQuestions,
    dualPlatformCents: Math.round(dollars * 100),
    dualPlatformFormula: 'duplicated FTEs x loaded salary + VMs x hypervisor licence per VM',
  };
}
