// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const polarisRule: ComponentRule = {
  id: 'polaris',
  name: 'Polaris',
  category: 'policy-compliance',
  runtime: [
    { kind: ['Deployment'], image: /fairwinds(ops)?\/polaris:/ },
    { kind: ['Deployment'], name: /^polaris-(dashboard|webhook)$/ },
  ],
  versionFromImage: /polaris:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'polaris',
              name: 'polaris-dashboard',
              images: ['quay.io/fairwinds/polaris:10.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '10.0',
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
              name: 'polar-app',
              images: ['example/polar:1'],
            },
          ],
        },
      },
    ],
  },
};
