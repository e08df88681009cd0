import { cluster, np, object, type W } from './build.js';
import { parseCalicoSelector, calicoMatches } from '../src/calico-selector.js';
import { ConnSet } from '../src/conns.js';
import { NetpolEngine } from '../src/engine.js';
import { IpSet, atomize, formatRange, parseCidr } from '../src/ip.js';

const W3: W[] = [
  { ns: 'a', name: 'web', labels: { app: 'web' }, ports: [{ name: 'http', port: 8080 }] },
  { ns: 'a', name: 'db', labels: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }] },
  { ns: 'b', name: 'client', labels: { app: 'client' } },
];
const NS = { a: { team: 'x' }, b: { team: 'y' } };

function reach(e: NetpolEngine, from: string, to: string, port: number, proto = 'TCP'): boolean {
  const r = e.mayReach(from, to, port, proto);
  if ('error' in r) throw new Error(r.error);
  return r.allowed;
}

describe('ConnSet', () => {
  it('unions, subtracts and prints ranges in connlist form', () => {
    const c = ConnSet.ports('TCP', 80, 80)
      .union(ConnSet.ports('TCP', 8080, 8090))
      .union(ConnSet.ports('UDP', 53, 53));
    expect(c.toString()).toBe('TCP 80,8080-8090,UDP 53');
    expect(c.subtract(ConnSet.ports('TCP', 8085, 8085)).toString()).toBe(
      'TCP 80,8080-8084,8086-8090,UDP 53',
    );
    expect(ConnSet.ALL.toString()).toBe('All Connections');
  });

  it("prints np-guard's connlist format exactly (universe TCP, UDP, SCTP)", () => {
    const all = (p: 'TCP' | 'UDP' | 'SCTP') => ConnSet.ports(p);
    const cases: [ConnSet, string][] = [
      // every port of the three protocols is "All Connections", with or without ICMP
      [all('TCP').union(all('UDP')).union(all('SCTP')), 'All Connections'],
      [ConnSet.ALL.subtract(ConnSet.protocol('ICMP')), 'All Connections'],
      // a hole: one protocol label, then its ranges
      [ConnSet.ports('TCP').subtract(ConnSet.ports('TCP', 80, 80)), 'TCP 1-79,81-65535'],
      [
        ConnSet.ALL.subtract(ConnSet.ports('TCP', 80, 80)),
        'SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535',
      ],
      // protocols sorted as strings, entries joined by a comma
      [ConnSet.ports('UDP', 53, 53).union(ConnSet.ports('SCTP', 9000, 9000)), 'SCTP 9000,UDP 53'],
      [all('TCP'), 'TCP 1-65535'],
      // no "other protocols" token: ICMP alone is no connection in this universe
      [ConnSet.protocol('ICMP'), 'No Connections'],
      [ConnSet.ports('TCP', 443, 443).union(ConnSet.protocol('ICMP')), 'TCP 443'],
      [ConnSet.NONE, 'No Connections'],
    ];
    for (const [set, text] of cases) expect(set.toString()).toBe(text);
    for (const [set] of cases) expect(set.toString()).not.toContain('other');
    expect(ConnSet.ALL.subtract(ConnSet.ALL).isEmpty()).toBe(true);
    expect(ConnSet.ports('SCTP', 1, 65535).union(ConnSet.ports('TCP')).isAll()).toBe(false);
  });
});

