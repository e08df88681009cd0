import type { PolicyDialect } from '@plumbline/contracts';
import type { BundleObject, Json, Manifest } from './k8s.js';

/**
 * The generated network policies in the dialect of the CNI that enforces them. Plumbline writes
 * Kubernetes NetworkPolicies by default; a team whose policies live in Calico or Cilium can ask
 * for the same rules as Calico `projectcalico.org/v3` NetworkPolicies or `cilium.io/v2`
 * CiliumNetworkPolicies. The translation keeps the meaning: the same pods selected, the same
 * peers and ports allowed, and a default deny that each engine treats as one. Verification then
 * re-analyses the translated objects with that engine's own semantics (packages/netpol), so a
 * translation that changed what is allowed fails verification and is never offered.
 *
 * Only the shapes the plan generates are translated (a pod selector by labels; peers: every pod
 * in every namespace, an IP block, or pods by labels in one namespace; ports by number or name);
 * anything else is a programming error.
 */

/** The detection id of the engine that must enforce a dialect's policies. */
export const DIALECT_ENGINE: Record<Exclude<PolicyDialect, 'kubernetes'>, string> = {
  calico: 'calico',
  cilium: 'cilium',
};

export const DIALECT_NAMES: Record<PolicyDialect, string> = {
  kubernetes: 'Kubernetes NetworkPolicy',
  calico: 'Calico NetworkPolicy (projectcalico.org/v3)',
  cilium: 'CiliumNetworkPolicy (cilium.io/v2)',
};

type Labels = Record<string, string>;
interface Port {
  protocol: string;
  port: number | string;
}
type Peer =
  | { kind: 'all-pods' }
  | { kind: 'cidr'; cidr: string }
  | { kind: 'pods'; namespace: string; labels: Labels };
interface Rule {
  peers: Peer[];
  ports: Port[];
}
interface Policy {
  name: string;
  namespace: string;
  labels: Labels;
  selector: Labels;
  direction: 'Ingress' | 'Egress';
  /** Empty: deny everything in that direction. */
  rules: Rule[];
}

const obj = (v: Json | undefined): Record<string, Json> =>
  v && typeof v === 'object' && !Array.isArray(v) ? v : {};
const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
const labelsOf = (v: Json | undefined): Labels =>
  Object.fromEntries(Object.entries(obj(obj(v).matchLabels)).map(([k, x]) => [k, String(x)]));

function fail(m: Manifest, what: string): never {
  throw new Error(`cannot translate ${m.kind} ${m.metadata.name}: ${what}`);
}

/** Reads one of the plan's own NetworkPolicies. */
function read(m: Manifest): Policy {
  const spec = obj(m.spec as Json);
  const types = arr(spec.policyTypes).map(String);
  if (types.length !== 1 || (types[0] !== 'Ingress' && types[0] !== 'Egress'))
    fail(m, 'one policy type expected');
  const direction = types[0] as 'Ingress' | 'Egress';
  const key = direction === 'Ingress' ? 'from' : 'to';
  const rules = arr(spec[direction === 'Ingress' ? 'ingress' : 'egress']).map((r): Rule => {
    const rule = obj(r);
    const peers = arr(rule[key]).map((p): Peer => {
      const peer = obj(p);
      const block = obj(peer.ipBlock);
      if (typeof block.cidr === 'string') {
        if (block.except !== undefined) fail(m, 'ipBlock except');
        return { kind: 'cidr', cidr: block.cidr };
      }
      const nsLabels = labelsOf(peer.namespaceSelector);
      if (peer.namespaceSelector !== undefined && !Object.keys(nsLabels).length) {
        if (peer.podSelector !== undefined) fail(m, 'pods in every namespace by labels');
        return { kind: 'all-pods' };
      }
      const ns = nsLabels['kubernetes.io/metadata.name'];
      if (ns === undefined || Object.keys(nsLabels).length !== 1) fail(m, 'namespace by name');
      return { kind: 'pods', namespace: ns, labels: labelsOf(peer.podSelector) };
    });
    if (!peers.length) fail(m, 'a rule without peers');
    const ports = arr(rule.ports).map((p): Port => {
      const port = obj(p);
      if (typeof port.port !== 'number' && typeof port.port !== 'string') fail(m, 'port');
      return { protocol: String(port.protocol ?? 'TCP'), port: port.port };
    });
    if (!ports.length) fail(m, 'a rule without ports');
    return { peers, ports };
  });
  return {
    name: m.metadata.name,
    namespace: m.metadata.namespace ?? 'default',
    labels: m.metadata.labels ?? {},
    selector: labelsOf(spec.podSelector),
    direction,
    rules,
  };
}

// ------------------------------------------------------------------ Calico

