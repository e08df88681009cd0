// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const antreaFlowAggregatorRule: ComponentRule = {
  id: 'antrea-flow-aggregator',
  name: 'Antrea Flow Aggregator',
  category: 'observability',
  runtime: [
    { kind: ['Deployment'], image: /antrea\/flow-aggregator/ },
    { kind: ['Deployment'], name: /^flow-aggregator$/ },
  ],
  versionFromImage: /flow-aggregator:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'flow-aggregator',
              name: 'flow-aggregator',
              images: ['antrea/flow-aggregator:v2.2.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '2.2.0',
        },
      },
    ],
    fail: [
      {
        name: 'look-alike',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'default',
              name: 'aggregator',
              images: ['example/agg:1'],
            },
          ],
        },
      },
    ],
  },
};
