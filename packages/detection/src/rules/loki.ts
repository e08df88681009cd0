// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const lokiRule: ComponentRule = {
  id: 'loki',
  name: 'Loki',
  category: 'observability',
  runtime: [{ image: /grafana\/loki:/ }],
  versionFromImage: /grafana\/loki:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'StatefulSet',
              namespace: 'istio-system',
              name: 'loki',
              images: ['grafana/loki:3.5.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '3.5.0',
        },
      },
    ],
    fail: [
      {
        name: 'look-alike',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'logging',
              name: 'promtail',
              images: ['grafana/promtail:3.5.0'],
            },
          ],
        },
      },
    ],
  },
};