/** A Calico selector for exact label matches (`all()` when none). */
export function calicoSelector(labels: Labels): string {
  const terms = Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k} == '${v}'`);
  return terms.length ? terms.join(' && ') : 'all()';
}

const isV6 = (cidr: string) => cidr.includes(':');

function calico(p: Policy): Manifest {
  const dir = p.direction === 'Ingress' ? 'ingress' : 'egress';
  const rules: Json[] = [];
  for (const r of p.rules) {
    // Calico rules carry one protocol, one peer kind, and one IP version of nets.
    const protocols = [...new Set(r.ports.map((x) => x.protocol))].sort();
    const anyPods = r.peers.some((x) => x.kind === 'all-pods');
    const nets = r.peers.flatMap((x) => (x.kind === 'cidr' ? [x.cidr] : []));
    const everywhere = anyPods && nets.includes('0.0.0.0/0') && nets.includes('::/0');
    const peers: Record<string, Json>[] = everywhere
      ? [{}]
      : [
          // Every pod in every namespace, and only pods: Calico labels each namespace with its
          // name and each pod with its orchestrator (network sets, which are addresses, match
          // neither; a bare namespaceSelector would match the namespace's network sets).
          ...(anyPods
            ? [
                {
                  namespaceSelector: 'has(projectcalico.org/name)',
                  selector: "projectcalico.org/orchestrator == 'k8s'",
                },
              ]
            : []),
          ...r.peers.flatMap((x) =>
            x.kind === 'pods'
              ? [
                  {
                    namespaceSelector: `projectcalico.org/name == '${x.namespace}'`,
                    selector: calicoSelector(x.labels),
                  },
                ]
              : [],
          ),
          ...[nets.filter((n) => !isV6(n)), nets.filter(isV6)]
            .filter((n) => n.length)
            .map((n) => ({ nets: n })),
        ];
    for (const protocol of protocols) {
      const ports = r.ports.filter((x) => x.protocol === protocol).map((x) => x.port);
      for (const peer of peers)
        rules.push({
          action: 'Allow',
          protocol,
          ...(p.direction === 'Ingress'
            ? { ...(Object.keys(peer).length ? { source: peer } : {}), destination: { ports } }
            : { destination: { ...peer, ports } }),
        });
    }
  }
  return {
    apiVersion: 'projectcalico.org/v3',
    kind: 'NetworkPolicy',
    metadata: { name: p.name, namespace: p.namespace, labels: p.labels },
    spec: {
      selector: calicoSelector(p.selector),
      types: [p.direction],
      [dir]: rules,
    },
  };
}

// ------------------------------------------------------------------ Cilium

const CILIUM_NS = 'k8s:io.kubernetes.pod.namespace';

function cilium(p: Policy): Manifest {
  const dir = p.direction === 'Ingress' ? 'ingress' : 'egress';
  const from = p.direction === 'Ingress' ? 'from' : 'to';
  // A rule that allows nothing: Cilium's own idiom for "deny everything in this direction".
  const rules: Json[] = p.rules.length
    ? p.rules.map((r) => {
        const anyPods = r.peers.some((x) => x.kind === 'all-pods');
        const nets = r.peers.flatMap((x) => (x.kind === 'cidr' ? [x.cidr] : []));
        const world = nets.includes('0.0.0.0/0') && nets.includes('::/0');
        const endpoints: Json[] = [
          ...(anyPods && !world
            ? [{ matchExpressions: [{ key: CILIUM_NS, operator: 'Exists' }] }]
            : []),
          ...r.peers.flatMap((x) =>
            x.kind === 'pods' ? [{ matchLabels: { [CILIUM_NS]: x.namespace, ...x.labels } }] : [],
          ),
        ];
        const entities: string[] = [];
        if (anyPods && world) entities.push('all');
        else if (world) {
          // The API server is not a "world" address in Cilium (it is the kube-apiserver entity):
          // an allow of every address on the API server's ports must name it too.
          entities.push('world');
          if (r.ports.some((x) => x.port === 443 || x.port === 6443))
            entities.push('kube-apiserver');
        }
        const cidrs = world ? [] : nets;
        return {
          ...(endpoints.length ? { [`${from}Endpoints`]: endpoints } : {}),
          ...(entities.length ? { [`${from}Entities`]: entities } : {}),
          ...(cidrs.length ? { [`${from}CIDR`]: cidrs } : {}),
          toPorts: [
            { ports: r.ports.map((x) => ({ port: String(x.port), protocol: x.protocol })) },
          ],
        };
      })
    : [{}];
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: p.name, namespace: p.namespace, labels: p.labels },
    spec: { endpointSelector: { matchLabels: p.selector }, [dir]: rules },
  };
}

/** The plan's NetworkPolicies in `dialect` (other objects unchanged). */
export function inDialect(
  objects: readonly BundleObject[],
  dialect: PolicyDialect,
): BundleObject[] {
  if (dialect === 'kubernetes') return [...objects];
  return objects.map((o) => {
    if (o.manifest.kind !== 'NetworkPolicy' || o.manifest.apiVersion !== 'networking.k8s.io/v1')
      return o;
    const policy = read(o.manifest);
    const manifest = dialect === 'calico' ? calico(policy) : cilium(policy);
    const file = o.file.replace(/\/networkpolicy-/, `/${manifest.kind.toLowerCase()}-`);
    return { ...o, file, manifest };
  });
}
