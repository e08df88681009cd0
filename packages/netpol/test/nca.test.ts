/**
 * IBM network-config-analyzer (NCA) k8s test cases: every permits / forbids / connectivityMap
 * query over plain Kubernetes NetworkPolicy, transcribed by suites/transcribe-nca.py into
 * suites/network-config-analyzer.json (run or skipped with the reason). Policies are read from the
 * fixture files with the collector; expected results are NCA's `expected` counts and, where
 * upstream has them, its expected output files (connectivity maps in the no-fw-rules and fw-rules
 * forms, permits / forbids explanations), compared semantically pair by pair.
 * The run count may not drop below the committed number.
 */
import type { ClusterSnapshot } from '@plumbline/contracts';
import { collectOffline } from '@plumbline/collector';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ConnSet,
  IpSet,
  NetpolEngine,
  endpointRef,
  formatRange,
  modelFromSnapshot,
  namespaceInfo,
  parseCidr,
  type ClusterModel,
  type Endpoint,
  type ExternalAtom,
  type Peer,
} from '../src/index.js';

const FIXTURES = resolve(__dirname, '../../../../shared/fixtures');

interface TPod {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  owner: { kind: string; name: string } | null;
  ports: { name: string | null; port: number; protocol: string }[];
  hostNetwork: boolean;
}
interface Topology {
  namespaces: { name: string; labels: Record<string, string> }[];
  pods: TPod[];
  manifests: string[];
}
interface Config {
  topology: string;
  policies: string[];
  livesim?: string[];
}
interface Case {
  id: string;
  query: 'permits' | 'forbids' | 'connectivityMap';
  configs: string[];
  configKeys?: string[];
  expected: number | null;
  expectedOutput: string | null;
  outputFormat: string;
  status: 'run' | 'skip';
  reason?: string;
}
const suite = JSON.parse(
  readFileSync(join(__dirname, 'suites/network-config-analyzer.json'), 'utf8'),
) as {
  counts: { run: number; skipped: number };
  livesim: { namespace: { name: string; labels: Record<string, string> }; pod: TPod };
  cases: Case[];
  configs: Record<string, Config>;
  topologies: Record<string, Topology>;
};

const collect = (paths: string[]): ClusterSnapshot =>
  collectOffline({
    dir: FIXTURES,
    paths,
    scanner: { name: 'plumbline-scanner', version: 'test' },
    collectedAt: '2026-11-26T00:00:00.000Z',
    clusterName: 'nca',
    includeSecretMetadata: false,
    fingerprintKey: new Uint8Array(32),
  }).snapshot;

const sortLabels = (l: Record<string, string>) =>
  Object.fromEntries(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : 1)));

/** The topology NCA analyses for a config, with its policies. */
function model(cfg: Config): ClusterModel {
  const topo = suite.topologies[cfg.topology]!;
  const snap = collect(topo.manifests);
  const base = modelFromSnapshot({ ...snap, networkPolicies: [], policyObjects: [] });
  const endpoints = [...base.endpoints];
  const namespaces = new Map(base.namespaces);
  for (const n of topo.namespaces) namespaces.set(n.name, namespaceInfo(n.name, n.labels));
  const pods = [...topo.pods];
  if (cfg.livesim?.includes('dns')) {
    const ns = suite.livesim.namespace;
    const prev = namespaces.get(ns.name);
    namespaces.set(ns.name, namespaceInfo(ns.name, { ...(prev?.labels ?? {}), ...ns.labels }));
    pods.push(suite.livesim.pod);
  }
  const groups = new Map<string, Endpoint>();
  for (const p of pods) {
    const kind =
      p.owner && ['ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job'].includes(p.owner.kind)
        ? p.owner.kind
        : 'Pod';
    const name = kind === 'Pod' ? p.name : p.owner!.name;
    const labels = sortLabels(p.labels);
    const ports = p.ports.map((x) => ({ ...x, protocol: x.protocol.toUpperCase() }));
    // NCA applies NetworkPolicy to host-network pods too (Kubernetes does not): to compare with
    // its verdicts they are modelled as ordinary pods here.
    const key = JSON.stringify([p.namespace, kind, name, labels, ports]);
    const g = groups.get(key);
    if (g) {
      (g.pods as string[]).push(p.name);
      g.replicas++;
      continue;
    }
    const e: Endpoint = {
      idx: endpoints.length,
      namespace: p.namespace,
      name,
      kind,
      labels,
      replicas: 1,
      hostNetwork: false,
      ports,
      serviceAccount: null,
      pods: [p.name],
    };
    endpoints.push(e);
    groups.set(key, e);
  }
  for (const e of endpoints)
    if (!namespaces.has(e.namespace))
      namespaces.set(e.namespace, namespaceInfo(e.namespace, {}, false));
  const policies = collect(cfg.policies);
  return {
    endpoints,
    namespaces,
    objects: [...policies.networkPolicies, ...policies.policyObjects],
  };
}