describe('IP sets', () => {
  it('parses CIDRs, subtracts excepts and atomizes', () => {
    const b = IpSet.block('10.0.0.0/8', ['10.1.0.0/16'])!;
    expect(b.toString()).toBe('10.0.0.0-10.0.255.255,10.2.0.0-10.255.255.255');
    expect(parseCidr('::ffff:10.0.0.1/128')!.family).toBe(6);
    expect(formatRange(parseCidr('fd00::/8')!)).toBe(
      'fd00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    );
    const atoms = atomize([b], [4]).map(formatRange);
    expect(atoms).toEqual([
      '0.0.0.0-9.255.255.255',
      '10.0.0.0-10.0.255.255',
      '10.1.0.0-10.1.255.255',
      '10.2.0.0-10.255.255.255',
      '11.0.0.0-255.255.255.255',
    ]);
    expect(IpSet.block('300.0.0.0/8')).toBeNull();
  });
});

describe('Kubernetes NetworkPolicy semantics', () => {
  it('allows everything when no policy selects a pod', () => {
    const e = NetpolEngine.fromSnapshot(cluster({ namespaces: NS, workloads: W3 }));
    expect(reach(e, 'b/client', 'a/db', 5432)).toBe(true);
    expect(e.isolation(e.find('a/db')!, 'ingress').isolated).toBe(false);
  });

  it('empty podSelector selects every pod of the namespace; ingress: [] denies all', () => {
    const e = NetpolEngine.fromSnapshot(
      cluster({
        namespaces: NS,
        workloads: W3,
        objects: [np('a', 'deny', { podSelector: {}, ingress: [] })],
      }),
    );
    expect(reach(e, 'b/client', 'a/db', 5432)).toBe(false);
    expect(reach(e, 'a/web', 'a/db', 5432)).toBe(false);
    // egress not isolated: policyTypes defaults to Ingress only without egress rules
    expect(reach(e, 'a/web', 'b/client', 80)).toBe(true);
  });

  it('defaults policyTypes to Ingress + Egress when egress rules exist', () => {
    const e = NetpolEngine.fromSnapshot(
      cluster({
        namespaces: NS,
        workloads: W3,
        objects: [
          np('a', 'p', {
            podSelector: { matchLabels: { app: 'web' } },
            egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }] }],
          }),
        ],
      }),
    );
    const web = e.find('a/web')!;
    expect(e.isolation(web, 'ingress').isolated).toBe(true);
    expect(e.isolation(web, 'egress').isolated).toBe(true);
    expect(reach(e, 'a/web', 'a/db', 5432)).toBe(true);
    expect(reach(e, 'a/web', 'b/client', 80)).toBe(false);
    expect(reach(e, 'b/client', 'a/web', 8080)).toBe(false);
  });

  it('treats egress: [] without policyTypes as ingress-only (netassert web/web declares Egress)', () => {
    const e = NetpolEngine.fromSnapshot(
      cluster({
        namespaces: NS,
        workloads: W3,
        objects: [np('a', 'p', { podSelector: { matchLabels: { app: 'web' } }, egress: [] })],
      }),
    );
    expect(e.isolation(e.find('a/web')!, 'egress').isolated).toBe(false);
    expect(e.isolation(e.find('a/web')!, 'ingress').isolated).toBe(true);
  });

  it('ANDs namespaceSelector and podSelector in one peer, ORs separate peers', () => {
    const and = {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { team: 'y' } },
              podSelector: { matchLabels: { app: 'web' } },
            },
          ],
        },
      ],
    };
    const or = {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [
        {
          from: [
            { namespaceSelector: { matchLabels: { team: 'y' } } },
            { podSelector: { matchLabels: { app: 'web' } } },
          ],
        },
      ],
    };
    const a = NetpolEngine.fromSnapshot(
      cluster({ namespaces: NS, workloads: W3, objects: [np('a', 'p', and)] }),
    );
    expect(reach(a, 'b/client', 'a/db', 5432)).toBe(false);
    expect(reach(a, 'a/web', 'a/db', 5432)).toBe(false);
    const o = NetpolEngine.fromSnapshot(
      cluster({ namespaces: NS, workloads: W3, objects: [np('a', 'p', or)] }),
    );
    expect(reach(o, 'b/client', 'a/db', 5432)).toBe(true);
    expect(reach(o, 'a/web', 'a/db', 5432)).toBe(true);
  });

  it('matches the implicit kubernetes.io/metadata.name namespace label and matchExpressions', () => {
    const e = NetpolEngine.fromSnapshot(
      cluster({
        namespaces: NS,
        workloads: W3,
        objects: [
          np('a', 'p', {
            podSelector: {},
            ingress: [
              {
                from: [
                  {
                    namespaceSelector: {
                      matchExpressions: [
                        { key: 'kubernetes.io/metadata.name', operator: 'In', values: ['b'] },
                      ],
                    },
                  },
                ],
              },
            ],
          }),
        ],
      }),
    );
    expect(reach(e, 'b/client', 'a/db', 5432)).toBe(true);
    expect(reach(e, 'a/web', 'a/db', 5432)).toBe(false);
  });

  it('resolves named ports on the destination, endPort ranges and protocols', () => {
    const e = NetpolEngine.fromSnapshot(
      cluster({
        namespaces: NS,
        workloads: W3,
        objects: [
          np('a', 'p', {
            podSelector: {},
            ingress: [
              {
                ports: [
                  { port: 'http' },
                  { port: 9000, endPort: 9005, protocol: 'TCP' },
                  { protocol: 'UDP', port: 53 },
                  { protocol: 'SCTP' },
                ],
              },
            ],
          }),
        ],
      }),
    );
    expect(reach(e, 'b/client', 'a/web', 8080)).toBe(true); // http = 8080 on web
    expect(reach(e, 'b/client', 'a/db', 8080)).toBe(false); // db has no port named http
    expect(reach(e, 'b/client', 'a/db', 9005)).toBe(true);
    expect(reach(e, 'b/client', 'a/db', 9006)).toBe(false);
    expect(reach(e, 'b/client', 'a/db', 53, 'UDP')).toBe(true);
    expect(reach(e, 'b/client', 'a/db', 53, 'TCP')).toBe(false);
    expect(reach(e, 'b/client', 'a/db', 3868, 'SCTP')).toBe(true);
  });

  it('applies ipBlock with except to external addresses only', () => {
    const e = NetpolEngine.fromSnapshot(
      cluster({
        namespaces: NS,
        workloads: W3,
        objects: [
          np('a', 'p', {
            podSelector: { matchLabels: { app: 'web' } },
            policyTypes: ['Egress'],
            egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }],
          }),
        ],
      }),
    );
    expect(reach(e, 'a/web', '10.2.3.4', 443)).toBe(true);
    expect(reach(e, 'a/web', '10.1.3.4', 443)).toBe(false);
    expect(reach(e, 'a/web', '8.8.8.8', 53, 'UDP')).toBe(false);
    expect(reach(e, 'a/web', 'a/db', 5432)).toBe(false);
    expect(e.atoms().map((a) => formatRange(a.range))).toContain('10.1.0.0-10.1.255.255');
  });

  it('needs egress at the source AND ingress at the destination', () => {
    const e = NetpolEngine.fromSnapshot(
      cluster({
        namespaces: NS,
        workloads: W3,
        objects: [
          np('b', 'egress-only-dns', {
            podSelector: {},
            policyTypes: ['Egress'],
            egress: [{ ports: [{ protocol: 'UDP', port: 53 }] }],
          }),
          np('a', 'ingress-from-b', {
            podSelector: {},
            ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'y' } } }] }],
          }),
        ],
      }),
    );
    expect(reach(e, 'b/client', 'a/db', 5432)).toBe(false); // egress denies
    expect(reach(e, 'b/client', 'a/db', 53, 'UDP')).toBe(true);
    const r = e.mayReach('b/client', 'a/db', 5432);
    expect(r).toMatchObject({ egress: { allowed: false }, ingress: { allowed: true } });
  });

  it('leaves host-network pods outside NetworkPolicy', () => {
    const e = NetpolEngine.fromSnapshot(
      cluster({
        namespaces: NS,
        workloads: [...W3, { ns: 'a', name: 'agent', labels: { app: 'agent' }, hostNetwork: true }],
        objects: [np('a', 'deny', { podSelector: {}, ingress: [] })],
      }),
    );
    expect(e.isolation(e.find('a/agent')!, 'ingress').isolated).toBe(false);
  });
});

