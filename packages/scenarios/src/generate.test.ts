import { generateCluster } from './generate.js';
import { createRng } from './prng.js';
import type { GeneratedCluster, KubeObject, ScenarioOptions } from './types.js';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob']);

function count(c: GeneratedCluster, kind: string): number {
  return c.objects.filter((o) => o.kind === kind).length;
}

function env(o: KubeObject): { name: string; value?: string; valueFrom?: unknown }[] {
  const spec = (o.spec as { template: { spec: { containers: { env?: [] }[] } } }).template.spec;
  return spec.containers.flatMap((c) => c.env ?? []);
}

describe('generateCluster', () => {
  it('same seed, same cluster; another seed, another cluster', () => {
    const a = JSON.stringify(generateCluster({ seed: 42, pods: 500 }));
    expect(JSON.stringify(generateCluster({ seed: 42, pods: 500 }))).toBe(a);
    expect(JSON.stringify(generateCluster({ seed: '42', pods: 500 }))).toBe(a);
    expect(JSON.stringify(generateCluster({ seed: 43, pods: 500 }))).not.toBe(a);
  });

  it('uses neither Math.random nor the clock', () => {
    const random = jest.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random used');
    });
    const now = jest.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now used');
    });
    try {
      expect(generateCluster({ seed: 'pure', pods: 300, vms: 3 }).objects.length).toBeGreaterThan(
        300,
      );
    } finally {
      random.mockRestore();
      now.mockRestore();
    }
  });

  it.each<[ScenarioOptions & { pods: number }]>([
    [{ seed: 1, pods: 200 }],
    [{ seed: 2, pods: 1000, policies: 120 }],
    [{ seed: 3, pods: 5000, workloads: 600, policies: 400, vms: 12 }],
  ])('has exactly the requested size: %j', (opts) => {
    const c = generateCluster(opts);
    const workloads = opts.workloads ?? Math.round(opts.pods * 0.2);
    expect(count(c, 'Pod')).toBe(opts.pods);
    expect(c.counts.pods).toBe(opts.pods);
    expect(c.objects.filter((o) => WORKLOAD_KINDS.has(o.kind)).length).toBe(workloads);
    expect(count(c, 'NetworkPolicy')).toBe(opts.policies ?? Math.round(workloads / 4));
    expect(count(c, 'VirtualMachine')).toBe(opts.vms ?? 0);
    expect(c.counts.byKind['v1/Pod']).toBe(opts.pods);
  });

  it('is a consistent cluster: unique names, owners that exist, pods on real nodes', () => {
    const c = generateCluster({ seed: 'consistent', pods: 2000, vms: 4 });
    const keys = c.objects.map(
      (o) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
    const uids = new Map(c.objects.map((o) => [o.metadata.uid, o]));
    expect(uids.size).toBe(c.objects.length);
    const namespaces = new Set(
      c.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name),
    );
    const nodes = new Set(c.objects.filter((o) => o.kind === 'Node').map((o) => o.metadata.name));
    for (const o of c.objects) {
      if (o.metadata.namespace !== undefined) expect(namespaces).toContain(o.metadata.namespace);
      for (const ref of o.metadata.ownerReferences ?? []) {
        const owner = uids.get(ref.uid);
        expect(owner && [owner.kind, owner.metadata.name]).toEqual([ref.kind, ref.name]);
      }
      if (o.kind === 'Pod') {
        expect(o.metadata.ownerReferences).toHaveLength(1);
        expect(nodes).toContain((o.spec as { nodeName: string }).nodeName);
      }
    }
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
      expect(namespaces).toContain(ns);
    expect(JSON.parse(JSON.stringify(c.objects))).toEqual(c.objects);
  });

  it('plants the AI agents, the MCP server and default-deny policies', () => {
    const c = generateCluster({ seed: 'agents', pods: 800, agents: 4 });
    expect(c.landmarks.agents).toHaveLength(4);
    const byName = new Map(
      c.objects.filter((o) => o.kind === 'Deployment').map((o) => [o.metadata.name, o]),
    );
    const literal = c.landmarks.agents.find((a) => a.keySource === 'literal')!;
    const fromSecret = c.landmarks.agents.find((a) => a.keySource === 'secretKeyRef')!;
    const literalKey = env(byName.get(literal.name)!).find((e) => e.name === 'OPENAI_API_KEY')!;
    expect(literalKey.value).toMatch(/^sk-proj-FAKE[0-9a-f]{24}$/);
    expect(c.landmarks.fakeKeys).toContain(literalKey.value);
    const ref = env(byName.get(fromSecret.name)!).find((e) => e.name === 'OPENAI_API_KEY')!;
    expect(ref.valueFrom).toEqual({
      secretKeyRef: { name: 'llm-provider-keys', key: 'OPENAI_API_KEY' },
    });
    const secret = c.objects.find(
      (o) => o.kind === 'Secret' && o.metadata.name === 'llm-provider-keys',
    )!;
    const stored = Buffer.from(
      (secret.data as Record<string, string>).OPENAI_API_KEY!,
      'base64',
    ).toString();
    expect(c.landmarks.fakeKeys).toContain(stored);
    expect(byName.get(c.landmarks.mcpServer.name)).toBeDefined();
    expect(c.landmarks.defaultDenyNamespaces.length).toBeGreaterThan(0);
    for (const ns of c.landmarks.defaultDenyNamespaces) {
      const deny = c.objects.find(
        (o) =>
          o.kind === 'NetworkPolicy' &&
          o.metadata.namespace === ns &&
          o.metadata.name === 'default-deny',
      );
      expect((deny!.spec as { podSelector: unknown }).podSelector).toEqual({});
    }
  });

  it('draws the stack mix from the seed, and takes what it is given', () => {
    const cnis = new Set<string>();
    const meshes = new Set<string>();
    for (let seed = 0; seed < 30; seed++) {
      const c = generateCluster({ seed, pods: 50 });
      cnis.add(c.stack.cni);
      meshes.add(c.stack.mesh);
    }
    expect(cnis.size).toBeGreaterThanOrEqual(3);
    expect(meshes.size).toBeGreaterThanOrEqual(2);
    const fixed = generateCluster({
      seed: 7,
      pods: 300,
      stack: { provider: 'eks', cni: 'cilium', mesh: 'istio', agentPlatform: 'kagent' },
    });
    expect(fixed.stack).toMatchObject({ provider: 'eks', cni: 'cilium', mesh: 'istio' });
    expect(fixed.kubernetesVersion).toMatch(/-eks-/);
    expect(fixed.objects.some((o) => o.kind === 'DaemonSet' && o.metadata.name === 'cilium')).toBe(
      true,
    );
    expect(fixed.objects.some((o) => o.kind === 'PeerAuthentication')).toBe(true);
    expect(fixed.objects.some((o) => o.kind === 'ModelConfig')).toBe(true);
    expect(
      fixed.objects
        .filter((o) => o.kind === 'Node')
        .every((n) => String((n.spec as { providerID: string }).providerID).startsWith('aws://')),
    ).toBe(true);
  });

  it('adds KubeVirt only when VMs are asked for', () => {
    expect(
      generateCluster({ seed: 5, pods: 100 }).objects.some((o) =>
        o.apiVersion.startsWith('kubevirt.io/'),
      ),
    ).toBe(false);
    const c = generateCluster({ seed: 5, pods: 100, vms: 6 });
    expect(count(c, 'VirtualMachine')).toBe(6);
    expect(count(c, 'VirtualMachineInstance')).toBeGreaterThan(0);
    expect(
      c.objects.some(
        (o) =>
          o.kind === 'CustomResourceDefinition' &&
          o.metadata.name === 'virtualmachines.kubevirt.io',
      ),
    ).toBe(true);
  });
});

describe('createRng', () => {
  it('is deterministic, in range and forks independently', () => {
    const a = createRng('x');
    const b = createRng('x');
    const seq = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(seq);
    expect(seq.every((v) => v >= 0 && v < 1)).toBe(true);
    const r = createRng(1);
    for (let i = 0; i < 200; i++) {
      const n = r.int(3, 5);
      expect(n >= 3 && n <= 5 && Number.isInteger(n)).toBe(true);
    }
    expect(createRng(1).fork('a').next()).toBe(createRng(1).fork('a').next());
    expect(createRng(1).fork('a').next()).not.toBe(createRng(1).fork('b').next());
    expect(createRng(9).uuid()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
