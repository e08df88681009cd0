import type {
  ClusterSnapshot,
  ComponentId,
  DetectedComponent,
  Evidence,
  NetworkFacts,
  Workload,
} from '@plumbline/contracts';

/**
 * Network facts that follow from configuration rather than from a component's presence:
 * dataplane, encapsulation, kube-proxy mode, whether NetworkPolicy is enforced, and encryption.
 * Every fact carries the evidence it was read from.
 */

type Facts = { evidence: Evidence[] };
const wref = (w: Workload) => `${w.kind} ${w.namespace}/${w.name}`;

/** A literal env value on any container of the workload, or one resolved from a kept ConfigMap. */
export function envValue(snapshot: ClusterSnapshot, w: Workload, name: string): string | null {
  for (const c of w.containers) {
    for (const e of c.env) {
      if (e.name !== name) continue;
      if (e.source === 'literal' && e.value !== undefined) return e.value;
      if (e.source === 'configMapKeyRef') {
        const cm = snapshot.config.configMaps.find(
          (m) => m.name === e.configMapName && m.namespace === w.namespace,
        );
        const v = cm?.data[e.key];
        if (v !== undefined) return v;
      }
    }
  }
  return null;
}

/** Calico's networking backend on a calico-node workload: bird, vxlan, none (policy-only)... */
export function calicoBackend(snapshot: ClusterSnapshot, node: Workload): string | null {
  return envValue(snapshot, node, 'CALICO_NETWORKING_BACKEND')?.trim().toLowerCase() ?? null;
}

function configValue(
  snapshot: ClusterSnapshot,
  cmName: RegExp,
  key: string,
): { value: string; ref: string } | null {
  for (const c of snapshot.config.configMaps) {
    if (!cmName.test(c.name)) continue;
    const v = c.data[key];
    if (v !== undefined)
      return { value: v.trim(), ref: `ConfigMap ${c.namespace}/${c.name} ${key}=${v.trim()}` };
  }
  return null;
}

function argValue(w: Workload, flag: string): string | null {
  for (const c of w.containers) {
    for (const a of [...c.command, ...c.args]) {
      const m = new RegExp(`^--?${flag}=(.*)$`).exec(a);
      if (m) return m[1]!;
    }
  }
  return null;
}

/** kube-router runs its IPVS service proxy unless told not to (`--run-service-proxy` defaults to true). */
function serviceProxy(kr: Workload): boolean {
  return argValue(kr, 'run-service-proxy') !== 'false';
}

function installation(snapshot: ClusterSnapshot) {
  return snapshot.config.customResources.find(
    (o) => o.kind === 'Installation' && /operator\.tigera\.io/.test(o.apiVersion),
  );
}

function calicoNetwork(snapshot: ClusterSnapshot): Record<string, unknown> | null {
  const inst = installation(snapshot);
  const spec = inst?.spec;
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return null;
  const cn = (spec as Record<string, unknown>).calicoNetwork;
  return cn && typeof cn === 'object' && !Array.isArray(cn) ? (cn as Record<string, unknown>) : {};
}

const find = (snapshot: ClusterSnapshot, name: RegExp, kind = 'DaemonSet') =>
  snapshot.workloads.find((w) => w.kind === kind && name.test(w.name));

/** The pod network provider: the CNI that routes pod traffic (a policy-only Calico is not it). */
function primaryCni(components: DetectedComponent[]): ComponentId | null {
  const cnis = components.filter((c) => c.category === 'cni' && c.status !== 'remnant');
  const routing = cnis.filter(
    (c) => !(c.id === 'calico' && c.attributes.install === 'policy-only'),
  );
  const order: ComponentId[] = [
    'canal',
    'cilium',
    'calico',
    'antrea',
    'weave-net',
    'kube-router',
    'aws-vpc-cni',
    'azure-cni',
    'flannel',
    'kindnet',
  ];
  for (const id of order) if (routing.some((c) => c.id === id)) return id;
  // Calico in policy-only mode runs on top of a CNI that the snapshot does not show.
  return null;
}

