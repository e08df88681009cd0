import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isCollected, mayCollectGroup } from './reduce.js';

describe('the types live collection lists', () => {
  it('include every type the reducer handles by name (reduce.ts switch)', () => {
    const source = readFileSync(join(__dirname, 'reduce.ts'), 'utf8');
    const cases = [...source.matchAll(/case '([^'/]+\/[^']+)':/g)].map((m) => m[1]!);
    expect(cases.length).toBeGreaterThan(15);
    for (const c of cases) {
      const i = c.lastIndexOf('/');
      expect([c, isCollected(c.slice(0, i), c.slice(i + 1))]).toEqual([c, true]);
      expect([c, mayCollectGroup(c.slice(0, i))]).toEqual([c, true]);
    }
  });

  it.each([
    ['apps', 'Deployment', true],
    ['batch', 'CronJob', true],
    ['core', 'Pod', true],
    ['core', 'Secret', true],
    ['gateway.networking.k8s.io', 'HTTPRoute', true],
    ['cilium.io', 'CiliumNetworkPolicy', true],
    ['crd.projectcalico.org', 'FelixConfiguration', true],
    ['kagent.dev', 'Agent', true],
    ['core', 'Event', false],
    ['core', 'PersistentVolumeClaim', false],
    ['coordination.k8s.io', 'Lease', false],
    ['cilium.io', 'CiliumEndpoint', false],
    ['projectcalico.org', 'WorkloadEndpoint', false],
  ])('%s/%s: %s', (group, kind, expected) => {
    expect(isCollected(group, kind)).toBe(expected);
  });

  it('skip groups that cannot hold a needed type', () => {
    expect(mayCollectGroup('coordination.k8s.io')).toBe(false);
    expect(mayCollectGroup('metrics.k8s.io')).toBe(false);
    expect(mayCollectGroup('networking.k8s.io')).toBe(true);
  });
});