// ---- NCA output parsing

/** `All connections`, `No connections`, `{protocols:TCP,dst_ports:80,8080-8090}`, ... */
function parseConns(text: string): ConnSet {
  const t = text.trim();
  if (/^All connections$/i.test(t)) return ConnSet.ALL;
  if (/^No connections$/i.test(t)) return ConnSet.NONE;
  let out = ConnSet.NONE;
  for (const g of t.match(/\{[^}]*\}/g) ?? []) {
    const protos: string[] = [];
    const ports: string[] = [];
    let mode = '';
    for (const tok of g.slice(1, -1).split(',')) {
      const m = /^(\w+):(.*)$/.exec(tok);
      if (m) {
        mode = m[1]!;
        if (m[2]) (mode === 'protocols' ? protos : mode === 'dst_ports' ? ports : []).push(m[2]);
      } else (mode === 'protocols' ? protos : mode === 'dst_ports' ? ports : []).push(tok);
    }
    for (const p of protos) {
      if (!ports.length) out = out.union(ConnSet.protocol(p));
      for (const r of ports) {
        const [a, b] = r.split('-').map(Number);
        out = out.union(ConnSet.ports(p as 'TCP', a!, b ?? a!));
      }
    }
  }
  if (t && out.isEmpty()) throw new Error(`cannot parse connections "${t}"`);
  return out;
}

type Key = string; // `e:<idx>` or `a:<atom index>`

interface Universe {
  engine: NetpolEngine;
  atoms: ExternalAtom[];
  peers: { key: Key; peer: Peer }[];
}

function universe(engine: NetpolEngine, extra: IpSet[] = []): Universe {
  const atoms = atomsFor(engine, extra);
  const peers: { key: Key; peer: Peer }[] = [
    ...engine.endpoints
      .filter((e) => !e.hostNetwork)
      .map((e) => ({ key: `e:${e.idx}`, peer: { kind: 'endpoint', e } as Peer })),
    ...atoms.map((a, i) => ({ key: `a:${i}`, peer: { kind: 'external', atom: a } as Peer })),
  ];
  return { engine, atoms, peers };
}

function atomsFor(engine: NetpolEngine, extra: IpSet[]): ExternalAtom[] {
  if (!extra.length) return engine.atoms();
  const own = engine.atoms().map((a) => IpSet.of([a.range]));
  const cuts = new Set<string>();
  const ranges = [...own, ...extra].flatMap((s) => s.ranges);
  for (const r of ranges) cuts.add(`${r.family}:${r.lo}`);
  // Re-cut the engine's atoms at the other config's boundaries.
  const out: ExternalAtom[] = [];
  for (const a of engine.atoms()) {
    let pieces = [a.range];
    for (const s of extra)
      for (const r of s.ranges) {
        pieces = pieces.flatMap((p) => {
          if (p.family !== r.family || r.hi < p.lo || r.lo > p.hi) return [p];
          const parts = [];
          if (r.lo > p.lo) parts.push({ ...p, hi: r.lo - 1n });
          parts.push({ ...p, lo: r.lo > p.lo ? r.lo : p.lo, hi: r.hi < p.hi ? r.hi : p.hi });
          if (r.hi < p.hi) parts.push({ ...p, lo: r.hi + 1n });
          return parts;
        });
      }
    for (const range of pieces) out.push({ range, netSets: a.netSets });
  }
  return out;
}

