// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const tempoRule: ComponentRule = {
  id: 'tempo',
  name: 'Grafana Tempo',
  category: 'observability',
  runtime: [{ image: /grafana\/tempo:/ }],
  versionFromImage: /grafana\/tempo:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'StatefulSet',
              namespace: 'tracing',
              name: 'tempo',
              images: ['grafana/tempo:2.8.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '2.8.0',
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
              namespace: 'app',
              name: 'tempo-app',
              images: ['example/tempo:1'],
            },
          ],
        },
      },
    ],
  },
};
