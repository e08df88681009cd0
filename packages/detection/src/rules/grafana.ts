// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const grafanaRule: ComponentRule = {
  id: 'grafana',
  name: 'Grafana',
  category: 'observability',
  runtime: [{ image: /grafana\/grafana(-oss|-enterprise)?:/ }],
  versionFromImage: /grafana\/grafana(?:-oss|-enterprise)?:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'monitoring',
              name: 'grafana',
              images: ['grafana/grafana:12.1.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '12.1.0',
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
              namespace: 'monitoring',
              name: 'grafana-agent',
              images: ['grafana/agent:v0.44'],
            },
          ],
        },
      },
    ],
  },
};
