// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const calicoWhiskerRule: ComponentRule = {
  id: 'calico-whisker',
  name: 'Calico Whisker (flow UI)',
  category: 'observability',
  runtime: [{ kind: ['Deployment'], name: /^whisker$/ }],
  objects: [{ list: 'customResources', group: /^operator\.tigera\.io$/, kind: /^Whisker$/ }],
  objectsMeanInstalled: true,
  fixtures: {
    pass: [
      {
        name: 'Whisker CR',
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
        expect: {
          status: 'installed',
        },
      },
    ],
    fail: [
      {
        name: 'Goldmane only',
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
      },
    ],
  },
};