describe('network-policy-api tiers', () => {
  const cnp = (name: string, spec: unknown) =>
    object('policy.networking.k8s.io/v1alpha2', 'ClusterNetworkPolicy', name, spec);
  const nsA = { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'a' } } };
  const fromB = [{ namespaces: { matchLabels: { team: 'y' } } }];

  it('admin Deny beats a NetworkPolicy allow; admin Pass defers to it; baseline applies last', () => {
    const base = [
      np('a', 'allow-b', {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'y' } } }] }],
      }),
      cnp('baseline', {
        tier: 'Baseline',
        priority: 1,
        subject: nsA,
        ingress: [{ action: 'Deny', from: fromB }],
      }),
    ];
    const deny = cnp('admin', {
      tier: 'Admin',
      priority: 5,
      subject: nsA,
      ingress: [{ action: 'Deny', from: fromB }],
    });
    const pass = cnp('admin', {
      tier: 'Admin',
      priority: 5,
      subject: nsA,
      ingress: [{ action: 'Pass', from: fromB }],
    });
    const withDeny = NetpolEngine.fromSnapshot(
      cluster({ namespaces: NS, workloads: W3, objects: [...base, deny] }),
    );
    expect(reach(withDeny, 'b/client', 'a/db', 5432)).toBe(false);
    const withPass = NetpolEngine.fromSnapshot(
      cluster({ namespaces: NS, workloads: W3, objects: [...base, pass] }),
    );
    expect(reach(withPass, 'b/client', 'a/db', 5432)).toBe(true); // NetworkPolicy allows db
    expect(reach(withPass, 'b/client', 'a/web', 8080)).toBe(false); // no NP on web: baseline Deny
  });

  it('orders admin policies by priority and fails closed on an unknown peer type', () => {
    const low = cnp('p10', {
      tier: 'Admin',
      priority: 10,
      subject: nsA,
      ingress: [{ action: 'Accept', from: fromB }],
    });
    const high = cnp('p5', {
      tier: 'Admin',
      priority: 5,
      subject: nsA,
      ingress: [{ action: 'Deny', from: fromB }],
    });
    const e = NetpolEngine.fromSnapshot(
      cluster({ namespaces: NS, workloads: W3, objects: [low, high] }),
    );
    expect(reach(e, 'b/client', 'a/db', 5432)).toBe(false);
    const unknownDeny = cnp('x', {
      tier: 'Admin',
      priority: 1,
      subject: nsA,
      ingress: [{ action: 'Deny', from: [{ future: {} }] }],
    });
    const f = NetpolEngine.fromSnapshot(
      cluster({ namespaces: NS, workloads: W3, objects: [unknownDeny] }),
    );
    expect(reach(f, 'b/client', 'a/db', 5432)).toBe(false);
    expect(f.warnings.map((w) => w.message)).toContain('peer with no known field: fails closed');
  });

  it('evaluates legacy AdminNetworkPolicy sameLabels peers against the subject namespace', () => {
    const anp = object('policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy', 'tenant', {
      priority: 1,
      subject: { namespaces: {} },
      ingress: [
        { action: 'Allow', from: [{ namespaces: { sameLabels: ['team'] } }] },
        { action: 'Deny', from: [{ namespaces: { namespaceSelector: {} } }] },
      ],
    });
    const e = NetpolEngine.fromSnapshot(
      cluster({
        namespaces: { ...NS, c: { team: 'x' } },
        workloads: [...W3, { ns: 'c', name: 'peer', labels: { app: 'peer' } }],
        objects: [anp],
      }),
    );
    expect(reach(e, 'c/peer', 'a/db', 5432)).toBe(true);
    expect(reach(e, 'b/client', 'a/db', 5432)).toBe(false);
  });
});

