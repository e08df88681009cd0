// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const nodeExporterRule: ComponentRule = {
  id: 'node-exporter',
  name: 'Prometheus node exporter',
  category: 'observability',
  runtime: [{ image: /node-exporter:/ }],
  versionFromImage: /node-exporter:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'monitoring',
              name: 'node-exporter',
              images: ['quay.io/prometheus/node-exporter:v1.9.1'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '1.9.1',
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
              name: 'blackbox-exporter',
              images: ['quay.io/prometheus/blackbox-exporter:v0.27.0'],
            },
          ],
        },
      },
    ],
  },
};
