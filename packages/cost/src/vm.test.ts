import { snapshotFromSpec } from '@plumbline/detection';
import { assessVmMigration, parseVmInventoryCsv } from './vm.js';

const CSV = `vm,ip,vlan,firewall_rules,dns_records,dhcp_reservation,lb_backends,hardcoded_config_refs,compliance_docs,owning_teams
billing-db,10.20.0.15,120,FW-101;FW-102,db.billing.corp,yes,,app.yaml:dbHost,PCI-7.2,payments
web-01,10.20.1.4,121,,web01.corp,no,lb-web,,,web
"legacy, the one",10.20.2.9,122,FW-9,,no,,,,
broken-ip,999.1.1.1,120,,,,,,,
,10.0.0.1,1,,,,,,,
short,10.0.0.2
quoted,"10.0.0.3,120,,,,,,,,
`;

describe('VM inventory CSV', () => {
  it('parses valid rows and reports every bad one by line number', () => {
    const r = parseVmInventoryCsv(CSV);
    expect(r.rows.map((x) => x.vm)).toEqual(['billing-db', 'web-01', 'legacy, the one']);
    expect(r.errors).toEqual([
      { line: 5, message: '"999.1.1.1" is not an IPv4 address' },
      { line: 6, message: 'vm name is empty' },
      { line: 7, message: 'expected 10 fields, found 2' },
      { line: 8, message: 'unterminated quoted field' },
    ]);
    expect(r.rows[0]).toMatchObject({
      firewallRules: ['FW-101', 'FW-102'],
      dhcpReservation: true,
      complianceDocs: ['PCI-7.2'],
    });
  });

  it('rejects a file without a header', () => {
    expect(parseVmInventoryCsv('a,b\n1,2').errors[0]).toMatchObject({ line: 1 });
  });
});

describe('VM migration assessment', () => {
  const { rows } = parseVmInventoryCsv(CSV);
  const snapshot = snapshotFromSpec({ virtualMachines: [{ namespace: 'vms', name: 'kv-app' }] });
  const r = assessVmMigration(rows, [snapshot], {
    vmPlatformFtes: 2,
    loadedSalary: 150_000,
    hypervisorLicencePerVm: 1_000,
  });

  it('ranks by risk and names the teams L3 pulls in', () => {
    expect(r.vms.map((v) => v.vm)).toEqual(['billing-db', 'web-01', 'legacy, the one', 'kv-app']);
    const db = r.vms[0]!;
    expect(db.dependencies).toBe(6);
    expect(db.teamsL2).toEqual(['platform']);
    expect(db.teamsL3).toEqual(['application', 'network', 'payments', 'platform', 'security']);
  });

  it('answers the approval questions from the data', () => {
    expect(r.approvalQuestions).toHaveLength(4);
    expect(r.approvalQuestions[1]!.vms).toEqual(['billing-db', 'legacy, the one']);
    expect(r.approvalQuestions[2]!.answer).toMatch(/VLAN 120: payments/);
    expect(r.approvalQuestions[3]!.vms).toEqual(['billing-db', 'legacy, the one']);
  });

  it('prices running both platforms', () => {
    expect(r.dualPlatformCents).toBe((2 * 150_000 + 4 * 1_000) * 100);
  });
});