describe('Calico selectors and policies', () => {
  it('parses the selector syntax', () => {
    const l = { app: 'web', tier: 'front', 'projectcalico.org/namespace': 'a' };
    const t = (s: string) => calicoMatches(parseCalicoSelector(s), l);
    expect(t("app == 'web' && tier in {'front', 'back'}")).toBe(true);
    expect(t("app != 'web' || !has(tier)")).toBe(false);
    expect(t("has(app) && tier not in {'back'}")).toBe(true);
    expect(t("!(app == 'db') && all()")).toBe(true);
    expect(t("app starts with 'we' && app ends with 'eb' && app contains 'e'")).toBe(true);
    expect(t("missing != 'x' && missing not in {'y'}")).toBe(true);
    expect(() => parseCalicoSelector('app == ')).toThrow();
    expect(calicoMatches(parseCalicoSelector('global()'), {}, true)).toBe(true);
  });

  const gnp = (name: string, spec: unknown) =>
    object('projectcalico.org/v3', 'GlobalNetworkPolicy', name, spec);
  const tier = (name: string, order: number, defaultAction?: string) =>
    object('projectcalico.org/v3', 'Tier', name, {
      order,
      ...(defaultAction ? { defaultAction } : {}),
    });

  it('walks tiers in order: Pass skips to the next tier, end of tier denies selected endpoints', () => {
    const objects = [
      tier('security', 100),
      gnp('security.pass-web', {
        tier: 'security',
        order: 1,
        selector: "app == 'web'",
        ingress: [{ action: 'Pass', source: { selector: "app == 'client'" } }],
      }),
      gnp('security.deny-db', {
        tier: 'security',
        order: 2,
        selector: "app == 'db'",
        ingress: [{ action: 'Deny', protocol: 'TCP', destination: { ports: ['5000:6000'] } }],
      }),
      np('a', 'allow-client', {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ ports: [{ port: 8080 }] }],
      }),
    ];
    const e = NetpolEngine.fromSnapshot(cluster({ namespaces: NS, workloads: W3, objects }));
    expect(reach(e, 'b/client', 'a/web', 8080)).toBe(true); // passed, then the NetworkPolicy allows
    expect(reach(e, 'b/client', 'a/web', 9090)).toBe(false);
    expect(reach(e, 'a/web', 'a/web', 8080)).toBe(false); // security tier selects web, no rule: end-of-tier deny
    expect(reach(e, 'b/client', 'a/db', 5432)).toBe(false);
    expect(reach(e, 'b/client', 'a/db', 6001)).toBe(false); // end of tier
  });

  it('honours tier defaultAction Pass, namespaced policies, nets and network sets', () => {
    const objects = [
      tier('platform', 50, 'Pass'),
      object(
        'projectcalico.org/v3',
        'NetworkPolicy',
        'platform.egress',
        {
          tier: 'platform',
          order: 10,
          selector: "app == 'web'",
          types: ['Egress'],
          egress: [
            { action: 'Deny', destination: { selector: "role == 'blocked'" } },
            { action: 'Allow', destination: { nets: ['192.0.2.0/24'] } },
          ],
        },
        'a',
      ),
      object(
        'projectcalico.org/v3',
        'GlobalNetworkSet',
        'bad',
        { nets: ['198.51.100.0/24'] },
        null,
        {
          role: 'blocked',
        },
      ),
    ];
    const e = NetpolEngine.fromSnapshot(cluster({ namespaces: NS, workloads: W3, objects }));
    expect(reach(e, 'a/web', '192.0.2.7', 443)).toBe(true);
    expect(reach(e, 'a/web', '198.51.100.7', 443)).toBe(true); // namespaced NP selector: netsets of its namespace only
    expect(reach(e, 'a/web', '203.0.113.1', 443)).toBe(true); // tier passes
    const g = NetpolEngine.fromSnapshot(
      cluster({
        namespaces: NS,
        workloads: W3,
        objects: [
          objects[0]!,
          gnp('platform.egress', {
            tier: 'platform',
            selector: "app == 'web'",
            types: ['Egress'],
            egress: [{ action: 'Deny', destination: { selector: "role == 'blocked'" } }],
          }),
          objects[2]!,
        ],
      }),
    );
    expect(reach(g, 'a/web', '198.51.100.7', 443)).toBe(false); // GNP selector matches global sets
    expect(reach(g, 'a/web', '203.0.113.1', 443)).toBe(true);
  });
});

