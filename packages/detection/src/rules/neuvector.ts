// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const neuvectorRule: ComponentRule = {
  id: 'neuvector',
  name: 'NeuVector',
  category: 'threat-detection',
  runtime: [{ image: /neuvector\/(controller|enforcer|manager)/ }],
  versionFromImage: /neuvector\/[a-z]+:(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'neuvector',
              name: 'neuvector-enforcer-pod',
              images: ['neuvector/enforcer:5.4.5'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '5.4.5',
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
              name: 'vector',
              images: ['timberio/vector:0.48'],
            },
          ],
        },
      },
    ],
  },
};
