// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const kubeStateMetricsRule: ComponentRule = {
  id: 'kube-state-metrics',
  name: 'kube-state-metrics',
  category: 'observability',
  runtime: [{ image: /kube-state-metrics:/ }],
  versionFromImage: /kube-state-metrics:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'monitoring',
              name: 'kube-state-metrics',
              images: ['registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.16.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '2.16.0',
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
              name: 'state-exporter',
              images: ['example/state:1'],
            },
          ],
        },
      },
    ],
  },
};