describe('Cilium and Antrea policies', () => {
  const cnp = (ns: string, name: string, spec: unknown) =>
    object('cilium.io/v2', 'CiliumNetworkPolicy', name, spec, ns);

  it('Cilium: allows are additive, deny wins, an empty rule isolates, L4-only rules match any peer', () => {
    const e = NetpolEngine.fromSnapshot(
      cluster({
        namespaces: NS,
        workloads: W3,
        objects: [
          cnp('a', 'db', {
            endpointSelector: { matchLabels: { app: 'db' } },
            ingress: [
              { fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'b' } }] },
              { toPorts: [{ ports: [{ port: '9090', protocol: 'TCP' }] }] },
            ],
            ingressDeny: [
              {
                fromEndpoints: [{ matchLabels: { app: 'client' } }],
                toPorts: [{ ports: [{ port: '22' }] }],
              },
            ],
          }),
          cnp('a', 'web', { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{}] }),
        ],
      }),
    );
    expect(reach(e, 'b/client', 'a/db', 5432)).toBe(true);
    expect(reach(e, 'a/web', 'a/db', 5432)).toBe(false);
    expect(reach(e, 'a/web', 'a/db', 9090)).toBe(true);
    expect(reach(e, 'b/client', 'a/web', 8080)).toBe(false);
    // deny from app=client is namespace-scoped to a: b/client is not matched by it
    expect(reach(e, 'b/client', 'a/db', 22)).toBe(true);
  });

  it('Antrea: tiers before NetworkPolicy, Pass skips to NetworkPolicy, baseline after it', () => {
    const acnp = (name: string, spec: unknown) =>
      object('crd.antrea.io/v1beta1', 'ClusterNetworkPolicy', name, spec);
    const e = NetpolEngine.fromSnapshot(
      cluster({
        namespaces: NS,
        workloads: W3,
        objects: [
          acnp('sec', {
            tier: 'securityops',
            priority: 1,
            appliedTo: [{ namespaceSelector: { matchLabels: { team: 'x' } } }],
            ingress: [
              { action: 'Pass', from: [{ namespaceSelector: { matchLabels: { team: 'y' } } }] },
              {
                action: 'Drop',
                from: [{ namespaceSelector: {} }],
                ports: [{ protocol: 'TCP', port: 22 }],
              },
            ],
          }),
          acnp('app', {
            tier: 'application',
            priority: 1,
            appliedTo: [{ namespaceSelector: { matchLabels: { team: 'x' } } }],
            ingress: [
              { action: 'Drop', from: [{ namespaceSelector: { matchLabels: { team: 'y' } } }] },
            ],
          }),
          acnp('base', {
            tier: 'baseline',
            priority: 1,
            appliedTo: [{ namespaceSelector: { matchLabels: { team: 'x' } } }],
            ingress: [{ action: 'Drop', from: [{ namespaceSelector: {} }] }],
          }),
          np('a', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{}] }),
        ],
      }),
    );
    expect(reach(e, 'b/client', 'a/db', 5432)).toBe(true); // Pass skips the application Drop
    expect(reach(e, 'a/web', 'a/db', 22)).toBe(false); // Drop at securityops
    expect(reach(e, 'a/db', 'a/web', 8080)).toBe(false); // web has no NetworkPolicy: baseline Drop
    expect(reach(e, 'a/web', 'a/db', 5432)).toBe(true); // NetworkPolicy decides before baseline
  });
});

describe('scale: selectors resolve through the label index', () => {
  it('evaluates 5000 endpoints x 1000 policies without touching every pair', () => {
    const workloads: W[] = [];
    for (let i = 0; i < 5000; i++)
      workloads.push({
        ns: `ns${i % 50}`,
        name: `w${i}`,
        labels: { app: `app${i % 500}`, tier: `t${i % 7}` },
      });
    const objects = [];
    for (let i = 0; i < 1000; i++)
      objects.push(
        np(`ns${i % 50}`, `p${i}`, {
          podSelector: { matchLabels: { app: `app${i % 500}` } },
          ingress: [{ from: [{ podSelector: { matchLabels: { tier: `t${i % 7}` } } }] }],
        }),
      );
    const e = NetpolEngine.fromSnapshot(cluster({ namespaces: {}, workloads, objects }));
    const isolated = e.endpoints.filter((x) => e.isolation(x, 'ingress').isolated).length;
    // app{k} lives in namespace k % 50 and policy i selects app{i % 500} in namespace i % 50
    expect(isolated).toBe(5000);
    expect(e.policies.length).toBe(1000);
  });
});