/** Ordered pairs analysed: no pod to itself (an endpoint to itself only with several pods). */
function pairs(u: Universe): [Key, Peer, Key, Peer][] {
  const out: [Key, Peer, Key, Peer][] = [];
  for (const s of u.peers)
    for (const d of u.peers) {
      if (s.peer.kind === 'external' && d.peer.kind === 'external') continue;
      if (s.key === d.key && (s.peer.kind !== 'endpoint' || s.peer.e.replicas < 2)) continue;
      out.push([s.key, s.peer, d.key, d.peer]);
    }
  return out;
}

function explicit(engine: NetpolEngine, src: Peer, dst: Peer): ConnSet {
  const eg =
    src.kind === 'endpoint'
      ? engine.evaluate(src.e, 'egress', dst)
      : { allowed: ConnSet.ALL, ruleAllowed: ConnSet.NONE };
  const ing =
    dst.kind === 'endpoint'
      ? engine.evaluate(dst.e, 'ingress', src)
      : { allowed: ConnSet.ALL, ruleAllowed: ConnSet.NONE };
  return ing.ruleAllowed.intersect(eg.allowed).union(eg.ruleAllowed.intersect(ing.allowed));
}

const label = (u: Universe, k: Key) => {
  const [t, i] = k.split(':');
  return t === 'e'
    ? endpointRef(u.engine.endpoints[Number(i)]!)
    : formatRange(u.atoms[Number(i)]!.range);
};

// ---- connectivity maps

/** Connectivity maps leave out a workload to itself (NCA omits it or treats it as don't-care). */
function computed(u: Universe): Map<string, ConnSet> {
  const out = new Map<string, ConnSet>();
  for (const [sk, s, dk, d] of pairs(u))
    if (sk !== dk) out.set(`${sk}|${dk}`, u.engine.connections(s, d));
  return out;
}

/** Resolve an NCA peer description to keys: endpoints by namespace + pod expression, or IPs. */
function resolvePods(u: Universe, nsList: string, pods: string): Key[] {
  const nss = nsList.split(',').map((s) => s.trim());
  const items: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of pods) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      items.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) items.push(cur.trim());
  const match = (e: Endpoint, item: string): boolean => {
    if (item === '*') return true;
    let m = /^(\S+) not in \((.*)\)$/.exec(item);
    if (m) return !m[2]!.split(',').includes(e.labels[m[1]!] ?? '\u0000');
    m = /^(\S+) in \((.*)\)$/.exec(item);
    if (m) return m[2]!.split(',').includes(e.labels[m[1]!] ?? '\u0000');
    m = /^(\S+)!=(\S+)$/.exec(item);
    if (m) return e.labels[m[1]!] !== m[2];
    m = /^(\S+)=(\S+)$/.exec(item);
    if (m) return e.labels[m[1]!] === m[2];
    m = /^!has\((\S+)\)$/.exec(item);
    if (m) return !(m[1]! in e.labels);
    m = /^has\((\S+)\)$/.exec(item);
    if (m) return m[1]! in e.labels;
    return e.name === item || e.pods.includes(item);
  };
  return u.peers
    .filter(
      (p) =>
        p.peer.kind === 'endpoint' &&
        nss.includes(p.peer.e.namespace) &&
        items.some((it) => match((p.peer as { e: Endpoint }).e, it)),
    )
    .map((p) => p.key);
}

function resolveIps(u: Universe, text: string): Key[] | null {
  const set = text.split(',').map((t) => {
    const r = /^([\d.]+)-([\d.]+)$/.exec(t.trim());
    if (r) {
      const lo = parseCidr(r[1]!)!;
      const hi = parseCidr(r[2]!)!;
      return IpSet.of([{ family: lo.family, lo: lo.lo, hi: hi.lo }]);
    }
    return IpSet.block(t.trim());
  });
  if (set.some((s) => s === null)) return null; // a DNS name (Istio ServiceEntry host)
  const all = set.reduce((a, b) => a!.union(b!), IpSet.EMPTY)!;
  return u.peers
    .filter((p) => p.peer.kind === 'external' && all.containsRange(p.peer.atom.range))
    .map((p) => p.key);
}

