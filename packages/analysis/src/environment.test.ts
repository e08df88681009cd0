import { snapshotFromSpec } from '@plumbline/detection';
import { inferEnvironment } from './environment.js';

const named = (name: string) => {
  const s = snapshotFromSpec({ workloads: [] });
  return { ...s, cluster: { ...s.cluster, name } };
};

describe('environment inferred from names and labels (18.10)', () => {
  it.each([
    ['shop-prod-eu', true],
    ['prod', true],
    ['PRD-1', true],
    ['eu_production_2', true],
    ['payments.live', true],
    ['prod2-us', true],
    ['legacy-dev', false],
    ['shop-staging', false],
    ['preprod-eu', false],
    ['prod-staging', false],
    ['product-catalog', false],
    ['produce', false],
    ['delivery', false],
    ['olive', false],
    ['ai-platform', false],
  ])('%s -> production %s', (name, production) => {
    const r = inferEnvironment(named(name));
    expect(r.production).toBe(production);
    expect(r.reason).toContain(name);
  });

  it('an environment label on the nodes or kube-system wins over the name', () => {
    const s = named('shop-prod-eu');
    const labelled = {
      ...s,
      nodes: [
        {
          name: 'n1',
          labels: { 'example.com/environment': 'staging' },
          kubeletVersion: null,
          kernelVersion: null,
          osImage: null,
          containerRuntimeVersion: null,
          providerID: null,
        },
      ],
    };
    expect(inferEnvironment(labelled)).toEqual({
      production: false,
      reason: 'label example.com/environment=staging on node n1',
    });
    const ns = {
      ...named('cluster-a'),
      namespaces: [
        { name: 'kube-system', uid: null, labels: { env: 'production' }, annotations: {} },
      ],
    };
    expect(inferEnvironment(ns)).toEqual({
      production: true,
      reason: 'label env=production on namespace kube-system',
    });
  });
});
