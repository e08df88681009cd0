// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const calicoGoldmaneRule: ComponentRule = {
  id: 'calico-goldmane',
  name: 'Calico Goldmane (flow aggregation)',
  category: 'observability',
  runtime: [{ kind: ['Deployment'], name: /^goldmane$/ }],
  objects: [{ list: 'customResources', group: /^operator\.tigera\.io$/, kind: /^Goldmane$/ }],
  objectsMeanInstalled: true,
  fixtures: {
    pass: [
      {
        name: 'Goldmane CR',
        spec: {
          objects: [
            {
              list: 'customResources',
              apiVersion: 'operator.tigera.io/v1',
              kind: 'Goldmane',
              name: 'default',
            },
          ],
        },
        expect: {
          status: 'installed',
        },
      },
    ],
    fail: [
      {
        name: 'Whisker only',
        spec: {
          objects: [
            {
              list: 'customResources',
              apiVersion: 'operator.tigera.io/v1',
              kind: 'Whisker',
              name: 'default',
            },
          ],
        },
      },
    ],
  },
};