function expectedFwRules(u: Universe, text: string): Map<string, ConnSet> {
  const out = new Map<string, ConnSet>();
  const side = /(?:(src|dst)_ns: \[([^\]]*)\] \1_pods: \[(.*?)\]|(src|dst): (\S+))/;
  for (const line of text.split('\n')) {
    if (!/conn: /.test(line) || /^final fw rules/.test(line)) continue;
    const [lhs, conn] = line.split(' conn: ') as [string, string];
    const dstAt = lhs.search(/ dst(_ns)?: /);
    const srcText = lhs.slice(0, dstAt);
    const dstText = lhs.slice(dstAt + 1);
    const keys = (t: string): Key[] | null => {
      const m = side.exec(t);
      if (!m) throw new Error(`cannot parse "${t}"`);
      return m[2] !== undefined ? resolvePods(u, m[2], m[3]!) : resolveIps(u, m[5]!);
    };
    const srcs = keys(srcText);
    const dsts = keys(dstText);
    if (!srcs || !dsts) continue;
    const c = parseConns(conn);
    for (const s of srcs)
      for (const d of dsts) {
        const k = `${s}|${d}`;
        out.set(k, (out.get(k) ?? ConnSet.NONE).union(c));
      }
  }
  return out;
}

function expectedNoFwRules(u: Universe, text: string): Map<string, ConnSet> {
  const byLabel = new Map<string, Key[]>();
  for (const p of u.peers) {
    const l = label(u, p.key);
    byLabel.set(l, [...(byLabel.get(l) ?? []), p.key]);
  }
  const out = new Map<string, ConnSet>();
  for (const line of text.split('\n')) {
    const m = /^(\S+) => (\S+) : (.*)$/.exec(line.trim());
    if (!m) continue;
    const keys = (l: string) =>
      byLabel.get(l) ?? (/^[\d.]+-[\d.]+$/.test(l) ? resolveIps(u, l) : null) ?? [`?${l}`];
    const srcs = keys(m[1]!);
    const dsts = keys(m[2]!);
    for (const s of srcs) for (const d of dsts) out.set(`${s}|${d}`, parseConns(m[3]!));
  }
  return out;
}

/** Differences between expected and computed connections, as readable lines. */
function diff(u: Universe, want: Map<string, ConnSet>, got: Map<string, ConnSet>): string[] {
  const out: string[] = [];
  const keys = new Set([...want.keys(), ...got.keys()]);
  for (const k of [...keys].sort()) {
    const [s, d] = k.split('|') as [Key, Key];
    const w = want.get(k) ?? ConnSet.NONE;
    const g = got.get(k) ?? ConnSet.NONE;
    if (!w.equals(g)) {
      const name = (x: Key) => (x.startsWith('?') ? x.slice(1) : label(u, x));
      out.push(`${name(s)} => ${name(d)}: expected ${w.toString()}, got ${g.toString()}`);
    }
  }
  return out;
}

// ---- permits / forbids

interface Pair {
  src: Peer;
  dst: Peer;
  conns: ConnSet;
}

/** Violating pairs: forbids -> spec-explicit AND impl-allowed; permits -> spec-explicit NOT in impl. */
function violations(query: 'permits' | 'forbids', impl: NetpolEngine, spec: NetpolEngine): Pair[] {
  const ui = universe(
    impl,
    spec.atoms().map((a) => IpSet.of([a.range])),
  );
  const out: Pair[] = [];
  // Endpoints are the same topology in both configs (same files); index by ref + pods.
  for (const [, s, , d] of pairs(ui)) {
    const ex = explicit(spec, s, d);
    if (ex.isEmpty()) continue;
    const allowed = impl.connections(s, d);
    if (query === 'forbids') {
      const both = ex.intersect(allowed);
      if (!both.isEmpty()) out.push({ src: s, dst: d, conns: both });
    } else if (!allowed.contains(ex)) out.push({ src: s, dst: d, conns: ex });
  }
  return out;
}