export function networkFacts(
  snapshot: ClusterSnapshot,
  components: DetectedComponent[],
): NetworkFacts {
  const f: Facts = { evidence: [] };
  const note = (ref: string, signal = 'config') => f.evidence.push({ ref, signal });
  const has = (id: ComponentId) => components.some((c) => c.id === id && c.status !== 'remnant');
  const cni = primaryCni(components);

  // ---- dataplane and encapsulation, per CNI family
  let dataplane: NetworkFacts['dataplane'] = 'unknown';
  let encapsulation: NetworkFacts['encapsulation'] = 'unknown';
  const calicoNode = find(snapshot, /^(calico-node|canal)$/);
  const cn = calicoNetwork(snapshot);
  if (cni === 'calico' || cni === 'canal') {
    dataplane = 'iptables';
    if (calicoNode) {
      const bpf = envValue(snapshot, calicoNode, 'FELIX_BPFENABLED');
      if (bpf?.toLowerCase() === 'true') {
        dataplane = 'ebpf';
        note(`env FELIX_BPFENABLED=true on ${wref(calicoNode)}`);
      }
      const nft = envValue(snapshot, calicoNode, 'FELIX_NFTABLESMODE');
      if (nft?.toLowerCase() === 'enabled') {
        dataplane = 'nftables';
        note(`env FELIX_NFTABLESMODE=Enabled on ${wref(calicoNode)}`);
      }
    }
    if (cn) {
      const dp = String(cn.linuxDataplane ?? 'Iptables');
      dataplane =
        dp === 'BPF'
          ? 'ebpf'
          : dp === 'Nftables'
            ? 'nftables'
            : dp === 'VPP'
              ? 'unknown'
              : 'iptables';
      note(`Installation default calicoNetwork.linuxDataplane=${dp}`);
      const pools = Array.isArray(cn.ipPools) ? (cn.ipPools as Record<string, unknown>[]) : [];
      const enc = pools.map((p) => String(p.encapsulation ?? 'IPIP'));
      if (enc.length) {
        encapsulation = enc.some((e) => /VXLAN/.test(e))
          ? 'vxlan'
          : enc.some((e) => /IPIP/.test(e))
            ? 'ipip'
            : 'none';
        note(`Installation default ipPools encapsulation=${enc.join(',')}`);
      }
    }
    if (cni === 'canal') {
      const net = configValue(snapshot, /^canal-config$/, 'net-conf.json');
      encapsulation = flannelEncap(net?.value) ?? 'vxlan';
      if (net) note(net.ref);
    } else if (calicoNode && !cn) {
      const ipip = envValue(snapshot, calicoNode, 'CALICO_IPV4POOL_IPIP');
      const vxlan = envValue(snapshot, calicoNode, 'CALICO_IPV4POOL_VXLAN');
      if (vxlan && /^(Always|CrossSubnet)$/i.test(vxlan)) encapsulation = 'vxlan';
      else if (ipip && /^(Always|CrossSubnet)$/i.test(ipip)) encapsulation = 'ipip';
      else if (ipip || vxlan) encapsulation = 'none';
      if (ipip || vxlan)
        note(
          `env CALICO_IPV4POOL_IPIP=${ipip ?? '(unset)'} CALICO_IPV4POOL_VXLAN=${vxlan ?? '(unset)'} on ${wref(calicoNode)}`,
        );
    }
  } else if (cni === 'cilium') {
    dataplane = 'ebpf';
    const tunnel =
      configValue(snapshot, /^cilium-config$/, 'tunnel') ??
      configValue(snapshot, /^cilium-config$/, 'tunnel-protocol');
    const routing = configValue(snapshot, /^cilium-config$/, 'routing-mode');
    if (routing?.value === 'native' || tunnel?.value === 'disabled') encapsulation = 'none';
    else if (tunnel?.value === 'geneve') encapsulation = 'geneve';
    else if (tunnel?.value === 'vxlan' || routing?.value === 'tunnel') encapsulation = 'vxlan';
    for (const x of [tunnel, routing]) if (x) note(x.ref);
  } else if (cni === 'flannel') {
    dataplane = 'iptables';
    const net = configValue(snapshot, /^kube-flannel-cfg$/, 'net-conf.json');
    encapsulation = flannelEncap(net?.value) ?? 'unknown';
    if (net) note(net.ref);
  } else if (cni === 'antrea') {
    dataplane = 'ovs';
    // Read from antrea-agent.conf: trafficEncapMode (encap, noEncap, hybrid) and tunnelType
    // (geneve by default, vxlan, gre, stt); the default applies only when the file is absent.
    const conf = antreaAgentConf(snapshot);
    const mode = conf?.get('trafficEncapMode');
    const tunnel = conf?.get('tunnelType');
    if (conf)
      note(
        `${conf.ref} trafficEncapMode=${mode ?? '(default encap)'} tunnelType=${tunnel ?? '(default geneve)'}`,
      );
    if (mode && /^noencap$/i.test(mode)) encapsulation = 'none';
    else {
      const t = (tunnel ?? 'geneve').toLowerCase();
      encapsulation = t === 'geneve' ? 'geneve' : t === 'vxlan' ? 'vxlan' : 'unknown';
    }
  } else if (cni === 'weave-net') {
    dataplane = 'iptables';
    encapsulation = 'vxlan';
  } else if (cni === 'aws-vpc-cni' || cni === 'azure-cni') {
    dataplane = 'vpc-native';
    encapsulation = 'none';
  } else if (cni === 'kube-router') {
    // kube-router routes pods with BGP; its overlay (IPIP) is on by default for peers in other
    // subnets (--enable-overlay, --overlay-type=subnet|full). Its service proxy is IPVS.
    const kr = find(snapshot, /^kube-router$/);
    dataplane = kr && serviceProxy(kr) ? 'ipvs' : 'iptables';
    const overlay = kr ? argValue(kr, 'enable-overlay') : null;
    encapsulation = overlay === 'false' ? 'none' : 'ipip';
    if (kr)
      note(
        `${wref(kr)} --enable-overlay=${overlay ?? '(default true)'} --overlay-type=${argValue(kr, 'overlay-type') ?? '(default subnet)'}`,
      );
  } else if (cni === 'kindnet') {
    dataplane = 'iptables';
    encapsulation = 'none';
  }

  // ---- kube-proxy
  let kubeProxyMode: NetworkFacts['kubeProxyMode'] = 'unknown';
  const kp = configValue(snapshot, /^kube-proxy$/, 'config.conf');
  if (kp) {
    const m = /^\s*mode:\s*["']?([a-z]*)["']?\s*$/m.exec(kp.value);
    const mode = m?.[1] ?? '';
    kubeProxyMode = mode === 'ipvs' ? 'ipvs' : mode === 'nftables' ? 'nftables' : 'iptables';
    note(`ConfigMap kube-system/kube-proxy mode=${mode || '(default iptables)'}`);
  }
  const kpr = configValue(snapshot, /^cilium-config$/, 'kube-proxy-replacement');
  if (kpr && /^(true|strict)$/.test(kpr.value)) {
    kubeProxyMode = 'replaced';
    note(kpr.ref);
  }
  const router = find(snapshot, /^kube-router$/);
  if (router && serviceProxy(router)) {
    kubeProxyMode = 'replaced';
    note(
      `${wref(router)} --run-service-proxy=${argValue(router, 'run-service-proxy') ?? '(default true)'} (kube-router is the service proxy)`,
    );
  }
  if (cn && String(cn.linuxDataplane) === 'BPF') {
    const spec = installation(snapshot)?.spec as Record<string, unknown> | undefined;
    const mgmt = (spec?.calicoNetwork as Record<string, unknown> | undefined)?.kubeProxyManagement;
    if (mgmt === 'Enabled') {
      kubeProxyMode = 'replaced';
      note(
        'Installation default calicoNetwork.kubeProxyManagement=Enabled (eBPF kube-proxy replacement)',
      );
    }
  }

  // ---- NetworkPolicy enforcement
  const engines: ComponentId[] = [];
  const reasons: string[] = [];
  if (has('calico')) engines.push('calico');
  if (has('canal') && !engines.includes('calico')) engines.push('calico');
  if (has('cilium')) {
    const mode = configValue(snapshot, /^cilium-config$/, 'enable-policy');
    if (mode?.value === 'never') reasons.push(`Cilium policy enforcement is off (${mode.ref})`);
    else engines.push('cilium');
  }
  if (has('antrea')) engines.push('antrea');
  const weave = find(snapshot, /^weave-net$/);
  if (weave && weave.containers.some((c) => c.name === 'weave-npc' || /weave-npc/.test(c.image))) {
    engines.push('weave-net');
    note(`container weave-npc in ${wref(weave)}`, 'workload');
  }
  if (has('kube-router')) {
    const kr = find(snapshot, /^kube-router$/);
    if (kr && argValue(kr, 'run-firewall') === 'false')
      reasons.push(`kube-router runs with --run-firewall=false`);
    else engines.push('kube-router');
  }
  const awsNode = find(snapshot, /^aws-node$/);
  if (awsNode) {
    const flag = argValue(awsNode, 'enable-network-policy');
    const cm = configValue(snapshot, /^amazon-vpc-cni$/, 'enable-network-policy-controller');
    if (flag === 'true' || cm?.value === 'true') engines.push('aws-vpc-cni');
    else {
      reasons.push(
        `Amazon VPC CNI network policy agent disabled (${flag !== null ? `--enable-network-policy=${flag}` : 'no --enable-network-policy=true'}${cm ? `, ${cm.ref}` : ''})`,
      );
    }
  }
  if (snapshot.workloads.some((w) => w.kind === 'DaemonSet' && /^azure-npm/.test(w.name)))
    engines.push('azure-cni');
  let enforced: boolean | null;
  let reason: string;
  if (engines.length) {
    enforced = true;
    reason = `enforced by ${engines.join(', ')}`;
  } else if (cni) {
    enforced = false;
    reason = [
      `no NetworkPolicy engine: ${cni} alone does not enforce NetworkPolicy`,
      ...reasons,
    ].join('; ');
    if (cni === 'kindnet') {
      enforced = null;
      reason =
        'kindnet enforces NetworkPolicy only in recent versions; not determinable from the snapshot';
    }
  } else {
    enforced = null;
    reason = 'no CNI detected (the snapshot may not include kube-system)';
  }

  // ---- encryption in transit
  const methods = new Set<NetworkFacts['encryption']['methods'][number]>();
  const encReasons: string[] = [];
  if (
    calicoNode &&
    envValue(snapshot, calicoNode, 'FELIX_WIREGUARDENABLED')?.toLowerCase() === 'true'
  ) {
    methods.add('wireguard');
    encReasons.push(`env FELIX_WIREGUARDENABLED=true on ${wref(calicoNode)}`);
  }
  for (const fc of snapshot.config.customResources.filter((o) => o.kind === 'FelixConfiguration')) {
    const s = fc.spec as Record<string, unknown> | null;
    if (s && typeof s === 'object' && s.wireguardEnabled === true) {
      methods.add('wireguard');
      encReasons.push(`FelixConfiguration ${fc.name} wireguardEnabled=true`);
    }
  }
  for (const key of ['enable-wireguard', 'enable-ipsec']) {
    const v = configValue(snapshot, /^cilium-config$/, key);
    if (v?.value === 'true') {
      methods.add(key === 'enable-wireguard' ? 'wireguard' : 'ipsec');
      encReasons.push(v.ref);
    }
  }
  if (weave && weave.containers.some((c) => c.env.some((e) => e.name === 'WEAVE_PASSWORD'))) {
    methods.add('ipsec');
    encReasons.push(`env WEAVE_PASSWORD set on ${wref(weave)} (weave encryption)`);
  }
  const antrea = has('antrea') ? antreaAgentConf(snapshot) : null;
  if (antrea) {
    const mode = antrea.get('trafficEncryptionMode')?.toLowerCase();
    if (mode === 'ipsec' || antrea.get('enableIPSecTunnel') === 'true') {
      methods.add('ipsec');
      encReasons.push(
        `${antrea.ref} ${mode ? `trafficEncryptionMode=${mode}` : 'enableIPSecTunnel=true'}`,
      );
    } else if (mode === 'wireguard') {
      methods.add('wireguard');
      encReasons.push(`${antrea.ref} trafficEncryptionMode=wireGuard`);
    }
  }
  const flannelNet = configValue(snapshot, /^(kube-flannel-cfg|canal-config)$/, 'net-conf.json');
  if (flannelNet && /"Type"\s*:\s*"wireguard"/i.test(flannelNet.value)) {
    methods.add('wireguard');
    encReasons.push(flannelNet.ref);
  }
  const istio = components.find((c) => c.id === 'istio' && c.status !== 'remnant');
  if (istio?.attributes.mode === 'ambient') {
    methods.add('mesh-mtls');
    encReasons.push('Istio ambient: ztunnel encrypts pod traffic with mTLS (HBONE)');
  } else if (istio) {
    const strict = snapshot.config.customResources.some(
      (o) => o.kind === 'PeerAuthentication' && JSON.stringify(o.spec).includes('"STRICT"'),
    );
    if (strict) {
      methods.add('mesh-mtls');
      encReasons.push('Istio PeerAuthentication with mode STRICT');
    }
  }
  if (has('linkerd')) {
    methods.add('mesh-mtls');
    encReasons.push('Linkerd proxies use mTLS between meshed pods by default');
  }

  return {
    cni,
    dataplane,
    encapsulation,
    kubeProxyMode,
    networkPolicy: { engines, enforced, reason },
    encryption: {
      methods: [...methods].sort(),
      reason: encReasons.length
        ? encReasons.join('; ')
        : 'no in-transit encryption configured in the snapshot',
    },
    facts: f.evidence,
  };
}

/**
 * Top-level settings of Antrea's agent configuration (ConfigMap antrea-config, key
 * antrea-agent.conf, a YAML file), commented lines ignored.
 */
function antreaAgentConf(
  snapshot: ClusterSnapshot,
): { get: (key: string) => string | undefined; ref: string } | null {
  for (const c of snapshot.config.configMaps) {
    if (!/^antrea-config(-[a-z0-9]+)?$/.test(c.name)) continue;
    const text = c.data['antrea-agent.conf'];
    if (text === undefined) continue;
    const values = new Map<string, string>();
    for (const line of text.split('\n')) {
      const m = /^([A-Za-z][\w]*):\s*["']?([^"'#\s]*)["']?\s*(#.*)?$/.exec(line);
      if (m && m[2]) values.set(m[1]!, m[2]);
    }
    return {
      get: (k) => values.get(k),
      ref: `ConfigMap ${c.namespace}/${c.name} antrea-agent.conf`,
    };
  }
  return null;
}

function flannelEncap(netConf: string | undefined): NetworkFacts['encapsulation'] | null {
  if (!netConf) return null;
  const m = /"Type"\s*:\s*"([^"]+)"/i.exec(netConf);
  const t = m?.[1]?.toLowerCase();
  if (!t) return null;
  if (t === 'vxlan') return 'vxlan';
  if (t === 'ipip') return 'ipip';
  if (t === 'host-gw' || t === 'wireguard' || t === 'alloc') return 'none';
  return 'unknown';
}