/** Pod-level pairs of an NCA explanation: `src: [...], dst: [...], conn: X`. */
function podPairs(text: string): Set<string> {
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^src: \[(.*)\], dst: \[(.*)\], conn: (.*)$/.exec(line.trim());
    if (!m) continue;
    const list = (s: string) => s.split(',').map((x) => x.trim().replace(/^'|'$/g, ''));
    const c = parseConns(m[3]!).key();
    for (const s of list(m[1]!))
      for (const d of list(m[2]!)) if (s !== d) out.add(`${s}|${d}|${c}`);
  }
  return out;
}

function ourPodPairs(v: Pair[]): Set<string> {
  const out = new Set<string>();
  const pods = (p: Peer) =>
    p.kind === 'endpoint'
      ? (p.e.pods.length ? p.e.pods : [p.e.name]).map((n) => `${p.e.namespace}/${n}`)
      : [formatRange(p.atom.range)];
  for (const x of v)
    for (const s of pods(x.src))
      for (const d of pods(x.dst)) if (s !== d) out.add(`${s}|${d}|${x.conns.key()}`);
  return out;
}

// ---- the cases

const engines = new Map<string, NetpolEngine>();
function engineOf(key: string): NetpolEngine {
  let e = engines.get(key);
  if (!e) {
    e = new NetpolEngine(model(suite.configs[key]!));
    engines.set(key, e);
  }
  return e;
}

const run = suite.cases.filter((c) => c.status === 'run');
let executed = 0;

describe('network-config-analyzer: permits / forbids / connectivity', () => {
  it.each(run.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const keys = c.configKeys!;
    if (c.query === 'connectivityMap') {
      expect(keys).toHaveLength(1);
      const u = universe(engineOf(keys[0]!));
      const text = readFileSync(join(FIXTURES, c.expectedOutput!), 'utf8');
      const want =
        c.outputFormat === 'txt_no_fw_rules'
          ? expectedNoFwRules(u, text)
          : expectedFwRules(u, text);
      const got = computed(u);
      for (const [k, v] of [...got]) if (v.isEmpty()) got.delete(k);
      for (const [k, v] of [...want])
        if (v.isEmpty() || k.split('|')[0] === k.split('|')[1]) want.delete(k);
      expect(want.size).toBeGreaterThan(0);
      expect(diff(u, want, got)).toEqual([]);
    } else {
      const impl = engineOf(keys[0]!);
      let count = 0;
      let lastViolations: Pair[] = [];
      for (const k of keys.slice(1)) {
        const spec = engineOf(k);
        // NCA does not execute permits / forbids against a config without policies (result 0).
        if (!spec.policies.length) continue;
        lastViolations = violations(c.query, impl, spec);
        if (lastViolations.length) count++;
      }
      expect(count).toBe(c.expected);
      if (c.expectedOutput && c.outputFormat === 'txt') {
        const text = readFileSync(join(FIXTURES, c.expectedOutput), 'utf8');
        expect([...ourPodPairs(lastViolations)].sort()).toEqual([...podPairs(text)].sort());
      }
    }
    executed++;
  });

  it('runs at least the committed number of cases, each skip with a reason', () => {
    expect(executed).toBe(run.length);
    expect(run.length).toBeGreaterThanOrEqual(suite.counts.run);
    for (const c of suite.cases.filter((x) => x.status === 'skip'))
      expect(c.reason?.length ?? 0).toBeGreaterThan(20);
  });

  it('covers every permits / forbids / connectivityMap query of the upstream scheme files', () => {
    // Count the queries by their YAML keys so a new upstream query cannot go unnoticed.
    const root = join(FIXTURES, 'network-config-analyzer/tests');
    const schemes = new Set(
      suite.cases.filter((c) => c.id.includes('_testcases/')).map((c) => c.id.split('#')[0]!),
    );
    let n = 0;
    for (const s of schemes) {
      const file = join(FIXTURES, s);
      expect(existsSync(file)).toBe(true);
      n += (readFileSync(file, 'utf8').match(/^\s+(permits|forbids|connectivityMap):\s*$/gm) ?? [])
        .length;
    }
    expect(existsSync(root)).toBe(true);
    expect(suite.cases.filter((c) => c.id.includes('_testcases/')).length).toBe(n);
  });
});
